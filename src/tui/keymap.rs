//! The one keymap. Every binding lives in [`BINDINGS`]; key handling, the help overlay
//! and the status-bar hints all read it, so they can never disagree. Duplicates are
//! rejected at start ([`validate`]).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Command;

/// Where a binding applies. Keys are looked up in the focused context first, then in
/// `Global`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    Global,
    Board,
    Detail,
    Customers,
    Profile,
    Agenda,
    Reports,
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
        }
    }
}

/// One key: a code and its modifiers. For characters the case carries Shift, so Shift is
/// ignored when matching them.
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
        match (self.code, event.code) {
            (KeyCode::Char(a), KeyCode::Char(b)) => {
                a == b
                    && !event
                        .modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
            }
            (a, b) => a == b && event.modifiers == self.mods,
        }
    }

    /// How the key is written in help: `j`, `↓`, `Shift-←`, `Enter`.
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
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            other => format!("{other:?}"),
        };
        if self.mods.contains(KeyModifiers::SHIFT)
            && !matches!(self.code, KeyCode::Char(_) | KeyCode::BackTab)
        {
            format!("Shift-{base}")
        } else {
            base
        }
    }
}

/// A binding: in `context`, any of `keys` means `command`.
pub struct Binding {
    pub context: Context,
    pub keys: &'static [Key],
    pub command: Command,
    pub help: &'static str,
}

use Context::{Agenda, Board, Customers, Detail, Global, Profile, Reports};

#[rustfmt::skip] // one binding a line reads as the table it is
pub static BINDINGS: &[Binding] = &[
    Binding { context: Global, keys: &[ch('q')], command: Command::Quit, help: "quit" },
    Binding { context: Global, keys: &[ch('?')], command: Command::Help, help: "help: every key of this view" },
    Binding { context: Global, keys: &[ch('u')], command: Command::Undo, help: "undo the last change" },
    Binding { context: Global, keys: &[ch('/')], command: Command::Search, help: "search everything" },
    Binding { context: Global, keys: &[ch('C')], command: Command::ReviewConflicts, help: "review sync conflicts" },
    Binding { context: Global, keys: &[code(KeyCode::Tab)], command: Command::NextTab, help: "next view" },
    Binding { context: Global, keys: &[code(KeyCode::BackTab), shift(KeyCode::BackTab)], command: Command::PrevTab, help: "previous view" },
    Binding { context: Global, keys: &[ch('1')], command: Command::GoTab(0), help: "Pipeline" },
    Binding { context: Global, keys: &[ch('2')], command: Command::GoTab(1), help: "Customers" },
    Binding { context: Global, keys: &[ch('3')], command: Command::GoTab(2), help: "Agenda" },
    Binding { context: Global, keys: &[ch('4')], command: Command::GoTab(3), help: "Reports" },
    Binding { context: Board, keys: &[ch('h'), code(KeyCode::Left)], command: Command::Left, help: "previous column" },
    Binding { context: Board, keys: &[ch('l'), code(KeyCode::Right)], command: Command::Right, help: "next column" },
    Binding { context: Board, keys: &[ch('k'), code(KeyCode::Up)], command: Command::Up, help: "previous card" },
    Binding { context: Board, keys: &[ch('j'), code(KeyCode::Down)], command: Command::Down, help: "next card" },
    Binding { context: Board, keys: &[ch('g'), code(KeyCode::Home)], command: Command::First, help: "first card" },
    Binding { context: Board, keys: &[ch('G'), code(KeyCode::End)], command: Command::Last, help: "last card" },
    Binding { context: Board, keys: &[ch('H'), shift(KeyCode::Left)], command: Command::MovePrev, help: "move deal to the previous stage" },
    Binding { context: Board, keys: &[ch('L'), shift(KeyCode::Right)], command: Command::MoveNext, help: "move deal to the next stage" },
    Binding { context: Board, keys: &[code(KeyCode::Enter)], command: Command::Open, help: "deal detail" },
    Binding { context: Board, keys: &[ch('a')], command: Command::Add, help: "add a deal" },
    Binding { context: Board, keys: &[ch('e')], command: Command::Edit, help: "edit the deal" },
    Binding { context: Board, keys: &[ch('w')], command: Command::Win, help: "mark won" },
    Binding { context: Board, keys: &[ch('x')], command: Command::Lose, help: "mark lost (asks the reason)" },
    Binding { context: Board, keys: &[ch('f')], command: Command::FollowUp, help: "schedule a follow-up" },
    Binding { context: Board, keys: &[ch('n')], command: Command::LogActivity, help: "log an activity" },
    Binding { context: Board, keys: &[ch('D')], command: Command::Delete, help: "delete the deal (asks first)" },
    Binding { context: Board, keys: &[ch('o')], command: Command::ToggleMine, help: "mine / everyone's" },
    Binding { context: Detail, keys: &[code(KeyCode::Esc), code(KeyCode::Backspace)], command: Command::Back, help: "back to the board" },
    Binding { context: Detail, keys: &[ch('k'), code(KeyCode::Up)], command: Command::ScrollUp, help: "scroll up" },
    Binding { context: Detail, keys: &[ch('j'), code(KeyCode::Down)], command: Command::ScrollDown, help: "scroll down" },
    Binding { context: Detail, keys: &[ch('c')], command: Command::JumpToCustomer, help: "open the customer" },
    Binding { context: Detail, keys: &[ch('e')], command: Command::Edit, help: "edit the deal" },
    Binding { context: Detail, keys: &[ch('w')], command: Command::Win, help: "mark won" },
    Binding { context: Detail, keys: &[ch('x')], command: Command::Lose, help: "mark lost (asks the reason)" },
    Binding { context: Detail, keys: &[ch('f')], command: Command::FollowUp, help: "schedule a follow-up" },
    Binding { context: Detail, keys: &[ch('n')], command: Command::LogActivity, help: "log an activity" },
    Binding { context: Detail, keys: &[ch('D')], command: Command::Delete, help: "delete the deal (asks first)" },
    Binding { context: Customers, keys: &[ch('h'), code(KeyCode::Left)], command: Command::Left, help: "previous column" },
    Binding { context: Customers, keys: &[ch('l'), code(KeyCode::Right)], command: Command::Right, help: "next column" },
    Binding { context: Customers, keys: &[ch('k'), code(KeyCode::Up)], command: Command::Up, help: "previous card" },
    Binding { context: Customers, keys: &[ch('j'), code(KeyCode::Down)], command: Command::Down, help: "next card" },
    Binding { context: Customers, keys: &[ch('g'), code(KeyCode::Home)], command: Command::First, help: "first card" },
    Binding { context: Customers, keys: &[ch('G'), code(KeyCode::End)], command: Command::Last, help: "last card" },
    Binding { context: Customers, keys: &[ch('H'), shift(KeyCode::Left)], command: Command::MovePrev, help: "move to the previous column (status or tier)" },
    Binding { context: Customers, keys: &[ch('L'), shift(KeyCode::Right)], command: Command::MoveNext, help: "move to the next column (status or tier)" },
    Binding { context: Customers, keys: &[code(KeyCode::Enter)], command: Command::Open, help: "customer profile" },
    Binding { context: Customers, keys: &[ch('v')], command: Command::Regroup, help: "group by status / by tier" },
    Binding { context: Customers, keys: &[ch('a')], command: Command::Add, help: "add a customer" },
    Binding { context: Customers, keys: &[ch('e')], command: Command::Edit, help: "edit the customer" },
    Binding { context: Customers, keys: &[ch('D')], command: Command::Delete, help: "delete the customer (asks first)" },
    Binding { context: Customers, keys: &[ch('F')], command: Command::Filter, help: "filter by name, tag, industry or region" },
    Binding { context: Customers, keys: &[code(KeyCode::Esc)], command: Command::Back, help: "clear the filter" },
    Binding { context: Customers, keys: &[ch('o')], command: Command::ToggleMine, help: "mine / everyone's" },
    Binding { context: Customers, keys: &[ch('n')], command: Command::LogActivity, help: "log a visit, call, complaint…" },
    Binding { context: Customers, keys: &[ch('f')], command: Command::FollowUp, help: "schedule a revisit" },
    Binding { context: Profile, keys: &[code(KeyCode::Esc), code(KeyCode::Backspace)], command: Command::Back, help: "back to the board" },
    Binding { context: Profile, keys: &[ch('k'), code(KeyCode::Up)], command: Command::Up, help: "previous contact or deal" },
    Binding { context: Profile, keys: &[ch('j'), code(KeyCode::Down)], command: Command::Down, help: "next contact or deal" },
    Binding { context: Profile, keys: &[code(KeyCode::Enter)], command: Command::Open, help: "edit the contact / open the deal" },
    Binding { context: Profile, keys: &[ch('a')], command: Command::Add, help: "add a contact" },
    Binding { context: Profile, keys: &[ch('e')], command: Command::Edit, help: "edit the profile" },
    Binding { context: Profile, keys: &[ch('D')], command: Command::Delete, help: "remove the selected contact (asks first)" },
    Binding { context: Profile, keys: &[ch('p')], command: Command::MarkPrimary, help: "make the contact primary" },
    Binding { context: Profile, keys: &[ch('s')], command: Command::Satisfaction, help: "set satisfaction 1–5" },
    Binding { context: Profile, keys: &[ch('t')], command: Command::AddTag, help: "add a tag" },
    Binding { context: Profile, keys: &[ch('T')], command: Command::RemoveTag, help: "remove a tag" },
    Binding { context: Profile, keys: &[ch('n')], command: Command::LogActivity, help: "log a visit, call, complaint…" },
    Binding { context: Profile, keys: &[ch('f')], command: Command::FollowUp, help: "schedule a revisit" },
    Binding { context: Agenda, keys: &[ch('k'), code(KeyCode::Up)], command: Command::Up, help: "previous item" },
    Binding { context: Agenda, keys: &[ch('j'), code(KeyCode::Down)], command: Command::Down, help: "next item" },
    Binding { context: Agenda, keys: &[ch('g'), code(KeyCode::Home)], command: Command::First, help: "first item" },
    Binding { context: Agenda, keys: &[ch('G'), code(KeyCode::End)], command: Command::Last, help: "last item" },
    Binding { context: Agenda, keys: &[code(KeyCode::Enter)], command: Command::Open, help: "open the deal or customer" },
    Binding { context: Agenda, keys: &[ch('d')], command: Command::Done, help: "done: record the outcome, then plan the next step" },
    Binding { context: Agenda, keys: &[ch('s')], command: Command::Snooze, help: "snooze (1 h, tomorrow, next Monday, or a time)" },
    Binding { context: Agenda, keys: &[ch('a')], command: Command::Add, help: "add a reminder for any deal or customer" },
    Binding { context: Agenda, keys: &[ch('e')], command: Command::Edit, help: "edit the reminder" },
    Binding { context: Agenda, keys: &[ch('D')], command: Command::Delete, help: "delete the reminder (asks first)" },
    Binding { context: Agenda, keys: &[ch('f')], command: Command::FollowUp, help: "schedule a follow-up for this deal or customer" },
    Binding { context: Reports, keys: &[ch('['), ch('h'), code(KeyCode::Left)], command: Command::PrevPeriod, help: "previous period (month, quarter, year, all time)" },
    Binding { context: Reports, keys: &[ch(']'), ch('l'), code(KeyCode::Right)], command: Command::NextPeriod, help: "next period" },
];

/// The command a key means in `context` (or globally).
pub fn lookup(context: Context, event: &KeyEvent) -> Option<Command> {
    let find = |ctx: Context| {
        BINDINGS
            .iter()
            .filter(|b| b.context == ctx)
            .find(|b| b.keys.iter().any(|k| k.matches(event)))
            .map(|b| b.command)
    };
    find(context).or_else(|| find(Global))
}

/// The bindings shown in help for `context`: its own, then the global ones.
pub fn help_for(context: Context) -> Vec<(Context, String, &'static str)> {
    [context, Global]
        .into_iter()
        .flat_map(|ctx| {
            BINDINGS
                .iter()
                .filter(move |b| b.context == ctx)
                .map(move |b| {
                    let mut keys: Vec<String> = b.keys.iter().map(Key::label).collect();
                    keys.dedup();
                    (ctx, keys.join(" "), b.help)
                })
        })
        .collect()
}

/// The first key bound to `command` in `context`, for hints ("x lost").
pub fn first_key(context: Context, command: Command) -> Option<String> {
    BINDINGS
        .iter()
        .find(|b| b.context == context && b.command == command)
        .and_then(|b| b.keys.first())
        .map(Key::label)
}

/// Refuses a keymap where one key means two things in the same context, or where a
/// context's key shadows a global one by accident.
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
        if *ctx != Global && seen.contains(&(Global, *key)) {
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
            None
        );
    }
}
