//! `salesdesk pipeline …` and `salesdesk stage …`: shaping the book's sales process.

use crate::t;
use anyhow::{Result, anyhow};
use serde_json::{Value, json};

use super::output::{Table, WIDTH, clean, print_json, print_json_array};
use super::{Ctx, Exit};
use crate::cli::{ListCmd, PipelineCmd, StageCmd};
use crate::domain::book_list::BookList;
use crate::domain::stage::{Pipeline, Stage};
use crate::store::{pipelines, stages};
use crate::usecase;

fn stage_json(stage: &Stage, pipeline: &Pipeline, index: usize, open: usize) -> Value {
    json!({
        "id": stage.id,
        "name": stage.name,
        "pipeline": pipeline.name,
        "pipeline_id": pipeline.id,
        "position": index + 1,
        "probability": stage.probability,
        "rot_days": stage.rot_days,
        "open_deals": open,
    })
}

/// Every pipeline with its stages, as JSON, in order.
fn pipeline_json(ctx: &Ctx, pipeline: &Pipeline) -> Result<Value> {
    let conn = ctx.store.conn();
    let counts = stages::open_counts(conn)?;
    let own = stages::list_in(conn, &pipeline.id)?;
    let open: usize = own
        .iter()
        .map(|s| counts.get(&s.id).copied().unwrap_or(0))
        .sum();
    Ok(json!({
        "id": pipeline.id,
        "name": pipeline.name,
        "position": pipeline.position,
        "open_deals": open,
        "stages": own
            .iter()
            .enumerate()
            .map(|(i, s)| stage_json(s, pipeline, i, counts.get(&s.id).copied().unwrap_or(0)))
            .collect::<Vec<_>>(),
    }))
}

pub fn run(cmd: PipelineCmd, ctx: &mut Ctx) -> Result<Exit> {
    match cmd {
        PipelineCmd::List => {
            let all = pipelines::list(ctx.store.conn())?;
            if ctx.json {
                print_json_array(all.iter().map(|p| pipeline_json(ctx, p)))?;
                return Ok(0);
            }
            let counts = stages::open_counts(ctx.store.conn())?;
            let mut table = Table::new(&[
                super::output::flex(t!("column-pipeline-title")),
                t!("column-open-title"),
                super::output::flex(t!("column-stages-title")),
            ]);
            for p in &all {
                let own = stages::list_in(ctx.store.conn(), &p.id)?;
                let open: usize = own
                    .iter()
                    .map(|s| counts.get(&s.id).copied().unwrap_or(0))
                    .sum();
                let names: Vec<&str> = own.iter().map(|s| s.name.as_str()).collect();
                table.row(vec![p.name.clone(), open.to_string(), names.join(" → ")]);
            }
            out!("{}", table.render(WIDTH));
        }
        PipelineCmd::Add { name } => {
            let (id, _) = usecase::pipelines::add(&mut ctx.store, &name)?;
            let p = pipelines::get(ctx.store.conn(), &id)?;
            if ctx.json {
                print_json(&pipeline_json(ctx, &p)?)?;
            } else {
                let names: Vec<String> = stages::list_in(ctx.store.conn(), &id)?
                    .into_iter()
                    .map(|s| s.name)
                    .collect();
                outln!(
                    "{}",
                    t!(
                        "cli-pipeline-added",
                        name = clean(&p.name),
                        stages = names.join(", ")
                    )
                );
            }
        }
        PipelineCmd::Rename { pipeline, new_name } => {
            let p = ctx.pipeline(&pipeline)?;
            usecase::pipelines::rename(&mut ctx.store, &p, &new_name)?;
            let renamed = pipelines::get(ctx.store.conn(), &p.id)?;
            if ctx.json {
                print_json(&pipeline_json(ctx, &renamed)?)?;
            } else {
                outln!(
                    "{}",
                    t!(
                        "cli-pipeline-renamed",
                        from = clean(&p.name),
                        to = clean(&renamed.name)
                    )
                );
            }
        }
        PipelineCmd::Delete { pipeline, move_to } => {
            let p = ctx.pipeline(&pipeline)?;
            let target = move_to.map(|t| ctx.pipeline(&t)).transpose()?;
            let (moved, _) = usecase::pipelines::delete(&mut ctx.store, &p, target.as_ref())?;
            if ctx.json {
                print_json(&json!({
                    "deleted": p.name,
                    "id": p.id,
                    "moved_deals": moved,
                    "moved_to": target.as_ref().map(|t| t.name.clone()),
                }))?;
            } else if let Some(t) = target.filter(|_| moved > 0) {
                outln!(
                    "{}",
                    t!(
                        "cli-pipeline-deleted-moved",
                        name = clean(&p.name),
                        count = moved,
                        target = clean(&t.name)
                    )
                );
            } else {
                outln!("{}", t!("said-deleted-pipeline", name = clean(&p.name)));
            }
        }
    }
    Ok(0)
}

/// The pipeline a stage command works in: the one named, else the only one there is.
fn only_or_named(ctx: &Ctx, named: Option<&str>) -> Result<Pipeline> {
    if let Some(name) = named {
        return ctx.pipeline(name);
    }
    let all = pipelines::list(ctx.store.conn())?;
    match all.as_slice() {
        [one] => Ok(one.clone()),
        _ => {
            let names: Vec<&str> = all.iter().map(|p| p.name.as_str()).collect();
            Err(anyhow!(t!(
                "cli-several-pipelines",
                names = clean(&names.join(", "))
            )))
        }
    }
}

fn print_stage(ctx: &Ctx, stage_id: &str, verb: &str) -> Result<()> {
    let conn = ctx.store.conn();
    let stage = stages::resolve(conn, stage_id, None)?;
    let pipeline = pipelines::get(conn, &stage.pipeline_id)?;
    let index = stages::list_in(conn, &pipeline.id)?
        .iter()
        .position(|s| s.id == stage.id)
        .unwrap_or(0);
    let open = stages::open_counts(conn)?
        .get(&stage.id)
        .copied()
        .unwrap_or(0);
    if ctx.json {
        print_json(&stage_json(&stage, &pipeline, index, open))
    } else {
        outln!(
            "{}",
            t!(
                "cli-stage-done",
                verb = verb,
                stage = clean(&stage.name),
                pipeline = clean(&pipeline.name),
                column = index + 1,
                probability = stage.probability,
                days = stage.rot_days
            )
        );
        Ok(())
    }
}

pub fn run_stage(cmd: StageCmd, ctx: &mut Ctx) -> Result<Exit> {
    match cmd {
        StageCmd::List { pipeline } => {
            let conn = ctx.store.conn();
            let shown = match pipeline {
                Some(p) => vec![ctx.pipeline(&p)?],
                None => pipelines::list(conn)?,
            };
            let counts = stages::open_counts(conn)?;
            let mut rows = Vec::new();
            for p in &shown {
                for (i, s) in stages::list_in(conn, &p.id)?.into_iter().enumerate() {
                    let open = counts.get(&s.id).copied().unwrap_or(0);
                    rows.push((p.clone(), i, s, open));
                }
            }
            if ctx.json {
                print_json_array(
                    rows.iter()
                        .map(|(p, i, s, open)| Ok(stage_json(s, p, *i, *open))),
                )?;
                return Ok(0);
            }
            let mut table = Table::new(&[
                super::output::flex(t!("column-pipeline-title")),
                "#".to_string(),
                super::output::flex(t!("column-stage-title")),
                t!("form-label-win-percent"),
                t!("form-label-rots-after"),
                t!("column-open-title"),
            ]);
            for (p, i, s, open) in &rows {
                table.row(vec![
                    p.name.clone(),
                    (i + 1).to_string(),
                    s.name.clone(),
                    format!("{} %", s.probability),
                    t!("days-short", count = s.rot_days),
                    open.to_string(),
                ]);
            }
            out!("{}", table.render(WIDTH));
        }
        StageCmd::Add {
            name,
            pipeline,
            probability,
            rot_days,
            after,
        } => {
            let p = only_or_named(ctx, pipeline.as_deref())?;
            let new = usecase::stages::NewStage {
                name,
                probability: Some(probability),
                rot_days: Some(rot_days),
                after,
            };
            let (id, _) = usecase::stages::add(&mut ctx.store, &p, &new)?;
            print_stage(ctx, &id, &t!("cli-verb-added"))?;
        }
        StageCmd::Edit {
            stage,
            pipeline,
            name,
            probability,
            rot_days,
            position,
        } => {
            let s = ctx.stage_in(&stage, pipeline.as_deref())?;
            let patch = usecase::stages::StagePatch {
                name,
                probability,
                rot_days,
                position,
            };
            usecase::stages::edit(&mut ctx.store, &s, &patch)?;
            print_stage(ctx, &s.id, &t!("cli-verb-saved"))?;
        }
        StageCmd::Delete {
            stage,
            pipeline,
            move_to,
        } => {
            let s = ctx.stage_in(&stage, pipeline.as_deref())?;
            let owner = pipelines::get(ctx.store.conn(), &s.pipeline_id)?;
            // --move-to names a stage of the same pipeline.
            let target = move_to
                .map(|t| stages::resolve(ctx.store.conn(), &t, Some(&owner)))
                .transpose()?;
            let (moved, _) = usecase::stages::delete(&mut ctx.store, &s, target.as_ref())?;
            if ctx.json {
                print_json(&json!({
                    "deleted": s.name,
                    "id": s.id,
                    "pipeline": owner.name,
                    "moved_deals": moved,
                    "moved_to": target.as_ref().map(|t| t.name.clone()),
                }))?;
            } else if let Some(t) = target.filter(|_| moved > 0) {
                outln!(
                    "{}",
                    t!(
                        "cli-stage-deleted-moved",
                        stage = clean(&s.name),
                        pipeline = clean(&owner.name),
                        count = moved,
                        target = clean(&t.name)
                    )
                );
            } else {
                outln!(
                    "{}",
                    t!(
                        "cli-stage-deleted",
                        stage = clean(&s.name),
                        pipeline = clean(&owner.name)
                    )
                );
            }
        }
    }
    Ok(0)
}

/// `salesdesk reason …` / `salesdesk source …`: the book's list `list`.
pub fn run_list(list: BookList, cmd: ListCmd, ctx: &mut Ctx) -> Result<Exit> {
    match cmd {
        ListCmd::List => {
            let names = crate::store::lists::names(ctx.store.conn(), list)?;
            if ctx.json {
                print_json(&json!(names))?;
            } else if names.is_empty() {
                outln!("{}", t!("cli-list-empty", list = list.label()));
            } else {
                for name in names {
                    outln!("{}", clean(&name));
                }
            }
        }
        ListCmd::Add { name } => {
            usecase::lists::add(&mut ctx.store, list, &name)?;
            print_names(
                ctx,
                list,
                &t!(
                    "cli-list-added",
                    list = list.label(),
                    name = clean(name.trim())
                ),
            )?;
        }
        ListCmd::Delete { name } => {
            usecase::lists::delete(&mut ctx.store, list, &name)?;
            print_names(
                ctx,
                list,
                &t!(
                    "cli-list-removed",
                    list = list.label(),
                    name = clean(name.trim())
                ),
            )?;
        }
    }
    Ok(0)
}

/// After a change: the list as it is now (`--json`), else what was done.
fn print_names(ctx: &Ctx, list: BookList, said: &str) -> Result<()> {
    if ctx.json {
        print_json(&json!(crate::store::lists::names(ctx.store.conn(), list)?))
    } else {
        outln!("{said}");
        Ok(())
    }
}
