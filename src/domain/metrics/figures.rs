//! The figures: counts turned into totals, rates and averages.

use chrono::{Datelike, NaiveDate};

use super::{Bounds, Counts, CustomerGroup, DAY_MS, OverdueRevisit, Period, StatusGroup, ratio};
use crate::domain::customer::{CustomerStatus, Tier};
use crate::domain::deal::{DealStatus, weighted_total};
use crate::domain::money::{Currency, Money, Total};

/// A count and amounts in one currency (minor units; 128-bit, as sums never wrap).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrencyTotal {
    pub currency: Currency,
    pub deals: i64,
    pub total: i128,
    /// Weighted by stage probability (open deals only; equals `total` otherwise).
    pub weighted: i128,
}

impl CurrencyTotal {
    pub(super) fn zero(currency: Currency) -> CurrencyTotal {
        CurrencyTotal {
            currency,
            deals: 0,
            total: 0,
            weighted: 0,
        }
    }

    pub fn total_money(&self) -> Total {
        Total::new(self.total, self.currency.clone())
    }

    pub fn weighted_money(&self) -> Total {
        Total::new(self.weighted, self.currency.clone())
    }
}

/// One stage of the funnel.
#[derive(Debug, Clone, PartialEq)]
pub struct StageFigures {
    pub stage_id: String,
    pub name: String,
    /// The pipeline's name.
    pub pipeline: String,
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

    /// `Late`, `Dec`, `None` (chart labels; January shows its year: `Jan27`), in the
    /// interface's language (`逾期`, `12月`, `27年1月`).
    pub fn short_label(&self) -> String {
        match self {
            ForecastBucket::Overdue => crate::t!("forecast-late"),
            ForecastBucket::Month(d) => crate::t!(
                "forecast-month",
                month = d.month(),
                year = d.format("%y").to_string()
            ),
            ForecastBucket::NoDate => crate::t!("forecast-none"),
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
    /// Live stages, pipeline by pipeline (only the chosen one's when the report is for
    /// one pipeline), each in board order.
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
    total: i128,
    weighted: i128,
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
        let w = weighted_total(g.amount_minor, g.probability);
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
    // A mean of amounts that each fit in 64 bits fits too (`as` saturates a float).
    let average_won = (won_default.deals != 0)
        .then(|| won_default.total as f64 / won_default.deals as f64)
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
            pipeline: s.pipeline.clone(),
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
            crate::t!("report-no-reason")
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
