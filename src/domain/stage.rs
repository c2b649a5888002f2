//! Pipelines and their stages: the columns of a pipeline board. Won and lost are deal
//! statuses, not stages. A deal's pipeline is the pipeline of its stage.
//!
//! The rules a team's own process must keep: a stage's win probability is a percentage
//! (0–100), its rotting limit a number of days; names are unique within a pipeline (a
//! stage) or the book (a pipeline); a pipeline keeps at least one stage and a book at
//! least one pipeline; a stage or pipeline that holds deals is deleted only by saying
//! where its deals go. A deleted stage keeps a forwarding pointer (`moved_to`) that sends
//! on any deal a teammate moved into it before they saw the delete ([`forward`]).

use std::collections::HashMap;

/// A pipeline column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    pub id: String,
    pub name: String,
    pub position: i64,
    /// Chance of closing, in percent (0–100); weights the pipeline.
    pub probability: i64,
    /// Days without activity after which an open deal here is *rotting*.
    pub rot_days: i64,
    /// The pipeline the stage belongs to.
    pub pipeline_id: String,
}

/// One sales process: a name and its own ordered stages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pipeline {
    pub id: String,
    pub name: String,
    pub position: i64,
}

/// Between a pipeline's name and its stage's, where a stage of another pipeline is named
/// (the deal form's stage choice, an exported stage history).
pub const STAGE_OF: &str = " › ";

/// The pipeline every book starts with (and the one a book from before pipelines gets):
/// its id is fixed, like the default stages', so that teammates' databases agree on it.
pub const DEFAULT_PIPELINE: (&str, &str) = ("pipeline-sales", "Sales");

/// The stages a new database starts with. Their ids are fixed rather than random so that
/// two teammates' fresh databases agree on them when they first sync.
pub const DEFAULT_STAGES: [(&str, &str, i64, i64); 4] = [
    ("stage-lead", "Lead", 10, 14),
    ("stage-qualified", "Qualified", 25, 14),
    ("stage-proposal", "Proposal", 50, 10),
    ("stage-negotiation", "Negotiation", 75, 7),
];

/// Days a stage may leave a deal untouched before it rots: up to a century.
pub const MAX_ROT_DAYS: i64 = 36_500;

/// The rotting limit of a new stage when none is given.
pub const DEFAULT_ROT_DAYS: i64 = 14;

/// Why a change to pipelines or stages is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetupError {
    #[error("{}", crate::t!("err-SetupError-NameRequired", arg0 = crate::i18n::noun(.0)))]
    NameRequired(&'static str),
    #[error("{}", crate::t!("err-SetupError-Probability", arg0 = .0.to_string()))]
    Probability(i64),
    #[error("{}", crate::t!("err-SetupError-RotDays", max_rot_days = MAX_ROT_DAYS.to_string(), arg0 = .0.to_string()))]
    RotDays(i64),
    #[error("{}", crate::t!("err-SetupError-DuplicateStage", pipeline = .pipeline.to_string(), name = .name.to_string()))]
    DuplicateStage { pipeline: String, name: String },
    #[error("{}", crate::t!("err-SetupError-DuplicatePipeline", arg0 = .0.to_string()))]
    DuplicatePipeline(String),
    #[error("{}", crate::t!("err-SetupError-LastStage", arg0 = .0.to_string()))]
    LastStage(String),
    #[error("{}", crate::t!("err-SetupError-LastPipeline", arg0 = .0.to_string()))]
    LastPipeline(String),
    #[error("{}", crate::t!("err-SetupError-StageHoldsDeals", name = .name.to_string(), deals = .deals.to_string(), pipeline = .pipeline.to_string()))]
    StageHoldsDeals {
        name: String,
        pipeline: String,
        deals: usize,
    },
    #[error("{}", crate::t!("err-SetupError-PipelineHoldsDeals", name = .name.to_string(), deals = .deals.to_string()))]
    PipelineHoldsDeals { name: String, deals: usize },
    #[error("{}", crate::t!("err-SetupError-MoveToItself", arg0 = .0.to_string()))]
    MoveToItself(String),
    #[error("{}", crate::t!("err-SetupError-MoveToOtherPipeline", target = .target.to_string(), pipeline = .pipeline.to_string()))]
    MoveToOtherPipeline { target: String, pipeline: String },
    #[error("{}", crate::t!("err-SetupError-Position", most = .most.to_string(), given = .given.to_string()))]
    Position { given: i64, most: usize },
}

/// Checks and trims a stage or pipeline name (`what` says which, for the message).
pub fn check_name(what: &'static str, name: &str) -> Result<String, SetupError> {
    let name = name.trim();
    if name.is_empty() {
        Err(SetupError::NameRequired(what))
    } else {
        Ok(name.to_string())
    }
}

/// A win probability: 0–100 %.
pub fn check_probability(p: i64) -> Result<i64, SetupError> {
    if (0..=100).contains(&p) {
        Ok(p)
    } else {
        Err(SetupError::Probability(p))
    }
}

/// A rotting limit: 0 (rots at once) up to [`MAX_ROT_DAYS`].
pub fn check_rot_days(days: i64) -> Result<i64, SetupError> {
    if (0..=MAX_ROT_DAYS).contains(&days) {
        Ok(days)
    } else {
        Err(SetupError::RotDays(days))
    }
}

/// Refuses `name` for a stage of `pipeline` when another of its stages (not `except`) has
/// it, in any case.
pub fn check_unique_stage(
    pipeline: &Pipeline,
    stages: &[Stage],
    name: &str,
    except: Option<&str>,
) -> Result<(), SetupError> {
    let taken = stages.iter().any(|s| {
        s.pipeline_id == pipeline.id
            && Some(s.id.as_str()) != except
            && s.name.to_lowercase() == name.to_lowercase()
    });
    if taken {
        Err(SetupError::DuplicateStage {
            pipeline: pipeline.name.clone(),
            name: name.to_string(),
        })
    } else {
        Ok(())
    }
}

/// Refuses `name` for a pipeline when another (not `except`) has it, in any case.
pub fn check_unique_pipeline(
    pipelines: &[Pipeline],
    name: &str,
    except: Option<&str>,
) -> Result<(), SetupError> {
    let taken = pipelines
        .iter()
        .any(|p| Some(p.id.as_str()) != except && p.name.to_lowercase() == name.to_lowercase());
    if taken {
        Err(SetupError::DuplicatePipeline(name.to_string()))
    } else {
        Ok(())
    }
}

/// Where the deals of a deleted stage go: `move_to` when given (another stage of the same
/// pipeline), else (when it holds none) its neighbour, the stage before it or, for the
/// first, the one after. The neighbour is recorded all the same, for a deal a teammate
/// moves into the stage before they see the delete. `stages` are the pipeline's live
/// stages in board order.
pub fn delete_target<'a>(
    pipeline: &Pipeline,
    stages: &'a [Stage],
    stage: &Stage,
    deals: usize,
    move_to: Option<&'a Stage>,
) -> Result<&'a Stage, SetupError> {
    let others: Vec<&Stage> = stages.iter().filter(|s| s.id != stage.id).collect();
    if others.is_empty() {
        return Err(SetupError::LastStage(stage.name.clone()));
    }
    match move_to {
        Some(target) if target.id == stage.id => Err(SetupError::MoveToItself(stage.name.clone())),
        Some(target) if target.pipeline_id != stage.pipeline_id => {
            Err(SetupError::MoveToOtherPipeline {
                target: target.name.clone(),
                pipeline: pipeline.name.clone(),
            })
        }
        Some(target) => Ok(target),
        None if deals > 0 => Err(SetupError::StageHoldsDeals {
            name: stage.name.clone(),
            pipeline: pipeline.name.clone(),
            deals,
        }),
        None => {
            let at = stages.iter().position(|s| s.id == stage.id).unwrap_or(0);
            let before = at.checked_sub(1).and_then(|i| stages.get(i));
            Ok(before.or_else(|| stages.get(at + 1)).unwrap_or(others[0]))
        }
    }
}

/// Where the stages of a deleted pipeline send their deals, stage by stage: the stage of
/// `target` with the same name (any case), else `target`'s first stage. `target_stages`
/// are `target`'s live stages in board order (at least one).
pub fn pipeline_delete_targets<'a>(
    stages: &[Stage],
    target_stages: &'a [Stage],
) -> Vec<(String, &'a Stage)> {
    let Some(first) = target_stages.first() else {
        return Vec::new();
    };
    stages
        .iter()
        .map(|s| {
            let same = target_stages
                .iter()
                .find(|t| t.name.to_lowercase() == s.name.to_lowercase());
            (s.id.clone(), same.unwrap_or(first))
        })
        .collect()
}

/// Something with a place in an ordered list: a stage among its pipeline's columns, a
/// pipeline among the boards.
pub trait Placed {
    fn id(&self) -> &str;
    fn position(&self) -> i64;
}

impl Placed for Stage {
    fn id(&self) -> &str {
        &self.id
    }
    fn position(&self) -> i64 {
        self.position
    }
}

impl Placed for Pipeline {
    fn id(&self) -> &str {
        &self.id
    }
    fn position(&self) -> i64 {
        self.position
    }
}

/// The new order of `items` (a pipeline's stages, or the pipelines) after moving the one
/// with `id` to the 1-based `position`, as `(id, new position)` for the items whose
/// position changes.
pub fn reorder<T: Placed>(
    items: &[T],
    id: &str,
    position: i64,
) -> Result<Vec<(String, i64)>, SetupError> {
    let most = items.len();
    let index = usize::try_from(position)
        .ok()
        .filter(|p| (1..=most).contains(p))
        .ok_or(SetupError::Position {
            given: position,
            most,
        })?
        - 1;
    let mut order: Vec<&T> = items.iter().filter(|s| s.id() != id).collect();
    let Some(moving) = items.iter().find(|s| s.id() == id) else {
        return Ok(Vec::new());
    };
    order.insert(index.min(order.len()), moving);
    Ok(order
        .iter()
        .enumerate()
        .filter(|(i, s)| s.position() != *i as i64)
        .map(|(i, s)| (s.id().to_string(), i as i64))
        .collect())
}

/// What is known of a stage, live or deleted, for following forwarding pointers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageLink {
    pub deleted: bool,
    pub moved_to: Option<String>,
}

/// The live stage a deal in `stage_id` belongs in: the stage itself when it is live, else
/// along the deleted stages' `moved_to` pointers to the first live one. A chain that
/// ends nowhere (a pointer to an unknown stage, a deleted stage without a pointer, a
/// cycle left by two teammates deleting each other's target) ends at `fallback`, the
/// book's first live stage. `None` only when `stage_id` is live.
pub fn forward(
    links: &HashMap<String, StageLink>,
    stage_id: &str,
    fallback: &str,
) -> Option<String> {
    let mut at = stage_id;
    let mut hops = 0;
    loop {
        match links.get(at) {
            Some(link) if !link.deleted => {
                return (at != stage_id).then(|| at.to_string());
            }
            Some(StageLink {
                moved_to: Some(next),
                ..
            }) if hops <= links.len() => {
                at = next;
                hops += 1;
            }
            _ => return (fallback != stage_id).then(|| fallback.to_string()),
        }
    }
}

impl Stage {
    /// Finds a stage by case-insensitive name or id; on failure names the valid ones.
    pub fn find<'a>(stages: &'a [Stage], name: &str) -> Result<&'a Stage, String> {
        let wanted = name.trim();
        stages
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(wanted) || s.id == wanted)
            .ok_or_else(|| {
                let names: Vec<&str> = stages.iter().map(|s| s.name.as_str()).collect();
                crate::t!("stage-unknown", name = wanted, stages = names.join(", "))
            })
    }
}

#[cfg(test)]
mod tests;
