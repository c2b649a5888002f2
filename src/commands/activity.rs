//! `salesdesk activity …`

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
        (None, None) => Err(anyhow!(
            "say what it is about: --deal REF or --customer REF"
        )),
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
            print_one(ctx, &id, "Logged")?;
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
            print_one(ctx, &id, "Scheduled")?;
        }
        ActivityCmd::Done { reference, outcome } => {
            let id = activities::resolve(ctx.store.conn(), &reference)?;
            usecase::activities::complete(&mut ctx.store, &id, outcome.as_deref())?;
            print_one(ctx, &id, "Done")?;
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
                return Err(anyhow!(
                    "nothing to change: give --kind, --subject or --due"
                ));
            }
            usecase::activities::edit(&mut ctx.store, &id, &patch)?;
            print_one(ctx, &id, "Saved")?;
        }
        ActivityCmd::Delete { reference } => {
            let id = activities::resolve(ctx.store.conn(), &reference)?;
            let row = activities::get(ctx.store.conn(), &id)?;
            usecase::activities::delete(&mut ctx.store, &id)?;
            if ctx.json {
                print_json(&serde_json::json!({ "deleted": id }))?;
            } else {
                outln!(
                    "Deleted {} '{}'.",
                    short_id(&id),
                    super::output::clean(&row.activity.subject)
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
                outln!("No activities.");
            } else {
                let mut t = Table::new(&["ID", "WHEN", "KIND", "~SUBJECT", "~ABOUT", "STATE"]);
                for r in &rows {
                    let a = &r.activity;
                    let state = match (a.done_at, a.due_at) {
                        (Some(_), _) => "done",
                        (None, Some(due)) if due < ctx.now_millis() => "overdue",
                        (None, Some(_)) => "due",
                        _ => "",
                    };
                    t.row(vec![
                        short_id(&a.id).to_string(),
                        local_time(a.happened_at()),
                        a.kind.as_str().to_string(),
                        a.subject.clone(),
                        r.about(),
                        state.to_string(),
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
        (None, Some(due)) => format!(", due {}", local_time(due)),
        _ => String::new(),
    };
    outln!(
        "{verb}: {} {} '{}' — {}{when}.",
        short_id(&a.id),
        a.kind.as_str(),
        super::output::clean(&a.subject),
        super::output::clean(&row.about())
    );
    Ok(())
}
