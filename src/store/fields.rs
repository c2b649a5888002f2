//! Custom field definitions (`field_defs`) and the values records hold for them
//! (`field_values`); see [`crate::domain::field`].

use std::collections::HashMap;

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row};

use super::{Candidate, Result, StoreError};
use crate::domain::field::{Entity, FieldDef, FieldValue, choices_from_stored, parse_def_id};

const COLUMNS: &str = "id, name, choices, required, position";

/// A definition from its row; `None` for one whose id says no entity and type (which the
/// merge does not let in, and this never writes).
fn from_row(r: &Row<'_>) -> rusqlite::Result<Option<FieldDef>> {
    let id: String = r.get(0)?;
    let Some((entity, kind)) = parse_def_id(&id) else {
        return Ok(None);
    };
    let choices: Option<String> = r.get(2)?;
    Ok(Some(FieldDef {
        id,
        entity,
        kind,
        name: r.get(1)?,
        choices: choices_from_stored(choices.as_deref()),
        required: r.get(3)?,
        position: r.get(4)?,
    }))
}

/// The live fields of one entity (or of all), in order.
pub fn list(conn: &Connection, entity: Option<Entity>) -> Result<Vec<FieldDef>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM field_defs
          WHERE deleted_at IS NULL AND (?1 IS NULL OR entity = ?1)
          ORDER BY CASE entity WHEN 'deal' THEN 0 WHEN 'customer' THEN 1 ELSE 2 END,
                   position, name COLLATE NOCASE, id"
    ))?;
    let rows = stmt.query_map([entity.map(Entity::as_str)], from_row)?;
    let mut out = Vec::new();
    for def in rows {
        out.extend(def?);
    }
    Ok(out)
}

/// Whether a definition exists, and if so whether it is deleted.
pub fn state(conn: &Connection, id: &str) -> Result<Option<bool>> {
    Ok(conn
        .query_row(
            "SELECT deleted_at IS NOT NULL FROM field_defs WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?)
}

/// The position after an entity's last field.
pub fn next_position(conn: &Connection, entity: Entity) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT coalesce(max(position), -1) + 1 FROM field_defs WHERE entity = ?1",
        [entity.as_str()],
        |r| r.get(0),
    )?)
}

/// A live field of `entity` named `name` (any case).
pub fn resolve(conn: &Connection, entity: Entity, name: &str) -> Result<FieldDef> {
    let wanted = name.trim().to_lowercase();
    let mut found: Vec<FieldDef> = list(conn, Some(entity))?
        .into_iter()
        .filter(|d| d.name.to_lowercase() == wanted)
        .collect();
    match found.len() {
        0 => Err(StoreError::NotFound {
            what: format!("{} field", entity.as_str()),
            reference: name.trim().to_string(),
        }),
        1 => Ok(found.remove(0)),
        // Two teammates added the same name with different types at once.
        _ => Err(StoreError::Ambiguous {
            what: format!("{} field", entity.as_str()),
            reference: name.trim().to_string(),
            candidates: found
                .into_iter()
                .map(|d| Candidate {
                    name: format!("{} ({})", d.name, d.kind.shown()),
                    id: d.id,
                })
                .collect(),
        }),
    }
}

/// Whether a record's value row for a field exists (set, cleared or not).
pub fn value_exists(conn: &Connection, value_id: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM field_values WHERE id = ?1)",
        [value_id],
        |r| r.get(0),
    )?)
}

/// A record's values of its live fields, in the fields' order: each field with its value
/// (`None` when the record has none, or one not of the field's form).
pub fn values_of(
    conn: &Connection,
    defs: &[FieldDef],
    record_id: &str,
) -> Result<Vec<(FieldDef, Option<FieldValue>)>> {
    if defs.is_empty() {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare_cached(
        "SELECT field_id, value FROM field_values
          WHERE record_id = ?1 AND value IS NOT NULL AND deleted_at IS NULL",
    )?;
    let stored: HashMap<String, String> = stmt
        .query_map([record_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(defs
        .iter()
        .map(|d| {
            let value = stored.get(&d.id).and_then(|s| d.read(s));
            (d.clone(), value)
        })
        .collect())
}

/// Every value of the given fields, by record: for lists of many records, read at once
/// rather than one query per record.
pub fn values_by_record(
    conn: &Connection,
    defs: &[FieldDef],
) -> Result<HashMap<String, Vec<(usize, FieldValue)>>> {
    let mut out: HashMap<String, Vec<(usize, FieldValue)>> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT record_id, value FROM field_values
          WHERE field_id = ?1 AND value IS NOT NULL AND deleted_at IS NULL",
    )?;
    for (i, def) in defs.iter().enumerate() {
        let rows = stmt.query_map([&def.id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        for row in rows {
            let (record, stored) = row?;
            if let Some(v) = def.read(&stored) {
                out.entry(record).or_default().push((i, v));
            }
        }
    }
    Ok(out)
}

/// A condition on a custom field: records whose value of `field_id` is `stored` (in any
/// case), or for a multi-choice field, whose choices include it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldMatch {
    pub field_id: String,
    pub stored: String,
    pub multi: bool,
}

impl FieldMatch {
    /// `FieldMatch` for a parsed value of `def`; a multi-choice value matches records
    /// holding each of its choices (one match per choice).
    pub fn of(def: &FieldDef, value: &FieldValue) -> Vec<FieldMatch> {
        match value {
            FieldValue::Multi(choices) => choices
                .iter()
                .map(|c| FieldMatch {
                    field_id: def.id.clone(),
                    stored: c.clone(),
                    multi: true,
                })
                .collect(),
            other => vec![FieldMatch {
                field_id: def.id.clone(),
                stored: other.stored(),
                multi: false,
            }],
        }
    }
}

/// SQL that keeps the rows whose id (the expression `id`) matches every condition, with
/// its parameters appended to `params` (numbered from their place there). Each condition
/// is an index probe on `field_values_match`, not a scan of the records' values.
pub(crate) fn match_sql(id: &str, matches: &[FieldMatch], params: &mut Vec<Value>) -> String {
    let mut sql = String::new();
    for m in matches {
        params.push(Value::Text(m.field_id.clone()));
        let field = params.len();
        params.push(Value::Text(m.stored.clone()));
        let value = params.len();
        let test = if m.multi {
            format!("instr(char(10) || v.value || char(10), char(10) || ?{value} || char(10)) > 0")
        } else {
            format!("v.value = ?{value} COLLATE NOCASE")
        };
        sql.push_str(&format!(
            " AND {id} IN (SELECT v.record_id FROM field_values v
                            WHERE v.field_id = ?{field} AND v.value IS NOT NULL
                              AND v.deleted_at IS NULL AND {test})"
        ));
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::field::FieldType;

    #[test]
    fn a_multi_choice_match_is_one_condition_per_choice() {
        let def = FieldDef {
            id: "deal:multichoice:tags".into(),
            entity: Entity::Deal,
            name: "Tags".into(),
            kind: FieldType::MultiChoice,
            choices: vec!["a".into(), "b".into()],
            required: false,
            position: 0,
        };
        let m = FieldMatch::of(&def, &FieldValue::Multi(vec!["a".into(), "b".into()]));
        assert_eq!(m.len(), 2);
        let mut params = vec![Value::Integer(1)];
        let sql = match_sql("d.id", &m, &mut params);
        assert!(sql.contains("?2") && sql.contains("?5"), "{sql}");
        assert_eq!(params.len(), 5);
    }
}
