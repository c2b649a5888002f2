//! What the store counts (SQL `GROUP BY`) and hands over to [`super::Report::from_counts`].

use chrono::NaiveDate;

use super::Bounds;
use crate::domain::customer::{CustomerStatus, Tier};
use crate::domain::deal::DealStatus;
use crate::domain::money::Currency;
use crate::domain::time::Millis;

/// Deals closed in the period with one status and currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosedGroup {
    pub status: DealStatus,
    pub currency: Currency,
    pub deals: i64,
    /// Their amounts' sum (128-bit: a sum never wraps).
    pub amount_minor: i128,
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
    /// Their amounts' sum (128-bit: a sum never wraps).
    pub amount_minor: i128,
}

/// One stage's history in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageFlow {
    pub stage_id: String,
    pub name: String,
    /// The name of the pipeline the stage belongs to: the funnel is counted per pipeline.
    pub pipeline: String,
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
            pipeline: String::new(),
            entered: 0,
            advanced: 0,
            stays: 0,
            stay_ms: 0,
        }
    }

    /// The same stage, of the pipeline named `pipeline`.
    pub fn in_pipeline(self, pipeline: impl Into<String>) -> StageFlow {
        StageFlow {
            pipeline: pipeline.into(),
            ..self
        }
    }
}

/// One row of a deal's stage history, as the funnel reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryStep {
    pub at: Millis,
    /// The stage the deal is in after this change, as an index into the live stages of
    /// the pipeline being counted, in board order; `None` for a stage that has since been
    /// deleted.
    pub stage: Option<usize>,
    /// The deal's status after this change.
    pub status: DealStatus,
}

impl HistoryStep {
    /// A change that took the deal into another pipeline, as one pipeline's funnel sees
    /// it: the deal left, as if lost. It advanced no stage of this pipeline, and a win
    /// in the other pipeline is not this pipeline's conversion.
    pub fn elsewhere(at: Millis) -> HistoryStep {
        HistoryStep {
            at,
            stage: None,
            status: DealStatus::Lost,
        }
    }

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

/// Counts one pipeline's funnel one deal at a time, from each deal's stage history in
/// order (changes into other pipelines given as [`HistoryStep::elsewhere`]).
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
    /// `flows` are the pipeline's live stages in board order, usually from
    /// [`StageFlow::new`].
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
    /// Live stages, pipeline by pipeline, each in board order; each pipeline's funnel
    /// counted on its own.
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
