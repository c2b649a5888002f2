//! Activities and reminders: row mapping and reads. A reminder is an activity with a due
//! time and no done time; its deal's next follow-up and the status bar are read from
//! here. An activity with neither is a record kept in a timeline (why a customer
//! churned), which is not a contact: "last contact" counts done activities only. The
//! writes are use cases ([`crate::usecase::activities`]).

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::reference::{self, Scope};
use super::{Result, StoreError};
use crate::domain::activity::{Activity, ActivityKind};

const COLUMNS: &str = "a.id, a.kind, a.subject, a.body, a.deal_id, a.customer_id, a.contact_id, \
    a.due_at, a.done_at, a.outcome, a.owner_id, a.created_at";

pub fn from_row(r: &Row<'_>) -> rusqlite::Result<Activity> {
    let kind: String = r.get(1)?;
    Ok(Activity {
        id: r.get(0)?,
        kind: kind.parse().map_err(|e: String| {
            rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, e.into())
        })?,
        subject: r.get(2)?,
        body: r.get(3)?,
        deal_id: r.get(4)?,
        customer_id: r.get(5)?,
        contact_id: r.get(6)?,
        due_at: r.get(7)?,
        done_at: r.get(8)?,
        outcome: r.get(9)?,
        owner_id: r.get(10)?,
        created_at: r.get(11)?,
    })
}

/// An activity with the names of what it is about.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityRow {
    pub activity: Activity,
    pub deal_title: Option<String>,
    pub customer_name: Option<String>,
    pub contact_name: Option<String>,
}

impl ActivityRow {
    /// "ACME renewal" or the customer's name: what the activity is about.
    pub fn about(&self) -> String {
        match (&self.deal_title, &self.customer_name) {
            (Some(d), _) => d.clone(),
            (None, Some(c)) => c.clone(),
            (None, None) => String::new(),
        }
    }
}

/// Deal activities also belong to the deal's customer, so joins go through the deal
/// when the activity names no customer itself.
const ROW_SQL: &str = "SELECT {COLUMNS}, d.title, coalesce(c.name, dc.name), ct.name
    FROM activities a
    LEFT JOIN deals d ON d.id = a.deal_id
    LEFT JOIN customers c ON c.id = a.customer_id
    LEFT JOIN customers dc ON dc.id = d.customer_id
    LEFT JOIN contacts ct ON ct.id = a.contact_id";

fn row_sql() -> String {
    ROW_SQL.replace("{COLUMNS}", COLUMNS)
}

fn activity_row(r: &Row<'_>) -> rusqlite::Result<ActivityRow> {
    Ok(ActivityRow {
        activity: from_row(r)?,
        deal_title: r.get(12)?,
        customer_name: r.get(13)?,
        contact_name: r.get(14)?,
    })
}

fn collect(
    conn: &Connection,
    where_order: &str,
    args: impl rusqlite::Params,
) -> Result<Vec<ActivityRow>> {
    let sql = format!("{} {where_order}", row_sql());
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(args, activity_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A live activity.
pub fn get(conn: &Connection, id: &str) -> Result<ActivityRow> {
    collect(conn, "WHERE a.id = ?1 AND a.deleted_at IS NULL", [id])?
        .pop()
        .ok_or_else(|| StoreError::NotFound {
            what: "activity".into(),
            reference: id.to_string(),
        })
}

pub fn resolve(conn: &Connection, reference: &str) -> Result<String> {
    reference::resolve(conn, reference::ACTIVITY, reference, Scope::Live)
}

/// Open reminders due in `[from, until)` (unbounded where `None`), earliest first (at
/// the same time, first written first: the order of the `activities_open_due` index, so
/// that the first `limit` come without sorting them all), at most `limit`. Deals that are
/// lost or deleted, and deleted customers, do not remind.
pub fn open_reminders(
    conn: &Connection,
    from: Option<i64>,
    until: Option<i64>,
    owner_id: Option<&str>,
    limit: Option<i64>,
) -> Result<Vec<ActivityRow>> {
    collect(
        conn,
        "WHERE a.done_at IS NULL AND a.due_at IS NOT NULL AND a.deleted_at IS NULL
           AND (?1 IS NULL OR a.due_at >= ?1)
           AND (?2 IS NULL OR a.due_at < ?2)
           AND (?3 IS NULL OR a.owner_id = ?3)
           AND (d.id IS NULL OR (d.deleted_at IS NULL AND d.status != 'lost'))
           AND coalesce(c.deleted_at, dc.deleted_at) IS NULL
         ORDER BY a.due_at, a.rowid LIMIT ?4",
        params![from, until, owner_id, limit.unwrap_or(-1)],
    )
}

/// Activities of a deal, newest first (its progress log).
pub fn for_deal(conn: &Connection, deal_id: &str) -> Result<Vec<ActivityRow>> {
    collect(
        conn,
        "WHERE a.deal_id = ?1 AND a.deleted_at IS NULL
         ORDER BY coalesce(a.done_at, a.due_at, a.created_at) DESC, a.id DESC",
        [deal_id],
    )
}

/// Activities with a customer, directly or through one of its deals, newest first.
pub fn for_customer(conn: &Connection, customer_id: &str, limit: i64) -> Result<Vec<ActivityRow>> {
    collect(
        conn,
        &format!(
            "WHERE {} AND a.deleted_at IS NULL
         ORDER BY coalesce(a.done_at, a.due_at, a.created_at) DESC, a.id DESC LIMIT ?2",
            of_customer("?1")
        ),
        params![customer_id, limit],
    )
}

/// Which activities `activity list` shows.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub deal_id: Option<String>,
    pub customer_id: Option<String>,
    /// Only open reminders.
    pub open_only: bool,
    pub limit: Option<i64>,
}

/// The activities of the customer bound as `param`: its own and its deals'. Written so
/// that both halves are index look-ups (`activities_customer`, and `activities_deal` for
/// each of `deals_customer`'s deals). Through the joined deal (`d.customer_id = ?`)
/// SQLite read every activity and its deal: 0.1 s for one customer's profile in the 100k
/// demo book, against 0.3 ms this way.
pub(super) fn of_customer(param: &str) -> String {
    format!(
        "(a.customer_id = {param}
          OR a.deal_id IN (SELECT id FROM deals WHERE customer_id = {param}))"
    )
}

/// Live activities; those of a deleted deal or customer are hidden with it.
pub fn list(conn: &Connection, f: &Filter) -> Result<Vec<ActivityRow>> {
    collect(
        conn,
        &list_where(f),
        params![f.deal_id, f.customer_id, f.open_only, f.limit.unwrap_or(-1)],
    )
}

/// The `WHERE … ORDER BY … LIMIT` of [`list`] for `f` (parameters ?1 deal, ?2 customer,
/// ?3 open only, ?4 limit). Unfiltered, the newest are read from `activities_newest` in
/// that order (migration 016), not all sorted to show 200.
pub(super) fn list_where(f: &Filter) -> String {
    // `?1 IS NULL OR …` cannot use an index: a deal's or a customer's activities get a
    // statement of their own (as in `deals::list`), not a pass over every activity.
    let deal = if f.deal_id.is_some() {
        "a.deal_id = ?1"
    } else {
        "?1 IS NULL"
    };
    let customer = if f.customer_id.is_some() {
        of_customer("?2")
    } else {
        "?2 IS NULL".to_string()
    };
    format!(
        "WHERE a.deleted_at IS NULL
           AND (d.id IS NULL OR d.deleted_at IS NULL)
           AND coalesce(c.deleted_at, dc.deleted_at) IS NULL
           AND {deal}
           AND {customer}
           AND (NOT ?3 OR (a.done_at IS NULL AND a.due_at IS NOT NULL))
         ORDER BY coalesce(a.done_at, a.due_at, a.created_at) DESC, a.id DESC LIMIT ?4"
    )
}

/// The query of [`list`], for a test of its plan.
#[cfg(test)]
pub(super) fn list_sql(f: &Filter) -> String {
    format!("{} {}", row_sql(), list_where(f))
}

/// What an activity is about: a deal (and so its customer) or a customer alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Deal(String),
    Customer(String),
}

/// A new activity: logged (done now) or scheduled (a reminder).
#[derive(Debug, Clone)]
pub struct NewActivity {
    pub kind: ActivityKind,
    pub subject: String,
    pub body: Option<String>,
    pub about: Subject,
    pub contact_id: Option<String>,
    /// A reminder's due time; `None` logs the activity as done.
    pub due_at: Option<i64>,
    /// When a logged activity happened (a call made yesterday); `None`: now.
    pub done_at: Option<i64>,
    pub outcome: Option<String>,
}

/// The ids of a deal's activities (deleted ones too) filed under another customer than
/// `customer_id`: those to move along when the deal is given to that customer.
pub fn of_deal_elsewhere(
    conn: &Connection,
    deal_id: &str,
    customer_id: &str,
) -> Result<Vec<String>> {
    let mut stmt = conn
        .prepare_cached("SELECT id FROM activities WHERE deal_id = ?1 AND customer_id IS NOT ?2")?;
    let rows = stmt.query_map(params![deal_id, customer_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The ids of the open reminders about a deal (`Subject::Deal`), or about a customer
/// itself and none of its deals (`Subject::Customer`), that `owner` holds: those to hand
/// over when the record is given to another member.
pub fn open_reminders_held(
    conn: &Connection,
    about: &Subject,
    owner: Option<&str>,
) -> Result<Vec<String>> {
    let (sql, id) = match about {
        Subject::Deal(id) => ("deal_id = ?1", id),
        Subject::Customer(id) => ("customer_id = ?1 AND deal_id IS NULL", id),
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id FROM activities
          WHERE {sql} AND owner_id IS ?2
            AND done_at IS NULL AND due_at IS NOT NULL AND deleted_at IS NULL"
    ))?;
    let rows = stmt.query_map(params![id, owner], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Number of open reminders left on a deal.
pub fn open_count_for_deal(conn: &Connection, deal_id: &str) -> Result<i64> {
    Ok(conn
        .query_row(
            "SELECT count(*) FROM activities
              WHERE deal_id = ?1 AND done_at IS NULL AND due_at IS NOT NULL AND deleted_at IS NULL",
            [deal_id],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0))
}
