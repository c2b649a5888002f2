//! Report figures: how the pipeline and the customer base are doing over a period, as
//! plain values, and the arithmetic that turns counted rows into rates and averages.
//!
//! The store counts (SQL `GROUP BY`, see `store::reports`) and hands over [`Counts`];
//! [`Report::from_counts`] divides. Every ratio is an `Option` — `None` when there is
//! nothing to divide by, shown as "—" (`crate::text::percent`), never NaN. Amounts are summed
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

#[cfg(test)]
mod tests;
