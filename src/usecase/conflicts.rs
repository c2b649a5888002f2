//! Settling a sync conflict: keep the teammate's value, or restore mine.

use crate::store::conflicts::{self, Resolution};
use crate::store::mutation::Settle;
use crate::store::{Store, StoreError, Table, Undo, Write};

pub use crate::store::conflicts::{Conflict, Keep};

/// Settles a pending conflict in one transaction: keep the teammate's value (it is
/// already in place; only the log changes), or write mine back as a new local edit,
/// which carries a fresh clock and so wins the next merges. Returns the conflict as it
/// now stands, and the undo that puts it back to review and, when mine was restored, the
/// teammate's value back in place (again as a new edit).
pub fn resolve(store: &mut Store, id: i64, keep: Keep) -> Result<(Conflict, Undo), StoreError> {
    let c = conflicts::conflict(store.conn(), id)?;
    match c.resolution {
        None => {}
        Some(Resolution::Seen) => {
            return Err(StoreError::Invalid(crate::t!(
                "conflict-needs-no-decision",
                id = id
            )));
        }
        Some(done) => {
            return Err(StoreError::Invalid(match done {
                Resolution::Theirs => crate::t!("conflict-resolved-theirs", id = id),
                _ => crate::t!("conflict-resolved-mine", id = id),
            }));
        }
    }
    if c.refused.is_some() && keep == Keep::Mine {
        // The value is this database's already: the server would only refuse it again.
        return Err(StoreError::Invalid(crate::t!(
            "conflict-refused-is-mine",
            id = id
        )));
    }
    let settle = Settle { conflict: id, keep };
    let (label, writes) = match keep {
        Keep::Mine => {
            let table = Table::from_name(&c.table).ok_or_else(|| {
                StoreError::Internal(format!("conflict {id} names an unknown table {}", c.table))
            })?;
            let field = table
                .fields()
                .iter()
                .copied()
                .find(|f| *f == c.field)
                .ok_or_else(|| {
                    StoreError::Internal(format!(
                        "conflict {id} names an unknown field {}",
                        c.field
                    ))
                })?;
            let what = c.label.as_deref().unwrap_or(table.singular());
            (
                crate::t!(
                    "undo-restore-mine",
                    field = crate::i18n::noun(field),
                    what = what
                ),
                vec![Write::update(table, c.row_id.clone()).set(field, c.mine.clone())],
            )
        }
        Keep::Theirs => (
            crate::t!(
                "undo-keep-theirs",
                field = crate::i18n::noun(&c.field),
                what = c.label.as_deref().unwrap_or(&c.table)
            ),
            Vec::new(),
        ),
    };
    let undo = store.apply_and_settle(&label, writes, settle)?;
    Ok((conflicts::conflict(store.conn(), id)?, undo))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::deals;
    use crate::store::test_support::memory_store;
    use crate::usecase::tests::add_deal;

    /// A merge replaced my title "Mine" of the deal with a teammate's, which is what the
    /// deal holds now: the conflict as a merge logs it.
    fn conflict_on_title(store: &mut Store, deal: &str) -> i64 {
        let theirs = deals::get(store.conn(), deal).unwrap().title;
        store
            .conn()
            .execute(
                "INSERT INTO conflicts (tbl, row_id, field, mine_value, mine_hlc, theirs_value,
                         theirs_hlc, their_site, at)
                 VALUES ('deals', ?1, 'title', 'Mine', '0001795600000000-00000-aaaaaaaaaaaaaaaa',
                         ?2, '0001795600000001-00000-bbbbbbbbbbbbbbbb', 'bbbbbbbbbbbbbbbb', 0)",
                rusqlite::params![deal, theirs],
            )
            .unwrap();
        store.conn().last_insert_rowid()
    }

    fn title(store: &Store, deal: &str) -> String {
        deals::get(store.conn(), deal).unwrap().title
    }

    fn pending(store: &Store) -> i64 {
        conflicts::pending_conflicts(store.conn()).unwrap()
    }

    #[test]
    fn keeping_theirs_settles_it_and_undo_reopens_it() {
        let mut store = memory_store();
        let deal = add_deal(&mut store, "Theirs", "ACME").deal_id;
        let id = conflict_on_title(&mut store, &deal);
        let (c, undo) = resolve(&mut store, id, Keep::Theirs).unwrap();
        assert_eq!(c.resolution, Some(Resolution::Theirs));
        assert_eq!(title(&store, &deal), "Theirs");
        assert_eq!(pending(&store), 0);
        store.undo(&undo).unwrap();
        assert_eq!(pending(&store), 1);
        assert_eq!(title(&store, &deal), "Theirs");
    }

    #[test]
    fn restoring_mine_writes_it_in_the_same_change_and_undo_puts_theirs_back() {
        let mut store = memory_store();
        let deal = add_deal(&mut store, "Theirs", "ACME").deal_id;
        let id = conflict_on_title(&mut store, &deal);
        let (c, undo) = resolve(&mut store, id, Keep::Mine).unwrap();
        assert_eq!(c.resolution, Some(Resolution::Mine));
        assert_eq!(title(&store, &deal), "Mine");
        assert_eq!(pending(&store), 0);
        assert_eq!(undo.reopens, Some(id));
        store.undo(&undo).unwrap();
        assert_eq!(title(&store, &deal), "Theirs");
        assert_eq!(pending(&store), 1);
        // Decided again after the undo, as a review would.
        resolve(&mut store, id, Keep::Mine).unwrap();
        let again = resolve(&mut store, id, Keep::Theirs).unwrap_err();
        assert_eq!(
            again.to_string(),
            format!("conflict {id} was already resolved (kept mine)")
        );
    }

    #[test]
    fn a_failed_restore_marks_nothing() {
        let mut store = memory_store();
        let deal = add_deal(&mut store, "Theirs", "ACME").deal_id;
        let id = conflict_on_title(&mut store, &deal);
        // My value cannot be written back (a title must not be NULL): the write fails,
        // and the conflict stays to review.
        store
            .conn()
            .execute("UPDATE conflicts SET mine_value = NULL WHERE id = ?1", [id])
            .unwrap();
        assert!(resolve(&mut store, id, Keep::Mine).is_err());
        assert_eq!(pending(&store), 1);
        assert_eq!(title(&store, &deal), "Theirs");
    }

    #[test]
    fn a_conflict_settled_meanwhile_refuses_the_whole_change() {
        let mut store = memory_store();
        let deal = add_deal(&mut store, "Theirs", "ACME").deal_id;
        let id = conflict_on_title(&mut store, &deal);
        // Another process kept theirs between this one's read and its write.
        store
            .conn()
            .execute(
                "UPDATE conflicts SET resolved_at = 1, resolution = 'theirs' WHERE id = ?1",
                [id],
            )
            .unwrap();
        let err = store
            .apply_and_settle(
                "restore",
                vec![Write::update(Table::Deals, deal.clone()).set("title", "Mine".to_string())],
                Settle {
                    conflict: id,
                    keep: Keep::Mine,
                },
            )
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("conflict {id} is no longer waiting for a decision")
        );
        assert_eq!(title(&store, &deal), "Theirs");
    }
}
