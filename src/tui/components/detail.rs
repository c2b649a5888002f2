//! Deal detail, on top of the pipeline board: every field, its customer (`c` jumps to
//! it), the progress log (newest first) and the stage history with the time spent in
//! each stage.

use super::field;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::pipeline::{DealKey, on_deal, reopen};
use super::{Action, Command, Env, Handled, Look, act};
use crate::domain::deal::DealStatus;
use crate::domain::money::Money;
use crate::store::StoreError;
use crate::store::activities::{self, ActivityRow};
use crate::store::deals::{self, DealRow, HistoryRow};
use crate::text::clean;
use crate::tui::theme;

/// An open deal detail.
#[derive(Debug, Clone, PartialEq)]
pub struct DealDetail {
    pub row: DealRow,
    pub history: Vec<HistoryRow>,
    pub activities: Vec<ActivityRow>,
    /// The deal's custom field values that are set: name and value as shown.
    pub custom: Vec<(String, String)>,
    pub scroll: u16,
}

impl DealDetail {
    /// Reads a deal's detail; a deleted deal is not found.
    pub fn load(env: &Env, id: &str) -> Result<DealDetail, StoreError> {
        let conn = env.conn;
        let row = deals::row(conn, id)?;
        if deals::get(conn, id).is_err() {
            return Err(StoreError::NotFound {
                what: "deal".into(),
                reference: id.into(),
            });
        }
        Ok(DealDetail {
            history: deals::history(conn, id)?,
            activities: activities::for_deal(conn, id)?,
            custom: super::custom_values(conn, crate::domain::field::Entity::Deal, id)?,
            row,
            scroll: 0,
        })
    }

    /// The same deal read again, scrolled where it was.
    pub fn reload(&self, env: &Env) -> Result<DealDetail, StoreError> {
        let mut fresh = DealDetail::load(env, &self.row.deal.id)?;
        fresh.scroll = self.scroll;
        Ok(fresh)
    }

    pub fn handle(&mut self, c: Command, env: &Env) -> Result<Handled, StoreError> {
        match c {
            Command::Back => act(Action::Back),
            Command::ScrollUp => {
                self.scroll = self.scroll.saturating_sub(1);
                Ok(Handled::Consumed)
            }
            Command::ScrollDown => {
                self.scroll = self.scroll.saturating_add(1);
                Ok(Handled::Consumed)
            }
            Command::JumpToCustomer => act(Action::OpenCustomer(self.row.deal.customer_id.clone())),
            Command::Edit => on_deal(DealKey::Edit, &self.row, env),
            Command::Win => on_deal(DealKey::Win, &self.row, env),
            Command::Lose => on_deal(DealKey::Lose, &self.row, env),
            Command::FollowUp => on_deal(DealKey::FollowUp, &self.row, env),
            Command::LogActivity => on_deal(DealKey::LogActivity, &self.row, env),
            Command::Delete => on_deal(DealKey::Delete, &self.row, env),
            Command::Reopen => reopen(
                &self.row,
                &crate::store::stages::list_in(env.conn, &self.row.pipeline_id)?,
            ),
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
            | Command::Add
            | Command::ToggleMine
            | Command::Regroup
            | Command::Filter
            | Command::Satisfaction
            | Command::AddTag
            | Command::RemoveTag
            | Command::MarkPrimary
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

/// Days spent after each history entry: until the next entry, or until `end` for the last.
pub fn days_in_each(history: &[HistoryRow], end: i64) -> Vec<f64> {
    history
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let until = history.get(i + 1).map_or(end, |next| next.at);
            (until - h.at).max(0) as f64 / 86_400_000.0
        })
        .collect()
}

fn render(detail: &DealDetail, look: &Look, frame: &mut Frame, area: Rect) {
    let now = look.now;
    let row = &detail.row;
    let d = &row.deal;
    let zone = look.zone;
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(area);

    let status = match d.status {
        DealStatus::Open => format!("Open — {}", row.stage_name),
        DealStatus::Won => format!(
            "Won ({})",
            d.closed_at.map(|t| zone.date_time(t)).unwrap_or_default()
        ),
        DealStatus::Lost => format!(
            "Lost ({})",
            d.closed_at.map(|t| zone.date_time(t)).unwrap_or_default()
        ),
    };
    let mut lines = vec![
        Line::from(Span::styled(clean(&d.title), theme::title())),
        Line::from(""),
        field("Customer", row.customer_name.clone()),
        field("Status", status),
        // A closed deal is no longer in its stage: its stage's probability means nothing,
        // and the forecast counts a won deal in full and a lost one not at all.
        field(
            "Stage",
            match d.status {
                DealStatus::Open => format!("{} ({} %)", row.stage_name, row.probability),
                DealStatus::Won => format!("won (closed from {})", row.stage_name),
                DealStatus::Lost => format!("lost (closed from {})", row.stage_name),
            },
        ),
        field("Amount", d.amount.to_string()),
        field(
            "Weighted",
            format!(
                "{}{}",
                Money::new(d.weighted_minor(row.probability), d.amount.currency.clone()),
                match d.status {
                    DealStatus::Open => "",
                    DealStatus::Won => " (won: counts in full)",
                    DealStatus::Lost => " (lost: counts nothing)",
                }
            ),
        ),
        field(
            "Close",
            d.expected_close.map_or("—".into(), |c| c.to_string()),
        ),
        field(
            "Next step",
            row.next_follow_up
                .map_or("none scheduled".into(), |t| zone.date_time(t)),
        ),
        field("Source", d.source.clone().unwrap_or_else(|| "—".into())),
        field(
            "Owner",
            row.owner_name.clone().unwrap_or_else(|| "—".into()),
        ),
        field("Created", zone.date_time(d.created_at)),
        field("Updated", zone.date_time(d.updated_at)),
    ];
    if let Some(r) = &d.lost_reason {
        lines.push(field("Lost reason", r.clone()));
    }
    for (name, value) in &detail.custom {
        lines.push(field(name, value.clone()));
    }
    if row.is_rotting(now) {
        lines.push(Line::from(Span::styled(
            format!(
                "{:>13}  no activity for over {} days",
                "⚑ Rotting", row.rot_days
            ),
            theme::rotting(),
        )));
    }
    if let Some(n) = &d.notes {
        lines.push(field("Notes", n.clone()));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled("Stage history", theme::title())));
    let end = d.closed_at.unwrap_or(now);
    // At 80 columns a full date and time leaves no room for "Lead → Qualified  7.0 d" on
    // one line; the day alone does.
    let compact = left.width < 48;
    for (h, days) in detail
        .history
        .iter()
        .zip(days_in_each(&detail.history, end))
    {
        let what = h.describe();
        let spent = if h.to_status == "open" {
            format!("  {days:.1} d")
        } else {
            String::new()
        };
        lines.push(Line::from(vec![
            Span::styled(
                if compact {
                    format!("  {}  ", zone.local(h.at).format("%b %d"))
                } else {
                    format!("  {}  ", zone.date_time(h.at))
                },
                theme::dim(),
            ),
            Span::raw(clean(&what)),
            Span::styled(spent, theme::amount()),
        ]));
    }
    let info = Paragraph::new(lines).wrap(Wrap { trim: false }).block(
        Block::default()
            .borders(Borders::RIGHT)
            .border_style(theme::dim()),
    );
    frame.render_widget(info, left);

    // The log's width inside its margins.
    let log_w = right.width.saturating_sub(2) as usize;
    let mut log = vec![Line::from(Span::styled(
        "Progress log (newest first)",
        theme::title(),
    ))];
    if detail.activities.is_empty() {
        log.push(Line::from(Span::styled(
            "  nothing yet — n logs an activity, f schedules a follow-up",
            theme::hint(),
        )));
    }
    for a in &detail.activities {
        let a = &a.activity;
        let (when, style) = match (a.done_at, a.due_at) {
            (Some(t), _) => (zone.date_time(t), theme::dim()),
            (None, Some(t)) if t < now => {
                (format!("{} overdue", zone.date_time(t)), theme::overdue())
            }
            (None, Some(t)) => (format!("{} due", zone.date_time(t)), theme::today()),
            _ => (zone.date_time(a.created_at), theme::dim()),
        };
        log.push(Line::from(vec![
            Span::styled(format!(" {when}  "), style),
            Span::styled(format!("{:<9}", a.kind.as_str()), theme::label()),
            Span::raw(clean(&a.subject)),
        ]));
        // A body keeps its lines (an email pasted into the notes reads as one), each
        // wrapped under the entry rather than back at the margin.
        for extra in [&a.body, &a.outcome].into_iter().flatten() {
            for line in extra.lines().filter(|l| !l.trim().is_empty()) {
                for part in crate::text::wrap(line.trim_end(), log_w.saturating_sub(6)) {
                    log.push(Line::from(Span::styled(
                        format!("      {part}"),
                        theme::dim(),
                    )));
                }
            }
        }
    }
    frame.render_widget(
        Paragraph::new(log)
            .wrap(Wrap { trim: false })
            .scroll((detail.scroll, 0)),
        right.inner(ratatui::layout::Margin {
            horizontal: 1,
            vertical: 0,
        }),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(at: i64) -> HistoryRow {
        HistoryRow {
            from_stage: None,
            to_stage: "Lead".into(),
            from_status: None,
            to_status: "open".into(),
            at,
            by: None,
        }
    }

    #[test]
    fn time_in_each_stage_runs_to_the_next_change_or_the_end() {
        let day = 86_400_000;
        let days = days_in_each(&[h(0), h(2 * day), h(5 * day)], 6 * day);
        assert_eq!(days, vec![2.0, 3.0, 1.0]);
    }
}
