//! Pipeline actions: add (with a copy of the default stages to shape), rename, reorder
//! and delete (with where its deals go).

use crate::domain::ids::new_id;
use crate::domain::stage::{
    self, DEFAULT_STAGES, Pipeline, SetupError, check_name, check_unique_pipeline,
    pipeline_delete_targets,
};
use crate::store::{Store, StoreError, Table, Undo, Write, pipelines, stages};

type Result<T> = std::result::Result<T, StoreError>;

/// Adds a pipeline, last, with the default stages (new ones of its own, to rename and
/// reorder); returns its id.
pub fn add(store: &mut Store, name: &str) -> Result<(String, Undo)> {
    let name = check_name("pipeline", name)?;
    let existing = pipelines::list(store.conn())?;
    check_unique_pipeline(&existing, &name, None)?;
    let position = existing.iter().map(|p| p.position + 1).max().unwrap_or(0);
    let id = new_id();
    let mut writes = vec![
        Write::insert(Table::Pipelines, id.clone())
            .set("name", name.clone())
            .set("position", position),
    ];
    for (i, (_, stage, probability, rot_days)) in DEFAULT_STAGES.iter().enumerate() {
        writes.push(
            Write::insert(Table::Stages, new_id())
                .set("name", stage.to_string())
                .set("position", i as i64)
                .set("probability", *probability)
                .set("rot_days", *rot_days)
                .set("pipeline_id", id.clone()),
        );
    }
    let undo = store.apply(&crate::t!("undo-add-pipeline", name = name), writes)?;
    Ok((id, undo))
}

/// Renames a pipeline.
pub fn rename(store: &mut Store, pipeline: &Pipeline, name: &str) -> Result<Undo> {
    let name = check_name("pipeline", name)?;
    check_unique_pipeline(&pipelines::list(store.conn())?, &name, Some(&pipeline.id))?;
    store.apply(
        &crate::t!(
            "undo-rename-pipeline",
            name = pipeline.name.as_str(),
            new = name.as_str()
        ),
        vec![Write::update(Table::Pipelines, pipeline.id.clone()).set("name", name.clone())],
    )
}

/// Moves a pipeline to the 1-based `position` in the order the board offers them.
pub fn reorder(store: &mut Store, pipeline: &Pipeline, position: i64) -> Result<Undo> {
    let all = pipelines::list(store.conn())?;
    let writes: Vec<Write> = stage::reorder(&all, &pipeline.id, position)?
        .into_iter()
        .map(|(id, at)| Write::update(Table::Pipelines, id).set("position", at))
        .collect();
    if writes.is_empty() {
        return Ok(Undo::default());
    }
    store.apply(
        &crate::t!("undo-move-pipeline", name = pipeline.name.as_str()),
        writes,
    )
}

/// Deletes a pipeline with its stages. Its open deals go to `move_to` (each into the stage
/// of the same name there, else its first stage, with a history row); a pipeline that
/// holds deals is refused without it, and the last pipeline is kept. Returns how many
/// deals moved.
pub fn delete(
    store: &mut Store,
    pipeline: &Pipeline,
    move_to: Option<&Pipeline>,
) -> Result<(usize, Undo)> {
    let all = pipelines::list(store.conn())?;
    if all.iter().all(|p| p.id == pipeline.id) {
        return Err(SetupError::LastPipeline(pipeline.name.clone()).into());
    }
    if move_to.is_some_and(|t| t.id == pipeline.id) {
        return Err(SetupError::MoveToItself(pipeline.name.clone()).into());
    }
    let own = stages::list_in(store.conn(), &pipeline.id)?;
    let mut deals = Vec::new();
    for s in &own {
        for d in stages::open_deals_in(store.conn(), &s.id)? {
            deals.push((d, s.id.clone()));
        }
    }
    if !deals.is_empty() && move_to.is_none() {
        return Err(SetupError::PipelineHoldsDeals {
            name: pipeline.name.clone(),
            deals: deals.len(),
        }
        .into());
    }
    // With no deals to move, the stages still point somewhere: the first other pipeline.
    let target = match move_to {
        Some(t) => t.clone(),
        None => all
            .iter()
            .find(|p| p.id != pipeline.id)
            .cloned()
            .ok_or_else(|| SetupError::LastPipeline(pipeline.name.clone()))?,
    };
    let target_stages = stages::list_in(store.conn(), &target.id)?;
    let map = pipeline_delete_targets(&own, &target_stages);
    let now = store.now_millis();
    let mut writes =
        vec![Write::update(Table::Pipelines, pipeline.id.clone()).set("deleted_at", now)];
    for (stage, to) in &map {
        writes.push(
            Write::update(Table::Stages, stage.clone())
                .set("deleted_at", now)
                .set("moved_to", to.id.clone()),
        );
    }
    for (deal, from) in &deals {
        let Some((_, to)) = map.iter().find(|(s, _)| s == from) else {
            continue;
        };
        writes.push(Write::update(Table::Deals, deal.clone()).set("stage_id", to.id.clone()));
        writes.push(
            Write::insert(Table::StageChanges, new_id())
                .set("deal_id", deal.clone())
                .set("from_stage_id", from.clone())
                .set("to_stage_id", to.id.clone())
                .set("from_status", "open".to_string())
                .set("to_status", "open".to_string())
                .set("at", now)
                .set("by", store.member_id().to_string()),
        );
    }
    let undo = store.apply(
        &crate::t!(
            "undo-delete-pipeline-moving",
            name = pipeline.name.as_str(),
            target = target.name.as_str()
        ),
        writes,
    )?;
    Ok((deals.len(), undo))
}
