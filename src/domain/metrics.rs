//! Report figures: how the pipeline and the customer base are doing over a period, as
//! plain values, and the arithmetic that turns counted rows into rates and averages.
//!
//! The store counts (SQL `GROUP BY`, see `store::reports`) and hands over [`Counts`];
//! [`Report::from_counts`] divides. Every ratio is an `Option` — `None` when there is
//! nothing to divide by, shown as "—" ([`format_percent`]), never NaN. Amounts are summed
//! per currency and never across currencies: the default currency comes first, others are
//! listed beside it.
//!
//! Which figures follow the chosen [`Period`]: win rate, average sales cycle, average won
//! amount, sales velocity, stage conversion, time in stage, lost reasons and churn. The
//! rest describe the book as it stands now: open pipeline, forecast, customers by status
//! and tier, repurchase rate, satisfaction and overdue revisits.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

use super::customer::{CustomerStatus, Tier};
use super::deal::{DealStatus, weighted};
use super::money::{Currency, Money};
use super::time::{Millis, Zone, local_day_start};

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;

/// The span a report covers, in the user's local calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Period {
    #[default]
    Month,
    Quarter,
    Year,
    All,
}

impl Period {
    /// In the order `[` and `]` step through them.
    pub const ALL: [Period; 4] = [Period::Month, Period::Quarter, Period::Year, Period::All];

    /// The command-line and JSON form.
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Year => "year",
            Period::All => "all",
        }
    }

    /// The form shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Period::Month => "This month",
            Period::Quarter => "This quarter",
            Period::Year => "This year",
            Period::All => "All time",
        }
    }

    /// The next longer period (`]`), wrapping from all time back to this month.
    pub fn next(self) -> Period {
        let i = Period::ALL.iter().position(|p| *p == self).unwrap_or(0);
        Period::ALL[(i + 1) % Period::ALL.len()]
    }

    /// The next shorter period (`[`), wrapping from this month to all time.
    pub fn prev(self) -> Period {
        let i = Period::ALL.iter().position(|p| *p == self).unwrap_or(0);
        Period::ALL[(i + Period::ALL.len() - 1) % Period::ALL.len()]
    }

    /// The first local day of the period containing `today`, and of the one after it.
    fn days(self, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        let (year, month) = (today.year(), today.month());
        let first = |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1);
        let (start, months) = match self {
            Period::Month => (first(year, month)?, 1),
            Period::Quarter => (first(year, (month - 1) / 3 * 3 + 1)?, 3),
            Period::Year => (first(year, 1)?, 12),
            Period::All => return None,
        };
        Some((
            start,
            start.checked_add_months(chrono::Months::new(months))?,
        ))
    }

    /// The period containing `now`: local midnight of its first day up to local midnight
    /// of the first day after it, as UTC milliseconds. All time has no bounds.
    pub fn bounds(self, now: Millis, zone: Zone) -> Bounds {
        match self.days(zone.today(now)) {
            Some((start, end)) => Bounds {
                start: Some(day_start(zone, start)),
                end: Some(day_start(zone, end)),
            },
            None => Bounds::ALL,
        }
    }

    /// The period containing `now` named for people: `November 2026`, `Q4 2026`, `2026`,
    /// `All time`.
    pub fn describe(self, now: Millis, zone: Zone) -> String {
        let today = zone.today(now);
        match self {
            Period::Month => today.format("%B %Y").to_string(),
            Period::Quarter => format!("Q{} {}", (today.month() - 1) / 3 + 1, today.year()),
            Period::Year => today.year().to_string(),
            Period::All => "All time".to_string(),
        }
    }
}

fn day_start(zone: Zone, date: NaiveDate) -> Millis {
    match zone {
        Zone::Local => local_day_start(&chrono::Local, date),
        Zone::Named(tz) => local_day_start(&tz, date),
    }
    .timestamp_millis()
}

impl FromStr for Period {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        let wanted = wanted.strip_prefix("this ").unwrap_or(&wanted);
        match wanted {
            "month" => Ok(Period::Month),
            "quarter" => Ok(Period::Quarter),
            "year" => Ok(Period::Year),
            "all" | "all time" => Ok(Period::All),
            _ => Err(format!(
                "'{}' is not a report period; use month, quarter, year or all",
                s.trim()
            )),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `[start, end)` in UTC milliseconds; `None` is open-ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    pub start: Option<Millis>,
    pub end: Option<Millis>,
}

impl Bounds {
    /// No bounds: all time.
    pub const ALL: Bounds = Bounds {
        start: None,
        end: None,
    };

    pub fn contains(&self, at: Millis) -> bool {
        self.start.is_none_or(|s| at >= s) && self.end.is_none_or(|e| at < e)
    }

    /// The start for a SQL range: the earliest instant when open-ended.
    pub fn start_or_min(&self) -> Millis {
        self.start.unwrap_or(Millis::MIN)
    }

    /// The end for a SQL range: the latest instant when open-ended.
    pub fn end_or_max(&self) -> Millis {
        self.end.unwrap_or(Millis::MAX)
    }
}

/// `numerator ÷ denominator`, or `None` when the denominator is zero.
pub fn ratio(numerator: i64, denominator: i64) -> Option<f64> {
    (denominator != 0).then(|| numerator as f64 / denominator as f64)
}

/// `42.9 %`, or `—` when there is no ratio.
pub fn format_percent(r: Option<f64>) -> String {
    r.filter(|r| r.is_finite())
        .map_or_else(|| "—".to_string(), |r| format!("{:.1} %", r * 100.0))
}

/// `12.5 days`, or `—`.
pub fn format_days(days: Option<f64>) -> String {
    days.filter(|d| d.is_finite())
        .map_or_else(|| "—".to_string(), |d| format!("{d:.1} days"))
}

/// `3.8 / 5`, or `—`.
pub fn format_satisfaction(value: Option<f64>) -> String {
    value
        .filter(|v| v.is_finite())
        .map_or_else(|| "—".to_string(), |v| format!("{v:.1} / 5"))
}

// ---------------------------------------------------------------------------------------
// What the store counts.

/// Deals closed in the period with one status and currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosedGroup {
    pub status: DealStatus,
    pub currency: Currency,
    pub deals: i64,
    pub amount_minor: i64,
    /// Sum over these deals of `closed_at − created_at`.
    pub cycle_ms: i64,
}

/// Open deals with one month of expected close, currency and stage probability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenGroup {
    /// First day of the month of expected close; `None` when not set.
    pub month: Option<NaiveDate>,
    pub currency: Currency,
    /// The stage's probability, in percent.
    pub probability: i64,
    pub deals: i64,
    pub amount_minor: i64,
}

/// One stage's history in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageFlow {
    pub stage_id: String,
    pub name: String,
    /// Deals that first entered the stage in the period.
    pub entered: i64,
    /// Of those, the ones that later reached a later stage or were won.
    pub advanced: i64,
    /// Stays in the stage that ended (by a move or a close) in the period.
    pub stays: i64,
    /// Their total length.
    pub stay_ms: i64,
}

impl StageFlow {
    /// A stage with nothing counted yet.
    pub fn new(stage_id: impl Into<String>, name: impl Into<String>) -> StageFlow {
        StageFlow {
            stage_id: stage_id.into(),
            name: name.into(),
            entered: 0,
            advanced: 0,
            stays: 0,
            stay_ms: 0,
        }
    }
}

/// One row of a deal's stage history, as the funnel reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryStep {
    pub at: Millis,
    /// The stage the deal is in after this change, as an index into the live stages in
    /// board order; `None` for a stage that has since been deleted.
    pub stage: Option<usize>,
    /// The deal's status after this change.
    pub status: DealStatus,
}

impl HistoryStep {
    /// How far along the pipeline this step is: a stage's index, above every stage when
    /// won, below every stage when lost or in a deleted stage.
    fn rank(&self) -> i64 {
        match (self.status, self.stage) {
            (DealStatus::Won, _) => i64::MAX,
            (DealStatus::Open, Some(k)) => k as i64,
            _ => -1,
        }
    }
}

/// Counts the funnel one deal at a time, from each deal's stage history in order.
///
/// For every live stage: a deal *entered* it when a change put it there open (created in
/// it, moved or reopened into it); it is counted once, in the period of its first entry,
/// and *advanced* when any later change put it in a later stage or won it. A *stay* in a
/// stage runs from entering it to the deal's next change (a move, a win or a loss); it is
/// counted in the period it ended. Stays still running are not counted.
#[derive(Debug, Clone)]
pub struct FunnelTally {
    bounds: Bounds,
    flows: Vec<StageFlow>,
    /// Scratch, reused between deals: the furthest rank after each step, and which stages
    /// the deal has entered so far.
    later: Vec<i64>,
    seen: Vec<bool>,
}

impl FunnelTally {
    /// `flows` are the live stages in board order, usually from [`StageFlow::new`].
    pub fn new(flows: Vec<StageFlow>, bounds: Bounds) -> FunnelTally {
        let n = flows.len();
        FunnelTally {
            bounds,
            flows,
            later: Vec::new(),
            seen: vec![false; n],
        }
    }

    /// Adds one deal's history, oldest change first.
    pub fn add_deal(&mut self, steps: &[HistoryStep]) {
        self.later.clear();
        self.later.resize(steps.len(), -1);
        for i in (0..steps.len().saturating_sub(1)).rev() {
            self.later[i] = self.later[i + 1].max(steps[i + 1].rank());
        }
        self.seen.iter_mut().for_each(|s| *s = false);
        for (i, step) in steps.iter().enumerate() {
            let (DealStatus::Open, Some(k)) = (step.status, step.stage) else {
                continue;
            };
            let Some(flow) = self.flows.get_mut(k) else {
                continue;
            };
            if let Some(next) = steps.get(i + 1)
                && self.bounds.contains(next.at)
            {
                flow.stays += 1;
                flow.stay_ms += next.at - step.at;
            }
            if !self.seen[k] {
                self.seen[k] = true;
                if self.bounds.contains(step.at) {
                    flow.entered += 1;
                    if self.later[i] > k as i64 {
                        flow.advanced += 1;
                    }
                }
            }
        }
    }

    pub fn finish(self) -> Vec<StageFlow> {
        self.flows
    }
}

/// The first day of the month of a `YYYY-MM-DD` date (or `YYYY-MM`), if it is one.
pub fn month_of(date: &str) -> Option<NaiveDate> {
    let year: i32 = date.get(0..4)?.parse().ok()?;
    let month: u32 = date.get(5..7)?.parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, 1)
}

/// Live customers with one status and tier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerGroup {
    pub status: CustomerStatus,
    pub tier: Tier,
    pub customers: i64,
    pub satisfaction_sum: i64,
    /// How many of them have a satisfaction score.
    pub rated: i64,
}

/// Live customers grouped by their current status and by when that status was last
/// written, relative to the period.
///
/// There is no status history table: the time of a customer's last status change is
/// taken from the clock that team sync keeps for the `status` field (`field_clock`), which
/// is an *approximation* — every write of the field (including an undo, or setting the
/// same value again) moves it, and a status changed twice in the period only shows its
/// last change. See [`StatusGroup::active_at_start`] for how the status at the start of
/// the period is guessed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusGroup {
    pub status: CustomerStatus,
    /// Added before the period began.
    pub created_before_start: bool,
    /// Status last written at or after the period's start.
    pub changed_since_start: bool,
    /// Status last written within the period.
    pub changed_in_period: bool,
    pub customers: i64,
}

impl StatusGroup {
    /// Whether these customers count as active (active or at risk) at the start of the
    /// period. A status untouched since the start is taken to have been the status then.
    /// A status changed since: a customer now churned or at risk is assumed to have been
    /// active before (those are the statuses an active customer falls into); one now
    /// active or a prospect is assumed not to have been a customer yet (typically a
    /// prospect whose first deal was won).
    pub fn active_at_start(&self) -> bool {
        use CustomerStatus::*;
        self.created_before_start
            && if self.changed_since_start {
                matches!(self.status, Churned | AtRisk)
            } else {
                matches!(self.status, Active | AtRisk)
            }
    }

    /// Whether these customers churned in the period: churned now, and the status last
    /// changed within the period.
    pub fn churned_in_period(&self) -> bool {
        self.status == CustomerStatus::Churned && self.changed_in_period
    }

    /// Whether these customers count in the churn rate's numerator: churned in the period
    /// *and* counted active at its start. A customer added and churned within the period
    /// was never in the denominator, so counting it above would let the rate pass 100 %.
    pub fn churned_from_start(&self) -> bool {
        self.churned_in_period() && self.active_at_start()
    }
}

/// A customer past their tier's revisit cadence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueRevisit {
    pub id: String,
    pub name: String,
    pub tier: Tier,
    pub last_contact: Option<Millis>,
    /// Whole days since the revisit fell due.
    pub days_overdue: i64,
}

/// Everything the store counts for a report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    pub closed: Vec<ClosedGroup>,
    pub open: Vec<OpenGroup>,
    /// Live stages in board order.
    pub stages: Vec<StageFlow>,
    /// Lost reasons of deals lost in the period, with their counts.
    pub lost_reasons: Vec<(String, i64)>,
    pub customers: Vec<CustomerGroup>,
    pub statuses: Vec<StatusGroup>,
    /// Live customers with at least one won deal.
    pub with_won: i64,
    /// Of those, the ones with two or more.
    pub with_repeat: i64,
    /// The longest overdue first.
    pub revisits: Vec<OverdueRevisit>,
}

// ---------------------------------------------------------------------------------------
// The figures.

/// A count and amounts in one currency (minor units).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrencyTotal {
    pub currency: Currency,
    pub deals: i64,
    pub total: i64,
    /// Weighted by stage probability (open deals only; equals `total` otherwise).
    pub weighted: i64,
}

impl CurrencyTotal {
    fn zero(currency: Currency) -> CurrencyTotal {
        CurrencyTotal {
            currency,
            deals: 0,
            total: 0,
            weighted: 0,
        }
    }

    pub fn total_money(&self) -> Money {
        Money::new(self.total, self.currency.clone())
    }

    pub fn weighted_money(&self) -> Money {
        Money::new(self.weighted, self.currency.clone())
    }
}

/// One stage of the funnel.
#[derive(Debug, Clone, PartialEq)]
pub struct StageFigures {
    pub stage_id: String,
    pub name: String,
    pub entered: i64,
    pub advanced: i64,
    /// `advanced ÷ entered`.
    pub conversion: Option<f64>,
    pub stays: i64,
    /// Average length of the stays that ended in the period, in days.
    pub average_days: Option<f64>,
}

/// Where an open deal's expected close falls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ForecastBucket {
    /// Expected before the current month and still open: slipping.
    Overdue,
    /// The month starting on this day.
    Month(NaiveDate),
    /// No expected close set.
    NoDate,
}

impl ForecastBucket {
    /// `overdue`, `2026-12`, `no date` (tables and JSON).
    pub fn label(&self) -> String {
        match self {
            ForecastBucket::Overdue => "overdue".into(),
            ForecastBucket::Month(d) => d.format("%Y-%m").to_string(),
            ForecastBucket::NoDate => "no date".into(),
        }
    }

    /// `Late`, `Dec`, `None` (chart labels; January shows its year: `Jan27`).
    pub fn short_label(&self) -> String {
        match self {
            ForecastBucket::Overdue => "Late".into(),
            ForecastBucket::Month(d) if d.month() == 1 => d.format("Jan%y").to_string(),
            ForecastBucket::Month(d) => d.format("%b").to_string(),
            ForecastBucket::NoDate => "None".into(),
        }
    }
}

/// Open deals expected to close in one bucket, per currency (default first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForecastRow {
    pub bucket: ForecastBucket,
    pub totals: Vec<CurrencyTotal>,
}

impl ForecastRow {
    /// The totals in `currency` (zero when there are none).
    pub fn in_currency(&self, currency: &Currency) -> CurrencyTotal {
        self.totals
            .iter()
            .find(|t| &t.currency == currency)
            .cloned()
            .unwrap_or_else(|| CurrencyTotal::zero(currency.clone()))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PipelineFigures {
    /// Open deals now, all currencies.
    pub open_deals: i64,
    /// Open deals now per currency; the default currency first (always present).
    pub open: Vec<CurrencyTotal>,
    /// Deals won and lost in the period, all currencies.
    pub won: i64,
    pub lost: i64,
    /// `won ÷ (won + lost)`.
    pub win_rate: Option<f64>,
    /// Won in the period, per currency; the default currency first (always present).
    pub won_amounts: Vec<CurrencyTotal>,
    /// Mean days from creation to win, deals won in the period.
    pub average_cycle_days: Option<f64>,
    /// Mean amount of deals won in the period in the default currency.
    pub average_won: Option<Money>,
    /// Open deals (default currency) × average won × win rate ÷ average cycle days: the
    /// amount per day the pipeline can be expected to turn into wins.
    pub velocity_per_day: Option<Money>,
    /// Live stages in board order.
    pub funnel: Vec<StageFigures>,
    /// Lost reasons, most frequent first.
    pub lost_reasons: Vec<(String, i64)>,
    /// Overdue first, then months in order, then no date.
    pub forecast: Vec<ForecastRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CustomerFigures {
    /// Live customers.
    pub total: i64,
    /// Every status, in board order, with its count.
    pub by_status: Vec<(CustomerStatus, i64)>,
    /// Every tier with its count.
    pub by_tier: Vec<(Tier, i64)>,
    pub churned: i64,
    pub active_at_start: i64,
    /// `churned ÷ active_at_start`.
    pub churn_rate: Option<f64>,
    pub with_won: i64,
    pub with_repeat: i64,
    /// `with_repeat ÷ with_won`.
    pub repurchase_rate: Option<f64>,
    pub rated: i64,
    pub average_satisfaction: Option<f64>,
    /// At most ten, the longest overdue first.
    pub overdue_revisits: Vec<OverdueRevisit>,
}

/// All the figures of the Reports view and `salesdesk report`.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub period: Period,
    pub bounds: Bounds,
    /// The default currency, that amounts are reported in.
    pub currency: Currency,
    pub pipeline: PipelineFigures,
    pub customers: CustomerFigures,
}

/// How many overdue revisits a report lists.
pub const REVISITS_SHOWN: usize = 10;

impl Report {
    /// Turns the store's counts into figures. `today` is the local date now, which
    /// separates overdue expected closes from this month's.
    pub fn from_counts(
        counts: Counts,
        period: Period,
        bounds: Bounds,
        currency: Currency,
        today: NaiveDate,
    ) -> Report {
        let pipeline = pipeline_figures(&counts, &currency, today);
        let customers = customer_figures(counts, bounds);
        Report {
            period,
            bounds,
            currency,
            pipeline,
            customers,
        }
    }
}

/// Adds `deals`/`total`/`weighted` to the entry for `currency`, keeping the default
/// currency first and the others in code order.
fn add_to(
    totals: &mut Vec<CurrencyTotal>,
    default: &Currency,
    currency: &Currency,
    deals: i64,
    total: i64,
    weighted: i64,
) {
    let entry = match totals.iter().position(|t| &t.currency == currency) {
        Some(i) => &mut totals[i],
        None => {
            totals.push(CurrencyTotal::zero(currency.clone()));
            totals.sort_by(|a, b| {
                (&a.currency != default, &a.currency).cmp(&(&b.currency != default, &b.currency))
            });
            let i = totals
                .iter()
                .position(|t| &t.currency == currency)
                .unwrap_or(0);
            &mut totals[i]
        }
    };
    entry.deals += deals;
    entry.total += total;
    entry.weighted += weighted;
}

fn pipeline_figures(counts: &Counts, currency: &Currency, today: NaiveDate) -> PipelineFigures {
    let this_month = today.with_day(1).unwrap_or(today);
    let mut open = vec![CurrencyTotal::zero(currency.clone())];
    let mut forecast: Vec<ForecastRow> = Vec::new();
    for g in &counts.open {
        let w = weighted(g.amount_minor, g.probability);
        add_to(&mut open, currency, &g.currency, g.deals, g.amount_minor, w);
        let bucket = match g.month {
            None => ForecastBucket::NoDate,
            Some(m) if m < this_month => ForecastBucket::Overdue,
            Some(m) => ForecastBucket::Month(m),
        };
        let row = match forecast.iter().position(|r| r.bucket == bucket) {
            Some(i) => &mut forecast[i],
            None => {
                forecast.push(ForecastRow {
                    bucket,
                    totals: Vec::new(),
                });
                let last = forecast.len() - 1;
                &mut forecast[last]
            }
        };
        add_to(
            &mut row.totals,
            currency,
            &g.currency,
            g.deals,
            g.amount_minor,
            w,
        );
    }
    forecast.sort_by_key(|r| r.bucket);

    let (mut won, mut lost, mut cycle_ms) = (0, 0, 0i64);
    let mut won_amounts = vec![CurrencyTotal::zero(currency.clone())];
    for g in &counts.closed {
        match g.status {
            DealStatus::Won => {
                won += g.deals;
                cycle_ms += g.cycle_ms;
                add_to(
                    &mut won_amounts,
                    currency,
                    &g.currency,
                    g.deals,
                    g.amount_minor,
                    g.amount_minor,
                );
            }
            DealStatus::Lost => lost += g.deals,
            DealStatus::Open => {}
        }
    }
    let win_rate = ratio(won, won + lost);
    let average_cycle_days = ratio(cycle_ms, won).map(|ms| ms / DAY_MS as f64);
    let won_default = &won_amounts[0];
    let average_won = ratio(won_default.total, won_default.deals)
        .map(|avg| Money::new(avg.round() as i64, currency.clone()));
    let open_default = open[0].deals;
    let velocity_per_day = match (&average_won, win_rate, average_cycle_days) {
        (Some(avg), Some(rate), Some(days)) if days >= MIN_VELOCITY_CYCLE_DAYS => {
            let v = open_default as f64 * avg.minor as f64 * rate / days;
            v.is_finite()
                .then(|| Money::new(v.round() as i64, currency.clone()))
        }
        _ => None,
    };

    let funnel = counts
        .stages
        .iter()
        .map(|s| StageFigures {
            stage_id: s.stage_id.clone(),
            name: s.name.clone(),
            entered: s.entered,
            advanced: s.advanced,
            conversion: ratio(s.advanced, s.entered),
            stays: s.stays,
            average_days: ratio(s.stay_ms, s.stays).map(|ms| ms / DAY_MS as f64),
        })
        .collect();

    let mut lost_reasons: Vec<(String, i64)> = Vec::new();
    for (reason, n) in &counts.lost_reasons {
        let reason = reason.trim().to_lowercase();
        let reason = if reason.is_empty() {
            "(no reason)".to_string()
        } else {
            reason
        };
        match lost_reasons.iter_mut().find(|(r, _)| *r == reason) {
            Some((_, total)) => *total += n,
            None => lost_reasons.push((reason, *n)),
        }
    }
    lost_reasons.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));

    PipelineFigures {
        open_deals: open.iter().map(|t| t.deals).sum(),
        open,
        won,
        lost,
        win_rate,
        won_amounts,
        average_cycle_days,
        average_won,
        velocity_per_day,
        funnel,
        lost_reasons,
        forecast,
    }
}

/// The shortest average sales cycle velocity is worked out for. Velocity is an amount per
/// day; deals won within hours of being added (an import, a demo, a counter sale) give a
/// cycle that rounds to 0 days and a rate in the billions that means nothing.
const MIN_VELOCITY_CYCLE_DAYS: f64 = 1.0;

fn customer_figures(counts: Counts, bounds: Bounds) -> CustomerFigures {
    let count_where = |keep: &dyn Fn(&CustomerGroup) -> bool| -> i64 {
        counts
            .customers
            .iter()
            .filter(|g| keep(g))
            .map(|g| g.customers)
            .sum()
    };
    let by_status = CustomerStatus::ALL
        .iter()
        .map(|s| (*s, count_where(&|g| g.status == *s)))
        .collect();
    let by_tier = Tier::ALL
        .iter()
        .map(|t| (*t, count_where(&|g| g.tier == *t)))
        .collect();
    let total = count_where(&|_| true);
    let rated: i64 = counts.customers.iter().map(|g| g.rated).sum();
    let satisfaction_sum: i64 = counts.customers.iter().map(|g| g.satisfaction_sum).sum();

    // All time has no start: its churn rate is churned customers ÷ customers who were
    // ever active (active, at risk or churned now).
    let (churned, active_at_start) = if bounds.start.is_none() {
        let of = |keep: fn(CustomerStatus) -> bool| -> i64 {
            counts
                .statuses
                .iter()
                .filter(|g| keep(g.status))
                .map(|g| g.customers)
                .sum()
        };
        (
            of(|s| s == CustomerStatus::Churned),
            of(|s| s != CustomerStatus::Prospect),
        )
    } else {
        let of = |keep: fn(&StatusGroup) -> bool| -> i64 {
            counts
                .statuses
                .iter()
                .filter(|g| keep(g))
                .map(|g| g.customers)
                .sum()
        };
        (
            of(StatusGroup::churned_from_start),
            of(StatusGroup::active_at_start),
        )
    };

    let mut overdue_revisits = counts.revisits;
    overdue_revisits.truncate(REVISITS_SHOWN);
    CustomerFigures {
        total,
        by_status,
        by_tier,
        churned,
        active_at_start,
        churn_rate: ratio(churned, active_at_start),
        with_won: counts.with_won,
        with_repeat: counts.with_repeat,
        repurchase_rate: ratio(counts.with_repeat, counts.with_won),
        rated,
        average_satisfaction: ratio(satisfaction_sum, rated),
        overdue_revisits,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use chrono_tz::Europe::Berlin;

    fn eur() -> Currency {
        "EUR".parse().unwrap()
    }
    fn usd() -> Currency {
        "USD".parse().unwrap()
    }
    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }
    fn utc_ms(y: i32, m: u32, d: u32, h: u32) -> Millis {
        chrono::Utc
            .with_ymd_and_hms(y, m, d, h, 0, 0)
            .unwrap()
            .timestamp_millis()
    }

    #[test]
    fn periods_step_and_parse() {
        assert_eq!(Period::Month.next(), Period::Quarter);
        assert_eq!(Period::All.next(), Period::Month);
        assert_eq!(Period::Month.prev(), Period::All);
        assert_eq!(Period::Year.prev(), Period::Quarter);
        for p in Period::ALL {
            assert_eq!(p.as_str().parse::<Period>().unwrap(), p);
            assert_eq!(p.next().prev(), p);
        }
        assert_eq!("This Quarter".parse::<Period>().unwrap(), Period::Quarter);
        let err = "week".parse::<Period>().unwrap_err();
        assert_eq!(
            err,
            "'week' is not a report period; use month, quarter, year or all"
        );
    }

    #[test]
    fn period_bounds_are_local_midnights() {
        let now = utc_ms(2026, 11, 25, 10);
        let utc = Zone::Named(chrono_tz::UTC);
        let b = Period::Month.bounds(now, utc);
        assert_eq!(b.start, Some(utc_ms(2026, 11, 1, 0)));
        assert_eq!(b.end, Some(utc_ms(2026, 12, 1, 0)));
        let b = Period::Quarter.bounds(now, utc);
        assert_eq!(b.start, Some(utc_ms(2026, 10, 1, 0)));
        assert_eq!(b.end, Some(utc_ms(2027, 1, 1, 0)));
        let b = Period::Year.bounds(now, utc);
        assert_eq!(b.start, Some(utc_ms(2026, 1, 1, 0)));
        assert_eq!(b.end, Some(utc_ms(2027, 1, 1, 0)));
        assert_eq!(Period::All.bounds(now, utc), Bounds::ALL);
        assert!(Bounds::ALL.contains(Millis::MIN) && Bounds::ALL.contains(Millis::MAX));

        // Berlin: November starts at 23:00 UTC the day before (CET, +1), and the first
        // quarter of the year is Jan–Mar; the third quarter starts in summer time (+2).
        let berlin = Zone::Named(Berlin);
        let b = Period::Month.bounds(now, berlin);
        assert_eq!(b.start, Some(utc_ms(2026, 10, 31, 23)));
        assert_eq!(b.end, Some(utc_ms(2026, 11, 30, 23)));
        let summer = utc_ms(2026, 8, 10, 12);
        let b = Period::Quarter.bounds(summer, berlin);
        assert_eq!(b.start, Some(utc_ms(2026, 6, 30, 22)));
        assert_eq!(b.end, Some(utc_ms(2026, 9, 30, 22)));
        // Just after local midnight on 1 December it is December in Berlin, not in UTC.
        let dec = utc_ms(2026, 11, 30, 23) + 60_000;
        assert_eq!(Period::Month.describe(dec, berlin), "December 2026");
        assert_eq!(Period::Month.describe(dec, utc), "November 2026");
        assert_eq!(Period::Quarter.describe(now, utc), "Q4 2026");
        assert_eq!(Period::Year.describe(now, utc), "2026");
        assert!(b.contains(utc_ms(2026, 8, 1, 0)));
        assert!(!b.contains(utc_ms(2026, 9, 30, 22)));
    }

    #[test]
    fn ratios_are_none_without_a_denominator() {
        assert_eq!(ratio(3, 4), Some(0.75));
        assert_eq!(ratio(0, 0), None);
        assert_eq!(format_percent(ratio(3, 7)), "42.9 %");
        assert_eq!(format_percent(None), "—");
        assert_eq!(format_percent(Some(f64::NAN)), "—");
        assert_eq!(format_days(Some(12.25)), "12.2 days");
        assert_eq!(format_days(None), "—");
        assert_eq!(format_satisfaction(Some(3.75)), "3.8 / 5");
    }

    #[test]
    fn an_empty_book_has_no_rates_and_no_nan() {
        let r = Report::from_counts(
            Counts::default(),
            Period::Month,
            Period::Month.bounds(0, Zone::Named(chrono_tz::UTC)),
            eur(),
            date(2026, 11, 25),
        );
        let p = &r.pipeline;
        assert_eq!((p.open_deals, p.won, p.lost), (0, 0, 0));
        assert_eq!(p.open, vec![CurrencyTotal::zero(eur())]);
        assert_eq!(p.win_rate, None);
        assert_eq!(p.average_cycle_days, None);
        assert_eq!(p.average_won, None);
        assert_eq!(p.velocity_per_day, None);
        assert!(p.forecast.is_empty() && p.lost_reasons.is_empty());
        let c = &r.customers;
        assert_eq!(c.total, 0);
        assert_eq!(c.by_status.len(), 4);
        assert_eq!(c.by_tier.len(), 3);
        assert_eq!(
            (c.churn_rate, c.repurchase_rate, c.average_satisfaction),
            (None, None, None)
        );
    }

    fn closed(
        status: DealStatus,
        currency: Currency,
        deals: i64,
        amount: i64,
        days: i64,
    ) -> ClosedGroup {
        ClosedGroup {
            status,
            currency,
            deals,
            amount_minor: amount,
            cycle_ms: days * DAY_MS,
        }
    }

    #[test]
    fn pipeline_arithmetic() {
        let counts = Counts {
            closed: vec![
                // 3 won in EUR worth 9,000.00 together, 30 days of cycle in all;
                // 1 won in USD (1,000.00), 10 days; 4 lost.
                closed(DealStatus::Won, eur(), 3, 900_000, 30),
                closed(DealStatus::Won, usd(), 1, 100_000, 10),
                closed(DealStatus::Lost, eur(), 3, 50_000, 99),
                closed(DealStatus::Lost, usd(), 1, 10_000, 99),
            ],
            open: vec![
                // Two EUR deals of 1,000.00 in a 50 % stage closing in December, one of
                // 333.33 in a 10 % stage closing in October (overdue), one USD undated.
                OpenGroup {
                    month: Some(date(2026, 12, 1)),
                    currency: eur(),
                    probability: 50,
                    deals: 2,
                    amount_minor: 200_000,
                },
                OpenGroup {
                    month: Some(date(2026, 10, 1)),
                    currency: eur(),
                    probability: 10,
                    deals: 1,
                    amount_minor: 33_333,
                },
                OpenGroup {
                    month: None,
                    currency: usd(),
                    probability: 75,
                    deals: 1,
                    amount_minor: 50_000,
                },
                OpenGroup {
                    month: Some(date(2026, 12, 1)),
                    currency: usd(),
                    probability: 25,
                    deals: 1,
                    amount_minor: 10_000,
                },
            ],
            stages: vec![StageFlow {
                stage_id: "s".into(),
                name: "Lead".into(),
                entered: 4,
                advanced: 3,
                stays: 2,
                stay_ms: 3 * DAY_MS,
            }],
            lost_reasons: vec![
                ("Price".into(), 1),
                ("timing".into(), 2),
                ("price ".into(), 2),
                ("".into(), 1),
            ],
            ..Counts::default()
        };
        let r = Report::from_counts(
            counts,
            Period::Month,
            Bounds::ALL,
            eur(),
            date(2026, 11, 25),
        );
        let p = &r.pipeline;
        // 4 won ÷ (4 won + 4 lost).
        assert_eq!(p.win_rate, Some(0.5));
        // (30 + 10) days ÷ 4 won deals.
        assert_eq!(p.average_cycle_days, Some(10.0));
        // EUR only: 9,000.00 ÷ 3.
        assert_eq!(p.average_won, Some(Money::new(300_000, eur())));
        // 3 open EUR deals × 3,000.00 × 0.5 ÷ 10 days = 450.00 a day.
        assert_eq!(p.velocity_per_day, Some(Money::new(45_000, eur())));
        assert_eq!(p.open_deals, 5);
        // EUR: 2,000.00 + 333.33; weighted 1,000.00 + 33.33 (rounded down per group).
        assert_eq!(
            p.open[0],
            CurrencyTotal {
                currency: eur(),
                deals: 3,
                total: 233_333,
                weighted: 103_333
            }
        );
        assert_eq!(
            p.open[1],
            CurrencyTotal {
                currency: usd(),
                deals: 2,
                total: 60_000,
                weighted: 40_000
            }
        );
        assert_eq!(p.won_amounts[0].total, 900_000);
        assert_eq!(p.won_amounts[1].total, 100_000);
        let buckets: Vec<ForecastBucket> = p.forecast.iter().map(|r| r.bucket).collect();
        assert_eq!(
            buckets,
            [
                ForecastBucket::Overdue,
                ForecastBucket::Month(date(2026, 12, 1)),
                ForecastBucket::NoDate
            ]
        );
        let dec = &p.forecast[1];
        assert_eq!(dec.in_currency(&eur()).weighted, 100_000);
        assert_eq!(dec.in_currency(&usd()).weighted, 2_500);
        assert_eq!(dec.totals[0].currency, eur(), "default currency first");
        assert_eq!(p.forecast[2].in_currency(&eur()).deals, 0);
        assert_eq!(p.funnel[0].conversion, Some(0.75));
        assert_eq!(p.funnel[0].average_days, Some(1.5));
        // Reasons merge case and spaces; most frequent first, ties by name.
        assert_eq!(
            p.lost_reasons,
            [
                ("price".to_string(), 3),
                ("timing".to_string(), 2),
                ("(no reason)".to_string(), 1)
            ]
        );
        assert_eq!(
            ForecastBucket::Month(date(2027, 1, 1)).short_label(),
            "Jan27"
        );
        assert_eq!(dec.bucket.short_label(), "Dec");
    }

    #[test]
    fn velocity_needs_a_positive_cycle() {
        let counts = Counts {
            closed: vec![closed(DealStatus::Won, eur(), 1, 100, 0)],
            open: vec![OpenGroup {
                month: None,
                currency: eur(),
                probability: 10,
                deals: 1,
                amount_minor: 100,
            }],
            ..Counts::default()
        };
        let r = Report::from_counts(counts, Period::All, Bounds::ALL, eur(), date(2026, 1, 1));
        assert_eq!(r.pipeline.average_cycle_days, Some(0.0));
        assert_eq!(r.pipeline.velocity_per_day, None);

        // Won within the hour: a cycle that shows as 0.0 days gives no velocity either.
        let counts = Counts {
            closed: vec![ClosedGroup {
                cycle_ms: DAY_MS / 24,
                ..closed(DealStatus::Won, eur(), 1, 100, 0)
            }],
            open: vec![OpenGroup {
                month: None,
                currency: eur(),
                probability: 10,
                deals: 1,
                amount_minor: 100,
            }],
            ..Counts::default()
        };
        let r = Report::from_counts(counts, Period::All, Bounds::ALL, eur(), date(2026, 1, 1));
        assert!(r.pipeline.average_cycle_days.is_some_and(|d| d > 0.0));
        assert_eq!(r.pipeline.velocity_per_day, None);
    }

    fn step(day: i64, stage: Option<usize>, status: DealStatus) -> HistoryStep {
        HistoryStep {
            at: day * DAY_MS,
            stage,
            status,
        }
    }

    fn flows() -> Vec<StageFlow> {
        ["Lead", "Qualified", "Proposal"]
            .iter()
            .map(|n| StageFlow::new(n.to_lowercase(), *n))
            .collect()
    }

    #[test]
    fn funnel_follows_each_deal_in_order() {
        use DealStatus::*;
        let mut tally = FunnelTally::new(flows(), Bounds::ALL);
        // A: Lead day 0 → Qualified day 2 → won day 5.
        tally.add_deal(&[
            step(0, Some(0), Open),
            step(2, Some(1), Open),
            step(5, Some(1), Won),
        ]);
        // B: Lead day 0 → Proposal day 4 (skips Qualified) → lost day 10.
        tally.add_deal(&[
            step(0, Some(0), Open),
            step(4, Some(2), Open),
            step(10, Some(2), Lost),
        ]);
        // C: Proposal day 1 → back to Qualified day 3 → lost day 4 → reopened in
        // Qualified day 6 → Proposal day 7, still open.
        tally.add_deal(&[
            step(1, Some(2), Open),
            step(3, Some(1), Open),
            step(4, Some(1), Lost),
            step(6, Some(1), Open),
            step(7, Some(2), Open),
        ]);
        // D: in a deleted stage, then Lead, still open.
        tally.add_deal(&[step(0, None, Open), step(1, Some(0), Open)]);
        let f = tally.finish();
        // Lead: A, B, D entered; A and B advanced. Stays: A 2 days, B 4 days (D's runs).
        assert_eq!((f[0].entered, f[0].advanced), (3, 2));
        assert_eq!((f[0].stays, f[0].stay_ms), (2, 6 * DAY_MS));
        // Qualified: A and C entered (C twice, counted once); both advanced (C reached
        // Proposal after entering). Stays: A 3, C 1 and 1.
        assert_eq!((f[1].entered, f[1].advanced), (2, 2));
        assert_eq!((f[1].stays, f[1].stay_ms), (3, 5 * DAY_MS));
        // Proposal: B and C entered, neither advanced (B lost; C went back, not forward).
        // Stays: B 6, C's first 2 (its second runs).
        assert_eq!((f[2].entered, f[2].advanced), (2, 0));
        assert_eq!((f[2].stays, f[2].stay_ms), (2, 8 * DAY_MS));
    }

    #[test]
    fn funnel_counts_entries_and_stays_in_their_period() {
        use DealStatus::*;
        // The period is days 3 to 6.
        let bounds = Bounds {
            start: Some(3 * DAY_MS),
            end: Some(6 * DAY_MS),
        };
        let mut tally = FunnelTally::new(flows(), bounds);
        // Entered Lead before the period, moved to Qualified in it, won after it.
        tally.add_deal(&[
            step(1, Some(0), Open),
            step(4, Some(1), Open),
            step(9, Some(1), Won),
        ]);
        let f = tally.finish();
        // Lead: entered before the period, but its stay ended in it.
        assert_eq!((f[0].entered, f[0].stays, f[0].stay_ms), (0, 1, 3 * DAY_MS));
        // Qualified: entered in the period and advanced (won later); the stay ended after.
        assert_eq!((f[1].entered, f[1].advanced, f[1].stays), (1, 1, 0));
        assert_eq!(month_of("2026-12-15"), Some(date(2026, 12, 1)));
        assert_eq!(month_of("2026-13-01"), None);
        assert_eq!(month_of("soon"), None);
    }

    fn status_group(
        status: CustomerStatus,
        created_before_start: bool,
        changed_since_start: bool,
        customers: i64,
    ) -> StatusGroup {
        StatusGroup {
            status,
            created_before_start,
            changed_since_start,
            changed_in_period: changed_since_start,
            customers,
        }
    }

    #[test]
    fn churn_never_passes_all_customers_active_at_the_start() {
        use CustomerStatus::*;
        let counts = Counts {
            statuses: vec![
                status_group(Active, true, false, 1),
                // Added and churned within the period: three of them.
                status_group(Churned, false, true, 3),
            ],
            ..Counts::default()
        };
        let month = Bounds {
            start: Some(0),
            end: Some(10),
        };
        let r = Report::from_counts(counts, Period::Month, month, eur(), date(2026, 1, 1));
        assert_eq!((r.customers.churned, r.customers.active_at_start), (0, 1));
        assert_eq!(r.customers.churn_rate, Some(0.0));
    }

    #[test]
    fn churn_guesses_the_status_at_the_start() {
        use CustomerStatus::*;
        let statuses = vec![
            // Active all along: counted at the start.
            status_group(Active, true, false, 5),
            // At risk all along: still a customer at the start.
            status_group(AtRisk, true, false, 1),
            // Churned in the period: were active at the start.
            status_group(Churned, true, true, 2),
            // Churned before the period: neither.
            status_group(Churned, true, false, 3),
            // Became active in the period (a won prospect): not counted.
            status_group(Active, true, true, 4),
            // Added in the period and churned in it: churned, but not active at start.
            status_group(Churned, false, true, 1),
            // Prospects.
            status_group(Prospect, true, false, 7),
        ];
        let customers = vec![
            CustomerGroup {
                status: Active,
                tier: Tier::Key,
                customers: 9,
                satisfaction_sum: 8,
                rated: 2,
            },
            CustomerGroup {
                status: Churned,
                tier: Tier::Low,
                customers: 6,
                satisfaction_sum: 1,
                rated: 1,
            },
        ];
        let counts = Counts {
            statuses: statuses.clone(),
            customers,
            with_won: 4,
            with_repeat: 1,
            ..Counts::default()
        };
        let month = Bounds {
            start: Some(0),
            end: Some(10),
        };
        let r = Report::from_counts(
            counts.clone(),
            Period::Month,
            month,
            eur(),
            date(2026, 1, 1),
        );
        let c = &r.customers;
        // Churned in the period from those active at its start: 2 (the one added and
        // churned within it was never active at the start). Active at the start: 5 + 1 + 2.
        assert_eq!((c.churned, c.active_at_start), (2, 8));
        assert_eq!(c.churn_rate, Some(2.0 / 8.0));
        assert_eq!(c.repurchase_rate, Some(0.25));
        // (8 + 1) ÷ 3 rated.
        assert_eq!(c.average_satisfaction, Some(3.0));
        assert_eq!(c.total, 15);
        assert_eq!(c.by_status[1], (Active, 9));
        assert_eq!(
            c.by_tier,
            [(Tier::Key, 9), (Tier::Normal, 0), (Tier::Low, 6)]
        );

        // All time: churned now ÷ ever a customer (everyone but the prospects).
        let r = Report::from_counts(counts, Period::All, Bounds::ALL, eur(), date(2026, 1, 1));
        assert_eq!((r.customers.churned, r.customers.active_at_start), (6, 16));
    }
}
