//! Deals: chances of a sale, moved through stages to won or lost.
//!
//! The rules here are pure: each takes the deal as it is and returns the change to make
//! (`Transition`), which the store writes in one transaction together with the history
//! row and, when a deal is won, the customer's promotion.

use chrono::NaiveDate;

use super::customer::{CustomerStatus, text_enum};
use super::money::Money;
use super::stage::Stage;
use super::time::Millis;

text_enum!(
    /// Open deals sit on the board; won and lost ones have left it.
    DealStatus, "deal status", { Open => "open" / "Open", Won => "won" / "Won", Lost => "lost" / "Lost" }
);

/// One deal as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Deal {
    pub id: String,
    pub title: String,
    pub customer_id: String,
    pub contact_id: Option<String>,
    pub stage_id: String,
    pub status: DealStatus,
    pub amount: Money,
    pub expected_close: Option<NaiveDate>,
    pub source: Option<String>,
    pub owner_id: Option<String>,
    pub lost_reason: Option<String>,
    pub closed_at: Option<Millis>,
    pub position: f64,
    pub notes: Option<String>,
    pub created_at: Millis,
    pub updated_at: Millis,
}

/// A stage or status change, as recorded in `stage_changes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageChange {
    pub from_stage_id: Option<String>,
    pub to_stage_id: String,
    pub from_status: Option<DealStatus>,
    pub to_status: DealStatus,
}

/// What a rule decided: the deal's new stage/status fields, the history row, and the
/// customer's new status when it changes as a consequence.
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    pub stage_id: String,
    pub status: DealStatus,
    pub closed_at: Option<Millis>,
    pub lost_reason: Option<String>,
    pub history: StageChange,
    pub customer_status: Option<CustomerStatus>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("{}", crate::t!("err-RuleError-NotOpen", title = .title.to_string(), status = crate::i18n::noun(.status.as_str())))]
    NotOpen { title: String, status: DealStatus },
    #[error("{}", crate::t!("err-RuleError-SameStage", arg0 = .0.to_string()))]
    SameStage(String),
    #[error("{}", crate::t!("err-RuleError-AlreadyWon", arg0 = .0.to_string()))]
    AlreadyWon(String),
    #[error("{}", crate::t!("err-RuleError-AlreadyLost", arg0 = .0.to_string()))]
    AlreadyLost(String),
    /// Won straight to lost (or back) would skip what reopening undoes: the customer a
    /// win made active would stay active on a lost deal.
    #[error("{}", crate::t!("err-RuleError-Closed", title = .title.to_string(), status = crate::i18n::noun(.status.as_str())))]
    Closed { title: String, status: DealStatus },
    #[error("{}", crate::t!("err-RuleError-ReasonRequired"))]
    ReasonRequired,
    #[error("{}", crate::t!("err-RuleError-NotClosed", arg0 = .0.to_string()))]
    NotClosed(String),
    #[error("{}", crate::t!("err-RuleError-TitleRequired"))]
    TitleRequired,
    #[error("{}", crate::t!("err-RuleError-FirstStage", arg0 = .0.to_string()))]
    FirstStage(String),
    #[error("{}", crate::t!("err-RuleError-LastStage", arg0 = .0.to_string()))]
    LastStage(String),
}

impl Deal {
    fn history_to(&self, stage: &str, status: DealStatus) -> StageChange {
        StageChange {
            from_stage_id: Some(self.stage_id.clone()),
            to_stage_id: stage.to_string(),
            from_status: Some(self.status),
            to_status: status,
        }
    }

    fn closed(&self) -> RuleError {
        RuleError::Closed {
            title: self.title.clone(),
            status: self.status,
        }
    }

    /// Moves an open deal to another stage.
    pub fn move_to_stage(&self, stage_id: &str) -> Result<Transition, RuleError> {
        if self.status != DealStatus::Open {
            return Err(RuleError::NotOpen {
                title: self.title.clone(),
                status: self.status,
            });
        }
        if self.stage_id == stage_id {
            return Err(RuleError::SameStage(self.title.clone()));
        }
        Ok(Transition {
            stage_id: stage_id.to_string(),
            status: DealStatus::Open,
            closed_at: None,
            lost_reason: None,
            history: self.history_to(stage_id, DealStatus::Open),
            customer_status: None,
        })
    }

    /// The stage before or after this deal's, for `H`/`L` on the board.
    pub fn neighbour_stage<'a>(
        &self,
        stages: &'a [Stage],
        forward: bool,
    ) -> Result<&'a Stage, RuleError> {
        let idx = stages
            .iter()
            .position(|s| s.id == self.stage_id)
            .unwrap_or(0);
        let target = if forward {
            idx.checked_add(1)
        } else {
            idx.checked_sub(1)
        };
        match target.and_then(|i| stages.get(i)) {
            Some(s) => Ok(s),
            None if forward => Err(RuleError::LastStage(self.title.clone())),
            None => Err(RuleError::FirstStage(self.title.clone())),
        }
    }

    /// Wins the deal: sets `closed_at`, and a prospect or churned customer becomes active.
    pub fn win(
        &self,
        customer_status: CustomerStatus,
        now: Millis,
    ) -> Result<Transition, RuleError> {
        match self.status {
            DealStatus::Open => {}
            DealStatus::Won => return Err(RuleError::AlreadyWon(self.title.clone())),
            DealStatus::Lost => return Err(self.closed()),
        }
        let promote = matches!(
            customer_status,
            CustomerStatus::Prospect | CustomerStatus::Churned
        );
        Ok(Transition {
            stage_id: self.stage_id.clone(),
            status: DealStatus::Won,
            closed_at: Some(now),
            lost_reason: None,
            history: self.history_to(&self.stage_id, DealStatus::Won),
            customer_status: promote.then_some(CustomerStatus::Active),
        })
    }

    /// Loses the deal; a reason is required.
    pub fn lose(&self, reason: &str, now: Millis) -> Result<Transition, RuleError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(RuleError::ReasonRequired);
        }
        match self.status {
            DealStatus::Open => {}
            DealStatus::Lost => return Err(RuleError::AlreadyLost(self.title.clone())),
            DealStatus::Won => return Err(self.closed()),
        }
        Ok(Transition {
            stage_id: self.stage_id.clone(),
            status: DealStatus::Lost,
            closed_at: Some(now),
            lost_reason: Some(reason.to_string()),
            history: self.history_to(&self.stage_id, DealStatus::Lost),
            customer_status: None,
        })
    }

    /// Reopens a won or lost deal, in its old stage or in `stage_id`.
    pub fn reopen(&self, stage_id: Option<&str>) -> Result<Transition, RuleError> {
        if self.status == DealStatus::Open {
            return Err(RuleError::NotClosed(self.title.clone()));
        }
        let stage = stage_id.unwrap_or(&self.stage_id);
        Ok(Transition {
            stage_id: stage.to_string(),
            status: DealStatus::Open,
            closed_at: None,
            lost_reason: None,
            history: self.history_to(stage, DealStatus::Open),
            customer_status: None,
        })
    }

    /// What the deal is worth to the forecast, in minor units: an open deal's amount ×
    /// its stage's probability (rounded down); a won deal counts in full, a lost one not
    /// at all.
    pub fn weighted_minor(&self, probability: i64) -> i64 {
        match self.status {
            DealStatus::Open => weighted(self.amount.minor, probability),
            DealStatus::Won => self.amount.minor,
            DealStatus::Lost => 0,
        }
    }
}

/// Amount weighted by a stage probability (percent), in minor units.
pub fn weighted(minor: i64, probability: i64) -> i64 {
    weighted_total(i128::from(minor), probability) as i64
}

/// A sum of amounts weighted by a stage probability (percent), in minor units.
pub fn weighted_total(minor: i128, probability: i64) -> i128 {
    minor.saturating_mul(i128::from(probability.clamp(0, 100))) / 100
}

/// Whether an open deal is rotting: nothing has happened on it for longer than its
/// stage's `rot_days`. "Something happened" is the last activity, or the last change to
/// the deal itself when there has been no activity.
pub fn is_rotting(status: DealStatus, last_touch: Millis, rot_days: i64, now: Millis) -> bool {
    status == DealStatus::Open && rot_days > 0 && now - last_touch > rot_days * 86_400_000
}

/// A deal's next follow-up: the earliest open reminder on it.
pub fn next_follow_up(reminder_due_times: impl IntoIterator<Item = Millis>) -> Option<Millis> {
    reminder_due_times.into_iter().min()
}

/// Lifetime value: the sum of won deals' amounts in `currency` (other currencies are
/// never added to it).
pub fn lifetime_value<'a>(
    won: impl IntoIterator<Item = &'a Money>,
    currency: &super::money::Currency,
) -> i64 {
    won.into_iter()
        .filter(|m| &m.currency == currency)
        .map(|m| m.minor)
        .sum()
}

/// Validates a title: trimmed, non-empty.
pub fn validate_title(title: &str) -> Result<String, RuleError> {
    let t = title.trim();
    if t.is_empty() {
        Err(RuleError::TitleRequired)
    } else {
        Ok(t.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Currency;

    fn eur() -> Currency {
        "EUR".parse().unwrap()
    }

    fn deal() -> Deal {
        Deal {
            id: "d1".into(),
            title: "ACME renewal".into(),
            customer_id: "c1".into(),
            contact_id: None,
            stage_id: "stage-lead".into(),
            status: DealStatus::Open,
            amount: Money::new(1_200_000, eur()),
            expected_close: None,
            source: None,
            owner_id: None,
            lost_reason: None,
            closed_at: None,
            position: 0.0,
            notes: None,
            created_at: 0,
            updated_at: 0,
        }
    }

    fn stages() -> Vec<Stage> {
        crate::domain::stage::DEFAULT_STAGES
            .iter()
            .enumerate()
            .map(|(i, (id, name, p, r))| Stage {
                id: id.to_string(),
                name: name.to_string(),
                position: i as i64,
                probability: *p,
                rot_days: *r,
                pipeline_id: crate::domain::stage::DEFAULT_PIPELINE.0.into(),
            })
            .collect()
    }

    #[test]
    fn a_move_records_history() {
        let t = deal().move_to_stage("stage-proposal").unwrap();
        assert_eq!(t.stage_id, "stage-proposal");
        assert_eq!(t.history.from_stage_id.as_deref(), Some("stage-lead"));
        assert_eq!(t.history.to_stage_id, "stage-proposal");
        assert_eq!(t.history.to_status, DealStatus::Open);
        assert!(deal().move_to_stage("stage-lead").is_err());
    }

    #[test]
    fn neighbours_stop_at_the_ends() {
        let s = stages();
        let d = deal();
        assert_eq!(d.neighbour_stage(&s, true).unwrap().name, "Qualified");
        assert!(matches!(
            d.neighbour_stage(&s, false),
            Err(RuleError::FirstStage(_))
        ));
    }

    #[test]
    fn winning_closes_and_promotes_a_prospect() {
        let t = deal().win(CustomerStatus::Prospect, 42).unwrap();
        assert_eq!(t.status, DealStatus::Won);
        assert_eq!(t.closed_at, Some(42));
        assert_eq!(t.customer_status, Some(CustomerStatus::Active));
        assert_eq!(t.history.to_status, DealStatus::Won);
        let t = deal().win(CustomerStatus::Churned, 42).unwrap();
        assert_eq!(t.customer_status, Some(CustomerStatus::Active));
        let t = deal().win(CustomerStatus::AtRisk, 42).unwrap();
        assert_eq!(t.customer_status, None);
    }

    #[test]
    fn losing_needs_a_reason() {
        assert_eq!(deal().lose("  ", 1), Err(RuleError::ReasonRequired));
        let t = deal().lose("price", 1).unwrap();
        assert_eq!(t.lost_reason.as_deref(), Some("price"));
        assert_eq!(t.status, DealStatus::Lost);
    }

    #[test]
    fn closed_deals_reopen_and_cannot_move() {
        let mut d = deal();
        d.status = DealStatus::Lost;
        d.lost_reason = Some("price".into());
        assert!(matches!(
            d.move_to_stage("stage-proposal"),
            Err(RuleError::NotOpen { .. })
        ));
        let t = d.reopen(Some("stage-qualified")).unwrap();
        assert_eq!(
            (t.status, t.stage_id.as_str()),
            (DealStatus::Open, "stage-qualified")
        );
        assert_eq!((t.closed_at, t.lost_reason), (None, None));
        assert!(deal().reopen(None).is_err());
    }

    #[test]
    fn a_closed_deal_is_reopened_before_it_changes_sides() {
        let mut won = deal();
        won.status = DealStatus::Won;
        let err = won.lose("price", 1).unwrap_err();
        assert!(matches!(err, RuleError::Closed { .. }));
        assert_eq!(err.to_string(), "'ACME renewal' is won; reopen it first");
        let mut lost = deal();
        lost.status = DealStatus::Lost;
        assert!(matches!(
            lost.win(CustomerStatus::Prospect, 1),
            Err(RuleError::Closed { .. })
        ));
        assert_eq!(
            won.win(CustomerStatus::Active, 1),
            Err(RuleError::AlreadyWon("ACME renewal".into()))
        );
        assert_eq!(
            lost.lose("price", 1),
            Err(RuleError::AlreadyLost("ACME renewal".into()))
        );
    }

    #[test]
    fn derived_values() {
        assert_eq!(deal().weighted_minor(25), 300_000);
        let mut won = deal();
        won.status = DealStatus::Won;
        assert_eq!(won.weighted_minor(25), 1_200_000);
        won.status = DealStatus::Lost;
        assert_eq!(won.weighted_minor(25), 0);
        assert_eq!(weighted(999, 50), 499);
        assert!(is_rotting(DealStatus::Open, 0, 7, 8 * 86_400_000));
        assert!(!is_rotting(DealStatus::Won, 0, 7, 8 * 86_400_000));
        assert!(!is_rotting(DealStatus::Open, 0, 7, 6 * 86_400_000));
        assert_eq!(next_follow_up([30, 10, 20]), Some(10));
        assert_eq!(next_follow_up([]), None);
        let won = [
            Money::new(100, eur()),
            Money::new(50, eur()),
            Money::new(7, "USD".parse().unwrap()),
        ];
        assert_eq!(lifetime_value(&won, &eur()), 150);
    }
}
