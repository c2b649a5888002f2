//! The figures behind the status bar: how many reminders are overdue, how many fall due
//! today, and which is next — counted in SQL so that a large book costs no more than a
//! small one.

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

const LIVE: &str = "a.done_at IS NULL AND a.due_at IS NOT NULL AND a.deleted_at IS NULL
    AND (?3 IS NULL OR a.owner_id = ?3)
    AND (a.deal_id IS NULL OR EXISTS (SELECT 1 FROM deals d WHERE d.id = a.deal_id
         AND d.deleted_at IS NULL AND d.status != 'lost'))";

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
              ORDER BY a.due_at, a.id LIMIT 1"
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
