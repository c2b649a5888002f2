//! The one keymap. Every binding lives in [`BINDINGS`]: the views' keys and the modals'
//! keys alike. Key handling, the help overlay (`?`), the status-bar hints and the modals'
//! key lines all read it, so they can never disagree. Duplicates are rejected at start
//! ([`validate`]).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Command;

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
    Help,
}

impl Context {
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
    /// Whether a pressed key is this one.
    pub fn matches(&self, event: &KeyEvent) -> bool {
        let held = KeyModifiers::CONTROL | KeyModifiers::ALT;
        match (self.code, event.code) {
            (KeyCode::Char(a), KeyCode::Char(b)) => {
                a == b && event.modifiers.intersection(held) == self.mods.intersection(held)
            }
            (a, b) => a == b && event.modifiers == self.mods,
        }
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
    Reports, Search,
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
    bind(Help, &[ch('j'), code(Down)], C::ScrollDown, "scroll down"),
    bind(Help, &[ch('k'), code(Up)], C::ScrollUp, "scroll up"),
];

/// The binding a key means in `context`: the context's own, then (in a view, not in a
/// modal) the global one. The binding's context says which of the two it was.
pub fn lookup_binding(context: Context, event: &KeyEvent) -> Option<&'static Binding> {
    let find = |ctx: Context| {
        BINDINGS
            .iter()
            .filter(|b| b.context == ctx)
            .find(|b| b.keys.iter().any(|k| k.matches(event)))
    };
    find(context).or_else(|| {
        if context.is_modal() {
            None
        } else {
            find(Global)
        }
    })
}

/// The command a key means in `context` (or globally, in a view).
pub fn lookup(context: Context, event: &KeyEvent) -> Option<Command> {
    lookup_binding(context, event).map(|b| b.command)
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

/// The bindings shown in help for `context`: its own, then the global ones.
pub fn help_for(context: Context) -> Vec<(Context, String, &'static str)> {
    // In a modal the global keys do not apply (typed characters are text in search).
    let contexts: &[Context] = if context.is_modal() {
        &[context]
    } else {
        &[context, Global]
    };
    contexts
        .iter()
        .copied()
        .flat_map(|ctx| {
            BINDINGS
                .iter()
                .filter(move |b| b.context == ctx && !b.help.is_empty())
                .map(move |b| (ctx, keys_label(b.keys, " "), b.help))
        })
        .collect()
}

/// The hint items of `context` in rank order, bindings of one rank merged: ("Tab/↓",
/// "next"). In a view, the global hints follow.
fn hint_items(context: Context) -> Vec<(String, &'static str)> {
    let contexts: &[Context] = if context.is_modal() {
        &[context]
    } else {
        &[context, Global]
    };
    let mut hinted: Vec<(u8, &Binding)> = BINDINGS
        .iter()
        .filter(|b| contexts.contains(&b.context))
        .filter_map(|b| b.hint.map(|h| (h.rank, b)))
        .collect();
    // Stable: bindings of one rank keep their table order.
    hinted.sort_by_key(|(rank, _)| *rank);
    let mut items: Vec<(u8, Vec<Key>, &'static str)> = Vec::new();
    for (rank, b) in hinted {
        let Some(hint) = b.hint else { continue };
        let shown = if hint.all_keys {
            b.keys
        } else {
            &b.keys[..b.keys.len().min(1)]
        };
        match items.last_mut() {
            Some((r, keys, _)) if *r == rank => keys.extend_from_slice(shown),
            _ => items.push((rank, shown.to_vec(), hint.label)),
        }
    }
    items
        .into_iter()
        .map(|(_, keys, label)| (keys_label(&keys, "/"), label))
        .collect()
}

/// The status bar's idle hints for a view, or a modal's key line: "a add · L move · …".
pub fn hints(context: Context) -> String {
    hint_items(context)
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

/// Refuses a keymap where one key means two things in the same context, or where a
/// view's key shadows a global one by accident. (Modals take every key, so theirs may
/// be global keys too.)
pub fn validate() -> Result<(), String> {
    let mut seen: Vec<(Context, Key)> = Vec::new();
    for b in BINDINGS {
        for key in b.keys {
            if seen.contains(&(b.context, *key)) {
                return Err(format!(
                    "key {} is bound twice in {}",
                    key.label(),
                    b.context.title()
                ));
            }
            seen.push((b.context, *key));
        }
    }
    for (ctx, key) in &seen {
        if *ctx != Global && !ctx.is_modal() && seen.contains(&(Global, *key)) {
            return Err(format!(
                "key {} in {} hides the global binding",
                key.label(),
                ctx.title()
            ));
        }
    }
    Ok(())
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

    #[test]
    fn the_keymap_has_no_duplicates() {
        assert_eq!(validate(), Ok(()));
    }

    #[test]
    fn hints_and_key_lines_come_from_the_table() {
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
        let q = press(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(lookup(Context::Form, &q), None);
        assert_eq!(lookup(Context::Confirm, &q), Some(Command::No));
        let ctrl_u = press(KeyCode::Char('u'), KeyModifiers::CONTROL);
        assert_eq!(lookup(Context::Form, &ctrl_u), Some(Command::ClearField));
        assert_eq!(lookup(Context::Board, &ctrl_u), None);
    }

    #[test]
    fn vim_and_arrow_keys_both_work() {
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
