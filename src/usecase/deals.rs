//! Deal actions: add, edit (the whole form in one transaction), move, win, lose, reopen,
//! delete, restore. Each reads what it needs, plans every row it changes and applies
//! them once.

use chrono::NaiveDate;

use super::customers as customer_actions;
use super::fields::{FieldChanges, plan_values};
use crate::domain::deal::{Deal, DealStatus, Transition, validate_title};
use crate::domain::field::Entity;
use crate::domain::ids::new_id;
use crate::domain::money::Money;
use crate::domain::stage::Stage;
use crate::store::activities::Subject;
use crate::store::customers::NewCustomer;
use crate::store::{Store, StoreError, Table, Undo, Write, activities, contacts, customers, deals};

pub use crate::store::deals::{CustomerRef, NewDeal};

type Result<T> = std::result::Result<T, StoreError>;

/// The fields a deal form changed; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Patch {
    pub title: Option<String>,
    /// Another customer: an existing one, or a new name (which adds a prospect).
    pub customer: Option<CustomerRef>,
    pub amount: Option<Money>,
    pub expected_close: Option<Option<NaiveDate>>,
    pub source: Option<Option<String>>,
    pub notes: Option<Option<String>>,
    pub owner_id: Option<String>,
    /// Another stage of an open deal.
    pub stage_id: Option<String>,
    /// Custom field values set or cleared.
    pub fields: FieldChanges,
}

/// What saving a deal's changes did.
#[derive(Debug, Clone)]
pub struct Edited {
    pub undo: Undo,
    /// Whether the patch named a customer that did not exist and so was added.
    pub new_customer: bool,
}

/// What adding a deal made.
#[derive(Debug, Clone)]
pub struct Added {
    pub deal_id: String,
    pub customer_id: String,
    pub new_customer: bool,
    pub undo: Undo,
}

/// What a transition did, for messages.
#[derive(Debug, Clone)]
pub struct Moved {
    pub undo: Undo,
    pub customer_promoted: bool,
}

/// A deal's customer as a plan: its id, and the writes that add it when it is new.
struct CustomerPlan {
    id: String,
    new: bool,
    writes: Vec<Write>,
}

/// Finds the customer a form named, or plans a prospect of that name, owned by `owner`
/// (the deal's owner: on a team server a rep reads only the customers they own and
/// those customers' deals, so a customer added for a rep's deal is the rep's).
fn plan_customer(store: &Store, customer: &CustomerRef, owner: &str) -> Result<CustomerPlan> {
    let existing = |id| CustomerPlan {
        id,
        new: false,
        writes: Vec::new(),
    };
    match customer {
        CustomerRef::Id(id) => Ok(existing(customers::get(store.conn(), id)?.id)),
        CustomerRef::Name(name) => match customers::find_by_name(store.conn(), name)? {
            Some(id) => Ok(existing(id)),
            None => {
                let new = NewCustomer {
                    owner_id: Some(owner.to_string()),
                    ..NewCustomer::named(name)
                };
                let (id, writes) = customer_actions::plan_add(store, &new)?;
                Ok(CustomerPlan {
                    id,
                    new: true,
                    writes,
                })
            }
        },
    }
}

/// The writes that add a deal (and its customer, when new) with its first history row,
/// and what they make. For [`add`], and for loaders that add many deals in one
/// transaction ([`Store::bulk_load`]).
pub fn plan_add(store: &Store, new: &NewDeal) -> Result<(Added, Vec<Write>)> {
    plan_add_with(store, new, &FieldChanges::new())
}

/// [`plan_add`] with the deal's custom field values.
pub fn plan_add_with(
    store: &Store,
    new: &NewDeal,
    fields: &FieldChanges,
) -> Result<(Added, Vec<Write>)> {
    let title = validate_title(&new.title)?;
    // A stage deleted meanwhile (by a sync, another window) takes no new deals.
    stage(store, &new.stage_id)?;
    if let Some(owner) = &new.owner_id {
        customer_actions::check_owner(store, owner)?;
    }
    let owner = new
        .owner_id
        .clone()
        .unwrap_or_else(|| store.member_id().to_string());
    let customer = plan_customer(store, &new.customer, &owner)?;
    let mut writes = customer.writes;
    let id = new_id();
    let now = store.now_millis();
    writes.push(
        Write::insert(Table::Deals, id.clone())
            .set("title", title)
            .set("customer_id", customer.id.clone())
            .set("stage_id", new.stage_id.clone())
            .set("status", DealStatus::Open.as_str().to_string())
            .set("amount_minor", new.amount.minor)
            .set("currency", new.amount.currency.code().to_string())
            .set("expected_close", new.expected_close.map(|d| d.to_string()))
            .set_text("source", new.source.as_deref())
            .set_text("notes", new.notes.as_deref())
            .set("owner_id", owner)
            .set("position", -(now as f64)),
    );
    writes.push(history_write(
        store,
        &id,
        None,
        &new.stage_id,
        None,
        DealStatus::Open,
    ));
    writes.extend(plan_values(store, Entity::Deal, &id, fields, true)?);
    let added = Added {
        deal_id: id,
        customer_id: customer.id,
        new_customer: customer.new,
        undo: Undo::default(),
    };
    Ok((added, writes))
}

/// Adds a deal (and its customer, when new) in one transaction, with the first history row.
pub fn add(store: &mut Store, new: &NewDeal) -> Result<Added> {
    add_with(store, new, &FieldChanges::new())
}

/// [`add`] with the deal's custom field values, in the same transaction.
pub fn add_with(store: &mut Store, new: &NewDeal, fields: &FieldChanges) -> Result<Added> {
    let (added, writes) = plan_add_with(store, new, fields)?;
    let undo = store.apply(&crate::t!("undo-add", name = new.title.trim()), writes)?;
    Ok(Added { undo, ..added })
}

/// Saves a deal form: a new customer (a name not found adds a prospect), the changed
/// fields (with the deal's activities when it goes to another customer) and a stage
/// move (with its history row), all in one transaction and one undo. A field the patch
/// does not name is not written, so a teammate's newer value of it stays.
pub fn edit(store: &mut Store, id: &str, patch: &Patch) -> Result<Edited> {
    if *patch == Patch::default() {
        return Err(StoreError::Invalid(crate::t!("error-nothing-to-change")));
    }
    let deal = deals::get(store.conn(), id)?;
    let mut w = Write::update(Table::Deals, id);
    // The rows the deal's write points at come before it (a new customer), the rows that
    // follow it after (its activities, the history row).
    let mut before = Vec::new();
    let mut writes = Vec::new();
    let mut new_customer = false;
    if let Some(t) = &patch.title {
        w = w.set("title", validate_title(t)?);
    }
    if let Some(c) = &patch.customer {
        // The deal's owner after this edit; one no longer in the team gives way to me.
        let owner = match (&patch.owner_id, &deal.owner_id) {
            (Some(o), _) => o.as_str(),
            (None, Some(o)) if customer_actions::is_member(store, o)? => o.as_str(),
            (None, _) => store.member_id(),
        };
        let customer = plan_customer(store, c, owner)?;
        new_customer = customer.new;
        before.extend(customer.writes);
        if customer.id != deal.customer_id {
            w = follow_the_deal(store, &deal, &customer.id, w, &mut writes)?;
            w = w.set("customer_id", customer.id);
        }
    }
    if let Some(m) = &patch.amount {
        w = w
            .set("amount_minor", m.minor)
            .set("currency", m.currency.code().to_string());
    }
    if let Some(d) = patch.expected_close {
        w = w.set("expected_close", d.map(|d| d.to_string()));
    }
    if let Some(s) = &patch.source {
        w = w.set_text("source", s.as_deref());
    }
    if let Some(n) = &patch.notes {
        w = w.set_text("notes", n.as_deref());
    }
    if let Some(o) = &patch.owner_id {
        customer_actions::check_owner(store, o)?;
        w = w.set("owner_id", o.clone());
        if deal.owner_id.as_ref() != Some(o) {
            writes.extend(customer_actions::hand_over_reminders(
                store,
                &Subject::Deal(id.to_string()),
                deal.owner_id.as_deref(),
                o,
            )?);
        }
    }
    if let Some(stage_id) = patch.stage_id.as_deref().filter(|s| *s != deal.stage_id) {
        let stage = stage(store, stage_id)?;
        if deal.status != DealStatus::Open {
            return Err(StoreError::Invalid(crate::t!(
                "deal-closed-reopen-first",
                title = deal.title.as_str(),
                status = crate::i18n::noun(deal.status.as_str()),
                stage = stage.name.as_str()
            )));
        }
        let t = deal.move_to_stage(&stage.id)?;
        let (moved, history) = transition_writes(store, &deal, &t);
        // The stage fields join the deal's one write; the history row goes beside it.
        for (field, value) in moved.fields {
            w = w.set(field, value);
        }
        writes.extend(history);
    }
    writes.extend(plan_values(store, Entity::Deal, id, &patch.fields, false)?);
    if !w.fields.is_empty() {
        before.push(w);
    }
    before.extend(writes);
    let undo = store.apply(&crate::t!("undo-edit", name = deal.title.as_str()), before)?;
    Ok(Edited { undo, new_customer })
}

/// Plans what moves with a deal given to another customer: its activities, so that its
/// calls and reminders show and count with the customer the deal is now with (a deal
/// usually changes customer because it was entered on the wrong one); and its contact is
/// dropped when they work for another customer. Returns the deal's write with the
/// contact cleared where needed.
fn follow_the_deal(
    store: &Store,
    deal: &Deal,
    customer: &str,
    w: Write,
    writes: &mut Vec<Write>,
) -> Result<Write> {
    let conn = store.conn();
    for activity in activities::of_deal_elsewhere(conn, &deal.id, customer)? {
        writes.push(
            Write::update(Table::Activities, activity).set("customer_id", customer.to_string()),
        );
    }
    let Some(contact) = &deal.contact_id else {
        return Ok(w);
    };
    if contacts::customer_of(conn, contact)?.as_deref() == Some(customer) {
        Ok(w)
    } else {
        Ok(w.set("contact_id", None::<String>))
    }
}

fn stage(store: &Store, stage_id: &str) -> Result<Stage> {
    crate::store::stages::list(store.conn())?
        .into_iter()
        .find(|s| s.id == stage_id)
        .ok_or_else(|| StoreError::NotFound {
            what: "stage".into(),
            reference: stage_id.to_string(),
        })
}

fn history_write(
    store: &Store,
    deal_id: &str,
    from_stage: Option<&str>,
    to_stage: &str,
    from_status: Option<DealStatus>,
    to_status: DealStatus,
) -> Write {
    Write::insert(Table::StageChanges, new_id())
        .set("deal_id", deal_id.to_string())
        .set("from_stage_id", from_stage.map(str::to_string))
        .set("to_stage_id", to_stage.to_string())
        .set("from_status", from_status.map(|s| s.as_str().to_string()))
        .set("to_status", to_status.as_str().to_string())
        .set("at", store.now_millis())
        .set("by", store.member_id().to_string())
}

/// The deal's write of a transition, and the rows beside it: the history row and, when
/// the transition changes it, the customer's status.
fn transition_writes(store: &Store, deal: &Deal, t: &Transition) -> (Write, Vec<Write>) {
    let now = store.now_millis();
    let mut w = Write::update(Table::Deals, deal.id.clone())
        .set("stage_id", t.stage_id.clone())
        .set("status", t.status.as_str().to_string())
        .set("closed_at", t.closed_at)
        .set("lost_reason", t.lost_reason.clone());
    if t.stage_id != deal.stage_id || t.status != deal.status {
        // A card that moves lands on top of its new column.
        w = w.set("position", -(now as f64));
    }
    let mut others = vec![history_write(
        store,
        &deal.id,
        t.history.from_stage_id.as_deref(),
        &t.history.to_stage_id,
        t.history.from_status,
        t.history.to_status,
    )];
    if let Some(status) = t.customer_status {
        others.push(
            Write::update(Table::Customers, deal.customer_id.clone())
                .set("status", status.as_str().to_string()),
        );
    }
    (w, others)
}

fn apply_transition(store: &mut Store, deal: &Deal, t: Transition, label: String) -> Result<Moved> {
    let (w, others) = transition_writes(store, deal, &t);
    let mut writes = vec![w];
    writes.extend(others);
    let undo = store.apply(&label, writes)?;
    Ok(Moved {
        undo,
        customer_promoted: t.customer_status.is_some(),
    })
}

/// Moves an open deal to another stage.
pub fn move_to_stage(store: &mut Store, id: &str, stage: &Stage) -> Result<Moved> {
    let deal = deals::get(store.conn(), id)?;
    let t = deal.move_to_stage(&stage.id)?;
    let label = crate::t!(
        "undo-move",
        name = deal.title.as_str(),
        stage = stage.name.as_str()
    );
    apply_transition(store, &deal, t, label)
}

/// Wins a deal; a prospect (or churned) customer becomes active in the same transaction.
pub fn win(store: &mut Store, id: &str) -> Result<Moved> {
    let deal = deals::get(store.conn(), id)?;
    let customer = customers::get(store.conn(), &deal.customer_id)?;
    let t = deal.win(customer.status, store.now_millis())?;
    let label = crate::t!("undo-win", name = deal.title.as_str());
    apply_transition(store, &deal, t, label)
}

pub fn lose(store: &mut Store, id: &str, reason: &str) -> Result<Moved> {
    let deal = deals::get(store.conn(), id)?;
    let t = deal.lose(reason, store.now_millis())?;
    let label = crate::t!("undo-lose", name = deal.title.as_str());
    apply_transition(store, &deal, t, label)
}

pub fn reopen(store: &mut Store, id: &str, stage: Option<&Stage>) -> Result<Moved> {
    let deal = deals::get(store.conn(), id)?;
    // A closed deal keeps the stage it closed in; if that stage is gone since, it reopens
    // where the stage's deals went.
    let stage_id = match stage {
        Some(s) => s.id.clone(),
        None => super::stages::live_stage_of(store, &deal.stage_id)?,
    };
    let t = deal.reopen(Some(&stage_id))?;
    let label = crate::t!("undo-reopen", name = deal.title.as_str());
    apply_transition(store, &deal, t, label)
}

/// Soft-deletes a deal (undoable).
pub fn delete(store: &mut Store, id: &str) -> Result<Undo> {
    let deal = deals::get(store.conn(), id)?;
    let now = store.now_millis();
    store.apply(
        &crate::t!("undo-delete", name = deal.title.as_str()),
        vec![Write::update(Table::Deals, id).set("deleted_at", now)],
    )
}

/// Brings back a deleted deal.
pub fn restore(store: &mut Store, id: &str) -> Result<Undo> {
    let deal = deals::get_deleted(store.conn(), id)?;
    store.apply(
        &crate::t!("undo-restore", name = deal.title.as_str()),
        vec![Write::update(Table::Deals, id).set("deleted_at", None::<i64>)],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::memory_store;
    use crate::usecase::tests::{add_deal, count};

    fn stage_named(store: &Store, name: &str) -> Stage {
        crate::store::stages::list(store.conn())
            .unwrap()
            .into_iter()
            .find(|s| s.name == name)
            .unwrap()
    }

    #[test]
    fn a_form_with_a_new_customer_new_fields_and_a_new_stage_is_one_change_and_one_undo() {
        let mut store = memory_store();
        let added = add_deal(&mut store, "ACME renewal", "ACME");
        let proposal = stage_named(&store, "Proposal");
        let before = count(&store, "SELECT count(*) FROM field_clock");
        let patch = Patch {
            title: Some("ACME multi-year renewal".into()),
            customer: Some(CustomerRef::Name("Globex".into())),
            amount: Some(Money::new(1_500_000, "EUR".parse().unwrap())),
            stage_id: Some(proposal.id.clone()),
            ..Patch::default()
        };
        let edited = edit(&mut store, &added.deal_id, &patch).unwrap();
        assert!(edited.new_customer);
        let deal = deals::get(store.conn(), &added.deal_id).unwrap();
        let globex = customers::find_by_name(store.conn(), "Globex")
            .unwrap()
            .unwrap();
        assert_eq!(deal.title, "ACME multi-year renewal");
        assert_eq!(deal.customer_id, globex);
        assert_eq!(deal.amount.minor, 1_500_000);
        assert_eq!(deal.stage_id, proposal.id);
        let history = deals::history(store.conn(), &added.deal_id).unwrap();
        assert_eq!(history.last().unwrap().to_stage, "Proposal");
        // One undo takes all of it back: the fields, the stage, the history row and
        // the customer the form created.
        store.undo(&edited.undo).unwrap();
        let deal = deals::get(store.conn(), &added.deal_id).unwrap();
        assert_eq!(
            (
                deal.title.as_str(),
                deal.customer_id.as_str(),
                deal.stage_id.as_str()
            ),
            ("ACME renewal", added.customer_id.as_str(), "stage-lead")
        );
        assert_eq!(deal.amount.minor, 1_200_000);
        assert_eq!(
            deals::history(store.conn(), &added.deal_id).unwrap().len(),
            1
        );
        assert!(customers::resolve(store.conn(), "Globex").is_err());
        assert!(count(&store, "SELECT count(*) FROM field_clock") > before);
    }

    #[test]
    fn a_form_that_fails_midway_saves_nothing() {
        let mut store = memory_store();
        let added = add_deal(&mut store, "ACME renewal", "ACME");
        let before = count(&store, "SELECT count(*) FROM customers");
        let patch = Patch {
            customer: Some(CustomerRef::Name("Globex".into())),
            stage_id: Some("no-such-stage".into()),
            ..Patch::default()
        };
        let err = edit(&mut store, &added.deal_id, &patch).unwrap_err();
        assert_eq!(err.to_string(), "no stage matches 'no-such-stage'");
        assert_eq!(count(&store, "SELECT count(*) FROM customers"), before);
    }

    #[test]
    fn a_closed_deal_is_not_moved_by_a_form_and_is_told_to_reopen_first() {
        let mut store = memory_store();
        let added = add_deal(&mut store, "ACME renewal", "ACME");
        win(&mut store, &added.deal_id).unwrap();
        let proposal = stage_named(&store, "Proposal");
        let patch = Patch {
            title: Some("Renamed".into()),
            stage_id: Some(proposal.id),
            ..Patch::default()
        };
        let err = edit(&mut store, &added.deal_id, &patch).unwrap_err();
        assert_eq!(
            err.to_string(),
            "'ACME renewal' is won; reopen it before moving it to Proposal"
        );
        assert_eq!(
            deals::get(store.conn(), &added.deal_id).unwrap().title,
            "ACME renewal",
            "nothing of the form was saved"
        );
        // The stage it is in is no move: the rest of the form saves.
        let same = Patch {
            title: Some("Renamed".into()),
            stage_id: Some("stage-lead".into()),
            ..Patch::default()
        };
        edit(&mut store, &added.deal_id, &same).unwrap();
        assert_eq!(
            deals::get(store.conn(), &added.deal_id).unwrap().title,
            "Renamed"
        );
    }

    #[test]
    fn an_empty_patch_is_refused() {
        let mut store = memory_store();
        let added = add_deal(&mut store, "ACME renewal", "ACME");
        let err = edit(&mut store, &added.deal_id, &Patch::default()).unwrap_err();
        assert!(matches!(err, StoreError::Invalid(ref m) if m == "nothing to change"));
    }

    #[test]
    fn a_deal_deleted_elsewhere_is_not_found_and_not_editable() {
        let mut store = memory_store();
        let added = add_deal(&mut store, "ACME renewal", "ACME");
        // Another process deletes it while a view still holds its id.
        delete(&mut store, &added.deal_id).unwrap();
        let message = format!("no deal matches '{}'", added.deal_id);
        let err = deals::get(store.conn(), &added.deal_id).unwrap_err();
        assert_eq!(err.to_string(), message);
        let patch = Patch {
            title: Some("Too late".into()),
            ..Patch::default()
        };
        assert_eq!(
            edit(&mut store, &added.deal_id, &patch)
                .unwrap_err()
                .to_string(),
            message
        );
        assert_eq!(
            win(&mut store, &added.deal_id).unwrap_err().to_string(),
            message
        );
        assert!(delete(&mut store, &added.deal_id).is_err());
        // Restoring reads the deleted row on purpose.
        restore(&mut store, &added.deal_id).unwrap();
        assert_eq!(
            deals::get(store.conn(), &added.deal_id).unwrap().title,
            "ACME renewal"
        );
        let again = restore(&mut store, &added.deal_id).unwrap_err();
        assert_eq!(
            again.to_string(),
            format!("no deleted deal matches '{}'", added.deal_id)
        );
    }
}
