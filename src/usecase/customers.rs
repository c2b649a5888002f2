//! Customer actions: add, edit (profile, status, tier, satisfaction, tags), churn, delete,
//! restore.

use super::fields::{FieldChanges, plan_values};
use crate::domain::activity::ActivityKind;
use crate::domain::customer::{CustomerStatus, normalize_tag};
use crate::domain::field::Entity;
use crate::domain::ids::new_id;
use crate::store::activities::Subject;
use crate::store::{Store, StoreError, Table, Undo, Write, customers, deals};

pub use crate::store::customers::{NewCustomer, Patch};

type Result<T> = std::result::Result<T, StoreError>;

fn validate_name(name: &str) -> Result<String> {
    let n = name.trim();
    if n.is_empty() {
        return Err(StoreError::Invalid(crate::t!("customer-needs-name")));
    }
    Ok(n.to_string())
}

/// A record is given only to a live member of the team: an owner removed (by a sync,
/// say, since a form opened) or never known here is refused, so that nothing is left
/// with an owner nobody sees in the team.
pub(crate) fn check_owner(store: &Store, owner: &str) -> Result<()> {
    // This database's own member may always own what it makes.
    if owner == store.member_id() || is_member(store, owner)? {
        return Ok(());
    }
    Err(StoreError::Invalid(crate::t!(
        "owner-not-a-member",
        id = crate::domain::ids::short_id(owner)
    )))
}

/// The writes that give a record's open reminders, those its former owner held, to its
/// new owner along with it: the follow-ups come with the account (a customer's own, not
/// those of its deals, which go with each deal). Reminders a third member set stay theirs.
pub(crate) fn hand_over_reminders(
    store: &Store,
    about: &Subject,
    from: Option<&str>,
    to: &str,
) -> Result<Vec<Write>> {
    Ok(
        crate::store::activities::open_reminders_held(store.conn(), about, from)?
            .into_iter()
            .map(|id| Write::update(Table::Activities, id).set("owner_id", to.to_string()))
            .collect(),
    )
}

/// Whether `id` is a live member of the team.
pub(crate) fn is_member(store: &Store, id: &str) -> Result<bool> {
    let members = crate::store::members::list(store.conn())?;
    Ok(members.iter().any(|m| m.id == id))
}

/// The writes that create a customer with its tags, and the new customer's id: for
/// [`add`], for adding a deal for a new customer in the same transaction, and for bulk
/// loaders.
pub fn plan_add(store: &Store, new: &NewCustomer) -> Result<(String, Vec<Write>)> {
    plan_add_with(store, new, &FieldChanges::new())
}

/// [`plan_add`] with the customer's custom field values.
pub fn plan_add_with(
    store: &Store,
    new: &NewCustomer,
    fields: &FieldChanges,
) -> Result<(String, Vec<Write>)> {
    let name = validate_name(&new.name)?;
    let id = new_id();
    if let Some(owner) = &new.owner_id {
        check_owner(store, owner)?;
    }
    let owner = new
        .owner_id
        .clone()
        .unwrap_or_else(|| store.member_id().to_string());
    let mut writes = vec![
        Write::insert(Table::Customers, id.clone())
            .set("name", name)
            .set("kind", new.kind.as_str().to_string())
            .set("tier", new.tier.as_str().to_string())
            .set("status", new.status.as_str().to_string())
            .set_text("industry", new.industry.as_deref())
            .set_text("region", new.region.as_deref())
            .set_text("source", new.source.as_deref())
            .set_text("website", new.website.as_deref())
            .set_text("notes", new.notes.as_deref())
            .set("owner_id", owner),
    ];
    let mut seen = std::collections::HashSet::new();
    for tag in &new.tags {
        let tag = normalize_tag(tag).map_err(StoreError::Invalid)?;
        if seen.insert(tag.to_lowercase()) {
            writes.push(tag_write(&id, &tag));
        }
    }
    writes.extend(plan_values(store, Entity::Customer, &id, fields, true)?);
    Ok((id, writes))
}

pub fn add(store: &mut Store, new: &NewCustomer) -> Result<(String, Undo)> {
    add_with(store, new, &FieldChanges::new())
}

/// [`add`] with the customer's custom field values, in the same transaction.
pub fn add_with(
    store: &mut Store,
    new: &NewCustomer,
    fields: &FieldChanges,
) -> Result<(String, Undo)> {
    let (id, writes) = plan_add_with(store, new, fields)?;
    let undo = store.apply(
        &crate::t!("undo-add-customer", name = new.name.trim()),
        writes,
    )?;
    Ok((id, undo))
}

pub(crate) fn tag_write(customer_id: &str, tag: &str) -> Write {
    Write::insert(Table::CustomerTags, tag_id(customer_id, tag))
        .set("customer_id", customer_id.to_string())
        .set("tag", tag.to_string())
        .set("deleted_at", None::<i64>)
}

/// A tag row's id is made of customer and tag, so two teammates adding the same tag to
/// the same customer write one row, not two.
pub(crate) fn tag_id(customer_id: &str, tag: &str) -> String {
    format!("{customer_id}:{}", tag.to_lowercase())
}

pub fn edit(store: &mut Store, id: &str, patch: &Patch) -> Result<Undo> {
    let current = customers::get(store.conn(), id)?;
    let writes = plan_edit(store, id, patch)?;
    store.apply(
        &crate::t!("undo-edit", name = current.name.as_str()),
        writes,
    )
}

/// The writes of a profile edit: the fields the patch names, and tags added or removed.
/// A patch that names nothing is refused.
pub fn plan_edit(store: &Store, id: &str, patch: &Patch) -> Result<Vec<Write>> {
    let current = customers::get(store.conn(), id)?;
    let mut w = Write::update(Table::Customers, id);
    if let Some(name) = &patch.name {
        w = w.set("name", validate_name(name)?);
    }
    if let Some(kind) = patch.kind {
        w = w.set("kind", kind.as_str().to_string());
    }
    if let Some(tier) = patch.tier {
        w = w.set("tier", tier.as_str().to_string());
    }
    if let Some(status) = patch.status {
        w = w.set("status", status.as_str().to_string());
    }
    for (field, value) in [
        ("industry", &patch.industry),
        ("region", &patch.region),
        ("source", &patch.source),
        ("website", &patch.website),
        ("notes", &patch.notes),
    ] {
        if let Some(v) = value {
            w = w.set_text(field, v.as_deref());
        }
    }
    let mut handed = Vec::new();
    if let Some(owner) = &patch.owner_id {
        check_owner(store, owner)?;
        w = w.set("owner_id", owner.clone());
        if current.owner_id.as_ref() != Some(owner) {
            handed = hand_over_reminders(
                store,
                &Subject::Customer(id.to_string()),
                current.owner_id.as_deref(),
                owner,
            )?;
        }
    }
    if let Some(s) = patch.satisfaction {
        if let Some(v) = s {
            crate::domain::customer::validate_satisfaction(v).map_err(StoreError::Invalid)?;
        }
        w = w.set("satisfaction", s);
    }
    let mut writes = Vec::new();
    if !w.fields.is_empty() {
        writes.push(w);
    }
    writes.extend(handed);
    let existing = customers::tag_rows(store.conn(), id)?;
    // Tags compare as their row ids do (Unicode lower case), and a tag given twice is
    // added once.
    let mut adding: Vec<String> = Vec::new();
    for tag in &patch.add_tags {
        let tag = normalize_tag(tag).map_err(StoreError::Invalid)?;
        if adding
            .iter()
            .any(|t| t.to_lowercase() == tag.to_lowercase())
        {
            continue;
        }
        adding.push(tag.clone());
        match existing
            .iter()
            .find(|(t, _)| t.to_lowercase() == tag.to_lowercase())
        {
            Some((_, None)) => {}
            Some((_, Some(_))) => writes.push(
                Write::update(Table::CustomerTags, tag_id(id, &tag)).set("deleted_at", None::<i64>),
            ),
            None => writes.push(tag_write(id, &tag)),
        }
    }
    for tag in &patch.remove_tags {
        let tag = tag.trim();
        match existing
            .iter()
            .find(|(t, _)| t.to_lowercase() == tag.to_lowercase())
        {
            Some((t, None)) => writes.push(
                Write::update(Table::CustomerTags, tag_id(id, t))
                    .set("deleted_at", store.now_millis()),
            ),
            _ => {
                return Err(StoreError::Invalid(crate::t!(
                    "customer-no-tag",
                    name = current.name.as_str(),
                    tag = tag
                )));
            }
        }
    }
    writes.extend(plan_values(
        store,
        Entity::Customer,
        id,
        &patch.fields,
        false,
    )?);
    if writes.is_empty() {
        return Err(StoreError::Invalid(crate::t!("error-nothing-to-change")));
    }
    Ok(writes)
}

/// Moves a customer to Churned and records why, in one transaction.
///
/// The reason is kept as a note in the customer's timeline with neither a due nor a done
/// time: a record, not a contact. A done note would count as the latest contact, which
/// resets "last contact" and the revisit clock on the day the customer left.
pub fn churn(store: &mut Store, id: &str, reason: &str) -> Result<Undo> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(StoreError::Invalid(crate::t!("form-error-say-why-churn")));
    }
    let c = customers::get(store.conn(), id)?;
    let mut writes = plan_edit(
        store,
        id,
        &Patch {
            status: Some(CustomerStatus::Churned),
            ..Patch::default()
        },
    )?;
    writes.push(
        Write::insert(Table::Activities, new_id())
            .set("kind", ActivityKind::Note.as_str().to_string())
            .set("subject", format!("Churned: {reason}"))
            .set("customer_id", c.id.clone())
            .set("owner_id", store.member_id().to_string()),
    );
    store.apply(&crate::t!("undo-churn", name = c.name.as_str()), writes)
}

/// Soft-deletes a customer. Its deals, contacts and activities stay, hidden with it, so
/// that undoing the delete brings everything back.
pub fn delete(store: &mut Store, id: &str) -> Result<Undo> {
    let c = customers::get(store.conn(), id)?;
    let open = deals::open_count_for_customer(store.conn(), id)?;
    if open > 0 {
        return Err(StoreError::Invalid(crate::t!(
            "customer-has-open-deals",
            name = c.name.as_str(),
            count = open
        )));
    }
    let now = store.now_millis();
    store.apply(
        &crate::t!("undo-delete-customer", name = c.name.as_str()),
        vec![Write::update(Table::Customers, id).set("deleted_at", now)],
    )
}

/// Brings back a deleted customer.
pub fn restore(store: &mut Store, id: &str) -> Result<Undo> {
    let c = customers::get_deleted(store.conn(), id)?;
    store.apply(
        &crate::t!("undo-restore-customer", name = c.name.as_str()),
        vec![Write::update(Table::Customers, id).set("deleted_at", None::<i64>)],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::customer::Cadence;
    use crate::store::test_support::memory_store;
    use crate::usecase::activities;
    use crate::usecase::tests::add_deal;

    #[test]
    fn churning_records_why_in_one_change_and_is_not_a_contact() {
        let mut store = memory_store();
        let acme = add_deal(&mut store, "ACME renewal", "ACME").customer_id;
        let day = 86_400_000;
        // A call forty days ago is the last contact.
        let call = activities::NewActivity {
            kind: ActivityKind::Call,
            subject: "Call about the renewal".into(),
            body: None,
            about: activities::Subject::Customer(acme.clone()),
            contact_id: None,
            due_at: None,
            done_at: None,
            outcome: None,
        };
        let (call, _) = activities::add(&mut store, &call).unwrap();
        let month_ago = store.now_millis() - 40 * day;
        store
            .apply(
                "backdate",
                vec![Write::update(Table::Activities, call).set("done_at", month_ago)],
            )
            .unwrap();
        let last_contact = |store: &Store| {
            customers::summary(store.conn(), &acme)
                .unwrap()
                .last_contact
        };
        assert_eq!(last_contact(&store), Some(month_ago));

        let undo = churn(&mut store, &acme, "  moved to a competitor ").unwrap();
        let c = customers::get(store.conn(), &acme).unwrap();
        assert_eq!(c.status, CustomerStatus::Churned);
        let timeline = crate::store::activities::for_customer(store.conn(), &acme, 10).unwrap();
        assert_eq!(
            timeline[0].activity.subject,
            "Churned: moved to a competitor"
        );
        // Leaving is not talking: last contact is still the call.
        assert_eq!(last_contact(&store), Some(month_ago));
        // Nor is it a reminder.
        assert!(
            crate::store::activities::open_reminders(store.conn(), None, None, None, None)
                .unwrap()
                .is_empty()
        );
        // Reopened later, the customer is due for a revisit by that old call.
        store.undo(&undo).unwrap();
        assert_eq!(
            customers::get(store.conn(), &acme).unwrap().status,
            CustomerStatus::Prospect
        );
        assert_eq!(
            crate::store::activities::for_customer(store.conn(), &acme, 10)
                .unwrap()
                .len(),
            1,
            "the note went with the undo"
        );
        let due = customers::revisits_due(
            store.conn(),
            &Cadence::default(),
            store.now_millis(),
            None,
            None,
        )
        .unwrap();
        assert_eq!(due[0].last_contact, Some(month_ago));
    }

    #[test]
    fn churning_without_a_reason_is_refused() {
        let mut store = memory_store();
        let acme = add_deal(&mut store, "ACME renewal", "ACME").customer_id;
        let err = churn(&mut store, &acme, "  ").unwrap_err();
        assert_eq!(err.to_string(), "say why, e.g. 'moved to a competitor'");
        assert_eq!(
            customers::get(store.conn(), &acme).unwrap().status,
            CustomerStatus::Prospect
        );
    }
}
