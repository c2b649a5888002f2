//! Stages, in board order: each pipeline's own, and the forwarding pointers of deleted
//! ones (see [`crate::domain::stage::forward`]).

use std::collections::HashMap;

use rusqlite::{Connection, Row};

use super::{Candidate, Result, Store, StoreError, Table, Write, pipelines};
use crate::domain::stage::{DEFAULT_PIPELINE, DEFAULT_STAGES, Pipeline, Stage, StageLink};

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
    let named: Vec<&Stage> = all
        .iter()
        .filter(|s| s.name.to_lowercase() == wanted.to_lowercase())
        .collect();
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
            let scope = pipeline.map_or(String::new(), |p| format!(" in {}", p.name));
            Err(StoreError::Invalid(format!(
                "no stage named '{wanted}'{scope}; the stages are {}",
                names.join(", ")
            )))
        }
        many => Err(StoreError::Ambiguous {
            what: "stage (give --pipeline)".into(),
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
    let writes = DEFAULT_STAGES
        .iter()
        .enumerate()
        .map(|(i, (id, name, probability, rot_days))| {
            Write::insert(Table::Stages, *id)
                .set("name", name.to_string())
                .set("position", i as i64)
                .set("probability", *probability)
                .set("rot_days", *rot_days)
                .set("pipeline_id", DEFAULT_PIPELINE.0.to_string())
        })
        .collect();
    store.apply("add default stages", writes)?;
    Ok(())
}
