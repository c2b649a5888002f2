//! Stages, in board order: each pipeline's own, and the forwarding pointers of deleted
//! ones (see [`crate::domain::stage::forward`]).

use std::collections::HashMap;

use rusqlite::{Connection, Row};

use super::{Candidate, Result, Store, StoreError, Table, Write, pipelines};
use crate::domain::hlc::Hlc;
use crate::domain::ids::derived_id;
use crate::domain::stage::{DEFAULT_PIPELINE, DEFAULT_STAGES, Pipeline, Stage, StageLink, forward};

const COLUMNS: &str = "s.id, s.name, s.position, s.probability, s.rot_days, s.pipeline_id";

/// Stages of live pipelines, in pipeline order and then board order.
const LIVE: &str = "FROM stages s JOIN pipelines p ON p.id = s.pipeline_id
                    WHERE s.deleted_at IS NULL AND p.deleted_at IS NULL";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Stage> {
    Ok(Stage {
        id: r.get(0)?,
        name: r.get(1)?,
        position: r.get(2)?,
        probability: r.get(3)?,
        rot_days: r.get(4)?,
        pipeline_id: r.get(5)?,
    })
}

/// The live stages of every live pipeline: pipeline by pipeline, each in board order.
pub fn list(conn: &Connection) -> Result<Vec<Stage>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} {LIVE} ORDER BY p.position, p.name, p.id, s.position, s.name, s.id"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The live stages of one pipeline in board order.
pub fn list_in(conn: &Connection, pipeline_id: &str) -> Result<Vec<Stage>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} {LIVE} AND s.pipeline_id = ?1 ORDER BY s.position, s.name, s.id"
    ))?;
    let rows = stmt.query_map([pipeline_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A live stage named by its name (any case) or id, in `pipeline` when given. A name
/// that two pipelines share is ambiguous without `--pipeline`; an unknown one is told
/// with the stages there are.
pub fn resolve(conn: &Connection, reference: &str, pipeline: Option<&Pipeline>) -> Result<Stage> {
    let wanted = reference.trim();
    let all = match pipeline {
        Some(p) => list_in(conn, &p.id)?,
        None => list(conn)?,
    };
    if let Some(s) = all.iter().find(|s| s.id == wanted) {
        return Ok(s.clone());
    }
    let mut named: Vec<&Stage> = all
        .iter()
        .filter(|s| s.name.to_lowercase() == wanted.to_lowercase())
        .collect();
    if named.is_empty() {
        // The short id an ambiguous name's message shows.
        named = all
            .iter()
            .filter(|s| crate::domain::ids::short_id(&s.id) == wanted)
            .collect();
    }
    let pipelines = pipelines::list(conn)?;
    let pipeline_name = |s: &Stage| {
        pipelines
            .iter()
            .find(|p| p.id == s.pipeline_id)
            .map(|p| p.name.clone())
            .unwrap_or_default()
    };
    match named.as_slice() {
        [one] => Ok((*one).clone()),
        [] => {
            let several = pipeline.is_none() && pipelines.len() > 1;
            let names: Vec<String> = all
                .iter()
                .map(|s| {
                    if several {
                        format!("{} ({})", s.name, pipeline_name(s))
                    } else {
                        s.name.clone()
                    }
                })
                .collect();
            let stages = names.join(", ");
            Err(StoreError::Invalid(match pipeline {
                Some(p) => crate::t!(
                    "stage-unknown-in",
                    name = wanted,
                    pipeline = p.name.as_str(),
                    stages = stages
                ),
                None => crate::t!("stage-unknown", name = wanted, stages = stages),
            }))
        }
        many => Err(StoreError::Ambiguous {
            what: "stage-give-pipeline".into(),
            reference: wanted.to_string(),
            candidates: many
                .iter()
                .map(|s| Candidate {
                    id: s.id.clone(),
                    name: format!("{} in {}", s.name, pipeline_name(s)),
                })
                .collect(),
        }),
    }
}

/// Every stage ever made, live or not, with where a deleted one sends its deals. A stage
/// of a deleted pipeline counts as deleted.
pub fn links(conn: &Connection) -> Result<HashMap<String, StageLink>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.id, s.deleted_at IS NOT NULL OR p.id IS NULL OR p.deleted_at IS NOT NULL,
                s.moved_to
           FROM stages s LEFT JOIN pipelines p ON p.id = s.pipeline_id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            StageLink {
                deleted: r.get(1)?,
                moved_to: r.get(2)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// An open deal in a stage that is deleted or belongs to a deleted pipeline: moved there
/// by a teammate who had not yet seen the delete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stranded {
    pub deal_id: String,
    pub stage_id: String,
    /// The clock of the write that put it there.
    pub placed: String,
}

/// The stranded open deals.
pub fn stranded_deals(conn: &Connection) -> Result<Vec<Stranded>> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.id, d.stage_id,
                coalesce((SELECT max(c.hlc) FROM field_clock c
                           WHERE c.tbl = 'deals' AND c.row_id = d.id
                             AND c.field IN ('stage_id', '*')), '')
           FROM deals d
          WHERE d.status = 'open' AND d.deleted_at IS NULL
            AND d.stage_id IN (SELECT s.id FROM stages s
                                 LEFT JOIN pipelines p ON p.id = s.pipeline_id
                                WHERE s.deleted_at IS NOT NULL OR p.id IS NULL
                                   OR p.deleted_at IS NOT NULL)
          ORDER BY d.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Stranded {
            deal_id: r.get(0)?,
            stage_id: r.get(1)?,
            placed: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Whether a stage history row exists, live or not.
pub fn stage_change_exists(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM stage_changes WHERE id = ?1)",
        [id],
        |r| r.get(0),
    )?)
}

/// The writes that repair what teammates' concurrent setup changes can leave after a
/// merge, and how many deals they move:
///
/// - a book without a live pipeline (two teammates deleted each other's target) gets
///   back the pipeline deleted last, and a live pipeline without a live stage the stage
///   of it deleted last, so that there is always somewhere for deals to be;
/// - an open deal in a stage that is deleted or of a deleted pipeline (moved there by a
///   teammate who had not seen the delete) is sent on along the deleted stages'
///   forwarding pointers (or to the book's first stage), with a history row.
///
/// Every database that does this on the same data writes the same values and the same
/// history rows (their ids and times come from the move that stranded the deal), so
/// teammates' repairs merge into one. The merge runs it in its own transaction, so that
/// no reader ever sees a deal in a stage that no longer exists.
pub fn plan_send_on(conn: &Connection) -> Result<(usize, Vec<Write>)> {
    let mut writes = Vec::new();
    let mut links = links(conn)?;
    let mut revived_pipeline = None;
    if pipelines::list(conn)?.is_empty() {
        revived_pipeline = last_deleted(
            conn,
            "SELECT id FROM pipelines WHERE deleted_at IS NOT NULL
              ORDER BY deleted_at DESC, id DESC LIMIT 1",
            None,
        )?;
        if let Some(id) = &revived_pipeline {
            writes.push(Write::update(Table::Pipelines, id.clone()).set("deleted_at", None::<i64>));
        }
    }
    let mut empty: Vec<String> = conn
        .prepare_cached(
            "SELECT p.id FROM pipelines p
              WHERE p.deleted_at IS NULL
                AND NOT EXISTS (SELECT 1 FROM stages s
                                 WHERE s.pipeline_id = p.id AND s.deleted_at IS NULL)
              ORDER BY p.id",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    empty.extend(revived_pipeline.iter().cloned());
    for pipeline in &empty {
        let stage = last_deleted(
            conn,
            "SELECT id FROM stages WHERE pipeline_id = ?1 AND deleted_at IS NOT NULL
              ORDER BY deleted_at DESC, id DESC LIMIT 1",
            Some(pipeline),
        )?;
        if let Some(stage) = stage {
            writes.push(
                Write::update(Table::Stages, stage.clone())
                    .set("deleted_at", None::<i64>)
                    .set("moved_to", None::<String>),
            );
            links.insert(
                stage,
                StageLink {
                    deleted: false,
                    moved_to: None,
                },
            );
        }
    }
    let stranded = stranded_deals(conn)?;
    let fallback = match list(conn)?.into_iter().next() {
        Some(s) => Some(s.id),
        None => links
            .iter()
            .filter(|(_, l)| !l.deleted)
            .map(|(id, _)| id.clone())
            .min(),
    };
    let mut moved = 0;
    for s in &stranded {
        let Some(to) = fallback
            .as_deref()
            .and_then(|f| forward(&links, &s.stage_id, f))
        else {
            continue;
        };
        moved += 1;
        writes.push(Write::update(Table::Deals, s.deal_id.clone()).set("stage_id", to.clone()));
        let id = derived_id(&format!("forward\u{1f}{}\u{1f}{}", s.deal_id, s.placed));
        if stage_change_exists(conn, &id)? {
            continue;
        }
        let at = s.placed.parse::<Hlc>().map_or(0, |h| h.millis + 1);
        writes.push(
            Write::insert(Table::StageChanges, id)
                .set("deal_id", s.deal_id.clone())
                .set("from_stage_id", s.stage_id.clone())
                .set("to_stage_id", to)
                .set("from_status", "open".to_string())
                .set("to_status", "open".to_string())
                .set("at", at)
                .set("by", None::<String>),
        );
    }
    Ok((moved, writes))
}

/// The id a "deleted last" query finds, if any.
fn last_deleted(conn: &Connection, sql: &str, of: Option<&str>) -> Result<Option<String>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = match of {
        Some(pipeline) => stmt.query([pipeline])?,
        None => stmt.query([])?,
    };
    Ok(match rows.next()? {
        Some(r) => Some(r.get(0)?),
        None => None,
    })
}

/// How many open deals each stage holds (stages without any are left out).
///
/// Counted on the board's index, which holds exactly the open deals in stage order:
/// the planner, told by sampled statistics that `status` is selective, would otherwise
/// read every open deal's row and sort (24 → 8 ms at 100k deals).
pub fn open_counts(conn: &Connection) -> Result<HashMap<String, usize>> {
    let mut stmt = conn.prepare_cached(
        "SELECT stage_id, count(*) FROM deals INDEXED BY deals_board
          WHERE status = 'open' AND deleted_at IS NULL GROUP BY stage_id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    rows.map(|r| {
        let (id, n) = r?;
        Ok((id, usize::try_from(n).unwrap_or(0)))
    })
    .collect()
}

/// How many open deals a stage holds.
pub fn open_count(conn: &Connection, stage_id: &str) -> Result<usize> {
    let mut stmt = conn.prepare_cached(
        "SELECT count(*) FROM deals INDEXED BY deals_board
          WHERE stage_id = ?1 AND status = 'open' AND deleted_at IS NULL",
    )?;
    let n: i64 = stmt.query_row([stage_id], |r| r.get(0))?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// The open deals in a stage, by id.
pub fn open_deals_in(conn: &Connection, stage_id: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM deals WHERE stage_id = ?1 AND status = 'open' AND deleted_at IS NULL
          ORDER BY id",
    )?;
    let rows = stmt.query_map([stage_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Creates the default stages in a database that has none.
pub(super) fn ensure_defaults(store: &mut Store) -> Result<()> {
    let any: bool = store
        .conn
        .query_row("SELECT EXISTS (SELECT 1 FROM stages)", [], |r| r.get(0))?;
    if any {
        return Ok(());
    }
    // A new book speaks its owner's language: the stages (and the pipeline the first
    // migration made) are named from the catalogue; their ids stay fixed, so two
    // teammates' fresh books still agree on them.
    let mut writes: Vec<Write> = DEFAULT_STAGES
        .iter()
        .enumerate()
        .map(|(i, (id, _, probability, rot_days))| {
            Write::insert(Table::Stages, *id)
                .set("name", crate::i18n::message(&format!("default-{id}"), &[]))
                .set("position", i as i64)
                .set("probability", *probability)
                .set("rot_days", *rot_days)
                .set("pipeline_id", DEFAULT_PIPELINE.0.to_string())
        })
        .collect();
    let pipeline_name = crate::t!("default-pipeline-sales");
    if pipeline_name != DEFAULT_PIPELINE.1 {
        writes.push(Write::update(Table::Pipelines, DEFAULT_PIPELINE.0).set("name", pipeline_name));
    }
    store.apply("add default stages", writes)?;
    Ok(())
}
