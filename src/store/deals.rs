//! Deals: reads for lists and the board (a window of one column at a time), and the
//! writes for adding, editing and moving them through the pipeline.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::customers::{self, NewCustomer};
use super::reference::{self, Scope};
use super::{Result, Store, StoreError, Table, Undo, Write};
use crate::domain::customer::CustomerStatus;
use crate::domain::deal::{Deal, DealStatus, Transition, validate_title};
use crate::domain::ids::new_id;
use crate::domain::money::{Currency, Money};
use crate::domain::stage::Stage;

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
            currency
                .parse::<Currency>()
                .map_err(|e| conversion_error(7, e))?,
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

const ROW_SQL: &str = "SELECT {COLUMNS}, c.name, s.name, s.probability, s.rot_days, m.name,
        (SELECT min(a.due_at) FROM activities a
          WHERE a.deal_id = d.id AND a.done_at IS NULL AND a.due_at IS NOT NULL
            AND a.deleted_at IS NULL),
        (SELECT max(a.done_at) FROM activities a
          WHERE a.deal_id = d.id AND a.done_at IS NOT NULL AND a.deleted_at IS NULL)
    FROM deals d
    JOIN customers c ON c.id = d.customer_id
    JOIN stages s ON s.id = d.stage_id
    LEFT JOIN members m ON m.id = d.owner_id";

fn row_sql() -> String {
    ROW_SQL.replace("{COLUMNS}", COLUMNS)
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
    })
}

/// Which deals a list shows.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub stage_id: Option<String>,
    pub status: Option<DealStatus>,
    pub customer_id: Option<String>,
    pub owner_id: Option<String>,
    pub limit: Option<i64>,
}

/// Live deals of live customers (a deleted customer's deals are hidden with it).
pub fn list(conn: &Connection, filter: &Filter) -> Result<Vec<DealRow>> {
    let sql = format!(
        "{} WHERE d.deleted_at IS NULL AND c.deleted_at IS NULL
           AND (?1 IS NULL OR d.stage_id = ?1)
           AND (?2 IS NULL OR d.status = ?2)
           AND (?3 IS NULL OR d.customer_id = ?3)
           AND (?4 IS NULL OR d.owner_id = ?4)
         ORDER BY d.status = 'open' DESC, s.position, d.position, d.id LIMIT ?5",
        row_sql()
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(
        params![
            filter.stage_id,
            filter.status.map(|s| s.as_str()),
            filter.customer_id,
            filter.owner_id,
            filter.limit.unwrap_or(-1)
        ],
        deal_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One window of a board column: open deals in `stage_id`, in card order.
pub fn column_window(
    conn: &Connection,
    stage_id: &str,
    owner_id: Option<&str>,
    offset: usize,
    limit: usize,
) -> Result<Vec<DealRow>> {
    let sql = format!(
        "{} WHERE d.stage_id = ?1 AND d.status = 'open' AND d.deleted_at IS NULL
           AND (?2 IS NULL OR d.owner_id = ?2)
         ORDER BY d.position, d.id LIMIT ?3 OFFSET ?4",
        row_sql()
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
    pub total: i64,
    /// `total` weighted by the stage's probability.
    pub weighted: i64,
}

impl ColumnTotals {
    /// Counts one more deal (`leaving` false) or one fewer, in a stage of `probability`:
    /// what counting the column again would give, without reading it. For a deal moved
    /// from one column to another.
    pub fn shift(&mut self, currency: &str, amount: i64, probability: i64, leaving: bool) {
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
        entry.weighted = crate::domain::deal::weighted(entry.total, probability);
        if entry.deals == 0 {
            self.by_currency.remove(i);
        }
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
    let mut stmt = conn.prepare_cached(
        "SELECT currency, count(*), sum(amount_minor) FROM deals
          WHERE stage_id = ?1 AND status = 'open' AND deleted_at IS NULL
            AND (?2 IS NULL OR owner_id = ?2)
          GROUP BY currency ORDER BY sum(amount_minor) DESC, currency",
    )?;
    let mut totals = ColumnTotals::default();
    let rows = stmt.query_map(params![stage.id, owner_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
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
            weighted: crate::domain::deal::weighted(total, stage.probability),
        });
    }
    Ok(totals)
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

pub fn get(conn: &Connection, id: &str) -> Result<Deal> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM deals d WHERE d.id = ?1"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound {
        what: "deal".into(),
        reference: id.to_string(),
    })
}

pub fn row(conn: &Connection, id: &str) -> Result<DealRow> {
    conn.query_row(&format!("{} WHERE d.id = ?1", row_sql()), [id], deal_row)
        .optional()?
        .ok_or_else(|| StoreError::NotFound {
            what: "deal".into(),
            reference: id.to_string(),
        })
}

/// Open deals with no open reminder, the longest untouched first, at most `limit`:
/// deals whose next step nobody has planned (the Agenda's "No next step").
pub fn without_next_step(
    conn: &Connection,
    owner_id: Option<&str>,
    limit: usize,
) -> Result<Vec<DealRow>> {
    // The indexes are named: without statistics SQLite would rather seek on status and
    // sort every open deal than read them in order and stop after `limit`.
    let mut stmt = conn.prepare_cached(&format!(
        "{} WHERE d.id IN (
             SELECT q.id FROM deals q INDEXED BY deals_open_untouched
              WHERE q.status = 'open' AND q.deleted_at IS NULL
                AND (?1 IS NULL OR q.owner_id = ?1)
                AND NOT EXISTS (SELECT 1 FROM activities a INDEXED BY activities_deal_scheduled
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

/// What adding a deal made.
#[derive(Debug, Clone)]
pub struct Added {
    pub deal_id: String,
    pub customer_id: String,
    pub new_customer: bool,
    pub undo: Undo,
}

/// Adds a deal (and its customer, when new) in one transaction, with the first history row.
pub fn add(store: &mut Store, new: &NewDeal) -> Result<Added> {
    let title = validate_title(&new.title)?;
    let mut writes = Vec::new();
    let (customer_id, new_customer) = match &new.customer {
        CustomerRef::Id(id) => (customers::get(store.conn(), id)?.id, false),
        CustomerRef::Name(name) => match customers::find_by_name(store.conn(), name)? {
            Some(id) => (id, false),
            None => {
                let (id, w) = customers::insert_writes(store, &NewCustomer::named(name))?;
                writes.extend(w);
                (id, true)
            }
        },
    };
    let id = new_id();
    let now = store.now_millis();
    let owner = new
        .owner_id
        .clone()
        .unwrap_or_else(|| store.member_id().to_string());
    writes.push(
        Write::insert(Table::Deals, id.clone())
            .set("title", title.clone())
            .set("customer_id", customer_id.clone())
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
    let undo = store.apply(&format!("add {title}"), writes)?;
    Ok(Added {
        deal_id: id,
        customer_id,
        new_customer,
        undo,
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

/// Changes to a deal's fields (not its stage or status: those are transitions).
#[derive(Debug, Clone, Default)]
pub struct Patch {
    pub title: Option<String>,
    pub customer_id: Option<String>,
    pub amount: Option<Money>,
    pub expected_close: Option<Option<NaiveDate>>,
    pub source: Option<Option<String>>,
    pub notes: Option<Option<String>>,
    pub owner_id: Option<String>,
}

impl Patch {
    pub fn is_empty(&self) -> bool {
        self.title.is_none()
            && self.customer_id.is_none()
            && self.amount.is_none()
            && self.expected_close.is_none()
            && self.source.is_none()
            && self.notes.is_none()
            && self.owner_id.is_none()
    }
}

pub fn edit(store: &mut Store, id: &str, patch: &Patch) -> Result<Undo> {
    let deal = get(store.conn(), id)?;
    if patch.is_empty() {
        return Err(StoreError::Invalid("nothing to change".into()));
    }
    let mut w = Write::update(Table::Deals, id);
    let mut follow = Follow::default();
    if let Some(t) = &patch.title {
        w = w.set("title", validate_title(t)?);
    }
    if let Some(c) = &patch.customer_id {
        let customer = customers::get(store.conn(), c)?.id;
        if customer != deal.customer_id {
            follow = follow_the_deal(store.conn(), &deal, &customer)?;
            w = w.set("customer_id", customer);
            if follow.contact_cleared {
                w = w.set("contact_id", None::<String>);
            }
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
        w = w.set("owner_id", o.clone());
    }
    let mut writes = vec![w];
    writes.extend(follow.activities);
    store.apply(&format!("edit {}", deal.title), writes)
}

/// What moves with a deal given to another customer.
#[derive(Default)]
struct Follow {
    /// The deal's activities, so that its calls and reminders show and count with the
    /// customer the deal is now with (a deal usually changes customer because it was
    /// entered on the wrong one).
    activities: Vec<Write>,
    /// Whether the deal's contact works for the old customer, and so is dropped.
    contact_cleared: bool,
}

fn follow_the_deal(conn: &Connection, deal: &Deal, customer: &str) -> Result<Follow> {
    let mut stmt = conn
        .prepare_cached("SELECT id FROM activities WHERE deal_id = ?1 AND customer_id IS NOT ?2")?;
    let activities = stmt
        .query_map(params![deal.id, customer], |r| r.get::<_, String>(0))?
        .map(
            |id| Ok(Write::update(Table::Activities, id?).set("customer_id", customer.to_string())),
        )
        .collect::<Result<Vec<_>>>()?;
    let contact_cleared = match &deal.contact_id {
        Some(contact) => {
            let of: Option<String> = conn
                .query_row(
                    "SELECT customer_id FROM contacts WHERE id = ?1",
                    [contact],
                    |r| r.get(0),
                )
                .optional()?;
            of.as_deref() != Some(customer)
        }
        None => false,
    };
    Ok(Follow {
        activities,
        contact_cleared,
    })
}

/// What a transition did, for messages.
#[derive(Debug, Clone)]
pub struct Moved {
    pub undo: Undo,
    pub customer_promoted: bool,
}

fn apply_transition(store: &mut Store, deal: &Deal, t: Transition, label: String) -> Result<Moved> {
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
    let mut writes = vec![
        w,
        history_write(
            store,
            &deal.id,
            t.history.from_stage_id.as_deref(),
            &t.history.to_stage_id,
            t.history.from_status,
            t.history.to_status,
        ),
    ];
    if let Some(status) = t.customer_status {
        writes.push(
            Write::update(Table::Customers, deal.customer_id.clone())
                .set("status", status.as_str().to_string()),
        );
    }
    let undo = store.apply(&label, writes)?;
    Ok(Moved {
        undo,
        customer_promoted: t.customer_status.is_some(),
    })
}

/// Moves an open deal to another stage.
pub fn move_to_stage(store: &mut Store, id: &str, stage: &Stage) -> Result<Moved> {
    let deal = get(store.conn(), id)?;
    let t = deal.move_to_stage(&stage.id)?;
    apply_transition(
        store,
        &deal,
        t,
        format!("move {} to {}", deal.title, stage.name),
    )
}

/// Wins a deal; a prospect (or churned) customer becomes active in the same transaction.
pub fn win(store: &mut Store, id: &str) -> Result<Moved> {
    let deal = get(store.conn(), id)?;
    let customer = customers::get(store.conn(), &deal.customer_id)?;
    let t = deal.win(customer.status, store.now_millis())?;
    apply_transition(store, &deal, t, format!("win {}", deal.title))
}

pub fn lose(store: &mut Store, id: &str, reason: &str) -> Result<Moved> {
    let deal = get(store.conn(), id)?;
    let t = deal.lose(reason, store.now_millis())?;
    apply_transition(store, &deal, t, format!("lose {}", deal.title))
}

pub fn reopen(store: &mut Store, id: &str, stage: Option<&Stage>) -> Result<Moved> {
    let deal = get(store.conn(), id)?;
    let t = deal.reopen(stage.map(|s| s.id.as_str()))?;
    apply_transition(store, &deal, t, format!("reopen {}", deal.title))
}

/// Soft-deletes a deal (undoable).
pub fn delete(store: &mut Store, id: &str) -> Result<Undo> {
    let deal = get(store.conn(), id)?;
    let now = store.now_millis();
    store.apply(
        &format!("delete {}", deal.title),
        vec![Write::update(Table::Deals, id).set("deleted_at", now)],
    )
}

/// Brings back a deleted deal.
pub fn restore(store: &mut Store, id: &str) -> Result<Undo> {
    let deal = get(store.conn(), id)?;
    store.apply(
        &format!("restore {}", deal.title),
        vec![Write::update(Table::Deals, id).set("deleted_at", None::<i64>)],
    )
}

/// A customer's won deals, newest first (their cooperation history).
pub fn won_for_customer(conn: &Connection, customer_id: &str) -> Result<Vec<DealRow>> {
    let sql = format!(
        "{} WHERE d.customer_id = ?1 AND d.status = 'won' AND d.deleted_at IS NULL
         ORDER BY d.closed_at DESC",
        row_sql()
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([customer_id], deal_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether the customer is a prospect (used by messages after a win).
pub fn customer_status(conn: &Connection, customer_id: &str) -> Result<CustomerStatus> {
    Ok(customers::get(conn, customer_id)?.status)
}
