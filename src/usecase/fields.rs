//! Custom fields: define and delete them (one change each), read the values a user typed
//! for them (`--set NAME=VALUE`, a form) and the conditions of a list (`--where`), and
//! plan the value rows an add or edit of a deal, customer or contact writes with it.

use crate::domain::field::{
    Entity, FieldDef, FieldType, FieldValue, Typing, check_choices, check_name, choices_stored,
    def_id, value_id,
};
use crate::store::fields::{self as stored, FieldMatch};
use crate::store::{Store, StoreError, Table, Undo, Write};

type Result<T> = std::result::Result<T, StoreError>;

/// The custom field values an add or edit sets: each field with its new value, `None`
/// clearing it.
pub type FieldChanges = Vec<(FieldDef, Option<FieldValue>)>;

/// What a new field is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewField {
    pub entity: Entity,
    pub name: String,
    pub kind: FieldType,
    pub choices: Vec<String>,
    pub required: bool,
}

/// Adds a field to the book's deals, customers or contacts (or brings back a deleted one
/// of the same name and type, with the choices and requirement given now). A live field
/// of that name, of any type, is refused.
pub fn add(store: &mut Store, new: &NewField) -> Result<(FieldDef, Undo)> {
    let name = check_name(&new.name).map_err(StoreError::Invalid)?;
    let choices = check_choices(new.kind, &new.choices).map_err(StoreError::Invalid)?;
    let entity = new.entity;
    if let Some(taken) = stored::list(store.conn(), Some(entity))?
        .into_iter()
        .find(|d| d.name.to_lowercase() == name.to_lowercase())
    {
        return Err(StoreError::Invalid(crate::t!(
            "field-exists",
            entity = crate::i18n::noun(entity.as_str()),
            name = taken.name.as_str(),
            kind = taken.kind.shown()
        )));
    }
    let id = def_id(entity, new.kind, &name);
    let position = stored::next_position(store.conn(), entity)?;
    let label = format!("add {} field {name}", entity.as_str());
    let write = match stored::state(store.conn(), &id)? {
        Some(_) => Write::update(Table::FieldDefs, id.clone()).set("deleted_at", None::<i64>),
        None => Write::insert(Table::FieldDefs, id.clone())
            .set("entity", entity.as_str().to_string())
            .set("type", new.kind.as_str().to_string()),
    };
    let write = write
        .set("name", name.clone())
        .set("choices", choices_stored(&choices))
        .set("required", new.required)
        .set("position", position);
    let undo = store.apply(&label, vec![write])?;
    let def = FieldDef {
        id,
        entity,
        name,
        kind: new.kind,
        choices,
        required: new.required,
        position,
    };
    Ok((def, undo))
}

/// Deletes a field. Its values stay in the book (hidden): undoing the delete, or adding
/// the field again with the same type, brings them back.
pub fn delete(store: &mut Store, entity: Entity, name: &str) -> Result<Undo> {
    let def = stored::resolve(store.conn(), entity, name)?;
    let now = store.now_millis();
    store.apply(
        &crate::t!(
            "undo-delete-field",
            entity = crate::i18n::noun(entity.as_str()),
            name = def.name.as_str()
        ),
        vec![Write::update(Table::FieldDefs, def.id).set("deleted_at", now)],
    )
}

/// The error of a value typed for a field: it names the field.
fn bad_value(def: &FieldDef, why: &str) -> StoreError {
    StoreError::Invalid(crate::t!(
        "error-field-value",
        entity = crate::i18n::noun(def.entity.as_str()),
        name = def.name.as_str(),
        why = why
    ))
}

/// Reads one typed value of the field named `name`.
pub fn parse_one(
    store: &Store,
    entity: Entity,
    name: &str,
    text: &str,
    typing: &Typing,
) -> Result<(FieldDef, Option<FieldValue>)> {
    let def = stored::resolve(store.conn(), entity, name)?;
    let value = def
        .parse(text, typing)
        .map_err(|why| bad_value(&def, &why))?;
    Ok((def, value))
}

/// Reads `NAME=VALUE` pairs (an empty value clears the field): every name must be a field
/// of `entity`, each at most once, and every value of its field's type.
pub fn parse_sets(
    store: &Store,
    entity: Entity,
    sets: &[(String, String)],
    typing: &Typing,
) -> Result<FieldChanges> {
    let mut changes: FieldChanges = Vec::with_capacity(sets.len());
    for (name, text) in sets {
        let (def, value) = parse_one(store, entity, name, text, typing)?;
        if changes.iter().any(|(d, _)| d.id == def.id) {
            return Err(bad_value(&def, &crate::t!("error-field-twice")));
        }
        changes.push((def, value));
    }
    Ok(changes)
}

/// Reads `NAME=VALUE` conditions of a list: records whose field holds that value (for a
/// multi-choice field, each of the choices given).
pub fn parse_wheres(
    store: &Store,
    entity: Entity,
    wheres: &[(String, String)],
    typing: &Typing,
) -> Result<Vec<FieldMatch>> {
    let mut out = Vec::new();
    for (name, text) in wheres {
        let (def, value) = parse_one(store, entity, name, text, typing)?;
        let value = value.ok_or_else(|| bad_value(&def, &crate::t!("error-field-give-value")))?;
        out.extend(FieldMatch::of(&def, &value));
    }
    Ok(out)
}

/// Splits `NAME=VALUE` at its first `=`.
pub fn split_assignment(text: &str) -> std::result::Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_string(), value.to_string()))
        }
        _ => Err(format!("'{text}' is not NAME=VALUE")),
    }
}

/// The writes of a record's custom field values, with the record's own. A new record
/// must be given a value for every required field of its kind; an edit cannot clear one.
pub fn plan_values(
    store: &Store,
    entity: Entity,
    record_id: &str,
    changes: &FieldChanges,
    new: bool,
) -> Result<Vec<Write>> {
    let live = stored::list(store.conn(), Some(entity))?;
    if new {
        for def in live.iter().filter(|d| d.required) {
            let given = changes.iter().any(|(d, v)| d.id == def.id && v.is_some());
            if !given {
                return Err(bad_value(def, &crate::t!("error-field-required")));
            }
        }
    }
    let mut writes = Vec::with_capacity(changes.len());
    for (def, value) in changes {
        if def.entity != entity || !live.iter().any(|d| d.id == def.id) {
            return Err(StoreError::NotFound {
                what: format!("{} field", entity.as_str()),
                reference: def.name.clone(),
            });
        }
        if def.required && value.is_none() {
            return Err(bad_value(def, &crate::t!("error-field-cannot-clear")));
        }
        let id = value_id(record_id, &def.id);
        let text = value.as_ref().map(FieldValue::stored);
        if !new && stored::value_exists(store.conn(), &id)? {
            writes.push(
                Write::update(Table::FieldValues, id)
                    .set("value", text)
                    .set("deleted_at", None::<i64>),
            );
        } else if text.is_some() {
            writes.push(
                Write::insert(Table::FieldValues, id)
                    .set("field_id", def.id.clone())
                    .set("record_id", record_id.to_string())
                    .set("value", text),
            );
        }
    }
    Ok(writes)
}

/// The fields of `entity`, for a form or a listing.
pub fn defs(store: &Store, entity: Entity) -> Result<Vec<FieldDef>> {
    stored::list(store.conn(), Some(entity))
}

/// A record's values of its kind's live fields, in order.
pub fn values(
    store: &Store,
    entity: Entity,
    record_id: &str,
) -> Result<Vec<(FieldDef, Option<FieldValue>)>> {
    let defs = defs(store, entity)?;
    stored::values_of(store.conn(), &defs, record_id)
}

#[cfg(test)]
mod tests;
