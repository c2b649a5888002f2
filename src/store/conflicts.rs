//! The conflicts log: the values of this database that a merge replaced with a
//! teammate's (written by [`crate::store::merge`]), read for review, and the two
//! bookkeeping changes a decision makes — marking one settled, and reopening it when that
//! decision is undone. Both run inside [`Store::apply`](crate::store::Store)'s transaction
//! (see [`crate::store::mutation::Settle`]), so a decision and the value it writes land
//! together or not at all.
//!
//! The log is local to this database: it carries no clocks and never syncs.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{Result, StoreError, Table};
use crate::domain::hlc::Hlc;

/// A value this database set that a merge replaced with a teammate's.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub id: i64,
    pub table: String,
    pub row_id: String,
    pub field: String,
    /// What the row is called now (a deal's title, a customer's name …), when it has one.
    pub label: Option<String>,
    pub mine: Value,
    pub mine_hlc: String,
    pub theirs: Value,
    pub theirs_hlc: String,
    pub their_site: String,
    pub their_member: Option<String>,
    /// The teammate's name, when their member row is known.
    pub their_name: Option<String>,
    /// When the merge replaced the value.
    pub at: i64,
    pub resolved_at: Option<i64>,
    pub resolution: Option<Resolution>,
    /// Not a teammate's value but the team's server refusing mine: why. Such an entry
    /// has no value of theirs (`theirs` is null, its clock and site empty).
    pub refused: Option<Refused>,
}

/// Why the team's PostgreSQL hub refused an edit of this database (its row-level
/// security): the edit stays here, logged as a conflict to review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Refused {
    /// The record belongs to another member (as this database knows it).
    Owner,
    /// The server does not let this login write it, for a reason it does not say.
    Rights,
}

impl Refused {
    pub fn as_str(self) -> &'static str {
        match self {
            Refused::Owner => "owner",
            Refused::Rights => "rights",
        }
    }

    fn parse(s: &str) -> Option<Refused> {
        match s {
            "owner" => Some(Refused::Owner),
            "rights" => Some(Refused::Rights),
            _ => None,
        }
    }
}

/// One field of a row that the hub refused: what to log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedEdit {
    pub table: Table,
    pub row_id: String,
    /// A column, or [`crate::store::mutation::ROW_CLOCK`] for a new row.
    pub field: String,
    /// The clock of this database's write.
    pub hlc: String,
}

impl Conflict {
    /// When I set my value (from its clock).
    pub fn mine_at(&self) -> Option<i64> {
        self.mine_hlc.parse::<Hlc>().ok().map(|h| h.millis)
    }

    /// When the teammate set theirs (from its clock).
    pub fn theirs_at(&self) -> Option<i64> {
        self.theirs_hlc.parse::<Hlc>().ok().map(|h| h.millis)
    }
}

/// Which side a resolved conflict kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Keep {
    Theirs,
    Mine,
}

impl Keep {
    pub fn as_str(self) -> &'static str {
        match self {
            Keep::Theirs => "theirs",
            Keep::Mine => "mine",
        }
    }
}

/// How a conflict was settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Resolution {
    /// The user kept the teammate's value.
    Theirs,
    /// The user wrote their own value back.
    Mine,
    /// Nothing to decide: the teammate changed the value after seeing mine.
    Seen,
}

impl Resolution {
    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::Theirs => "theirs",
            Resolution::Mine => "mine",
            Resolution::Seen => "seen",
        }
    }

    fn parse(s: &str) -> Option<Resolution> {
        match s {
            "theirs" => Some(Resolution::Theirs),
            "mine" => Some(Resolution::Mine),
            "seen" => Some(Resolution::Seen),
            _ => None,
        }
    }
}

impl From<Keep> for Resolution {
    fn from(k: Keep) -> Self {
        match k {
            Keep::Theirs => Resolution::Theirs,
            Keep::Mine => Resolution::Mine,
        }
    }
}

impl std::str::FromStr for Keep {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "theirs" => Ok(Keep::Theirs),
            "mine" => Ok(Keep::Mine),
            other => Err(format!("'{other}' is not a side; use theirs or mine")),
        }
    }
}

const CONFLICT_SQL: &str = "SELECT c.id, c.tbl, c.row_id, c.field, c.mine_value, c.mine_hlc,
        c.theirs_value, c.theirs_hlc, c.their_site, c.their_member, m.name, c.at,
        c.resolved_at, c.resolution, c.refused
   FROM conflicts c
   LEFT JOIN members m ON m.id = c.their_member";

fn conflict_from_row(r: &Row<'_>) -> rusqlite::Result<Conflict> {
    let resolution: Option<String> = r.get(13)?;
    Ok(Conflict {
        id: r.get(0)?,
        table: r.get(1)?,
        row_id: r.get(2)?,
        field: r.get(3)?,
        label: None,
        mine: r.get(4)?,
        mine_hlc: r.get(5)?,
        theirs: r.get(6)?,
        theirs_hlc: r.get(7)?,
        their_site: r.get(8)?,
        their_member: r.get(9)?,
        their_name: r.get(10)?,
        at: r.get(11)?,
        resolved_at: r.get(12)?,
        resolution: resolution.as_deref().and_then(Resolution::parse),
        refused: r
            .get::<_, Option<String>>(14)?
            .as_deref()
            .and_then(Refused::parse),
    })
}

/// The conflicts log, oldest first: the pending ones, or all of them (with the values a
/// teammate replaced after seeing them, resolved 'seen').
pub fn conflicts(conn: &Connection, include_resolved: bool) -> Result<Vec<Conflict>> {
    let filter = if include_resolved {
        ""
    } else {
        " WHERE c.resolved_at IS NULL"
    };
    let mut stmt = conn.prepare(&format!("{CONFLICT_SQL}{filter} ORDER BY c.id"))?;
    let rows = stmt.query_map([], conflict_from_row)?;
    let mut list: Vec<Conflict> = rows.collect::<rusqlite::Result<_>>()?;
    for c in &mut list {
        c.label = label(conn, &c.table, &c.row_id)?;
    }
    Ok(list)
}

/// How many conflicts wait for review (for the status bar).
/// How many of this database's values teammates replaced saying they had seen them
/// (resolved `seen`: history, not waiting for review).
pub fn seen_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM conflicts WHERE resolution = 'seen'",
        [],
        |r| r.get(0),
    )?)
}

pub fn pending_conflicts(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM conflicts WHERE resolved_at IS NULL",
        [],
        |r| r.get(0),
    )?)
}

/// Logs edits of this database that the team's hub refused, each with its current local
/// value (kept here) and why; an earlier refused edit of the same field still waiting is
/// replaced by the later one. Logging the same edit again does nothing. Returns how many
/// new entries were logged.
pub fn record_refused(conn: &Connection, edits: &[RefusedEdit], now: i64) -> Result<usize> {
    let me: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'member_id'", [], |r| {
            r.get(0)
        })
        .optional()?;
    let mut logged = 0;
    for e in edits {
        let name = e.table.name();
        let value: Value = if e.table.fields().contains(&e.field.as_str()) {
            conn.query_row(
                &format!("SELECT \"{}\" FROM {name} WHERE id = ?1", e.field),
                [&e.row_id],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(Value::Null)
        } else {
            Value::Null
        };
        let why = match owner_of(conn, e.table, &e.row_id)? {
            Some(owner) if Some(&owner) != me.as_ref() => Refused::Owner,
            _ => Refused::Rights,
        };
        conn.execute(
            "DELETE FROM conflicts
              WHERE tbl = ?1 AND row_id = ?2 AND field = ?3 AND refused IS NOT NULL
                AND resolved_at IS NULL AND mine_hlc < ?4",
            params![name, e.row_id, e.field, e.hlc],
        )?;
        logged += conn.execute(
            "INSERT OR IGNORE INTO conflicts (tbl, row_id, field, mine_value, mine_hlc,
                     theirs_value, theirs_hlc, their_site, their_member, at, refused)
             VALUES (?1, ?2, ?3, ?4, ?5, NULL, '', '', NULL, ?6, ?7)",
            params![name, e.row_id, e.field, value, e.hlc, now, why.as_str()],
        )?;
    }
    Ok(logged)
}

/// Settles the refused edits of a row that the hub has now taken (sent again once the
/// server showed this member the record): kept mine.
pub fn settle_accepted(conn: &Connection, table: &str, row_id: &str, now: i64) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE conflicts SET resolved_at = ?3, resolution = 'mine'
          WHERE tbl = ?1 AND row_id = ?2 AND refused IS NOT NULL AND resolved_at IS NULL",
        params![table, row_id, now],
    )?)
}

/// The rows with refused edits still waiting for review.
pub fn refused_rows(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT tbl, row_id FROM conflicts
          WHERE refused IS NOT NULL AND resolved_at IS NULL",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many refused edits wait for review (for `team status`).
pub fn pending_refused(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM conflicts WHERE refused IS NOT NULL AND resolved_at IS NULL",
        [],
        |r| r.get(0),
    )?)
}

/// The member who owns a row as this database knows it: its own owner, else its
/// customer's or deal's (a contact, a tag, a stage change, a custom value).
pub fn owner_of(conn: &Connection, table: Table, row_id: &str) -> Result<Option<String>> {
    let sql = match table {
        Table::Customers | Table::Deals | Table::Activities => {
            format!("SELECT owner_id FROM {} WHERE id = ?1", table.name())
        }
        Table::Contacts | Table::CustomerTags => format!(
            "SELECT c.owner_id FROM {} t JOIN customers c ON c.id = t.customer_id
              WHERE t.id = ?1",
            table.name()
        ),
        Table::StageChanges => "SELECT d.owner_id FROM stage_changes s
              JOIN deals d ON d.id = s.deal_id WHERE s.id = ?1"
            .to_string(),
        Table::FieldValues => "SELECT coalesce(
                  (SELECT owner_id FROM customers WHERE id = v.record_id),
                  (SELECT owner_id FROM deals WHERE id = v.record_id),
                  (SELECT c.owner_id FROM contacts t JOIN customers c ON c.id = t.customer_id
                    WHERE t.id = v.record_id))
              FROM field_values v WHERE v.id = ?1"
            .to_string(),
        _ => return Ok(None),
    };
    Ok(conn
        .query_row(&sql, [row_id], |r| r.get::<_, Option<String>>(0))
        .optional()?
        .flatten())
}

/// One conflict by its number.
pub fn conflict(conn: &Connection, id: i64) -> Result<Conflict> {
    let mut c = conn
        .query_row(
            &format!("{CONFLICT_SQL} WHERE c.id = ?1"),
            [id],
            conflict_from_row,
        )
        .optional()?
        .ok_or_else(|| StoreError::NotFound {
            what: "conflict".into(),
            reference: id.to_string(),
        })?;
    c.label = label(conn, &c.table, &c.row_id)?;
    Ok(c)
}

/// What a row is called now, for people reading the conflicts log.
fn label(conn: &Connection, table: &str, row_id: &str) -> Result<Option<String>> {
    let sql = match Table::from_name(table) {
        Some(
            Table::Members
            | Table::Pipelines
            | Table::Stages
            | Table::Customers
            | Table::Contacts
            | Table::ListItems
            | Table::FieldDefs,
        ) => {
            format!("SELECT name FROM {table} WHERE id = ?1")
        }
        Some(Table::Deals) => "SELECT title FROM deals WHERE id = ?1".to_string(),
        // "ACME renewal: Budget", whichever kind of record holds it.
        Some(Table::FieldValues) => {
            "SELECT coalesce((SELECT title FROM deals WHERE id = v.record_id),
                         (SELECT name FROM customers WHERE id = v.record_id),
                         (SELECT name FROM contacts WHERE id = v.record_id), '?')
                     || ': ' || coalesce(f.name, v.field_id)
                FROM field_values v LEFT JOIN field_defs f ON f.id = v.field_id
               WHERE v.id = ?1"
                .to_string()
        }
        Some(Table::Activities) => "SELECT subject FROM activities WHERE id = ?1".to_string(),
        Some(Table::CustomerTags) => "SELECT c.name || ' #' || t.tag FROM customer_tags t
              JOIN customers c ON c.id = t.customer_id WHERE t.id = ?1"
            .to_string(),
        Some(Table::StageChanges) => "SELECT d.title FROM stage_changes s
              JOIN deals d ON d.id = s.deal_id WHERE s.id = ?1"
            .to_string(),
        None => return Ok(None),
    };
    Ok(conn
        .query_row(&sql, [row_id], |r| r.get(0))
        .optional()?
        .flatten())
}

/// Marks a pending conflict settled, on the connection of the transaction that writes
/// the value kept. A conflict that another process settled meanwhile is refused, so the
/// whole change is rolled back.
pub(crate) fn mark_resolved(conn: &Connection, id: i64, keep: Keep, now: i64) -> Result<()> {
    let changed = conn.execute(
        "UPDATE conflicts SET resolved_at = ?2, resolution = ?3
          WHERE id = ?1 AND resolved_at IS NULL",
        params![id, now, keep.as_str()],
    )?;
    if changed == 0 {
        return Err(StoreError::Invalid(crate::t!(
            "conflict-not-waiting",
            id = id
        )));
    }
    Ok(())
}

/// Puts a decided conflict back to review (undoing a decision).
pub(crate) fn reopen(conn: &Connection, id: i64) -> Result<()> {
    conn.execute(
        "UPDATE conflicts SET resolved_at = NULL, resolution = NULL
          WHERE id = ?1 AND resolution IN ('theirs', 'mine')",
        [id],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::store::test_support::{add_customer, memory_store};

    fn refused_edit(id: &str, hlc: &str) -> RefusedEdit {
        RefusedEdit {
            table: Table::Customers,
            row_id: id.to_string(),
            field: "name".into(),
            hlc: hlc.into(),
        }
    }

    #[test]
    fn a_refused_edit_is_logged_once_with_its_value_and_why_and_a_later_one_replaces_it() {
        let mut store = memory_store();
        let id = add_customer(&mut store, "ACME");
        let conn = store.conn();
        let first = "0001795600000000-00000-aaaaaaaaaaaaaaaa";
        assert_eq!(
            record_refused(conn, &[refused_edit(&id, first)], 5).unwrap(),
            1
        );
        // The same edit refused again (a sync that sent it again) is not a second entry.
        assert_eq!(
            record_refused(conn, &[refused_edit(&id, first)], 6).unwrap(),
            0
        );
        let list = conflicts(conn, false).unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].mine, Value::Text("ACME".into()));
        // My own customer: the server refused it for a reason of its own.
        assert_eq!(list[0].refused, Some(Refused::Rights));
        assert_eq!(pending_refused(conn).unwrap(), 1);
        // Someone else's: said so.
        conn.execute("UPDATE customers SET owner_id = 'someone-else'", [])
            .unwrap();
        let later = "0001795600000001-00000-aaaaaaaaaaaaaaaa";
        assert_eq!(
            record_refused(conn, &[refused_edit(&id, later)], 7).unwrap(),
            1
        );
        let list = conflicts(conn, false).unwrap();
        assert_eq!(list.len(), 1, "the later edit replaces the earlier one");
        assert_eq!(list[0].refused, Some(Refused::Owner));
        assert_eq!(list[0].mine_hlc, later);
        assert_eq!(
            refused_rows(conn).unwrap(),
            [("customers".to_string(), id.clone())]
        );
        // Taken by the hub later: settled as mine, no longer pending.
        assert_eq!(settle_accepted(conn, "customers", &id, 8).unwrap(), 1);
        assert_eq!(pending_refused(conn).unwrap(), 0);
        assert_eq!(
            conflict(conn, list[0].id).unwrap().resolution,
            Some(Resolution::Mine)
        );
    }

    #[test]
    fn keep_parses_both_sides() {
        assert_eq!("Mine".parse::<Keep>().unwrap(), Keep::Mine);
        assert_eq!("theirs".parse::<Keep>().unwrap(), Keep::Theirs);
        assert!("both".parse::<Keep>().is_err());
    }
}
