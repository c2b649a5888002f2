//! The SQLite side of syncing through a team hub (a PostgreSQL database, DESIGN §8): what
//! this database has to push, row by row with its clocks, and the private database that
//! rows pulled from the hub are written into so that [`super::merge::merge_from`] merges
//! them exactly as it merges a team file, screening and quarantine included. The hub
//! itself (connecting, its tables, roles) is [`crate::sync::postgres`]'s job.
//!
//! A row travels whole: its values as a JSON object keyed by column, its `field_clock`
//! entries (`"*"` the row's own) and what each local write replaced (`field_base`); not
//! its signatures, which a hub neither keeps nor needs (it vouches for who wrote what
//! itself, server migration 004). SQLite values map to JSON as null, integer, real
//! and text; a real that happens to be whole is written `1.0` so it stays a real. JSON
//! arriving from the hub is untrusted: unknown tables and columns are dropped here, and
//! everything else is screened by the merge.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use rusqlite::{Connection, OptionalExtension, params_from_iter};
use serde_json::{Map, Value as Json};

use super::mutation::ROW_CLOCK;
use super::{Result, Table, migrate};

/// The meta key with the highest hub sequence number merged here: the next pull asks
/// for what came after it.
pub const HUB_CURSOR: &str = "hub_cursor";
/// The meta key with this database's clock when its last push read what to push: the
/// next push carries this site's writes after it.
pub const HUB_PUSHED: &str = "hub_pushed";

fn meta(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

fn set_meta(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

/// The hub sequence number this database has merged up to (0: nothing yet).
pub fn cursor(conn: &Connection) -> Result<i64> {
    Ok(meta(conn, HUB_CURSOR)?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0))
}

pub fn record_cursor(conn: &Connection, seq: i64) -> Result<()> {
    set_meta(conn, HUB_CURSOR, &seq.to_string())
}

/// This database's clock at its last push, if it pushed.
pub fn pushed(conn: &Connection) -> Result<Option<String>> {
    meta(conn, HUB_PUSHED)
}

pub fn record_pushed(conn: &Connection, clock: &str) -> Result<()> {
    set_meta(conn, HUB_PUSHED, clock)
}

/// Forgets the last push: the next push carries every row this site ever wrote (after
/// the hub lost some of them, restored from an older backup).
pub fn forget_pushed(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM meta WHERE key = ?1", [HUB_PUSHED])?;
    Ok(())
}

/// The ids of the customers and deals this database holds (not deleted).
pub fn live_customers_and_deals(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT id FROM customers WHERE deleted_at IS NULL
         UNION ALL SELECT id FROM deals WHERE deleted_at IS NULL",
    )?;
    let ids = stmt.query_map([], |r| r.get(0))?;
    Ok(ids.collect::<rusqlite::Result<_>>()?)
}

/// One row as it travels to and from the hub.
#[derive(Debug, Clone, PartialEq)]
pub struct HubRow {
    pub table: &'static str,
    pub row_id: String,
    /// Column → value, every column but `id`.
    pub data: Map<String, Json>,
    /// Field (or `"*"`) → clock.
    pub clocks: Map<String, Json>,
    /// Field → `[clock, the clock that write replaced]` (`field_base`).
    pub bases: Map<String, Json>,
}

/// The sets merged alongside rows: which member each site writes as, members' public
/// keys, and sites' signed claims.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HubSets {
    pub sites: Vec<(String, String)>,
    pub keys: Vec<(String, Vec<u8>)>,
    pub claims: Vec<(String, Vec<u8>)>,
}

impl HubSets {
    pub fn is_empty(&self) -> bool {
        self.sites.is_empty() && self.keys.is_empty() && self.claims.is_empty()
    }
}

/// Looks a table up by its name, for rows coming from outside.
pub fn table_named(name: &str) -> Option<Table> {
    Table::ALL.into_iter().find(|t| t.name() == name)
}

/// The rows this site wrote after `since` (every row, when `since` is `None`), with
/// everything the hub keeps of them, and this database's clock read in the same
/// transaction: pushing them and then remembering that clock misses no edit.
/// `also` names rows to carry whatever their clocks (edits the hub refused once, sent
/// again now that it shows this member the record).
pub fn rows_to_push(
    conn: &Connection,
    since: Option<&str>,
    site: &str,
    also: &[(String, String)],
) -> Result<(Vec<HubRow>, Option<String>)> {
    let (mut reader, clock) = PushReader::start(conn, since, site, also)?;
    let mut out = Vec::new();
    loop {
        let chunk = reader.next_chunk(10_000)?;
        if chunk.is_empty() {
            break;
        }
        out.extend(chunk);
    }
    reader.finish()?;
    Ok((out, clock))
}

/// The rows to push, read a chunk at a time in the order rows refer to each other (a
/// deal before its stage changes, which the hub's row-level security checks against
/// it), all in one read transaction: a push of any size holds one chunk in memory.
pub struct PushReader<'a> {
    read: rusqlite::Transaction<'a>,
    /// The table being read, as an index into [`Table::ALL`].
    table: usize,
    /// The last row id read from it.
    after: String,
}

impl<'a> PushReader<'a> {
    /// Notes which rows to push (see [`rows_to_push`]); returns the reader and this
    /// database's clock, read in the same transaction.
    pub fn start(
        conn: &'a Connection,
        since: Option<&str>,
        site: &str,
        also: &[(String, String)],
    ) -> Result<(PushReader<'a>, Option<String>)> {
        let read = conn.unchecked_transaction()?;
        let clock: Option<String> = read
            .query_row("SELECT value FROM meta WHERE key = 'hlc'", [], |r| r.get(0))
            .optional()?;
        read.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS hub_push (tbl TEXT NOT NULL, row_id TEXT NOT NULL,
                 PRIMARY KEY (tbl, row_id)) WITHOUT ROWID;
             DELETE FROM temp.hub_push;",
        )?;
        match since {
            Some(since) => read.execute(
                "INSERT OR IGNORE INTO temp.hub_push (tbl, row_id)
                 SELECT tbl, row_id FROM main.field_clock
                  WHERE hlc > ?1 AND substr(hlc, -length(?2)) = ?2",
                [since, site],
            )?,
            None => read.execute(
                "INSERT OR IGNORE INTO temp.hub_push (tbl, row_id)
                 SELECT tbl, row_id FROM main.field_clock",
                [],
            )?,
        };
        {
            let mut add =
                read.prepare("INSERT OR IGNORE INTO temp.hub_push (tbl, row_id) VALUES (?1, ?2)")?;
            for (tbl, row_id) in also {
                add.execute([tbl, row_id])?;
            }
        }
        Ok((
            PushReader {
                read,
                table: 0,
                after: String::new(),
            },
            clock,
        ))
    }

    /// Up to `n` more rows; none when all have been read.
    pub fn next_chunk(&mut self, n: usize) -> Result<Vec<HubRow>> {
        let mut out = Vec::new();
        while out.len() < n {
            let Some(&table) = Table::ALL.get(self.table) else {
                break;
            };
            let wanted = n - out.len();
            let read = read_table(&self.read, table, &self.after, wanted, &mut out)?;
            match out.last() {
                Some(last) if read == wanted => self.after.clone_from(&last.row_id),
                _ => {
                    self.table += 1;
                    self.after.clear();
                }
            }
        }
        Ok(out)
    }

    pub fn finish(self) -> Result<()> {
        self.read.execute("DELETE FROM temp.hub_push", [])?;
        self.read.commit()?;
        Ok(())
    }
}

/// Reads up to `limit` rows of `table` to push, after the row id `after`, in id order,
/// into `out`; returns how many.
fn read_table(
    conn: &Connection,
    table: Table,
    after: &str,
    limit: usize,
    out: &mut Vec<HubRow>,
) -> Result<usize> {
    let name = table.name();
    let fields = table.fields();
    let columns = fields
        .iter()
        .map(|f| format!("t.\"{f}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let first = out.len();
    let mut index: HashMap<String, usize> = HashMap::new();
    {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT t.id, {columns} FROM temp.hub_push p JOIN main.{name} t ON t.id = p.row_id
              WHERE p.tbl = ?1 AND p.row_id > ?2 ORDER BY p.row_id LIMIT ?3"
        ))?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut rows = stmt.query(rusqlite::params![name, after, limit])?;
        while let Some(row) = rows.next()? {
            let row_id: String = row.get(0)?;
            let mut data = Map::new();
            for (i, field) in fields.iter().enumerate() {
                data.insert((*field).to_string(), to_json(row.get::<_, Value>(i + 1)?));
            }
            index.insert(row_id.clone(), out.len());
            out.push(HubRow {
                table: name,
                row_id,
                data,
                clocks: Map::new(),
                bases: Map::new(),
            });
        }
    }
    let read = out.len() - first;
    let Some(last) = out.last().map(|r| r.row_id.clone()).filter(|_| read > 0) else {
        return Ok(0);
    };
    // Driven by this chunk's ids (CROSS JOIN keeps hub_push the outer loop), so a chunk
    // costs its own rows' lookups whatever the size of the table or of the whole push.
    let range = "p.tbl = ?1 AND p.row_id > ?2 AND p.row_id <= ?3";
    let from = |table: &str| {
        format!(
            "FROM temp.hub_push p CROSS JOIN main.{table} x
                ON x.tbl = p.tbl AND x.row_id = p.row_id WHERE {range}"
        )
    };
    let mut each = |sql: &str,
                    put: &mut dyn FnMut(&mut HubRow, &rusqlite::Row<'_>) -> Result<()>|
     -> Result<()> {
        let mut stmt = conn.prepare_cached(sql)?;
        let mut rows = stmt.query(rusqlite::params![name, after, last])?;
        while let Some(row) = rows.next()? {
            let row_id: String = row.get(0)?;
            if let Some(&i) = index.get(&row_id) {
                put(&mut out[i], row)?;
            }
        }
        Ok(())
    };
    each(
        &format!("SELECT x.row_id, x.field, x.hlc {}", from("field_clock")),
        &mut |r, row| {
            r.clocks.insert(row.get(1)?, Json::String(row.get(2)?));
            Ok(())
        },
    )?;
    each(
        &format!(
            "SELECT x.row_id, x.field, x.hlc, x.base {}",
            from("field_base")
        ),
        &mut |r, row| {
            r.bases.insert(
                row.get(1)?,
                Json::Array(vec![Json::String(row.get(2)?), Json::String(row.get(3)?)]),
            );
            Ok(())
        },
    )?;
    Ok(read)
}

/// This database's sites, members' keys and sites' claims: small sets, pushed whole.
pub fn sets(conn: &Connection) -> Result<HubSets> {
    let pairs = |sql: &str| -> Result<Vec<(String, String)>> {
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    let blobs = |sql: &str| -> Result<Vec<(String, Vec<u8>)>> {
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    Ok(HubSets {
        sites: pairs("SELECT site_id, member_id FROM sites ORDER BY site_id")?,
        keys: blobs("SELECT member_id, public_key FROM member_keys ORDER BY member_id")?,
        claims: blobs("SELECT site_id, sig FROM site_claims ORDER BY site_id")?,
    })
}

/// What [`write_pull_file`] could not take from the hub's rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dropped {
    /// Rows of tables this build does not know, or that SQLite would not store as they
    /// are (a required value missing).
    pub rows: usize,
}

/// Writes rows pulled from the hub into a new SalesDesk database at `path` (a private
/// file the caller removes), for [`super::merge::merge_from`] to merge.
pub fn write_pull_file(
    path: &Path,
    team_id: &str,
    rows: &[HubRow],
    sets: &HubSets,
) -> Result<Dropped> {
    let mut file = PullFile::create(path, team_id)?;
    for row in rows {
        file.add_row(row)?;
    }
    for (s, m) in &sets.sites {
        file.add_site(s, m)?;
    }
    for (m, k) in &sets.keys {
        file.add_key(m, k)?;
    }
    for (s, c) in &sets.claims {
        file.add_claim(s, c)?;
    }
    file.finish()
}

/// A private SalesDesk database that rows pulled from the hub are written into as they
/// arrive, so that a pull of any size holds one row in memory at a time; then
/// [`super::merge::merge_from`] merges it. Constraints are not enforced on the way in: a
/// row that breaks one is the merge's to screen and quarantine, like a team file's.
pub struct PullFile {
    conn: Connection,
    dropped: Dropped,
    /// Each table's INSERT, made once: a join adds hundreds of thousands of rows.
    inserts: Vec<(&'static str, String)>,
}

impl PullFile {
    pub fn create(path: &Path, team_id: &str) -> Result<PullFile> {
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "OFF")?;
        conn.pragma_update(None, "synchronous", "OFF")?;
        migrate(&mut conn)?;
        conn.pragma_update(None, "ignore_check_constraints", "ON")?;
        // A pull holds what changed, not the rows it refers to: those are in the local
        // database, and the merge checks every reference against both.
        conn.pragma_update(None, "foreign_keys", "OFF")?;
        conn.execute_batch("BEGIN")?;
        // The merge reads this file's tables only: the triggers that keep its search
        // index and last contacts would cost a large pull a good part of its time.
        let triggers: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger'")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for name in triggers {
            conn.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
        }
        // Nor are the secondary indexes: the merge reads this file by primary key, or
        // whole. Built at the end of a first join of the 100k-deal team they took 0.5 s
        // of its 10.5 s of CPU, and the merge then took no less. Unique ones stay: they
        // decide what an INSERT OR REPLACE replaces.
        let indexes: Vec<String> = conn
            .prepare(
                "SELECT name FROM sqlite_schema
                  WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for name in &indexes {
            conn.execute_batch(&format!("DROP INDEX \"{name}\""))?;
        }
        // The migrations make the default pipeline; here only what the hub sent counts.
        conn.execute("DELETE FROM pipelines", [])?;
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('team_id', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [team_id],
        )?;
        Ok(PullFile {
            conn,
            dropped: Dropped::default(),
            inserts: Vec::new(),
        })
    }

    /// Adds one row with its clocks and base clocks; a row of a table this
    /// build does not know, or that SQLite would not store as it is, is dropped (counted).
    pub fn add_row(&mut self, row: &HubRow) -> Result<()> {
        let Some(table) = table_named(row.table) else {
            self.dropped.rows += 1;
            return Ok(());
        };
        let name = table.name();
        let fields = table.fields();
        let at = match self.inserts.iter().position(|(t, _)| *t == name) {
            Some(at) => at,
            None => {
                self.inserts.push((name, insert_sql(name, fields)));
                self.inserts.len() - 1
            }
        };
        // Texts are bound where they lie, not copied: a join binds millions.
        let values = std::iter::once(ToSqlOutput::Borrowed(ValueRef::Text(row.row_id.as_bytes())))
            .chain(fields.iter().map(|f| from_json(row.data.get(*f))));
        let inserted = self
            .conn
            .prepare_cached(&self.inserts[at].1)?
            .execute(params_from_iter(values));
        if inserted.is_err() {
            self.dropped.rows += 1;
            return Ok(());
        }
        let known = |f: &str| f == ROW_CLOCK || fields.contains(&f);
        // Most rows of a join carry only their row clock: the statements for what they
        // lack are not even looked up.
        if !row.clocks.is_empty() {
            self.add_clocks(name, row, &known)?;
        }
        if !row.bases.is_empty() {
            self.add_bases(name, row, &known)?;
        }
        Ok(())
    }

    fn add_clocks(&self, name: &str, row: &HubRow, known: &dyn Fn(&str) -> bool) -> Result<()> {
        let mut clock = self.conn.prepare_cached(
            "INSERT OR REPLACE INTO field_clock (tbl, row_id, field, hlc) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (field, hlc) in &row.clocks {
            if let (true, Json::String(hlc)) = (known(field), hlc) {
                clock.execute(rusqlite::params![name, row.row_id, field, hlc])?;
            }
        }
        Ok(())
    }

    fn add_bases(&self, name: &str, row: &HubRow, known: &dyn Fn(&str) -> bool) -> Result<()> {
        let mut base = self.conn.prepare_cached(
            "INSERT OR REPLACE INTO field_base (tbl, row_id, field, hlc, base)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (field, b) in &row.bases {
            let Json::Array(parts) = b else { continue };
            if let (true, [Json::String(hlc), Json::String(b)]) = (known(field), parts.as_slice()) {
                base.execute(rusqlite::params![name, row.row_id, field, hlc, b])?;
            }
        }
        Ok(())
    }

    pub fn add_site(&mut self, site: &str, member: &str) -> Result<()> {
        self.conn
            .prepare_cached("INSERT OR IGNORE INTO sites (site_id, member_id) VALUES (?1, ?2)")?
            .execute([site, member])?;
        Ok(())
    }

    pub fn add_key(&mut self, member: &str, key: &[u8]) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT OR IGNORE INTO member_keys (member_id, public_key) VALUES (?1, ?2)",
            )?
            .execute(rusqlite::params![member, key])?;
        Ok(())
    }

    pub fn add_claim(&mut self, site: &str, sig: &[u8]) -> Result<()> {
        self.conn
            .prepare_cached("INSERT OR IGNORE INTO site_claims (site_id, sig) VALUES (?1, ?2)")?
            .execute(rusqlite::params![site, sig])?;
        Ok(())
    }

    /// Commits and closes the file; what could not be taken.
    pub fn finish(self) -> Result<Dropped> {
        self.conn.execute_batch("COMMIT")?;
        let dropped = self.dropped;
        self.conn
            .close()
            .map_err(|(_, e)| super::StoreError::from(e))?;
        Ok(dropped)
    }
}

fn to_json(value: Value) -> Json {
    match value {
        Value::Null => Json::Null,
        Value::Integer(i) => Json::from(i),
        Value::Real(f) => serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number),
        Value::Text(t) => Json::String(t),
        // No domain column holds a blob; should one, it travels as an object the merge
        // would refuse rather than as text it might take.
        Value::Blob(b) => serde_json::json!({ "blob": hex(&b) }),
    }
}

/// The SQLite value of a JSON value from the hub, a text bound where it lies.
fn from_json(value: Option<&Json>) -> ToSqlOutput<'_> {
    ToSqlOutput::Owned(match value {
        None | Some(Json::Null) => Value::Null,
        Some(Json::Bool(b)) => Value::Integer(i64::from(*b)),
        Some(Json::Number(n)) => match n.as_i64() {
            Some(i) => Value::Integer(i),
            None => Value::Real(n.as_f64().unwrap_or(0.0)),
        },
        Some(Json::String(s)) => return ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
        Some(other) => Value::Text(other.to_string()),
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The statement [`PullFile::add_row`] stores a row of `table` with.
fn insert_sql(table: &str, fields: &[&str]) -> String {
    let columns = fields
        .iter()
        .map(|f| format!("\"{f}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let marks = vec!["?"; fields.len() + 1].join(", ");
    format!("INSERT OR REPLACE INTO {table} (id, {columns}) VALUES ({marks})")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use crate::store::test_support::{add_customer, fixed_clock};

    #[test]
    fn rows_pushed_from_one_database_merge_into_another_through_a_pull_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut a = Store::open(&dir.path().join("a.db"), fixed_clock()).unwrap();
        let b = Store::open(&dir.path().join("b.db"), fixed_clock()).unwrap();
        let id = add_customer(&mut a, "ACME");
        let (rows, clock) = rows_to_push(a.conn(), None, a.site_id(), &[]).unwrap();
        assert!(clock.is_some());
        let acme = rows.iter().find(|r| r.row_id == id).unwrap();
        assert_eq!(acme.table, "customers");
        assert_eq!(acme.data["name"], Json::from("ACME"));
        assert!(acme.clocks.contains_key(ROW_CLOCK));
        // Only what this site wrote after a clock: nothing after its own latest.
        let (later, _) = rows_to_push(a.conn(), clock.as_deref(), a.site_id(), &[]).unwrap();
        assert!(later.is_empty());

        let pull = dir.path().join("pull.db");
        let sets = sets(a.conn()).unwrap();
        let dropped = write_pull_file(&pull, "team-1", &rows, &sets).unwrap();
        assert_eq!(dropped, Dropped::default());
        let report = crate::store::merge::merge_from(&b, &pull).unwrap();
        assert!(report.rows_added >= 1, "{report:?}");
        let name: String = b
            .conn()
            .query_row("SELECT name FROM customers WHERE id = ?1", [&id], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(name, "ACME");
    }

    #[test]
    fn a_push_is_read_a_chunk_at_a_time_in_table_order_with_nothing_missed() {
        let mut store = crate::store::test_support::memory_store();
        for i in 0..7 {
            add_customer(&mut store, &format!("Customer {i}"));
        }
        let (all, _) = rows_to_push(store.conn(), None, store.site_id(), &[]).unwrap();
        let (mut reader, _) = PushReader::start(store.conn(), None, store.site_id(), &[]).unwrap();
        let mut chunks = Vec::new();
        loop {
            let chunk = reader.next_chunk(3).unwrap();
            if chunk.is_empty() {
                break;
            }
            assert!(chunk.len() <= 3);
            chunks.push(chunk);
        }
        reader.finish().unwrap();
        let read: Vec<HubRow> = chunks.into_iter().flatten().collect();
        assert_eq!(read, all);
        assert!(read.iter().filter(|r| r.table == "customers").count() == 7);
        // Tables in the order rows refer to each other, each row with its clocks.
        let rank = |t: &str| Table::ALL.iter().position(|x| x.name() == t).unwrap();
        assert!(
            read.windows(2)
                .all(|w| rank(w[0].table) <= rank(w[1].table))
        );
        assert!(read.iter().all(|r| !r.clocks.is_empty()));
    }

    #[test]
    fn unknown_tables_and_columns_from_the_hub_are_dropped_and_values_keep_their_type() {
        let dir = tempfile::tempdir().unwrap();
        let mut data = Map::new();
        data.insert("name".into(), Json::from("Sales"));
        data.insert("position".into(), Json::from(2));
        data.insert("created_at".into(), Json::from(1));
        data.insert("updated_at".into(), Json::from(1));
        data.insert("evil".into(), Json::from("x"));
        let row = |table, data: &Map<String, Json>| HubRow {
            table,
            row_id: "p1".into(),
            data: data.clone(),
            clocks: Map::new(),
            bases: Map::new(),
        };
        let pull = dir.path().join("pull.db");
        let dropped = write_pull_file(
            &pull,
            "t",
            &[row("pipelines", &data), row("sqlite_master", &data)],
            &HubSets::default(),
        )
        .unwrap();
        assert_eq!(dropped.rows, 1);
        // A row missing a required value cannot be stored: dropped too, and counted.
        data.remove("created_at");
        let again = dir.path().join("again.db");
        let dropped = write_pull_file(&again, "t", &[row("pipelines", &data)], &HubSets::default());
        assert_eq!(dropped.unwrap().rows, 1);
        let conn = Connection::open(&pull).unwrap();
        let (name, kind): (String, String) = conn
            .query_row(
                "SELECT name, typeof(position) FROM pipelines WHERE id = 'p1'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((name.as_str(), kind.as_str()), ("Sales", "integer"));
        assert_eq!(
            from_json(Some(&Json::from(1.5))),
            ToSqlOutput::Owned(Value::Real(1.5))
        );
    }
}
