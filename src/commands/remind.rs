//! `salesdesk remind`: what needs doing today. Exits 0 when nothing is overdue, 1 while
//! anything is, and 2 or more on an error (see `main`), so that a shell prompt or a cron
//! job can tell "overdue" from "could not tell".

use crate::t;
use anyhow::Result;
use serde_json::json;

use unicode_width::UnicodeWidthStr;

use super::output::{WIDTH, activity_json, local_time, print_json, rfc3339, truncate};
use super::{Ctx, Exit};
use crate::domain::ids::{SHORT_LEN, short_id};
use crate::domain::time::{days_between, today_window};
use crate::store::{activities, customers, reminders};

/// Columns left for "Call subject — deal" beside the due time, the short id and the gaps,
/// so that a reminder stays on one line of an 80-column terminal.
const REMINDER_TEXT_WIDTH: usize = WIDTH - "  2026-11-25 14:30  ".len() - 2 - SHORT_LEN;

/// How many of each section `remind` lists unless asked for `--all`: a screenful that a
/// person reads at a glance, and few enough rows that the command stays fast enough for a
/// shell prompt on any size of book. The headings still count every one.
const SHOWN: usize = 10;

pub fn run(ctx: &mut Ctx, count: bool, format: Option<&str>, all: bool) -> Result<Exit> {
    let now = ctx.now_millis();
    let (_, today_end) = today_window(&ctx.now());
    let today_end = today_end.timestamp_millis();
    if count || format.is_some() {
        return counts(ctx, now, today_end, count, format);
    }
    // A script reading JSON gets every reminder; a person gets the first of each section.
    let limit = (!all && !ctx.json).then_some(SHOWN as i64);
    let conn = ctx.store.conn();
    let totals = reminders::summary(conn, now, today_end, None)?;
    let overdue = activities::open_reminders(conn, None, Some(now), None, limit)?;
    let today = activities::open_reminders(conn, Some(now), Some(today_end), None, limit)?;
    let revisits = customers::revisits_due(conn, &ctx.settings.cadence, now, None, None)?;
    if ctx.json {
        print_json(&json!({
            "overdue": overdue.iter().map(activity_json).collect::<Vec<_>>(),
            "today": today.iter().map(activity_json).collect::<Vec<_>>(),
            "revisits_due": revisits.iter().map(|c| json!({
                "id": c.id, "name": c.name, "tier": c.tier.as_str(),
                "last_contact": c.last_contact.map(rfc3339),
                "days_since_contact": c.last_contact.map(|t| days_between(t, now)),
            })).collect::<Vec<_>>(),
        }))?;
        return Ok(exit_status(totals.overdue));
    }
    if totals.overdue == 0 && totals.today == 0 && revisits.is_empty() {
        outln!("{}", t!("cli-remind-nothing-due"));
    }
    for (title, total, rows) in [
        (t!("agenda-overdue"), totals.overdue, &overdue),
        (t!("agenda-today"), totals.today, &today),
    ] {
        if total == 0 {
            continue;
        }
        outln!("{title} ({total})");
        for r in rows {
            let a = &r.activity;
            let what = t!(
                "cli-remind-what",
                kind = a.kind.label(),
                subject = a.subject.as_str(),
                about = r.about()
            );
            outln!(
                "  {}  {}  {}",
                a.due_at.map(local_time).unwrap_or_default(),
                truncate(&what, REMINDER_TEXT_WIDTH),
                short_id(&a.id)
            );
        }
        more(total, rows.len());
    }
    if !revisits.is_empty() {
        outln!("{} ({})", t!("agenda-revisits-due"), revisits.len());
        let shown = if all { revisits.len() } else { SHOWN };
        for c in revisits.iter().take(shown) {
            let last = c.last_contact.map_or_else(
                || t!("customers-never-contacted"),
                |at| t!("agenda-days-since-contact", days = days_between(at, now)),
            );
            let rest = t!("cli-remind-revisit", tier = c.tier.label(), last = last);
            let name = truncate(&c.name, WIDTH.saturating_sub(2 + rest.width()));
            outln!("  {name}{rest}");
        }
        more(revisits.len(), revisits.len().min(shown));
    }
    Ok(exit_status(totals.overdue))
}

/// The line under a section that lists only its first rows: how many more, and where
/// they all are.
fn more(total: usize, shown: usize) {
    if total > shown {
        outln!("{}", t!("cli-remind-more", count = total - shown));
    }
}

/// 1 while anything is overdue, so `remind` can colour a prompt or fail a cron job.
fn exit_status(overdue: usize) -> Exit {
    if overdue == 0 { 0 } else { 1 }
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
    Ok(exit_status(s.overdue))
}
