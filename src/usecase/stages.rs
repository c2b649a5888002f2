//! Stage actions: add, edit (name, probability, rotting days, position), delete (with
//! where its deals go), and sending on the deals a merge left in a deleted stage.

use crate::domain::ids::new_id;
use crate::domain::stage::{
    DEFAULT_ROT_DAYS, Pipeline, Stage, check_name, check_probability, check_rot_days,
    check_unique_stage, delete_target, forward, reorder,
};
use crate::store::{Store, StoreError, Table, Undo, Write, stages};

type Result<T> = std::result::Result<T, StoreError>;

/// A new stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStage {
    pub name: String,
    /// Win probability in percent (default 0).
    pub probability: Option<i64>,
    /// Rotting limit in days (default [`DEFAULT_ROT_DAYS`]).
    pub rot_days: Option<i64>,
    /// The stage it comes after (default: last).
    pub after: Option<String>,
}

/// What a stage edit changes; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StagePatch {
    pub name: Option<String>,
    pub probability: Option<i64>,
    pub rot_days: Option<i64>,
    /// The 1-based place in its pipeline's board order.
    pub position: Option<i64>,
}

/// The writes that renumber `order` (a pipeline's stages in their new board order) where
/// a stage's position changes.
fn renumber(order: &[&Stage]) -> Vec<Write> {
    order
        .iter()
        .enumerate()
        .filter(|(i, s)| s.position != *i as i64)
        .map(|(i, s)| Write::update(Table::Stages, s.id.clone()).set("position", i as i64))
        .collect()
}

/// Adds a stage to a pipeline, after `new.after` or last; returns its id.
pub fn add(store: &mut Store, pipeline: &Pipeline, new: &NewStage) -> Result<(String, Undo)> {
    let name = check_name("stage", &new.name)?;
    let probability = check_probability(new.probability.unwrap_or(0))?;
    let rot_days = check_rot_days(new.rot_days.unwrap_or(DEFAULT_ROT_DAYS))?;
    let existing = stages::list_in(store.conn(), &pipeline.id)?;
    check_unique_stage(pipeline, &existing, &name, None)?;
    let at = match &new.after {
        Some(after) => {
            let after = stages::resolve(store.conn(), after, Some(pipeline))?;
            existing
                .iter()
                .position(|s| s.id == after.id)
                .map_or(existing.len(), |i| i + 1)
        }
        None => existing.len(),
    };
    let id = new_id();
    let mut before: Vec<&Stage> = existing.iter().collect();
    let placeholder = Stage {
        id: id.clone(),
        name: name.clone(),
        position: at as i64,
        probability,
        rot_days,
        pipeline_id: pipeline.id.clone(),
    };
    before.insert(at, &placeholder);
    let mut writes = vec![
        Write::insert(Table::Stages, id.clone())
            .set("name", name.clone())
            .set("position", at as i64)
            .set("probability", probability)
            .set("rot_days", rot_days)
            .set("pipeline_id", pipeline.id.clone()),
    ];
    writes.extend(renumber(&before));
    let undo = store.apply(
        &crate::t!(
            "undo-add-stage",
            name = name.as_str(),
            pipeline = pipeline.name.as_str()
        ),
        writes,
    )?;
    Ok((id, undo))
}

/// Changes a stage's name, probability, rotting days or place in its pipeline.
pub fn edit(store: &mut Store, stage: &Stage, patch: &StagePatch) -> Result<Undo> {
    if *patch == StagePatch::default() {
        return Err(StoreError::Invalid(crate::t!("error-nothing-to-change")));
    }
    let pipeline = crate::store::pipelines::get(store.conn(), &stage.pipeline_id)?;
    let siblings = stages::list_in(store.conn(), &pipeline.id)?;
    let mut w = Write::update(Table::Stages, stage.id.clone());
    if let Some(name) = &patch.name {
        let name = check_name("stage", name)?;
        check_unique_stage(&pipeline, &siblings, &name, Some(&stage.id))?;
        w = w.set("name", name);
    }
    if let Some(p) = patch.probability {
        w = w.set("probability", check_probability(p)?);
    }
    if let Some(d) = patch.rot_days {
        w = w.set("rot_days", check_rot_days(d)?);
    }
    let mut writes = Vec::new();
    if let Some(position) = patch.position {
        for (id, at) in reorder(&siblings, &stage.id, position)? {
            if id == stage.id {
                w = w.set("position", at);
            } else {
                writes.push(Write::update(Table::Stages, id).set("position", at));
            }
        }
    }
    if !w.fields.is_empty() {
        writes.insert(0, w);
    }
    if writes.is_empty() {
        // Only a position it already has.
        return Ok(Undo::default());
    }
    store.apply(
        &crate::t!("undo-edit-stage", name = stage.name.as_str()),
        writes,
    )
}

/// The writes that move an open deal from a stage being deleted into `to`: its stage and
/// a history row.
fn send_deal(store: &Store, deal_id: &str, from: &str, to: &str) -> Vec<Write> {
    vec![
        Write::update(Table::Deals, deal_id.to_string()).set("stage_id", to.to_string()),
        Write::insert(Table::StageChanges, new_id())
            .set("deal_id", deal_id.to_string())
            .set("from_stage_id", from.to_string())
            .set("to_stage_id", to.to_string())
            .set("from_status", "open".to_string())
            .set("to_status", "open".to_string())
            .set("at", store.now_millis())
            .set("by", store.member_id().to_string()),
    ]
}

/// Deletes a stage. Its open deals go to `move_to` (another stage of its pipeline, each
/// with a history row); a stage that holds deals is refused without it. The stage keeps
/// where its deals went, for deals a teammate moves into it before seeing the delete.
/// Returns how many deals moved.
pub fn delete(store: &mut Store, stage: &Stage, move_to: Option<&Stage>) -> Result<(usize, Undo)> {
    let pipeline = crate::store::pipelines::get(store.conn(), &stage.pipeline_id)?;
    let siblings = stages::list_in(store.conn(), &pipeline.id)?;
    let deals = stages::open_deals_in(store.conn(), &stage.id)?;
    let target = delete_target(&pipeline, &siblings, stage, deals.len(), move_to)?;
    let mut writes = vec![
        Write::update(Table::Stages, stage.id.clone())
            .set("deleted_at", store.now_millis())
            .set("moved_to", target.id.clone()),
    ];
    for deal in &deals {
        writes.extend(send_deal(store, deal, &stage.id, &target.id));
    }
    let label = match move_to {
        Some(t) => crate::t!(
            "undo-delete-stage-moving",
            name = stage.name.as_str(),
            target = t.name.as_str()
        ),
        None => crate::t!("undo-delete-stage", name = stage.name.as_str()),
    };
    let undo = store.apply(&label, writes)?;
    Ok((deals.len(), undo))
}

/// Sends on the open deals left in a deleted stage (see
/// [`crate::store::stages::plan_send_on`]; a merge does this itself, in its own
/// transaction). Returns how many deals moved.
pub fn send_on_stranded(store: &mut Store) -> Result<usize> {
    let (moved, writes) = stages::plan_send_on(store.conn())?;
    if moved > 0 {
        store.apply("send on deals from deleted stages", writes)?;
    }
    Ok(moved)
}

/// The stage a closed deal reopens in when none is named: its own, or where a deleted one
/// sends its deals.
pub fn live_stage_of(store: &Store, stage_id: &str) -> Result<String> {
    let links = stages::links(store.conn())?;
    let fallback = stages::list(store.conn())?
        .into_iter()
        .next()
        .map(|s| s.id)
        .unwrap_or_else(|| stage_id.to_string());
    Ok(forward(&links, stage_id, &fallback).unwrap_or_else(|| stage_id.to_string()))
}

#[cfg(test)]
mod tests;
