//! The queries behind the Reports view and `salesdesk report`. Read-only. They count;
//! [`crate::domain::metrics`] turns the counts into figures.
//!
//! A report is for the whole book or for one pipeline. For one pipeline, the deal figures
//! (open pipeline, forecast, closed deals, lost reasons, funnel) count only the deals in
//! it (a deal's pipeline is its stage's, a deleted stage's included); what describes the
//! customers stays the whole book's, as customers belong to no pipeline. Either way each
//! pipeline's funnel runs over its own stages in its own order.
//!
//! What counts: live deals (not deleted, and not of a deleted customer, as in deal lists)
//! and live customers; stage history without the undone changes (tombstoned rows).
//!
//! Speed (DESIGN §7: all aggregates within 100 ms at 100k deals): each table is read in
//! one pass and no query runs per row. Deals are read from partial indexes that hold only
//! what each part needs (migration 009), never from their rows: the open ones grouped in
//! the index's order (a `GROUP BY` that must sort first cost several times the scan), the
//! closed ones folded here. The stage history is streamed once, in the order of an index,
//! and folded here: the funnel needs each deal's history in order, which SQL window
//! functions did three to five times slower than this single ordered pass. The small
//! tables use plain `GROUP BY`.

use std::collections::{HashMap, HashSet};

use foldhash::fast::RandomState;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, Row, params};

use super::{Result, StoreError, customers, pipelines, split_sum, stages, wide_sum};
use crate::domain::customer::Cadence;
use crate::domain::deal::DealStatus;
use crate::domain::metrics::{
    Bounds, ClosedGroup, Counts, CustomerGroup, FunnelTally, HistoryStep, OpenGroup,
    OverdueRevisit, Period, REVISITS_SHOWN, Report, Span, StageFlow, StatusGroup, month_of,
};
use crate::domain::money::Currency;
use crate::domain::stage::{Pipeline, Stage};
use crate::domain::time::{Millis, Zone, days_between};

/// The whole report for `period` (the one containing `now`, in `zone`), with amounts in
/// `currency` and revisits due by `cadence`.
pub fn report(
    conn: &Connection,
    period: Period,
    currency: &Currency,
    cadence: &Cadence,
    now: Millis,
    zone: Zone,
) -> Result<Report> {
    report_for(
        conn,
        Span::current(period, now, zone),
        currency,
        cadence,
        now,
        zone,
    )
}

/// The whole report for one particular period, past or current (`span`, in `zone`).
/// What describes the book as it stands (open pipeline, forecast, customers, revisits)
/// is as of `now`.
pub fn report_for(
    conn: &Connection,
    span: Span,
    currency: &Currency,
    cadence: &Cadence,
    now: Millis,
    zone: Zone,
) -> Result<Report> {
    report_in(conn, span, None, currency, cadence, now, zone)
}

/// As [`report_for`], for the deals of `pipeline` only (`None`: every pipeline).
pub fn report_in(
    conn: &Connection,
    span: Span,
    pipeline: Option<&Pipeline>,
    currency: &Currency,
    cadence: &Cadence,
    now: Millis,
    zone: Zone,
) -> Result<Report> {
    let bounds = span.bounds(zone);
    let counts = counts_in(conn, bounds, pipeline, cadence, now)?;
    Ok(Report::from_counts(
        counts,
        span.kind(),
        bounds,
        currency.clone(),
        zone.today(now),
    ))
}

/// Everything a report counts, for `bounds`.
pub fn counts(conn: &Connection, bounds: Bounds, cadence: &Cadence, now: Millis) -> Result<Counts> {
    counts_in(conn, bounds, None, cadence, now)
}

/// Everything a report counts, for `bounds`, the deals of `pipeline` only when given.
pub fn counts_in(
    conn: &Connection,
    bounds: Bounds,
    pipeline: Option<&Pipeline>,
    cadence: &Cadence,
    now: Millis,
) -> Result<Counts> {
    let stages = stages::list(conn)?;
    let pipelines: Vec<Pipeline> = match pipeline {
        Some(p) => vec![p.clone()],
        None => pipelines::list(conn)?,
    };
    let deals = fold_deals(conn, &stages, pipeline, bounds)?;
    Ok(Counts {
        stages: stage_flow(conn, &stages, &pipelines, &deals.dead, bounds)?,
        closed: deals.closed,
        open: deals.open,
        lost_reasons: deals.lost_reasons,
        with_won: deals.with_won,
        with_repeat: deals.with_repeat,
        customers: customer_groups(conn)?,
        statuses: status_groups(conn, bounds)?,
        revisits: customers::revisits_due(conn, cadence, now, None, Some(REVISITS_SHOWN))?
            .into_iter()
            .map(|r| OverdueRevisit {
                days_overdue: days_between(r.due_at, now),
                id: r.id,
                name: r.name,
                tier: r.tier,
                last_contact: r.last_contact,
            })
            .collect(),
    })
}

fn conversion_error(i: usize, e: impl std::fmt::Display) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.to_string().into())
}

fn parse_col<T: std::str::FromStr>(r: &Row<'_>, i: usize) -> rusqlite::Result<T>
where
    T::Err: std::fmt::Display,
{
    let text: String = r.get(i)?;
    text.parse().map_err(|e| conversion_error(i, e))
}

/// A text column, borrowed (no copy per row).
fn text<'r>(r: &'r Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
    Ok(r.get_ref(i)?.as_str()?)
}

/// A text column's bytes, borrowed and not checked as UTF-8: for ids compared and looked
/// up by the hundred thousand (the history pass), where the check was a tenth of the time.
fn bytes<'r>(r: &'r Row<'_>, i: usize) -> rusqlite::Result<&'r [u8]> {
    Ok(r.get_ref(i)?.as_bytes()?)
}

/// Sets and maps keyed by ids, hashed with foldhash: SipHash's resistance to chosen keys
/// buys nothing for a report over the user's own book, and it was 7 % of a report's time.
type IdSet = HashSet<Vec<u8>, RandomState>;
type IdMap<V> = HashMap<Vec<u8>, V, RandomState>;

fn opt_text<'r>(r: &'r Row<'_>, i: usize) -> rusqlite::Result<Option<&'r str>> {
    match r.get_ref(i)? {
        ValueRef::Null => Ok(None),
        v => Ok(Some(v.as_str()?)),
    }
}

/// A deal status without the allocation of the general parser (this runs per row).
fn status(r: &Row<'_>, i: usize) -> rusqlite::Result<DealStatus> {
    match bytes(r, i)? {
        b"open" => Ok(DealStatus::Open),
        b"won" => Ok(DealStatus::Won),
        b"lost" => Ok(DealStatus::Lost),
        other => Err(conversion_error(
            i,
            format!("'{}' is not a deal status", String::from_utf8_lossy(other)),
        )),
    }
}

fn currency(code: &str) -> Result<Currency> {
    Currency::stored(code)
        .map_err(|e| StoreError::Invalid(crate::t!("report-bad-currency", error = e.to_string())))
}

/// What one pass over the deals counts.
#[derive(Debug, Default)]
struct DealFold {
    closed: Vec<ClosedGroup>,
    open: Vec<OpenGroup>,
    lost_reasons: Vec<(String, i64)>,
    with_won: i64,
    with_repeat: i64,
    /// Deals that do not count (deleted, or of a deleted customer), for the history pass.
    dead: IdSet,
}

/// Live deals only: not deleted (the indexes' own condition) and not of a deleted
/// customer (a few, or none: SQLite checks against them with a bloom filter).
const OF_LIVE_CUSTOMER: &str =
    "customer_id NOT IN (SELECT id FROM customers WHERE deleted_at IS NOT NULL)";

/// The deals as the report counts them, each part from its own index and never from the
/// deal rows (migration 009): open deals now (by month of expected close, currency and
/// stage probability), deals closed in the period (by status and currency, and lost
/// reasons), won deals per customer (all time) for the repurchase rate, and the deals
/// that do not count, for the history pass.
fn fold_deals(
    conn: &Connection,
    stages: &[Stage],
    pipeline: Option<&Pipeline>,
    bounds: Bounds,
) -> Result<DealFold> {
    // One pipeline's deals: those whose stage (live or deleted) is one of its stages.
    // Bound as ?1; for the whole book the condition is left out, so that the queries stay
    // on their covering indexes.
    const IN_PIPELINE: &str = "stage_id IN (SELECT id FROM stages WHERE pipeline_id = ?1)";
    let pipeline_id = pipeline.map(|p| p.id.as_str());
    let mut fold = DealFold::default();
    let probability = |stage_id: &str| {
        stages
            .iter()
            .find(|s| s.id == stage_id)
            .map_or(0, |s| s.probability)
    };

    // Open deals, per day of expected close in the index's order (no sort); days are
    // folded into months here. Amounts are summed exactly past 64 bits ([`split_sum`]):
    // a hostile or broken team file may hold amounts near the limit. The index is named:
    // with the statistics of PRAGMA optimize SQLite seeks `deals_status_closed` on
    // status instead, reads every open deal's row and sorts them (100k demo book: 134 ms
    // that way, 19 ms from this index).
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT stage_id, currency, expected_close, count(*), {}
           FROM deals INDEXED BY deals_report_open
          WHERE status = 'open' AND deleted_at IS NULL AND {OF_LIVE_CUSTOMER} {}
          GROUP BY stage_id, currency, expected_close",
        split_sum("amount_minor"),
        if pipeline.is_some() {
            format!("AND {IN_PIPELINE}")
        } else {
            String::new()
        }
    ))?;
    // Groups keyed by (month, currency, probability); the month is an index into
    // `months` (they are few), currencies are parsed once per group.
    let mut months: Vec<String> = Vec::new();
    let mut open: Vec<(Option<usize>, String, i64, i64, i128)> = Vec::new();
    let mut rows = match pipeline_id {
        Some(id) => stmt.query([id])?,
        None => stmt.query([])?,
    };
    while let Some(r) = rows.next()? {
        let code = text(r, 1)?;
        let month = opt_text(r, 2)?.and_then(|d| d.get(0..7));
        let key = month.map(|m| match months.iter().position(|k| k == m) {
            Some(i) => i,
            None => {
                months.push(m.to_string());
                months.len() - 1
            }
        });
        let p = probability(text(r, 0)?);
        let deals: i64 = r.get(3)?;
        let amount = wide_sum(r.get(4)?, r.get(5)?);
        match open
            .iter_mut()
            .find(|(k, c, prob, _, _)| *k == key && c == code && *prob == p)
        {
            Some((_, _, _, n, sum)) => {
                *n += deals;
                *sum += amount;
            }
            None => open.push((key, code.to_string(), p, deals, amount)),
        }
    }
    for (key, code, probability, deals, amount) in open {
        fold.open.push(OpenGroup {
            month: key.and_then(|k| months.get(k)).and_then(|m| month_of(m)),
            currency: currency(&code)?,
            probability,
            deals,
            amount_minor: amount,
        });
    }

    // Closed deals: all of them for the repurchase rate (won, all time: a customer
    // figure, so the whole book's), those of the pipeline closed in the period for the
    // rest.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT status, closed_at, currency, amount_minor, created_at, customer_id, lost_reason,
                {}
           FROM deals
          WHERE status IN ('won', 'lost') AND deleted_at IS NULL AND {OF_LIVE_CUSTOMER}",
        if pipeline.is_some() { IN_PIPELINE } else { "1" }
    ))?;
    // Amounts are summed in 128 bits: two amounts near the 64-bit limit must not wrap
    // into a negative total.
    let mut closed: Vec<(DealStatus, String, i64, i128, i64)> = Vec::new();
    let mut reasons: HashMap<String, i64> = HashMap::new();
    let mut won_by_customer: IdMap<i64> = IdMap::default();
    let mut rows = match pipeline_id {
        Some(id) => stmt.query([id])?,
        None => stmt.query([])?,
    };
    while let Some(r) = rows.next()? {
        let status = status(r, 0)?;
        if status == DealStatus::Won {
            let customer = bytes(r, 5)?;
            match won_by_customer.get_mut(customer) {
                Some(n) => *n += 1,
                None => {
                    won_by_customer.insert(customer.to_vec(), 1);
                }
            }
        }
        let Some(closed_at) = r.get::<_, Option<i64>>(1)? else {
            continue;
        };
        if !bounds.contains(closed_at) || !r.get::<_, bool>(7)? {
            continue;
        }
        let code = text(r, 2)?;
        let amount = i128::from(r.get::<_, i64>(3)?);
        let cycle = closed_at.saturating_sub(r.get::<_, i64>(4)?);
        match closed
            .iter_mut()
            .find(|(s, c, _, _, _)| *s == status && c == code)
        {
            Some((_, _, n, sum, ms)) => {
                *n += 1;
                *sum += amount;
                *ms = ms.saturating_add(cycle);
            }
            None => closed.push((status, code.to_string(), 1, amount, cycle)),
        }
        if status == DealStatus::Lost {
            let reason = opt_text(r, 6)?.unwrap_or("").trim().to_lowercase();
            *reasons.entry(reason).or_default() += 1;
        }
    }
    for (status, code, deals, amount, cycle) in closed {
        fold.closed.push(ClosedGroup {
            status,
            currency: currency(&code)?,
            deals,
            amount_minor: amount,
            cycle_ms: cycle,
        });
    }
    fold.lost_reasons = reasons.into_iter().collect();
    fold.with_won = won_by_customer.len() as i64;
    fold.with_repeat = won_by_customer.values().filter(|n| **n >= 2).count() as i64;

    // The deals that do not count: deleted, or of a deleted customer. Few, from indexes.
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM deals WHERE deleted_at IS NOT NULL
         UNION ALL
         SELECT id FROM deals
          WHERE deleted_at IS NULL
            AND customer_id IN (SELECT id FROM customers WHERE deleted_at IS NOT NULL)",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        fold.dead.insert(bytes(r, 0)?.to_vec());
    }
    Ok(fold)
}

/// Where a stage of the history is, for the funnels being counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// In the pipeline counted at this index into `pipelines`: at this index into its
    /// live stages, or `None` when the stage has been deleted.
    Counted(usize, Option<usize>),
    /// In a pipeline not counted (another than the one chosen, or deleted).
    Elsewhere,
    /// A stage with no row at all: no pipeline to tell.
    Unknown,
}

/// The funnel and time in stage of each of `pipelines`, each over its own stages: one
/// pass over the live stage history, deal by deal in time order (the order of the
/// covering `stage_changes_deal` index; changes in the same millisecond in the order they
/// were written), through a [`FunnelTally`] per pipeline. A deal's history is given to
/// the tally of every pipeline it was open in, its changes into other pipelines as
/// [`HistoryStep::elsewhere`].
fn stage_flow(
    conn: &Connection,
    stages: &[Stage],
    pipelines: &[Pipeline],
    dead: &IdSet,
    bounds: Bounds,
) -> Result<Vec<StageFlow>> {
    let mut places: IdMap<Place> = IdMap::default();
    let mut stmt = conn.prepare_cached("SELECT id, pipeline_id FROM stages")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let pipeline = text(r, 1)?;
        let place = match pipelines.iter().position(|p| p.id == pipeline) {
            Some(i) => Place::Counted(i, None),
            None => Place::Elsewhere,
        };
        places.insert(bytes(r, 0)?.to_vec(), place);
    }
    let mut tallies: Vec<FunnelTally> = Vec::with_capacity(pipelines.len());
    for (i, pipeline) in pipelines.iter().enumerate() {
        let own: Vec<&Stage> = stages
            .iter()
            .filter(|s| s.pipeline_id == pipeline.id)
            .collect();
        for (k, stage) in own.iter().enumerate() {
            places.insert(stage.id.as_bytes().to_vec(), Place::Counted(i, Some(k)));
        }
        tallies.push(FunnelTally::new(
            own.iter()
                .map(|s| StageFlow::new(s.id.clone(), s.name.clone()).in_pipeline(&pipeline.name))
                .collect(),
            bounds,
        ));
    }

    let mut stmt = conn.prepare_cached(
        "SELECT deal_id, to_stage_id, to_status, at, rowid FROM stage_changes
          WHERE deleted_at IS NULL ORDER BY deal_id, at",
    )?;
    let mut deal: Vec<u8> = Vec::new();
    // Each step with its rowid: changes in the same millisecond count in the order they
    // were written. The index gives time order; ties are put right here, per deal.
    let mut steps: Vec<(Millis, i64, Place, DealStatus)> = Vec::new();
    let mut ordered: Vec<HistoryStep> = Vec::new();
    let mut counted: Vec<usize> = Vec::new();
    let mut flush = |deal: &[u8], steps: &mut Vec<(Millis, i64, Place, DealStatus)>| {
        if !steps.is_empty() && !dead.contains(deal) {
            steps.sort_by_key(|(at, rowid, _, _)| (*at, *rowid));
            // The pipelines the deal was open in: only their funnels can count it.
            counted.clear();
            for (_, _, place, status) in steps.iter() {
                if let (Place::Counted(i, Some(_)), DealStatus::Open) = (place, status)
                    && !counted.contains(i)
                {
                    counted.push(*i);
                }
            }
            for &i in &counted {
                ordered.clear();
                ordered.extend(steps.iter().map(|&(at, _, place, status)| match place {
                    Place::Counted(j, stage) if j == i => HistoryStep { at, stage, status },
                    Place::Counted(..) | Place::Elsewhere => HistoryStep::elsewhere(at),
                    Place::Unknown => HistoryStep {
                        at,
                        stage: None,
                        status,
                    },
                }));
                if let Some(tally) = tallies.get_mut(i) {
                    tally.add_deal(&ordered);
                }
            }
        }
        steps.clear();
    };
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id = bytes(r, 0)?;
        if id != deal.as_slice() {
            flush(&deal, &mut steps);
            deal.clear();
            deal.extend_from_slice(id);
        }
        let place = places.get(bytes(r, 1)?).copied().unwrap_or(Place::Unknown);
        steps.push((r.get(3)?, r.get(4)?, place, status(r, 2)?));
    }
    flush(&deal, &mut steps);
    Ok(tallies.into_iter().flat_map(FunnelTally::finish).collect())
}

/// Live customers per status and tier, with their satisfaction scores.
fn customer_groups(conn: &Connection) -> Result<Vec<CustomerGroup>> {
    let mut stmt = conn.prepare_cached(
        "SELECT status, tier, count(*), coalesce(sum(satisfaction), 0), count(satisfaction)
           FROM customers WHERE deleted_at IS NULL
          GROUP BY status, tier",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(CustomerGroup {
            status: parse_col(r, 0)?,
            tier: parse_col(r, 1)?,
            customers: r.get(2)?,
            satisfaction_sum: r.get(3)?,
            rated: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Live customers by current status and by when the status was last written relative to
/// the period. That time is the wall-clock part of the status field's sync clock (the
/// first 16 digits of its HLC, unix milliseconds) — an approximation, see
/// [`StatusGroup`]. A status not written since the customer was made has no clock of its
/// own (the row's clock stands for it; see [`crate::store::mutation`]) and counts as
/// changed when the customer was created.
///
/// Every write to a customer also sets its `updated_at`, so a customer not updated since
/// the period began cannot have changed status since: its clock is not looked up (that
/// lookup in the large `field_clock` table is the cost of this query). Prospects are left
/// out: they count neither as churned nor as active at the start.
fn status_groups(conn: &Connection, bounds: Bounds) -> Result<Vec<StatusGroup>> {
    if bounds.start.is_none() {
        // All time needs only the current statuses (see `StatusGroup`): skip the clocks.
        let mut stmt = conn.prepare_cached(
            "SELECT status, count(*) FROM customers WHERE deleted_at IS NULL GROUP BY status",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(StatusGroup {
                status: parse_col(r, 0)?,
                created_before_start: false,
                changed_since_start: true,
                changed_in_period: true,
                customers: r.get(1)?,
            })
        })?;
        return Ok(rows.collect::<rusqlite::Result<_>>()?);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT status, created_at < ?1, changed >= ?1, changed >= ?1 AND changed < ?2, count(*)
           FROM (SELECT c.status, c.created_at,
                        CASE WHEN c.updated_at < ?1 THEN c.updated_at
                             ELSE coalesce((SELECT CAST(substr(f.hlc, 1, 16) AS INTEGER)
                                              FROM field_clock f
                                             WHERE f.tbl = 'customers' AND f.row_id = c.id
                                               AND f.field = 'status'),
                                           c.created_at)
                        END AS changed
                   FROM customers c
                  WHERE c.deleted_at IS NULL AND c.status != 'prospect')
          GROUP BY 1, 2, 3, 4",
    )?;
    let rows = stmt.query_map(params![bounds.start_or_min(), bounds.end_or_max()], |r| {
        Ok(StatusGroup {
            status: parse_col(r, 0)?,
            created_before_start: r.get(1)?,
            changed_since_start: r.get(2)?,
            changed_in_period: r.get(3)?,
            customers: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
