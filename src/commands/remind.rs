//! `salesdesk remind`: what needs doing today. Exits 0 when nothing is overdue, 1 while
//! anything is, and 2 or more on an error (see `main`), so that a shell prompt or a cron
//! job can tell "overdue" from "could not tell".

use anyhow::Result;
use serde_json::json;

use unicode_width::UnicodeWidthStr;

use super::output::{WIDTH, activity_json, local_time, print_json, rfc3339, truncate};
use super::{Ctx, Exit};
use crate::domain::activity::{Urgency, urgency};
use crate::domain::ids::{SHORT_LEN, short_id};
use crate::domain::time::{days_between, today_window};
use crate::store::{activities, customers, reminders};

/// Columns left for "Call subject — deal" beside the due time, the short id and the gaps,
/// so that a reminder stays on one line of an 80-column terminal.
const REMINDER_TEXT_WIDTH: usize = WIDTH - "  2026-11-25 14:30  ".len() - 2 - SHORT_LEN;

pub fn run(ctx: &mut Ctx, count: bool, format: Option<&str>) -> Result<Exit> {
    let now = ctx.now_millis();
    let (_, today_end) = today_window(&ctx.now());
    let today_end = today_end.timestamp_millis();
    if count || format.is_some() {
        return counts(ctx, now, today_end, count, format);
    }
    let due = activities::open_reminders(ctx.store.conn(), None, Some(today_end), None, None)?;
    let (overdue, today): (Vec<_>, Vec<_>) = due.iter().partition(|r| {
        urgency(r.activity.due_at.unwrap_or(now), now, today_end) == Urgency::Overdue
    });
    let revisits =
        customers::revisits_due(ctx.store.conn(), &ctx.settings.cadence, now, None, None)?;
    if ctx.json {
        print_json(&json!({
            "overdue": overdue.iter().map(|r| activity_json(r)).collect::<Vec<_>>(),
            "today": today.iter().map(|r| activity_json(r)).collect::<Vec<_>>(),
            "revisits_due": revisits.iter().map(|c| json!({
                "id": c.id, "name": c.name, "tier": c.tier.as_str(),
                "last_contact": c.last_contact.map(rfc3339),
                "days_since_contact": c.last_contact.map(|t| days_between(t, now)),
            })).collect::<Vec<_>>(),
        }))?;
    } else {
        if overdue.is_empty() && today.is_empty() && revisits.is_empty() {
            outln!("Nothing due. No reminders are overdue or due today.");
        }
        for (title, rows) in [("Overdue", &overdue), ("Today", &today)] {
            if rows.is_empty() {
                continue;
            }
            outln!("{title} ({})", rows.len());
            for r in rows {
                let a = &r.activity;
                let what = format!("{} {} — {}", a.kind.label(), a.subject, r.about());
                outln!(
                    "  {}  {}  {}",
                    a.due_at.map(local_time).unwrap_or_default(),
                    truncate(&what, REMINDER_TEXT_WIDTH),
                    short_id(&a.id)
                );
            }
        }
        if !revisits.is_empty() {
            outln!("Revisits due ({})", revisits.len());
            for c in &revisits {
                let last = c.last_contact.map_or("never contacted".into(), |t| {
                    format!("{} days since contact", days_between(t, now))
                });
                let rest = format!(" ({} tier) — {last}", c.tier.label());
                let name = truncate(&c.name, WIDTH.saturating_sub(2 + rest.width()));
                outln!("  {name}{rest}");
            }
        }
    }
    Ok(if overdue.is_empty() { 0 } else { 1 })
}

/// `remind --count` and `remind --format`: two counts from SQL, nothing listed, so that a
/// shell prompt or a status line can run it every time at any size of book. The exit status
/// is the same as the listing's.
fn counts(ctx: &Ctx, now: i64, today_end: i64, count: bool, format: Option<&str>) -> Result<Exit> {
    let s = reminders::summary(ctx.store.conn(), now, today_end, None)?;
    if ctx.json {
        print_json(&json!({"overdue": s.overdue, "today": s.today}))?;
    } else if count {
        outln!("{}", s.overdue + s.today);
    } else if let Some(template) = format {
        outln!(
            "{}",
            template
                .replace("{overdue}", &s.overdue.to_string())
                .replace("{today}", &s.today.to_string())
        );
    }
    Ok(if s.overdue == 0 { 0 } else { 1 })
}
