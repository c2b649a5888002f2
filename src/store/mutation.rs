//! The single write path. Every change to the data — by the CLI, the TUI, the demo
//! generator or a sync — is a list of [`Write`]s handed to [`Store::apply`], which in one
//! `BEGIN IMMEDIATE` transaction writes the rows, stamps them with the next hybrid logical
//! clock in `field_clock`, and returns the [`Undo`] that reverts it.
//!
//! An insert stamps one clock for the whole row (field [`ROW_CLOCK`]); an update stamps
//! each field it writes. A field's clock is the later of its own and its row's (see
//! [`crate::store::merge`]). Every field of a new row was written by the insert, so one
//! entry says the same as one per field, at a tenth of the rows: a book of 100k deals
//! keeps about 0.7 million clocks instead of 6.6 million.
//!
//! Nothing outside this module (and the merge, which keeps a teammate's clocks) issues
//! INSERT or UPDATE statements.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Statement, TransactionBehavior};

use super::{Store, StoreError, search};
use crate::sync::hlc::Hlc;

/// The `field` under which `field_clock` keeps a row's clock: that of the write that
/// inserted it, standing for each field that has no later clock of its own.
pub const ROW_CLOCK: &str = "*";

/// The tables that hold domain data, with the fields a write may set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table {
    Members,
    Stages,
    Customers,
    Contacts,
    CustomerTags,
    Deals,
    StageChanges,
    Activities,
}

impl Table {
    pub const ALL: [Table; 8] = [
        Table::Members,
        Table::Stages,
        Table::Customers,
        Table::Contacts,
        Table::CustomerTags,
        Table::Deals,
        Table::StageChanges,
        Table::Activities,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Table::Members => "members",
            Table::Stages => "stages",
            Table::Customers => "customers",
            Table::Contacts => "contacts",
            Table::CustomerTags => "customer_tags",
            Table::Deals => "deals",
            Table::StageChanges => "stage_changes",
            Table::Activities => "activities",
        }
    }

    /// Every column but `id`.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            Table::Members => &["name", "email", "created_at", "updated_at", "deleted_at"],
            Table::Stages => &[
                "name",
                "position",
                "probability",
                "rot_days",
                "created_at",
                "updated_at",
                "deleted_at",
            ],
            Table::Customers => &[
                "name",
                "kind",
                "industry",
                "region",
                "tier",
                "status",
                "owner_id",
                "satisfaction",
                "source",
                "website",
                "notes",
                "created_at",
                "updated_at",
                "deleted_at",
            ],
            Table::Contacts => &[
                "customer_id",
                "name",
                "title",
                "phone",
                "email",
                "is_primary",
                "notes",
                "created_at",
                "updated_at",
                "deleted_at",
            ],
            Table::CustomerTags => &[
                "customer_id",
                "tag",
                "created_at",
                "updated_at",
                "deleted_at",
            ],
            Table::Deals => &[
                "title",
                "customer_id",
                "contact_id",
                "stage_id",
                "status",
                "amount_minor",
                "currency",
                "expected_close",
                "source",
                "owner_id",
                "lost_reason",
                "closed_at",
                "position",
                "notes",
                "created_at",
                "updated_at",
                "deleted_at",
            ],
            Table::StageChanges => &[
                "deal_id",
                "from_stage_id",
                "to_stage_id",
                "from_status",
                "to_status",
                "at",
                "by",
                "deleted_at",
            ],
            Table::Activities => &[
                "kind",
                "subject",
                "body",
                "deal_id",
                "customer_id",
                "contact_id",
                "due_at",
                "done_at",
                "outcome",
                "owner_id",
                "created_at",
                "updated_at",
                "deleted_at",
            ],
        }
    }

    /// One row of the table, for messages: "no activity matches …".
    pub fn singular(self) -> &'static str {
        match self {
            Table::Members => "member",
            Table::Stages => "stage",
            Table::Customers => "customer",
            Table::Contacts => "contact",
            Table::CustomerTags => "customer tag",
            Table::Deals => "deal",
            Table::StageChanges => "stage change",
            Table::Activities => "activity",
        }
    }

    fn has_timestamps(self) -> bool {
        self != Table::StageChanges
    }

    pub fn from_name(name: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// One row written: an insert of a new row, or an update of some fields of an old one.
#[derive(Debug, Clone, PartialEq)]
pub struct Write {
    pub table: Table,
    pub id: String,
    pub insert: bool,
    pub fields: Vec<(&'static str, Value)>,
}

impl Write {
    pub fn insert(table: Table, id: impl Into<String>) -> Write {
        Write {
            table,
            id: id.into(),
            insert: true,
            fields: Vec::new(),
        }
    }

    pub fn update(table: Table, id: impl Into<String>) -> Write {
        Write {
            table,
            id: id.into(),
            insert: false,
            fields: Vec::new(),
        }
    }

    /// Sets a field; a later `set` of the same field replaces the earlier one.
    pub fn set(mut self, field: &'static str, value: impl Into<Value>) -> Write {
        let value = value.into();
        match self.fields.iter_mut().find(|(f, _)| *f == field) {
            Some(slot) => slot.1 = value,
            None => self.fields.push((field, value)),
        }
        self
    }

    /// Sets a text field, storing an empty or blank string as NULL.
    pub fn set_text(self, field: &'static str, value: Option<&str>) -> Write {
        let v = value
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        self.set(field, v)
    }

    fn get(&self, field: &str) -> Option<&Value> {
        self.fields
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, v)| v)
    }
}

/// The writes that revert an applied change, with a description for the status bar.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Undo {
    pub label: String,
    pub writes: Vec<Write>,
    /// The sync conflict the change decided, which undoing it puts back to review (see
    /// [`crate::store::merge::resolve`]).
    pub reopens: Option<i64>,
}

impl Store {
    /// Applies `writes` atomically: all of them or none.
    pub fn apply(&mut self, label: &str, writes: Vec<Write>) -> Result<Undo, StoreError> {
        let now = self.clock.now_millis();
        if self.bulk {
            // `bulk_load`'s transaction makes the whole load atomic, this write included.
            return write_all(&self.conn, &self.site_id, now, label, writes);
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let undo = write_all(&tx, &self.site_id, now, label, writes)?;
        tx.commit()?;
        Ok(undo)
    }

    /// Reverts a change made earlier with [`Store::apply`], in one transaction; returns
    /// the undo of the undo.
    pub fn undo(&mut self, undo: &Undo) -> Result<Undo, StoreError> {
        let now = self.clock.now_millis();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let redo = write_all(&tx, &self.site_id, now, &undo.label, undo.writes.clone())?;
        if let Some(id) = undo.reopens {
            super::merge::reopen(&tx, id)?;
        }
        tx.commit()?;
        Ok(redo)
    }

    /// Runs `load`, a bulk load into a new database (the demo generator), in one
    /// transaction: all of it is written or none. Its writes still go through
    /// [`Store::apply`]; what differs is how the indexes are kept. Updating every index
    /// row by row costs several times more than building it once from the finished
    /// tables, so the secondary indexes and the search triggers of the domain tables are
    /// dropped first and built again at the end ([`BulkIndexes`]). A database file leaves
    /// WAL mode meanwhile, when no other connection has it open: with a rollback journal
    /// the new pages go straight to the file, instead of once to the WAL and again to the
    /// file. Durability is relaxed (`synchronous = OFF`, temporary files in memory): a
    /// power cut during the load may damage the half-made file, which the user can simply
    /// make again. The settings are restored afterwards, also when `load` fails.
    pub fn bulk_load<T>(
        &mut self,
        load: impl FnOnce(&mut Store) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let read = |pragma: &str| -> Result<i64, StoreError> {
            Ok(self
                .conn
                .query_row(&format!("PRAGMA {pragma}"), [], |r| r.get(0))?)
        };
        let before = [
            ("synchronous", read("synchronous")?, 0),
            ("temp_store", read("temp_store")?, 2),
        ];
        for (pragma, _, bulk) in before {
            self.conn.pragma_update(None, pragma, bulk)?;
        }
        let wal = self.journal_mode()? == "wal" && self.set_journal_mode("delete")?;
        let result = self.load_in_one_transaction(load);
        let back = if wal {
            self.set_journal_mode("wal").map(drop)
        } else {
            Ok(())
        };
        let restored = before
            .iter()
            .try_for_each(|(pragma, old, _)| self.conn.pragma_update(None, pragma, old));
        let value = result?;
        restored?;
        back?;
        Ok(value)
    }

    fn journal_mode(&self) -> Result<String, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))?)
    }

    /// Sets the journal mode; whether SQLite took it (a file stays in WAL mode while
    /// another connection has it open).
    fn set_journal_mode(&self, mode: &str) -> Result<bool, StoreError> {
        let set = self
            .conn
            .pragma_update_and_check(None, "journal_mode", mode, |r| r.get::<_, String>(0));
        match set {
            Ok(now) => Ok(now == mode),
            Err(rusqlite::Error::SqliteFailure(e, _))
                if matches!(
                    e.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                ) =>
            {
                Ok(false)
            }
            Err(e) => Err(e.into()),
        }
    }

    fn load_in_one_transaction<T>(
        &mut self,
        load: impl FnOnce(&mut Store) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        // Not `Connection::transaction`: its guard would borrow the connection that
        // `load` writes through. The transaction is ended below on every path.
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let loaded = BulkIndexes::drop(&self.conn).and_then(|indexes| {
            self.bulk = true;
            let value = load(self);
            self.bulk = false;
            let value = value?;
            indexes.rebuild(&self.conn)?;
            Ok(value)
        });
        match loaded {
            Ok(value) => {
                self.conn.execute_batch("COMMIT")?;
                Ok(value)
            }
            Err(e) => {
                // Dropped indexes and triggers come back with the rollback.
                self.conn.execute_batch("ROLLBACK")?;
                Err(e)
            }
        }
    }
}

/// The indexes and triggers of the domain tables, dropped for a bulk load and made again
/// after it. The only triggers there keep the search index: the load fills it in one pass
/// instead ([`search::fill_index`]). Any other trigger is refused, since dropping it would
/// skip what it does.
struct BulkIndexes {
    /// `CREATE INDEX` and `CREATE TRIGGER` statements, as the schema holds them.
    sql: Vec<String>,
}

impl BulkIndexes {
    fn drop(conn: &Connection) -> Result<BulkIndexes, StoreError> {
        let tables: Vec<&str> = Table::ALL.iter().map(|t| t.name()).collect();
        let mut stmt = conn.prepare(&format!(
            "SELECT type, name, sql FROM sqlite_schema
              WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND tbl_name IN ({})",
            vec!["?"; tables.len()].join(", ")
        ))?;
        let found = stmt
            .query_map(rusqlite::params_from_iter(&tables), |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<Vec<(String, String, String)>>>()?;
        let mut sql = Vec::with_capacity(found.len());
        for (kind, name, create) in found {
            if kind == "trigger" && !search::TRIGGERS.contains(&name.as_str()) {
                return Err(StoreError::Internal(format!(
                    "a bulk load does not know what trigger {name} does"
                )));
            }
            // The name comes from the schema, not from input.
            conn.execute_batch(&format!("DROP {kind} \"{name}\""))?;
            sql.push(create);
        }
        search::clear_index(conn)?;
        Ok(BulkIndexes { sql })
    }

    fn rebuild(self, conn: &Connection) -> Result<(), StoreError> {
        search::fill_index(conn)?;
        for create in &self.sql {
            conn.execute_batch(create)?;
        }
        Ok(())
    }
}

/// The most rows one INSERT statement writes. Each statement inside a transaction opens a
/// statement savepoint, and FTS5 flushes its pending index data to a new segment at every
/// savepoint; writing many rows per statement keeps those segments, and the merging they
/// cause, few. 256 rows of the widest table stay far below SQLite's parameter limit.
const MAX_BATCH: usize = 256;

/// Writes `writes` on `conn`, inside a transaction the caller holds, and returns their
/// undo.
fn write_all(
    conn: &Connection,
    site: &str,
    now: i64,
    label: &str,
    writes: Vec<Write>,
) -> Result<Undo, StoreError> {
    let mut hlc = read_hlc(conn, site)?;
    let mut planned = Vec::with_capacity(writes.len());
    for write in writes {
        hlc = Hlc::tick(&hlc, now, site);
        planned.push(Planned::new(write, now, hlc.to_string())?);
    }
    let mut inverse = Vec::with_capacity(planned.len());
    {
        let mut statements = Statements::new(conn);
        let mut rest = planned.as_slice();
        while !rest.is_empty() {
            let n = batch_len(rest);
            let (batch, tail) = rest.split_at(n);
            if batch[0].write.insert {
                insert_rows(&mut statements, batch)?;
                inverse.extend(batch.iter().map(|p| {
                    Write::update(p.write.table, p.write.id.clone()).set("deleted_at", now)
                }));
            } else {
                inverse.extend(update_row(&mut statements, &batch[0])?);
            }
            stamp_clocks(&mut statements, batch)?;
            rest = tail;
        }
    }
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('hlc', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [hlc.to_string()],
    )?;
    inverse.reverse();
    Ok(Undo {
        label: label.to_string(),
        writes: inverse,
        reopens: None,
    })
}

fn read_hlc(conn: &Connection, site: &str) -> Result<Hlc, StoreError> {
    let text: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'hlc'", [], |r| r.get(0))
        .optional()?;
    Ok(text
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| Hlc::zero(site)))
}

/// A write ready to run: timestamps added, fields checked, its clock assigned.
struct Planned {
    write: Write,
    layout: Layout,
    hlc: String,
}

impl Planned {
    fn new(mut write: Write, now: i64, hlc: String) -> Result<Planned, StoreError> {
        if write.table.has_timestamps() {
            if write.insert && write.get("created_at").is_none() {
                write.fields.push(("created_at", Value::Integer(now)));
            }
            if write.get("updated_at").is_none() {
                write.fields.push(("updated_at", Value::Integer(now)));
            }
        }
        let layout = Layout::of(&write)?;
        if !write.insert && layout.mask == 0 {
            return Err(StoreError::Internal(format!(
                "an update of {} {} sets no fields",
                write.table.name(),
                write.id
            )));
        }
        Ok(Planned { write, layout, hlc })
    }

    /// Whether `other` can share an INSERT statement with this write.
    fn same_insert_shape(&self, other: &Planned) -> bool {
        self.write.insert
            && other.write.insert
            && self.write.table == other.write.table
            && self.layout.mask == other.layout.mask
    }
}

/// How many writes at the start of `rest` run as one statement: a run of inserts into the
/// same table setting the same fields, cut to one of a few sizes so that a batch of any
/// length needs few statement shapes (each is prepared once per `apply`); an update runs
/// alone.
fn batch_len(rest: &[Planned]) -> usize {
    let run = rest
        .iter()
        .take(MAX_BATCH)
        .take_while(|p| rest[0].same_insert_shape(p))
        .count();
    BATCH_SIZES
        .into_iter()
        .find(|&size| size <= run)
        .unwrap_or(1)
}

/// The statement sizes `batch_len` cuts runs into, largest first.
const BATCH_SIZES: [usize; 3] = [MAX_BATCH, 16, 1];

/// Which fields of its table a write sets, in the table's column order: the statements
/// for a write depend only on this, so they are built and prepared once per shape.
struct Layout {
    /// Bit `i` is set when the write sets `table.fields()[i]`.
    mask: u32,
    /// For each set bit in ascending order, the field's index in `Write::fields`.
    order: [u8; MAX_FIELDS],
    len: usize,
}

/// More fields than any table has; `Layout::mask` has a bit for each.
const MAX_FIELDS: usize = 32;

impl Layout {
    fn of(write: &Write) -> Result<Layout, StoreError> {
        let table = write.table;
        let allowed = table.fields();
        let mut slot = [u8::MAX; MAX_FIELDS];
        for (pos, (field, _)) in write.fields.iter().enumerate() {
            let Some(i) = allowed.iter().position(|f| f == field) else {
                return Err(StoreError::Internal(format!(
                    "{} has no field {field}",
                    table.name()
                )));
            };
            if slot[i] != u8::MAX {
                return Err(StoreError::Internal(format!(
                    "{} field {field} is set twice in one write",
                    table.name()
                )));
            }
            // Fields are unique and a table has fewer than MAX_FIELDS, so `pos` fits.
            slot[i] = pos as u8;
        }
        let mut layout = Layout {
            mask: 0,
            order: [0; MAX_FIELDS],
            len: 0,
        };
        for (i, &pos) in slot.iter().enumerate().take(allowed.len()) {
            if pos != u8::MAX {
                layout.mask |= 1 << i;
                layout.order[layout.len] = pos;
                layout.len += 1;
            }
        }
        Ok(layout)
    }

    /// The names of the fields written, in column order.
    fn names(table: Table, mask: u32) -> impl Iterator<Item = &'static str> {
        table
            .fields()
            .iter()
            .enumerate()
            .filter(move |(i, _)| mask & (1 << i) != 0)
            .map(|(_, f)| *f)
    }

    /// The values written, in column order.
    fn values<'w>(&self, write: &'w Write) -> impl Iterator<Item = &'w Value> {
        self.order[..self.len]
            .iter()
            .map(move |&pos| &write.fields[usize::from(pos)].1)
    }
}

/// The statements `apply` runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    /// Inserts `rows` rows.
    Insert {
        rows: usize,
    },
    /// Stamps `rows` rows: each new row's [`ROW_CLOCK`], or the fields each update set.
    Clock {
        rows: usize,
    },
    /// Reads the values an update is about to replace.
    ReadOld,
    Update,
}

/// A statement is fully described by its kind, its table and the fields it writes.
type Shape = (Kind, Table, u32);

/// The statements one `apply` uses, prepared on first use and kept for the rest of it, so
/// that a batch of thousands of writes prepares each shape of statement only once.
struct Statements<'c> {
    conn: &'c Connection,
    prepared: HashMap<Shape, Statement<'c>>,
}

impl<'c> Statements<'c> {
    fn new(conn: &'c Connection) -> Statements<'c> {
        Statements {
            conn,
            prepared: HashMap::new(),
        }
    }

    fn get(&mut self, shape: Shape) -> Result<&mut Statement<'c>, StoreError> {
        match self.prepared.entry(shape) {
            Entry::Occupied(e) => Ok(e.into_mut()),
            Entry::Vacant(e) => {
                let stmt = self.conn.prepare(&statement_sql(shape))?;
                Ok(e.insert(stmt))
            }
        }
    }
}

/// The SQL of one statement shape. Table and field names come from [`Table`], never from
/// input; values are always bound parameters.
fn statement_sql((kind, table, mask): Shape) -> String {
    let name = table.name();
    let fields: Vec<&str> = Layout::names(table, mask).collect();
    let rows = |n: usize, row: &dyn Fn(usize) -> String| -> String {
        (0..n).map(row).collect::<Vec<_>>().join(", ")
    };
    match kind {
        // ?1 … are the rows' ids and values, row after row, each in column order.
        Kind::Insert { rows: n } => {
            let columns: Vec<&str> = std::iter::once("id").chain(fields).collect();
            let row = format!("({})", vec!["?"; columns.len()].join(", "));
            format!(
                "INSERT INTO {name} ({}) VALUES {}",
                columns.join(", "),
                rows(n, &|_| row.clone())
            )
        }
        // Row r's id is ?(2r+1) and its clock ?(2r+2); each of its fields gets its clock.
        // The fields are listed in key order, so that each row's clocks land together.
        // An insert's shape has no fields (see `stamp_clocks`): the row clock stands for them.
        Kind::Clock { rows: n } => {
            let mut sorted = if mask == 0 {
                vec![ROW_CLOCK]
            } else {
                fields.clone()
            };
            sorted.sort_unstable();
            let names: Vec<String> = sorted.iter().map(|f| format!("('{f}')")).collect();
            format!(
                "INSERT INTO field_clock (tbl, row_id, field, hlc)
                 SELECT '{name}', r.column1, f.column1, r.column2
                   FROM (VALUES {}) AS r CROSS JOIN (VALUES {}) AS f
                  WHERE true
                 ON CONFLICT (tbl, row_id, field) DO UPDATE SET hlc = excluded.hlc",
                rows(n, &|r| format!("(?{}, ?{})", 2 * r + 1, 2 * r + 2)),
                names.join(", ")
            )
        }
        // ?1 is the id.
        Kind::ReadOld => format!("SELECT {} FROM {name} WHERE id = ?1", fields.join(", ")),
        // ?1 is the id, ?2 … the values in column order.
        Kind::Update => {
            let sets: Vec<String> = (0..fields.len())
                .map(|i| format!("{} = ?{}", fields[i], i + 2))
                .collect();
            format!("UPDATE {name} SET {} WHERE id = ?1", sets.join(", "))
        }
    }
}

/// Inserts a batch of rows of one shape with one statement.
fn insert_rows(statements: &mut Statements<'_>, batch: &[Planned]) -> Result<(), StoreError> {
    let first = &batch[0];
    let table = first.write.table;
    let stmt = statements.get((Kind::Insert { rows: batch.len() }, table, first.layout.mask))?;
    let mut n = 0;
    for p in batch {
        n += 1;
        stmt.raw_bind_parameter(n, &p.write.id)?;
        for value in p.layout.values(&p.write) {
            n += 1;
            stmt.raw_bind_parameter(n, value)?;
        }
    }
    match stmt.raw_execute() {
        Ok(_) => Ok(()),
        Err(rusqlite::Error::SqliteFailure(f, _))
            if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY =>
        {
            let what = match existing_id(statements.conn, batch)? {
                Some(id) => format!("{} {id} already exists", table.name()),
                None => format!("a row of {} already exists", table.name()),
            };
            Err(StoreError::Internal(what))
        }
        Err(e) => Err(e.into()),
    }
}

/// After a failed insert (which SQLite has undone), the first id of `batch` that is
/// already taken, by an earlier row or by an earlier write of the batch.
fn existing_id<'b>(conn: &Connection, batch: &'b [Planned]) -> Result<Option<&'b str>, StoreError> {
    let table = batch[0].write.table.name();
    let mut stmt = conn.prepare(&format!(
        "SELECT EXISTS (SELECT 1 FROM {table} WHERE id = ?1)"
    ))?;
    let mut seen = std::collections::HashSet::new();
    for p in batch {
        let id = p.write.id.as_str();
        if !seen.insert(id) || stmt.query_row([id], |r| r.get::<_, bool>(0))? {
            return Ok(Some(id));
        }
    }
    Ok(None)
}

/// Updates one row; returns the write that reverts it, if it changed anything to revert.
fn update_row(statements: &mut Statements<'_>, p: &Planned) -> Result<Option<Write>, StoreError> {
    let Planned { write, layout, .. } = p;
    let table = write.table;
    let old: Vec<Value> = {
        let stmt = statements.get((Kind::ReadOld, table, layout.mask))?;
        stmt.raw_bind_parameter(1, &write.id)?;
        let mut rows = stmt.raw_query();
        let Some(row) = rows.next()? else {
            return Err(StoreError::NotFound {
                what: table.singular().to_string(),
                reference: write.id.clone(),
            });
        };
        (0..layout.len)
            .map(|i| row.get::<_, Value>(i))
            .collect::<rusqlite::Result<_>>()?
    };
    let stmt = statements.get((Kind::Update, table, layout.mask))?;
    stmt.raw_bind_parameter(1, &write.id)?;
    for (i, value) in layout.values(write).enumerate() {
        stmt.raw_bind_parameter(i + 2, value)?;
    }
    stmt.raw_execute()?;
    // `old` is in column order; the undo sets the fields in the write's own order.
    let mut by_pos: Vec<Option<Value>> = vec![None; write.fields.len()];
    for (&pos, value) in layout.order[..layout.len].iter().zip(old) {
        by_pos[usize::from(pos)] = Some(value);
    }
    let mut undo = Write::update(table, write.id.clone());
    for ((field, _), value) in write.fields.iter().zip(by_pos) {
        if let Some(value) = value.filter(|_| *field != "updated_at") {
            undo.fields.push((field, value));
        }
    }
    Ok((!undo.fields.is_empty()).then_some(undo))
}

/// Stamps each write of `batch` with its clock: a new row once, as a whole; an updated
/// row on every field the update set.
fn stamp_clocks(statements: &mut Statements<'_>, batch: &[Planned]) -> Result<(), StoreError> {
    let first = &batch[0];
    // An update sets at least one field (`Planned::new`), so 0 means an insert.
    let mask = if first.write.insert {
        0
    } else {
        first.layout.mask
    };
    let shape = (Kind::Clock { rows: batch.len() }, first.write.table, mask);
    let stmt = statements.get(shape)?;
    for (r, p) in batch.iter().enumerate() {
        stmt.raw_bind_parameter(2 * r + 1, &p.write.id)?;
        stmt.raw_bind_parameter(2 * r + 2, &p.hlc)?;
    }
    stmt.raw_execute()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::memory_store;

    fn count(store: &Store, sql: &str) -> i64 {
        store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    fn customer(i: usize) -> Write {
        Write::insert(Table::Customers, format!("c{i:04}"))
            .set("name", format!("Customer {i}"))
            .set("tier", "normal".to_string())
    }

    #[test]
    fn a_large_change_is_written_in_batches_with_every_clock_and_undone_whole() {
        let mut store = memory_store();
        // More rows than one statement takes, then an update of one of them.
        let mut writes: Vec<Write> = (0..MAX_BATCH + 37).map(customer).collect();
        writes.push(Write::update(Table::Customers, "c0003").set("tier", "key".to_string()));
        let undo = store.apply("many", writes).unwrap();
        assert_eq!(
            count(&store, "SELECT count(*) FROM customers"),
            MAX_BATCH as i64 + 37
        );
        assert_eq!(
            count(&store, "SELECT count(*) FROM customers WHERE tier = 'key'"),
            1,
            "the update ran after the insert"
        );
        // One for each new row, and tier and updated_at for the updated one.
        assert_eq!(
            count(
                &store,
                "SELECT count(*) FROM field_clock WHERE tbl = 'customers' AND field = '*'"
            ),
            MAX_BATCH as i64 + 37
        );
        let updated: String = store
            .conn()
            .query_row(
                "SELECT group_concat(field) FROM (SELECT field FROM field_clock
                  WHERE tbl = 'customers' AND field <> '*' ORDER BY row_id, field)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(updated, "tier,updated_at");
        assert_eq!(
            count(
                &store,
                "SELECT count(*) FROM search_index WHERE kind = 'customer'"
            ),
            MAX_BATCH as i64 + 37
        );
        // Clocks follow the order of the writes.
        let clocks: Vec<String> = {
            let mut stmt = store
                .conn()
                .prepare("SELECT hlc FROM field_clock WHERE tbl = 'customers' AND field = '*' ORDER BY row_id")
                .unwrap();
            stmt.query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        assert!(clocks.windows(2).all(|w| w[0] < w[1]));
        assert!(store.meta("hlc").unwrap().unwrap() > *clocks.last().unwrap());

        store.undo(&undo).unwrap();
        assert_eq!(
            count(
                &store,
                "SELECT count(*) FROM customers WHERE deleted_at IS NULL"
            ),
            0
        );
        assert_eq!(
            count(&store, "SELECT count(*) FROM customers WHERE tier = 'key'"),
            0,
            "the update was reverted too"
        );
        assert_eq!(count(&store, "SELECT count(*) FROM search_index"), 0);
    }

    #[test]
    fn an_existing_id_is_named_and_nothing_is_written() {
        let mut store = memory_store();
        store.apply("one", vec![customer(7)]).unwrap();
        let before = count(&store, "SELECT count(*) FROM field_clock");
        let writes: Vec<Write> = (0..20).map(customer).collect();
        let err = store.apply("again", writes).unwrap_err();
        assert!(
            err.to_string().contains("customers c0007 already exists"),
            "{err}"
        );
        assert_eq!(count(&store, "SELECT count(*) FROM customers"), 1);
        assert_eq!(count(&store, "SELECT count(*) FROM field_clock"), before);
    }

    #[test]
    fn unknown_and_repeated_fields_are_refused() {
        let mut store = memory_store();
        let err = store
            .apply("bad", vec![customer(1).set("colour", "red".to_string())])
            .unwrap_err();
        assert!(
            err.to_string().contains("customers has no field colour"),
            "{err}"
        );
        let mut twice = customer(2);
        twice.fields.push(("name", Value::Text("again".into())));
        let err = store.apply("bad", vec![twice]).unwrap_err();
        assert!(err.to_string().contains("set twice"), "{err}");
        assert_eq!(count(&store, "SELECT count(*) FROM customers"), 0);
    }

    #[test]
    fn a_missing_row_is_named_in_words() {
        let mut store = memory_store();
        let err = store
            .apply(
                "edit",
                vec![Write::update(Table::Activities, "nope").set("subject", "x".to_string())],
            )
            .unwrap_err();
        assert_eq!(err.to_string(), "no activity matches 'nope'");
    }

    fn schema(store: &Store) -> Vec<String> {
        let mut stmt = store
            .conn()
            .prepare("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    #[test]
    fn a_bulk_load_builds_the_indexes_again_and_a_failed_one_leaves_nothing() {
        let mut store = memory_store();
        let before = schema(&store);
        let clocks = count(&store, "SELECT count(*) FROM field_clock");
        let failed: Result<(), StoreError> = store.bulk_load(|s| {
            s.apply("some", (0..300).map(customer).collect())?;
            Err(StoreError::Invalid("stop".into()))
        });
        assert!(failed.is_err());
        assert_eq!(count(&store, "SELECT count(*) FROM customers"), 0);
        assert_eq!(count(&store, "SELECT count(*) FROM field_clock"), clocks);
        assert_eq!(schema(&store), before);

        store
            .bulk_load(|s| s.apply("many", (0..300).map(customer).collect()))
            .unwrap();
        assert_eq!(schema(&store), before);
        assert_eq!(count(&store, "SELECT count(*) FROM customers"), 300);
        assert_eq!(
            count(
                &store,
                "SELECT count(*) FROM search_index WHERE title MATCH 'Customer 123'"
            ),
            1
        );
        // The triggers are back: a later write is indexed as it happens.
        store.apply("one", vec![customer(1000)]).unwrap();
        assert_eq!(
            count(
                &store,
                "SELECT count(*) FROM search_index WHERE title MATCH 'Customer 1000'"
            ),
            1
        );
    }

    #[test]
    fn bulk_load_restores_the_settings() {
        let mut store = memory_store();
        let before = count(&store, "PRAGMA synchronous");
        assert_ne!(before, 0);
        let inside = store
            .bulk_load(|s| {
                Ok(s.conn()
                    .query_row("PRAGMA synchronous", [], |r| r.get::<_, i64>(0))?)
            })
            .unwrap();
        assert_eq!(inside, 0);
        assert_eq!(count(&store, "PRAGMA synchronous"), before);
        let failed: Result<(), StoreError> =
            store.bulk_load(|_| Err(StoreError::Invalid("stop".into())));
        assert!(failed.is_err());
        assert_eq!(count(&store, "PRAGMA synchronous"), before);
    }
}
