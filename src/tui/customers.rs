//! The customers board and the customer profile: state, loading, and the part of
//! `update` that handles their commands. Kept apart from the pipeline as the product
//! keeps customers apart from deals; the two meet only through a customer id.

use super::action::{Action, Command, Tab};
use super::app::{App, CARD_HEIGHT, HEADER_HEIGHT, MIN_COLUMN_WIDTH, scrolled_offset};
use super::modals::Modal;
use super::modals::confirm::Confirm;
use super::modals::form::{Field, Form, Purpose};
use super::modals::picker::Picker;
use crate::domain::activity::ActivityKind;
use crate::domain::customer::{CustomerKind, CustomerStatus, Tier};
use crate::store::activities::{self, ActivityRow, Subject};
use crate::store::contacts::{self, Contact, ContactFields};
use crate::store::customers::{
    self, CustomerSummary, Filter, GroupTotals, Grouping, NewCustomer, Patch,
};
use crate::store::deals::{self, DealRow};
use crate::store::{StoreError, Undo};
use crate::usecase;

/// One customers-board column: a status or a tier.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerColumn {
    /// The stored value (`prospect`, `key` …).
    pub key: &'static str,
    pub title: &'static str,
    pub totals: GroupTotals,
    pub selected: usize,
    pub offset: usize,
    pub cards: Vec<CustomerSummary>,
}

impl CustomerColumn {
    pub fn selected_card(&self) -> Option<&CustomerSummary> {
        self.cards.get(self.selected.checked_sub(self.offset)?)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CustomerBoard {
    pub grouping: Grouping,
    pub columns: Vec<CustomerColumn>,
    pub col: usize,
    pub first_col: usize,
    pub cols_visible: usize,
    pub rows_visible: usize,
    /// Text the board is filtered by (`F`); Esc clears it.
    pub filter: Option<String>,
}

impl Default for CustomerBoard {
    fn default() -> Self {
        CustomerBoard {
            grouping: Grouping::Status,
            columns: Vec::new(),
            col: 0,
            first_col: 0,
            cols_visible: 4,
            rows_visible: 1,
            filter: None,
        }
    }
}

/// The columns of a grouping, in board order.
fn column_keys(grouping: Grouping) -> Vec<(&'static str, &'static str)> {
    match grouping {
        Grouping::Status => CustomerStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label()))
            .collect(),
        Grouping::Tier => Tier::ALL.iter().map(|t| (t.as_str(), t.label())).collect(),
    }
}

/// An open customer profile.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub summary: CustomerSummary,
    pub tags: Vec<String>,
    pub contacts: Vec<Contact>,
    pub open_deals: Vec<DealRow>,
    pub won_deals: Vec<DealRow>,
    pub timeline: Vec<ActivityRow>,
    /// Index into contacts followed by open deals.
    pub selected: usize,
}

/// What the profile's cursor is on.
pub enum ProfileItem<'a> {
    Contact(&'a Contact),
    Deal(&'a DealRow),
}

impl Profile {
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
}

impl App {
    fn customer_filter(&self) -> Filter {
        Filter {
            owner_id: self.mine_only.then(|| self.store.member_id().to_string()),
            text: self.customers.filter.clone(),
            ..Filter::default()
        }
    }

    /// Reloads the customers board, keeping `keep` selected when given.
    pub(super) fn reload_customers(&mut self, keep: Option<String>) -> Result<(), StoreError> {
        let (w, h) = self.size;
        let b = &mut self.customers;
        b.rows_visible = ((h.saturating_sub(2 + HEADER_HEIGHT) + 1) / CARD_HEIGHT).max(1) as usize;
        let keys = column_keys(b.grouping);
        b.cols_visible = ((w / MIN_COLUMN_WIDTH).max(1) as usize).min(keys.len());
        let filter = self.customer_filter();
        let currency = self.settings.default_currency.code().to_string();
        let totals = customers::group_totals(
            self.store.conn(),
            self.customers.grouping,
            &filter,
            &currency,
        )?;
        let previous = std::mem::take(&mut self.customers.columns);
        for (key, title) in keys {
            let (selected, offset) = previous
                .iter()
                .find(|c| c.key == key)
                .map_or((0, 0), |c| (c.selected, c.offset));
            let totals = totals
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, t)| t.clone())
                .unwrap_or_default();
            self.customers.columns.push(CustomerColumn {
                key,
                title,
                totals,
                selected,
                offset,
                cards: Vec::new(),
            });
        }
        if let Some(c) = keep.and_then(|id| customers::get(self.store.conn(), &id).ok()) {
            let key = match self.customers.grouping {
                Grouping::Status => c.status.as_str(),
                Grouping::Tier => c.tier.as_str(),
            };
            if let Some(col) = self.customers.columns.iter().position(|x| x.key == key) {
                self.customers.col = col;
                self.customers.columns[col].selected = customers::index_in_group(
                    self.store.conn(),
                    self.customers.grouping,
                    &filter,
                    &c,
                )?;
            }
        }
        let rows = self.customers.rows_visible;
        for col in 0..self.customers.columns.len() {
            let column = &mut self.customers.columns[col];
            let count = column.totals.count;
            column.selected = column.selected.min(count.saturating_sub(1));
            column.offset = scrolled_offset(column.offset, column.selected, rows, count);
            self.load_customer_window(col)?;
        }
        let b = &mut self.customers;
        b.col = b.col.min(b.columns.len().saturating_sub(1));
        fit(&mut b.first_col, b.col, b.cols_visible, b.columns.len());
        if let Some(p) = &self.profile {
            let (id, selected) = (p.summary.customer.id.clone(), p.selected);
            self.profile = self.load_profile(&id).ok().map(|mut p| {
                p.selected = selected.min(p.items().saturating_sub(1));
                p
            });
        }
        Ok(())
    }

    fn load_customer_window(&mut self, col: usize) -> Result<(), StoreError> {
        let mut filter = self.customer_filter();
        let rows = self.customers.rows_visible;
        let grouping = self.customers.grouping;
        let column = &mut self.customers.columns[col];
        match grouping {
            Grouping::Status => filter.status = column.key.parse().ok(),
            Grouping::Tier => filter.tier = column.key.parse().ok(),
        }
        filter.offset = Some(column.offset as i64);
        filter.limit = Some(rows as i64);
        column.cards = customers::list(self.store.conn(), &filter)?;
        Ok(())
    }

    pub(super) fn load_profile(&self, id: &str) -> Result<Profile, StoreError> {
        let conn = self.store.conn();
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
            .partition(|d| d.deal.status.as_str() == "open");
        let mut won_deals: Vec<DealRow> = rest
            .into_iter()
            .filter(|d| d.deal.status.as_str() == "won")
            .collect();
        won_deals.sort_by_key(|d| std::cmp::Reverse(d.deal.closed_at));
        Ok(Profile {
            tags: customers::tags(conn, id)?,
            contacts: contacts::list(conn, id)?,
            timeline: activities::for_customer(conn, id, 50)?,
            summary,
            open_deals,
            won_deals,
            selected: 0,
        })
    }

    pub fn selected_customer(&self) -> Option<&CustomerSummary> {
        if let Some(p) = &self.profile {
            return Some(&p.summary);
        }
        self.customers
            .columns
            .get(self.customers.col)?
            .selected_card()
    }

    /// Opens a customer's profile on the Customers tab (from anywhere).
    pub(super) fn open_customer(&mut self, id: &str) -> Result<(), StoreError> {
        self.tab = Tab::Customers;
        self.profile = Some(self.load_profile(id)?);
        self.refresh_tab(Tab::Customers, Some(id.to_string()))
    }

    /// Customers board and profile commands.
    pub(super) fn customers_command(&mut self, c: Command) -> Result<Option<Action>, StoreError> {
        if self.profile.is_some() {
            return self.profile_command(c);
        }
        match c {
            Command::Left | Command::Right => {
                let b = &mut self.customers;
                let n = b.columns.len();
                b.col = if c == Command::Right {
                    (b.col + 1).min(n.saturating_sub(1))
                } else {
                    b.col.saturating_sub(1)
                };
                fit(&mut b.first_col, b.col, b.cols_visible, n);
            }
            Command::Up | Command::Down | Command::First | Command::Last => {
                let rows = self.customers.rows_visible;
                let col = self.customers.col;
                let Some(column) = self.customers.columns.get_mut(col) else {
                    return Ok(None);
                };
                let count = column.totals.count;
                if count == 0 {
                    return Ok(None);
                }
                column.selected = match c {
                    Command::Up => column.selected.saturating_sub(1),
                    Command::Down => (column.selected + 1).min(count - 1),
                    Command::First => 0,
                    _ => count - 1,
                };
                let offset = scrolled_offset(column.offset, column.selected, rows, count);
                if offset != column.offset {
                    column.offset = offset;
                    self.load_customer_window(col)?;
                }
            }
            Command::MovePrev | Command::MoveNext => {
                let Some(s) = self.selected_customer().cloned() else {
                    return Ok(None);
                };
                let col = self.customers.col;
                let target = if c == Command::MoveNext {
                    col + 1
                } else {
                    col.wrapping_sub(1)
                };
                let Some(target) = self.customers.columns.get(target).map(|t| t.key) else {
                    self.fail("No column further that way.");
                    return Ok(None);
                };
                let id = s.customer.id.clone();
                match self.customers.grouping {
                    Grouping::Status if target == CustomerStatus::Churned.as_str() => {
                        self.modal = Some(Modal::Form(Form::new(
                            format!("Why is {} churning?", s.customer.name),
                            Purpose::ChurnReason(id),
                            vec![Field::text("reason", "Reason", "")],
                        )));
                    }
                    Grouping::Status => {
                        let status: CustomerStatus = target.parse().map_err(StoreError::Invalid)?;
                        let undo = usecase::customers::edit(
                            &mut self.store,
                            &id,
                            &Patch {
                                status: Some(status),
                                ..Patch::default()
                            },
                        )?;
                        self.done(
                            undo,
                            format!("{} is now {}.", s.customer.name, status.label()),
                            Some(id),
                        )?;
                    }
                    Grouping::Tier => {
                        let tier: Tier = target.parse().map_err(StoreError::Invalid)?;
                        let undo = usecase::customers::edit(
                            &mut self.store,
                            &id,
                            &Patch {
                                tier: Some(tier),
                                ..Patch::default()
                            },
                        )?;
                        self.done(
                            undo,
                            format!("{} is now {} tier.", s.customer.name, tier.label()),
                            Some(id),
                        )?;
                    }
                }
            }
            Command::Open => {
                if let Some(s) = self.selected_customer() {
                    let id = s.customer.id.clone();
                    self.profile = Some(self.load_profile(&id)?);
                }
            }
            Command::Regroup => {
                self.customers.grouping = match self.customers.grouping {
                    Grouping::Status => Grouping::Tier,
                    Grouping::Tier => Grouping::Status,
                };
                let keep = self.selected_customer().map(|s| s.customer.id.clone());
                self.say(match self.customers.grouping {
                    Grouping::Status => "Grouped by status.",
                    Grouping::Tier => "Grouped by tier.",
                });
                self.reload_customers(keep)?;
            }
            Command::Add => self.modal = Some(Modal::Form(customer_form(None))),
            Command::Edit => {
                if let Some(s) = self.selected_customer().cloned() {
                    self.modal = Some(Modal::Form(customer_form(Some(&s))));
                }
            }
            Command::Delete => {
                if let Some(s) = self.selected_customer() {
                    self.modal = Some(Modal::Confirm(Confirm::new(
                        "Delete customer",
                        format!("Delete {}? u undoes it.", s.customer.name),
                        Action::DeleteCustomer(s.customer.id.clone()),
                    )));
                }
            }
            Command::Filter => {
                let current = self.customers.filter.clone().unwrap_or_default();
                self.modal = Some(Modal::Form(Form::new(
                    "Filter customers",
                    Purpose::Filter,
                    vec![
                        Field::text("text", "Contains", current)
                            .with_hint("name, tag, industry or region; empty shows all"),
                    ],
                )));
            }
            Command::Back if self.customers.filter.take().is_some() => {
                self.say("Filter cleared.");
                self.reload_customers(None)?;
            }
            Command::LogActivity | Command::FollowUp => {
                if let Some(s) = self.selected_customer() {
                    let about = Subject::Customer(s.customer.id.clone());
                    self.modal = Some(Modal::Form(if c == Command::FollowUp {
                        super::app::follow_up_form(about, "Revisit")
                    } else {
                        super::app::log_form(about, &s.customer.name, ActivityKind::Visit)
                    }));
                }
            }
            _ => {}
        }
        Ok(None)
    }

    fn profile_command(&mut self, c: Command) -> Result<Option<Action>, StoreError> {
        let Some(p) = &self.profile else {
            return Ok(None);
        };
        let id = p.summary.customer.id.clone();
        let name = p.summary.customer.name.clone();
        match c {
            Command::Back => self.profile = None,
            Command::Up | Command::Down => {
                if let Some(p) = &mut self.profile {
                    let n = p.items();
                    p.selected = if c == Command::Down {
                        (p.selected + 1).min(n.saturating_sub(1))
                    } else {
                        p.selected.saturating_sub(1)
                    };
                }
            }
            Command::Open => match p.item() {
                Some(ProfileItem::Contact(contact)) => {
                    self.modal = Some(Modal::Form(contact_form(&id, Some(contact))))
                }
                Some(ProfileItem::Deal(deal)) => {
                    let deal_id = deal.deal.id.clone();
                    self.profile = None;
                    self.open_deal(&deal_id)?;
                }
                None => {}
            },
            Command::Add => self.modal = Some(Modal::Form(contact_form(&id, None))),
            Command::Edit => self.modal = Some(Modal::Form(customer_form(Some(&p.summary)))),
            Command::Delete => {
                if let Some(ProfileItem::Contact(contact)) = p.item() {
                    self.modal = Some(Modal::Confirm(Confirm::new(
                        "Remove contact",
                        format!("Remove {} from {name}? u undoes it.", contact.name),
                        Action::DeleteContact(contact.id.clone()),
                    )));
                } else {
                    self.fail("Select a contact to remove (j/k).");
                }
            }
            Command::MarkPrimary => {
                if let Some(ProfileItem::Contact(contact)) = p.item() {
                    let cname = contact.name.clone();
                    let undo =
                        usecase::contacts::make_primary(&mut self.store, &contact.id.clone())?;
                    self.done(undo, format!("{cname} is the primary contact."), Some(id))?;
                }
            }
            Command::Satisfaction => {
                let current = p.summary.customer.satisfaction;
                self.modal = Some(Modal::Picker(Picker::satisfaction(id, &name, current)));
            }
            Command::AddTag => {
                self.modal = Some(Modal::Form(Form::new(
                    format!("Tag {name}"),
                    Purpose::AddTag(id),
                    vec![Field::text("tag", "Tag", "")],
                )));
            }
            Command::RemoveTag => {
                if p.tags.is_empty() {
                    self.fail(format!("{name} has no tags."));
                } else {
                    self.modal = Some(Modal::Picker(Picker::remove_tag(id, &name, p.tags.clone())));
                }
            }
            Command::LogActivity => {
                self.modal = Some(Modal::Form(super::app::log_form(
                    Subject::Customer(id),
                    &name,
                    ActivityKind::Visit,
                )))
            }
            Command::FollowUp => {
                self.modal = Some(Modal::Form(super::app::follow_up_form(
                    Subject::Customer(id),
                    "Revisit",
                )))
            }
            _ => {}
        }
        Ok(None)
    }

    /// Records an undoable change, says what happened, and reloads.
    pub(super) fn done(
        &mut self,
        undo: Undo,
        message: String,
        keep: Option<String>,
    ) -> Result<(), StoreError> {
        self.remember(undo);
        self.say(message);
        self.reload_all(keep)
    }

    /// Customer-side modal answers.
    pub(super) fn customers_action(&mut self, action: Action) -> Result<(), StoreError> {
        self.modal = None;
        match action {
            Action::DeleteCustomer(id) => {
                let undo = usecase::customers::delete(&mut self.store, &id)?;
                self.profile = None;
                self.done(undo, "Customer deleted. u undoes it.".into(), None)?;
            }
            Action::DeleteContact(id) => {
                let undo = usecase::contacts::delete(&mut self.store, &id)?;
                let keep = self.selected_customer().map(|s| s.customer.id.clone());
                self.done(undo, "Contact removed. u undoes it.".into(), keep)?;
            }
            Action::ChurnCustomer {
                customer_id,
                reason,
            } => {
                // The status change and the reason land in one transaction.
                let c = customers::get(self.store.conn(), &customer_id)?;
                let undo = usecase::customers::churn(&mut self.store, &customer_id, &reason)?;
                self.done(
                    undo,
                    format!("{} churned ({reason}).", c.name),
                    Some(customer_id),
                )?;
            }
            Action::SetSatisfaction { customer_id, value } => {
                let undo = usecase::customers::edit(
                    &mut self.store,
                    &customer_id,
                    &Patch {
                        satisfaction: Some(value),
                        ..Patch::default()
                    },
                )?;
                let text = value.map_or("Satisfaction cleared.".to_string(), |v| {
                    format!("Satisfaction set to {v}/5.")
                });
                self.done(undo, text, Some(customer_id))?;
            }
            Action::RemoveTag { customer_id, tag } => {
                let undo = usecase::customers::edit(
                    &mut self.store,
                    &customer_id,
                    &Patch {
                        remove_tags: vec![tag.clone()],
                        ..Patch::default()
                    },
                )?;
                self.done(undo, format!("Tag {tag} removed."), Some(customer_id))?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Saves the customer-side forms; errors go to their fields.
    pub(super) fn save_customer_form(
        &mut self,
        form: &mut Form,
    ) -> Result<Option<Action>, StoreError> {
        match form.purpose.clone() {
            Purpose::AddCustomer | Purpose::EditCustomer(_) => {
                let name = form.value("name").trim().to_string();
                if name.is_empty() {
                    form.set_error("name", "a customer needs a name");
                }
                let kind = form.value("kind").parse::<CustomerKind>();
                let tier = form.value("tier").parse::<Tier>();
                let status = form.value("status").parse::<CustomerStatus>();
                for (key, err) in [
                    ("kind", kind.as_ref().err()),
                    ("tier", tier.as_ref().err()),
                    ("status", status.as_ref().err()),
                ] {
                    if let Some(e) = err {
                        form.set_error(key, e.clone());
                    }
                }
                let (Ok(kind), Ok(tier), Ok(status)) = (kind, tier, status) else {
                    return Ok(None);
                };
                if form.has_errors() {
                    return Ok(None);
                }
                let text =
                    |k: &str| Some(form.value(k).trim().to_string()).filter(|v| !v.is_empty());
                if let Purpose::EditCustomer(id) = &form.purpose {
                    let patch = Patch {
                        name: Some(name.clone()),
                        kind: Some(kind),
                        tier: Some(tier),
                        status: Some(status),
                        industry: Some(text("industry")),
                        region: Some(text("region")),
                        website: Some(text("website")),
                        ..Patch::default()
                    };
                    let undo = usecase::customers::edit(&mut self.store, id, &patch)?;
                    self.done(undo, format!("Saved {name}."), Some(id.clone()))?;
                } else {
                    let new = NewCustomer {
                        kind,
                        tier,
                        status,
                        industry: text("industry"),
                        region: text("region"),
                        website: text("website"),
                        ..NewCustomer::named(&name)
                    };
                    let (id, undo) = usecase::customers::add(&mut self.store, &new)?;
                    self.done(undo, format!("Added {name}."), Some(id))?;
                }
            }
            Purpose::AddContact(customer_id) | Purpose::EditContact(customer_id) => {
                let fields = ContactFields {
                    name: form.value("name").trim().to_string(),
                    title: Some(form.value("title").to_string()),
                    phone: Some(form.value("phone").to_string()),
                    email: Some(form.value("email").to_string()),
                    is_primary: false,
                    notes: None,
                };
                if fields.name.is_empty() {
                    form.set_error("name", "a contact needs a name");
                }
                if let Some(e) = fields.email.as_deref().filter(|e| !e.trim().is_empty())
                    && let Err(msg) = crate::domain::customer::validate_email(e)
                {
                    form.set_error("email", msg);
                }
                if let Some(p) = fields.phone.as_deref().filter(|p| !p.trim().is_empty())
                    && let Err(msg) = crate::domain::customer::validate_phone(p)
                {
                    form.set_error("phone", msg);
                }
                if form.has_errors() {
                    return Ok(None);
                }
                let keep = self.selected_customer().map(|s| s.customer.id.clone());
                if matches!(form.purpose, Purpose::AddContact(_)) {
                    let (_, undo) = usecase::contacts::add(&mut self.store, &customer_id, &fields)?;
                    self.done(undo, format!("Added contact {}.", fields.name), keep)?;
                } else {
                    // For an edit the purpose carries the contact's id.
                    let patch = usecase::contacts::Patch {
                        name: Some(fields.name.clone()),
                        title: Some(fields.title.clone()),
                        phone: Some(fields.phone.clone()),
                        email: Some(fields.email.clone()),
                        notes: None,
                    };
                    let undo = usecase::contacts::edit(&mut self.store, &customer_id, &patch)?;
                    self.done(undo, format!("Saved contact {}.", fields.name), keep)?;
                }
            }
            Purpose::ChurnReason(customer_id) => {
                let reason = form.value("reason").trim().to_string();
                if reason.is_empty() {
                    form.set_error("reason", "say why, e.g. 'moved to a competitor'");
                    return Ok(None);
                }
                return Ok(Some(Action::ChurnCustomer {
                    customer_id,
                    reason,
                }));
            }
            Purpose::Filter => {
                let text = form.value("text").trim().to_string();
                self.customers.filter = (!text.is_empty()).then_some(text);
                for c in &mut self.customers.columns {
                    c.selected = 0;
                    c.offset = 0;
                }
                self.reload_customers(None)?;
            }
            Purpose::AddTag(customer_id) => {
                let tag = form.value("tag").trim().to_string();
                if let Err(e) = crate::domain::customer::normalize_tag(&tag) {
                    form.set_error("tag", e);
                    return Ok(None);
                }
                let undo = usecase::customers::edit(
                    &mut self.store,
                    &customer_id,
                    &Patch {
                        add_tags: vec![tag.clone()],
                        ..Patch::default()
                    },
                )?;
                self.done(undo, format!("Tagged {tag}."), Some(customer_id))?;
            }
            _ => {}
        }
        Ok(None)
    }
}

/// Keeps column `col` within the visible window starting at `first`.
pub fn fit(first: &mut usize, col: usize, visible: usize, total: usize) {
    let visible = visible.max(1);
    if col < *first {
        *first = col;
    } else if col >= *first + visible {
        *first = col + 1 - visible;
    }
    *first = (*first).min(total.saturating_sub(visible));
}

fn customer_form(current: Option<&CustomerSummary>) -> Form {
    let names = |all: &[&str]| all.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let c = current.map(|s| &s.customer);
    let get = |f: fn(&crate::domain::customer::Customer) -> Option<String>| {
        c.and_then(f).unwrap_or_default()
    };
    let purpose = c.map_or(Purpose::AddCustomer, |c| {
        Purpose::EditCustomer(c.id.clone())
    });
    Form::new(
        c.map_or("Add customer".to_string(), |c| format!("Edit {}", c.name)),
        purpose,
        vec![
            Field::text(
                "name",
                "Name",
                c.map(|c| c.name.clone()).unwrap_or_default(),
            ),
            Field::choice(
                "kind",
                "Kind",
                names(&["company", "person"]),
                c.map_or("company", |c| c.kind.as_str()),
            ),
            Field::choice(
                "tier",
                "Tier",
                names(&["key", "normal", "low"]),
                c.map_or("normal", |c| c.tier.as_str()),
            ),
            Field::choice(
                "status",
                "Status",
                names(&["prospect", "active", "at_risk", "churned"]),
                c.map_or("prospect", |c| c.status.as_str()),
            ),
            Field::text("industry", "Industry", get(|c| c.industry.clone())),
            Field::text("region", "Region", get(|c| c.region.clone())),
            Field::text("website", "Website", get(|c| c.website.clone())),
        ],
    )
}

fn contact_form(customer_id: &str, current: Option<&Contact>) -> Form {
    let v = |f: fn(&Contact) -> Option<String>| current.and_then(f).unwrap_or_default();
    Form::new(
        current.map_or("Add contact".to_string(), |c| format!("Edit {}", c.name)),
        match current {
            Some(c) => Purpose::EditContact(c.id.clone()),
            None => Purpose::AddContact(customer_id.to_string()),
        },
        vec![
            Field::text(
                "name",
                "Name",
                current.map(|c| c.name.clone()).unwrap_or_default(),
            ),
            Field::text("title", "Title", v(|c| c.title.clone())),
            Field::text("phone", "Phone", v(|c| c.phone.clone())).with_hint("e.g. +49 30 1234567"),
            Field::text("email", "Email", v(|c| c.email.clone()))
                .with_hint("e.g. name@example.com"),
        ],
    )
}
