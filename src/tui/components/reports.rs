//! The Reports view: the period shown (`[`/`]`) and its figures, read when the view is
//! shown. The drawing itself is `views::reports`, a pure function of a [`Report`].

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;

use super::{Command, Env, Handled, Look};
use crate::domain::metrics::{Period, Report};
use crate::store::{StoreError, reports};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reports {
    pub period: Period,
    /// The figures, once read.
    pub report: Option<Report>,
}

impl Reports {
    pub fn reload(&mut self, env: &Env) -> Result<(), StoreError> {
        self.report = Some(reports::report(
            env.conn,
            self.period,
            &env.settings.default_currency,
            &env.settings.cadence,
            env.now,
            env.zone,
        )?);
        Ok(())
    }

    /// "This month (November 2026)" for the header.
    pub fn period_label(&self, look: &Look) -> String {
        let label = self.period.label();
        let described = self.period.describe(look.now, look.zone);
        // "All time" describes itself; "All time (All time)" says it twice.
        if described == label {
            label.to_string()
        } else {
            format!("{label} ({described})")
        }
    }

    pub fn handle(&mut self, c: Command, env: &Env) -> Result<Handled, StoreError> {
        match c {
            Command::PrevPeriod | Command::NextPeriod => {
                self.period = if c == Command::NextPeriod {
                    self.period.next()
                } else {
                    self.period.prev()
                };
                self.reload(env)?;
                Ok(Handled::Consumed)
            }
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
        match &self.report {
            Some(report) => {
                crate::tui::views::reports::render(report, &self.period_label(look), frame, area)
            }
            None => frame.render_widget(Paragraph::new("Reading the figures…"), area),
        }
    }
}
