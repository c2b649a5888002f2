//! The actions that change data, carried out through `crate::usecase` (one call per user
//! action, so one transaction and one undo once the use cases are single transactions).
//! Each says what happened, remembers its undo and reloads what the change touched.

use super::action::{Action, Command, Tab};
use super::app::App;
use super::forms;
use super::keymap::Context;
use super::modals::Modal;
use super::modals::confirm::Confirm;
use crate::demo;
use crate::domain::deal::{Deal, DealStatus};
use crate::store::activities::Subject;
use crate::store::conflicts::Keep;
use crate::store::{StoreError, Undo, activities, customers, deals};
use crate::sync::review::Shown;
use crate::t;
use crate::usecase;

impl App {
    /// The undo key in force, for "… u undoes."
    fn undo_key(&self) -> String {
        self.keymap.key(Context::Global, Command::Undo)
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

    /// After a customer's card moved to the column keyed `to` on the customers board in
    /// front (its status or tier changed, nothing else): the board adjusts its headers
    /// instead of counting them again, as the pipeline does after a move, and the other
    /// views are read when next shown. Anywhere else, everything is reloaded.
    fn after_customer_move(
        &mut self,
        undo: Undo,
        message: String,
        customer_id: &str,
        to: &str,
    ) -> Result<Option<Action>, StoreError> {
        let on_board = self.view_context() == Context::Customers
            && !self.stale.contains(&Tab::Customers)
            && self.only_mine_since_read()?;
        if on_board {
            self.remember(undo);
            self.say(message);
            let env = env!(self);
            if self.customers.after_move(&env, customer_id, to)? {
                self.only_read(Tab::Customers);
            } else {
                self.reload_all(Some(customer_id.to_string()))?;
            }
        } else {
            self.done(undo, message, Some(customer_id.to_string()))?;
        }
        Ok(None)
    }

    /// After `deal` (as it was before) was won, lost or deleted. With the pipeline in
    /// front and the deal open on it, the board adjusts its header instead of counting
    /// every stage again (at 100k deals that count was most of a loss's 10 ms), the
    /// reminder counts are read again (a closed deal's reminders stop counting), and the
    /// other views are read when next shown. Anywhere else, everything is reloaded.
    fn after_deal_left(&mut self, deal: &Deal) -> Result<(), StoreError> {
        let on_board = self.tab == Tab::Pipeline
            && !self.stale.contains(&Tab::Pipeline)
            && deal.status == DealStatus::Open
            && self.only_mine_since_read()?;
        if on_board {
            let env = env!(self);
            if self.pipeline.after_leave(&env, deal)? {
                self.detail = match &self.detail {
                    Some(d) => d.reload(&env).ok(),
                    None => None,
                };
                if !self.reminders_pending {
                    self.refresh_reminders()?;
                }
                self.only_read(Tab::Pipeline);
                return Ok(());
            }
        }
        self.reload_all(None)
    }

    /// Whether no other connection (the background sync, another process) committed
    /// since the views were last read: only then may a change adjust what is shown
    /// instead of reading it again, which the tick would not do after it. (This
    /// connection's own commits leave `data_version` as it was.)
    fn only_mine_since_read(&self) -> Result<bool, StoreError> {
        Ok(self.store.data_version()? == self.data_version)
    }

    /// After a change that `tab` took in by adjusting what it shows (the others did not
    /// see it): the other views are read when next shown. The data version the views
    /// were read at stands, since this connection's commits leave it as it was.
    fn only_read(&mut self, tab: Tab) {
        self.stale = Tab::ALL.into_iter().filter(|t| *t != tab).collect();
    }

    /// The customer in front (profile, else the board's selection), to keep selected.
    fn customer_in_front(&self) -> Option<String> {
        self.selected_customer().map(|s| s.customer.id.clone())
    }

    pub(super) fn apply(&mut self, action: Action) -> Result<Option<Action>, StoreError> {
        match action {
            Action::MoveDeal { deal, target } => {
                let moved = usecase::deals::move_to_stage(&mut self.store, &deal.id, &target)?;
                self.say(t!(
                    "said-moved",
                    title = deal.title.as_str(),
                    stage = target.name.as_str()
                ));
                self.remember(moved.undo);
                // Only the two columns changed: the board adjusts its headers instead of
                // counting again, and the other views are read when next shown.
                if self.only_mine_since_read()? {
                    let env = env!(self);
                    self.pipeline.after_move(&env, &deal, &target)?;
                    self.only_read(Tab::Pipeline);
                } else {
                    self.reload_all(Some(deal.id.clone()))?;
                }
            }
            Action::ReopenDeal { deal_id, stage } => {
                self.modal = None;
                let row = deals::row(self.store.conn(), &deal_id)?;
                let moved = usecase::deals::reopen(&mut self.store, &deal_id, Some(&stage))?;
                self.say(t!(
                    "said-reopened",
                    title = row.deal.title.as_str(),
                    stage = stage.name.as_str(),
                    key = self.undo_key()
                ));
                self.remember(moved.undo);
                self.reload_all(Some(deal_id))?;
            }
            Action::WinDeal(id) => {
                let row = deals::row(self.store.conn(), &id)?;
                let moved = usecase::deals::win(&mut self.store, &id)?;
                let amount = row.deal.amount.to_string();
                self.say(if moved.customer_promoted {
                    t!(
                        "said-won-promoted",
                        title = row.deal.title.as_str(),
                        amount = amount,
                        customer = row.customer_name.as_str()
                    )
                } else {
                    t!("said-won", title = row.deal.title.as_str(), amount = amount)
                });
                self.remember(moved.undo);
                self.detail = None;
                self.after_deal_left(&row.deal)?;
                self.modal = Some(Modal::Confirm(Confirm::new(
                    t!("confirm-won-title"),
                    t!("confirm-after-sale", customer = row.customer_name.as_str()),
                    Action::OfferFollowUp {
                        about: Subject::Customer(row.deal.customer_id.clone()),
                        subject: t!("after-sale-subject", title = row.deal.title.as_str()),
                    },
                )));
            }
            Action::DeleteDeal(id) => {
                self.modal = None;
                let deal = deals::get(self.store.conn(), &id)?;
                let undo = usecase::deals::delete(&mut self.store, &id)?;
                self.say(t!(
                    "said-deleted",
                    what = deal.title.as_str(),
                    key = self.undo_key()
                ));
                self.remember(undo);
                self.detail = None;
                self.after_deal_left(&deal)?;
            }
            Action::LoseDeal { deal_id, reason } => {
                self.modal = None;
                let deal = deals::get(self.store.conn(), &deal_id)?;
                let moved = usecase::deals::lose(&mut self.store, &deal_id, &reason)?;
                self.say(t!(
                    "said-lost",
                    reason = reason.as_str(),
                    what = deal.title.as_str()
                ));
                self.remember(moved.undo);
                self.after_deal_left(&deal)?;
            }
            Action::SetCustomerStatus {
                customer_id,
                name,
                status,
            } => {
                let patch = usecase::customers::Patch {
                    status: Some(status),
                    ..Default::default()
                };
                let undo = usecase::customers::edit(&mut self.store, &customer_id, &patch)?;
                let text = t!(
                    "said-customer-status",
                    name = name.as_str(),
                    status = status.label()
                );
                if self.customers.grouping == customers::Grouping::Status {
                    return self.after_customer_move(undo, text, &customer_id, status.as_str());
                }
                self.done(undo, text, Some(customer_id))?;
            }
            Action::SetCustomerTier {
                customer_id,
                name,
                tier,
            } => {
                let patch = usecase::customers::Patch {
                    tier: Some(tier),
                    ..Default::default()
                };
                let undo = usecase::customers::edit(&mut self.store, &customer_id, &patch)?;
                let text = t!(
                    "said-customer-tier",
                    name = name.as_str(),
                    tier = tier.label()
                );
                if self.customers.grouping == customers::Grouping::Tier {
                    return self.after_customer_move(undo, text, &customer_id, tier.as_str());
                }
                self.done(undo, text, Some(customer_id))?;
            }
            Action::DeleteCustomer(id) => {
                self.modal = None;
                let undo = usecase::customers::delete(&mut self.store, &id)?;
                self.profile = None;
                let said = t!("said-customer-deleted", key = self.undo_key());
                self.done(undo, said, None)?;
            }
            Action::DeleteContact(id) => {
                self.modal = None;
                let undo = usecase::contacts::delete(&mut self.store, &id)?;
                let keep = self.customer_in_front();
                let said = t!("said-contact-removed", key = self.undo_key());
                self.done(undo, said, keep)?;
            }
            Action::MarkPrimary { contact_id, name } => {
                let undo = usecase::contacts::make_primary(&mut self.store, &contact_id)?;
                let keep = self.customer_in_front();
                self.done(undo, t!("said-primary-contact", name = name.as_str()), keep)?;
            }
            Action::ChurnCustomer {
                customer_id,
                reason,
            } => {
                self.modal = None;
                let name = customers::get(self.store.conn(), &customer_id)?.name;
                let undo = usecase::customers::churn(&mut self.store, &customer_id, &reason)?;
                self.done(
                    undo,
                    t!(
                        "said-churned",
                        name = name.as_str(),
                        reason = reason.as_str()
                    ),
                    Some(customer_id),
                )?;
            }
            Action::SetSatisfaction { customer_id, value } => {
                self.modal = None;
                let patch = usecase::customers::Patch {
                    satisfaction: Some(value),
                    ..Default::default()
                };
                let undo = usecase::customers::edit(&mut self.store, &customer_id, &patch)?;
                let text = value.map_or_else(
                    || t!("said-satisfaction-cleared"),
                    |v| t!("said-satisfaction-set", value = v),
                );
                self.done(undo, text, Some(customer_id))?;
            }
            Action::RemoveTag { customer_id, tag } => {
                self.modal = None;
                let patch = usecase::customers::Patch {
                    remove_tags: vec![tag.clone()],
                    ..Default::default()
                };
                let undo = usecase::customers::edit(&mut self.store, &customer_id, &patch)?;
                self.done(
                    undo,
                    t!("said-tag-removed", tag = tag.as_str()),
                    Some(customer_id),
                )?;
            }
            Action::CompleteReminder { id, outcome } => {
                self.modal = None;
                return self.complete_reminder(&id, &outcome);
            }
            Action::Snooze { id, due_at } => {
                self.modal = None;
                let undo = usecase::activities::reschedule(&mut self.store, &id, due_at)?;
                let text = t!("said-snoozed", when = self.zone.date_time(due_at));
                self.done(undo, text, None)?;
            }
            Action::DeleteReminder(id) => {
                self.modal = None;
                let undo = usecase::activities::delete(&mut self.store, &id)?;
                let said = t!("said-reminder-deleted", key = self.undo_key());
                self.done(undo, said, None)?;
            }
            Action::ResolveConflict { id, keep } => self.resolve_conflict(id, keep)?,
            Action::LoadDemo => {
                self.modal = None;
                let made = demo::generate(&mut self.store, None)?;
                self.say(t!(
                    "said-demo-loaded",
                    customers = made.customers,
                    deals = made.deals
                ));
                self.reload_all(None)?;
            }
            // Not changes of data: `update` handles these itself.
            Action::Command(_)
            | Action::Show(_)
            | Action::Say(_)
            | Action::Fail(_)
            | Action::Back
            | Action::OpenDeal(_)
            | Action::OpenCustomer(_)
            | Action::ToggleMine
            | Action::ShowPipeline(_)
            | Action::ReportPipeline(_)
            | Action::OpenSettings(_)
            | Action::SettingsAdd(_)
            | Action::SettingsAddPipeline
            | Action::SettingsEdit(_)
            | Action::SettingsMove { .. }
            | Action::SettingsDelete(_)
            | Action::SettingsUndo(_)
            | Action::DeleteStage { .. }
            | Action::DeletePipeline { .. }
            | Action::DeleteField(_)
            | Action::SetMemberRole { .. }
            | Action::RemoveMember(_)
            | Action::SubmitForm
            | Action::AskLostReason(_)
            | Action::OfferFollowUp { .. }
            | Action::AskSnoozeTime(_)
            | Action::SearchChanged
            | Action::OpenHit(..)
            | Action::CloseModal
            | Action::Resize(..)
            | Action::Tick => return Ok(Some(action)),
        }
        Ok(None)
    }

    /// Marks a reminder done, then offers the next step on the same deal or customer:
    /// the follow-up loop.
    fn complete_reminder(&mut self, id: &str, outcome: &str) -> Result<Option<Action>, StoreError> {
        let row = activities::get(self.store.conn(), id)?;
        let undo = usecase::activities::complete(&mut self.store, id, Some(outcome))?;
        self.done(
            undo,
            t!("said-done", subject = row.activity.subject.as_str()),
            None,
        )?;
        let about = match (&row.activity.deal_id, &row.activity.customer_id) {
            (Some(d), _) => Subject::Deal(d.clone()),
            (None, Some(c)) => Subject::Customer(c.clone()),
            (None, None) => return Ok(None),
        };
        let mut form = forms::follow_up_form(about.clone(), &row.activity.subject);
        let skip = self.keymap.key(Context::Form, Command::Cancel);
        form.title = t!(
            "form-title-next-step",
            about = row.about(),
            key = skip.as_str()
        );
        form.preset("kind", row.activity.kind.as_str());
        // Three days on, at a time a person would pick, not now's odd minute.
        let next = self.zone.next_follow_up(row.activity.due_at, self.now(), 3);
        form.preset("when", &self.zone.date_time(next));
        if let Subject::Deal(deal_id) = &about
            && activities::open_count_for_deal(self.store.conn(), deal_id)? == 0
        {
            form.title = t!(
                "form-title-no-next-step",
                about = row.about(),
                key = skip.as_str()
            );
        }
        self.modal = Some(Modal::Form(form));
        Ok(None)
    }

    /// Settles one conflict and shows the rest; restoring mine is a local edit like any
    /// other, so it syncs once edits settle.
    fn resolve_conflict(&mut self, id: i64, keep: Keep) -> Result<(), StoreError> {
        let (c, undo) = usecase::conflicts::resolve(&mut self.store, id, keep)?;
        let shown = Shown::of(self.store.conn(), &c, self.zone);
        match keep {
            Keep::Theirs => self.say(t!(
                "said-kept-theirs",
                who = shown.who.as_str(),
                field = shown.field.as_str(),
                record = shown.record.as_str(),
                key = self.undo_key()
            )),
            Keep::Mine => self.say(t!(
                "said-restored-mine",
                field = shown.field.as_str(),
                record = shown.record.as_str(),
                key = self.undo_key()
            )),
        }
        self.remember(undo);
        let rest = self.pending_conflicts()?;
        match &mut self.modal {
            Some(Modal::Conflicts(list)) if !rest.is_empty() => list.set_items(rest),
            _ => self.modal = None,
        }
        self.reload_all(None)
    }
}
