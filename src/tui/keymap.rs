//! The one keymap. Every binding lives in [`BINDINGS`]: the views' keys and the modals'
//! keys alike, each command named `context.command` ([`Context::name`],
//! [`command_name`]). The config's `[keys]` gives a command other keys; the result is
//! the [`Keymap`] in force, built once at start with an index from key to binding.
//! Key handling, the help overlay (`?`), the status-bar hints, the modals' key lines and
//! the README's key tables ([`Keymap::markdown`], checked by a test) all read it, so
//! they can never disagree. A key bound twice in a context is refused at start.

use std::collections::HashMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use toml::Spanned;

use super::action::Command;
use crate::config::{EntryError, KeyBindings, KeyList};

/// Where a binding applies. In a view, keys are looked up in its context first, then in
/// `Global`; an open modal gets every key, and only its own context's bindings apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    Global,
    Board,
    Detail,
    Customers,
    Profile,
    Agenda,
    Reports,
    Form,
    Confirm,
    Picker,
    Search,
    Conflicts,
    Settings,
    Help,
}

impl Context {
    /// In help and README order: the views, then the modals.
    pub const ALL: [Context; 14] = [
        Context::Global,
        Context::Board,
        Context::Detail,
        Context::Customers,
        Context::Profile,
        Context::Agenda,
        Context::Reports,
        Context::Form,
        Context::Confirm,
        Context::Picker,
        Context::Search,
        Context::Conflicts,
        Context::Settings,
        Context::Help,
    ];

    /// The name in `[keys]`: `pipeline.move_next`.
    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Board => "pipeline",
            Context::Detail => "detail",
            Context::Customers => "customers",
            Context::Profile => "profile",
            Context::Agenda => "agenda",
            Context::Reports => "reports",
            Context::Form => "form",
            Context::Confirm => "confirm",
            Context::Picker => "picker",
            Context::Search => "search",
            Context::Conflicts => "conflicts",
            Context::Settings => "settings",
            Context::Help => "help",
        }
    }

    /// Where a plain character is typed text, not a key binding.
    pub fn types_text(self) -> bool {
        matches!(self, Context::Form | Context::Search)
    }

    /// The title as the interface shows it (help's sections), in its language.
    pub fn shown_title(self) -> String {
        crate::i18n::message(&format!("context-{}", self.name()), &[])
    }

    /// The English title: the README's key tables and config errors.
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Board => "Pipeline board",
            Context::Detail => "Deal detail",
            Context::Customers => "Customers board",
            Context::Profile => "Customer profile",
            Context::Agenda => "Agenda",
            Context::Reports => "Reports",
            Context::Form => "Form",
            Context::Confirm => "Question",
            Context::Picker => "Choice",
            Context::Search => "Search",
            Context::Conflicts => "Sync conflicts",
            Context::Settings => "Pipelines and stages",
            Context::Help => "Help",
        }
    }

    /// A modal's context: it takes every key, and global keys do not apply in it.
    pub fn is_modal(self) -> bool {
        match self {
            Context::Form
            | Context::Confirm
            | Context::Picker
            | Context::Search
            | Context::Conflicts
            | Context::Settings
            | Context::Help => true,
            Context::Global
            | Context::Board
            | Context::Detail
            | Context::Customers
            | Context::Profile
            | Context::Agenda
            | Context::Reports => false,
        }
    }
}

/// One key: a code and its modifiers. For characters the case carries Shift, so Shift is
/// ignored when matching them; Control and Alt are not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn ch(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::NONE,
    }
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

const fn alt(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::ALT,
    }
}

const fn alt_code(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::ALT,
    }
}

const fn ctrl_code(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::CONTROL,
    }
}

const fn code(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

const fn shift(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::SHIFT,
    }
}

impl Key {
    /// The key as it is looked up: a character's case carries Shift, so only Control
    /// and Alt count with it; Shift-Tab arrives as BackTab with or without Shift.
    pub fn normal(&self) -> Key {
        let mods = match self.code {
            KeyCode::Char(_) => self
                .mods
                .intersection(KeyModifiers::CONTROL | KeyModifiers::ALT),
            KeyCode::BackTab => self.mods.difference(KeyModifiers::SHIFT),
            _ => self.mods,
        };
        Key {
            code: self.code,
            mods,
        }
    }

    /// The key a pressed key is looked up as.
    pub fn of_event(event: &KeyEvent) -> Key {
        Key {
            code: event.code,
            mods: event.modifiers,
        }
        .normal()
    }

    /// Whether a pressed key is this one.
    pub fn matches(&self, event: &KeyEvent) -> bool {
        self.normal() == Key::of_event(event)
    }

    /// A key as the config writes it: a character (`J`, `?`), a name (`enter`, `esc`,
    /// `tab`, `space`, `up`, `pgdn`, `f5` …) or either after modifiers (`ctrl-u`,
    /// `alt-b`, `shift-right`); also as help shows it (`Shift-←`, `PgDn`). Control with a
    /// letter is the lower-case letter, as terminals send it; Shift with a letter is the
    /// capital.
    pub fn parse(text: &str) -> Result<Key, String> {
        let bad = || crate::t!("keys-not-a-key", key = crate::text::clean(text));
        if text.is_empty() || text.trim() != text {
            return Err(bad());
        }
        let mut mods = KeyModifiers::NONE;
        let mut rest = text;
        // A lone character, "-" and "+" included, is that character.
        while rest.chars().count() > 1 {
            let lower = rest.to_ascii_lowercase();
            let prefix = ["ctrl", "control", "alt", "meta", "shift"]
                .into_iter()
                .find(|p| {
                    lower.starts_with(p)
                        && matches!(lower.as_bytes().get(p.len()), Some(b'-' | b'+'))
                });
            let Some(prefix) = prefix else { break };
            mods |= match prefix {
                "ctrl" | "control" => KeyModifiers::CONTROL,
                "alt" | "meta" => KeyModifiers::ALT,
                _ => KeyModifiers::SHIFT,
            };
            rest = &rest[prefix.len() + 1..];
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) if !c.is_control() => match c {
                '←' => KeyCode::Left,
                '→' => KeyCode::Right,
                '↑' => KeyCode::Up,
                '↓' => KeyCode::Down,
                c if mods.contains(KeyModifiers::CONTROL) => KeyCode::Char(c.to_ascii_lowercase()),
                c if mods.contains(KeyModifiers::SHIFT) => {
                    let upper: Vec<char> = c.to_uppercase().collect();
                    match upper.as_slice() {
                        [u] if *u != c => {
                            mods.remove(KeyModifiers::SHIFT);
                            KeyCode::Char(*u)
                        }
                        _ => KeyCode::Char(c),
                    }
                }
                c => KeyCode::Char(c),
            },
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" if mods.contains(KeyModifiers::SHIFT) => {
                    mods.remove(KeyModifiers::SHIFT);
                    KeyCode::BackTab
                }
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "space" => KeyCode::Char(' '),
                "backspace" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "insert" | "ins" => KeyCode::Insert,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pageup" | "pgup" => KeyCode::PageUp,
                "pagedown" | "pgdn" => KeyCode::PageDown,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                f => match f.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                    Some(n @ 1..=12) => KeyCode::F(n),
                    _ => return Err(bad()),
                },
            },
        };
        Ok(Key { code, mods }.normal())
    }

    /// How the key is written in help: `j`, `↓`, `Shift-←`, `Enter`, `Ctrl-u`.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Delete => "Del".into(),
            KeyCode::Insert => "Ins".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        if self.mods.contains(KeyModifiers::CONTROL) {
            format!("Ctrl-{base}")
        } else if self.mods.contains(KeyModifiers::ALT) {
            format!("Alt-{base}")
        } else if self.mods.contains(KeyModifiers::SHIFT)
            && !matches!(self.code, KeyCode::Char(_) | KeyCode::BackTab)
        {
            format!("Shift-{base}")
        } else {
            base
        }
    }
}

/// A binding's place in the status bar (views) or in the modal's key line: bindings
/// with a hint show there in `rank` order, as "key label" (its first key, or all of them
/// when `all_keys`); bindings of one context that share a rank show as one item ("↑/↓
/// choose").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hint {
    pub rank: u8,
    pub label: &'static str,
    pub all_keys: bool,
}

/// A binding: in `context`, any of `keys` means `command`.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub context: Context,
    pub keys: &'static [Key],
    pub command: Command,
    /// What `?` says it does; empty for a binding that repeats another one's keys in
    /// another case (`Y` for `y`), which help leaves out.
    pub help: &'static str,
    pub hint: Option<Hint>,
}

const fn bind(
    context: Context,
    keys: &'static [Key],
    command: Command,
    help: &'static str,
) -> Binding {
    Binding {
        context,
        keys,
        command,
        help,
        hint: None,
    }
}

impl Binding {
    /// Shows the binding in the status bar or key line, at `rank`, as `label`.
    const fn hint(self, rank: u8, label: &'static str) -> Binding {
        Binding {
            hint: Some(Hint {
                rank,
                label,
                all_keys: false,
            }),
            ..self
        }
    }

    /// Like [`Binding::hint`], showing every key of the binding ("1-9", "y/Enter").
    const fn hint_all(self, rank: u8, label: &'static str) -> Binding {
        Binding {
            hint: Some(Hint {
                rank,
                label,
                all_keys: true,
            }),
            ..self
        }
    }
}

use Command as C;
use Context::{
    Agenda, Board, Confirm, Conflicts, Customers, Detail, Form, Global, Help, Picker, Profile,
    Reports, Search, Settings,
};
use KeyCode::{BackTab, Backspace, Delete, Down, End, Enter, Esc, Home, Left, Right, Tab, Up};

#[rustfmt::skip] // one binding a line reads as the table it is
pub static BINDINGS: &[Binding] = &[
    bind(Global, &[ch('q')], C::Quit, "quit"),
    bind(Global, &[ctrl('c')], C::Quit, "quit from anywhere, a form included"),
    bind(Global, &[ch('?')], C::Help, "help: every key of this view").hint(100, "help"),
    bind(Global, &[ch('u')], C::Undo, "undo the last change"),
    bind(Global, &[ch('/')], C::Search, "search everything"),
    bind(Global, &[ch('C')], C::ReviewConflicts, "review sync conflicts"),
    bind(Global, &[ch('S')], C::Settings, "pipelines, stages and custom fields: add, rename, reorder, delete"),
    bind(Global, &[code(Tab)], C::NextTab, "next view"),
    bind(Global, &[code(BackTab), shift(BackTab)], C::PrevTab, "previous view"),
    bind(Global, &[ch('1')], C::GoTab(0), "Pipeline"),
    bind(Global, &[ch('2')], C::GoTab(1), "Customers"),
    bind(Global, &[ch('3')], C::GoTab(2), "Agenda"),
    bind(Global, &[ch('4')], C::GoTab(3), "Reports"),
    bind(Board, &[ch('h'), code(Left)], C::Left, "previous column"),
    bind(Board, &[ch('l'), code(Right)], C::Right, "next column"),
    bind(Board, &[ch('k'), code(Up)], C::Up, "previous card"),
    bind(Board, &[ch('j'), code(Down)], C::Down, "next card"),
    bind(Board, &[ch('g'), code(Home)], C::First, "first card"),
    bind(Board, &[ch('G'), code(End)], C::Last, "last card"),
    bind(Board, &[ch('H'), shift(Left)], C::MovePrev, "move deal to the previous stage"),
    bind(Board, &[ch('L'), shift(Right)], C::MoveNext, "move deal to the next stage").hint(2, "move"),
    bind(Board, &[code(Enter)], C::Open, "deal detail"),
    bind(Board, &[ch('a')], C::Add, "add a deal").hint(1, "add"),
    bind(Board, &[ch('e')], C::Edit, "edit the deal"),
    bind(Board, &[ch('w')], C::Win, "mark won").hint(3, "won"),
    bind(Board, &[ch('x')], C::Lose, "mark lost (asks the reason)").hint(4, "lost"),
    bind(Board, &[ch('f')], C::FollowUp, "schedule a follow-up").hint(5, "follow-up"),
    bind(Board, &[ch('n')], C::LogActivity, "log an activity"),
    bind(Board, &[ch('D')], C::Delete, "delete the deal (asks first)"),
    bind(Board, &[ch('o')], C::ToggleMine, "mine / everyone's"),
    bind(Board, &[ch('z')], C::ToggleClosed, "show / hide Won and Lost (closed in the last 90 days first)"),
    bind(Board, &[ch('R')], C::Reopen, "reopen the won or lost deal (pick a stage)"),
    bind(Board, &[ch('P')], C::PickPipeline, "show another pipeline (pick one)"),
    bind(Detail, &[code(Esc), code(Backspace)], C::Back, "back where you came from (else the board)").hint(1, "back"),
    bind(Detail, &[ch('k'), code(Up)], C::ScrollUp, "scroll up"),
    bind(Detail, &[ch('j'), code(Down)], C::ScrollDown, "scroll down"),
    bind(Detail, &[ch('c')], C::JumpToCustomer, "open the customer"),
    bind(Detail, &[ch('e')], C::Edit, "edit the deal").hint(2, "edit"),
    bind(Detail, &[ch('w')], C::Win, "mark won"),
    bind(Detail, &[ch('x')], C::Lose, "mark lost (asks the reason)"),
    bind(Detail, &[ch('f')], C::FollowUp, "schedule a follow-up").hint(3, "follow-up"),
    bind(Detail, &[ch('n')], C::LogActivity, "log an activity").hint(4, "log"),
    bind(Detail, &[ch('D')], C::Delete, "delete the deal (asks first)"),
    bind(Detail, &[ch('R')], C::Reopen, "reopen the won or lost deal (pick a stage)"),
    bind(Customers, &[ch('h'), code(Left)], C::Left, "previous column"),
    bind(Customers, &[ch('l'), code(Right)], C::Right, "next column"),
    bind(Customers, &[ch('k'), code(Up)], C::Up, "previous card"),
    bind(Customers, &[ch('j'), code(Down)], C::Down, "next card"),
    bind(Customers, &[ch('g'), code(Home)], C::First, "first card"),
    bind(Customers, &[ch('G'), code(End)], C::Last, "last card"),
    bind(Customers, &[ch('H'), shift(Left)], C::MovePrev, "move to the previous column (status or tier)"),
    bind(Customers, &[ch('L'), shift(Right)], C::MoveNext, "move to the next column (status or tier)").hint(2, "move"),
    bind(Customers, &[code(Enter)], C::Open, "customer profile").hint(1, "profile"),
    bind(Customers, &[ch('v')], C::Regroup, "group by status / by tier").hint(3, "by tier/status"),
    bind(Customers, &[ch('a')], C::Add, "add a customer"),
    bind(Customers, &[ch('e')], C::Edit, "edit the customer"),
    bind(Customers, &[ch('D')], C::Delete, "delete the customer (asks first)"),
    bind(Customers, &[ch('F')], C::Filter, "filter by name, tag, industry or region").hint(4, "filter"),
    bind(Customers, &[code(Esc)], C::Back, "clear the filter"),
    bind(Customers, &[ch('o')], C::ToggleMine, "mine / everyone's"),
    bind(Customers, &[ch('n')], C::LogActivity, "log a visit, call, complaint…"),
    bind(Customers, &[ch('f')], C::FollowUp, "schedule a revisit"),
    bind(Profile, &[code(Esc), code(Backspace)], C::Back, "back where you came from (else the board)").hint(1, "back"),
    bind(Profile, &[ch('k'), code(Up)], C::Up, "previous contact or deal"),
    bind(Profile, &[ch('j'), code(Down)], C::Down, "next contact or deal"),
    bind(Profile, &[code(Enter)], C::Open, "edit the contact / open the deal"),
    bind(Profile, &[ch('a')], C::Add, "add a contact").hint(2, "contact"),
    bind(Profile, &[ch('e')], C::Edit, "edit the profile"),
    bind(Profile, &[ch('D')], C::Delete, "remove the selected contact (asks first)"),
    bind(Profile, &[ch('p')], C::MarkPrimary, "make the contact primary"),
    bind(Profile, &[ch('s')], C::Satisfaction, "set satisfaction 1–5").hint(5, "satisfaction"),
    bind(Profile, &[ch('t')], C::AddTag, "add a tag"),
    bind(Profile, &[ch('T')], C::RemoveTag, "remove a tag"),
    bind(Profile, &[ch('n')], C::LogActivity, "log a visit, call, complaint…").hint(3, "log"),
    bind(Profile, &[ch('f')], C::FollowUp, "schedule a revisit").hint(4, "revisit"),
    bind(Agenda, &[ch('k'), code(Up)], C::Up, "previous item"),
    bind(Agenda, &[ch('j'), code(Down)], C::Down, "next item"),
    bind(Agenda, &[ch('g'), code(Home)], C::First, "first item"),
    bind(Agenda, &[ch('G'), code(End)], C::Last, "last item"),
    bind(Agenda, &[code(Enter)], C::Open, "open the deal or customer").hint(4, "open"),
    bind(Agenda, &[ch('d')], C::Done, "done: record the outcome, then plan the next step").hint(1, "done"),
    bind(Agenda, &[ch('s')], C::Snooze, "snooze (1 h, tomorrow, next Monday, or a time)").hint(2, "snooze"),
    bind(Agenda, &[ch('a')], C::Add, "add a reminder for any deal or customer").hint(3, "add"),
    bind(Agenda, &[ch('e')], C::Edit, "edit the reminder"),
    bind(Agenda, &[ch('D')], C::Delete, "delete the reminder (asks first)"),
    bind(Agenda, &[ch('f')], C::FollowUp, "schedule a follow-up for this deal or customer"),
    bind(Reports, &[ch('['), ch('h'), code(Left)], C::PrevPeriod, "the period before (month, quarter or year)").hint(1, "earlier"),
    bind(Reports, &[ch(']'), ch('l'), code(Right)], C::NextPeriod, "the period after, up to the current one").hint(2, "later"),
    bind(Reports, &[ch('p')], C::CyclePeriod, "period: month, quarter, year, all time").hint(3, "month/quarter/year/all"),
    // `P` as on the board (`p` already steps the period here).
    bind(Reports, &[ch('P')], C::PickPipeline, "pipeline: one pipeline's deals, or all pipelines"),
    // The modals. Typed characters are text in forms and search, not bindings.
    bind(Form, &[code(Enter)], C::Submit, "save (when every field is valid)").hint(1, "save"),
    bind(Form, &[code(Tab)], C::NextField, "next field, taking the highlighted suggestion").hint(2, "next"),
    bind(Form, &[code(Down)], C::Down, "next suggestion, else next field").hint(2, "next"),
    bind(Form, &[code(BackTab), shift(BackTab)], C::PrevField, "previous field").hint(3, "previous"),
    bind(Form, &[code(Up)], C::Up, "previous suggestion, else previous field").hint(3, "previous"),
    bind(Form, &[code(Left)], C::Left, "cursor left; previous choice"),
    bind(Form, &[code(Right)], C::Right, "cursor right; next choice"),
    bind(Form, &[code(Home), ctrl('a')], C::FieldStart, "to the start of the field"),
    bind(Form, &[code(End), ctrl('e')], C::FieldEnd, "to the end of the field"),
    bind(Form, &[ctrl_code(Left), alt('b')], C::WordLeft, "a word back"),
    bind(Form, &[ctrl_code(Right), alt('f')], C::WordRight, "a word on"),
    bind(Form, &[code(Backspace)], C::DeleteChar, "delete the character before the cursor"),
    bind(Form, &[code(Delete), ctrl('d')], C::DeleteForward, "delete the character under the cursor"),
    bind(Form, &[ctrl('w')], C::DeleteWord, "delete the word before the cursor"),
    bind(Form, &[ctrl('k')], C::DeleteToEnd, "delete to the end of the field"),
    bind(Form, &[ctrl('u')], C::ClearField, "clear the field"),
    bind(Form, &[ctrl('j'), alt_code(Enter)], C::NewLine, "a new line (in Notes)"),
    bind(Form, &[code(Esc)], C::Cancel, "cancel without a change").hint(4, "cancel"),
    bind(Confirm, &[ch('y'), code(Enter)], C::Yes, "yes").hint_all(1, "yes"),
    bind(Confirm, &[ch('Y')], C::Yes, ""),
    bind(Confirm, &[ch('n'), code(Esc)], C::No, "no").hint_all(2, "no"),
    bind(Confirm, &[ch('N'), ch('q')], C::No, ""),
    bind(Picker, &[ch('j'), code(Down)], C::Down, "next choice"),
    bind(Picker, &[ch('k'), code(Up)], C::Up, "previous choice"),
    bind(Picker, &[code(Enter)], C::Submit, "choose").hint(1, "choose"),
    bind(Picker, &[ch('1'), ch('2'), ch('3'), ch('4'), ch('5'), ch('6'), ch('7'), ch('8'), ch('9')], C::PickNumber, "choose by number").hint_all(2, ""),
    bind(Picker, &[code(Esc)], C::Cancel, "cancel").hint(3, "cancel"),
    bind(Search, &[code(Up)], C::Up, "previous result").hint(1, "choose"),
    bind(Search, &[code(Down)], C::Down, "next result").hint(1, "choose"),
    bind(Search, &[code(Enter)], C::Submit, "open the result in its view").hint(2, "open"),
    bind(Search, &[code(Left)], C::Left, "cursor left"),
    bind(Search, &[code(Right)], C::Right, "cursor right"),
    bind(Search, &[code(Home), ctrl('a')], C::FieldStart, "to the start"),
    bind(Search, &[code(End), ctrl('e')], C::FieldEnd, "to the end"),
    bind(Search, &[ctrl_code(Left), alt('b')], C::WordLeft, "a word back"),
    bind(Search, &[ctrl_code(Right), alt('f')], C::WordRight, "a word on"),
    bind(Search, &[code(Backspace)], C::DeleteChar, "delete the character before the cursor"),
    bind(Search, &[code(Delete), ctrl('d')], C::DeleteForward, "delete the character under the cursor"),
    bind(Search, &[ctrl('w')], C::DeleteWord, "delete the word before the cursor"),
    bind(Search, &[ctrl('k')], C::DeleteToEnd, "delete to the end"),
    bind(Search, &[ctrl('u')], C::ClearField, "clear the search"),
    bind(Search, &[code(Esc)], C::Cancel, "close").hint(3, "close"),
    bind(Search, &[code(KeyCode::F(1))], C::Help, "help: the keys of search").hint(4, "help"),
    bind(Conflicts, &[ch('t')], C::KeepTheirs, "keep the teammate's value").hint(1, "keep theirs"),
    bind(Conflicts, &[ch('m')], C::RestoreMine, "restore my value").hint(2, "restore mine"),
    bind(Conflicts, &[ch('j')], C::Down, "next conflict").hint(3, "choose"),
    bind(Conflicts, &[ch('k')], C::Up, "previous conflict").hint(3, "choose"),
    bind(Conflicts, &[code(Down)], C::Down, ""),
    bind(Conflicts, &[code(Up)], C::Up, ""),
    bind(Conflicts, &[code(Esc)], C::Cancel, "close").hint(4, "close"),
    bind(Conflicts, &[ch('q')], C::Cancel, ""),
    bind(Settings, &[ch('j'), code(Down)], C::Down, "next line").hint(6, "choose"),
    bind(Settings, &[ch('k'), code(Up)], C::Up, "previous line").hint(6, "choose"),
    bind(Settings, &[ch('a')], C::Add, "add a stage after the selected one (a field in Fields, a member in Members)").hint(1, "add stage"),
    bind(Settings, &[ch('A')], C::AddPipeline, "add a pipeline").hint(2, "add pipeline"),
    bind(Settings, &[ch('e'), code(Enter)], C::Edit, "edit: name, probability, rotting days; a member's role").hint(3, "edit"),
    bind(Settings, &[ch('K'), shift(Up)], C::MovePrev, "move it up (earlier on the board)").hint(4, "move"),
    bind(Settings, &[ch('J'), shift(Down)], C::MoveNext, "move it down (later on the board)").hint(4, "move"),
    bind(Settings, &[ch('D')], C::Delete, "delete it (a stage asks where its deals go; a member is removed, asked first)").hint(5, "delete"),
    bind(Settings, &[ch('u')], C::Undo, "undo the last change (a move, an edit, a delete)"),
    bind(Settings, &[code(Esc), ch('q')], C::Cancel, "close").hint(7, "close"),
    bind(Help, &[ch('j'), code(Down)], C::ScrollDown, "scroll down"),
    bind(Help, &[ch('k'), code(Up)], C::ScrollUp, "scroll up"),
];

/// The name of a command in `[keys]`, after its context's: `pipeline.move_next`. Stable:
/// a user's config depends on it, so a renamed variant keeps its name here.
pub fn command_name(c: Command) -> &'static str {
    match c {
        C::Quit => "quit",
        C::Help => "help",
        C::Search => "search",
        C::Undo => "undo",
        C::NextTab => "next_view",
        C::PrevTab => "previous_view",
        C::GoTab(0) => "go_pipeline",
        C::GoTab(1) => "go_customers",
        C::GoTab(2) => "go_agenda",
        C::GoTab(_) => "go_reports",
        C::Left => "left",
        C::Right => "right",
        C::Up => "up",
        C::Down => "down",
        C::First => "first",
        C::Last => "last",
        C::MovePrev => "move_previous",
        C::MoveNext => "move_next",
        C::Open => "open",
        C::Back => "back",
        C::Add => "add",
        C::Edit => "edit",
        C::Win => "win",
        C::Lose => "lose",
        C::FollowUp => "follow_up",
        C::LogActivity => "log_activity",
        C::Delete => "delete",
        C::ToggleMine => "toggle_mine",
        C::ScrollUp => "scroll_up",
        C::ScrollDown => "scroll_down",
        C::Regroup => "regroup",
        C::Filter => "filter",
        C::Satisfaction => "satisfaction",
        C::AddTag => "add_tag",
        C::RemoveTag => "remove_tag",
        C::MarkPrimary => "mark_primary",
        C::JumpToCustomer => "open_customer",
        C::PrevPeriod => "previous_period",
        C::NextPeriod => "next_period",
        C::CyclePeriod => "cycle_period",
        C::Done => "done",
        C::Snooze => "snooze",
        C::ReviewConflicts => "review_conflicts",
        C::ToggleClosed => "toggle_closed",
        C::PickPipeline => "pick_pipeline",
        C::Settings => "settings",
        C::AddPipeline => "add_pipeline",
        C::Reopen => "reopen",
        C::Submit => "submit",
        C::Cancel => "cancel",
        C::NextField => "next_field",
        C::PrevField => "previous_field",
        C::DeleteChar => "delete_back",
        C::ClearField => "clear",
        C::FieldStart => "start",
        C::FieldEnd => "end",
        C::WordLeft => "word_left",
        C::WordRight => "word_right",
        C::DeleteForward => "delete_forward",
        C::DeleteWord => "delete_word",
        C::DeleteToEnd => "delete_to_end",
        C::NewLine => "new_line",
        C::Yes => "yes",
        C::No => "no",
        C::PickNumber => "pick_number",
        C::KeepTheirs => "keep_theirs",
        C::RestoreMine => "restore_mine",
    }
}

/// A binding in force: the table's, with the keys the config gave its command.
#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    pub context: Context,
    pub command: Command,
    pub keys: Vec<Key>,
    pub help: &'static str,
    pub hint: Option<Hint>,
    /// The catalogue keys of `help` and of the hint's label ([`help_key`]).
    pub help_key: String,
    pub hint_key: String,
}

/// The catalogue keys of what a binding of the table does and of its hint:
/// `help-pipeline-move_next`, `hint-pipeline-move_next`. A second binding of one command
/// with help of its own (Ctrl-C's "quit from anywhere") is `…-2`.
pub fn help_keys(index: usize) -> (String, String) {
    let b = &BINDINGS[index];
    let name = format!("{}-{}", b.context.name(), command_name(b.command));
    let earlier = BINDINGS[..index]
        .iter()
        .filter(|x| x.context == b.context && x.command == b.command && !x.help.is_empty())
        .count();
    let help = if earlier > 0 && !b.help.is_empty() {
        format!("help-{name}-{}", earlier + 1)
    } else {
        format!("help-{name}")
    };
    (help, format!("hint-{name}"))
}

/// The keymap in force: the table ([`BINDINGS`]) with `[keys]` from the config applied,
/// and an index from (context, key) to binding built once, so a key press is a hash
/// lookup or two rather than a walk over the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    bound: Vec<Bound>,
    index: HashMap<(Context, Key), usize>,
}

impl Default for Keymap {
    /// The table as it is.
    fn default() -> Self {
        let bound = BINDINGS
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let mut keys: Vec<Key> = Vec::new();
                for k in b.keys.iter().map(Key::normal) {
                    if !keys.contains(&k) {
                        keys.push(k);
                    }
                }
                Bound {
                    context: b.context,
                    command: b.command,
                    keys,
                    help: b.help,
                    hint: b.hint,
                    help_key: help_keys(i).0,
                    hint_key: help_keys(i).1,
                }
            })
            .collect();
        let mut keymap = Keymap {
            bound,
            index: HashMap::new(),
        };
        keymap.reindex();
        keymap
    }
}

impl Keymap {
    /// The table with the config's `[keys]` on top: each entry gives a command of a
    /// context all its keys. Refused, naming the entry: an unknown context or command, a
    /// key that cannot be read, a plain character where typing is text (forms, search),
    /// and a key that would mean two things in one context (with a default binding that
    /// stays, too) or hide a global key in a view.
    pub fn from_config(keys: &KeyBindings) -> Result<Keymap, EntryError> {
        let mut keymap = Keymap::default();
        // Which entry set a binding's keys, to name it when they clash.
        let mut set_by: HashMap<usize, (String, std::ops::Range<usize>)> = HashMap::new();
        let mut entries: Vec<(&str, &str, &Spanned<KeyList>)> = keys
            .iter()
            .flat_map(|(ctx, commands)| {
                commands
                    .iter()
                    .map(move |(cmd, list)| (ctx.as_str(), cmd.as_str(), list))
            })
            .collect();
        entries.sort_by_key(|(_, _, list)| list.span().start);
        for (ctx_name, cmd_name, list) in entries {
            let at = |message: String| EntryError {
                span: list.span(),
                message,
            };
            let name = format!("keys.{}.{}", clean(ctx_name), clean(cmd_name));
            let context = Context::ALL
                .into_iter()
                .find(|c| c.name() == ctx_name)
                .ok_or_else(|| {
                    at(crate::t!(
                        "keys-no-context",
                        name = &name,
                        context = clean(ctx_name),
                        contexts = Context::ALL.map(Context::name).join(", ")
                    ))
                })?;
            let of_command: Vec<usize> = (0..keymap.bound.len())
                .filter(|i| {
                    let b = &keymap.bound[*i];
                    b.context == context && command_name(b.command) == cmd_name
                })
                .collect();
            let Some(&first) = of_command.first() else {
                let mut names: Vec<&str> = Vec::new();
                for b in keymap.bound.iter().filter(|b| b.context == context) {
                    if !names.contains(&command_name(b.command)) {
                        names.push(command_name(b.command));
                    }
                }
                return Err(at(crate::t!(
                    "keys-no-command",
                    name = &name,
                    context = context.shown_title(),
                    command = clean(cmd_name),
                    commands = names.join(", ")
                )));
            };
            if list.get_ref().0.is_empty() {
                return Err(at(crate::t!("keys-empty", name = &name)));
            }
            let mut parsed: Vec<Key> = Vec::new();
            for text in &list.get_ref().0 {
                let key = Key::parse(text)
                    .map_err(|e| at(crate::t!("keys-entry", name = &name, what = e)))?;
                if context.types_text()
                    && matches!(key.code, KeyCode::Char(_))
                    && key
                        .mods
                        .intersection(KeyModifiers::CONTROL | KeyModifiers::ALT)
                        .is_empty()
                {
                    return Err(at(crate::t!(
                        "keys-typed-text",
                        name = &name,
                        key = key.label(),
                        context = context.shown_title()
                    )));
                }
                if !parsed.contains(&key) {
                    parsed.push(key);
                }
            }
            // The command's first binding takes the keys; its others (the same command
            // under another case, say) give theirs up.
            for i in &of_command {
                keymap.bound[*i].keys.clear();
            }
            keymap.bound[first].keys = parsed;
            set_by.insert(first, (name, list.span()));
        }
        keymap.reindex();
        if let Err((holder, other, key)) = keymap.check() {
            // Name the config entry in the clash; when both are, the later in the file.
            let start = |i: &usize| set_by.get(i).map(|(_, span)| span.start);
            let (entry, clashing) = if start(&other) >= start(&holder) {
                (other, holder)
            } else {
                (holder, other)
            };
            let Some((name, span)) = set_by.get(&entry).cloned() else {
                // Only the table's own bindings: a bug the unit tests catch.
                return Err(EntryError {
                    span: 0..0,
                    message: keymap.validate().err().unwrap_or_default(),
                });
            };
            let (mine, theirs) = (&keymap.bound[entry], &keymap.bound[clashing]);
            let what = if theirs.context == Context::Global && mine.context != Context::Global {
                crate::t!(
                    "keys-hides-global",
                    key = key.label(),
                    command = command_name(theirs.command)
                )
            } else {
                crate::t!(
                    "keys-clash",
                    key = key.label(),
                    context = theirs.context.name(),
                    command = command_name(theirs.command),
                    title = theirs.context.shown_title()
                )
            };
            let advice = if set_by.contains_key(&clashing) {
                crate::t!("keys-advice-other-key")
            } else {
                crate::t!("keys-advice-rebind")
            };
            return Err(EntryError {
                span,
                message: crate::t!(
                    "keys-clash-entry",
                    name = name,
                    what = what,
                    advice = advice
                ),
            });
        }
        Ok(keymap)
    }

    /// Builds the index; where a key is bound twice in a context the first binding keeps
    /// it ([`Keymap::check`] refuses that).
    fn reindex(&mut self) {
        self.index.clear();
        for (i, b) in self.bound.iter().enumerate() {
            for key in &b.keys {
                self.index.entry((b.context, *key)).or_insert(i);
            }
        }
    }

    /// A key bound twice in one context, or a view's key that hides a global one (modals
    /// take every key, so theirs may be global keys too): the two bindings and the key.
    fn check(&self) -> Result<(), (usize, usize, Key)> {
        for (i, b) in self.bound.iter().enumerate() {
            for key in &b.keys {
                if let Some(&j) = self.index.get(&(b.context, *key))
                    && j != i
                {
                    return Err((j, i, *key));
                }
                if b.context != Context::Global
                    && !b.context.is_modal()
                    && let Some(&j) = self.index.get(&(Context::Global, *key))
                {
                    return Err((j, i, *key));
                }
            }
        }
        Ok(())
    }

    /// Refuses a keymap where one key means two things in the same context, or where a
    /// view's key shadows a global one.
    pub fn validate(&self) -> Result<(), String> {
        self.check().map_err(|(a, b, key)| {
            let (a, b) = (&self.bound[a], &self.bound[b]);
            if a.context == b.context {
                crate::t!(
                    "keys-bound-twice",
                    key = key.label(),
                    context = a.context.shown_title()
                )
            } else {
                crate::t!(
                    "keys-hides-global-binding",
                    key = key.label(),
                    context = b.context.shown_title()
                )
            }
        })
    }

    /// The binding a key means in `context`: the context's own, then (in a view, not in
    /// a modal) the global one. The binding's context says which of the two it was.
    pub fn lookup_binding(&self, context: Context, event: &KeyEvent) -> Option<&Bound> {
        let key = Key::of_event(event);
        let found = self.index.get(&(context, key)).or_else(|| {
            if context.is_modal() {
                None
            } else {
                self.index.get(&(Context::Global, key))
            }
        });
        found.and_then(|i| self.bound.get(*i))
    }

    /// The command a key means in `context` (or globally, in a view).
    pub fn lookup(&self, context: Context, event: &KeyEvent) -> Option<Command> {
        self.lookup_binding(context, event).map(|b| b.command)
    }

    /// The first key of `command` in `context`, as help writes it ("?"), for text that
    /// names a key.
    pub fn key_for(&self, context: Context, command: Command) -> Option<String> {
        self.bound
            .iter()
            .find(|b| b.context == context && b.command == command && !b.keys.is_empty())
            .map(|b| b.keys[0].label())
    }

    /// The first key of `command` in `context` for a message that names it ("u
    /// undoes"): the label, or the command's `[keys]` name should it have no key.
    pub fn key(&self, context: Context, command: Command) -> String {
        self.key_for(context, command)
            .unwrap_or_else(|| format!("{}.{}", context.name(), command_name(command)))
    }

    /// The bindings shown in help for `context`: its own, then the global ones.
    /// What it does is in the interface's language.
    pub fn help_for(&self, context: Context) -> Vec<(Context, String, String)> {
        // In a modal the global keys do not apply (typed characters are text in search).
        let contexts: &[Context] = if context.is_modal() {
            &[context]
        } else {
            &[context, Context::Global]
        };
        contexts
            .iter()
            .copied()
            .flat_map(|ctx| {
                self.bound
                    .iter()
                    .filter(move |b| b.context == ctx && !b.help.is_empty() && !b.keys.is_empty())
                    .map(move |b| {
                        let help = crate::i18n::message(&b.help_key, &[]);
                        (ctx, keys_label(&b.keys, " "), help)
                    })
            })
            .collect()
    }

    /// The hint items of `context` in rank order, bindings of one rank merged: ("Tab/↓",
    /// "next"). In a view, the global hints follow.
    fn hint_items(&self, context: Context) -> Vec<(String, String)> {
        let contexts: &[Context] = if context.is_modal() {
            &[context]
        } else {
            &[context, Context::Global]
        };
        let mut hinted: Vec<(u8, &Bound)> = self
            .bound
            .iter()
            .filter(|b| contexts.contains(&b.context) && !b.keys.is_empty())
            .filter_map(|b| b.hint.map(|h| (h.rank, b)))
            .collect();
        // Stable: bindings of one rank keep their table order.
        hinted.sort_by_key(|(rank, _)| *rank);
        let mut items: Vec<(u8, Vec<Key>, String)> = Vec::new();
        for (rank, b) in hinted {
            let Some(hint) = b.hint else { continue };
            let shown = if hint.all_keys {
                &b.keys[..]
            } else {
                &b.keys[..b.keys.len().min(1)]
            };
            match items.last_mut() {
                Some((r, keys, _)) if *r == rank => keys.extend_from_slice(shown),
                _ => {
                    let label = if hint.label.is_empty() {
                        String::new()
                    } else {
                        crate::i18n::message(&b.hint_key, &[])
                    };
                    items.push((rank, shown.to_vec(), label));
                }
            }
        }
        items
            .into_iter()
            .map(|(_, keys, label)| (keys_label(&keys, "/"), label))
            .collect()
    }

    /// The status bar's idle hints for a view, or a modal's key line: "a add · L move · …".
    pub fn hints(&self, context: Context) -> String {
        self.hint_items(context)
            .into_iter()
            .map(|(keys, label)| {
                if label.is_empty() {
                    keys
                } else {
                    format!("{keys} {label}")
                }
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// The README's key tables (in English, as the README is): one per context, every command with its keys, its
    /// `[keys]` name and what it does.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        for context in Context::ALL {
            out.push_str(&format!(
                "\n| {} | `[keys]` name | what it does |\n|---|---|---|\n",
                context.title()
            ));
            let mut done: Vec<Command> = Vec::new();
            for b in self.bound.iter().filter(|b| b.context == context) {
                if done.contains(&b.command) {
                    continue;
                }
                done.push(b.command);
                let same = self
                    .bound
                    .iter()
                    .filter(|x| x.context == context && x.command == b.command);
                let mut keys: Vec<Key> = Vec::new();
                let mut help = "";
                for x in same {
                    keys.extend(x.keys.iter().copied());
                    if help.is_empty() {
                        help = x.help;
                    }
                }
                out.push_str(&format!(
                    "| `{}` | `{}.{}` | {} |\n",
                    keys_label(&keys, "` `"),
                    context.name(),
                    command_name(b.command),
                    help
                ));
            }
        }
        out
    }
}

/// Keys as help writes them: labels joined by `sep`, repeats dropped, and a run of three
/// or more consecutive digits written as a range ("1-9").
fn keys_label(keys: &[Key], sep: &str) -> String {
    let mut labels: Vec<String> = keys.iter().map(Key::label).collect();
    labels.dedup();
    let digit = |l: &String| {
        let mut chars = l.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => c.to_digit(10),
            _ => None,
        }
    };
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < labels.len() {
        let mut j = i;
        while let (Some(a), Some(b)) = (
            labels.get(j).and_then(digit),
            labels.get(j + 1).and_then(digit),
        ) && b == a + 1
        {
            j += 1;
        }
        if j >= i + 2 {
            out.push(format!("{}-{}", labels[i], labels[j]));
        } else {
            out.extend(labels[i..=j].iter().cloned());
        }
        i = j + 1;
    }
    out.join(sep)
}

/// A name from the config, safe to show.
fn clean(text: &str) -> String {
    crate::text::clean(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyEventKind;

    fn press(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent {
            code,
            modifiers: mods,
            kind: KeyEventKind::Press,
            state: crossterm::event::KeyEventState::NONE,
        }
    }

    /// The README's key tables (in English, as the README is) are the default keymap's. `SALESDESK_BLESS_README=1`
    /// writes them after a change to the table.
    #[test]
    fn the_readme_lists_the_default_keys() {
        let path = concat!(std::env!("CARGO_MANIFEST_DIR"), "/README.md");
        let readme = std::fs::read_to_string(path).unwrap();
        let (start, end) = ("<!-- keys:", "<!-- /keys -->");
        let open = readme.find(start).unwrap();
        let body = open + readme[open..].find("-->").unwrap() + 3;
        let close = readme.find(end).unwrap();
        let want = format!("\n{}\n", Keymap::default().markdown());
        if readme[body..close] == want {
            return;
        }
        if std::env::var_os("SALESDESK_BLESS_README").is_some() {
            let fixed = format!("{}{want}{}", &readme[..body], &readme[close..]);
            std::fs::write(path, fixed).unwrap();
            return;
        }
        panic!(
            "README.md's key tables differ from the keymap; run SALESDESK_BLESS_README=1 cargo test --lib readme, or paste:\n{want}"
        );
    }

    #[test]
    fn config_keys_parse_as_written_and_as_help_shows_them() {
        let k = |t: &str| Key::parse(t).unwrap();
        assert_eq!(k("J"), ch('J'));
        assert_eq!(k("shift-j"), ch('J'));
        assert_eq!(k("ctrl-U"), ctrl('u'));
        assert_eq!(k("Ctrl-u"), ctrl('u'));
        assert_eq!(k("alt+b"), alt('b'));
        assert_eq!(k("shift-right"), shift(Right));
        assert_eq!(k("Shift-→"), shift(Right));
        assert_eq!(k("shift-tab"), code(BackTab));
        assert_eq!(k("-"), ch('-'));
        assert_eq!(k("space"), ch(' '));
        assert_eq!(k("PgDn"), code(KeyCode::PageDown));
        assert_eq!(k("f5"), code(KeyCode::F(5)));
        for bad in ["", " J", "shft-right", "ctrl-", "f13", "enterr", "\u{7}"] {
            assert!(Key::parse(bad).is_err(), "{bad:?}");
        }
        // Every key of the table reads back from its label.
        for b in BINDINGS {
            for key in b.keys {
                assert_eq!(
                    Key::parse(&key.label()),
                    Ok(key.normal()),
                    "{}",
                    key.label()
                );
            }
        }
    }

    #[test]
    fn a_rebinding_replaces_the_keys_in_lookup_help_and_hints() {
        let settings = crate::config::Settings::parse(
            "[keys]\npipeline.move_next = [\"J\", \"shift-right\"]\nconfirm.yes = \"enter\"\n",
        )
        .unwrap();
        let km = Keymap::from_config(&settings.keys).unwrap();
        let big = |c: char| press(KeyCode::Char(c), KeyModifiers::SHIFT);
        assert_eq!(
            km.lookup(Context::Board, &big('J')),
            Some(Command::MoveNext)
        );
        assert_eq!(km.lookup(Context::Board, &big('L')), None);
        assert_eq!(
            km.hints(Context::Board),
            "a add · J move · w won · x lost · f follow-up · ? help"
        );
        assert!(
            km.help_for(Context::Board)
                .iter()
                .any(|(_, keys, help)| keys == "J Shift-→" && help.contains("next stage"))
        );
        // `Y` was "yes" too: the entry gives "yes" exactly its keys.
        assert_eq!(km.lookup(Context::Confirm, &big('Y')), None);
        assert_eq!(
            km.lookup(
                Context::Confirm,
                &press(KeyCode::Char('y'), KeyModifiers::NONE)
            ),
            None
        );
        assert_eq!(km.hints(Context::Confirm), "Enter yes · n/Esc no");
    }

    #[test]
    fn the_keymap_has_no_duplicates() {
        assert_eq!(Keymap::default().validate(), Ok(()));
    }

    #[test]
    fn every_binding_help_hint_and_context_is_in_both_catalogues_as_the_table_says() {
        use crate::i18n::{Lang, has, message_in};
        for (i, b) in BINDINGS.iter().enumerate() {
            let (help, hint) = help_keys(i);
            if !b.help.is_empty() {
                for lang in Lang::ALL {
                    assert!(has(lang, &help), "{} lacks {help}", lang.code());
                }
                assert_eq!(message_in(Lang::En, &help, &[]), b.help, "{help}");
            }
            if let Some(h) = b.hint.filter(|h| !h.label.is_empty()) {
                for lang in Lang::ALL {
                    assert!(has(lang, &hint), "{} lacks {hint}", lang.code());
                }
                assert_eq!(message_in(Lang::En, &hint, &[]), h.label, "{hint}");
            }
        }
        for c in Context::ALL {
            let key = format!("context-{}", c.name());
            assert!(has(Lang::ZhCn, &key), "{key}");
            assert_eq!(message_in(Lang::En, &key, &[]), c.title());
        }
    }

    #[test]
    fn hints_in_chinese() {
        crate::i18n::use_in_thread(crate::i18n::Lang::ZhCn);
        let hints = Keymap::default().hints(Context::Board);
        crate::i18n::use_in_thread(crate::i18n::Lang::En);
        assert_eq!(hints, "a 新增 · L 推进 · w 赢单 · x 输单 · f 跟进 · ? 帮助");
    }

    #[test]
    fn hints_and_key_lines_come_from_the_table() {
        crate::i18n::use_in_thread(crate::i18n::Lang::En);
        let hints = |c: Context| Keymap::default().hints(c);
        assert_eq!(
            hints(Context::Board),
            "a add · L move · w won · x lost · f follow-up · ? help"
        );
        assert_eq!(
            hints(Context::Form),
            "Enter save · Tab/↓ next · Shift-Tab/↑ previous · Esc cancel"
        );
        assert_eq!(hints(Context::Picker), "Enter choose · 1-9 · Esc cancel");
        assert_eq!(hints(Context::Confirm), "y/Enter yes · n/Esc no");
        assert_eq!(
            hints(Context::Detail),
            "Esc back · e edit · f follow-up · n log · ? help"
        );
        assert_eq!(
            hints(Context::Search),
            "↑/↓ choose · Enter open · Esc close · F1 help"
        );
        assert_eq!(
            hints(Context::Conflicts),
            "t keep theirs · m restore mine · j/k choose · Esc close"
        );
    }

    #[test]
    fn modals_do_not_fall_back_to_global_keys() {
        let lookup = |c: Context, k: &KeyEvent| Keymap::default().lookup(c, k);
        let q = press(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(lookup(Context::Form, &q), None);
        assert_eq!(lookup(Context::Confirm, &q), Some(Command::No));
        let ctrl_u = press(KeyCode::Char('u'), KeyModifiers::CONTROL);
        assert_eq!(lookup(Context::Form, &ctrl_u), Some(Command::ClearField));
        assert_eq!(lookup(Context::Board, &ctrl_u), None);
    }

    #[test]
    fn vim_and_arrow_keys_both_work() {
        let lookup = |c: Context, k: &KeyEvent| Keymap::default().lookup(c, k);
        let l = press(KeyCode::Char('l'), KeyModifiers::NONE);
        let right = press(KeyCode::Right, KeyModifiers::NONE);
        let shift_right = press(KeyCode::Right, KeyModifiers::SHIFT);
        let big_l = press(KeyCode::Char('L'), KeyModifiers::SHIFT);
        assert_eq!(lookup(Context::Board, &l), Some(Command::Right));
        assert_eq!(lookup(Context::Board, &right), Some(Command::Right));
        assert_eq!(
            lookup(Context::Board, &shift_right),
            Some(Command::MoveNext)
        );
        assert_eq!(lookup(Context::Board, &big_l), Some(Command::MoveNext));
        assert_eq!(
            lookup(
                Context::Detail,
                &press(KeyCode::Char('q'), KeyModifiers::NONE)
            ),
            Some(Command::Quit)
        );
        assert_eq!(
            lookup(
                Context::Board,
                &press(KeyCode::Char('c'), KeyModifiers::CONTROL)
            ),
            Some(Command::Quit),
            "Ctrl-C quits, as in any terminal program"
        );
    }
}
