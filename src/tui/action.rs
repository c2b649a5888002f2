//! What the user asked for. Keys become [`Command`]s through the keymap; modals answer
//! with [`Action`]s that carry what was chosen; `App::update` applies either.

use crate::store::activities::Subject;

/// The views, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Pipeline,
}

impl Tab {
    pub const ALL: [Tab; 1] = [Tab::Pipeline];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Pipeline => "Pipeline",
        }
    }
}

/// A key press's meaning, before any payload: what the keymap binds keys to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    Quit,
    Help,
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
    /// Fill the empty database with demo data.
    LoadDemo,
    /// Close the open modal without doing anything.
    CloseModal,
    /// The terminal's new size.
    Resize(u16, u16),
    /// Time passed: check for other processes' writes and due reminders.
    Tick,
}
