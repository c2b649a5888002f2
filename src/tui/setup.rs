//! The pipelines, stages and fields settings (`S`): the list it shows, and what its keys
//! do, each change through [`crate::usecase::pipelines`] / [`crate::usecase::stages`] /
//! [`crate::usecase::fields`] with one undo, after which the list opens again with the
//! same row selected.

use super::action::Action;
use super::app::App;
use super::modals::Modal;
use super::modals::confirm::Confirm;
use super::modals::form::{ChoiceWords, Field, Form, Purpose};
use super::modals::picker::Picker;
use super::modals::settings::{Row, Settings, is_member_id};
use crate::domain::field::{Entity, FieldType};
use crate::domain::stage::Stage;
use crate::store::{StoreError, Undo, pipelines, stages};
use crate::t;
use crate::usecase;

/// The form of a new custom field: name, type, its choices, whether it is required.
fn field_form(entity: Entity) -> Form {
    let types = FieldType::ALL
        .iter()
        .map(|t| t.label().to_string())
        .collect();
    Form::new(
        t!(
            "form-title-add-field",
            entity = crate::i18n::noun(entity.as_str())
        ),
        Purpose::AddField(entity),
        vec![
            Field::text("name", t!("form-label-name"), ""),
            Field::choice("type", t!("form-label-type"), types, "text")
                .with_hint(&t!("form-hint-choose"))
                .with_display(ChoiceWords::FieldType),
            Field::text("choices", t!("form-label-choices"), "")
                .with_hint(&t!("form-hint-choices")),
            Field::choice(
                "required",
                t!("form-label-required"),
                vec!["no".to_string(), "yes".to_string()],
                "no",
            )
            .with_display(ChoiceWords::YesNo)
            .with_hint(&t!("form-hint-required")),
        ],
    )
}

/// The form of a stage: name, win probability, rotting days.
pub fn stage_form(
    title: String,
    purpose: Purpose,
    name: &str,
    probability: i64,
    rot_days: i64,
) -> Form {
    Form::new(
        title,
        purpose,
        vec![
            Field::text("name", t!("form-label-name"), name),
            Field::text(
                "probability",
                t!("form-label-win-percent"),
                probability.to_string(),
            )
            .with_hint(&t!("form-hint-win-percent")),
            Field::text(
                "rot_days",
                t!("form-label-rots-after"),
                rot_days.to_string(),
            )
            .with_hint(&t!("form-hint-rots-after")),
        ],
    )
}

fn pipeline_form(title: String, purpose: Purpose, name: &str) -> Form {
    Form::new(
        title,
        purpose,
        vec![Field::text("name", t!("form-label-name"), name)],
    )
}

/// A whole number typed in a form field, or the error to show at it.
/// A whole-number field checked by the domain's `rule` for it, the error under the field.
fn number(
    form: &mut Form,
    key: &str,
    rule: fn(i64) -> Result<i64, crate::domain::stage::SetupError>,
) -> Option<i64> {
    let checked = match form.value(key).trim().parse::<i64>() {
        Ok(n) => rule(n).map_err(|e| e.to_string()),
        Err(_) => Err(t!("form-error-whole-number")),
    };
    match checked {
        Ok(n) => Some(n),
        Err(why) => {
            form.set_error(key, why);
            None
        }
    }
}

/// A stage form's win % and rotting days, each checked at its field.
fn stage_numbers(form: &mut Form) -> Option<(i64, i64)> {
    use crate::domain::stage::{check_probability, check_rot_days};
    let probability = number(form, "probability", check_probability);
    let rot_days = number(form, "rot_days", check_rot_days);
    Some((probability?, rot_days?))
}

/// A new field as its form says, each refusal under its field.
fn field_of_form(form: &mut Form, entity: Entity) -> Option<usecase::fields::NewField> {
    use crate::domain::field::{check_choices, check_name};
    let name = check_name(form.value("name"));
    let kind = form.value("type").parse::<FieldType>();
    let choices: Vec<String> = form
        .value("choices")
        .split(',')
        .map(str::to_string)
        .collect();
    let checked = kind.as_ref().ok().map(|k| check_choices(*k, &choices));
    if let Err(why) = &name {
        form.set_error("name", why.clone());
    }
    if let Err(why) = &kind {
        form.set_error("type", why.clone());
    }
    if let Some(Err(why)) = &checked {
        form.set_error("choices", why.clone());
    }
    let (Ok(name), Ok(kind), Some(Ok(choices))) = (name, kind, checked) else {
        return None;
    };
    Some(usecase::fields::NewField {
        entity,
        name,
        kind,
        choices,
        required: form.value("required") == "yes",
    })
}

impl App {
    /// Every pipeline with its stages, then the custom fields, for the settings list.
    fn settings_rows(&self) -> Result<Vec<Row>, StoreError> {
        let counts = stages::open_counts(self.store.conn())?;
        self.rows_counting(|stage| Ok(counts.get(&stage.id).copied().unwrap_or(0)))
    }

    /// The settings rows, a stage's open deals counted by `count` (a pipeline's are its
    /// stages').
    fn rows_counting(
        &self,
        count: impl Fn(&Stage) -> Result<usize, StoreError>,
    ) -> Result<Vec<Row>, StoreError> {
        let conn = self.store.conn();
        let mut rows = Vec::new();
        for pipeline in pipelines::list(conn)? {
            let own = stages::list_in(conn, &pipeline.id)?;
            let open = own.iter().map(&count).collect::<Result<Vec<_>, _>>()?;
            rows.push(Row::Pipeline {
                pipeline,
                open: open.iter().sum(),
            });
            for (index, (stage, open)) in own.into_iter().zip(open).enumerate() {
                rows.push(Row::Stage { stage, index, open });
            }
        }
        for entity in Entity::ALL {
            rows.push(Row::fields(entity));
            rows.extend(
                crate::store::fields::list(conn, Some(entity))?
                    .into_iter()
                    .map(Row::Field),
            );
        }
        rows.extend(self.member_rows()?);
        Ok(rows)
    }

    pub(super) fn open_settings(&mut self, keep: Option<&str>) -> Result<(), StoreError> {
        self.under_settings = None;
        self.modal = Some(Modal::Settings(Settings::new(self.settings_rows()?, keep)));
        Ok(())
    }

    /// The row of `id`, read again: the list may be older than the book. Only that
    /// row's open deals are counted.
    fn row(&self, id: &str) -> Result<Row, StoreError> {
        let conn = self.store.conn();
        self.rows_counting(|stage| {
            if stage.id == id || stage.pipeline_id == id {
                Ok(stages::open_count(conn, &stage.id)?)
            } else {
                Ok(0)
            }
        })?
        .into_iter()
        .find(|r| r.id() == id)
        .ok_or_else(|| StoreError::NotFound {
            what: "pipeline or stage".into(),
            reference: id.to_string(),
        })
    }

    /// After a change: remember its undo, say so, reload the board, and show the list.
    fn setup_done(&mut self, undo: Undo, said: String, keep: &str) -> Result<(), StoreError> {
        self.remember(undo);
        self.say(said);
        self.reload_all(None)?;
        self.open_settings(Some(keep))
    }

    /// What the settings' keys and forms asked for.
    pub(super) fn settings_action(&mut self, action: Action) -> Result<Option<Action>, StoreError> {
        // A form, question or choice this opens goes back to the settings, on the same
        // line, when cancelled.
        let line = match &action {
            Action::SettingsAdd(id) | Action::SettingsEdit(id) | Action::SettingsDelete(id) => {
                Some(Some(id.clone()))
            }
            Action::SettingsAddPipeline => Some(None),
            _ => None,
        };
        let next = self.settings_action_on(action)?;
        if let Some(line) = line
            && matches!(
                self.modal,
                Some(Modal::Form(_) | Modal::Confirm(_) | Modal::Picker(_))
            )
        {
            self.under_settings = Some(line);
        }
        Ok(next)
    }

    fn settings_action_on(&mut self, action: Action) -> Result<Option<Action>, StoreError> {
        // The Members section's lines are the team's logins, managed on its hub.
        match &action {
            Action::SettingsAdd(id) | Action::SettingsEdit(id) | Action::SettingsDelete(id)
                if is_member_id(id) =>
            {
                return self.member_key(action);
            }
            Action::SettingsMove { id, .. } if is_member_id(id) => return Ok(None),
            _ => {}
        }
        match action {
            Action::OpenSettings(keep) => self.open_settings(keep.as_deref())?,
            Action::SettingsAddPipeline => {
                self.modal = Some(Modal::Form(pipeline_form(
                    t!("form-title-add-pipeline"),
                    Purpose::AddPipeline,
                    "",
                )));
            }
            Action::SettingsAdd(id) => {
                let (pipeline_id, after) = match self.row(&id)? {
                    // The Members section's keys go to `member_key` first.
                    Row::Members | Row::Member { .. } | Row::Note { .. } => return Ok(None),
                    Row::Pipeline { pipeline, .. } => (pipeline.id, None),
                    Row::Stage { stage, .. } => (stage.pipeline_id.clone(), Some(stage.id)),
                    Row::Fields { entity, .. } => {
                        self.modal = Some(Modal::Form(field_form(entity)));
                        return Ok(None);
                    }
                    Row::Field(def) => {
                        self.modal = Some(Modal::Form(field_form(def.entity)));
                        return Ok(None);
                    }
                };
                let pipeline = pipelines::get(self.store.conn(), &pipeline_id)?;
                self.modal = Some(Modal::Form(stage_form(
                    t!("form-title-add-stage", pipeline = pipeline.name.as_str()),
                    Purpose::AddStage { pipeline_id, after },
                    "",
                    0,
                    crate::domain::stage::DEFAULT_ROT_DAYS,
                )));
            }
            Action::SettingsEdit(id) => {
                self.modal = Some(Modal::Form(match self.row(&id)? {
                    // The Members section's keys go to `member_key` first.
                    Row::Members | Row::Member { .. } | Row::Note { .. } => return Ok(None),
                    Row::Fields { .. } | Row::Field(_) => {
                        self.open_settings(Some(&id))?;
                        return Ok(Some(Action::Fail(t!("settings-field-keeps-type"))));
                    }
                    Row::Pipeline { pipeline, .. } => pipeline_form(
                        t!("form-title-rename-pipeline", name = pipeline.name.as_str()),
                        Purpose::RenamePipeline(pipeline.id.clone()),
                        &pipeline.name,
                    ),
                    Row::Stage { stage, .. } => stage_form(
                        t!("form-title-edit-stage", name = stage.name.as_str()),
                        Purpose::EditStage(stage.id.clone()),
                        &stage.name,
                        stage.probability,
                        stage.rot_days,
                    ),
                }));
            }
            Action::SettingsMove { id, up } => {
                let undo = match self.row(&id)? {
                    // The Members section's keys go to `member_key` first.
                    Row::Members | Row::Member { .. } | Row::Note { .. } => return Ok(None),
                    Row::Fields { .. } | Row::Field(_) => {
                        self.open_settings(Some(&id))?;
                        return Ok(None);
                    }
                    Row::Pipeline { pipeline, .. } => {
                        let at = pipelines::list(self.store.conn())?
                            .iter()
                            .position(|p| p.id == pipeline.id)
                            .unwrap_or(0) as i64;
                        let to = if up { at } else { at + 2 };
                        if to < 1 {
                            self.open_settings(Some(&id))?;
                            return Ok(None);
                        }
                        usecase::pipelines::reorder(&mut self.store, &pipeline, to)
                    }
                    Row::Stage { stage, index, .. } => {
                        let to = if up { index as i64 } else { index as i64 + 2 };
                        if to < 1 {
                            self.open_settings(Some(&id))?;
                            return Ok(None);
                        }
                        let patch = usecase::stages::StagePatch {
                            position: Some(to),
                            ..Default::default()
                        };
                        usecase::stages::edit(&mut self.store, &stage, &patch)
                    }
                };
                match undo {
                    Ok(undo) => self.setup_done(undo, t!("said-moved-setting"), &id)?,
                    // Already first or last.
                    Err(StoreError::Invalid(_)) => self.open_settings(Some(&id))?,
                    Err(e) => return Err(e),
                }
            }
            Action::SettingsDelete(id) => self.ask_delete(&id)?,
            Action::SettingsUndo(keep) => {
                self.undo_last()?;
                self.open_settings(Some(&keep))?;
            }
            Action::DeleteField(id) => {
                let Row::Field(def) = self.row(&id)? else {
                    return Ok(None);
                };
                let undo = usecase::fields::delete(&mut self.store, def.entity, &def.name)?;
                let said = t!(
                    "said-field-deleted",
                    entity = crate::i18n::noun(def.entity.as_str()),
                    name = def.name.as_str()
                );
                self.setup_done(undo, said, &format!("fields:{}", def.entity.as_str()))?;
            }
            Action::DeleteStage { id, move_to } => {
                let Row::Stage { stage, .. } = self.row(&id)? else {
                    return Ok(None);
                };
                let target = move_to
                    .map(|t| stages::resolve(self.store.conn(), &t, None))
                    .transpose()?;
                let keep = stage.pipeline_id.clone();
                match usecase::stages::delete(&mut self.store, &stage, target.as_ref()) {
                    Ok((moved, undo)) => {
                        let said = match &target {
                            Some(t) if moved > 0 => t!(
                                "said-deleted-stage-moved",
                                name = stage.name.as_str(),
                                count = moved,
                                target = t.name.as_str()
                            ),
                            _ => t!("said-deleted-stage", name = stage.name.as_str()),
                        };
                        self.setup_done(undo, said, &keep)?;
                    }
                    Err(e @ StoreError::Invalid(_)) => {
                        self.open_settings(Some(&id))?;
                        return Ok(Some(Action::Fail(e.to_string())));
                    }
                    Err(e) => return Err(e),
                }
            }
            Action::DeletePipeline { id, move_to } => {
                let pipeline = pipelines::get(self.store.conn(), &id)?;
                let target = move_to
                    .map(|t| pipelines::get(self.store.conn(), &t))
                    .transpose()?;
                match usecase::pipelines::delete(&mut self.store, &pipeline, target.as_ref()) {
                    Ok((moved, undo)) => {
                        let said = match &target {
                            Some(t) if moved > 0 => t!(
                                "said-deleted-pipeline-moved",
                                name = pipeline.name.as_str(),
                                count = moved,
                                target = t.name.as_str()
                            ),
                            _ => t!("said-deleted-pipeline", name = pipeline.name.as_str()),
                        };
                        let keep = target.map(|t| t.id).unwrap_or_default();
                        self.setup_done(undo, said, &keep)?;
                    }
                    Err(e @ StoreError::Invalid(_)) => {
                        self.open_settings(Some(&id))?;
                        return Ok(Some(Action::Fail(e.to_string())));
                    }
                    Err(e) => return Err(e),
                }
            }
            _ => {}
        }
        Ok(None)
    }

    /// `D` in the settings: a stage or pipeline with open deals asks where they go; one
    /// without asks to confirm. The last stage of a pipeline, or the last pipeline, is
    /// kept (the use case says why).
    fn ask_delete(&mut self, id: &str) -> Result<(), StoreError> {
        let conn = self.store.conn();
        match self.row(id)? {
            Row::Members | Row::Member { .. } | Row::Note { .. } => {}
            Row::Stage { stage, open, .. } => {
                let others: Vec<_> = stages::list_in(conn, &stage.pipeline_id)?
                    .into_iter()
                    .filter(|s| s.id != stage.id)
                    .collect();
                self.modal = Some(if open > 0 && !others.is_empty() {
                    Modal::Picker(Picker::delete_target(
                        t!(
                            "picker-delete-where",
                            name = stage.name.as_str(),
                            count = open
                        ),
                        others
                            .iter()
                            .map(|s| (s.id.clone(), s.name.clone()))
                            .collect(),
                        stage.id.clone(),
                        false,
                    ))
                } else {
                    Modal::Confirm(Confirm::new(
                        t!("confirm-delete-stage-title"),
                        t!("confirm-delete-stage", name = stage.name.as_str()),
                        Action::DeleteStage {
                            id: stage.id.clone(),
                            move_to: None,
                        },
                    ))
                });
            }
            Row::Fields { .. } => {}
            Row::Field(def) => {
                self.modal = Some(Modal::Confirm(Confirm::new(
                    t!("confirm-delete-field-title"),
                    t!(
                        "confirm-delete-field",
                        entity = crate::i18n::noun(def.entity.as_str()),
                        name = def.name.as_str()
                    ),
                    Action::DeleteField(def.id.clone()),
                )));
            }
            Row::Pipeline { pipeline, open } => {
                let others: Vec<_> = pipelines::list(conn)?
                    .into_iter()
                    .filter(|p| p.id != pipeline.id)
                    .collect();
                self.modal = Some(if open > 0 && !others.is_empty() {
                    Modal::Picker(Picker::delete_target(
                        t!(
                            "picker-delete-where",
                            name = pipeline.name.as_str(),
                            count = open
                        ),
                        others
                            .iter()
                            .map(|p| (p.id.clone(), p.name.clone()))
                            .collect(),
                        pipeline.id.clone(),
                        true,
                    ))
                } else {
                    Modal::Confirm(Confirm::new(
                        t!("confirm-delete-pipeline-title"),
                        t!("confirm-delete-pipeline", name = pipeline.name.as_str()),
                        Action::DeletePipeline {
                            id: pipeline.id.clone(),
                            move_to: None,
                        },
                    ))
                });
            }
        }
        Ok(())
    }

    /// Saves a settings form: a new stage or pipeline, or changes to one.
    pub(super) fn save_setup(&mut self, form: &mut Form) -> Result<Option<Action>, StoreError> {
        let name = form.value("name").trim().to_string();
        let (undo, said, keep) = match form.purpose.clone() {
            Purpose::AddField(entity) => {
                let Some(new) = field_of_form(form, entity) else {
                    return Ok(None);
                };
                match usecase::fields::add(&mut self.store, &new) {
                    Ok((def, undo)) => (
                        undo,
                        t!(
                            "cli-field-added",
                            entity = crate::i18n::noun(entity.as_str()),
                            name = def.name.as_str(),
                            kind = def.kind.shown()
                        ),
                        def.id,
                    ),
                    Err(StoreError::Invalid(why)) => {
                        form.set_error("name", why);
                        return Ok(None);
                    }
                    Err(e) => return Err(e),
                }
            }
            Purpose::AddPipeline => {
                let (id, undo) = usecase::pipelines::add(&mut self.store, &name)?;
                (undo, t!("said-added-pipeline", name = name.as_str()), id)
            }
            Purpose::RenamePipeline(id) => {
                let pipeline = pipelines::get(self.store.conn(), &id)?;
                let undo = usecase::pipelines::rename(&mut self.store, &pipeline, &name)?;
                (undo, t!("said-renamed-pipeline", name = name.as_str()), id)
            }
            Purpose::AddStage { pipeline_id, after } => {
                let Some((probability, rot_days)) = stage_numbers(form) else {
                    return Ok(None);
                };
                let pipeline = pipelines::get(self.store.conn(), &pipeline_id)?;
                let new = usecase::stages::NewStage {
                    name: name.clone(),
                    probability: Some(probability),
                    rot_days: Some(rot_days),
                    after,
                };
                let (id, undo) = usecase::stages::add(&mut self.store, &pipeline, &new)?;
                (undo, t!("said-added-stage", name = name.as_str()), id)
            }
            Purpose::EditStage(id) => {
                let Some((probability, rot_days)) = stage_numbers(form) else {
                    return Ok(None);
                };
                let Row::Stage { stage, .. } = self.row(&id)? else {
                    return Ok(None);
                };
                let patch = usecase::stages::StagePatch {
                    name: Some(name.clone()).filter(|n| *n != stage.name),
                    probability: Some(probability).filter(|p| *p != stage.probability),
                    rot_days: Some(rot_days).filter(|d| *d != stage.rot_days),
                    position: None,
                };
                if patch == usecase::stages::StagePatch::default() {
                    return Ok(Some(Action::OpenSettings(Some(id))));
                }
                let undo = usecase::stages::edit(&mut self.store, &stage, &patch)?;
                (undo, t!("said-saved-stage", name = name.as_str()), id)
            }
            _ => return Ok(None),
        };
        self.setup_done(undo, said, &keep)?;
        // The list is open again: nothing more to do.
        Ok(None)
    }
}
