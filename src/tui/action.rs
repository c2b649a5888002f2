//! What the user asked for. Keys become [`Command`]s through the keymap; modals answer
//! with [`Action`]s that carry what was chosen; `App::update` applies either.

use crate::store::activities::Subject;
use crate::store::conflicts::Keep;
use crate::store::search::HitKind;

/// The views, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Pipeline,
    Customers,
    Agenda,
    Reports,
}

impl Tab {
    pub const ALL: [Tab; 4] = [Tab::Pipeline, Tab::Customers, Tab::Agenda, Tab::Reports];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Pipeline => "Pipeline",
            Tab::Customers => "Customers",
            Tab::Agenda => "Agenda",
            Tab::Reports => "Reports",
        }
    }
}

/// A key press's meaning, before any payload: what the keymap binds keys to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    Quit,
    Help,
    Search,
    Undo,
    NextTab,
    PrevTab,
    GoTab(usize),
    Left,
    Right,
    Up,
    Down,
    First,
    Last,
    MovePrev,
    MoveNext,
    Open,
    Back,
    Add,
    Edit,
    Win,
    Lose,
    FollowUp,
    LogActivity,
    Delete,
    ToggleMine,
    ScrollUp,
    ScrollDown,
    /// Customers board: group by status or by tier.
    Regroup,
    /// Customers board: filter by name, tag, industry or region.
    Filter,
    /// Profile: set satisfaction.
    Satisfaction,
    AddTag,
    RemoveTag,
    /// Profile: make the selected contact the primary one.
    MarkPrimary,
    /// Deal detail: open the deal's customer.
    JumpToCustomer,
    /// Reports: the previous / next period.
    PrevPeriod,
    NextPeriod,
    /// Agenda: mark the reminder done.
    Done,
    /// Agenda: snooze the reminder.
    Snooze,
    /// Review the values of mine that a teammate's edit replaced.
    ReviewConflicts,
}

/// Everything `update` can do: a bound command, or a modal's answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Command(Command),
    /// The open form's Enter: validate it and save when valid.
    SubmitForm,
    /// Delete this deal (confirmed).
    DeleteDeal(String),
    /// Lose this deal for this reason.
    LoseDeal {
        deal_id: String,
        reason: String,
    },
    /// Ask for a free-text lost reason.
    AskLostReason(String),
    /// Open the follow-up form for a deal or customer, with a suggested subject.
    OfferFollowUp {
        about: Subject,
        subject: String,
    },
    /// Delete this customer (confirmed).
    DeleteCustomer(String),
    /// Remove this contact (confirmed).
    DeleteContact(String),
    /// Move a customer to Churned, logging the reason as an activity.
    ChurnCustomer {
        customer_id: String,
        reason: String,
    },
    SetSatisfaction {
        customer_id: String,
        value: Option<i64>,
    },
    RemoveTag {
        customer_id: String,
        tag: String,
    },
    /// Mark a reminder done with an optional outcome, then offer the next one.
    CompleteReminder {
        id: String,
        outcome: String,
    },
    /// Move a reminder to a new time.
    Snooze {
        id: String,
        due_at: i64,
    },
    /// Ask for a snooze time.
    AskSnoozeTime(String),
    /// Delete a reminder (confirmed).
    DeleteReminder(String),
    /// Settle a sync conflict: keep the teammate's value or restore mine.
    ResolveConflict {
        id: i64,
        keep: Keep,
    },
    /// The search text changed: run the query again.
    SearchChanged,
    /// Open a search result in its view.
    OpenHit(HitKind, String),
    /// Fill the empty database with demo data.
    LoadDemo,
    /// Close the open modal without doing anything.
    CloseModal,
    /// The terminal's new size.
    Resize(u16, u16),
    /// Time passed: check for other processes' writes and due reminders.
    Tick,
}
