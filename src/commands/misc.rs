//! `salesdesk search`, `demo`, `backup` and `config`.

use crate::t;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use serde_json::json;

use super::output::{Table, WIDTH, print_json};
use super::{Ctx, Exit};
use crate::cli::ConfigCmd;
use crate::config::{self, Settings};
use crate::demo;
use crate::domain::ids::short_id;
use crate::store::search;

pub fn search(text: &str, ctx: &mut Ctx) -> Result<Exit> {
    let hits = search::search(ctx.store.conn(), text, 50)?;
    if ctx.json {
        print_json(&serde_json::to_value(&hits)?)?;
        return Ok(0);
    }
    if hits.is_empty() {
        outln!(
            "{}",
            t!("cli-nothing-matches", text = super::output::clean(text))
        );
        return Ok(0);
    }
    let mut t = Table::new(&[
        t!("column-kind"),
        t!("column-id"),
        super::output::flex(t!("column-title")),
        super::output::flex(t!("column-detail")),
    ]);
    let mut sorted = hits;
    sorted.sort_by_key(|h| h.kind);
    for h in sorted {
        t.row(vec![
            crate::i18n::noun(h.kind.singular()),
            short_id(&h.id).to_string(),
            h.title,
            h.detail,
        ]);
    }
    out!("{}", t.render(WIDTH));
    Ok(0)
}

pub fn demo(scale: Option<usize>, ctx: &mut Ctx) -> Result<Exit> {
    let started = Instant::now();
    let made = demo::generate(&mut ctx.store, scale)?;
    let secs = started.elapsed().as_secs_f64();
    let rate = made.rows() as f64 / secs.max(1e-9);
    if ctx.json {
        print_json(&json!({
            "customers": made.customers, "contacts": made.contacts, "tags": made.tags,
            "deals": made.deals, "stage_changes": made.stage_changes,
            "activities": made.activities, "rows": made.rows(), "seconds": secs,
            "rows_per_second": rate.round(),
        }))?;
    } else {
        outln!(
            "{}",
            t!(
                "cli-demo-made",
                path = ctx.db_path.display().to_string(),
                customers = made.customers,
                contacts = made.contacts,
                deals = made.deals,
                activities = made.activities,
                rows = made.rows(),
                rate = format!("{rate:.0}")
            )
        );
    }
    Ok(0)
}

pub fn backup(file: &Path, ctx: &mut Ctx) -> Result<Exit> {
    ctx.store
        .backup_to(file)
        .with_context(|| t!("cli-backing-up", file = file.display().to_string()))?;
    if ctx.json {
        print_json(&json!({"backup": file.display().to_string()}))?;
    } else {
        outln!(
            "{}",
            t!(
                "cli-backed-up",
                from = ctx.db_path.display().to_string(),
                to = file.display().to_string()
            )
        );
    }
    Ok(0)
}

pub fn config(cmd: &ConfigCmd, json_out: bool) -> Result<Exit> {
    let path = config::config_path()?;
    match cmd {
        ConfigCmd::Path => {
            if json_out {
                print_json(
                    &json!({"config": path.display().to_string(), "exists": path.exists()}),
                )?;
            } else {
                outln!("{}", path.display());
            }
        }
        ConfigCmd::Show => {
            let settings = Settings::load(&path)?;
            if json_out {
                print_json(&serde_json::to_value(&settings)?)?;
            } else {
                let origin = if path.exists() {
                    String::new()
                } else {
                    t!("cli-config-not-there")
                };
                outln!("# {}{origin}", path.display());
                out!("{}", settings.to_toml()?);
            }
        }
    }
    Ok(0)
}
