//! Saving the open form: every field is validated (errors go under their field, nothing
//! is saved until all are valid), then one use-case call writes it. An edit sends only
//! the fields the user changed ([`Form::changed`]), so a value the form merely showed
//! never overwrites a newer one written meanwhile by a teammate, a CLI call or a sync.

use super::action::Action;
use super::app::App;
use super::modals::Modal;
use super::modals::form::{Form, Purpose};
use crate::domain::activity::ActivityKind;
use crate::domain::customer::{CustomerKind, CustomerStatus, Tier};
use crate::domain::deal::validate_title;
use crate::domain::field::{Entity, Typing};
use crate::domain::money::{Currency, Money};
use crate::domain::stage::Stage;
use crate::domain::time::parse_date;
use crate::store::activities::{NewActivity, Subject};
use crate::store::contacts::ContactFields;
use crate::store::deals::{CustomerRef, NewDeal};
use crate::store::{StoreError, customers, deals, stages};
use crate::t;
use crate::usecase;
use crate::usecase::fields::FieldChanges;

/// A text field's value as an optional one: empty is none.
fn optional(value: &str) -> Option<String> {
    Some(value.trim().to_string()).filter(|v| !v.is_empty())
}

impl App {
    /// The custom field values of a form, each read as the CLI's `--set` reads it, with
    /// its error under its field. An add takes every filled field and names each required
    /// one left empty; an edit takes the fields the user changed. `None` when a field is
    /// refused (the errors are on the form).
    fn custom_values(
        &self,
        form: &mut Form,
        entity: Entity,
        new: bool,
    ) -> Result<Option<FieldChanges>, StoreError> {
        let defs = usecase::fields::defs(&self.store, entity)?;
        let typing = Typing {
            today: self.zone.today(self.now()),
            currency: self.settings.default_currency.clone(),
            decimal: self.settings.decimal(),
        };
        let mut changes = FieldChanges::new();
        let mut refused = Vec::new();
        for field in &form.fields {
            let Some(def) = field
                .custom_id()
                .and_then(|id| defs.iter().find(|d| d.id == id))
            else {
                continue;
            };
            if !new && field.value == field.initial {
                continue;
            }
            match def.parse(&field.value, &typing) {
                Ok(None) if def.required => {
                    refused.push((field.key.to_string(), t!("form-error-required")));
                }
                Ok(None) if new => {}
                Ok(value) => changes.push((def.clone(), value)),
                Err(why) => refused.push((field.key.to_string(), why)),
            }
        }
        let ok = refused.is_empty();
        for (key, why) in refused {
            form.set_error(&key, why);
        }
        Ok(ok.then_some(changes))
    }

    /// The owner the form's Owner field chose, to be sent: on an add, always; on an
    /// edit, only when it changed (a value left alone stamps no clock). It must be a live
    /// member of the team (one removed by a sync since the form opened is refused at the
    /// field, and nothing is saved). `None` when there is nothing to send.
    fn chosen_owner(&self, form: &mut Form, new: bool) -> Result<Option<String>, StoreError> {
        let Some(field) = form.fields.iter().find(|f| f.key == "owner") else {
            return Ok(None);
        };
        if !new && field.value == field.initial {
            return Ok(None);
        }
        let id = field.value.clone();
        let name = field.shown_choice(&id);
        if id.is_empty() || !usecase::customers::is_member(&self.store, &id)? {
            form.set_error("owner", t!("form-error-owner-gone", name = name));
            return Ok(None);
        }
        Ok(Some(id))
    }

    /// The name of the owner a save gives the record to, when that is not me (for the
    /// message that says so).
    fn given_to(&self, form: &Form, owner: Option<&str>) -> Option<String> {
        let owner = owner.filter(|o| *o != self.store.member_id())?;
        form.fields
            .iter()
            .find(|f| f.key == "owner")
            .map(|f| f.shown_choice(owner))
    }

    pub(super) fn submit_form(&mut self) -> Result<Option<Action>, StoreError> {
        let Some(Modal::Form(mut form)) = self.modal.take() else {
            return Ok(None);
        };
        form.clear_errors();
        let result = match form.purpose.clone() {
            Purpose::AddDeal(pipeline) => self.save_deal(&mut form, None, &pipeline),
            Purpose::EditDeal(id) => match crate::store::deals::row(self.store.conn(), &id) {
                Ok(row) => self.save_deal(&mut form, Some(id), &row.pipeline_id),
                Err(e) => Err(e),
            },
            Purpose::FollowUp(about) => self.save_activity(&mut form, about, true),
            Purpose::LogActivity(about) => self.save_activity(&mut form, about, false),
            Purpose::AddCustomer => self.save_customer(&mut form, None),
            Purpose::EditCustomer(id) => self.save_customer(&mut form, Some(id)),
            Purpose::AddContact(customer_id) => self.add_contact(&mut form, &customer_id),
            Purpose::EditContact(id) => self.edit_contact(&mut form, &id),
            Purpose::AddTag(customer_id) => self.add_tag(&mut form, customer_id),
            Purpose::Filter => {
                let text = optional(form.value("text"));
                let env = env!(self);
                self.customers.set_filter(&env, text).map(|_| None)
            }
            Purpose::ChurnReason(customer_id) => {
                let reason = form.value("reason").trim().to_string();
                if reason.is_empty() {
                    form.set_error("reason", t!("form-error-say-why-churn"));
                }
                Ok(Some(Action::ChurnCustomer {
                    customer_id,
                    reason,
                }))
            }
            Purpose::LostReason(deal_id) => {
                let reason = form.value("reason").trim().to_string();
                if reason.is_empty() {
                    form.set_error("reason", t!("form-error-lost-needs-reason"));
                }
                Ok(Some(Action::LoseDeal { deal_id, reason }))
            }
            Purpose::Outcome(id) => Ok(Some(Action::CompleteReminder {
                id,
                outcome: form.value("outcome").trim().to_string(),
            })),
            Purpose::SnoozeTime(id) => match self.parse_due(form.value("when")) {
                Ok(due_at) => Ok(Some(Action::Snooze { id, due_at })),
                Err(e) => {
                    form.set_error("when", e.to_string());
                    Ok(None)
                }
            },
            Purpose::AddPipeline
            | Purpose::RenamePipeline(_)
            | Purpose::AddStage { .. }
            | Purpose::EditStage(_)
            | Purpose::AddField(_) => self.save_setup(&mut form),
            Purpose::AddMember => self.save_member(&mut form),
            Purpose::AddReminder => self.add_reminder(&mut form),
            Purpose::EditReminder(id) => self.edit_reminder(&mut form, &id),
        };
        match result {
            Ok(next) if !form.has_errors() => Ok(next),
            Ok(_) => {
                self.modal = Some(Modal::Form(form));
                Ok(None)
            }
            Err(e) => {
                // Keep what was typed; show why it could not be saved. A record the form
                // edits may have been deleted since it opened (a teammate's sync, another
                // window): said as such, not as an unknown id.
                form.error = Some(match &e {
                    StoreError::NotFound { .. } => t!("form-error-gone", why = e.to_string()),
                    _ => e.to_string(),
                });
                self.modal = Some(Modal::Form(form));
                Ok(None)
            }
        }
    }

    /// Validates the deal form, putting each error at its field; saves only when every
    /// field is valid. An edit saves the changed fields as one use case: a new customer
    /// name adds the prospect and a new stage moves the deal, in the same save.
    fn save_deal(
        &mut self,
        form: &mut Form,
        id: Option<String>,
        pipeline: &str,
    ) -> Result<Option<Action>, StoreError> {
        let today = self.zone.today(self.now());
        let title = validate_title(form.value("title")).map_err(|e| e.to_string());
        let customer_text = form.value("customer").trim().to_string();
        let currency = form
            .value("currency")
            .parse::<Currency>()
            .map_err(|e| e.to_string());
        let amount = match (form.value("amount").trim(), &currency) {
            ("", Ok(c)) => Ok(Money::zero(c.clone())),
            // An amount that names its own currency must agree with the currency field,
            // as the CLI insists: "1,000,000 USD" with EUR is a question, not a USD deal.
            (text, Ok(c)) => Money::parse_in(text, c, self.settings.decimal())
                .map_err(|e| e.to_string())
                .and_then(|m| {
                    if m.currency == *c {
                        Ok(m)
                    } else {
                        Err(t!(
                            "form-error-currency-mismatch",
                            said = m.currency.to_string(),
                            currency = c.to_string()
                        ))
                    }
                }),
            (text, Err(_)) => Money::parse_in(
                text,
                &self.settings.default_currency,
                self.settings.decimal(),
            )
            .map_err(|e| e.to_string()),
        };
        let close = match form.value("close").trim() {
            "" => Ok(None),
            text => parse_date(text, today).map(Some).map_err(|e| e.to_string()),
        };
        // The stages of the deal's pipeline (a name may be another pipeline's too).
        let all = stages::list_in(self.store.conn(), pipeline)?;
        let stage = match Stage::find(&all, form.value("stage")) {
            Ok(s) => Ok(s.clone()),
            // "Renewals › Proposal": a stage of another pipeline, which the deal moves to.
            Err(e) => match form.value("stage").split_once(super::forms::STAGE_OF) {
                Some((p, s)) => {
                    let conn = self.store.conn();
                    match crate::store::pipelines::resolve(conn, p) {
                        Ok(p) => Stage::find(&stages::list_in(conn, &p.id)?, s).cloned(),
                        Err(e) => Err(e.to_string()),
                    }
                }
                None => Err(e),
            },
        };
        if let Err(e) = &title {
            form.set_error("title", e.clone());
        }
        if customer_text.is_empty() {
            form.set_error("customer", t!("form-error-choose-customer"));
        }
        for (key, err) in [
            ("amount", amount.as_ref().err()),
            ("currency", currency.as_ref().err()),
            ("close", close.as_ref().err()),
            ("stage", stage.as_ref().err()),
        ] {
            if let Some(e) = err {
                form.set_error(key, e.clone());
            }
        }
        let custom = self.custom_values(form, Entity::Deal, id.is_none())?;
        let owner = self.chosen_owner(form, id.is_none())?;
        let (Ok(title), Ok(amount), Ok(close), Ok(stage), Some(custom)) =
            (title, amount, close, stage, custom)
        else {
            return Ok(None);
        };
        if form.has_errors() {
            return Ok(None);
        }
        let customer = match customers::find_by_name(self.store.conn(), &customer_text) {
            Ok(Some(cid)) => CustomerRef::Id(cid),
            // Part of a customer's name typed and Enter pressed, the suggestion not taken:
            // a new prospect would be a near duplicate. Say so once; Enter again means it.
            Ok(None)
                if form.changed("customer").is_some()
                    && !form.suggestions("customer").is_empty()
                    && !form.warn_once(&customer_text) =>
            {
                let like = form.suggestions("customer");
                form.set_error(
                    "customer",
                    t!(
                        "form-error-no-such-customer",
                        name = customer_text.as_str(),
                        like = like.join(", ")
                    ),
                );
                return Ok(None);
            }
            Ok(None) => CustomerRef::Name(customer_text.clone()),
            Err(e) => {
                form.set_error("customer", e.to_string());
                return Ok(None);
            }
        };
        let new_prospect = t!("said-new-prospect", name = customer_text.as_str());
        let given = self.given_to(form, owner.as_deref());
        let source = form.value("source").trim().to_string();
        let notes = form.value("notes").trim().to_string();
        let Some(id) = id else {
            let added = usecase::deals::add_with(
                &mut self.store,
                &NewDeal {
                    title: title.clone(),
                    customer,
                    stage_id: stage.id.clone(),
                    amount,
                    expected_close: close,
                    source: Some(source),
                    notes: optional(&notes),
                    owner_id: owner,
                },
                &custom,
            )?;
            let mut new = if added.new_customer {
                new_prospect
            } else {
                String::new()
            };
            if let Some(name) = given {
                new.push_str(&t!("said-now-owned", name = name));
            }
            self.say(t!(
                "said-added-deal",
                title = title.as_str(),
                stage = stage.name.as_str(),
                new = new
            ));
            self.remember(added.undo);
            self.reload_all(Some(added.deal_id))?;
            return Ok(None);
        };
        let changed = |key: &str| form.changed(key).is_some();
        // A stage chosen for a closed deal goes to the use case too, which says to reopen
        // it first, rather than being dropped without a word.
        let moves = changed("stage") && deals::get(self.store.conn(), &id)?.stage_id != stage.id;
        let patch = usecase::deals::Patch {
            title: changed("title").then_some(title.clone()),
            customer: changed("customer").then_some(customer),
            amount: (changed("amount") || changed("currency")).then_some(amount),
            expected_close: changed("close").then_some(close),
            source: changed("source").then(|| optional(&source)),
            notes: changed("notes").then(|| optional(&notes)),
            stage_id: moves.then(|| stage.id.clone()),
            owner_id: owner,
            fields: custom,
        };
        if patch == usecase::deals::Patch::default() {
            self.say(t!("said-nothing-changed"));
            return Ok(None);
        }
        let edited = usecase::deals::edit(&mut self.store, &id, &patch)?;
        let mut new = if edited.new_customer {
            new_prospect
        } else {
            String::new()
        };
        if let Some(name) = given {
            new.push_str(&t!("said-now-owned", name = name));
        }
        self.remember(edited.undo);
        let elsewhere = if moves && stage.pipeline_id != pipeline {
            let name = crate::store::pipelines::get(self.store.conn(), &stage.pipeline_id)?.name;
            t!(
                "said-now-in-pipeline",
                name = name,
                key = self.keymap.key(
                    crate::tui::keymap::Context::Board,
                    crate::tui::action::Command::PickPipeline
                )
            )
        } else {
            String::new()
        };
        self.say(t!(
            "said-saved-deal",
            title = title.as_str(),
            new = format!("{new}{elsewhere}")
        ));
        self.reload_all(Some(id))?;
        Ok(None)
    }

    /// A follow-up's When field: a time it understands, and not in the past (the use
    /// case's rule, shown at the field).
    fn parse_due(&self, text: &str) -> Result<i64, String> {
        let due = self
            .zone
            .parse_when(text, self.now())
            .map_err(|e| e.to_string())?;
        usecase::activities::check_due(due, self.now()).map_err(|e| e.to_string())?;
        Ok(due)
    }

    fn save_activity(
        &mut self,
        form: &mut Form,
        about: Subject,
        scheduled: bool,
    ) -> Result<Option<Action>, StoreError> {
        let kind = form.value("kind").parse::<ActivityKind>();
        let subject = form.value("subject").trim().to_string();
        if subject.is_empty() {
            form.set_error("subject", t!("form-error-say-what-about"));
        }
        if let Err(e) = &kind {
            form.set_error("kind", e.clone());
        }
        let due = if scheduled {
            match self.parse_due(form.value("when")) {
                Ok(t) => Some(t),
                Err(e) => {
                    form.set_error("when", e.to_string());
                    None
                }
            }
        } else {
            None
        };
        // A logged activity happened now, or when the When field says (in the past).
        let now_word = t!("form-default-now");
        let done = match form.value("when").trim() {
            _ if scheduled => None,
            "" | "now" => None,
            text if text == now_word => None,
            text => match self.zone.parse_past(text, self.now()) {
                Ok(t) => Some(t),
                Err(e) => {
                    form.set_error("when", e.to_string());
                    None
                }
            },
        };
        let Ok(kind) = kind else { return Ok(None) };
        if form.has_errors() {
            return Ok(None);
        }
        let (_, undo) = usecase::activities::add(
            &mut self.store,
            &NewActivity {
                kind,
                subject: subject.clone(),
                body: optional(form.value("body")),
                about,
                contact_id: None,
                due_at: due,
                done_at: done,
                outcome: None,
            },
        )?;
        let text = match due {
            Some(t) => t!(
                "said-scheduled",
                subject = subject.as_str(),
                when = self.zone.date_time(t)
            ),
            None => t!("said-logged", subject = subject.as_str()),
        };
        let keep = self.selected_deal().map(|r| r.deal.id.clone());
        self.remember(undo);
        self.say(text);
        self.reload_all(keep)?;
        Ok(None)
    }

    fn save_customer(
        &mut self,
        form: &mut Form,
        id: Option<String>,
    ) -> Result<Option<Action>, StoreError> {
        let name = form.value("name").trim().to_string();
        if name.is_empty() {
            form.set_error("name", t!("form-error-customer-needs-name"));
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
        let custom = self.custom_values(form, Entity::Customer, id.is_none())?;
        let owner = self.chosen_owner(form, id.is_none())?;
        let (Ok(kind), Ok(tier), Ok(status), Some(custom)) = (kind, tier, status, custom) else {
            return Ok(None);
        };
        if form.has_errors() {
            return Ok(None);
        }
        let text = |k: &str| optional(form.value(k));
        let given = self.given_to(form, owner.as_deref());
        let Some(id) = id else {
            let new = usecase::customers::NewCustomer {
                kind,
                tier,
                status,
                industry: text("industry"),
                region: text("region"),
                website: text("website"),
                owner_id: owner,
                ..usecase::customers::NewCustomer::named(&name)
            };
            let (id, undo) = usecase::customers::add_with(&mut self.store, &new, &custom)?;
            let said = match given {
                Some(owner) => t!("said-added-given", name = name.as_str(), owner = owner),
                None => t!("said-added", name = name.as_str()),
            };
            self.done(undo, said, Some(id))?;
            return Ok(None);
        };
        // Every field of this form is one of the patch's, so an unchanged form is an
        // empty patch.
        if !form.is_changed() {
            self.say(t!("said-nothing-changed"));
            return Ok(None);
        }
        let changed = |key: &str| form.changed(key).is_some();
        let patch = usecase::customers::Patch {
            name: changed("name").then(|| name.clone()),
            kind: changed("kind").then_some(kind),
            tier: changed("tier").then_some(tier),
            status: changed("status").then_some(status),
            industry: changed("industry").then(|| text("industry")),
            region: changed("region").then(|| text("region")),
            website: changed("website").then(|| text("website")),
            owner_id: owner,
            fields: custom,
            ..Default::default()
        };
        let undo = usecase::customers::edit(&mut self.store, &id, &patch)?;
        let said = match given {
            Some(owner) => t!("said-saved-given", name = name.as_str(), owner = owner),
            None => t!("said-saved", name = name.as_str()),
        };
        self.done(undo, said, Some(id))?;
        Ok(None)
    }

    /// Puts the contact form's errors at their fields; whether it is valid.
    fn check_contact(form: &mut Form) -> bool {
        if form.value("name").trim().is_empty() {
            form.set_error("name", t!("form-error-contact-needs-name"));
        }
        let email = form.value("email").trim().to_string();
        if !email.is_empty()
            && let Err(msg) = crate::domain::customer::validate_email(&email)
        {
            form.set_error("email", msg);
        }
        let phone = form.value("phone").trim().to_string();
        if !phone.is_empty()
            && let Err(msg) = crate::domain::customer::validate_phone(&phone)
        {
            form.set_error("phone", msg);
        }
        !form.has_errors()
    }

    fn add_contact(
        &mut self,
        form: &mut Form,
        customer_id: &str,
    ) -> Result<Option<Action>, StoreError> {
        let custom = self.custom_values(form, Entity::Contact, true)?;
        let (true, Some(custom)) = (Self::check_contact(form), custom) else {
            return Ok(None);
        };
        let fields = ContactFields {
            name: form.value("name").trim().to_string(),
            title: Some(form.value("title").to_string()),
            phone: Some(form.value("phone").to_string()),
            email: Some(form.value("email").to_string()),
            is_primary: false,
            notes: None,
        };
        let (_, undo) =
            usecase::contacts::add_with(&mut self.store, customer_id, &fields, &custom)?;
        let keep = self.selected_customer().map(|s| s.customer.id.clone());
        self.done(
            undo,
            t!("said-added-contact", name = fields.name.as_str()),
            keep,
        )?;
        Ok(None)
    }

    fn edit_contact(&mut self, form: &mut Form, id: &str) -> Result<Option<Action>, StoreError> {
        let custom = self.custom_values(form, Entity::Contact, false)?;
        let (true, Some(custom)) = (Self::check_contact(form), custom) else {
            return Ok(None);
        };
        let name = form.value("name").trim().to_string();
        let patch = usecase::contacts::Patch {
            name: form.changed("name").map(|_| name.clone()),
            title: form.changed("title").map(optional),
            phone: form.changed("phone").map(optional),
            email: form.changed("email").map(optional),
            notes: None,
            fields: custom,
        };
        if patch == usecase::contacts::Patch::default() {
            self.say(t!("said-nothing-changed"));
            return Ok(None);
        }
        let undo = usecase::contacts::edit(&mut self.store, id, &patch)?;
        let keep = self.selected_customer().map(|s| s.customer.id.clone());
        self.done(undo, t!("said-saved-contact", name = name.as_str()), keep)?;
        Ok(None)
    }

    fn add_tag(
        &mut self,
        form: &mut Form,
        customer_id: String,
    ) -> Result<Option<Action>, StoreError> {
        // "vip, 重要" is two tags, as a person typing a comma means (and as the list
        // shows them); each is checked before any is saved.
        let tags: Vec<String> = form
            .value("tag")
            .split([',', '，', '、'])
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        if tags.is_empty() {
            form.set_error("tag", t!("form-error-type-a-tag"));
            return Ok(None);
        }
        for tag in &tags {
            if let Err(e) = crate::domain::customer::normalize_tag(tag) {
                form.set_error("tag", format!("'{tag}': {e}"));
                return Ok(None);
            }
        }
        let said = t!("said-tagged", tags = tags.join(", "));
        let patch = usecase::customers::Patch {
            add_tags: tags,
            ..Default::default()
        };
        let undo = usecase::customers::edit(&mut self.store, &customer_id, &patch)?;
        self.done(undo, said, Some(customer_id))?;
        Ok(None)
    }

    fn add_reminder(&mut self, form: &mut Form) -> Result<Option<Action>, StoreError> {
        let target = form.value("for").trim().to_string();
        let conn = self.store.conn();
        let (deal_suffix, customer_suffix) = (
            t!("reminder-for-deal", name = ""),
            t!("reminder-for-customer", name = ""),
        );
        let about = if let Some(title) = target.strip_suffix(deal_suffix.as_str()) {
            // A suggestion names the deal by its title and short id (`Renewal · 3f2a9c1e`):
            // taken only when the id is one and that deal has that title, so a title that
            // itself holds " · " is never read as another deal's name.
            let by_id = title.rsplit_once(" · ").and_then(|(named, short)| {
                let id = crate::domain::ids::looks_like_short_id(short)
                    .then(|| deals::resolve(conn, short).ok())??;
                let deal = deals::get(conn, &id).ok()?;
                (deal.title == named).then_some(id)
            });
            by_id
                .map(Ok)
                .unwrap_or_else(|| deals::resolve(conn, title))
                .map(Subject::Deal)
        } else if let Some(name) = target.strip_suffix(customer_suffix.as_str()) {
            customers::resolve(conn, name).map(Subject::Customer)
        } else {
            deals::resolve(conn, &target)
                .map(Subject::Deal)
                .or_else(|_| customers::resolve(conn, &target).map(Subject::Customer))
        };
        let kind = form.value("kind").parse::<ActivityKind>();
        let due = self.parse_due(form.value("when"));
        match &about {
            Err(e) => form.set_error(
                "for",
                t!("form-error-pick-from-list", error = e.to_string()),
            ),
            Ok(_) if target.is_empty() => form.set_error("for", t!("form-error-pick-for")),
            Ok(_) => {}
        }
        if form.value("subject").trim().is_empty() {
            form.set_error("subject", t!("form-error-say-what-about"));
        }
        if let Err(e) = &due {
            form.set_error("when", e.to_string());
        }
        let (Ok(about), Ok(kind), Ok(due)) = (about, kind, due) else {
            return Ok(None);
        };
        if form.has_errors() {
            return Ok(None);
        }
        let (_, undo) = usecase::activities::add(
            &mut self.store,
            &NewActivity {
                kind,
                subject: form.value("subject").trim().to_string(),
                body: None,
                about,
                contact_id: None,
                due_at: Some(due),
                done_at: None,
                outcome: None,
            },
        )?;
        let text = t!("said-reminder-set", when = self.zone.date_time(due));
        self.done(undo, text, None)?;
        Ok(None)
    }

    fn edit_reminder(&mut self, form: &mut Form, id: &str) -> Result<Option<Action>, StoreError> {
        let kind = form.value("kind").parse::<ActivityKind>();
        // An overdue reminder can have its subject edited; a new due time must be to come.
        let due = if form.changed("when").is_some() {
            self.parse_due(form.value("when"))
        } else {
            self.zone
                .parse_when(form.value("when"), self.now())
                .map_err(|e| e.to_string())
        };
        if let Err(e) = &due {
            form.set_error("when", e.to_string());
        }
        let subject = form.value("subject").trim().to_string();
        if subject.is_empty() {
            form.set_error("subject", t!("form-error-say-what-about-short"));
        }
        let (Ok(kind), Ok(due)) = (kind, due) else {
            return Ok(None);
        };
        if form.has_errors() {
            return Ok(None);
        }
        let patch = usecase::activities::Patch {
            kind: form.changed("kind").map(|_| kind),
            subject: form.changed("subject").map(|_| subject),
            due_at: form.changed("when").map(|_| Some(due)),
        };
        if patch == usecase::activities::Patch::default() {
            self.say(t!("said-nothing-changed"));
            return Ok(None);
        }
        let undo = usecase::activities::edit(&mut self.store, id, &patch)?;
        let text = t!("said-saved-due", when = self.zone.date_time(due));
        self.done(undo, text, None)?;
        Ok(None)
    }
}
