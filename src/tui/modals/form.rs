//! A form popup: labelled fields, inline errors under the field, nothing saved until the
//! app has validated every field. Tab/↓ and Shift-Tab/↑ move between fields, ←/→ change a
//! choice, Enter submits, Esc cancels without a change (keys: the keymap's `Form`
//! context).
//!
//! Each field remembers the value it opened with, so that a save can send only what the
//! user changed ([`Form::changed`]): a value left alone never overwrites a newer one that
//! a teammate, a CLI call or a sync wrote while the form was open.

use std::borrow::Cow;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Stylize;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use tui_input::{Input, InputRequest};

use super::{Outcome, centered};
use crate::store::activities::Subject;
use crate::tui::action::{Action, Command};
use crate::tui::keymap::{Context, Keymap};
use crate::tui::theme;

/// The popup's width; it fits an 80-column terminal.
const WIDTH: u16 = 76;

/// What submitting the form does.
#[derive(Debug, Clone, PartialEq)]
pub enum Purpose {
    /// A new deal in this pipeline (an id).
    AddDeal(String),
    EditDeal(String),
    FollowUp(Subject),
    LogActivity(Subject),
    LostReason(String),
    AddCustomer,
    EditCustomer(String),
    AddContact(String),
    EditContact(String),
    /// Moving a customer to Churned: why.
    ChurnReason(String),
    /// The customers board filter.
    Filter,
    AddTag(String),
    /// The outcome of a reminder being marked done.
    Outcome(String),
    /// A typed snooze time.
    SnoozeTime(String),
    /// A new reminder for a deal or customer picked by name.
    AddReminder,
    EditReminder(String),
    /// Settings: a new pipeline, a pipeline's new name (its id).
    AddPipeline,
    RenamePipeline(String),
    /// Settings: a new stage in a pipeline, after a stage (ids).
    AddStage {
        pipeline_id: String,
        after: Option<String>,
    },
    /// Settings: a stage's name, probability and rotting days (its id).
    EditStage(String),
    /// Settings: a new custom field of deals, customers or contacts.
    AddField(crate::domain::field::Entity),
    /// Members: a new login of the team (on its PostgreSQL hub).
    AddMember,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FieldKind {
    Text,
    /// Text of several lines (notes, an activity's body): Ctrl-J or Alt-Enter starts a
    /// new line, a paste keeps its lines, and it wraps instead of scrolling.
    Lines,
    /// One of `options`; ←/→ cycle.
    Choice(Vec<String>),
    /// Free text with suggestions from `options` (filtered as you type); ↑/↓ pick one,
    /// Tab takes it. With a `lookup`, `options` are not a fixed list: the app looks up
    /// the matches of what is typed as it changes ([`Form::pending_lookup`]).
    Suggest {
        options: Vec<String>,
        highlighted: Option<usize>,
        lookup: Option<Lookup>,
    },
}

/// Where a suggesting field's options come from when the book holds too many to load
/// when the form opens: the app asks the store for the first matches of the typed text.
#[derive(Debug, Clone, PartialEq)]
pub struct Lookup {
    pub source: LookupSource,
    /// The text `options` were looked up for; `None` before the first lookup.
    pub typed: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LookupSource {
    /// Live customers' names.
    Customers,
    /// What a reminder can be about: open deals' titles and live customers' names,
    /// each marked with its kind (`Acme renewal (deal)`).
    Subjects,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Built-in fields have fixed keys; a custom field's is `field:` and its id
    /// ([`Field::custom_id`]).
    pub key: Cow<'static, str>,
    pub label: Cow<'static, str>,
    pub value: String,
    /// The value the form opened with.
    pub initial: String,
    pub kind: FieldKind,
    pub error: Option<String>,
    /// Shown under the field when there is no error (format hints, "new prospect").
    pub hint: Option<String>,
    /// Where the cursor is, in characters; `None` is after the last one (where typing
    /// starts, and where it stays when the value is set from outside).
    pub cursor: Option<usize>,
    /// How a choice's value is shown (`key` → `重点`); the value itself stays the stored
    /// form the save reads.
    pub display: Option<ChoiceWords>,
    /// A choice whose values are ids (a team member's): the name each is shown by, and
    /// by whose first letter it is picked. Empty for other fields.
    pub names: Vec<(String, String)>,
}

/// Which words a choice's stored values are shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChoiceWords {
    ActivityKind,
    CustomerKind,
    Tier,
    CustomerStatus,
    /// A custom field's type (`multi-choice` → `多选`).
    FieldType,
    /// `yes` / `no`.
    YesNo,
    /// A team member's role (`rep` → `销售`).
    Role,
}

impl ChoiceWords {
    /// A stored value (`at_risk`) as the form shows it (`At risk`, `有风险`).
    pub fn show(self, value: &str) -> String {
        use crate::domain::activity::ActivityKind;
        use crate::domain::customer::{CustomerKind, CustomerStatus, Tier};
        let label = match self {
            ChoiceWords::ActivityKind => value.parse::<ActivityKind>().ok().map(|v| v.label()),
            ChoiceWords::CustomerKind => value.parse::<CustomerKind>().ok().map(|v| v.label()),
            ChoiceWords::Tier => value.parse::<Tier>().ok().map(|v| v.label()),
            ChoiceWords::CustomerStatus => value.parse::<CustomerStatus>().ok().map(|v| v.label()),
            ChoiceWords::FieldType => value
                .parse::<crate::domain::field::FieldType>()
                .ok()
                .map(|v| v.shown()),
            ChoiceWords::Role => Some(crate::i18n::noun(value)),
            ChoiceWords::YesNo => match value {
                "yes" => Some(crate::t!("yes")),
                "no" => Some(crate::t!("no")),
                _ => None,
            },
        };
        label.unwrap_or_else(|| value.to_string())
    }
}

impl Field {
    pub fn text(
        key: impl Into<Cow<'static, str>>,
        label: impl Into<Cow<'static, str>>,
        value: impl Into<String>,
    ) -> Field {
        let value = value.into();
        Field {
            key: key.into(),
            label: label.into(),
            initial: value.clone(),
            value,
            kind: FieldKind::Text,
            error: None,
            hint: None,
            cursor: None,
            display: None,
            names: Vec::new(),
        }
    }

    /// A field of several lines.
    pub fn lines(
        key: impl Into<Cow<'static, str>>,
        label: impl Into<Cow<'static, str>>,
        value: impl Into<String>,
    ) -> Field {
        Field {
            kind: FieldKind::Lines,
            ..Field::text(key, label, value)
        }
    }

    pub fn choice(
        key: impl Into<Cow<'static, str>>,
        label: impl Into<Cow<'static, str>>,
        options: Vec<String>,
        value: &str,
    ) -> Field {
        let value = options
            .iter()
            .find(|o| o.eq_ignore_ascii_case(value))
            .or(options.first())
            .cloned()
            .unwrap_or_default();
        Field {
            key: key.into(),
            label: label.into(),
            initial: value.clone(),
            value,
            kind: FieldKind::Choice(options),
            error: None,
            hint: None,
            cursor: None,
            display: None,
            names: Vec::new(),
        }
    }

    pub fn suggest(
        key: impl Into<Cow<'static, str>>,
        label: impl Into<Cow<'static, str>>,
        options: Vec<String>,
        value: &str,
    ) -> Field {
        Field {
            key: key.into(),
            label: label.into(),
            value: value.to_string(),
            initial: value.to_string(),
            kind: FieldKind::Suggest {
                options,
                highlighted: None,
                lookup: None,
            },
            error: None,
            hint: None,
            cursor: None,
            display: None,
            names: Vec::new(),
        }
    }

    /// A field whose suggestions the app looks up in `source` as the user types (see
    /// [`Lookup`]); it opens with none.
    pub fn looked_up(
        key: impl Into<Cow<'static, str>>,
        label: impl Into<Cow<'static, str>>,
        source: LookupSource,
        value: &str,
    ) -> Field {
        let mut field = Field::suggest(key, label, Vec::new(), value);
        if let FieldKind::Suggest { lookup, .. } = &mut field.kind {
            *lookup = Some(Lookup {
                source,
                typed: None,
            });
        }
        field
    }

    /// Applies one edit to the value and cursor; whether the value changed.
    pub fn edit(&mut self, request: InputRequest) -> bool {
        let changed = edit_text(&mut self.value, &mut self.cursor, request);
        if changed {
            self.error = None;
            reset_highlight(self);
        }
        changed
    }

    /// The value as shown in `width` columns with the cursor marked.
    pub fn shown_with_cursor(&self, width: usize) -> String {
        shown_with_cursor(&self.value, self.cursor, width)
    }

    /// Shows a choice's values as `show` words them (the stored value stays the value).
    pub fn with_display(mut self, words: ChoiceWords) -> Field {
        self.display = Some(words);
        self
    }

    /// Shows a choice's values (ids) by the names given with them, `(value, name)`.
    pub fn with_names(mut self, names: Vec<(String, String)>) -> Field {
        self.names = names;
        self
    }

    /// A choice's value as the form shows it: in words, by its name, or as it is.
    pub fn shown_choice(&self, value: &str) -> String {
        if let Some(words) = self.display {
            return words.show(value);
        }
        self.names
            .iter()
            .find(|(v, _)| v == value)
            .map_or_else(|| value.to_string(), |(_, name)| name.clone())
    }

    /// The key of the form field of a custom field.
    pub fn custom_key(field_id: &str) -> String {
        format!("field:{field_id}")
    }

    /// The custom field this form field edits, if it is one.
    pub fn custom_id(&self) -> Option<&str> {
        self.key.strip_prefix("field:")
    }

    pub fn with_hint(mut self, hint: &str) -> Field {
        self.hint = Some(hint.to_string());
        self
    }

    /// The most suggestions shown.
    pub const SUGGESTIONS: usize = 5;

    /// Whether `option` is suggested for what is typed: it contains every term of it,
    /// case ignored ([`crate::text::contains_terms`], the store's lookups' test too).
    pub fn suggests(option: &str, typed: &str) -> bool {
        crate::text::contains_terms(option, typed)
    }

    /// The suggestions matching what is typed (every term, case ignored), at most 5.
    pub fn suggestions(&self) -> Vec<&str> {
        let FieldKind::Suggest { options, .. } = &self.kind else {
            return Vec::new();
        };
        let typed = self.value.trim().to_lowercase();
        if typed.is_empty() {
            return Vec::new();
        }
        let mut out: Vec<&str> = options
            .iter()
            .filter(|o| Field::suggests(o, &typed))
            .map(String::as_str)
            .take(Field::SUGGESTIONS)
            .collect();
        // A name typed in full needs no suggestion list.
        if out.len() == 1 && out[0].eq_ignore_ascii_case(self.value.trim()) {
            out.clear();
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub purpose: Purpose,
    /// A form-level error (e.g. the save failed).
    pub error: Option<String>,
    /// A value the user was warned about and saved again unchanged: the second Enter
    /// means it (a new customer whose name is part of an existing one's).
    pub warned: Option<String>,
}

impl Form {
    pub fn new(title: impl Into<String>, purpose: Purpose, fields: Vec<Field>) -> Form {
        Form {
            // Titles name records ("Edit deal — …"): what reaches the screen is made safe.
            title: crate::text::clean(&title.into()),
            fields,
            focus: 0,
            purpose,
            error: None,
            warned: None,
        }
    }

    /// Whether `value` was already warned about; else remembers it, so that the next save
    /// of the same value goes ahead.
    pub fn warn_once(&mut self, value: &str) -> bool {
        if self.warned.as_deref() == Some(value) {
            return true;
        }
        self.warned = Some(value.to_string());
        false
    }

    /// A field whose suggestions are looked up and were not looked up for what it holds
    /// now: its index, where to look and the text to look for (trimmed, lower-case).
    /// The value a field opened with (the deal's own customer) needs no suggestions and
    /// is not looked up (a whole name walks the whole index): the text is then empty.
    pub fn pending_lookup(&self) -> Option<(usize, LookupSource, String)> {
        self.fields
            .iter()
            .enumerate()
            .find_map(|(i, f)| match &f.kind {
                FieldKind::Suggest {
                    lookup: Some(lookup),
                    ..
                } if lookup.typed.as_deref() != Some(f.value.as_str()) => {
                    let typed = if f.value == f.initial {
                        String::new()
                    } else {
                        f.value.trim().to_lowercase()
                    };
                    Some((i, lookup.source, typed))
                }
                _ => None,
            })
    }

    /// The options looked up for field `i` (see [`Form::pending_lookup`]), for the text it
    /// holds now.
    pub fn set_looked_up(&mut self, i: usize, found: Vec<String>) {
        if let Some(f) = self.fields.get_mut(i)
            && let FieldKind::Suggest {
                options, lookup, ..
            } = &mut f.kind
        {
            *options = found;
            if let Some(lookup) = lookup {
                lookup.typed = Some(f.value.clone());
            }
        }
    }

    /// The field's suggestions for what is typed (see [`Field::suggestions`]).
    pub fn suggestions(&self, key: &str) -> Vec<String> {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map(|f| f.suggestions().into_iter().map(String::from).collect())
            .unwrap_or_default()
    }

    pub fn value(&self, key: &str) -> &str {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map_or("", |f| f.value.as_str())
    }

    /// The field's value if the user changed it from the one the form opened with.
    pub fn changed(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .filter(|f| f.value != f.initial)
            .map(|f| f.value.as_str())
    }

    /// Whether any field differs from the value it opened with.
    pub fn is_changed(&self) -> bool {
        self.fields.iter().any(|f| f.value != f.initial)
    }

    /// Sets a field's value, as if the form had opened with it (a suggested default).
    pub fn preset(&mut self, key: &str, value: &str) {
        if let Some(f) = self.fields.iter_mut().find(|f| f.key == key) {
            f.value = value.to_string();
            f.initial = value.to_string();
        }
    }

    /// Puts an error under a field (and focuses the first field with one).
    pub fn set_error(&mut self, key: &str, message: impl Into<String>) {
        if let Some(i) = self.fields.iter().position(|f| f.key == key) {
            self.fields[i].error = Some(message.into());
        }
        if let Some(first) = self.fields.iter().position(|f| f.error.is_some()) {
            self.focus = first;
        }
    }

    pub fn clear_errors(&mut self) {
        self.error = None;
        for f in &mut self.fields {
            f.error = None;
        }
    }

    pub fn has_errors(&self) -> bool {
        self.error.is_some() || self.fields.iter().any(|f| f.error.is_some())
    }

    fn next(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len().max(1);
    }

    fn prev(&mut self) {
        let n = self.fields.len().max(1);
        self.focus = (self.focus + n - 1) % n;
    }

    pub fn handle_key(&mut self, key: &KeyEvent, keymap: &Keymap) -> Outcome {
        let command = keymap.lookup(Context::Form, key);
        let Some(field) = self.fields.get_mut(self.focus) else {
            return Outcome::Close;
        };
        let suggestions: Vec<String> = field.suggestions().into_iter().map(String::from).collect();
        let is_choice = matches!(field.kind, FieldKind::Choice(_));
        match command {
            Some(Command::Cancel) => return Outcome::Close,
            Some(Command::Submit) => return Outcome::Act(Action::SubmitForm),
            Some(Command::NextField) => {
                if let FieldKind::Suggest {
                    highlighted: Some(i),
                    ..
                } = &field.kind
                    && let Some(s) = suggestions.get(*i)
                {
                    field.value = s.clone();
                }
                self.next();
            }
            Some(Command::PrevField) => self.prev(),
            Some(Command::Down) => match &mut field.kind {
                FieldKind::Suggest { highlighted, .. } if !suggestions.is_empty() => {
                    *highlighted =
                        Some(highlighted.map_or(0, |h| (h + 1).min(suggestions.len() - 1)));
                }
                _ => self.next(),
            },
            Some(Command::Up) => match &mut field.kind {
                FieldKind::Suggest {
                    highlighted: Some(h),
                    ..
                } if *h > 0 => *h -= 1,
                FieldKind::Suggest { highlighted, .. } if highlighted.is_some() => {
                    *highlighted = None
                }
                _ => self.prev(),
            },
            Some(c @ (Command::Left | Command::Right)) if !is_choice => {
                field.edit(if c == Command::Left {
                    InputRequest::GoToPrevChar
                } else {
                    InputRequest::GoToNextChar
                });
            }
            Some(c @ (Command::Left | Command::Right)) => {
                if let FieldKind::Choice(options) = &field.kind {
                    let i = options.iter().position(|o| *o == field.value).unwrap_or(0);
                    let n = options.len().max(1);
                    let j = if c == Command::Right {
                        (i + 1) % n
                    } else {
                        (i + n - 1) % n
                    };
                    if let Some(v) = options.get(j) {
                        field.value = v.clone();
                    }
                }
            }
            Some(Command::NewLine) => {
                if field.kind == FieldKind::Lines {
                    field.edit(InputRequest::InsertChar('\n'));
                } else {
                    field.error = Some(crate::t!("form-one-line-only"));
                }
            }
            // A choice is changed with ←/→ or its first letter, never emptied or edited.
            Some(
                c @ (Command::DeleteChar
                | Command::ClearField
                | Command::FieldStart
                | Command::FieldEnd
                | Command::WordLeft
                | Command::WordRight
                | Command::DeleteForward
                | Command::DeleteWord
                | Command::DeleteToEnd),
            ) if !is_choice => {
                if let Some(request) = input_request(c) {
                    field.edit(request);
                }
            }
            // What is not a binding here is text.
            _ => {
                if let KeyCode::Char(c) = key.code
                    && !key
                        .modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                {
                    match &field.kind {
                        FieldKind::Choice(options) => {
                            // Typing a letter jumps to the next option starting with it
                            // (by its name, for a choice of ids), so typing it again
                            // goes on to the one after.
                            let initial = |o: &String| {
                                let shown = if field.names.is_empty() {
                                    o.clone()
                                } else {
                                    field.shown_choice(o)
                                };
                                shown
                                    .to_lowercase()
                                    .starts_with(&c.to_lowercase().to_string())
                            };
                            let at = options.iter().position(|o| *o == field.value);
                            let next = at.map_or(0, |i| i + 1);
                            if let Some(o) = options[next.min(options.len())..]
                                .iter()
                                .chain(options.iter())
                                .find(|o| initial(o))
                            {
                                field.value = o.clone();
                            }
                        }
                        _ => {
                            field.edit(InputRequest::InsertChar(c));
                        }
                    }
                }
            }
        }
        Outcome::Consumed
    }

    /// Pasted text goes into the focused field as text, never as keys: a newline in it
    /// would otherwise submit the form and the rest would run as commands. Fields are one
    /// line, so line breaks and tabs become spaces. A choice cannot take text.
    pub fn paste(&mut self, text: &str) {
        let Some(field) = self.fields.get_mut(self.focus) else {
            return;
        };
        let text = match field.kind {
            FieldKind::Choice(_) => return,
            FieldKind::Lines => several_lines(text),
            FieldKind::Text | FieldKind::Suggest { .. } => one_line(text),
        };
        for c in text.chars() {
            field.edit(InputRequest::InsertChar(c));
        }
    }

    /// The keys under the form. The filter applies as it is typed, so it saves nothing:
    /// Enter keeps it and Esc puts back what it was.
    pub fn key_line(&self, keymap: &Keymap) -> String {
        match self.purpose {
            Purpose::Filter => crate::t!(
                "form-filter-keys",
                keep = keymap
                    .key_for(Context::Form, Command::Submit)
                    .unwrap_or_default(),
                back = keymap
                    .key_for(Context::Form, Command::Cancel)
                    .unwrap_or_default()
            ),
            _ => keymap.hints(Context::Form),
        }
    }

    pub fn render(&self, frame: &mut Frame, area: Rect, keymap: &Keymap) {
        let mut lines: Vec<Line> = Vec::new();
        for (i, f) in self.fields.iter().enumerate() {
            let focused = i == self.focus;
            let label = Span::styled(
                format!("{} ", crate::text::pad_left(&f.label, 10)),
                if focused {
                    theme::label_focused()
                } else {
                    theme::label()
                },
            );
            let value = crate::text::clean(&f.value);
            let room = WIDTH as usize - 14;
            let mut more: Vec<String> = Vec::new();
            let shown = match &f.kind {
                FieldKind::Choice(_) => {
                    format!("‹ {} ›", crate::text::clean(&f.shown_choice(&value)))
                }
                FieldKind::Lines => {
                    // Wrapped, each line of the text on its own rows, the cursor marked.
                    let text = if focused {
                        let at = f.cursor.unwrap_or(usize::MAX);
                        let n = f.value.chars().count();
                        let at = at.min(n);
                        f.value
                            .chars()
                            .take(at)
                            .chain(std::iter::once('▏'))
                            .chain(f.value.chars().skip(at))
                            .collect()
                    } else {
                        f.value.clone()
                    };
                    let mut rows = text
                        .split('\n')
                        .flat_map(|line| crate::text::wrap(&crate::text::clean(line), room));
                    let first = rows.next().unwrap_or_default();
                    more = rows.collect();
                    first
                }
                _ if focused => f.shown_with_cursor(room),
                _ => crate::text::truncate(&value, room),
            };
            let style = if f.error.is_some() {
                theme::error()
            } else if focused {
                theme::input_focused()
            } else {
                theme::input()
            };
            lines.push(Line::from(vec![label, Span::styled(shown, style)]));
            for row in more {
                lines.push(Line::from(vec![
                    Span::raw(" ".repeat(11)),
                    Span::styled(row, style),
                ]));
            }
            if let Some(e) = &f.error {
                for part in crate::text::wrap(&format!("✗ {e}"), WIDTH as usize - 15) {
                    lines.push(Line::from(vec![
                        Span::raw(" ".repeat(11)),
                        Span::styled(part, theme::error()),
                    ]));
                }
            }
            // The suggestions stay under an error, so the one it names can be picked.
            if focused {
                let sugg = f.suggestions();
                let highlighted = match &f.kind {
                    FieldKind::Suggest { highlighted, .. } => *highlighted,
                    _ => None,
                };
                for (j, s) in sugg.iter().enumerate() {
                    let st = if Some(j) == highlighted {
                        theme::selected()
                    } else {
                        theme::dim()
                    };
                    lines.push(Line::from(vec![
                        Span::raw(" ".repeat(11)),
                        Span::styled(format!("› {}", crate::text::clean(s)), st),
                    ]));
                }
                if let Some(h) = &f.hint
                    && sugg.is_empty()
                    && f.error.is_none()
                {
                    lines.push(Line::from(vec![
                        Span::raw(" ".repeat(11)),
                        Span::styled(h.clone(), theme::hint()),
                    ]));
                }
            }
        }
        lines.push(Line::from(""));
        if let Some(e) = &self.error {
            for part in crate::text::wrap(&format!("✗ {e}"), WIDTH as usize - 4) {
                lines.push(Line::from(Span::styled(part, theme::error())));
            }
        }
        lines.push(Line::from(Span::from(self.key_line(keymap)).italic()).style(theme::hint()));
        let height = u16::try_from(lines.len())
            .unwrap_or(u16::MAX)
            .saturating_add(2);
        let rect = centered(area, WIDTH, height);
        super::clear(frame, rect);
        let p = Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(format!(" {} ", self.title))
                .border_style(theme::modal_border()),
        );
        frame.render_widget(p, rect);
    }
}

/// Applies one edit to a one-line text and its cursor (in characters; `None` is after
/// the last one); whether the text changed. Editing is tui-input's, so the keys behave
/// as in other terminal programs (words, Unicode graphemes).
/// The text edit a field-editing command means, for forms and search alike.
pub fn input_request(c: Command) -> Option<InputRequest> {
    Some(match c {
        Command::DeleteChar => InputRequest::DeletePrevChar,
        Command::Left => InputRequest::GoToPrevChar,
        Command::Right => InputRequest::GoToNextChar,
        Command::FieldStart => InputRequest::GoToStart,
        Command::FieldEnd => InputRequest::GoToEnd,
        Command::WordLeft => InputRequest::GoToPrevWord,
        Command::WordRight => InputRequest::GoToNextWord,
        Command::DeleteForward => InputRequest::DeleteNextChar,
        Command::DeleteWord => InputRequest::DeletePrevWord,
        Command::DeleteToEnd => InputRequest::DeleteTillEnd,
        Command::ClearField => InputRequest::DeleteLine,
        _ => return None,
    })
}

pub fn edit_text(value: &mut String, cursor: &mut Option<usize>, request: InputRequest) -> bool {
    let len = value.chars().count();
    let mut input = Input::new(value.clone()).with_cursor(cursor.unwrap_or(len).min(len));
    let changed = input.handle(request).is_some_and(|state| state.value);
    let len = input.value().chars().count();
    *cursor = (input.cursor() < len).then_some(input.cursor());
    if changed {
        *value = input.value().to_string();
    }
    changed
}

/// A one-line text as shown in `width` columns with the cursor marked (`▏`), scrolled
/// sideways so that the cursor is always in view (`‹` says there is more on the left).
pub fn shown_with_cursor(value: &str, cursor: Option<usize>, width: usize) -> String {
    let value = crate::text::clean(value);
    let len = value.chars().count();
    let input = Input::new(value.clone()).with_cursor(cursor.unwrap_or(len).min(len));
    let at = input.cursor();
    let marked: String = value
        .chars()
        .take(at)
        .chain(std::iter::once('▏'))
        .chain(value.chars().skip(at))
        .collect();
    let scroll = input.visual_scroll(width.saturating_sub(2));
    let mut skipped = 0;
    let mut out = String::new();
    let mut used = 0;
    for c in marked.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if skipped < scroll {
            skipped += w;
            continue;
        }
        if used + w > width {
            break;
        }
        used += w;
        out.push(c);
    }
    if scroll > 0 {
        out.insert(0, '‹');
        while unicode_width::UnicodeWidthStr::width(out.as_str()) > width {
            out.pop();
        }
    }
    out
}

/// Pasted text for a field of several lines: CR LF and CR become LF, a tab a space,
/// other control characters are dropped.
pub fn several_lines(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    text.chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// Pasted text for a one-line field: a line break (CR LF, CR or LF) or a tab becomes one
/// space, other control characters are dropped.
pub fn one_line(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    text.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

fn reset_highlight(field: &mut Field) {
    if let FieldKind::Suggest { highlighted, .. } = &mut field.kind {
        *highlighted = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_fields_the_user_changed_count_as_changed() {
        let mut form = Form::new(
            "Edit",
            Purpose::AddCustomer,
            vec![
                Field::text("name", "Name", "ACME"),
                Field::choice("tier", "Tier", vec!["key".into(), "normal".into()], "KEY"),
            ],
        );
        assert!(!form.is_changed());
        assert_eq!(form.changed("tier"), None, "the choice opened on 'key'");
        form.fields[0].value = "ACME GmbH".into();
        assert_eq!(form.changed("name"), Some("ACME GmbH"));
        form.fields[0].value = "ACME".into();
        assert_eq!(form.changed("name"), None, "typed back to what it was");
    }

    #[test]
    fn a_choice_of_ids_shows_names_and_a_letter_goes_on_to_the_next_name() {
        let names = vec![
            ("m-1".to_string(), "Chen Jie (me)".to_string()),
            ("m-2".to_string(), "Ann Berg".to_string()),
            ("m-3".to_string(), "Li Wei".to_string()),
            ("m-4".to_string(), "Lin Na".to_string()),
        ];
        let ids = names.iter().map(|(id, _)| id.clone()).collect();
        let mut form = Form::new(
            "Edit",
            Purpose::AddCustomer,
            vec![Field::choice("owner", "Owner", ids, "m-1").with_names(names)],
        );
        assert_eq!(form.fields[0].shown_choice("m-3"), "Li Wei");
        assert_eq!(
            form.fields[0].shown_choice("m-9"),
            "m-9",
            "no name: as it is"
        );
        let keymap = Keymap::default();
        let letter = |form: &mut Form, c: char| {
            form.handle_key(&KeyEvent::from(KeyCode::Char(c)), &keymap);
            form.value("owner").to_string()
        };
        // By the names' letters, never the ids' ("m").
        assert_eq!(letter(&mut form, 'm'), "m-1");
        assert_eq!(letter(&mut form, 'l'), "m-3");
        assert_eq!(letter(&mut form, 'L'), "m-4", "again: the next one");
        assert_eq!(letter(&mut form, 'l'), "m-3", "and round");
        assert_eq!(letter(&mut form, 'a'), "m-2");
        assert_eq!(form.changed("owner"), Some("m-2"));
        assert_eq!(letter(&mut form, 'c'), "m-1");
        assert!(!form.is_changed(), "chosen back: unchanged");
    }
}
