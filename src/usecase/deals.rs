//! Deal actions: add, edit (the whole form in one transaction), move, win, lose, reopen,
//! delete.

use chrono::NaiveDate;

use crate::domain::money::Money;
use crate::domain::stage::Stage;
use crate::store::{Store, StoreError, Undo, customers, deals, stages};

pub use crate::store::deals::{Added, CustomerRef, Moved, NewDeal};

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
}

/// What saving a deal's changes did.
#[derive(Debug, Clone)]
pub struct Edited {
    pub undo: Undo,
    /// Whether the patch named a customer that did not exist and so was added.
    pub new_customer: bool,
}

pub fn add(store: &mut Store, new: &NewDeal) -> Result<Added> {
    deals::add(store, new)
}

// TODO(usecase): one transaction for the customer, the fields and the stage move.
pub fn edit(store: &mut Store, id: &str, patch: &Patch) -> Result<Edited> {
    let mut new_customer = false;
    let customer_id = match &patch.customer {
        None => None,
        Some(CustomerRef::Id(c)) => Some(c.clone()),
        Some(CustomerRef::Name(name)) => match customers::find_by_name(store.conn(), name)? {
            Some(c) => Some(c),
            None => {
                new_customer = true;
                Some(customers::add(store, &customers::NewCustomer::named(name))?.0)
            }
        },
    };
    let fields = deals::Patch {
        title: patch.title.clone(),
        customer_id,
        amount: patch.amount.clone(),
        expected_close: patch.expected_close,
        source: patch.source.clone(),
        notes: patch.notes.clone(),
        owner_id: patch.owner_id.clone(),
    };
    let mut undo = None;
    if !fields.is_empty() {
        undo = Some(deals::edit(store, id, &fields)?);
    }
    if let Some(stage_id) = &patch.stage_id {
        let all = stages::list(store.conn())?;
        let stage = all
            .iter()
            .find(|s| &s.id == stage_id)
            .ok_or_else(|| StoreError::Invalid(format!("no stage {stage_id}")))?;
        undo = Some(deals::move_to_stage(store, id, stage)?.undo);
    }
    Ok(Edited {
        undo: undo.unwrap_or_default(),
        new_customer,
    })
}

pub fn move_to_stage(store: &mut Store, id: &str, stage: &Stage) -> Result<Moved> {
    deals::move_to_stage(store, id, stage)
}

pub fn win(store: &mut Store, id: &str) -> Result<Moved> {
    deals::win(store, id)
}

pub fn lose(store: &mut Store, id: &str, reason: &str) -> Result<Moved> {
    deals::lose(store, id, reason)
}

pub fn reopen(store: &mut Store, id: &str, stage: Option<&Stage>) -> Result<Moved> {
    deals::reopen(store, id, stage)
}

pub fn delete(store: &mut Store, id: &str) -> Result<Undo> {
    deals::delete(store, id)
}

pub fn restore(store: &mut Store, id: &str) -> Result<Undo> {
    deals::restore(store, id)
}
