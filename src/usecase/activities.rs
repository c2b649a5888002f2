//! Activity actions: log, schedule, complete, reschedule (snooze), edit, delete.

use crate::domain::activity::ActivityKind;
use crate::domain::ids::new_id;
use crate::store::{Store, StoreError, Table, Undo, Write, activities, customers, deals};

pub use crate::store::activities::{NewActivity, Subject};

type Result<T> = std::result::Result<T, StoreError>;

/// The fields an activity form changed; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Patch {
    pub kind: Option<ActivityKind>,
    pub subject: Option<String>,
    pub due_at: Option<Option<i64>>,
}

fn validate_subject(subject: &str) -> Result<String> {
    let subject = subject.trim();
    if subject.is_empty() {
        return Err(StoreError::Invalid(crate::t!(
            "error-activity-needs-subject"
        )));
    }
    Ok(subject.to_string())
}

/// The one rule for every path that schedules a follow-up (add, reschedule or snooze,
/// edit): it is due now or later. What already happened is logged as done instead. The
/// current minute still counts as now, as a time is typed to the minute.
pub fn check_due(due_at: i64, now: i64) -> Result<()> {
    if due_at < now - now.rem_euclid(60_000) {
        return Err(StoreError::Invalid(
            "a follow-up cannot be due in the past; give a time to come, or log what \
             happened as done"
                .into(),
        ));
    }
    Ok(())
}

/// The write that adds an activity, and its id. A deal activity is also filed under the
/// deal's customer. A reminder must be due now or later ([`check_due`]).
pub fn plan_add(store: &Store, new: &NewActivity) -> Result<(String, Write)> {
    let subject = validate_subject(&new.subject)?;
    let (deal_id, customer_id) = match &new.about {
        Subject::Deal(id) => {
            let deal = deals::get(store.conn(), id)?;
            (Some(deal.id), Some(deal.customer_id))
        }
        Subject::Customer(id) => (None, Some(customers::get(store.conn(), id)?.id)),
    };
    let id = new_id();
    let now = store.now_millis();
    let done_at = match (new.due_at, new.done_at) {
        (Some(due), _) => {
            check_due(due, now)?;
            None
        }
        (None, Some(at)) if at > now => {
            return Err(StoreError::Invalid(crate::t!("activity-logged-in-future")));
        }
        (None, at) => Some(at.unwrap_or(now)),
    };
    let w = Write::insert(Table::Activities, id.clone())
        .set("kind", new.kind.as_str().to_string())
        .set("subject", subject)
        .set_text("body", new.body.as_deref())
        .set("deal_id", deal_id)
        .set("customer_id", customer_id)
        .set("contact_id", new.contact_id.clone())
        .set("due_at", new.due_at)
        .set("done_at", done_at)
        .set_text("outcome", new.outcome.as_deref())
        .set("owner_id", store.member_id().to_string());
    Ok((id, w))
}

/// Logs an activity (done now) or schedules a reminder.
pub fn add(store: &mut Store, new: &NewActivity) -> Result<(String, Undo)> {
    let (id, w) = plan_add(store, new)?;
    let label = if new.due_at.is_some() {
        crate::t!("undo-schedule", name = new.subject.trim())
    } else {
        crate::t!("undo-log", name = new.subject.trim())
    };
    let undo = store.apply(&label, vec![w])?;
    Ok((id, undo))
}

/// Marks a reminder done, with an optional outcome.
pub fn complete(store: &mut Store, id: &str, outcome: Option<&str>) -> Result<Undo> {
    let row = activities::get(store.conn(), id)?;
    if row.activity.done_at.is_some() {
        return Err(StoreError::Invalid(crate::t!(
            "activity-already-done",
            subject = row.activity.subject.as_str()
        )));
    }
    let now = store.now_millis();
    let mut w = Write::update(Table::Activities, id).set("done_at", now);
    if outcome.is_some_and(|o| !o.trim().is_empty()) {
        w = w.set_text("outcome", outcome);
    }
    store.apply(
        &crate::t!("undo-done", name = row.activity.subject.as_str()),
        vec![w],
    )
}

/// Moves a reminder to a new due time (snooze).
pub fn reschedule(store: &mut Store, id: &str, due_at: i64) -> Result<Undo> {
    let row = activities::get(store.conn(), id)?;
    check_due(due_at, store.now_millis())?;
    store.apply(
        &crate::t!("undo-reschedule", name = row.activity.subject.as_str()),
        vec![Write::update(Table::Activities, id).set("due_at", due_at)],
    )
}

/// Writes the fields the patch names; nothing else.
pub fn edit(store: &mut Store, id: &str, patch: &Patch) -> Result<Undo> {
    if *patch == Patch::default() {
        return Err(StoreError::Invalid(crate::t!("error-nothing-to-change")));
    }
    let row = activities::get(store.conn(), id)?;
    let mut w = Write::update(Table::Activities, id);
    if let Some(kind) = patch.kind {
        w = w.set("kind", kind.as_str().to_string());
    }
    if let Some(subject) = &patch.subject {
        w = w.set("subject", validate_subject(subject)?);
    }
    if let Some(due_at) = patch.due_at {
        // A reminder moved into the past is refused; a done activity's due time is a
        // record of when it was planned, not a follow-up.
        if let Some(due) = due_at
            && row.activity.done_at.is_none()
        {
            check_due(due, store.now_millis())?;
        }
        w = w.set("due_at", due_at);
    }
    let subject = patch
        .subject
        .as_deref()
        .unwrap_or(&row.activity.subject)
        .trim();
    store.apply(&crate::t!("undo-edit", name = subject), vec![w])
}

pub fn delete(store: &mut Store, id: &str) -> Result<Undo> {
    let row = activities::get(store.conn(), id)?;
    let now = store.now_millis();
    store.apply(
        &crate::t!("undo-delete", name = row.activity.subject.as_str()),
        vec![Write::update(Table::Activities, id).set("deleted_at", now)],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::memory_store;
    use crate::usecase::tests::add_deal;

    #[test]
    fn an_edit_writes_only_the_fields_it_names() {
        let mut store = memory_store();
        let deal = add_deal(&mut store, "ACME renewal", "ACME").deal_id;
        let due = store.now_millis() + 3_600_000;
        let new = NewActivity {
            kind: ActivityKind::Call,
            subject: "Call back".into(),
            body: None,
            about: Subject::Deal(deal),
            contact_id: None,
            due_at: Some(due),
            done_at: None,
            outcome: None,
        };
        let (id, _) = add(&mut store, &new).unwrap();
        let patch = Patch {
            subject: Some("  Call back about the quote ".into()),
            ..Patch::default()
        };
        let undo = edit(&mut store, &id, &patch).unwrap();
        let fields: Vec<String> = {
            let mut stmt = store
                .conn()
                .prepare(
                    "SELECT field FROM field_clock WHERE row_id = ?1
                      AND field NOT IN ('*', 'updated_at') ORDER BY field",
                )
                .unwrap();
            stmt.query_map([&id], |r| r.get(0))
                .unwrap()
                .map(std::result::Result::unwrap)
                .collect()
        };
        assert_eq!(fields, ["subject"]);
        let a = activities::get(store.conn(), &id).unwrap().activity;
        assert_eq!(
            (a.subject.as_str(), a.kind, a.due_at),
            ("Call back about the quote", ActivityKind::Call, Some(due))
        );
        assert_eq!(undo.writes.len(), 1);
        let blank = Patch {
            subject: Some(" ".into()),
            ..Patch::default()
        };
        assert_eq!(
            edit(&mut store, &id, &blank).unwrap_err().to_string(),
            "an activity needs a subject"
        );
        assert!(edit(&mut store, &id, &Patch::default()).is_err());
    }

    /// Issue #18: a follow-up in the past is refused on every path that schedules one,
    /// and nothing is written; what happened is logged as done instead.
    #[test]
    fn a_follow_up_in_the_past_is_refused_unless_logged_as_done() {
        let mut store = memory_store();
        let deal = add_deal(&mut store, "ACME renewal", "ACME").deal_id;
        let now = store.now_millis();
        let refusal = "a follow-up cannot be due in the past; give a time to come, or log \
                       what happened as done";
        let new = |due_at: Option<i64>, done_at: Option<i64>| NewActivity {
            kind: ActivityKind::Call,
            subject: "Call back".into(),
            body: None,
            about: Subject::Deal(deal.clone()),
            contact_id: None,
            due_at,
            done_at,
            outcome: None,
        };
        let count = |store: &Store| -> i64 {
            store
                .conn()
                .query_row("SELECT count(*) FROM activities", [], |r| r.get(0))
                .unwrap()
        };
        let before = count(&store);
        let err = add(&mut store, &new(Some(now - 3_600_000), None)).unwrap_err();
        assert_eq!(err.to_string(), refusal);
        assert_eq!(count(&store), before);
        // Logged as done an hour ago: fine.
        add(&mut store, &new(None, Some(now - 3_600_000))).unwrap();
        // Earlier in the current minute still counts as now; the next hour is to come.
        let minute = now - now.rem_euclid(60_000);
        add(&mut store, &new(Some(minute), None)).unwrap();
        let (id, _) = add(&mut store, &new(Some(now + 3_600_000), None)).unwrap();
        assert_eq!(count(&store), before + 3);

        // Snoozing or editing into the past: refused, the due time unchanged.
        let due = |store: &Store| activities::get(store.conn(), &id).unwrap().activity.due_at;
        let err = reschedule(&mut store, &id, minute - 1).unwrap_err();
        assert_eq!(err.to_string(), refusal);
        let back = Patch {
            due_at: Some(Some(now - 86_400_000)),
            ..Patch::default()
        };
        assert_eq!(
            edit(&mut store, &id, &back).unwrap_err().to_string(),
            refusal
        );
        assert_eq!(due(&store), Some(now + 3_600_000));
        reschedule(&mut store, &id, now + 7_200_000).unwrap();
        assert_eq!(due(&store), Some(now + 7_200_000));
    }
}
