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
use crate::t;
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
                None => fail(t!(
                    "profile-nothing-selected",
                    key = env.key(Context::Profile, Command::Add)
                )),
            },
            Command::Add => show(Modal::Form(forms::contact_form(env, &id, None)?)),
            Command::Edit => show(Modal::Form(forms::customer_form(env, Some(&self.summary))?)),
            Command::Delete => match self.item() {
                Some(ProfileItem::Contact(contact)) => show(Modal::Confirm(Confirm::new(
                    t!("confirm-remove-contact-title"),
                    t!(
                        "confirm-remove-contact",
                        contact = contact.name.as_str(),
                        customer = name.as_str(),
                        key = env.key(Context::Global, Command::Undo)
                    ),
                    Action::DeleteContact(contact.id.clone()),
                ))),
                Some(ProfileItem::Deal(_)) | None => {
                    fail(t!("profile-select-contact-to-remove", keys = choose(env)))
                }
            },
            Command::MarkPrimary => match self.item() {
                Some(ProfileItem::Contact(contact)) if contact.is_primary => act(Action::Say(t!(
                    "profile-already-primary",
                    name = contact.name.as_str()
                ))),
                Some(ProfileItem::Contact(contact)) => act(Action::MarkPrimary {
                    contact_id: contact.id.clone(),
                    name: contact.name.clone(),
                }),
                Some(ProfileItem::Deal(_)) | None => fail(t!(
                    "profile-select-contact-to-make-primary",
                    keys = choose(env)
                )),
            },
            Command::Satisfaction => {
                let current = self.summary.customer.satisfaction;
                show(Modal::Picker(Picker::satisfaction(id, &name, current)))
            }
            Command::AddTag => show(Modal::Form(forms::tag_form(id, &name))),
            Command::RemoveTag => {
                if self.tags.is_empty() {
                    fail(t!("profile-no-tags", name = name.as_str()))
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
                &t!("customers-revisit-subject"),
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
        Some(t) => {
            let days = days_since_contact(Some(t), now).unwrap_or(0);
            if due {
                t!(
                    "profile-last-contact-due",
                    when = zone.date_time(t),
                    days = days
                )
            } else {
                t!(
                    "profile-last-contact",
                    when = zone.date_time(t),
                    days = days
                )
            }
        }
        None => t!("never"),
    };
    let mut lines = vec![
        Line::from(Span::styled(clean(&c.name), theme::title())),
        field(&t!("field-kind"), c.kind.label()),
        field(&t!("field-status"), c.status.label()),
        field(
            &t!("field-tier"),
            // Short enough for half of an 80-column screen.
            t!(
                "profile-tier-cadence",
                tier = c.tier.label(),
                days = look.settings.cadence.days(c.tier)
            ),
        ),
        field(
            &t!("field-industry"),
            c.industry.clone().unwrap_or_else(|| "—".into()),
        ),
        field(
            &t!("field-region"),
            c.region.clone().unwrap_or_else(|| "—".into()),
        ),
        field(
            &t!("field-owner"),
            s.owner_name.clone().unwrap_or_else(|| "—".into()),
        ),
        field(
            &t!("field-satisfaction"),
            c.satisfaction.map_or("—".into(), |v| {
                format!(
                    "{}{} {v}/5",
                    "★".repeat(v as usize),
                    "☆".repeat(5 - v as usize)
                )
            }),
        ),
        field(
            &t!("field-tags"),
            if p.tags.is_empty() {
                "—".into()
            } else {
                p.tags.join(", ")
            },
        ),
        field(
            &t!("field-website"),
            c.website.clone().unwrap_or_else(|| "—".into()),
        ),
        field(&t!("field-last-contact"), last),
        match s.next_reminder {
            Some(t) if t < look.now => field(
                &t!("field-overdue"),
                t!("profile-overdue-since", when = zone.date_time(t)),
            ),
            Some(t) => field(&t!("field-next-reminder"), zone.date_time(t)),
            None => field(&t!("field-next-reminder"), t!("detail-none-scheduled")),
        },
    ];
    for (name, value) in &p.custom {
        lines.push(field(name, value.clone()));
    }
    if let Some(n) = &c.notes {
        lines.push(field(&t!("field-notes"), n.clone()));
    }
    lines.push(Line::from(""));
    let key = |c| look.keymap.key(Context::Profile, c);
    lines.push(heading(&t!(
        "profile-contacts",
        add = key(Command::Add),
        edit = key(Command::Open),
        primary = key(Command::MarkPrimary),
        remove = key(Command::Delete)
    )));
    if p.contacts.is_empty() {
        lines.push(Line::from(Span::styled(
            t!("profile-none-yet"),
            theme::hint(),
        )));
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
    lines.push(heading(&t!(
        "profile-open-deals",
        key = look.keymap.key(Context::Profile, Command::Open)
    )));
    if p.open_deals.is_empty() {
        lines.push(Line::from(Span::styled(t!("report-none"), theme::hint())));
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

    let mut log = vec![heading(&t!("profile-cooperation"))];
    if p.won_deals.is_empty() {
        log.push(Line::from(Span::styled(
            t!("profile-no-purchases"),
            theme::hint(),
        )));
    } else {
        let first = p.won_deals.iter().filter_map(|d| d.deal.closed_at).min();
        let last = p.won_deals.iter().filter_map(|d| d.deal.closed_at).max();
        log.push(Line::from(vec![Span::styled(
            t!(
                "profile-lifetime-value",
                amount =
                    Total::new(s.lifetime_value(currency.code()), currency.clone()).to_string()
            ),
            theme::amount(),
        )]));
        if let (Some(f), Some(l)) = (first, last) {
            log.push(Line::from(Span::styled(
                t!(
                    "profile-first-last-purchase",
                    first = zone.local(f).date().to_string(),
                    last = zone.local(l).date().to_string()
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
    log.push(heading(&t!(
        "profile-service-timeline",
        log = look.keymap.key(Context::Profile, Command::LogActivity),
        revisit = look.keymap.key(Context::Profile, Command::FollowUp)
    )));
    if p.timeline.is_empty() {
        log.push(Line::from(Span::styled(
            t!("profile-nothing-yet"),
            theme::hint(),
        )));
    }
    for row in &p.timeline {
        let a = &row.activity;
        let (when, style) = match (a.done_at, a.due_at) {
            (Some(t), _) => (zone.date_time(t), theme::dim()),
            (None, Some(t)) if t < now => (
                t!("log-overdue", when = zone.date_time(t)),
                theme::overdue(),
            ),
            (None, Some(t)) => (t!("log-due", when = zone.date_time(t)), theme::today()),
            _ => (zone.date_time(a.created_at), theme::dim()),
        };
        let about = row
            .deal_title
            .as_deref()
            .map(|t| format!(" ({t})"))
            .unwrap_or_default();
        log.push(Line::from(vec![
            Span::styled(format!(" {when}  "), style),
            Span::styled(
                crate::text::pad(&t!("log-kind", kind = a.kind.as_str()), 9),
                theme::label(),
            ),
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
