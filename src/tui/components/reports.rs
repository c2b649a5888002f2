//! The Reports view: the period shown (`[`/`]` a period back or on, `p` its length), the
//! pipeline (`P`: one, or all by default) and its figures, read when the view is shown. The drawing itself is `views::reports`, a
//! pure function of a [`Report`].

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;

use super::{Command, Env, Handled, Look, act};
use rusqlite::Connection;

use crate::domain::customer::Cadence;
use crate::domain::metrics::{Period, Report, Span};
use crate::domain::money::Currency;
use crate::domain::stage::Pipeline;
use crate::domain::time::{Millis, Zone};
use crate::store::{StoreError, pipelines, reports};
use crate::t;
use crate::tui::action::Action;
use crate::tui::modals::Modal;
use crate::tui::modals::picker::Picker;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reports {
    /// The period shown; `None` until the user picks one: this month, whatever month
    /// that is when the figures are read.
    pub span: Option<Span>,
    /// The pipeline whose deals are counted; `None`: all of them, each pipeline with its
    /// own funnel.
    pub pipeline: Option<Pipeline>,
    /// The figures, once read.
    pub report: Option<Report>,
    /// What `report` counts: its period and pipeline head the view, also while other
    /// figures are being read.
    shown: Option<ReportQuery>,
    /// Whether figures are read on a thread of their own ([`crate::tui::report_worker`])
    /// instead of at once: then `reload` only asks, and the app hands the question over.
    pub asynchronous: bool,
    /// Figures asked for and not yet handed to the worker.
    wanted: Option<ReportQuery>,
    /// Figures asked of the worker and not yet arrived.
    awaited: Option<ReportQuery>,
}

/// What a report counts: everything its figures depend on besides the book.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportQuery {
    pub span: Span,
    pub pipeline: Option<Pipeline>,
    pub currency: Currency,
    pub cadence: Cadence,
    pub now: Millis,
    pub zone: Zone,
}

impl ReportQuery {
    /// The figures, read from `conn`.
    pub fn run(&self, conn: &Connection) -> Result<Report, StoreError> {
        reports::report_in(
            conn,
            self.span,
            self.pipeline.as_ref(),
            &self.currency,
            &self.cadence,
            self.now,
            self.zone,
        )
    }
}

impl Reports {
    /// The question to hand to the report worker, if one waits.
    pub fn take_wanted(&mut self) -> Option<ReportQuery> {
        let wanted = self.wanted.take()?;
        self.awaited = Some(wanted.clone());
        Some(wanted)
    }

    /// Whether figures are being read.
    pub fn waiting(&self) -> bool {
        self.wanted.is_some() || self.awaited.is_some()
    }

    /// Figures from the worker: shown if they answer the latest question (an older
    /// answer is dropped; the newer one is on its way).
    pub fn arrived(&mut self, query: ReportQuery, report: Report) {
        if self.awaited.as_ref() == Some(&query) {
            self.awaited = None;
            self.report = Some(report);
            self.shown = Some(query);
        }
    }

    /// Nothing is awaited any more (the worker is gone).
    pub fn stop_waiting(&mut self) {
        self.wanted = None;
        self.awaited = None;
    }

    /// The worker could not read the figures for the latest question: no longer waited for.
    pub fn failed(&mut self, query: &ReportQuery) {
        if self.awaited.as_ref() == Some(query) {
            self.awaited = None;
        }
    }
    /// The period shown, as of `now`.
    pub fn span(&self, now: i64, zone: crate::domain::time::Zone) -> Span {
        self.span
            .unwrap_or_else(|| Span::current(Period::Month, now, zone))
    }

    pub fn reload(&mut self, env: &Env) -> Result<(), StoreError> {
        // The pipeline as it is now: renamed, or deleted (here or by a teammate), in which
        // case the report is for all pipelines again.
        if let Some(p) = &self.pipeline {
            self.pipeline = match pipelines::get(env.conn, &p.id) {
                Ok(p) => Some(p),
                Err(StoreError::NotFound { .. }) => None,
                Err(e) => return Err(e),
            };
        }
        let query = ReportQuery {
            span: self.span(env.now, env.zone),
            pipeline: self.pipeline.clone(),
            currency: env.settings.default_currency.clone(),
            cadence: env.settings.cadence,
            now: env.now,
            zone: env.zone,
        };
        if self.asynchronous {
            self.wanted = Some(query);
        } else {
            self.report = Some(query.run(env.conn)?);
            self.shown = Some(query);
        }
        Ok(())
    }

    /// "November 2026", "Q3 2026", "2026" or "All time" for the header.
    pub fn period_label(&self, look: &Look) -> String {
        self.span(look.now, look.zone).describe()
    }

    /// Reports on the pipeline `id` (`None`: all pipelines), read at once; returns the
    /// name of the pipeline shown, `None` for all.
    pub fn show_pipeline(
        &mut self,
        env: &Env,
        id: Option<&str>,
    ) -> Result<Option<String>, StoreError> {
        self.pipeline = id.map(|id| pipelines::get(env.conn, id)).transpose()?;
        self.reload(env)?;
        Ok(self.pipeline.as_ref().map(|p| p.name.clone()))
    }

    /// Shows `span` (read at once).
    fn show(&mut self, span: Span, env: &Env) -> Result<Handled, StoreError> {
        self.span = Some(span);
        self.reload(env)?;
        Ok(Handled::Consumed)
    }

    pub fn handle(&mut self, c: Command, env: &Env) -> Result<Handled, StoreError> {
        let span = self.span(env.now, env.zone);
        let today = env.zone.today(env.now);
        match c {
            Command::PrevPeriod | Command::NextPeriod if span.kind() == Period::All => {
                act(Action::Say(t!(
                    "reports-all-time-no-step",
                    key = env.key(crate::tui::keymap::Context::Reports, Command::CyclePeriod)
                )))
            }
            Command::PrevPeriod => self.show(span.prev(), env),
            Command::NextPeriod => match span.next(today) {
                Some(next) => self.show(next, env),
                None => act(Action::Say(t!(
                    "reports-latest-period",
                    period = span.describe()
                ))),
            },
            // Month → the quarter holding it → its year → all time → this month.
            Command::CyclePeriod if span.kind() == Period::All => {
                self.show(Span::containing(Period::Month, today), env)
            }
            Command::CyclePeriod => self.show(span.cycle_kind(), env),
            Command::PickPipeline => act(Action::show(Modal::Picker(Picker::report_pipeline(
                &pipelines::list(env.conn)?,
                self.pipeline.as_ref().map(|p| p.id.as_str()),
            )))),
            Command::Quit
            | Command::Help
            | Command::Search
            | Command::Undo
            | Command::NextTab
            | Command::PrevTab
            | Command::GoTab(_)
            | Command::Left
            | Command::Right
            | Command::Up
            | Command::Down
            | Command::First
            | Command::Last
            | Command::MovePrev
            | Command::MoveNext
            | Command::Open
            | Command::Back
            | Command::Add
            | Command::Edit
            | Command::Win
            | Command::Lose
            | Command::FollowUp
            | Command::LogActivity
            | Command::Delete
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
        // The figures shown head the view with what they count; while others are read,
        // the header says which.
        let shown = self.shown.as_ref();
        let period_label = shown.map_or_else(|| self.period_label(look), |q| q.span.describe());
        let pipeline = shown.map_or(self.pipeline.as_ref(), |q| q.pipeline.as_ref());
        let mut hint = keys_hint(look);
        if self.waiting() {
            hint = t!(
                "reports-reading-period",
                period = self.period_label(look),
                keys = hint
            );
        }
        match &self.report {
            Some(report) => crate::tui::views::reports::render(
                report,
                &crate::tui::views::reports::Header {
                    period_label: &period_label,
                    pipeline: pipeline.map(|p| p.name.as_str()),
                    keys_hint: &hint,
                },
                look.zone,
                look.now,
                frame,
                area,
            ),
            None => frame.render_widget(Paragraph::new(t!("reports-reading")), area),
        }
    }
}

/// The header's reminder of the period and pipeline keys, from the keymap in force
/// ("[ ] period · p length · P pipeline" by default): a rebound key is shown as bound.
fn keys_hint(look: &Look) -> String {
    let key = |command| {
        look.keymap
            .key_for(crate::tui::keymap::Context::Reports, command)
    };
    let mut parts = Vec::new();
    match (key(Command::PrevPeriod), key(Command::NextPeriod)) {
        (Some(earlier), Some(later)) => parts.push(t!(
            "reports-key-period",
            keys = format!("{earlier} {later}")
        )),
        (Some(k), None) | (None, Some(k)) => parts.push(t!("reports-key-period", keys = k)),
        (None, None) => {}
    }
    if let Some(k) = key(Command::CyclePeriod) {
        parts.push(t!("reports-key-length", key = k));
    }
    if let Some(k) = key(Command::PickPipeline) {
        parts.push(t!("reports-key-pipeline", key = k));
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;
    use crate::tui::keymap::Keymap;

    fn hint_with(config: &str) -> String {
        let settings = Settings::parse(config).unwrap();
        let keymap = Keymap::from_config(&settings.keys).unwrap();
        keys_hint(&Look {
            settings: &settings,
            keymap: &keymap,
            zone: crate::domain::time::Zone::Named(chrono_tz::UTC),
            now: 0,
            me: "",
        })
    }

    #[test]
    fn the_header_names_the_keys_in_force() {
        assert_eq!(hint_with(""), "[ ] period · p length · P pipeline");
        // It was a fixed text that went on saying "[ ]" after a rebinding.
        let rebound = "[keys]\nreports.previous_period = \"b\"\nreports.pick_pipeline = \"v\"\n";
        assert_eq!(hint_with(rebound), "b ] period · p length · v pipeline");
    }
}
