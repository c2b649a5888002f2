//! `salesdesk activity …`

use crate::t;
use anyhow::{Context, Result, anyhow};
use serde_json::Value;

use super::output::{Table, WIDTH, activity_json, local_time, print_json};
use super::{Ctx, Exit};
use crate::cli::{About, ActivityCmd};
use crate::domain::activity::ActivityKind;
use crate::domain::ids::short_id;
use crate::domain::time::parse_when;
use crate::store::activities::{self, Filter, NewActivity, Subject};
use crate::store::{customers, deals};
use crate::usecase;

fn subject(ctx: &Ctx, about: &About) -> Result<Subject> {
    match (&about.deal, &about.customer) {
        (Some(d), _) => Ok(Subject::Deal(deals::resolve(ctx.store.conn(), d)?)),
        (None, Some(c)) => Ok(Subject::Customer(customers::resolve(ctx.store.conn(), c)?)),
        (None, None) => Err(anyhow!(t!("cli-activity-about"))),
    }
}

fn kind(text: &str) -> Result<ActivityKind> {
    text.parse().map_err(|e: String| anyhow!("--kind: {e}"))
}

pub fn run(cmd: ActivityCmd, ctx: &mut Ctx) -> Result<Exit> {
    match cmd {
        ActivityCmd::Log {
            about,
            kind: k,
            subject: text,
            body,
            at,
        } => {
            let done_at = at
                .map(|a| crate::domain::time::parse_past(&a, ctx.now()).context("--at"))
                .transpose()?
                .map(|t| t.timestamp_millis());
            let new = NewActivity {
                kind: kind(&k)?,
                subject: text,
                body,
                about: subject(ctx, &about)?,
                contact_id: None,
                due_at: None,
                done_at,
                outcome: None,
            };
            let (id, _) = usecase::activities::add(&mut ctx.store, &new)?;
            print_one(ctx, &id, &t!("cli-verb-logged"))?;
        }
        ActivityCmd::Schedule {
            about,
            due,
            kind: k,
            subject: text,
        } => {
            let due_at = parse_when(&due, ctx.now()).context("--due")?;
            let new = NewActivity {
                kind: kind(&k)?,
                subject: text,
                body: None,
                about: subject(ctx, &about)?,
                contact_id: None,
                due_at: Some(due_at.timestamp_millis()),
                done_at: None,
                outcome: None,
            };
            let (id, _) = usecase::activities::add(&mut ctx.store, &new)?;
            print_one(ctx, &id, &t!("cli-verb-scheduled"))?;
        }
        ActivityCmd::Done { reference, outcome } => {
            let id = activities::resolve(ctx.store.conn(), &reference)?;
            usecase::activities::complete(&mut ctx.store, &id, outcome.as_deref())?;
            print_one(ctx, &id, &t!("cli-verb-done"))?;
        }
        ActivityCmd::Edit {
            reference,
            kind: k,
            subject: text,
            due,
        } => {
            let id = activities::resolve(ctx.store.conn(), &reference)?;
            let due_at = due
                .map(|d| parse_when(&d, ctx.now()).context("--due"))
                .transpose()?
                .map(|t| Some(t.timestamp_millis()));
            let patch = usecase::activities::Patch {
                kind: k.as_deref().map(kind).transpose()?,
                subject: text,
                due_at,
            };
            if patch == usecase::activities::Patch::default() {
                return Err(anyhow!(t!("cli-activity-nothing-to-change")));
            }
            usecase::activities::edit(&mut ctx.store, &id, &patch)?;
            print_one(ctx, &id, &t!("cli-verb-saved"))?;
        }
        ActivityCmd::Delete { reference } => {
            let id = activities::resolve(ctx.store.conn(), &reference)?;
            let row = activities::get(ctx.store.conn(), &id)?;
            usecase::activities::delete(&mut ctx.store, &id)?;
            if ctx.json {
                print_json(&serde_json::json!({ "deleted": id }))?;
            } else {
                outln!(
                    "{}",
                    t!(
                        "cli-activity-deleted",
                        id = short_id(&id),
                        subject = super::output::clean(&row.activity.subject)
                    )
                );
            }
        }
        ActivityCmd::List {
            deal,
            customer,
            open,
        } => {
            let filter = Filter {
                deal_id: deal
                    .map(|d| deals::resolve(ctx.store.conn(), &d))
                    .transpose()?,
                customer_id: customer
                    .map(|c| customers::resolve(ctx.store.conn(), &c))
                    .transpose()?,
                open_only: open,
                limit: Some(200),
            };
            let rows = activities::list(ctx.store.conn(), &filter)?;
            if ctx.json {
                print_json(&Value::Array(rows.iter().map(activity_json).collect()))?;
            } else if rows.is_empty() {
                outln!("{}", t!("cli-no-activities"));
            } else {
                let mut t = Table::new(&[
                    t!("column-id"),
                    t!("column-when"),
                    t!("column-kind"),
                    super::output::flex(t!("column-subject")),
                    super::output::flex(t!("column-about")),
                    t!("column-state"),
                ]);
                for r in &rows {
                    let a = &r.activity;
                    let state = match (a.done_at, a.due_at) {
                        (Some(_), _) => t!("state-done"),
                        (None, Some(due)) if due < ctx.now_millis() => t!("state-overdue"),
                        (None, Some(_)) => t!("state-due"),
                        _ => String::new(),
                    };
                    t.row(vec![
                        short_id(&a.id).to_string(),
                        local_time(a.happened_at()),
                        t!("log-kind", kind = a.kind.as_str()),
                        a.subject.clone(),
                        r.about(),
                        state,
                    ]);
                }
                out!("{}", t.render(WIDTH));
            }
        }
    }
    Ok(0)
}

fn print_one(ctx: &Ctx, id: &str, verb: &str) -> Result<()> {
    let row = activities::get(ctx.store.conn(), id)?;
    if ctx.json {
        return print_json(&activity_json(&row));
    }
    let a = &row.activity;
    let when = match (a.done_at, a.due_at) {
        (None, Some(due)) => t!("cli-activity-due", when = local_time(due)),
        _ => String::new(),
    };
    outln!(
        "{}",
        t!(
            "cli-activity-done",
            verb = verb,
            id = short_id(&a.id),
            kind = t!("log-kind", kind = a.kind.as_str()),
            subject = super::output::clean(&a.subject),
            about = super::output::clean(&row.about()),
            when = when
        )
    );
    Ok(())
}
