//! Conflicts as people read them: which record, which field, both values, whose and
//! when. `salesdesk team conflicts` and the TUI's review list show the same words.

use rusqlite::Connection;
use rusqlite::types::Value;

use crate::domain::ids::short_id;
use crate::domain::money::Money;
use crate::domain::time::Zone;
use crate::store::conflicts::{self, Conflict, Refused};
use crate::store::{Table, deals, members, stages};
use crate::text::clean;

/// One conflict, every part of it already words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub id: i64,
    /// "deal ACME renewal".
    pub record: String,
    /// "amount", "stage", "title".
    pub field: String,
    pub mine: String,
    pub theirs: String,
    /// The teammate whose value replaced mine.
    pub who: String,
    pub mine_at: Option<String>,
    pub theirs_at: Option<String>,
    /// For an edit the team's server refused: why (there is no value of theirs).
    pub why: Option<String>,
}

impl Shown {
    pub fn of(conn: &Connection, c: &Conflict, zone: Zone) -> Shown {
        let at = |ms: Option<i64>| ms.map(|ms| zone.date_time(ms));
        let why = c.refused.map(|r| refusal(conn, c, r));
        Shown {
            id: c.id,
            record: describe_row(c),
            field: crate::i18n::noun(field_label(&c.field)),
            mine: show_value(conn, c, &c.mine, zone),
            theirs: if why.is_some() {
                crate::t!("conflict-refused-theirs")
            } else {
                show_value(conn, c, &c.theirs, zone)
            },
            who: who(c),
            mine_at: at(c.mine_at()),
            theirs_at: at(c.theirs_at()),
            why,
        }
    }
}

/// "deal ACME renewal", or the short id when the row has no name.
pub fn describe_row(c: &Conflict) -> String {
    let kind = Table::from_name(&c.table)
        .map(Table::singular)
        .unwrap_or("record");
    let kind = crate::i18n::noun(kind);
    match &c.label {
        Some(label) => crate::t!("conflict-record", kind = kind, name = clean(label)),
        None => crate::t!("conflict-record", kind = kind, name = short_id(&c.row_id)),
    }
}

/// The field as people call it.
pub fn field_label(field: &str) -> &str {
    match field {
        "amount_minor" => "amount",
        "stage_id" => "stage",
        "customer_id" => "customer",
        "contact_id" => "contact",
        "owner_id" => "owner",
        "deal_id" => "deal",
        "deleted_at" => "deleted",
        "*" => "record",
        "closed_at" => "closed",
        "expected_close" => "expected close",
        "lost_reason" => "lost reason",
        other => other,
    }
}

/// Why the team's server refused an edit, in words: whose record it is, as this
/// database knows it.
pub fn refusal(conn: &Connection, c: &Conflict, why: Refused) -> String {
    let owner = Table::from_name(&c.table)
        .and_then(|t| conflicts::owner_of(conn, t, &c.row_id).ok().flatten())
        .map(|id| {
            members::list(conn)
                .ok()
                .and_then(|all| all.into_iter().find(|m| m.id == id).map(|m| clean(&m.name)))
                .unwrap_or_else(|| short_id(&id).to_string())
        });
    match (why, owner) {
        (Refused::Owner, Some(owner)) => crate::t!("conflict-refused-owner", owner = owner),
        _ => crate::t!("conflict-refused-rights"),
    }
}

/// The teammate behind the winning value: their name, else their member or site id (for
/// an edit the team's server refused: the team database).
pub fn who(c: &Conflict) -> String {
    if c.refused.is_some() {
        return crate::t!("conflict-refused-who");
    }
    c.their_name
        .as_deref()
        .map(clean)
        .or_else(|| c.their_member.as_deref().map(|m| short_id(m).to_string()))
        .unwrap_or_else(|| crate::t!("conflict-site", site = c.their_site.as_str()))
}

/// A stored value for people: amounts with their currency, stages by name, times local.
pub fn show_value(conn: &Connection, c: &Conflict, v: &Value, zone: Zone) -> String {
    match (c.field.as_str(), v) {
        ("deleted_at", Value::Null) => crate::t!("conflict-not-deleted"),
        ("deleted_at", Value::Integer(ms)) => {
            crate::t!("conflict-deleted-at", when = zone.date_time(*ms))
        }
        (_, Value::Null) => crate::t!("conflict-empty"),
        ("amount_minor", Value::Integer(minor)) if c.table == Table::Deals.name() => {
            match deals::get(conn, &c.row_id) {
                Ok(d) => Money::new(*minor, d.amount.currency).to_string(),
                Err(_) => minor.to_string(),
            }
        }
        ("stage_id" | "to_stage_id" | "from_stage_id", Value::Text(id)) => stages::list(conn)
            .ok()
            .and_then(|all| all.into_iter().find(|s| s.id == *id).map(|s| s.name))
            .unwrap_or_else(|| id.clone()),
        (f, Value::Integer(ms)) if f.ends_with("_at") => zone.date_time(*ms),
        (_, Value::Integer(i)) => i.to_string(),
        (_, Value::Real(x)) => x.to_string(),
        (_, Value::Text(s)) => clean(s),
        (_, Value::Blob(b)) => format!("({} bytes)", b.len()),
    }
}
