//! The Agenda: what is overdue, due today and in the next week, customers due a revisit,
//! and open deals nobody has planned a next step for. `d` completes a reminder and
//! offers the next one — the follow-up loop that keeps deals from going quiet.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Action, Command, Env, Handled, Look, act, fail};
use crate::domain::activity::{Urgency, urgency};
use crate::domain::time::days_between;
use crate::store::activities::{ActivityRow, Subject};
use crate::store::customers::{self, RevisitDue};
use crate::store::deals::{self, DealRow};
use crate::store::{StoreError, reminders};
use crate::t;
use crate::text::{pad, truncate};
use crate::tui::forms;
use crate::tui::keymap::Context;
use crate::tui::modals::Modal;
use crate::tui::modals::confirm::Confirm;
use crate::tui::modals::picker::{self, Picker};
use crate::tui::theme;

/// How many rows a section shows at most; the header says how many there are.
const SECTION_LIMIT: usize = 200;

/// One line of the Agenda.
#[derive(Debug, Clone, PartialEq)]
pub enum AgendaItem {
    Header { title: String, count: usize },
    Reminder { row: ActivityRow, urgency: Urgency },
    Revisit(RevisitDue),
    NoNextStep(DealRow),
}

impl AgendaItem {
    fn selectable(&self) -> bool {
        !matches!(self, AgendaItem::Header { .. })
    }

    /// The record the line is about, to keep it selected across a reload.
    fn id(&self) -> Option<&str> {
        match self {
            AgendaItem::Reminder { row, .. } => Some(&row.activity.id),
            AgendaItem::Revisit(r) => Some(&r.id),
            AgendaItem::NoNextStep(d) => Some(&d.deal.id),
            AgendaItem::Header { .. } => None,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Agenda {
    pub items: Vec<AgendaItem>,
    pub selected: usize,
    /// Only what fills the screen has been read ([`Agenda::reload_first`]); the rest is
    /// read by [`Agenda::reload`] a frame later, or before the next key the Agenda gets.
    pub partial: bool,
}

impl Agenda {
    pub fn selected_item(&self) -> Option<&AgendaItem> {
        self.items.get(self.selected).filter(|i| i.selectable())
    }

    fn step(&mut self, forward: bool) {
        let n = self.items.len();
        let mut i = self.selected;
        loop {
            let next = if forward { i + 1 } else { i.wrapping_sub(1) };
            match self.items.get(next) {
                Some(item) if item.selectable() => {
                    self.selected = next;
                    return;
                }
                Some(_) => i = next,
                None => return,
            }
            if i >= n {
                return;
            }
        }
    }

    /// Reads the sections again, each in full (up to [`SECTION_LIMIT`] lines). The
    /// Overdue and Today headers show `summary`'s counts (the status bar's), so the two
    /// cannot disagree; the app keeps it current.
    pub fn reload(&mut self, env: &Env, summary: &reminders::Summary) -> Result<(), StoreError> {
        self.read(env, summary, usize::MAX)
    }

    /// Reads only the lines that fill the screen (down to the selection): the sections
    /// in order, each as far as there is room, and none below. On a large book that is
    /// a few dozen reminders instead of hundreds of lines with the revisits worked out
    /// from every customer, so a key that shows the Agenda draws it at once; the rest
    /// follows with [`Agenda::reload`] (`partial` says it is still to be read). The lines
    /// read are the first lines of the full Agenda, in the same order.
    pub fn reload_first(
        &mut self,
        env: &Env,
        summary: &reminders::Summary,
    ) -> Result<(), StoreError> {
        let screen = usize::from(env.size.1);
        self.read(env, summary, self.selected.saturating_add(screen))
    }

    /// Reads the sections in order into at most `lines` lines (headers included); a
    /// section cut short or not reached leaves the Agenda `partial`.
    fn read(
        &mut self,
        env: &Env,
        summary: &reminders::Summary,
        lines: usize,
    ) -> Result<(), StoreError> {
        let mut room = lines;
        let mut partial = false;
        let counted = [Some(summary.overdue), Some(summary.today), None];
        let now = env.now;
        let (_, today_end) = env.zone.today_window(now);
        let week_end = today_end + 7 * 86_400_000;
        let owner = env.owner;
        let conn = env.conn;
        let keep = self
            .selected_item()
            .and_then(AgendaItem::id)
            .map(str::to_string);
        let bounds = [
            (None, now),
            (Some(now), today_end),
            (Some(today_end), week_end),
        ];
        let mut sections: Vec<(String, Vec<AgendaItem>, usize)> = Vec::new();
        let titles = [
            t!("agenda-overdue"),
            t!("agenda-today"),
            t!("agenda-next-7-days"),
        ];
        for ((title, (from, until)), counted) in titles.into_iter().zip(bounds).zip(counted) {
            // A line for the header, the rest for rows; a section cut short has more.
            let limit = SECTION_LIMIT.min(room.saturating_sub(1));
            if limit == 0 || partial {
                partial = true;
                break;
            }
            let (rows, total) = reminders::section(conn, from, until, owner, limit, counted)?;
            partial |= limit < SECTION_LIMIT && rows.len() == limit;
            room = room.saturating_sub(1 + rows.len());
            let items = rows
                .into_iter()
                .map(|row| {
                    let u = urgency(row.activity.due_at.unwrap_or(now), now, today_end);
                    AgendaItem::Reminder { row, urgency: u }
                })
                .collect();
            sections.push((title, items, total));
        }
        // These two headers count the lines they list, so they are read in full or not
        // at all.
        if !partial && room > 0 {
            let revisits: Vec<AgendaItem> = customers::revisits_due(
                conn,
                &env.settings.cadence,
                now,
                owner,
                Some(SECTION_LIMIT),
            )?
            .into_iter()
            .map(AgendaItem::Revisit)
            .collect();
            let revisit_count = revisits.len();
            room = room.saturating_sub(1 + revisit_count);
            sections.push((t!("agenda-revisits-due"), revisits, revisit_count));
        } else {
            partial = true;
        }
        if !partial && room > 0 {
            let quiet: Vec<AgendaItem> = deals::without_next_step(conn, owner, SECTION_LIMIT)?
                .into_iter()
                .map(AgendaItem::NoNextStep)
                .collect();
            let quiet_count = quiet.len();
            sections.push((t!("agenda-no-next-step"), quiet, quiet_count));
        } else {
            partial = true;
        }
        let mut items = Vec::new();
        for (title, list, count) in sections {
            items.push(AgendaItem::Header { title, count });
            items.extend(list);
        }
        let position = keep.and_then(|id| items.iter().position(|i| i.id() == Some(id.as_str())));
        let selected = position
            .unwrap_or(self.selected)
            .min(items.len().saturating_sub(1));
        *self = Agenda {
            items,
            selected,
            partial,
        };
        if self.selected_item().is_none() {
            self.step(true);
            if self.selected_item().is_none() {
                self.step(false);
            }
        }
        Ok(())
    }

    /// The deal or customer the selected line is about, and its name.
    fn subject(&self) -> Option<(Subject, String)> {
        match self.selected_item()? {
            AgendaItem::Reminder { row, .. } => {
                Some(match (&row.activity.deal_id, &row.activity.customer_id) {
                    (Some(d), _) => (Subject::Deal(d.clone()), row.about()),
                    (None, Some(c)) => (Subject::Customer(c.clone()), row.about()),
                    (None, None) => return None,
                })
            }
            AgendaItem::Revisit(r) => Some((Subject::Customer(r.id.clone()), r.name.clone())),
            AgendaItem::NoNextStep(d) => {
                Some((Subject::Deal(d.deal.id.clone()), d.deal.title.clone()))
            }
            AgendaItem::Header { .. } => None,
        }
    }

    fn selected_reminder(&self) -> Option<&ActivityRow> {
        match self.selected_item()? {
            AgendaItem::Reminder { row, .. } => Some(row),
            AgendaItem::Revisit(_) | AgendaItem::NoNextStep(_) | AgendaItem::Header { .. } => None,
        }
    }

    pub fn handle(&mut self, c: Command, env: &Env) -> Result<Handled, StoreError> {
        let show = |modal: Modal| act(Action::show(modal));
        match c {
            Command::Up | Command::Down => {
                self.step(c == Command::Down);
                Ok(Handled::Consumed)
            }
            Command::First => {
                self.selected = 0;
                self.step(true);
                Ok(Handled::Consumed)
            }
            Command::Last => {
                self.selected = self.items.len();
                self.step(false);
                Ok(Handled::Consumed)
            }
            Command::Open => match self.subject() {
                Some((Subject::Deal(id), _)) => act(Action::OpenDeal(id)),
                Some((Subject::Customer(id), _)) => act(Action::OpenCustomer(id)),
                None => fail(t!("agenda-nothing-to-open")),
            },
            Command::Done => match self.selected_reminder() {
                Some(row) => show(Modal::Form(forms::outcome_form(row))),
                None => fail(t!(
                    "agenda-select-to-mark-done",
                    key = env.key(Context::Agenda, Command::FollowUp)
                )),
            },
            Command::Snooze => match self.selected_reminder() {
                Some(row) => {
                    let due = row.activity.due_at.unwrap_or(env.now);
                    let targets = env.zone.snooze_targets(due, env.now);
                    let mut options: Vec<String> = targets
                        .iter()
                        .map(|(label, t)| {
                            t!(
                                "snooze-option",
                                label = snooze_label(label),
                                when = env.zone.date_time(*t)
                            )
                        })
                        .collect();
                    options.push(t!("snooze-another-time"));
                    show(Modal::Picker(Picker {
                        title: t!("snooze-title"),
                        subtitle: row.activity.subject.clone(),
                        options,
                        selected: 0,
                        purpose: picker::Purpose::Snooze {
                            activity_id: row.activity.id.clone(),
                            targets: targets.into_iter().map(|(_, t)| t).collect(),
                        },
                    }))
                }
                None => fail(t!("agenda-only-reminders-snooze")),
            },
            Command::Add => show(Modal::Form(forms::add_reminder_form())),
            Command::Edit => match self.selected_reminder() {
                Some(row) => show(Modal::Form(forms::edit_reminder_form(env, row))),
                None => fail(t!("agenda-select-to-edit")),
            },
            Command::Delete => match self.selected_reminder() {
                Some(row) => show(Modal::Confirm(Confirm::new(
                    t!("confirm-delete-reminder-title"),
                    t!(
                        "confirm-delete-reminder",
                        subject = row.activity.subject.as_str(),
                        about = row.about(),
                        key = env.key(Context::Global, Command::Undo)
                    ),
                    Action::DeleteReminder(row.activity.id.clone()),
                ))),
                None => fail(t!("agenda-select-to-delete")),
            },
            Command::FollowUp => match self.subject() {
                Some((about, _)) => show(Modal::Form(forms::follow_up_form(about, ""))),
                None => fail(t!("agenda-nothing-to-plan")),
            },
            Command::Quit
            | Command::Help
            | Command::Search
            | Command::Undo
            | Command::NextTab
            | Command::PrevTab
            | Command::GoTab(_)
            | Command::Left
            | Command::Right
            | Command::MovePrev
            | Command::MoveNext
            | Command::Back
            | Command::Win
            | Command::Lose
            | Command::LogActivity
            | Command::ToggleMine
            | Command::ScrollUp
            | Command::ScrollDown
            | Command::Regroup
            | Command::Filter
            | Command::Satisfaction
            | Command::AddTag
            | Command::RemoveTag
            | Command::MarkPrimary
            | Command::JumpToCustomer
            | Command::PrevPeriod
            | Command::NextPeriod
            | Command::CyclePeriod
            | Command::ReviewConflicts
            | Command::Submit
            | Command::Cancel
            | Command::NextField
            | Command::PrevField
            | Command::DeleteChar
            | Command::ClearField
            | Command::Yes
            | Command::No
            | Command::PickNumber
            | Command::KeepTheirs
            | Command::RestoreMine
            | Command::ToggleClosed
            | Command::PickPipeline
            | Command::Settings
            | Command::AddPipeline
            | Command::Reopen
            | Command::FieldStart
            | Command::FieldEnd
            | Command::WordLeft
            | Command::WordRight
            | Command::DeleteForward
            | Command::DeleteWord
            | Command::DeleteToEnd
            | Command::NewLine => Ok(Handled::NotHandled),
        }
    }

    pub fn render(&self, look: &Look, frame: &mut Frame, area: Rect) {
        render(self, look, frame, area)
    }
}

fn render(agenda: &Agenda, look: &Look, frame: &mut Frame, area: Rect) {
    let now = look.now;
    let width = area.width as usize;
    let lines: Vec<Line> = agenda
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let selected = i == agenda.selected;
            let marker = if selected { "›" } else { " " };
            let line = match item {
                AgendaItem::Header { title, count } => {
                    return Line::from(Span::styled(format!("{title} ({count})"), theme::title()));
                }
                AgendaItem::Reminder { row, urgency } => {
                    let a = &row.activity;
                    let style = match urgency {
                        Urgency::Overdue => theme::overdue(),
                        Urgency::Today => theme::today(),
                        Urgency::Later => theme::later(),
                    };
                    let when = a.due_at.map(|t| look.zone.date_time(t)).unwrap_or_default();
                    let contact = row
                        .contact_name
                        .as_deref()
                        .map(|c| format!(" {c}"))
                        .unwrap_or_default();
                    vec![
                        Span::raw(format!("{marker} ")),
                        Span::styled(format!("{when}  "), style),
                        Span::styled(pad(&a.kind.label(), 9), theme::label()),
                        Span::raw(truncate(
                            &format!("{}{contact} — {}", a.subject, row.about()),
                            width.saturating_sub(30),
                        )),
                    ]
                }
                AgendaItem::Revisit(r) => {
                    let since = r.last_contact.map_or_else(
                        || t!("customers-never-contacted"),
                        |t| t!("agenda-days-since-contact", days = days_between(t, now)),
                    );
                    vec![
                        Span::raw(format!("{marker} ")),
                        Span::styled(
                            pad(&t!("customers-tier-column", tier = r.tier.label()), 18),
                            theme::label(),
                        ),
                        Span::raw(truncate(&r.name, width.saturating_sub(45))),
                        Span::styled(format!("  {since}"), theme::overdue()),
                    ]
                }
                AgendaItem::NoNextStep(d) => vec![
                    Span::raw(format!("{marker} ")),
                    Span::styled(format!("{} ", pad(&d.stage_name, 17)), theme::label()),
                    Span::raw(truncate(
                        &format!("{} — {}", d.deal.title, d.customer_name),
                        width.saturating_sub(36),
                    )),
                    Span::styled(
                        format!("  {}", d.deal.amount.format_short()),
                        theme::amount(),
                    ),
                    Span::styled(
                        format!("  {}", t!("card-no-next-step")),
                        theme::no_next_step(),
                    ),
                ],
            };
            let style = if selected {
                theme::selected_card()
            } else {
                theme::card()
            };
            Line::from(line).style(style)
        })
        .collect();
    // Keep the selection on screen.
    let height = area.height as usize;
    let scroll = agenda.selected.saturating_sub(height.saturating_sub(3));
    frame.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), area);
}

/// A snooze target's label ([`crate::domain::time::Zone::snooze_targets`]) in the
/// interface's language.
fn snooze_label(label: &str) -> String {
    match label {
        "1 hour later" => t!("snooze-hour-later"),
        "in 1 hour" => t!("snooze-in-an-hour"),
        "tomorrow 09:00" => t!("snooze-tomorrow"),
        _ => t!("snooze-next-monday"),
    }
}
