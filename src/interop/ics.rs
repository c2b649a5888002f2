//! Follow-ups in any calendar: every open reminder as an iCalendar (RFC 5545) event,
//! with an alarm, a UID that stays the same across exports (so a calendar subscribed to
//! the file updates an event instead of adding another), and the deal or customer in its
//! summary.
//!
//! Events rather than to-dos: the calendars on phones (iOS, Google) show a subscribed
//! file's events and ignore its VTODOs, and a follow-up is something to do at a time.

use std::path::Path;

use chrono::{Duration, TimeZone, Utc};
use icalendar::{Alarm, Calendar, Component, Event, EventLike};
use rusqlite::Connection;

use crate::domain::time::Millis;
use crate::store::StoreError;
use crate::store::activities::{self, ActivityRow};

/// How long a follow-up's event lasts on the calendar.
const EVENT_MINUTES: i64 = 30;
/// When the alarm rings before the follow-up is due.
const ALARM_MINUTES: i64 = 10;

/// The calendar of every open reminder.
pub fn calendar(conn: &Connection) -> Result<String, StoreError> {
    let reminders = activities::list(
        conn,
        &activities::Filter {
            open_only: true,
            ..activities::Filter::default()
        },
    )?;
    Ok(render(&reminders))
}

/// The calendar text for `reminders`.
pub fn render(reminders: &[ActivityRow]) -> String {
    let mut cal = Calendar::new();
    cal.name(&crate::t!("ics-calendar-name"));
    for row in reminders {
        let a = &row.activity;
        let Some(due) = a.due_at.and_then(utc) else {
            continue;
        };
        let about = row.about();
        let summary = if about.is_empty() {
            a.subject.clone()
        } else {
            format!("{} — {about}", a.subject)
        };
        let mut description = String::new();
        if let (Some(deal), Some(customer)) = (&row.deal_title, &row.customer_name) {
            description.push_str(&crate::t!("ics-deal", deal = deal.as_str()));
            description.push('\n');
            description.push_str(&crate::t!("ics-customer", customer = customer.as_str()));
            description.push('\n');
        } else if let Some(customer) = &row.customer_name {
            description.push_str(&crate::t!("ics-customer", customer = customer.as_str()));
            description.push('\n');
        }
        if let Some(contact) = &row.contact_name {
            description.push_str(&crate::t!("ics-contact", contact = contact.as_str()));
            description.push('\n');
        }
        if let Some(body) = &a.body {
            description.push_str(body);
        }
        // Every property fixed by the reminder (no random alarm UID, no "now" stamp), so
        // exporting an unchanged book writes the same file.
        let stamp = utc(a.created_at).unwrap_or(due);
        let mut alarm = Alarm::display(&summary, -Duration::minutes(ALARM_MINUTES));
        alarm
            .uid(&format!("{}-alarm@salesdesk", a.id))
            .timestamp(stamp);
        let mut event = Event::new();
        event
            .uid(&format!("{}@salesdesk", a.id))
            .timestamp(stamp)
            .summary(&summary)
            .starts(due)
            .ends(due + Duration::minutes(EVENT_MINUTES))
            .alarm(alarm.done());
        if !description.is_empty() {
            event.description(description.trim_end());
        }
        cal.push(event.done());
    }
    cal.done().to_string()
}

fn utc(ms: Millis) -> Option<chrono::DateTime<Utc>> {
    Utc.timestamp_millis_opt(ms).single()
}

/// Writes the calendar of open reminders to `path`, replacing it in one step (a calendar
/// app reading it meanwhile sees the old file or the new one, never half of one).
pub fn refresh(conn: &Connection, path: &Path) -> Result<(), String> {
    let text = calendar(conn).map_err(|e| e.to_string())?;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| {
        crate::t!(
            "ics-cannot-write-in",
            dir = dir.display().to_string(),
            error = e.to_string()
        )
    })?;
    std::io::Write::write_all(&mut tmp, text.as_bytes())
        .map_err(|e| crate::t!("ics-cannot-write", error = e.to_string()))?;
    // A temporary file is private (0600); the calendar keeps the permissions it had, or
    // gets the usual ones, so a calendar app reading it from a shared folder still can.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode());
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(mode))
            .map_err(|e| crate::t!("ics-cannot-write", error = e.to_string()))?;
    }
    tmp.persist(path).map_err(|e| {
        crate::t!(
            "ics-cannot-replace",
            path = path.display().to_string(),
            error = e.to_string()
        )
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::activity::{Activity, ActivityKind};

    fn reminder(id: &str, subject: &str, due: Millis) -> ActivityRow {
        ActivityRow {
            activity: Activity {
                id: id.into(),
                kind: ActivityKind::Call,
                subject: subject.into(),
                body: Some("Ask about the budget; bring the quote".into()),
                deal_id: Some("d1".into()),
                customer_id: Some("c1".into()),
                contact_id: None,
                due_at: Some(due),
                done_at: None,
                outcome: None,
                owner_id: None,
                created_at: 1_764_000_000_000,
            },
            deal_title: Some("ACME renewal".into()),
            customer_name: Some("ACME, 华为".into()),
            contact_name: Some("Li Wei".into()),
        }
    }

    #[test]
    fn reminders_become_events_that_parsers_read_back() {
        let due = 1_764_590_400_000; // 2025-12-01 12:00 UTC
        let text = render(&[
            reminder("a1", "Call Li Wei", due),
            reminder("a2", "Send quote", due + 3_600_000),
        ]);
        assert_eq!(
            render(&[reminder("a1", "Call Li Wei", due)])
                .matches("UID:a1@salesdesk")
                .count(),
            1
        );

        // The crate that wrote it reads it back.
        let parsed: Calendar = text.parse().unwrap();
        let events: Vec<&Event> = parsed
            .components
            .iter()
            .filter_map(|c| c.as_event())
            .collect();
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].get_summary(), Some("Call Li Wei — ACME renewal"));
        assert_eq!(events[0].get_uid(), Some("a1@salesdesk"));

        // And so does a second, independent parser.
        let reader = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
        let cals: Vec<_> = reader.collect::<Result<_, _>>().unwrap();
        let events = &cals[0].events;
        assert_eq!(events.len(), 2);
        let prop = |e: &ical::parser::ical::component::IcalEvent, name: &str| {
            e.properties
                .iter()
                .find(|p| p.name == name)
                .and_then(|p| p.value.clone())
        };
        assert_eq!(
            prop(&events[1], "DTSTART").as_deref(),
            Some("20251201T130000Z")
        );
        assert_eq!(prop(&events[1], "UID").as_deref(), Some("a2@salesdesk"));
        assert_eq!(events[0].alarms.len(), 1);
        assert!(
            prop(&events[0], "DESCRIPTION")
                .unwrap()
                .contains("Customer: ACME\\, 华为")
        );
    }
}
