//! What a stored row may hold, field by field: the storage type, whether it may be NULL,
//! its size, its allowed words (stages, statuses, kinds …), its range (amounts, instants,
//! dates) and which table an id must name. The team-file merge checks every incoming row
//! against this before anything of it is written ([`crate::store::merge`]); the local
//! write path checks sizes against the same numbers, so nothing saved here is refused
//! by a teammate.
//!
//! The checks are our own code, not the file's: a team file can drop its CHECK
//! constraints, change column types or hold values no SalesDesk writes.

use rusqlite::types::Value;

use super::Table;
use crate::domain::limits::{
    MAX_LONG_TEXT_BYTES, MAX_SHORT_TEXT_BYTES, check_amount, check_date, check_id, check_instant,
    check_text,
};

/// What one field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One line of text (names, titles, emails …).
    Short,
    /// Free text (notes, bodies …).
    Long,
    /// One of a fixed list of words.
    Word(&'static [&'static str]),
    /// An id of a row of this table (checked to exist by the merge).
    Ref(Table),
    /// An id that names nothing checked here (an owner, a stage in history).
    Id,
    Instant,
    Date,
    Amount,
    Currency,
    /// An integer in a range.
    Int(i64, i64),
    /// 0 or 1.
    Flag,
    /// A finite number (a card's place in its column).
    Number,
}

/// A field's rule: what it holds, and whether it must hold something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub kind: Kind,
    pub required: bool,
}

const fn req(kind: Kind) -> Rule {
    Rule {
        kind,
        required: true,
    }
}

const fn opt(kind: Kind) -> Rule {
    Rule {
        kind,
        required: false,
    }
}

const TIERS: &[&str] = &["key", "normal", "low"];
const CUSTOMER_STATUSES: &[&str] = &["prospect", "active", "at_risk", "churned"];
const CUSTOMER_KINDS: &[&str] = &["company", "person"];
const DEAL_STATUSES: &[&str] = &["open", "won", "lost"];
const BOOK_LISTS: &[&str] = &["lost_reason", "source"];
const FIELD_ENTITIES: &[&str] = &["deal", "customer", "contact"];
const FIELD_TYPES: &[&str] = &[
    "text",
    "number",
    "money",
    "date",
    "yesno",
    "choice",
    "multichoice",
];
const ACTIVITY_KINDS: &[&str] = &[
    "call",
    "email",
    "meeting",
    "visit",
    "task",
    "note",
    "complaint",
    "service",
];

use crate::domain::stage::MAX_ROT_DAYS;

/// The rule of each field of `table`, in [`Table::fields`] order.
pub fn rules(table: Table) -> &'static [Rule] {
    use Kind::*;
    match table {
        Table::Members => {
            const {
                &[
                    req(Short),
                    opt(Short),
                    req(Instant),
                    req(Instant),
                    opt(Instant),
                ]
            }
        }
        Table::Pipelines => {
            const {
                &[
                    req(Short),
                    req(Int(i64::MIN / 2, i64::MAX / 2)),
                    req(Instant),
                    req(Instant),
                    opt(Instant),
                ]
            }
        }
        Table::Stages => {
            const {
                &[
                    req(Short),
                    req(Int(i64::MIN / 2, i64::MAX / 2)),
                    req(Int(0, 100)),
                    req(Int(0, MAX_ROT_DAYS)),
                    req(Instant),
                    req(Instant),
                    opt(Instant),
                    req(Ref(Table::Pipelines)),
                    // A stage id, not checked to exist: a chain of deletes may name one
                    // that is gone, and the deals it forwards then go to the first stage.
                    opt(Id),
                ]
            }
        }
        Table::Customers => {
            const {
                &[
                    req(Short),
                    req(Word(CUSTOMER_KINDS)),
                    opt(Short),
                    opt(Short),
                    req(Word(TIERS)),
                    req(Word(CUSTOMER_STATUSES)),
                    opt(Id),
                    opt(Int(1, 5)),
                    opt(Short),
                    opt(Short),
                    opt(Long),
                    req(Instant),
                    req(Instant),
                    opt(Instant),
                ]
            }
        }
        Table::Contacts => {
            const {
                &[
                    req(Ref(Table::Customers)),
                    req(Short),
                    opt(Short),
                    opt(Short),
                    opt(Short),
                    req(Flag),
                    opt(Long),
                    req(Instant),
                    req(Instant),
                    opt(Instant),
                ]
            }
        }
        Table::CustomerTags => {
            const {
                &[
                    req(Ref(Table::Customers)),
                    req(Short),
                    req(Instant),
                    req(Instant),
                    opt(Instant),
                ]
            }
        }
        Table::Deals => {
            const {
                &[
                    req(Short),
                    req(Ref(Table::Customers)),
                    opt(Ref(Table::Contacts)),
                    req(Ref(Table::Stages)),
                    req(Word(DEAL_STATUSES)),
                    req(Amount),
                    req(Currency),
                    opt(Date),
                    opt(Short),
                    opt(Id),
                    opt(Long),
                    opt(Instant),
                    req(Number),
                    opt(Long),
                    req(Instant),
                    req(Instant),
                    opt(Instant),
                ]
            }
        }
        Table::StageChanges => {
            const {
                &[
                    req(Ref(Table::Deals)),
                    opt(Id),
                    req(Id),
                    opt(Word(DEAL_STATUSES)),
                    req(Word(DEAL_STATUSES)),
                    req(Instant),
                    opt(Id),
                    opt(Instant),
                ]
            }
        }
        Table::Activities => {
            const {
                &[
                    req(Word(ACTIVITY_KINDS)),
                    req(Short),
                    opt(Long),
                    opt(Ref(Table::Deals)),
                    opt(Ref(Table::Customers)),
                    opt(Ref(Table::Contacts)),
                    opt(Instant),
                    opt(Instant),
                    opt(Long),
                    opt(Id),
                    req(Instant),
                    req(Instant),
                    opt(Instant),
                ]
            }
        }
        Table::ListItems => {
            const {
                &[
                    req(Word(BOOK_LISTS)),
                    req(Short),
                    req(Int(i64::MIN / 2, i64::MAX / 2)),
                    req(Instant),
                    req(Instant),
                    opt(Instant),
                ]
            }
        }
        // How a definition's id, name and choices fit together, and what a value holds
        // for its field's type, is checked by the merge's screen (`custom_field`).
        Table::FieldDefs => {
            const {
                &[
                    req(Word(FIELD_ENTITIES)),
                    req(Short),
                    req(Word(FIELD_TYPES)),
                    opt(Long),
                    req(Flag),
                    req(Int(i64::MIN / 2, i64::MAX / 2)),
                    req(Instant),
                    req(Instant),
                    opt(Instant),
                ]
            }
        }
        Table::FieldValues => {
            const {
                &[
                    req(Ref(Table::FieldDefs)),
                    req(Id),
                    opt(Short),
                    req(Instant),
                    req(Instant),
                    opt(Instant),
                ]
            }
        }
    }
}

/// The rule of one field, by name.
pub fn rule(table: Table, field: &str) -> Option<Rule> {
    let i = table.fields().iter().position(|f| *f == field)?;
    rules(table).get(i).copied()
}

/// The largest number of bytes a text field of this kind holds, if it is text.
pub fn max_bytes(kind: Kind) -> Option<usize> {
    match kind {
        Kind::Short | Kind::Word(_) | Kind::Ref(_) | Kind::Id | Kind::Date | Kind::Currency => {
            Some(MAX_SHORT_TEXT_BYTES)
        }
        Kind::Long => Some(MAX_LONG_TEXT_BYTES),
        _ => None,
    }
}

/// Checks one value against its rule. References are only checked to be ids here; that
/// they name a row is the merge's to check, as it knows what arrives with them.
pub fn check_value(rule: Rule, value: &Value) -> Result<(), String> {
    // Borrowed, not cloned: every value of every local write passes here.
    fn text(v: &Value) -> Result<&str, String> {
        match v {
            Value::Text(t) => Ok(t),
            other => Err(crate::t!("check-not-text", found = type_name(other))),
        }
    }
    let int = |v: &Value| match v {
        Value::Integer(n) => Ok(*n),
        other => Err(crate::t!("check-not-whole", found = type_name(other))),
    };
    if matches!(value, Value::Null) {
        return if rule.required {
            Err(crate::t!("check-required"))
        } else {
            Ok(())
        };
    }
    match rule.kind {
        Kind::Short => check_text(text(value)?, MAX_SHORT_TEXT_BYTES),
        Kind::Long => check_text(text(value)?, MAX_LONG_TEXT_BYTES),
        Kind::Word(words) => {
            let t = text(value)?;
            if words.contains(&t) {
                Ok(())
            } else {
                Err(crate::t!("check-not-one-of", words = words.join(", ")))
            }
        }
        Kind::Ref(_) | Kind::Id => check_id(text(value)?),
        Kind::Instant => check_instant(int(value)?),
        Kind::Date => check_date(text(value)?),
        Kind::Amount => check_amount(int(value)?),
        Kind::Currency => {
            let t = text(value)?;
            if t.len() == 3 && t.bytes().all(|b| b.is_ascii_uppercase()) {
                Ok(())
            } else {
                Err(crate::t!("check-currency"))
            }
        }
        Kind::Int(lo, hi) => {
            let n = int(value)?;
            if (lo..=hi).contains(&n) {
                Ok(())
            } else {
                Err(crate::t!(
                    "check-outside",
                    value = n.to_string(),
                    lo = lo.to_string(),
                    hi = hi.to_string()
                ))
            }
        }
        Kind::Flag => match int(value)? {
            0 | 1 => Ok(()),
            n => Err(crate::t!("check-flag", value = n.to_string())),
        },
        Kind::Number => match value {
            Value::Real(x) if x.is_finite() => Ok(()),
            Value::Integer(_) => Ok(()),
            other => Err(crate::t!("check-not-number", found = type_name(other))),
        },
    }
}

/// Checks a value about to be written locally as [`check_value`] would check it once
/// stored: a whole number given as a fraction (1200000.0) is stored as a whole number in
/// a column of whole numbers.
pub fn check_stored(rule: Rule, value: &Value) -> Result<(), String> {
    match (rule.kind, value) {
        (Kind::Int(..) | Kind::Instant | Kind::Amount | Kind::Flag, Value::Real(x))
            if x.fract() == 0.0 && x.abs() < 9.0e15 =>
        {
            // In range of i64 and whole, so the conversion is exact.
            #[allow(clippy::cast_possible_truncation)]
            check_value(rule, &Value::Integer(*x as i64))
        }
        _ => check_value(rule, value),
    }
}

/// What kind of value a wrong one is, in the interface's language.
fn type_name(value: &Value) -> String {
    match value {
        Value::Null => crate::t!("check-type-nothing"),
        Value::Integer(_) => crate::t!("check-type-whole"),
        Value::Real(_) => crate::t!("check-type-fraction"),
        Value::Text(_) => crate::t!("check-type-text"),
        Value::Blob(_) => crate::t!("check-type-binary"),
    }
}

/// A field that breaks its rule: which, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// `None` for the row as a whole (its id).
    pub field: Option<&'static str>,
    pub why: String,
}

/// Checks a whole row of `table`: its id and every field, in [`Table::fields`] order.
pub fn check_row(table: Table, id: &Value, fields: &[Value]) -> Result<(), Broken> {
    match id {
        Value::Text(t) => check_id(t),
        other => Err(crate::t!("check-id-type", found = type_name(other))),
    }
    .map_err(|why| Broken { field: None, why })?;
    for ((field, rule), value) in table.fields().iter().zip(rules(table)).zip(fields) {
        check_value(*rule, value).map_err(|why| Broken {
            field: Some(field),
            why,
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::activity::ActivityKind;
    use crate::domain::customer::{CustomerKind, CustomerStatus, Tier};
    use crate::domain::deal::DealStatus;

    #[test]
    fn every_table_has_a_rule_for_every_field() {
        for table in Table::ALL {
            assert_eq!(rules(table).len(), table.fields().len(), "{table:?}");
        }
    }

    #[test]
    fn the_word_lists_are_the_domains() {
        let same = |words: &[&str], all: Vec<&str>| assert_eq!(words, all.as_slice());
        same(TIERS, Tier::ALL.iter().map(|t| t.as_str()).collect());
        same(
            CUSTOMER_STATUSES,
            CustomerStatus::ALL.iter().map(|t| t.as_str()).collect(),
        );
        same(
            CUSTOMER_KINDS,
            CustomerKind::ALL.iter().map(|t| t.as_str()).collect(),
        );
        same(
            DEAL_STATUSES,
            DealStatus::ALL.iter().map(|t| t.as_str()).collect(),
        );
        same(
            ACTIVITY_KINDS,
            ActivityKind::ALL.iter().map(|t| t.as_str()).collect(),
        );
        same(
            FIELD_ENTITIES,
            crate::domain::field::Entity::ALL
                .iter()
                .map(|t| t.as_str())
                .collect(),
        );
        same(
            FIELD_TYPES,
            crate::domain::field::FieldType::ALL
                .iter()
                .map(|t| t.as_str())
                .collect(),
        );
    }

    fn deal(amount: Value, title: Value) -> Vec<Value> {
        let t = |s: &str| Value::Text(s.into());
        vec![
            title,
            t("c1"),
            Value::Null,
            t("stage-lead"),
            t("open"),
            amount,
            t("EUR"),
            t("2026-12-01"),
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Real(1.0),
            Value::Null,
            Value::Integer(1),
            Value::Integer(1),
            Value::Null,
        ]
    }

    #[test]
    fn a_deal_is_checked_field_by_field() {
        let id = Value::Text("d1".into());
        let title = || Value::Text("ACME renewal".into());
        assert_eq!(
            check_row(Table::Deals, &id, &deal(Value::Integer(5), title())),
            Ok(())
        );
        let broken = check_row(Table::Deals, &id, &deal(Value::Integer(-5), title())).unwrap_err();
        assert_eq!(broken.field, Some("amount_minor"));
        let broken =
            check_row(Table::Deals, &id, &deal(Value::Text("5".into()), title())).unwrap_err();
        assert_eq!(broken.field, Some("amount_minor"));
        let long = Value::Text("x".repeat(MAX_SHORT_TEXT_BYTES + 1));
        let broken = check_row(Table::Deals, &id, &deal(Value::Integer(5), long)).unwrap_err();
        assert_eq!(broken.field, Some("title"));
        let broken =
            check_row(Table::Deals, &id, &deal(Value::Integer(5), Value::Null)).unwrap_err();
        assert_eq!(broken.field, Some("title"));
        let broken = check_row(
            Table::Deals,
            &Value::Null,
            &deal(Value::Integer(5), title()),
        )
        .unwrap_err();
        assert_eq!(broken.field, None);
    }
}
