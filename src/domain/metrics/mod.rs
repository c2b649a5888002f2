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
//!
//! - `period` — the span a report covers ([`Period`], [`Bounds`]).
//! - `counts` — what the store counts and hands over ([`Counts`]).
//! - `figures` — the figures worked out from them ([`Report`]).

mod counts;
mod figures;
mod period;

pub use counts::*;
pub use figures::*;
pub use period::*;

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

#[cfg(test)]
mod tests;
