//! Naming records: a full id, a unique short id (the last eight hex digits, as lists
//! show), or a unique case-insensitive name. An ambiguous name lists the candidates.

use rusqlite::Connection;

use super::{Candidate, Result, StoreError};
use crate::domain::ids::{looks_like_full_id, looks_like_short_id};

/// What kind of record a reference names.
#[derive(Debug, Clone, Copy)]
pub struct Kind {
    pub table: &'static str,
    pub name_column: &'static str,
    pub what: &'static str,
}

pub const DEAL: Kind = Kind {
    table: "deals",
    name_column: "title",
    what: "deal",
};
pub const CUSTOMER: Kind = Kind {
    table: "customers",
    name_column: "name",
    what: "customer",
};
pub const CONTACT: Kind = Kind {
    table: "contacts",
    name_column: "name",
    what: "contact",
};
pub const MEMBER: Kind = Kind {
    table: "members",
    name_column: "name",
    what: "member",
};
pub const ACTIVITY: Kind = Kind {
    table: "activities",
    name_column: "subject",
    what: "activity",
};

/// Which rows a reference may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Live,
    Deleted,
}

/// Resolves `reference` to one id of `kind`.
pub fn resolve(conn: &Connection, kind: Kind, reference: &str, scope: Scope) -> Result<String> {
    let text = reference.trim();
    let tombstone = match scope {
        Scope::Live => "deleted_at IS NULL",
        Scope::Deleted => "deleted_at IS NOT NULL",
    };
    let not_found = || StoreError::NotFound {
        what: match scope {
            Scope::Live => kind.what.to_string(),
            Scope::Deleted => format!("deleted {}", kind.what),
        },
        reference: text.to_string(),
    };
    if text.is_empty() {
        return Err(not_found());
    }
    let query = |sql: &str, arg: &str| -> Result<Vec<(String, String)>> {
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt.query_map([arg], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    let select = format!("SELECT id, {} FROM {}", kind.name_column, kind.table);
    let mut found = Vec::new();
    if looks_like_full_id(text) {
        found = query(
            &format!("{select} WHERE id = ?1 AND {tombstone}"),
            &text.to_ascii_lowercase(),
        )?;
    } else if looks_like_short_id(text) {
        found = query(
            &format!("{select} WHERE id LIKE '%' || ?1 AND {tombstone} LIMIT 10"),
            &text.to_ascii_lowercase(),
        )?;
    }
    if found.is_empty() {
        found = query(
            &format!(
                "{select} WHERE {} = ?1 COLLATE NOCASE AND {tombstone} LIMIT 10",
                kind.name_column
            ),
            text,
        )?;
    }
    match found.len() {
        0 => Err(not_found()),
        1 => Ok(found.remove(0).0),
        _ => Err(StoreError::Ambiguous {
            what: kind.what.to_string(),
            reference: text.to_string(),
            candidates: found
                .into_iter()
                .map(|(id, name)| Candidate { id, name })
                .collect(),
        }),
    }
}
