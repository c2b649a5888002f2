//! The figures behind the status bar: how many reminders are overdue, how many fall due
//! today, and which is next — counted in SQL so that a large book costs no more than a
//! small one. The rules match `activities::open_reminders`, which `salesdesk remind` uses,
//! so the status bar and the CLI always agree.

use rusqlite::{Connection, params};

use super::Result;
use super::activities::{self, ActivityRow};

/// What the status bar shows about reminders.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub overdue: usize,
    pub today: usize,
    /// The next reminder not yet overdue (or, when every one is, none).
    pub next: Option<ActivityRow>,
}

/// A live reminder: scheduled and not done, not deleted, the owner's when one is given
/// (`?3`), not on a lost or deleted deal, not of a deleted customer.
///
/// The indexes are named because the cost is one probe of each per open reminder (13k
/// due by the end of the day in the 100k benchmark book): these partial indexes answer
/// from the index alone, where SQLite would pick the primary keys and read each row.
const LIVE: &str = "a.done_at IS NULL AND a.due_at IS NOT NULL AND a.deleted_at IS NULL
    AND (?3 IS NULL OR a.owner_id = ?3)
    AND (a.deal_id IS NULL OR EXISTS (SELECT 1 FROM deals d INDEXED BY deals_live_not_lost
         WHERE d.id = a.deal_id AND d.deleted_at IS NULL AND d.status != 'lost'))
    AND NOT EXISTS (SELECT 1 FROM customers c INDEXED BY customers_deleted
         WHERE c.id = a.customer_id AND c.deleted_at IS NOT NULL)";

/// Counts reminders due before `now` (overdue) and in `[now, today_end)` (today).
pub fn summary(
    conn: &Connection,
    now: i64,
    today_end: i64,
    owner_id: Option<&str>,
) -> Result<Summary> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT count(*) FILTER (WHERE a.due_at < ?1),
                count(*) FILTER (WHERE a.due_at >= ?1 AND a.due_at < ?2)
           FROM activities a WHERE a.due_at < ?2 AND {LIVE}"
    ))?;
    let (overdue, today): (i64, i64) = stmt.query_row(params![now, today_end, owner_id], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?;
    let next_id: Option<String> = {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT a.id FROM activities a WHERE a.due_at >= ?1 AND ?2 = ?2 AND {LIVE}
              ORDER BY a.due_at, a.rowid LIMIT 1"
        ))?;
        let mut rows = stmt.query(params![now, today_end, owner_id])?;
        match rows.next()? {
            Some(r) => Some(r.get(0)?),
            None => None,
        }
    };
    let next = next_id.map(|id| activities::get(conn, &id)).transpose()?;
    Ok(Summary {
        overdue: overdue as usize,
        today: today as usize,
        next,
    })
}

/// One Agenda section: open reminders due in `[from, until)`, earliest first, at most
/// `limit` of them, and how many there are in all (`counted`, when the caller has that
/// figure already: the status bar's [`Summary`] counts overdue and today's). The same
/// rows, in the same order, as `salesdesk remind` lists.
pub fn section(
    conn: &Connection,
    from: Option<i64>,
    until: i64,
    owner_id: Option<&str>,
    limit: usize,
    counted: Option<usize>,
) -> Result<(Vec<ActivityRow>, usize)> {
    let rows = activities::open_reminders(conn, from, Some(until), owner_id, Some(limit as i64))?;
    let total = if rows.len() < limit {
        rows.len()
    } else if let Some(n) = counted {
        n
    } else {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT count(*) FROM activities a
              WHERE (?1 IS NULL OR a.due_at >= ?1) AND a.due_at < ?2 AND {LIVE}"
        ))?;
        let n: i64 = stmt.query_row(params![from, until, owner_id], |r| r.get(0))?;
        n as usize
    };
    Ok((rows, total))
}
