//! A customer's profile, on top of the customers board: contacts, tags, satisfaction,
//! the service timeline, cooperation history (won deals) and open deals (Enter jumps to
//! one).

use super::field;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{Action, Command, Env, Handled, Look, act, fail};
use crate::domain::activity::ActivityKind;
use crate::domain::customer::{days_since_contact, is_revisit_due};
use crate::domain::deal::DealStatus;
use crate::domain::money::Total;
use crate::store::StoreError;
use crate::store::activities::{self, ActivityRow, Subject};
use crate::store::contacts::{self, Contact};
use crate::store::customers::{self, CustomerSummary};
use crate::store::deals::{self, DealRow};
use crate::text::{clean, truncate};
use crate::tui::forms;
use crate::tui::keymap::Context;
use crate::tui::modals::Modal;
use crate::tui::modals::confirm::Confirm;
use crate::tui::modals::picker::Picker;
use crate::tui::theme;

/// An open customer profile.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub summary: CustomerSummary,
    pub tags: Vec<String>,
    pub contacts: Vec<Contact>,
    pub open_deals: Vec<DealRow>,
    pub won_deals: Vec<DealRow>,
    pub timeline: Vec<ActivityRow>,
    /// The customer's custom field values that are set: name and value as shown.
    pub custom: Vec<(String, String)>,
    /// Index into contacts followed by open deals.
    pub selected: usize,
}

/// What the profile's cursor is on.
pub enum ProfileItem<'a> {
    Contact(&'a Contact),
    Deal(&'a DealRow),
}

impl Profile {
    pub fn load(env: &Env, id: &str) -> Result<Profile, StoreError> {
        let conn = env.conn;
        let summary = customers::summary(conn, id)?;
        let all = deals::list(
            conn,
            &deals::Filter {
                customer_id: Some(id.to_string()),
                ..deals::Filter::default()
            },
        )?;
        let (open_deals, rest): (Vec<_>, Vec<_>) = all
            .into_iter()
            .partition(|d| d.deal.status == DealStatus::Open);
        let mut won_deals: Vec<DealRow> = rest
            .into_iter()
            .filter(|d| d.deal.status == DealStatus::Won)
            .collect();
        won_deals.sort_by_key(|d| std::cmp::Reverse(d.deal.closed_at));
        Ok(Profile {
            tags: customers::tags(conn, id)?,
            contacts: contacts::list(conn, id)?,
            timeline: activities::for_customer(conn, id, 50)?,
            custom: super::custom_values(conn, crate::domain::field::Entity::Customer, id)?,
            summary,
            open_deals,
            won_deals,
            selected: 0,
        })
    }

    /// The same customer read again, the cursor kept where it was.
    pub fn reload(&self, env: &Env) -> Result<Profile, StoreError> {
        let mut fresh = Profile::load(env, &self.summary.customer.id)?;
        fresh.selected = self.selected.min(fresh.items().saturating_sub(1));
        Ok(fresh)
    }

    pub fn item(&self) -> Option<ProfileItem<'_>> {
        match self.contacts.get(self.selected) {
            Some(c) => Some(ProfileItem::Contact(c)),
            None => self
                .open_deals
                .get(self.selected - self.contacts.len())
                .map(ProfileItem::Deal),
        }
    }

    fn items(&self) -> usize {
        self.contacts.len() + self.open_deals.len()
    }

    pub fn handle(&mut self, c: Command, env: &Env) -> Result<Handled, StoreError> {
        let id = self.summary.customer.id.clone();
        let name = self.summary.customer.name.clone();
        let show = |modal: Modal| act(Action::show(modal));
        match c {
            Command::Back => act(Action::Back),
            Command::Up | Command::Down => {
                let n = self.items();
                self.selected = if c == Command::Down {
                    (self.selected + 1).min(n.saturating_sub(1))
                } else {
                    self.selected.saturating_sub(1)
                };
                Ok(Handled::Consumed)
            }
            Command::Open => match self.item() {
                Some(ProfileItem::Contact(contact)) => {
                    show(Modal::Form(forms::contact_form(env, &id, Some(contact))?))
                }
                Some(ProfileItem::Deal(deal)) => act(Action::OpenDeal(deal.deal.id.clone())),
                None => fail("Nothing selected: add a contact with a."),
            },
            Command::Add => show(Modal::Form(forms::contact_form(env, &id, None)?)),
            Command::Edit => show(Modal::Form(forms::customer_form(env, Some(&self.summary))?)),
            Command::Delete => match self.item() {
                Some(ProfileItem::Contact(contact)) => show(Modal::Confirm(Confirm::new(
                    "Remove contact",
                    format!(
                        "Remove {} from {name}? {} undoes it.",
                        contact.name,
                        env.key(Context::Global, Command::Undo)
                    ),
                    Action::DeleteContact(contact.id.clone()),
                ))),
                Some(ProfileItem::Deal(_)) | None => {
                    fail(format!("Select a contact to remove ({}).", choose(env)))
                }
            },
            Command::MarkPrimary => match self.item() {
                Some(ProfileItem::Contact(contact)) if contact.is_primary => act(Action::Say(
                    format!("{} is already the primary contact.", contact.name),
                )),
                Some(ProfileItem::Contact(contact)) => act(Action::MarkPrimary {
                    contact_id: contact.id.clone(),
                    name: contact.name.clone(),
                }),
                Some(ProfileItem::Deal(_)) | None => fail(format!(
                    "Select a contact to make primary ({}).",
                    choose(env)
                )),
            },
            Command::Satisfaction => {
                let current = self.summary.customer.satisfaction;
                show(Modal::Picker(Picker::satisfaction(id, &name, current)))
            }
            Command::AddTag => show(Modal::Form(forms::tag_form(id, &name))),
            Command::RemoveTag => {
                if self.tags.is_empty() {
                    fail(format!("{name} has no tags."))
                } else {
                    show(Modal::Picker(Picker::remove_tag(
                        id,
                        &name,
                        self.tags.clone(),
                    )))
                }
            }
            Command::LogActivity => show(Modal::Form(forms::log_form(
                Subject::Customer(id),
                &name,
                ActivityKind::Visit,
            ))),
            Command::FollowUp => show(Modal::Form(forms::follow_up_form(
                Subject::Customer(id),
                "Revisit",
            ))),
            Command::Quit
            | Command::Help
            | Command::Search
            | Command::Undo
            | Command::NextTab
            | Command::PrevTab
            | Command::GoTab(_)
            | Command::Left
            | Command::Right
            | Command::First
            | Command::Last
            | Command::MovePrev
            | Command::MoveNext
            | Command::Win
            | Command::Lose
            | Command::ToggleMine
            | Command::ScrollUp
            | Command::ScrollDown
            | Command::Regroup
            | Command::Filter
            | Command::JumpToCustomer
            | Command::PrevPeriod
            | Command::NextPeriod
            | Command::CyclePeriod
            | Command::Done
            | Command::Snooze
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

fn heading(text: &str) -> Line<'static> {
    Line::from(Span::styled(text.to_string(), theme::title()))
}

fn render(p: &Profile, look: &Look, frame: &mut Frame, area: Rect) {
    let now = look.now;
    let zone = look.zone;
    let s = &p.summary;
    let c = &s.customer;
    let currency = &look.settings.default_currency;
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
    let due = is_revisit_due(
        c.status,
        s.last_contact,
        c.created_at,
        c.tier,
        &look.settings.cadence,
        now,
    );
    let last = match s.last_contact {
        Some(t) => format!(
            "{} ({} days ago){}",
            zone.date_time(t),
            days_since_contact(Some(t), now).unwrap_or(0),
            if due { " — revisit due" } else { "" }
        ),
        None => "never".into(),
    };
    let mut lines = vec![
        Line::from(Span::styled(clean(&c.name), theme::title())),
        field("Kind", c.kind.label().into()),
        field("Status", c.status.label().into()),
        field(
            "Tier",
            format!(
                // Short enough for half of an 80-column screen.
                "{} · every {} d",
                c.tier.label(),
                look.settings.cadence.days(c.tier)
            ),
        ),
        field("Industry", c.industry.clone().unwrap_or_else(|| "—".into())),
        field("Region", c.region.clone().unwrap_or_else(|| "—".into())),
        field("Owner", s.owner_name.clone().unwrap_or_else(|| "—".into())),
        field(
            "Satisfaction",
            c.satisfaction.map_or("—".into(), |v| {
                format!(
                    "{}{} {v}/5",
                    "★".repeat(v as usize),
                    "☆".repeat(5 - v as usize)
                )
            }),
        ),
        field(
            "Tags",
            if p.tags.is_empty() {
                "—".into()
            } else {
                p.tags.join(", ")
            },
        ),
        field("Website", c.website.clone().unwrap_or_else(|| "—".into())),
        field("Last contact", last),
        match s.next_reminder {
            Some(t) if t < look.now => field("Overdue", format!("since {}", zone.date_time(t))),
            Some(t) => field("Next reminder", zone.date_time(t)),
            None => field("Next reminder", "none scheduled".into()),
        },
    ];
    for (name, value) in &p.custom {
        lines.push(field(name, value.clone()));
    }
    if let Some(n) = &c.notes {
        lines.push(field("Notes", n.clone()));
    }
    lines.push(Line::from(""));
    let key = |c| look.keymap.key(Context::Profile, c);
    lines.push(heading(&format!(
        "Contacts ({} add · {} edit · {} primary · {} remove)",
        key(Command::Add),
        key(Command::Open),
        key(Command::MarkPrimary),
        key(Command::Delete)
    )));
    if p.contacts.is_empty() {
        lines.push(Line::from(Span::styled("  none yet", theme::hint())));
    }
    let selected_item = p.item();
    for contact in &p.contacts {
        let is_sel = matches!(&selected_item, Some(ProfileItem::Contact(x)) if x.id == contact.id);
        let star = if contact.is_primary { "★" } else { " " };
        let text = format!(
            "{star} {}  {}  {}  {}",
            contact.name,
            contact.title.as_deref().unwrap_or(""),
            contact.phone.as_deref().unwrap_or(""),
            contact.email.as_deref().unwrap_or("")
        );
        lines.push(Line::from(Span::styled(
            format!(
                "{}{}",
                if is_sel { "›" } else { " " },
                truncate(&text, left.width.saturating_sub(3) as usize)
            ),
            if is_sel {
                theme::selected()
            } else {
                Style::new()
            },
        )));
    }
    lines.push(Line::from(""));
    lines.push(heading(&format!(
        "Open deals ({} opens in the pipeline)",
        look.keymap.key(Context::Profile, Command::Open)
    )));
    if p.open_deals.is_empty() {
        lines.push(Line::from(Span::styled("  none", theme::hint())));
    }
    for d in &p.open_deals {
        let is_sel = matches!(&selected_item, Some(ProfileItem::Deal(x)) if x.deal.id == d.deal.id);
        let text = format!(
            "{}  {}  {}",
            d.deal.title,
            d.stage_name,
            d.deal.amount.format_short()
        );
        lines.push(Line::from(Span::styled(
            format!(
                "{}{}",
                if is_sel { "›" } else { " " },
                truncate(&text, left.width.saturating_sub(3) as usize)
            ),
            if is_sel {
                theme::selected()
            } else {
                Style::new()
            },
        )));
    }
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::default()
                .borders(Borders::RIGHT)
                .border_style(theme::dim()),
        ),
        left,
    );

    let mut log = vec![heading("Cooperation history (won deals)")];
    if p.won_deals.is_empty() {
        log.push(Line::from(Span::styled(
            "  no purchases yet",
            theme::hint(),
        )));
    } else {
        let first = p.won_deals.iter().filter_map(|d| d.deal.closed_at).min();
        let last = p.won_deals.iter().filter_map(|d| d.deal.closed_at).max();
        log.push(Line::from(vec![Span::styled(
            format!(
                "  Lifetime value {}",
                Total::new(s.lifetime_value(currency.code()), currency.clone())
            ),
            theme::amount(),
        )]));
        if let (Some(f), Some(l)) = (first, last) {
            log.push(Line::from(Span::styled(
                format!(
                    "  First purchase {} · last {}",
                    zone.local(f).date(),
                    zone.local(l).date()
                ),
                theme::dim(),
            )));
        }
        for d in &p.won_deals {
            log.push(Line::from(format!(
                "  {}  {}  {}",
                d.deal
                    .closed_at
                    .map(|t| zone.local(t).date().to_string())
                    .unwrap_or_default(),
                clean(&d.deal.title),
                d.deal.amount
            )));
        }
    }
    log.push(Line::from(""));
    log.push(heading("Service timeline (n log · f schedule a revisit)"));
    if p.timeline.is_empty() {
        log.push(Line::from(Span::styled("  nothing yet", theme::hint())));
    }
    for row in &p.timeline {
        let a = &row.activity;
        let (when, style) = match (a.done_at, a.due_at) {
            (Some(t), _) => (zone.date_time(t), theme::dim()),
            (None, Some(t)) if t < now => {
                (format!("{} overdue", zone.date_time(t)), theme::overdue())
            }
            (None, Some(t)) => (format!("{} due", zone.date_time(t)), theme::today()),
            _ => (zone.date_time(a.created_at), theme::dim()),
        };
        let about = row
            .deal_title
            .as_deref()
            .map(|t| format!(" ({t})"))
            .unwrap_or_default();
        log.push(Line::from(vec![
            Span::styled(format!(" {when}  "), style),
            Span::styled(format!("{:<9}", a.kind.as_str()), theme::label()),
            Span::raw(clean(&format!("{}{about}", a.subject))),
        ]));
    }
    frame.render_widget(
        Paragraph::new(log).wrap(Wrap { trim: false }),
        right.inner(Margin {
            horizontal: 1,
            vertical: 0,
        }),
    );
}

/// The keys that choose a contact or deal, for a message: "j/k".
fn choose(env: &Env) -> String {
    format!(
        "{}/{}",
        env.key(Context::Profile, Command::Down),
        env.key(Context::Profile, Command::Up)
    )
}
