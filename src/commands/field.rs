//! `salesdesk field …`, and the custom field values of the other commands: `--set`,
//! `--where`, the `"fields"` of `--json` and the lines of `show`.

use crate::t;
use std::collections::HashMap;

use anyhow::{Context, Result, anyhow};
use serde_json::{Map, Value, json};

use super::output::{Table, WIDTH, clean, print_json};
use super::{Ctx, Exit};
use crate::cli::FieldCmd;
use crate::domain::field::{Entity, FieldDef, FieldType, FieldValue, Typing};
use crate::store::fields::{self as stored, FieldMatch};
use crate::usecase::fields::{self as fields, FieldChanges, NewField, split_assignment};

fn entity(text: &str) -> Result<Entity> {
    text.parse::<Entity>().map_err(|e| anyhow!(e))
}

/// How values typed on this command line are read.
pub fn typing(ctx: &Ctx) -> Typing {
    Typing {
        today: ctx.now().date_naive(),
        currency: ctx.settings.default_currency.clone(),
        decimal: ctx.settings.decimal(),
    }
}

fn pairs(flag: &str, given: &[String]) -> Result<Vec<(String, String)>> {
    given
        .iter()
        .map(|g| split_assignment(g).map_err(|e| anyhow!("--{flag}: {e}")))
        .collect()
}

/// The values of `--set NAME=VALUE …` for a record of `entity`.
pub fn sets(ctx: &Ctx, entity: Entity, given: &[String]) -> Result<FieldChanges> {
    if given.is_empty() {
        return Ok(FieldChanges::new());
    }
    let pairs = pairs("set", given)?;
    fields::parse_sets(&ctx.store, entity, &pairs, &typing(ctx)).context("--set")
}

/// The conditions of `--where NAME=VALUE …` on a list of `entity`.
pub fn wheres(ctx: &Ctx, entity: Entity, given: &[String]) -> Result<Vec<FieldMatch>> {
    if given.is_empty() {
        return Ok(Vec::new());
    }
    let pairs = pairs("where", given)?;
    fields::parse_wheres(&ctx.store, entity, &pairs, &typing(ctx)).context("--where")
}

/// A value as JSON, in its natural type: a number, a string, a bool, an array of choices,
/// a date as an ISO string, money as the built-in amount is (`amount`, `amount_minor`,
/// `currency`).
pub fn value_json(value: &FieldValue) -> Value {
    match value {
        FieldValue::Text(t) | FieldValue::Choice(t) => json!(t),
        FieldValue::Number(n) => {
            serde_json::from_str::<serde_json::Number>(n).map_or_else(|_| json!(n), Value::Number)
        }
        FieldValue::Money(m) => json!({
            "amount": m.decimal_string(),
            "amount_minor": m.minor,
            "currency": m.currency.code(),
        }),
        FieldValue::Date(d) => json!(d.format("%Y-%m-%d").to_string()),
        FieldValue::YesNo(b) => json!(b),
        FieldValue::Multi(cs) => json!(cs),
    }
}

/// `{"NAME": VALUE, …}`: every live field, `null` where the record has no value.
pub fn values_json(values: &[(FieldDef, Option<FieldValue>)]) -> Value {
    let mut map = Map::new();
    for (def, value) in values {
        map.insert(
            def.name.clone(),
            value.as_ref().map_or(Value::Null, value_json),
        );
    }
    Value::Object(map)
}

/// The values of many records of one kind, read at once, for a list's `--json`.
pub struct Listing {
    defs: Vec<FieldDef>,
    values: HashMap<String, Vec<(usize, FieldValue)>>,
}

impl Listing {
    pub fn read(ctx: &Ctx, entity: Entity) -> Result<Listing> {
        let defs = stored::list(ctx.store.conn(), Some(entity))?;
        let values = if defs.is_empty() {
            HashMap::new()
        } else {
            stored::values_by_record(ctx.store.conn(), &defs)?
        };
        Ok(Listing { defs, values })
    }

    /// A record's `"fields"` object.
    pub fn json(&self, record_id: &str) -> Value {
        let mut values: Vec<(FieldDef, Option<FieldValue>)> =
            self.defs.iter().map(|d| (d.clone(), None)).collect();
        if let Some(held) = self.values.get(record_id) {
            for (i, v) in held {
                values[*i].1 = Some(v.clone());
            }
        }
        values_json(&values)
    }
}

/// A record's `"fields"` object, read on its own.
pub fn record_json(ctx: &Ctx, entity: Entity, record_id: &str) -> Result<Value> {
    Ok(values_json(&fields::values(&ctx.store, entity, record_id)?))
}

/// Adds `"fields"` to a record's JSON object.
pub fn with_fields(mut object: Value, fields: Value) -> Value {
    if let Value::Object(map) = &mut object {
        map.insert("fields".into(), fields);
    }
    object
}

/// `show`'s lines of a record's values, as its other fields are shown (the unset ones
/// left out).
pub fn print_values(ctx: &Ctx, entity: Entity, record_id: &str, width: usize) -> Result<()> {
    for (def, value) in fields::values(&ctx.store, entity, record_id)? {
        if let Some(v) = value {
            outln!("  {:<width$} {}", clean(&def.name), clean(&v.display()));
        }
    }
    Ok(())
}

fn def_json(def: &FieldDef) -> Value {
    json!({
        "entity": def.entity.as_str(),
        "name": def.name,
        "type": def.kind.label(),
        "choices": def.choices,
        "required": def.required,
        "position": def.position,
    })
}

fn print_defs(ctx: &Ctx, entity: Option<Entity>) -> Result<()> {
    let defs = stored::list(ctx.store.conn(), entity)?;
    if ctx.json {
        return print_json(&Value::Array(defs.iter().map(def_json).collect()));
    }
    if defs.is_empty() {
        outln!("{}", t!("cli-no-fields"));
        return Ok(());
    }
    let mut t = Table::new(&[
        t!("column-for"),
        super::output::flex(t!("column-name")),
        t!("column-type"),
        t!("column-required"),
        super::output::flex(t!("column-choices")),
    ]);
    for d in &defs {
        t.row(vec![
            crate::i18n::noun(d.entity.as_str()),
            d.name.clone(),
            d.kind.shown(),
            if d.required { t!("yes") } else { String::new() },
            d.choices.join(", "),
        ]);
    }
    out!("{}", t.render(WIDTH));
    Ok(())
}

pub fn run(cmd: FieldCmd, ctx: &mut Ctx) -> Result<Exit> {
    match cmd {
        FieldCmd::List { entity: e } => {
            let e = e.as_deref().map(entity).transpose()?;
            print_defs(ctx, e)?;
        }
        FieldCmd::Add {
            entity: e,
            name,
            kind,
            choices,
            required,
        } => {
            let kind: FieldType = kind.parse().map_err(|e: String| anyhow!("--type: {e}"))?;
            let new = NewField {
                entity: entity(&e)?,
                name,
                kind,
                choices: choices
                    .map(|c| c.split(',').map(str::to_string).collect())
                    .unwrap_or_default(),
                required,
            };
            let (def, _) = fields::add(&mut ctx.store, &new)?;
            if ctx.json {
                print_json(&def_json(&def))?;
            } else {
                let kind = if def.required {
                    t!("field-kind-required", kind = def.kind.shown())
                } else {
                    def.kind.shown()
                };
                outln!(
                    "{}",
                    t!(
                        "cli-field-added",
                        entity = crate::i18n::noun(def.entity.as_str()),
                        name = clean(&def.name),
                        kind = kind
                    )
                );
            }
        }
        FieldCmd::Delete { entity: e, name } => {
            let e = entity(&e)?;
            fields::delete(&mut ctx.store, e, &name)?;
            if ctx.json {
                print_defs(ctx, Some(e))?;
            } else {
                outln!(
                    "{}",
                    t!(
                        "cli-field-deleted",
                        entity = crate::i18n::noun(e.as_str()),
                        name = clean(name.trim())
                    )
                );
            }
        }
    }
    Ok(0)
}
