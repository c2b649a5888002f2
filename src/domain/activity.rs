//! Activities: calls, emails, meetings, visits, notes, complaints, service events.
//! An activity with a due time and no done time is a *reminder*.

use std::fmt;
use std::str::FromStr;

use super::time::Millis;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActivityKind {
    Call,
    Email,
    Meeting,
    Visit,
    Task,
    Note,
    Complaint,
    Service,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 8] = [
        ActivityKind::Call,
        ActivityKind::Email,
        ActivityKind::Meeting,
        ActivityKind::Visit,
        ActivityKind::Task,
        ActivityKind::Note,
        ActivityKind::Complaint,
        ActivityKind::Service,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::Call => "call",
            ActivityKind::Email => "email",
            ActivityKind::Meeting => "meeting",
            ActivityKind::Visit => "visit",
            ActivityKind::Task => "task",
            ActivityKind::Note => "note",
            ActivityKind::Complaint => "complaint",
            ActivityKind::Service => "service",
        }
    }

    /// "Call", "Email" … as a verb-ish label for the status bar, in the interface's
    /// language.
    pub fn label(self) -> String {
        crate::i18n::message(&self.label_key(), &[])
    }

    /// The catalogue key of [`ActivityKind::label`].
    pub fn label_key(self) -> String {
        format!("enum-ActivityKind-{}", self.as_str())
    }
}

impl FromStr for ActivityKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_ascii_lowercase();
        ActivityKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| crate::t!("activity-kind-unknown", word = s))
    }
}

impl fmt::Display for ActivityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One activity as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    pub id: String,
    pub kind: ActivityKind,
    pub subject: String,
    pub body: Option<String>,
    pub deal_id: Option<String>,
    pub customer_id: Option<String>,
    pub contact_id: Option<String>,
    pub due_at: Option<Millis>,
    pub done_at: Option<Millis>,
    pub outcome: Option<String>,
    pub owner_id: Option<String>,
    pub created_at: Millis,
}

/// Where a reminder falls relative to now and the local day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Urgency {
    Overdue,
    Today,
    Later,
}

impl Activity {
    /// When this happened (done time) or was created, for timelines.
    pub fn happened_at(&self) -> Millis {
        self.done_at.or(self.due_at).unwrap_or(self.created_at)
    }
}

/// Urgency of a reminder due at `due`: overdue once its time has passed, today while it
/// falls before the next local midnight (`today_end`), later otherwise.
pub fn urgency(due: Millis, now: Millis, today_end: Millis) -> Urgency {
    if due < now {
        Urgency::Overdue
    } else if due < today_end {
        Urgency::Today
    } else {
        Urgency::Later
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_reject_unknown() {
        for k in ActivityKind::ALL {
            assert_eq!(k.as_str().parse::<ActivityKind>().unwrap(), k);
        }
        assert!(
            "lunch"
                .parse::<ActivityKind>()
                .unwrap_err()
                .contains("call, email")
        );
    }

    #[test]
    fn urgency_boundaries() {
        let now = 1_000_000;
        let end = 2_000_000;
        assert_eq!(urgency(now - 60_000, now, end), Urgency::Overdue);
        assert_eq!(urgency(now, now, end), Urgency::Today);
        assert_eq!(urgency(end - 1, now, end), Urgency::Today);
        assert_eq!(urgency(end, now, end), Urgency::Later);
    }
}
