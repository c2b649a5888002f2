//! The Agenda: what is overdue, due today and in the next week, customers due a revisit,
//! and open deals nobody has planned a next step for. `d` completes a reminder and
//! offers the next one — the follow-up loop that keeps deals from going quiet.

use super::action::{Action, Command};
use super::app::{App, follow_up_form};
use super::modals::Modal;
use super::modals::confirm::Confirm;
use super::modals::form::{Field, Form, Purpose};
use super::modals::picker::{self, Picker};
use crate::domain::activity::{ActivityKind, Urgency, urgency};
use crate::store::activities::{self, ActivityRow, NewActivity, Subject};
use crate::store::customers::{self, RevisitDue};
use crate::store::deals::{self, DealRow};
use crate::store::{StoreError, reminders};
use crate::usecase;

/// How many rows a section shows at most; the header says how many there are.
const SECTION_LIMIT: usize = 200;

/// One line of the Agenda.
#[derive(Debug, Clone, PartialEq)]
pub enum AgendaItem {
    Header { title: &'static str, count: usize },
    Reminder { row: ActivityRow, urgency: Urgency },
    Revisit(RevisitDue),
    NoNextStep(DealRow),
}

impl AgendaItem {
    fn selectable(&self) -> bool {
        !matches!(self, AgendaItem::Header { .. })
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Agenda {
    pub items: Vec<AgendaItem>,
    pub selected: usize,
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
}

impl App {
    pub(super) fn reload_agenda(&mut self) -> Result<(), StoreError> {
        // The Overdue and Today headers show the status bar's counts: make sure they are
        // current, and they cannot disagree.
        if self.now() >= self.reminders_valid_until {
            self.refresh_reminders()?;
        }
        let counted = [
            Some(self.reminders.overdue),
            Some(self.reminders.today),
            None,
        ];
        let now = self.now();
        let (_, today_end) = self.zone.today_window(now);
        let week_end = today_end + 7 * 86_400_000;
        let owner = self.mine_only.then(|| self.store.member_id().to_string());
        let conn = self.store.conn();
        let keep = match self.agenda.selected_item() {
            Some(AgendaItem::Reminder { row, .. }) => Some(row.activity.id.clone()),
            Some(AgendaItem::Revisit(r)) => Some(r.id.clone()),
            Some(AgendaItem::NoNextStep(d)) => Some(d.deal.id.clone()),
            _ => None,
        };
        let bounds = [
            (None, now),
            (Some(now), today_end),
            (Some(today_end), week_end),
        ];
        let mut sections: Vec<(&'static str, Vec<AgendaItem>, usize)> = Vec::new();
        let titles = ["Overdue", "Today", "Next 7 days"];
        for ((title, (from, until)), counted) in titles.into_iter().zip(bounds).zip(counted) {
            let (rows, total) =
                reminders::section(conn, from, until, owner.as_deref(), SECTION_LIMIT, counted)?;
            let items = rows
                .into_iter()
                .map(|row| {
                    let u = urgency(row.activity.due_at.unwrap_or(now), now, today_end);
                    AgendaItem::Reminder { row, urgency: u }
                })
                .collect();
            sections.push((title, items, total));
        }
        let revisits: Vec<AgendaItem> = customers::revisits_due(
            conn,
            &self.settings.cadence,
            now,
            owner.as_deref(),
            Some(SECTION_LIMIT),
        )?
        .into_iter()
        .map(AgendaItem::Revisit)
        .collect();
        let quiet: Vec<AgendaItem> =
            deals::without_next_step(conn, owner.as_deref(), SECTION_LIMIT)?
                .into_iter()
                .map(AgendaItem::NoNextStep)
                .collect();
        let revisit_count = revisits.len();
        let quiet_count = quiet.len();
        sections.push(("Revisits due", revisits, revisit_count));
        sections.push(("No next step", quiet, quiet_count));
        let mut items = Vec::new();
        for (title, list, count) in sections {
            items.push(AgendaItem::Header { title, count });
            items.extend(list);
        }
        let position = keep.and_then(|id| {
            items.iter().position(|i| match i {
                AgendaItem::Reminder { row, .. } => row.activity.id == id,
                AgendaItem::Revisit(r) => r.id == id,
                AgendaItem::NoNextStep(d) => d.deal.id == id,
                AgendaItem::Header { .. } => false,
            })
        });
        let selected = position
            .unwrap_or(self.agenda.selected)
            .min(items.len().saturating_sub(1));
        self.agenda = Agenda { items, selected };
        if self.agenda.selected_item().is_none() {
            self.agenda.step(true);
            if self.agenda.selected_item().is_none() {
                self.agenda.step(false);
            }
        }
        Ok(())
    }

    /// The deal or customer the selected line is about.
    fn agenda_subject(&self) -> Option<(Subject, String)> {
        match self.agenda.selected_item()? {
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

    fn selected_reminder(&self) -> Option<ActivityRow> {
        match self.agenda.selected_item()? {
            AgendaItem::Reminder { row, .. } => Some(row.clone()),
            _ => None,
        }
    }

    pub(super) fn agenda_command(&mut self, c: Command) -> Result<Option<Action>, StoreError> {
        match c {
            Command::Up | Command::Down => self.agenda.step(c == Command::Down),
            Command::First => {
                self.agenda.selected = 0;
                self.agenda.step(true);
            }
            Command::Last => {
                self.agenda.selected = self.agenda.items.len();
                self.agenda.step(false);
            }
            Command::Open => match self.agenda_subject() {
                Some((Subject::Deal(id), _)) => self.open_deal(&id)?,
                Some((Subject::Customer(id), _)) => self.open_customer(&id)?,
                None => {}
            },
            Command::Done => match self.selected_reminder() {
                Some(row) => {
                    self.modal = Some(Modal::Form(Form::new(
                        format!("Done: {}", row.activity.subject),
                        Purpose::Outcome(row.activity.id.clone()),
                        vec![
                            Field::text("outcome", "Outcome", "")
                                .with_hint("optional: what came of it"),
                        ],
                    )));
                }
                None => self.fail("Select a reminder to mark done; f plans a step for this line."),
            },
            Command::Snooze => match self.selected_reminder() {
                Some(row) => {
                    let targets = self.zone.snooze_targets(self.now());
                    let mut options: Vec<String> = targets
                        .iter()
                        .map(|(label, t)| format!("{label} ({})", self.zone.date_time(*t)))
                        .collect();
                    options.push("another time…".into());
                    self.modal = Some(Modal::Picker(Picker {
                        title: "Snooze until".into(),
                        subtitle: row.activity.subject.clone(),
                        options,
                        selected: 0,
                        purpose: picker::Purpose::Snooze {
                            activity_id: row.activity.id.clone(),
                            targets: targets.into_iter().map(|(_, t)| t).collect(),
                        },
                    }));
                }
                None => self.fail("Only reminders can be snoozed."),
            },
            Command::Add => {
                let conn = self.store.conn();
                let mut names: Vec<String> = deals::list(
                    conn,
                    &deals::Filter {
                        status: Some(crate::domain::deal::DealStatus::Open),
                        limit: Some(2000),
                        ..Default::default()
                    },
                )?
                .into_iter()
                .map(|d| format!("{} (deal)", d.deal.title))
                .collect();
                names.extend(
                    customers::list(
                        conn,
                        &customers::Filter {
                            limit: Some(2000),
                            ..Default::default()
                        },
                    )?
                    .into_iter()
                    .map(|c| format!("{} (customer)", c.customer.name)),
                );
                let kinds = ActivityKind::ALL
                    .iter()
                    .map(|k| k.as_str().to_string())
                    .collect();
                self.modal = Some(Modal::Form(Form::new(
                    "Add a reminder",
                    Purpose::AddReminder,
                    vec![
                        Field::suggest("for", "For", names, "")
                            .with_hint("type a deal or customer name"),
                        Field::choice("kind", "Kind", kinds, "call"),
                        Field::text("subject", "Subject", ""),
                        Field::text("when", "When", "tomorrow 09:00").with_hint(
                            "14:30, tomorrow 10:00, mon 9:00, +2h, +3d, 2026-12-01 14:30",
                        ),
                    ],
                )));
            }
            Command::Edit => match self.selected_reminder() {
                Some(row) => {
                    let a = &row.activity;
                    let kinds = ActivityKind::ALL
                        .iter()
                        .map(|k| k.as_str().to_string())
                        .collect();
                    let when = a.due_at.map(|t| self.zone.date_time(t)).unwrap_or_default();
                    self.modal = Some(Modal::Form(Form::new(
                        "Edit reminder",
                        Purpose::EditReminder(a.id.clone()),
                        vec![
                            Field::choice("kind", "Kind", kinds, a.kind.as_str()),
                            Field::text("subject", "Subject", a.subject.clone()),
                            Field::text("when", "When", when),
                        ],
                    )));
                }
                None => self.fail("Select a reminder to edit."),
            },
            Command::Delete => match self.selected_reminder() {
                Some(row) => {
                    self.modal = Some(Modal::Confirm(Confirm::new(
                        "Delete reminder",
                        format!(
                            "Delete '{}' ({})? u undoes it.",
                            row.activity.subject,
                            row.about()
                        ),
                        Action::DeleteReminder(row.activity.id.clone()),
                    )));
                }
                None => self.fail("Select a reminder to delete."),
            },
            Command::FollowUp => {
                if let Some((about, _)) = self.agenda_subject() {
                    self.modal = Some(Modal::Form(follow_up_form(about, "")));
                }
            }
            _ => {}
        }
        Ok(None)
    }

    pub(super) fn agenda_action(&mut self, action: Action) -> Result<Option<Action>, StoreError> {
        self.modal = None;
        match action {
            Action::CompleteReminder { id, outcome } => {
                let row = activities::get(self.store.conn(), &id)?;
                let undo = usecase::activities::complete(&mut self.store, &id, Some(&outcome))?;
                self.remember(undo);
                self.say(format!("Done: {}.", row.activity.subject));
                self.reload_all(None)?;
                // The follow-up loop: plan the next step on the same deal or customer.
                let about = match (&row.activity.deal_id, &row.activity.customer_id) {
                    (Some(d), _) => Subject::Deal(d.clone()),
                    (None, Some(c)) => Subject::Customer(c.clone()),
                    (None, None) => return Ok(None),
                };
                let mut form = follow_up_form(about.clone(), &row.activity.subject);
                form.title = format!("Next step — {} (Esc skips)", row.about());
                if let Some(kind) = form.fields.iter_mut().find(|f| f.key == "kind") {
                    kind.value = row.activity.kind.as_str().to_string();
                }
                if let Some(when) = form.fields.iter_mut().find(|f| f.key == "when") {
                    when.value = "+3d".into();
                }
                if let Subject::Deal(deal_id) = &about
                    && activities::open_count_for_deal(self.store.conn(), deal_id)? == 0
                {
                    form.error = None;
                    form.title = format!("{} has no next step — plan one (Esc skips)", row.about());
                }
                self.modal = Some(Modal::Form(form));
            }
            Action::Snooze { id, due_at } => {
                let undo = usecase::activities::reschedule(&mut self.store, &id, due_at)?;
                self.remember(undo);
                self.say(format!("Snoozed until {}.", self.zone.date_time(due_at)));
                self.reload_all(None)?;
            }
            Action::AskSnoozeTime(id) => {
                self.modal = Some(Modal::Form(Form::new(
                    "Snooze until",
                    Purpose::SnoozeTime(id),
                    vec![
                        Field::text("when", "When", "")
                            .with_hint("14:30, tomorrow 10:00, mon 9:00, +2h, +3d"),
                    ],
                )));
            }
            Action::DeleteReminder(id) => {
                let undo = usecase::activities::delete(&mut self.store, &id)?;
                self.remember(undo);
                self.say("Reminder deleted. u undoes it.");
                self.reload_all(None)?;
            }
            _ => {}
        }
        Ok(None)
    }

    /// Saves the Agenda's forms; errors go to their fields.
    pub(super) fn save_agenda_form(
        &mut self,
        form: &mut Form,
    ) -> Result<Option<Action>, StoreError> {
        let when = || self.zone.parse_when(form.value("when"), self.now());
        match form.purpose.clone() {
            Purpose::Outcome(id) => {
                return Ok(Some(Action::CompleteReminder {
                    id,
                    outcome: form.value("outcome").trim().to_string(),
                }));
            }
            Purpose::SnoozeTime(id) => match when() {
                Ok(due_at) => return Ok(Some(Action::Snooze { id, due_at })),
                Err(e) => form.set_error("when", e.to_string()),
            },
            Purpose::EditReminder(id) => {
                let kind = form.value("kind").parse::<ActivityKind>();
                let due = when();
                if let Err(e) = &due {
                    form.set_error("when", e.to_string());
                }
                if form.value("subject").trim().is_empty() {
                    form.set_error("subject", "say what it is about");
                }
                if let (Ok(kind), Ok(due)) = (kind, due)
                    && !form.has_errors()
                {
                    let patch = usecase::activities::Patch {
                        kind: Some(kind),
                        subject: Some(form.value("subject").to_string()),
                        due_at: Some(Some(due)),
                    };
                    let undo = usecase::activities::edit(&mut self.store, &id, &patch)?;
                    self.remember(undo);
                    self.say(format!("Saved; due {}.", self.zone.date_time(due)));
                    self.reload_all(None)?;
                }
            }
            Purpose::AddReminder => {
                let target = form.value("for").trim().to_string();
                let conn = self.store.conn();
                let about = if let Some(title) = target.strip_suffix(" (deal)") {
                    deals::resolve(conn, title).map(Subject::Deal)
                } else if let Some(name) = target.strip_suffix(" (customer)") {
                    customers::resolve(conn, name).map(Subject::Customer)
                } else {
                    deals::resolve(conn, &target)
                        .map(Subject::Deal)
                        .or_else(|_| customers::resolve(conn, &target).map(Subject::Customer))
                };
                let kind = form.value("kind").parse::<ActivityKind>();
                let due = when();
                match &about {
                    Err(e) => {
                        form.set_error("for", format!("{e}; pick a deal or customer from the list"))
                    }
                    Ok(_) if target.is_empty() => form.set_error("for", "pick a deal or customer"),
                    Ok(_) => {}
                }
                if form.value("subject").trim().is_empty() {
                    form.set_error(
                        "subject",
                        "say what it is about, e.g. 'Call about the quote'",
                    );
                }
                if let Err(e) = &due {
                    form.set_error("when", e.to_string());
                }
                if let (Ok(about), Ok(kind), Ok(due)) = (about, kind, due)
                    && !form.has_errors()
                {
                    let (_, undo) = usecase::activities::add(
                        &mut self.store,
                        &NewActivity {
                            kind,
                            subject: form.value("subject").trim().to_string(),
                            body: None,
                            about,
                            contact_id: None,
                            due_at: Some(due),
                            outcome: None,
                        },
                    )?;
                    self.remember(undo);
                    self.say(format!("Reminder set for {}.", self.zone.date_time(due)));
                    self.reload_all(None)?;
                }
            }
            _ => {}
        }
        Ok(None)
    }
}
