//! What the user asked for. Keys become [`Command`]s through the keymap; components and
//! modals answer with [`Action`]s that carry what was chosen; `App::update` applies them.

use crate::domain::customer::{CustomerStatus, Tier};
use crate::domain::deal::Deal;
use crate::domain::stage::Stage;
use crate::store::activities::Subject;
use crate::store::conflicts::Keep;
use crate::store::search::HitKind;

use super::modals::Modal;

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

    /// The tab's label, in the interface's language.
    pub fn title(self) -> String {
        match self {
            Tab::Pipeline => crate::t!("tab-pipeline"),
            Tab::Customers => crate::t!("tab-customers"),
            Tab::Agenda => crate::t!("tab-agenda"),
            Tab::Reports => crate::t!("tab-reports"),
        }
    }
}

/// A key press's meaning, before any payload: what the keymap binds keys to. The views'
/// commands come first, then those only the modals use.
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
    /// Reports: the period before / after the one shown (a month, a quarter, a year).
    PrevPeriod,
    NextPeriod,
    /// Reports: months, quarters, years, all time.
    CyclePeriod,
    /// Agenda: mark the reminder done.
    Done,
    /// Agenda: snooze the reminder.
    Snooze,
    /// Review the values of mine that a teammate's edit replaced.
    ReviewConflicts,
    /// Pipeline: show or hide the Won and Lost columns.
    ToggleClosed,
    /// Show another pipeline on the board (asks which).
    PickPipeline,
    /// Open the pipelines and stages settings.
    Settings,
    /// Settings: add a pipeline.
    AddPipeline,
    /// Reopen a won or lost deal into a stage picked from a list.
    Reopen,
    // --- Modals only -----------------------------------------------------------------
    /// Form: save; picker and search: take the highlighted choice.
    Submit,
    /// Close the modal without doing anything.
    Cancel,
    /// Form: the next field, taking a highlighted suggestion.
    NextField,
    PrevField,
    /// Form and search: delete the last character typed.
    DeleteChar,
    /// Form and search: clear what was typed.
    ClearField,
    /// Text fields: the cursor to the start / end, a word back / on; delete the
    /// character under the cursor, the word before it, everything after it.
    FieldStart,
    FieldEnd,
    WordLeft,
    WordRight,
    DeleteForward,
    DeleteWord,
    DeleteToEnd,
    /// A field of several lines: start a new line.
    NewLine,
    /// Confirm: yes / no.
    Yes,
    No,
    /// Picker: choose by number (the key's digit says which).
    PickNumber,
    /// Conflicts: keep the teammate's value / restore mine.
    KeepTheirs,
    RestoreMine,
}

/// What a component made of a command. A component never writes: a change of data, a
/// modal or a move to another view is an [`Action`] for the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Handled {
    /// The command means nothing here.
    NotHandled,
    /// Done within the component (a move of the selection, a scroll, a reload).
    Consumed,
    /// The app must do this.
    Act(Action),
}

/// Everything `update` can do: a bound command, a component's or a modal's answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Command(Command),
    /// Open this modal.
    Show(Box<Modal>),
    /// Put a message (or an error) in the status bar.
    Say(String),
    Fail(String),
    /// Close the view on top of the board (deal detail, customer profile).
    Back,
    /// Show a deal's detail / a customer's profile, from wherever the user is.
    OpenDeal(String),
    OpenCustomer(String),
    /// Show my records only, or everyone's.
    ToggleMine,
    /// Show this pipeline (an id) on the board.
    ShowPipeline(String),
    /// Report on this pipeline (an id), or on all of them (`None`).
    ReportPipeline(Option<String>),
    /// Open the pipelines and stages settings, this pipeline or stage (an id) selected.
    OpenSettings(Option<String>),
    /// Settings: add a stage after this stage, or first in this pipeline (an id).
    SettingsAdd(String),
    SettingsAddPipeline,
    /// Settings: edit this pipeline or stage (an id).
    SettingsEdit(String),
    /// Settings: move this pipeline or stage one place up or down.
    SettingsMove {
        id: String,
        up: bool,
    },
    /// Settings: delete this pipeline or stage, asking where its deals go.
    SettingsDelete(String),
    /// Settings: undo the last change, the list kept open on this line (an id).
    SettingsUndo(String),
    /// Delete a stage, its open deals to `move_to`.
    DeleteStage {
        id: String,
        move_to: Option<String>,
    },
    /// Delete a pipeline, its open deals to `move_to`.
    DeletePipeline {
        id: String,
        move_to: Option<String>,
    },
    /// Delete a custom field (its id; confirmed).
    DeleteField(String),
    /// Members: give this login of the team another role.
    SetMemberRole {
        login: String,
        kind: crate::sync::postgres::Kind,
    },
    /// Members: remove this login from the team (confirmed).
    RemoveMember(String),
    /// The open form's Enter: validate it and save when valid.
    SubmitForm,
    /// Move a deal to a neighbouring stage.
    MoveDeal {
        deal: Box<Deal>,
        target: Box<Stage>,
    },
    /// Win this deal.
    WinDeal(String),
    /// Delete this deal (confirmed).
    DeleteDeal(String),
    /// Reopen a closed deal into this stage.
    ReopenDeal {
        deal_id: String,
        stage: Box<Stage>,
    },
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
    /// Move a customer card to another status or tier column.
    SetCustomerStatus {
        customer_id: String,
        name: String,
        status: CustomerStatus,
    },
    SetCustomerTier {
        customer_id: String,
        name: String,
        tier: Tier,
    },
    /// Delete this customer (confirmed).
    DeleteCustomer(String),
    /// Remove this contact (confirmed).
    DeleteContact(String),
    /// Make this contact its customer's primary one.
    MarkPrimary {
        contact_id: String,
        name: String,
    },
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

impl Action {
    /// Opening a modal, boxed as actions carry it.
    pub fn show(modal: Modal) -> Action {
        Action::Show(Box::new(modal))
    }
}
