//! Names for shell completion: the deal titles, customer names and stage names that start
//! with what was typed. A completion runs on every Tab, often while SalesDesk itself is
//! open, so it opens the database read-only (no migration, no write, no lock it could hold)
//! and asks for at most a page of names through a prefix query on an index
//! (`deals_title`, `customers_name`: `LIKE 'ab%'` on a NOCASE index is a range search).

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::Result;
use super::reference::Scope;

/// One name to offer, with a word about it for shells that show one (zsh, fish).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    pub value: String,
    pub about: Option<String>,
}

/// Opens the database at `path` for reading only. It must exist: opening never creates a
/// file, and nothing is migrated (an older database still answers; a query it cannot
/// answer fails, and completion offers nothing).
pub fn open_read_only(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // A Tab must not hang on a database another process holds; reads in WAL mode wait
    // only in rare moments (a checkpoint restarting the log).
    conn.busy_timeout(Duration::from_millis(100))?;
    conn.pragma_update(None, "query_only", true)?;
    Ok(conn)
}

/// Deal titles starting with `prefix` (ASCII case ignored), in title order; at most
/// `limit`. A title is offered once however many deals share it (in any case: a reference
/// matches without case), with the customer's name as its word when it names one deal.
pub fn deal_titles(
    conn: &Connection,
    prefix: &str,
    scope: Scope,
    limit: usize,
) -> Result<Vec<Name>> {
    names(conn, &deal_titles_sql(scope), prefix, limit)
}

/// Walks the covering index `deals_title` from the prefix on, a group of equal titles at
/// a time, and stops at the limit: no sort, no row read but the one customer's name of a
/// title that names one deal. (A demo book shares each title among ~200 deals; a join per
/// deal made an empty prefix cost 90 ms there, this 5–10 ms.)
fn deal_titles_sql(scope: Scope) -> String {
    format!(
        "SELECT title, CASE WHEN n = 1 THEN (SELECT name FROM customers WHERE id = customer)
                        END
           FROM (SELECT title, count(*) AS n, max(customer_id) AS customer FROM deals
                  WHERE title LIKE ?1 ESCAPE '\\' AND {}
                  GROUP BY title COLLATE NOCASE ORDER BY title COLLATE NOCASE LIMIT ?2)",
        tombstone(scope)
    )
}

/// Customer names starting with `prefix`, as [`deal_titles`], with the status as the word
/// when the name is one customer's.
pub fn customer_names(
    conn: &Connection,
    prefix: &str,
    scope: Scope,
    limit: usize,
) -> Result<Vec<Name>> {
    let sql = format!(
        "SELECT name, CASE WHEN count(*) = 1 THEN max(status) END FROM customers
          WHERE name LIKE ?1 ESCAPE '\\' AND {}
          GROUP BY name COLLATE NOCASE ORDER BY name COLLATE NOCASE LIMIT ?2",
        tombstone(scope)
    );
    names(conn, &sql, prefix, limit)
}

/// The pipeline's stage names starting with `prefix`, in board order, with their
/// probability as the word.
pub fn stage_names(conn: &Connection, prefix: &str, limit: usize) -> Result<Vec<Name>> {
    let sql = "SELECT name, probability || ' %' FROM stages
                WHERE name LIKE ?1 ESCAPE '\\' AND deleted_at IS NULL
                ORDER BY position, name LIMIT ?2";
    names(conn, sql, prefix, limit)
}

/// The pipeline names starting with `prefix`, in order, with their stage count.
pub fn pipeline_names(conn: &Connection, prefix: &str, limit: usize) -> Result<Vec<Name>> {
    let sql = "SELECT p.name, (SELECT count(*) FROM stages s
                                WHERE s.pipeline_id = p.id AND s.deleted_at IS NULL) || ' stages'
                 FROM pipelines p
                WHERE p.name LIKE ?1 ESCAPE '\\' AND p.deleted_at IS NULL
                ORDER BY p.position, p.name LIMIT ?2";
    names(conn, sql, prefix, limit)
}

fn tombstone(scope: Scope) -> &'static str {
    match scope {
        Scope::Live => "deleted_at IS NULL",
        Scope::Deleted => "deleted_at IS NOT NULL",
    }
}

/// Runs a `(value, about)` query for the names starting with `prefix`.
fn names(conn: &Connection, sql: &str, prefix: &str, limit: usize) -> Result<Vec<Name>> {
    let mut stmt = conn.prepare(sql)?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = stmt.query_map(rusqlite::params![like_prefix(prefix), limit], |r| {
        Ok(Name {
            value: r.get(0)?,
            about: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A LIKE pattern matching what starts with `prefix`: its own `%`, `_` and `\` are
/// taken literally.
fn like_prefix(prefix: &str) -> String {
    let mut pattern = String::with_capacity(prefix.len() + 1);
    for c in prefix.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE customers (id TEXT, name TEXT, status TEXT, deleted_at INTEGER);
             CREATE INDEX customers_name ON customers (name COLLATE NOCASE);
             CREATE TABLE deals (id TEXT, title TEXT, customer_id TEXT, deleted_at INTEGER);
             CREATE INDEX deals_title ON deals (title COLLATE NOCASE, deleted_at, customer_id);
             CREATE TABLE stages (name TEXT, position INTEGER, probability INTEGER,
                                  deleted_at INTEGER);
             INSERT INTO customers VALUES ('c1', 'ACME', 'active', NULL),
                                          ('c2', 'Acme 50%_off', 'prospect', NULL),
                                          ('c3', 'Globex', 'active', NULL),
                                          ('c4', 'Acme Old', 'churned', 1);
             INSERT INTO deals VALUES ('d1', 'ACME renewal', 'c1', NULL),
                                      ('d2', 'acme pilot', 'c1', NULL),
                                      ('d3', 'ACME renewal', 'c2', NULL),
                                      ('d4', 'Globex rollout', 'c3', NULL),
                                      ('d5', 'ACME gone', 'c1', 5);
             INSERT INTO stages VALUES ('Lead', 1, 10, NULL), ('Lost cause', 2, 0, 3),
                                       ('Proposal', 3, 50, NULL);",
        )
        .unwrap();
        conn
    }

    fn values(names: &[Name]) -> Vec<&str> {
        names.iter().map(|n| n.value.as_str()).collect()
    }

    #[test]
    fn titles_start_with_the_prefix_in_any_case_once_each() {
        let conn = book();
        let found = deal_titles(&conn, "acme", Scope::Live, 50).unwrap();
        assert_eq!(values(&found), ["acme pilot", "ACME renewal"]);
        assert_eq!(found[0].about.as_deref(), Some("ACME"));
        // Two deals share that title: there is no one customer to name.
        assert_eq!(found[1].about, None);
        let deleted = deal_titles(&conn, "ac", Scope::Deleted, 50).unwrap();
        assert_eq!(values(&deleted), ["ACME gone"]);
        assert_eq!(deal_titles(&conn, "", Scope::Live, 2).unwrap().len(), 2);
        assert!(
            deal_titles(&conn, "renewal", Scope::Live, 50)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn wildcards_typed_are_taken_literally() {
        let conn = book();
        let found = customer_names(&conn, "acme 50%_", Scope::Live, 50).unwrap();
        assert_eq!(values(&found), ["Acme 50%_off"]);
        assert!(
            customer_names(&conn, "a_me", Scope::Live, 50)
                .unwrap()
                .is_empty()
        );
        assert!(
            customer_names(&conn, "%", Scope::Live, 50)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn stages_come_in_board_order_without_deleted_ones() {
        let conn = book();
        let found = stage_names(&conn, "", 50).unwrap();
        assert_eq!(values(&found), ["Lead", "Proposal"]);
        assert_eq!(found[0].about.as_deref(), Some("10 %"));
        assert_eq!(values(&stage_names(&conn, "l", 50).unwrap()), ["Lead"]);
    }

    #[test]
    fn a_prefix_is_a_range_search_on_the_index() {
        let conn = book();
        let plan = crate::store::test_support::query_plan(
            &conn,
            &deal_titles_sql(Scope::Live),
            rusqlite::params![like_prefix("ac"), 5],
        );
        assert!(
            plan.iter()
                .any(|p| p.contains("USING COVERING INDEX deals_title (title>? AND title<?)")),
            "{plan:?}"
        );
        assert!(!plan.iter().any(|p| p.contains("TEMP B-TREE")), "{plan:?}");
    }
}
