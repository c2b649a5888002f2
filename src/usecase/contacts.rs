//! Contact actions: add, edit the fields a form changed, make primary, remove.

use super::fields::{FieldChanges, plan_values};
use crate::domain::customer::{validate_email, validate_phone};
use crate::domain::field::Entity;
use crate::domain::ids::new_id;
use crate::store::contacts::{self, ContactFields};
use crate::store::{Store, StoreError, Table, Undo, Write, customers};

type Result<T> = std::result::Result<T, StoreError>;

/// The fields a contact form changed; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Patch {
    pub name: Option<String>,
    pub title: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub email: Option<Option<String>>,
    pub notes: Option<Option<String>>,
    /// Custom field values set (`None` clears one).
    pub fields: FieldChanges,
}

/// Writes that clear the primary flag on the customer's other contacts.
fn demote_others(store: &Store, customer_id: &str, keep: &str) -> Result<Vec<Write>> {
    Ok(contacts::list(store.conn(), customer_id)?
        .into_iter()
        .filter(|c| c.is_primary && c.id != keep)
        .map(|c| Write::update(Table::Contacts, c.id).set("is_primary", false))
        .collect())
}

/// Adds a contact; the customer's first contact is their primary one, and a new primary
/// contact takes the flag from the others in the same transaction.
pub fn add(store: &mut Store, customer_id: &str, fields: &ContactFields) -> Result<(String, Undo)> {
    add_with(store, customer_id, fields, &FieldChanges::new())
}

/// [`add`] with the contact's custom field values, in the same transaction.
pub fn add_with(
    store: &mut Store,
    customer_id: &str,
    fields: &ContactFields,
    custom: &FieldChanges,
) -> Result<(String, Undo)> {
    fields.validate()?;
    let customer = customers::get(store.conn(), customer_id)?;
    let id = new_id();
    let first = contacts::list(store.conn(), &customer.id)?.is_empty();
    let primary = fields.is_primary || first;
    let mut writes = vec![
        Write::insert(Table::Contacts, id.clone())
            .set("customer_id", customer.id.clone())
            .set("name", fields.name.trim().to_string())
            .set_text("title", fields.title.as_deref())
            .set_text("phone", fields.phone.as_deref())
            .set_text("email", fields.email.as_deref())
            .set("is_primary", primary)
            .set_text("notes", fields.notes.as_deref()),
    ];
    if primary {
        writes.extend(demote_others(store, &customer.id, &id)?);
    }
    writes.extend(plan_values(store, Entity::Contact, &id, custom, true)?);
    let undo = store.apply(
        &crate::t!("undo-add-contact", name = fields.name.trim()),
        writes,
    )?;
    Ok((id, undo))
}

/// Writes the fields the patch names, checked as a new contact's are; nothing else.
pub fn edit(store: &mut Store, id: &str, patch: &Patch) -> Result<Undo> {
    if *patch == Patch::default() {
        return Err(StoreError::Invalid(crate::t!("error-nothing-to-change")));
    }
    let (label, w) = plan_edit(store, id, patch)?;
    let mut writes = Vec::new();
    if !w.fields.is_empty() {
        writes.push(w);
    }
    writes.extend(plan_values(
        store,
        Entity::Contact,
        id,
        &patch.fields,
        false,
    )?);
    store.apply(&label, writes)
}

/// Writes the fields the patch names (it may name none) and makes the contact the
/// customer's primary one, in one transaction: a form that changes both is one action.
pub fn edit_as_primary(store: &mut Store, id: &str, patch: &Patch) -> Result<Undo> {
    let (label, w) = plan_edit(store, id, patch)?;
    let mut writes = vec![w.set("is_primary", true)];
    writes.extend(plan_values(
        store,
        Entity::Contact,
        id,
        &patch.fields,
        false,
    )?);
    writes.extend(demote_others(
        store,
        &contacts::get(store.conn(), id)?.customer_id,
        id,
    )?);
    store.apply(&label, writes)
}

fn plan_edit(store: &Store, id: &str, patch: &Patch) -> Result<(String, Write)> {
    let contact = contacts::get(store.conn(), id)?;
    let mut w = Write::update(Table::Contacts, id);
    if let Some(name) = &patch.name {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid(crate::t!("contact-needs-name")));
        }
        w = w.set("name", name.to_string());
    }
    if let Some(email) = &patch.email {
        if let Some(e) = email.as_deref().filter(|e| !e.trim().is_empty()) {
            validate_email(e).map_err(StoreError::Invalid)?;
        }
        w = w.set_text("email", email.as_deref());
    }
    if let Some(phone) = &patch.phone {
        if let Some(p) = phone.as_deref().filter(|p| !p.trim().is_empty()) {
            validate_phone(p).map_err(StoreError::Invalid)?;
        }
        w = w.set_text("phone", phone.as_deref());
    }
    if let Some(title) = &patch.title {
        w = w.set_text("title", title.as_deref());
    }
    if let Some(notes) = &patch.notes {
        w = w.set_text("notes", notes.as_deref());
    }
    let name = patch.name.as_deref().unwrap_or(&contact.name).trim();
    Ok((crate::t!("undo-edit-contact", name = name), w))
}

/// Makes a contact the customer's primary one: its flag on and the others' off, in one
/// transaction; no other field is written.
pub fn make_primary(store: &mut Store, id: &str) -> Result<Undo> {
    let contact = contacts::get(store.conn(), id)?;
    let mut writes = vec![Write::update(Table::Contacts, id).set("is_primary", true)];
    writes.extend(demote_others(store, &contact.customer_id, id)?);
    store.apply(
        &crate::t!("undo-primary-contact", name = contact.name.as_str()),
        writes,
    )
}

pub fn delete(store: &mut Store, id: &str) -> Result<Undo> {
    let contact = contacts::get(store.conn(), id)?;
    let now = store.now_millis();
    store.apply(
        &crate::t!("undo-remove-contact", name = contact.name.as_str()),
        vec![Write::update(Table::Contacts, id).set("deleted_at", now)],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::memory_store;
    use crate::usecase::tests::add_deal;

    fn contact(name: &str, email: Option<&str>) -> ContactFields {
        ContactFields {
            name: name.into(),
            email: email.map(str::to_string),
            title: Some("Buyer".into()),
            ..ContactFields::default()
        }
    }

    /// The fields of a contact that carry a clock of their own (written after the insert).
    fn clocked(store: &Store, id: &str) -> Vec<String> {
        let mut stmt = store
            .conn()
            .prepare(
                "SELECT field FROM field_clock WHERE tbl = 'contacts' AND row_id = ?1
                  AND field NOT IN ('*', 'updated_at') ORDER BY field",
            )
            .unwrap();
        stmt.query_map([id], |r| r.get(0))
            .unwrap()
            .map(std::result::Result::unwrap)
            .collect()
    }

    #[test]
    fn an_edit_writes_only_the_fields_it_names() {
        let mut store = memory_store();
        let acme = add_deal(&mut store, "ACME renewal", "ACME").customer_id;
        let (bob, _) = add(&mut store, &acme, &contact("Bob", Some("bob@acme.test"))).unwrap();
        let patch = Patch {
            phone: Some(Some("+49 30 1234567".into())),
            ..Patch::default()
        };
        let undo = edit(&mut store, &bob, &patch).unwrap();
        assert_eq!(clocked(&store, &bob), ["phone"]);
        let c = contacts::get(store.conn(), &bob).unwrap();
        assert_eq!(c.email.as_deref(), Some("bob@acme.test"));
        assert_eq!(c.title.as_deref(), Some("Buyer"));
        assert_eq!(c.phone.as_deref(), Some("+49 30 1234567"));
        store.undo(&undo).unwrap();
        assert_eq!(contacts::get(store.conn(), &bob).unwrap().phone, None);

        let bad = Patch {
            email: Some(Some("not an email".into())),
            name: Some("Robert".into()),
            ..Patch::default()
        };
        assert!(edit(&mut store, &bob, &bad).is_err());
        assert_eq!(contacts::get(store.conn(), &bob).unwrap().name, "Bob");
        assert!(edit(&mut store, &bob, &Patch::default()).is_err());
    }

    #[test]
    fn making_a_contact_primary_writes_only_the_flags_in_one_change() {
        let mut store = memory_store();
        let acme = add_deal(&mut store, "ACME renewal", "ACME").customer_id;
        let (bob, _) = add(&mut store, &acme, &contact("Bob", None)).unwrap();
        let (eve, _) = add(&mut store, &acme, &contact("Eve", None)).unwrap();
        let primary = |store: &Store| -> Vec<(String, bool)> {
            contacts::list(store.conn(), &acme)
                .unwrap()
                .into_iter()
                .map(|c| (c.name, c.is_primary))
                .collect()
        };
        assert_eq!(
            primary(&store),
            [("Bob".to_string(), true), ("Eve".to_string(), false)]
        );
        let undo = make_primary(&mut store, &eve).unwrap();
        assert_eq!(
            primary(&store),
            [("Eve".to_string(), true), ("Bob".to_string(), false)]
        );
        assert_eq!(clocked(&store, &eve), ["is_primary"]);
        assert_eq!(clocked(&store, &bob), ["is_primary"]);
        assert_eq!(undo.writes.len(), 2);
        store.undo(&undo).unwrap();
        assert_eq!(
            primary(&store),
            [("Bob".to_string(), true), ("Eve".to_string(), false)]
        );
    }
}
