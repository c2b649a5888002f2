//! Customers and their tags: row mapping, reads for lists, boards and revisits, and the
//! fields of a new customer and of a profile edit. The writes are use cases
//! ([`crate::usecase::customers`]).

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::reference::{self, Scope};
use super::{Result, StoreError};
use crate::domain::customer::{Customer, CustomerKind, CustomerStatus, Tier, revisit_due_at};

pub const COLUMNS: &str = "c.id, c.name, c.kind, c.industry, c.region, c.tier, c.status, \
    c.owner_id, c.satisfaction, c.source, c.website, c.notes, c.created_at, c.updated_at";

fn parse_col<T: std::str::FromStr<Err = String>>(r: &Row<'_>, i: usize) -> rusqlite::Result<T> {
    let text: String = r.get(i)?;
    text.parse().map_err(|e: String| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
    })
}

pub fn from_row(r: &Row<'_>) -> rusqlite::Result<Customer> {
    Ok(Customer {
        id: r.get(0)?,
        name: r.get(1)?,
        kind: parse_col(r, 2)?,
        industry: r.get(3)?,
        region: r.get(4)?,
        tier: parse_col(r, 5)?,
        status: parse_col(r, 6)?,
        owner_id: r.get(7)?,
        satisfaction: r.get(8)?,
        source: r.get(9)?,
        website: r.get(10)?,
        notes: r.get(11)?,
        created_at: r.get(12)?,
        updated_at: r.get(13)?,
    })
}

/// A customer with what is derived from its deals and activities.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerSummary {
    pub customer: Customer,
    pub owner_name: Option<String>,
    /// Latest done activity.
    pub last_contact: Option<i64>,
    /// Earliest open reminder.
    pub next_reminder: Option<i64>,
    pub open_deals: i64,
    /// Won amounts per currency, largest first (128-bit: a sum never wraps).
    pub won_by_currency: Vec<(String, i128)>,
}

const SUMMARY_SQL: &str = "
    SELECT {COLUMNS}, m.name,
        (SELECT at FROM customer_last_contact l WHERE l.customer_id = c.id),
        (SELECT min(due_at) FROM activities a
          WHERE a.customer_id = c.id AND a.done_at IS NULL AND a.due_at IS NOT NULL
            AND a.deleted_at IS NULL),
        (SELECT count(*) FROM deals d
          WHERE d.customer_id = c.id AND d.status = 'open' AND d.deleted_at IS NULL),
        (SELECT group_concat(currency || ':' || high || ':' || low) FROM (
            SELECT currency, sum(amount_minor >> 32) AS high,
                   sum(amount_minor & 4294967295) AS low FROM deals d
             WHERE d.customer_id = c.id AND d.status = 'won' AND d.deleted_at IS NULL
             GROUP BY currency))
    FROM {CUSTOMERS} LEFT JOIN members m ON m.id = c.owner_id";

fn summary_from_row(r: &Row<'_>) -> rusqlite::Result<CustomerSummary> {
    let won: Option<String> = r.get(18)?;
    // Summed in two halves in SQL (see `super::split_sum`), put together here.
    let mut won_by_currency: Vec<(String, i128)> = won
        .unwrap_or_default()
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(':');
            let currency = parts.next()?;
            let high = parts.next()?.parse().ok()?;
            let low = parts.next()?.parse().ok()?;
            Some((currency.to_string(), super::wide_sum(high, low)))
        })
        .collect();
    won_by_currency.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(CustomerSummary {
        customer: from_row(r)?,
        owner_name: r.get(14)?,
        last_contact: r.get(15)?,
        next_reminder: r.get(16)?,
        open_deals: r.get(17)?,
        won_by_currency,
    })
}

impl CustomerSummary {
    /// Lifetime value in `currency` (won deals in that currency).
    pub fn lifetime_value(&self, currency: &str) -> i128 {
        self.won_by_currency
            .iter()
            .filter(|(c, _)| c == currency)
            .map(|(_, v)| *v)
            .sum()
    }
}

/// Which customers a list shows.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub status: Option<CustomerStatus>,
    pub tier: Option<Tier>,
    pub owner_id: Option<String>,
    /// Case-insensitive substring of name, industry, region or a tag.
    pub text: Option<String>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
    /// Only customers whose custom fields hold these values.
    pub fields: Vec<super::fields::FieldMatch>,
}

/// The `WHERE` of a customer list or board column, with a condition for each part of the
/// filter that is set (parameters ?1 status, ?2 tier, ?3 owner, ?4 text, as in [`list`]).
/// A part not set is left out rather than written `?n IS NULL OR …`: SQLite cannot drop
/// such a condition, so it read every customer's row for its tier and owner, also for the
/// customers an `OFFSET` skips, where the index alone tells the board's order (at 100k
/// deals a window deep in a column took 2 ms instead of 0.3). The tags and custom values
/// that match the text are found once per query (`IN` a list), not looked up for each
/// customer (`EXISTS`): the Customers filter reads the board several times per character
/// typed, and the per-customer look-ups doubled each pass. The text (the board's filter
/// `F`) is looked for in the values of live custom fields too.
fn filter_sql(status: bool, tier: bool, owner: bool, text: bool) -> String {
    let mut sql = String::from(" WHERE c.deleted_at IS NULL");
    if status {
        sql.push_str(" AND c.status = ?1");
    }
    if tier {
        sql.push_str(" AND c.tier = ?2");
    }
    if owner {
        sql.push_str(" AND c.owner_id = ?3");
    }
    if text {
        sql.push_str(
            " AND (c.name LIKE ?4 ESCAPE '\\' OR c.industry LIKE ?4 ESCAPE '\\'
           OR c.region LIKE ?4 ESCAPE '\\'
           OR c.id IN (SELECT t.customer_id FROM customer_tags t
                        WHERE t.deleted_at IS NULL AND t.tag LIKE ?4 ESCAPE '\\')
           OR c.id IN (SELECT v.record_id FROM field_values v JOIN field_defs f ON f.id = v.field_id
                        WHERE v.value IS NOT NULL
                          AND v.deleted_at IS NULL AND f.deleted_at IS NULL
                          AND v.value LIKE ?4 ESCAPE '\\'))",
        );
    }
    // Every parameter is bound whether or not its condition is there: name them all.
    sql.push_str(" AND ?1 IS ?1 AND ?2 IS ?2 AND ?3 IS ?3 AND ?4 IS ?4");
    sql
}

/// The text a filter looks for, as the query compares it: trimmed, lowercase, as a
/// `LIKE` pattern for "contains". `LIKE` ignores the case of ASCII letters only, as
/// SQLite's `lower` does, so it finds what `instr(lower(…))` found, without making a
/// lowercase copy of every name, industry and region it reads (most of what typing
/// into the board's filter cost at 100k deals).
fn filter_text(filter: &Filter) -> Option<String> {
    filter
        .text
        .as_ref()
        .map(|t| super::search::like_pattern(&t.trim().to_lowercase()))
}

/// A board column's customers (one status or tier) are read in the order of the index
/// that holds that column in board order (migration 012): a window of them is a short
/// walk, not a sort of the whole column. The condition is repeated as a plain equality,
/// which is what lets SQLite seek the index (`?1 IS NULL OR …` does not).
fn in_column_order(filter: &Filter) -> (&'static str, &'static str) {
    match (filter.status, filter.tier) {
        (Some(_), _) => column_of(Grouping::Status),
        (None, Some(_)) => column_of(Grouping::Tier),
        (None, None) => ("customers c", ""),
    }
}

/// The customers table read through the index of a board column of `grouping`, and the
/// plain equality on the column's parameter (?1 status, ?2 tier) that lets SQLite seek it.
fn column_of(grouping: Grouping) -> (&'static str, &'static str) {
    match grouping {
        Grouping::Status => (
            "customers c INDEXED BY customers_board_status",
            " AND c.status = ?1",
        ),
        Grouping::Tier => (
            "customers c INDEXED BY customers_board_tier",
            " AND c.tier = ?2",
        ),
    }
}

/// The query of [`list`] for `filter`; parameters ?1–?6 as bound there, and those of its
/// custom field conditions appended to `params`.
///
/// A window (a limit given: a board column's page) picks its customers' ids first, then
/// reads those few with their figures: in one query SQLite joined every customer an
/// `OFFSET` skips to its owner too, reading its row, so a window deep in a column cost
/// what reading all the customers before it did.
fn list_sql(filter: &Filter, params: &mut Vec<rusqlite::types::Value>) -> String {
    let (from, column) = in_column_order(filter);
    let mut chosen = filter_sql(
        filter.status.is_some(),
        filter.tier.is_some(),
        filter.owner_id.is_some(),
        filter.text.is_some(),
    );
    chosen.push_str(column);
    chosen.push_str(&super::fields::match_sql("c.id", &filter.fields, params));
    const ORDER: &str = " ORDER BY c.name COLLATE NOCASE, c.id";
    if filter.limit.is_some() {
        let mut sql = SUMMARY_SQL
            .replace("{COLUMNS}", COLUMNS)
            .replace("{CUSTOMERS}", "customers c");
        sql.push_str(&format!(
            " WHERE c.id IN (SELECT c.id FROM {from}{chosen}{ORDER} LIMIT ?5 OFFSET ?6){ORDER}"
        ));
        sql
    } else {
        let mut sql = SUMMARY_SQL
            .replace("{COLUMNS}", COLUMNS)
            .replace("{CUSTOMERS}", from);
        sql.push_str(&chosen);
        sql.push_str(ORDER);
        sql.push_str(" LIMIT ?5 OFFSET ?6");
        sql
    }
}

pub fn list(conn: &Connection, filter: &Filter) -> Result<Vec<CustomerSummary>> {
    let mut params: Vec<rusqlite::types::Value> = vec![
        filter.status.map(|s| s.as_str().to_string()).into(),
        filter.tier.map(|t| t.as_str().to_string()).into(),
        filter.owner_id.clone().into(),
        filter_text(filter).into(),
        filter.limit.unwrap_or(-1).into(),
        filter.offset.unwrap_or(0).into(),
    ];
    let sql = list_sql(filter, &mut params);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(params), summary_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A live customer; a deleted one is not found (see [`get_deleted`]).
pub fn get(conn: &Connection, id: &str) -> Result<Customer> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM customers c WHERE c.id = ?1 AND c.deleted_at IS NULL"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound {
        what: "customer".into(),
        reference: id.to_string(),
    })
}

/// A deleted customer, for bringing it back.
pub fn get_deleted(conn: &Connection, id: &str) -> Result<Customer> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM customers c WHERE c.id = ?1 AND c.deleted_at IS NOT NULL"),
        [id],
        from_row,
    )
    .optional()?
    .ok_or_else(|| StoreError::NotFound {
        what: "deleted customer".into(),
        reference: id.to_string(),
    })
}

pub fn summary(conn: &Connection, id: &str) -> Result<CustomerSummary> {
    let sql = format!(
        "{} WHERE c.id = ?1",
        SUMMARY_SQL
            .replace("{COLUMNS}", COLUMNS)
            .replace("{CUSTOMERS}", "customers c")
    );
    conn.query_row(&sql, [id], summary_from_row)
        .optional()?
        .ok_or_else(|| StoreError::NotFound {
            what: "customer".into(),
            reference: id.to_string(),
        })
}

pub fn resolve(conn: &Connection, reference: &str) -> Result<String> {
    reference::resolve(conn, reference::CUSTOMER, reference, Scope::Live)
}

/// The names of the live customers, in list order: for a form's suggestions, which need
/// nothing of the summary [`list`] works out per customer.
pub fn names(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT name FROM customers WHERE deleted_at IS NULL ORDER BY name COLLATE NOCASE, id",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The first `limit` live customers' names, alphabetically, that contain every term of
/// `typed`, case ignored: what a customer field suggests as it is typed (see
/// [`super::search::names_matching`]).
pub fn names_containing(conn: &Connection, typed: &str, limit: usize) -> Result<Vec<String>> {
    let found = super::search::names_matching(
        conn,
        "SELECT name, id FROM customers
          WHERE {matches} AND deleted_at IS NULL ORDER BY name COLLATE NOCASE",
        "name",
        typed,
        limit,
    )?;
    Ok(found.into_iter().map(|(name, _)| name).collect())
}

/// Finds a live customer by exact (case-insensitive) name.
pub fn find_by_name(conn: &Connection, name: &str) -> Result<Option<String>> {
    match resolve(conn, name) {
        Ok(id) => Ok(Some(id)),
        Err(StoreError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

pub fn tags(conn: &Connection, customer_id: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT tag FROM customer_tags WHERE customer_id = ?1 AND deleted_at IS NULL
         ORDER BY tag COLLATE NOCASE",
    )?;
    let rows = stmt.query_map([customer_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every customer's live tags as `(customer id, tag)`, customer by customer, each
/// customer's in [`tags`] order: one read for commands that show many customers.
pub fn all_tags(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT customer_id, tag FROM customer_tags WHERE deleted_at IS NULL
         ORDER BY customer_id, tag COLLATE NOCASE",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A new customer's fields.
#[derive(Debug, Clone)]
pub struct NewCustomer {
    pub name: String,
    pub kind: CustomerKind,
    pub tier: Tier,
    pub status: CustomerStatus,
    pub industry: Option<String>,
    pub region: Option<String>,
    pub source: Option<String>,
    pub website: Option<String>,
    pub notes: Option<String>,
    pub owner_id: Option<String>,
    pub tags: Vec<String>,
}

impl NewCustomer {
    pub fn named(name: &str) -> NewCustomer {
        NewCustomer {
            name: name.trim().to_string(),
            kind: CustomerKind::Company,
            tier: Tier::Normal,
            status: CustomerStatus::Prospect,
            industry: None,
            region: None,
            source: None,
            website: None,
            notes: None,
            owner_id: None,
            tags: Vec::new(),
        }
    }
}

/// Changes to a customer's profile; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct Patch {
    pub name: Option<String>,
    pub kind: Option<CustomerKind>,
    pub tier: Option<Tier>,
    pub status: Option<CustomerStatus>,
    pub industry: Option<Option<String>>,
    pub region: Option<Option<String>>,
    pub source: Option<Option<String>>,
    pub website: Option<Option<String>>,
    pub notes: Option<Option<String>>,
    pub owner_id: Option<String>,
    pub satisfaction: Option<Option<i64>>,
    pub add_tags: Vec<String>,
    pub remove_tags: Vec<String>,
    /// Custom field values set (`None` clears one).
    pub fields: Vec<(
        crate::domain::field::FieldDef,
        Option<crate::domain::field::FieldValue>,
    )>,
}

/// Every tag row of a customer, removed ones too (with when they were removed): a tag
/// added again revives its row rather than making a second one.
pub fn tag_rows(conn: &Connection, id: &str) -> Result<Vec<(String, Option<i64>)>> {
    let mut stmt =
        conn.prepare_cached("SELECT tag, deleted_at FROM customer_tags WHERE customer_id = ?1")?;
    let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The triggers that keep `customer_last_contact` (migration 005).
pub(crate) const LAST_CONTACT_TRIGGERS: [&str; 3] =
    ["last_contact_ai", "last_contact_au", "last_contact_ad"];

/// Empties the last contacts, for a bulk load that writes activities without the triggers.
pub(crate) fn clear_last_contact(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM customer_last_contact", [])?;
    Ok(())
}

/// Works out every customer's last contact from the activities at once, as the triggers
/// would one write at a time.
pub(crate) fn fill_last_contact(conn: &Connection) -> Result<()> {
    conn.execute(
        "INSERT INTO customer_last_contact (customer_id, at)
         SELECT customer_id, max(done_at) FROM activities
          WHERE customer_id IS NOT NULL AND done_at IS NOT NULL AND deleted_at IS NULL
          GROUP BY customer_id",
        [],
    )?;
    Ok(())
}

/// A customer past their tier's revisit cadence.
#[derive(Debug, Clone, PartialEq)]
pub struct RevisitDue {
    pub id: String,
    pub name: String,
    pub tier: Tier,
    pub last_contact: Option<i64>,
    /// When the revisit fell due.
    pub due_at: i64,
}

/// Customers (not churned; `owner_id`'s when given) with no contact for longer than
/// their tier's cadence, the longest overdue first (then by name). The rule is the domain's
/// ([`crate::domain::customer::revisit_due_at`]).
///
/// Each customer's last contact comes from `customer_last_contact`, which triggers keep
/// (migration 005), so this reads every customer once and no activity: a few
/// milliseconds at 20k customers, where working out last contacts from 200k activities
/// took tens.
pub fn revisits_due(
    conn: &Connection,
    cadence: &crate::domain::customer::Cadence,
    now: i64,
    owner_id: Option<&str>,
    limit: Option<usize>,
) -> Result<Vec<RevisitDue>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.name, c.tier, c.created_at, l.at
           FROM customers c LEFT JOIN customer_last_contact l ON l.customer_id = c.id
          WHERE c.deleted_at IS NULL AND c.status != 'churned' AND (?1 IS NULL OR c.owner_id = ?1)
            AND coalesce(l.at, c.created_at) < ?2",
    )?;
    // Only those not contacted within the shortest cadence can be due; the rule itself,
    // tier by tier, is the domain's, below.
    let contacted_since = now - cadence.shortest() * 86_400_000;
    let mut due = Vec::new();
    let mut rows = stmt.query(params![owner_id, contacted_since])?;
    while let Some(r) = rows.next()? {
        let tier: Tier = parse_col(r, 2)?;
        let last: Option<i64> = r.get(4)?;
        let due_at = revisit_due_at(last, r.get(3)?, tier, cadence);
        if due_at < now {
            due.push(RevisitDue {
                id: r.get(0)?,
                name: r.get(1)?,
                tier,
                last_contact: last,
                due_at,
            });
        }
    }
    due.sort_by(|a, b| a.due_at.cmp(&b.due_at).then_with(|| a.name.cmp(&b.name)));
    if let Some(limit) = limit {
        due.truncate(limit);
    }
    Ok(due)
}

/// How a customers board groups its cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    Status,
    Tier,
}

/// One customers-board column's header: how many customers, and their lifetime value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupTotals {
    pub count: usize,
    /// Won amounts in the report currency (128-bit: a sum never wraps).
    pub lifetime_minor: i128,
}

/// Counts and lifetime value per status or tier, for the customers matching `filter`
/// (its status and tier are ignored: they are the grouping).
pub fn group_totals(
    conn: &Connection,
    grouping: Grouping,
    filter: &Filter,
    currency: &str,
) -> Result<Vec<(String, GroupTotals)>> {
    let won = won_by_customer(conn, currency)?;
    Ok(group_totals_with(conn, grouping, filter, &won, 0)?.totals)
}

/// Each customer's won amounts in `currency` (128-bit: two amounts near the 64-bit limit
/// never wrap), read from the report's covering index of closed deals (migration 009).
/// What the board's heads need whatever the grouping or filter: the board keeps it
/// while the book is unchanged.
pub fn won_by_customer(conn: &Connection, currency: &str) -> Result<HashMap<String, i128>> {
    // `status IN ('won', 'lost')` is the partial index's own condition, which SQLite
    // must see implied to use it.
    let mut stmt = conn.prepare_cached(
        "SELECT customer_id, amount_minor FROM deals INDEXED BY deals_report_closed
          WHERE status IN ('won', 'lost') AND status = 'won' AND deleted_at IS NULL
            AND currency = ?1",
    )?;
    let mut rows = stmt.query([currency])?;
    let mut won: HashMap<String, i128> = HashMap::new();
    while let Some(r) = rows.next()? {
        let customer = r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
        let amount = i128::from(r.get::<_, i64>(1)?);
        match won.get_mut(customer) {
            Some(total) => *total += amount,
            None => {
                won.insert(customer.to_string(), amount);
            }
        }
    }
    Ok(won)
}

/// The column heads of the customers a filter keeps, and, when they are few, the
/// customers themselves.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counted {
    pub totals: Vec<(String, GroupTotals)>,
    /// The customers counted, each with its column, in board order (name, then id), when
    /// there were no more than asked for; else `None`.
    pub matched: Option<Vec<Match>>,
}

/// A customer counted by [`group_totals_with`], with its board column (status or tier).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub id: String,
    pub group: String,
}

/// [`group_totals`] with each customer's won amounts given ([`won_by_customer`]), and
/// the customers counted kept when there are at most `keep` of them.
///
/// Two passes joined here rather than in SQL: SQLite joined each won deal to its
/// customer by a look-up on the text id (or each customer to a per-customer GROUP BY of
/// the deals), 30 ms for the 25k won deals of the 100k demo book; a pass over the
/// customers shown is a few ms.
///
/// The customers kept are for the Customers filter (`F`): when the typed text matches
/// few, each column's window is a slice of them, where walking a column's index for its
/// first page tested the text on every customer of the column (4 of the 7.5 ms a
/// character took at 100k deals). When it matches many, that walk stops early anyway.
pub fn group_totals_with(
    conn: &Connection,
    grouping: Grouping,
    filter: &Filter,
    won: &HashMap<String, i128>,
    keep: usize,
) -> Result<Counted> {
    let key = match grouping {
        Grouping::Status => "c.status",
        Grouping::Tier => "c.tier",
    };
    let mut groups: Vec<(String, GroupTotals)> = Vec::new();
    let mut kept: Option<Vec<(Vec<u8>, Match)>> = Some(Vec::new());
    let filter_sql = filter_sql(
        false,
        false,
        filter.owner_id.is_some(),
        filter.text.is_some(),
    );
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.id, {key}, c.name FROM customers c {filter_sql}"
    ))?;
    let mut rows = stmt.query(params![
        None::<&str>,
        None::<&str>,
        filter.owner_id,
        filter_text(filter),
    ])?;
    while let Some(r) = rows.next()? {
        let text = |i| r.get_ref(i)?.as_str().map_err(rusqlite::Error::from);
        let (id, group) = (text(0)?, text(1)?);
        let column = match groups.iter().position(|(k, _)| k == group) {
            Some(i) => i,
            None => {
                groups.push((group.to_string(), GroupTotals::default()));
                groups.len() - 1
            }
        };
        if let Some((_, totals)) = groups.get_mut(column) {
            totals.count += 1;
            totals.lifetime_minor += won.get(id).copied().unwrap_or(0);
        }
        if let Some(list) = &mut kept {
            if list.len() < keep {
                let m = Match {
                    id: id.to_string(),
                    group: group.to_string(),
                };
                // The board's order is `name COLLATE NOCASE, id`; NOCASE folds ASCII only.
                let name = text(2)?.bytes().map(|b| b.to_ascii_lowercase()).collect();
                list.push((name, m));
            } else {
                kept = None;
            }
        }
    }
    let matched = kept.map(|mut list| {
        list.sort_by(|(a_name, a), (b_name, b)| a_name.cmp(b_name).then_with(|| a.id.cmp(&b.id)));
        list.into_iter().map(|(_, m)| m).collect()
    });
    Ok(Counted {
        totals: groups,
        matched,
    })
}

/// The live customers of `ids` with their figures, in board order (name, then id).
pub fn summaries(conn: &Connection, ids: &[&str]) -> Result<Vec<CustomerSummary>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = vec!["?"; ids.len()].join(", ");
    let sql = format!(
        "{} WHERE c.id IN ({marks}) AND c.deleted_at IS NULL ORDER BY c.name COLLATE NOCASE, c.id",
        SUMMARY_SQL
            .replace("{COLUMNS}", COLUMNS)
            .replace("{CUSTOMERS}", "customers c")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(ids), summary_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Where a customer sits in a board column (0-based), in the board's name order.
pub fn index_in_group(
    conn: &Connection,
    grouping: Grouping,
    filter: &Filter,
    customer: &Customer,
) -> Result<usize> {
    // The customers before it in its column: a range of the column's index.
    let (from, column) = column_of(grouping);
    let filter_sql = filter_sql(
        false,
        false,
        filter.owner_id.is_some(),
        filter.text.is_some(),
    );
    let sql = format!(
        "SELECT count(*) FROM {from} {filter_sql}{column}
            AND (c.name COLLATE NOCASE < ?5 OR (c.name COLLATE NOCASE = ?5 AND c.id < ?6))"
    );
    let (status, tier) = match grouping {
        Grouping::Status => (Some(customer.status.as_str()), None),
        Grouping::Tier => (None, Some(customer.tier.as_str())),
    };
    let n: i64 = conn.query_row(
        &sql,
        params![
            status,
            tier,
            filter.owner_id,
            filter_text(filter),
            customer.name,
            customer.id
        ],
        |r| r.get(0),
    )?;
    Ok(n as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(conn: &Connection, sql: &str) -> Vec<String> {
        crate::store::test_support::query_plan(
            conn,
            sql,
            params!["active", "key", None::<&str>, None::<&str>, 12, 0],
        )
    }

    #[test]
    fn a_board_column_is_read_in_its_index_order_without_a_sort() {
        let store = crate::store::test_support::memory_store();
        for (filter, index) in [
            (
                Filter {
                    status: Some(CustomerStatus::Active),
                    ..Filter::default()
                },
                "customers_board_status",
            ),
            (
                Filter {
                    tier: Some(Tier::Key),
                    ..Filter::default()
                },
                "customers_board_tier",
            ),
        ] {
            let whole = plan(store.conn(), &list_sql(&filter, &mut Vec::new()));
            assert!(
                whole
                    .iter()
                    .any(|p| p.starts_with(&format!("SEARCH c USING INDEX {index}"))),
                "{whole:?}"
            );
            // The ORDER BY of the outer query; the won totals' GROUP BY is per customer.
            assert!(
                !whole.iter().any(|p| p.contains("TEMP B-TREE FOR ORDER BY")),
                "{whole:?}"
            );
            // A window picks its customers in the index's order, without a sort and
            // without joining the customers its offset skips to anything.
            let window = Filter {
                limit: Some(12),
                ..filter
            };
            let windowed = plan(store.conn(), &list_sql(&window, &mut Vec::new()));
            assert!(
                windowed
                    .iter()
                    .any(|p| p.starts_with(&format!("SEARCH c USING INDEX {index}"))),
                "{windowed:?}"
            );
            assert_eq!(
                windowed
                    .iter()
                    .filter(|p| p.contains("TEMP B-TREE FOR ORDER BY"))
                    .count(),
                1,
                "only the window's own rows are sorted: {windowed:?}"
            );
        }
    }

    /// The filter's text is looked for as `instr(lower(…))` would find it: case ignored
    /// for ASCII letters, `%` and `_` taken literally, in names, industries, regions and
    /// tags.
    #[test]
    fn the_filter_text_finds_what_a_lowercase_search_finds() {
        let mut store = crate::store::test_support::memory_store();
        crate::demo::generate(&mut store, None).unwrap();
        let conn = store.conn();
        conn.execute_batch(
            "UPDATE customers SET name = '100% Pure_Water' WHERE id = (SELECT min(id) FROM customers);
             UPDATE customers SET region = 'ÉTOILE Nord' WHERE id = (SELECT max(id) FROM customers);",
        )
        .unwrap();
        let by_instr = |text: &str| -> Vec<String> {
            let mut stmt = conn
                .prepare(
                    "SELECT c.id FROM customers c WHERE c.deleted_at IS NULL
                       AND (instr(lower(c.name), ?1) OR instr(lower(coalesce(c.industry, '')), ?1)
                            OR instr(lower(coalesce(c.region, '')), ?1)
                            OR c.id IN (SELECT t.customer_id FROM customer_tags t
                                         WHERE t.deleted_at IS NULL AND instr(lower(t.tag), ?1)))
                     ORDER BY c.name COLLATE NOCASE, c.id",
                )
                .unwrap();
            stmt.query_map([text.trim().to_lowercase()], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        let mut found = 0;
        for text in [
            "acme", "ACME", " Gl ", "%", "0% p", "_", "e_w", "vip", "étoile", "ÉTOILE", "华为",
            "zzz",
        ] {
            let filter = Filter {
                text: Some(text.to_string()),
                ..Filter::default()
            };
            let ids: Vec<String> = list(conn, &filter)
                .unwrap()
                .into_iter()
                .map(|s| s.customer.id)
                .collect();
            assert_eq!(ids, by_instr(text), "{text:?}");
            found += ids.len();
        }
        assert!(found > 0);
    }

    /// A window is the same customers, in the same order, as that part of the whole list,
    /// with each part of the filter set or not.
    #[test]
    fn a_window_is_that_part_of_the_whole_list() {
        let mut store = crate::store::test_support::memory_store();
        crate::demo::generate(&mut store, None).unwrap();
        let conn = store.conn();
        let owner: String = conn
            .query_row(
                "SELECT owner_id FROM customers WHERE owner_id IS NOT NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        for (status, owner, text) in [
            (None, None, None),
            (Some(CustomerStatus::Active), None, None),
            (Some(CustomerStatus::Active), Some(owner.clone()), None),
            (None, None, Some("a".to_string())),
            (
                Some(CustomerStatus::Prospect),
                Some(owner.clone()),
                Some("e".to_string()),
            ),
        ] {
            let whole = Filter {
                status,
                owner_id: owner,
                text,
                ..Filter::default()
            };
            let all: Vec<String> = list(conn, &whole)
                .unwrap()
                .into_iter()
                .map(|s| s.customer.id)
                .collect();
            assert!(all.len() > 3, "the book has customers for {whole:?}");
            for offset in [0, 1, all.len() / 2, all.len() - 1] {
                let window = Filter {
                    limit: Some(3),
                    offset: Some(offset as i64),
                    ..whole.clone()
                };
                let ids: Vec<String> = list(conn, &window)
                    .unwrap()
                    .into_iter()
                    .map(|s| s.customer.id)
                    .collect();
                let end = (offset + 3).min(all.len());
                assert_eq!(ids, all[offset..end], "{window:?}");
            }
        }
    }
}
