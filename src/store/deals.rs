//! Deals: row mapping and reads for lists and the board (a window of one column at a
//! time), and the fields of a new deal. Adding, editing and moving deals are use cases
//! ([`crate::usecase::deals`]), which plan their writes from what is read here.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::reference::{self, Scope};
use super::{Result, StoreError};
use crate::domain::deal::{Deal, DealStatus};
use crate::domain::money::{Currency, Money};
use crate::domain::stage::Stage;
use crate::domain::time::Millis;

const COLUMNS: &str = "d.id, d.title, d.customer_id, d.contact_id, d.stage_id, d.status, \
    d.amount_minor, d.currency, d.expected_close, d.source, d.owner_id, d.lost_reason, \
    d.closed_at, d.position, d.notes, d.created_at, d.updated_at";

fn conversion_error(i: usize, e: impl std::fmt::Display) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.to_string().into())
}

pub fn from_row(r: &Row<'_>) -> rusqlite::Result<Deal> {
    let status: String = r.get(5)?;
    let currency: String = r.get(7)?;
    let close: Option<String> = r.get(8)?;
    Ok(Deal {
        id: r.get(0)?,
        title: r.get(1)?,
        customer_id: r.get(2)?,
        contact_id: r.get(3)?,
        stage_id: r.get(4)?,
        status: status.parse().map_err(|e| conversion_error(5, e))?,
        amount: Money::new(
            r.get(6)?,
            // As stored: a code from before currencies were checked still reads.
            Currency::stored(&currency).map_err(|e| conversion_error(7, e))?,
        ),
        expected_close: close
            .map(|c| NaiveDate::parse_from_str(&c, "%Y-%m-%d"))
            .transpose()
            .map_err(|e| conversion_error(8, e))?,
        source: r.get(9)?,
        owner_id: r.get(10)?,
        lost_reason: r.get(11)?,
        closed_at: r.get(12)?,
        position: r.get(13)?,
        notes: r.get(14)?,
        created_at: r.get(15)?,
        updated_at: r.get(16)?,
    })
}

/// A deal with what lists and cards show beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct DealRow {
    pub deal: Deal,
    pub customer_name: String,
    pub stage_name: String,
    /// The pipeline of its stage.
    pub pipeline_id: String,
    pub pipeline_name: String,
    pub probability: i64,
    pub rot_days: i64,
    pub owner_name: Option<String>,
    /// Earliest open reminder on the deal.
    pub next_follow_up: Option<i64>,
    /// Latest done activity on the deal.
    pub last_activity: Option<i64>,
}

impl DealRow {
    /// When something last happened on the deal: its last activity or its last change.
    pub fn last_touch(&self) -> i64 {
        self.last_activity
            .unwrap_or(self.deal.updated_at)
            .max(self.deal.updated_at)
    }

    pub fn is_rotting(&self, now: i64) -> bool {
        crate::domain::deal::is_rotting(self.deal.status, self.last_touch(), self.rot_days, now)
    }
}

/// A deal with what its card and lists show of its customer, stage, pipeline, owner and
/// reminders. The deals are always the outer loop (`CROSS JOIN` keeps SQLite's order):
/// every query over them reads them from an index in the order it shows them, and
/// stops at its `LIMIT`. Left free, SQLite put the two-row pipelines table outside for
/// a Won column of one pipeline, so it read all 25k won deals of the 100k demo book
/// with their reminders and sorted them to show twelve (0.4 s; 0.4 ms this way).
const ROW_SQL: &str = "SELECT {COLUMNS}, c.name, s.name, s.probability, s.rot_days, m.name,
        (SELECT min(a.due_at) FROM activities a
          WHERE a.deal_id = d.id AND a.done_at IS NULL AND a.due_at IS NOT NULL
            AND a.deleted_at IS NULL),
        (SELECT max(a.done_at) FROM activities a
          WHERE a.deal_id = d.id AND a.done_at IS NOT NULL AND a.deleted_at IS NULL),
        s.pipeline_id, p.name
    FROM {DEALS}
    CROSS JOIN customers c ON c.id = d.customer_id
    CROSS JOIN stages s ON s.id = d.stage_id
    CROSS JOIN pipelines p ON p.id = s.pipeline_id
    LEFT JOIN members m ON m.id = d.owner_id";

fn row_sql() -> String {
    ROW_SQL
        .replace("{COLUMNS}", COLUMNS)
        .replace("{DEALS}", "deals d")
}

/// The deals that `window` selects (a query of their ids, in a board column's order and
/// with its `LIMIT` and `OFFSET`), as rows, in `order`. The window is found in a board
/// index first and only its cards are read with their customer, stage and reminders:
/// skipping the cards above it through whole rows cost 40 ms at the bottom of a
/// 20k-card column (2 ms this way). The window drives the join, so SQLite cannot choose
/// to scan the deals instead.
fn window_sql(window: &str, order: &str) -> String {
    ROW_SQL.replace("{COLUMNS}", COLUMNS).replace(
        "{DEALS}",
        &format!("({window}) w CROSS JOIN deals d ON d.id = w.id"),
    ) + &format!(" ORDER BY {order}")
}

fn deal_row(r: &Row<'_>) -> rusqlite::Result<DealRow> {
    Ok(DealRow {
        deal: from_row(r)?,
        customer_name: r.get(17)?,
        stage_name: r.get(18)?,
        probability: r.get(19)?,
        rot_days: r.get(20)?,
        owner_name: r.get(21)?,
        next_follow_up: r.get(22)?,
        last_activity: r.get(23)?,
        pipeline_id: r.get(24)?,
        pipeline_name: r.get(25)?,
    })
}

/// Which deals a list shows.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub stage_id: Option<String>,
    /// Only deals whose stage is in this pipeline.
    pub pipeline_id: Option<String>,
    pub status: Option<DealStatus>,
    pub customer_id: Option<String>,
    pub owner_id: Option<String>,
    pub limit: Option<i64>,
    /// Only deals whose custom fields hold these values.
    pub fields: Vec<super::fields::FieldMatch>,
}

/// Live deals of live customers (a deleted customer's deals are hidden with it).
pub fn list(conn: &Connection, filter: &Filter) -> Result<Vec<DealRow>> {
    // `?3 IS NULL OR d.customer_id = ?3` cannot use the `deals_customer` index, so one
    // customer's deals cost a scan of every deal (and `customer list --json`, which asks per
    // customer, grew with the square of the book): a customer gets a statement of its own.
    let customer = if filter.customer_id.is_some() {
        "d.customer_id = ?3"
    } else {
        "?3 IS NULL"
    };
    let mut params: Vec<Value> = vec![
        filter.stage_id.clone().into(),
        filter.status.map(|s| s.as_str().to_string()).into(),
        filter.customer_id.clone().into(),
        filter.owner_id.clone().into(),
        filter.limit.unwrap_or(-1).into(),
        filter.pipeline_id.clone().into(),
    ];
    let fields = super::fields::match_sql("d.id", &filter.fields, &mut params);
    let sql = format!(
        "{} WHERE d.deleted_at IS NULL AND c.deleted_at IS NULL
           AND (?1 IS NULL OR d.stage_id = ?1)
           AND (?2 IS NULL OR d.status = ?2)
           AND {customer}
           AND (?4 IS NULL OR d.owner_id = ?4)
           AND (?6 IS NULL OR s.pipeline_id = ?6){fields}
         ORDER BY d.status = 'open' DESC, p.position, s.position, d.position, d.id LIMIT ?5",
        row_sql()
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(params), deal_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every deal [`list`] shows, grouped by customer, each customer's in [`list`]'s order:
/// for a command that shows every customer with its deals. The deals are read in table
/// order and each customer's few sorted here: sorting all of them in SQL spilled to a
/// temporary file at 100k deals.
pub fn by_customer(conn: &Connection) -> Result<HashMap<String, Vec<DealRow>>> {
    let mut positions = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT s.id, p.position, s.position FROM stages s JOIN pipelines p ON p.id = s.pipeline_id",
    )?;
    for row in stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            (r.get::<_, i64>(1)?, r.get::<_, i64>(2)?),
        ))
    })? {
        let (stage, position) = row?;
        positions.insert(stage, position);
    }
    let sql = format!(
        "{} WHERE d.deleted_at IS NULL AND c.deleted_at IS NULL",
        row_sql()
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut grouped: HashMap<String, Vec<DealRow>> = HashMap::new();
    for row in stmt.query_map([], deal_row)? {
        let row = row?;
        grouped
            .entry(row.deal.customer_id.clone())
            .or_default()
            .push(row);
    }
    // `list`'s ORDER BY: open deals first, then pipeline, stage, card position and id.
    let key = |r: &DealRow| {
        (
            r.deal.status != DealStatus::Open,
            positions.get(&r.deal.stage_id).copied(),
        )
    };
    for deals in grouped.values_mut() {
        deals.sort_by(|a, b| {
            key(a)
                .cmp(&key(b))
                .then(
                    a.deal
                        .position
                        .partial_cmp(&b.deal.position)
                        .unwrap_or(std::cmp::Ordering::Equal),
                )
                .then_with(|| a.deal.id.cmp(&b.deal.id))
        });
    }
    Ok(grouped)
}

/// One window of a board column: open deals in `stage_id`, in card order.
pub fn column_window(
    conn: &Connection,
    stage_id: &str,
    owner_id: Option<&str>,
    offset: usize,
    limit: usize,
) -> Result<Vec<DealRow>> {
    let sql = window_sql(
        "SELECT id FROM deals
          WHERE stage_id = ?1 AND status = 'open' AND deleted_at IS NULL
            AND (?2 IS NULL OR owner_id = ?2)
          ORDER BY position, id LIMIT ?3 OFFSET ?4",
        "d.position, d.id",
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(
        params![stage_id, owner_id, limit as i64, offset as i64],
        deal_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A board column's header figures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ColumnTotals {
    pub count: usize,
    /// Per currency, largest total first (then by code).
    pub by_currency: Vec<CurrencyTotal>,
}

/// One currency's deals in a column: they are never added to other currencies'.
#[derive(Debug, Clone, PartialEq)]
pub struct CurrencyTotal {
    pub currency: String,
    pub deals: usize,
    /// 128-bit: a sum of amounts never wraps (see [`super::split_sum`]).
    pub total: i128,
    /// `total` weighted by the stage's probability.
    pub weighted: i128,
}

impl ColumnTotals {
    /// Counts one more deal (`leaving` false) or one fewer, in a stage of `probability`:
    /// what counting the column again would give, without reading it. For a deal moved
    /// from one column to another.
    pub fn shift(&mut self, currency: &str, amount: i64, probability: i64, leaving: bool) {
        let amount = i128::from(amount);
        let (deals, sum) = if leaving { (-1, -amount) } else { (1, amount) };
        self.count = self.count.saturating_add_signed(deals);
        let i = match self.by_currency.iter().position(|t| t.currency == currency) {
            Some(i) => i,
            None => {
                self.by_currency.push(CurrencyTotal {
                    currency: currency.to_string(),
                    deals: 0,
                    total: 0,
                    weighted: 0,
                });
                self.by_currency.len() - 1
            }
        };
        let entry = &mut self.by_currency[i];
        entry.deals = entry.deals.saturating_add_signed(deals);
        entry.total += sum;
        entry.weighted = crate::domain::deal::weighted_total(entry.total, probability);
        if entry.deals == 0 {
            self.by_currency.remove(i);
        }
        self.sort();
    }

    /// The largest total first, then by currency code.
    fn sort(&mut self) {
        self.by_currency.sort_by(|a, b| {
            b.total
                .cmp(&a.total)
                .then_with(|| a.currency.cmp(&b.currency))
        });
    }
}

pub fn column_totals(
    conn: &Connection,
    stage: &Stage,
    owner_id: Option<&str>,
) -> Result<ColumnTotals> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT currency, count(*), {} FROM deals
          WHERE stage_id = ?1 AND status = 'open' AND deleted_at IS NULL
            AND (?2 IS NULL OR owner_id = ?2)
          GROUP BY currency",
        super::split_sum("amount_minor")
    ))?;
    let mut totals = ColumnTotals::default();
    let rows = stmt.query_map(params![stage.id, owner_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            super::wide_sum(r.get(2)?, r.get(3)?),
        ))
    })?;
    for row in rows {
        let (currency, count, total) = row?;
        let deals = usize::try_from(count).unwrap_or_default();
        totals.count += deals;
        totals.by_currency.push(CurrencyTotal {
            currency,
            deals,
            total,
            weighted: crate::domain::deal::weighted_total(total, stage.probability),
        });
    }
    totals.sort();
    Ok(totals)
}

/// One window of the Won or Lost column: deals of `status`, the newest close first (by
/// the `(status, closed_at)` index, so a window costs the same at any size).
pub fn closed_window(
    conn: &Connection,
    status: DealStatus,
    owner_id: Option<&str>,
    pipeline_id: Option<&str>,
    offset: usize,
    limit: usize,
) -> Result<Vec<DealRow>> {
    let mut stmt = conn.prepare_cached(&closed_window_sql())?;
    let rows = stmt.query_map(
        params![
            status.as_str(),
            owner_id,
            limit as i64,
            offset as i64,
            pipeline_id
        ],
        deal_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The query of [`closed_window`]; parameters ?1–?5 as bound there.
fn closed_window_sql() -> String {
    window_sql(
        "SELECT id FROM deals INDEXED BY deals_report_closed
          WHERE status IN ('won', 'lost') AND status = ?1 AND deleted_at IS NULL
            AND (?2 IS NULL OR owner_id = ?2)
            AND (?5 IS NULL OR stage_id IN (SELECT id FROM stages WHERE pipeline_id = ?5))
          ORDER BY closed_at DESC, id DESC LIMIT ?3 OFFSET ?4",
        "d.closed_at DESC, d.id DESC",
    )
}

/// The Won or Lost column's header figures, counted like a stage's (see
/// [`column_totals`]): a won deal counts in full in the weighted total, a lost one not at
/// all. A closed deal belongs to the pipeline of the stage it closed in (deleted since, or
/// not); `pipeline_id` keeps one pipeline's.
pub fn closed_totals(
    conn: &Connection,
    status: DealStatus,
    owner_id: Option<&str>,
    pipeline_id: Option<&str>,
) -> Result<ColumnTotals> {
    // From the closed deals' covering index (migration 012), never their rows;
    // `status IN ('won', 'lost')` is its condition, which SQLite must see implied.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT currency, count(*), {} FROM deals INDEXED BY deals_report_closed
          WHERE status IN ('won', 'lost') AND status = ?1 AND deleted_at IS NULL
            AND (?2 IS NULL OR owner_id = ?2)
            AND (?3 IS NULL OR stage_id IN (SELECT id FROM stages WHERE pipeline_id = ?3))
          GROUP BY currency",
        super::split_sum("amount_minor")
    ))?;
    let mut totals = ColumnTotals::default();
    let rows = stmt.query_map(params![status.as_str(), owner_id, pipeline_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            super::wide_sum(r.get(2)?, r.get(3)?),
        ))
    })?;
    for row in rows {
        let (currency, count, total) = row?;
        let deals = usize::try_from(count).unwrap_or_default();
        totals.count += deals;
        totals.by_currency.push(CurrencyTotal {
            currency,
            deals,
            total,
            weighted: if status == DealStatus::Won { total } else { 0 },
        });
    }
    totals.sort();
    Ok(totals)
}

/// The position (0-based) of a closed deal within the Won or Lost column.
pub fn index_in_closed(
    conn: &Connection,
    deal: &Deal,
    owner_id: Option<&str>,
    pipeline_id: Option<&str>,
) -> Result<usize> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM deals INDEXED BY deals_report_closed
          WHERE status IN ('won', 'lost') AND status = ?1 AND deleted_at IS NULL
            AND (?2 IS NULL OR owner_id = ?2)
            AND (closed_at > ?3 OR (closed_at = ?3 AND id > ?4))
            AND (?5 IS NULL OR stage_id IN (SELECT id FROM stages WHERE pipeline_id = ?5))",
        params![
            deal.status.as_str(),
            owner_id,
            deal.closed_at,
            deal.id,
            pipeline_id
        ],
        |r| r.get(0),
    )?;
    Ok(usize::try_from(n).unwrap_or_default())
}

/// The position (0-based) of an open deal within its board column.
pub fn index_in_column(conn: &Connection, deal: &Deal, owner_id: Option<&str>) -> Result<usize> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM deals
          WHERE stage_id = ?1 AND status = 'open' AND deleted_at IS NULL
            AND (?2 IS NULL OR owner_id = ?2)
            AND (position < ?3 OR (position = ?3 AND id < ?4))",
        params![deal.stage_id, owner_id, deal.position, deal.id],
        |r| r.get(0),
    )?;
    Ok(n as usize)
}

/// A live deal. A deleted one is not found: it must not stay editable in a view opened
/// before another process deleted it.
pub fn get(conn: &Connection, id: &str) -> Result<Deal> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM deals d WHERE d.id = ?1 AND d.deleted_at IS NULL"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound {
        what: "deal".into(),
        reference: id.to_string(),
    })
}

/// A deleted deal, for bringing it back.
pub fn get_deleted(conn: &Connection, id: &str) -> Result<Deal> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM deals d WHERE d.id = ?1 AND d.deleted_at IS NOT NULL"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound {
        what: "deleted deal".into(),
        reference: id.to_string(),
    })
}

/// How many open deals a live customer has.
pub fn open_count_for_customer(conn: &Connection, customer_id: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM deals WHERE customer_id = ?1 AND status = 'open' AND deleted_at IS NULL",
        [customer_id],
        |r| r.get(0),
    )?)
}

/// A live deal with what lists show beside it.
pub fn row(conn: &Connection, id: &str) -> Result<DealRow> {
    conn.prepare_cached(&format!(
        "{} WHERE d.id = ?1 AND d.deleted_at IS NULL",
        row_sql()
    ))?
    .query_row([id], deal_row)
    .optional()?
    .ok_or_else(|| StoreError::NotFound {
        what: "deal".into(),
        reference: id.to_string(),
    })
}

/// The status and the stage's name of each live deal of `ids`: what search hits show
/// of their deals, read for up to 50 hits per key typed in one query (each hit's whole
/// row, with its reminders and last activity, cost 3 ms of a key at 100k deals).
pub fn states(conn: &Connection, ids: &[&str]) -> Result<HashMap<String, (DealStatus, String)>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let marks = vec!["?"; ids.len()].join(", ");
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT d.id, d.status, s.name FROM deals d JOIN stages s ON s.id = d.stage_id
          WHERE d.id IN ({marks}) AND d.deleted_at IS NULL"
    ))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(ids), |r| {
        let status: String = r.get(1)?;
        Ok((
            r.get(0)?,
            (
                status.parse().map_err(|e| conversion_error(1, e))?,
                r.get(2)?,
            ),
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Open deals with no open reminder, the longest untouched first, at most `limit`:
/// deals whose next step nobody has planned (the Agenda's "No next step").
pub fn without_next_step(
    conn: &Connection,
    owner_id: Option<&str>,
    limit: usize,
) -> Result<Vec<DealRow>> {
    // The deals' index is named: even with statistics (PRAGMA optimize) SQLite would
    // rather seek on status and sort every open deal than read them in order and stop
    // after `limit` (measured at 100k deals: 0.09 ms named, 85 ms not). It finds the
    // reminders' index on its own.
    let mut stmt = conn.prepare_cached(&format!(
        "{} WHERE d.id IN (
             SELECT q.id FROM deals q INDEXED BY deals_open_untouched
              WHERE q.status = 'open' AND q.deleted_at IS NULL
                AND (?1 IS NULL OR q.owner_id = ?1)
                AND NOT EXISTS (SELECT 1 FROM activities a
                                 WHERE a.deal_id = q.id AND a.done_at IS NULL
                                   AND a.due_at IS NOT NULL AND a.deleted_at IS NULL)
              ORDER BY q.updated_at, q.id LIMIT ?2)
         ORDER BY d.updated_at, d.id",
        row_sql()
    ))?;
    let rows = stmt.query_map(params![owner_id, limit as i64], deal_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn resolve(conn: &Connection, reference: &str) -> Result<String> {
    reference::resolve(conn, reference::DEAL, reference, Scope::Live)
}

/// A stage or status change as history shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryRow {
    pub from_stage: Option<String>,
    pub to_stage: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub at: i64,
    pub by: Option<String>,
}

impl HistoryRow {
    /// What the change did, in words: `created in Lead`, `Lead → Qualified`, `won in
    /// Proposal`, `reopened in Lead (was in Proposal)` (the deal detail and `deal show`).
    pub fn describe(&self) -> String {
        use crate::t;
        let to = self.to_stage.as_str();
        match (self.from_stage.as_deref(), self.to_status.as_str()) {
            (None, _) => t!("history-created", stage = to),
            (Some(from), "won") => t!("history-won", stage = from),
            (Some(from), "lost") => t!("history-lost", stage = from),
            (Some(from), _) if self.from_status.as_deref().is_some_and(|s| s != "open") => {
                t!("history-reopened", stage = to, was = from)
            }
            (Some(from), _) => t!("history-moved", from = from, to = to),
        }
    }
}

/// A deal's stage history, oldest first.
pub fn history(conn: &Connection, deal_id: &str) -> Result<Vec<HistoryRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT fs.name, coalesce(ts.name, h.to_stage_id), h.from_status, h.to_status, h.at, m.name
           FROM stage_changes h
           LEFT JOIN stages fs ON fs.id = h.from_stage_id
           LEFT JOIN stages ts ON ts.id = h.to_stage_id
           LEFT JOIN members m ON m.id = h.by
          WHERE h.deal_id = ?1 AND h.deleted_at IS NULL
          ORDER BY h.at, h.id",
    )?;
    let rows = stmt.query_map([deal_id], |r| {
        Ok(HistoryRow {
            from_stage: r.get(0)?,
            to_stage: r.get(1)?,
            from_status: r.get(2)?,
            to_status: r.get(3)?,
            at: r.get(4)?,
            by: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One step of a deal's stage history, as an export reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step<'a> {
    pub deal_id: &'a str,
    pub at: Millis,
    pub status: &'a str,
    /// The stage's name, and its pipeline's id.
    pub stage: &'a str,
    pub pipeline_id: &'a str,
    /// The pipeline the deal is in now.
    pub deal_pipeline_id: &'a str,
}

/// Hands every deal's stage history to `each`, deal by deal, oldest step first (changes
/// in one millisecond in the order they were written), for an export; nothing is held.
/// Steps into a deleted stage are left out: a book the export goes to has no such stage.
pub fn each_history_step(
    conn: &Connection,
    mut each: impl FnMut(Step<'_>) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT h.deal_id, h.at, h.to_status, s.name, s.pipeline_id, ds.pipeline_id
           FROM stage_changes h
           JOIN stages s ON s.id = h.to_stage_id
           JOIN deals d ON d.id = h.deal_id
           JOIN stages ds ON ds.id = d.stage_id
          WHERE h.deleted_at IS NULL AND s.deleted_at IS NULL
          ORDER BY h.deal_id, h.at, h.rowid",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let text = |i: usize| -> Result<&str> {
            Ok(r.get_ref(i)?.as_str().map_err(rusqlite::Error::from)?)
        };
        each(Step {
            deal_id: text(0)?,
            at: r.get(1)?,
            status: text(2)?,
            stage: text(3)?,
            pipeline_id: text(4)?,
            deal_pipeline_id: text(5)?,
        })?;
    }
    Ok(())
}

/// A new deal's fields, already validated by the caller's parsing.
#[derive(Debug, Clone)]
pub struct NewDeal {
    pub title: String,
    /// The customer: an existing one's id, or a name (a new name creates a prospect).
    pub customer: CustomerRef,
    pub stage_id: String,
    pub amount: Money,
    pub expected_close: Option<NaiveDate>,
    pub source: Option<String>,
    pub notes: Option<String>,
    pub owner_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomerRef {
    Id(String),
    /// Resolve by name; create a prospect of that name when there is none.
    Name(String),
}

#[cfg(test)]
mod plan_tests {
    use super::*;

    #[test]
    fn a_closed_column_of_one_pipeline_reads_its_deals_in_column_order() {
        // With statistics of a book that has closed deals, as `PRAGMA optimize` leaves
        // them: without any, SQLite happens to choose well.
        let mut store = crate::store::test_support::memory_store();
        crate::demo::generate(&mut store, None).unwrap();
        store.conn().execute_batch("ANALYZE").unwrap();
        let plan = crate::store::test_support::query_plan(
            store.conn(),
            &closed_window_sql(),
            params!["won", None::<&str>, 12, 0, "pipeline-sales"],
        );
        // The window from the index in column order, then its deals by id (what is
        // sorted after is the window's dozen), never a pass over the deals.
        assert!(
            plan.iter().any(|p| p
                .starts_with("SEARCH deals USING COVERING INDEX deals_report_closed (status=?)")),
            "{plan:?}"
        );
        assert!(
            plan.iter()
                .any(|p| p.starts_with("SEARCH d USING INDEX sqlite_autoindex_deals")),
            "{plan:?}"
        );
        assert!(!plan.iter().any(|p| p.starts_with("SCAN d")), "{plan:?}");
    }
}
