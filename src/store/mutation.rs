//! The single write path. Every local change to the data — a use case of the CLI or the
//! TUI, the demo generator — is a list of [`Write`]s handed to [`Store::apply`], which in
//! one `BEGIN IMMEDIATE` transaction writes the rows, stamps them with the next hybrid
//! logical clock in `field_clock`, and returns the [`Undo`] that reverts it. A decision
//! on a sync conflict rides along in the same transaction ([`Settle`]).
//!
//! An insert stamps one clock for the whole row (field [`ROW_CLOCK`]); an update stamps
//! each field it changes. A field written with the value it already holds is skipped:
//! no clock, no undo entry, and an update left with nothing but `updated_at` is dropped
//! (see `update_row`), so resending an untouched value never beats a teammate's edit. A field's clock is the later of its own and its row's (see
//! [`crate::store::merge`]). Every field of a new row was written by the insert, so one
//! entry says the same as one per field, at a tenth of the rows: a book of 100k deals
//! keeps about 0.7 million clocks instead of 6.6 million.
//!
//! Nothing outside this module (and the merge, which keeps a teammate's clocks, and the
//! conflicts log, which has none) issues INSERT or UPDATE statements.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use rusqlite::types::Value;
use rusqlite::{CachedStatement, Connection, OptionalExtension, Statement, TransactionBehavior};

use super::conflicts::{self, Keep};
pub use super::table::Table;
use super::{Store, StoreError};
use crate::domain::hlc::Hlc;

/// The `field` under which `field_clock` keeps a row's clock: that of the write that
/// inserted it, standing for each field that has no later clock of its own.
pub const ROW_CLOCK: &str = "*";

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
    /// [`Settle`]).
    pub reopens: Option<i64>,
}

/// A decision on a sync conflict, carried out in the same transaction as the writes that
/// go with it (the value kept, for [`Keep::Mine`]): the conflict is marked settled, and
/// the change's undo puts it back to review ([`Undo::reopens`]). If the writes fail, or
/// the conflict was settled meanwhile by another process, nothing is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settle {
    pub conflict: i64,
    pub keep: Keep,
}

impl Store {
    /// Applies `writes` atomically: all of them or none.
    pub fn apply(&mut self, label: &str, writes: Vec<Write>) -> Result<Undo, StoreError> {
        self.run(label, writes, None)
    }

    /// Applies `writes` and settles a sync conflict, in one transaction; the undo reverts
    /// the writes and reopens the conflict.
    pub fn apply_and_settle(
        &mut self,
        label: &str,
        writes: Vec<Write>,
        settle: Settle,
    ) -> Result<Undo, StoreError> {
        self.run(label, writes, Some(settle))
    }

    fn run(
        &mut self,
        label: &str,
        writes: Vec<Write>,
        settle: Option<Settle>,
    ) -> Result<Undo, StoreError> {
        self.refuse_if_read_only()?;
        let now = self.clock.now_millis();
        let settles = settle.is_some();
        let change = |conn: &Connection| -> Result<Undo, StoreError> {
            let mut undo = write_all(conn, &self.site_id, now, label, writes)?;
            if let Some(Settle { conflict, keep }) = settle {
                conflicts::mark_resolved(conn, conflict, keep, now)?;
                undo.reopens = Some(conflict);
            }
            Ok(undo)
        };
        if self.bulk {
            // `bulk_load`'s transaction makes the whole load atomic, this write included.
            return change(&self.conn);
        }
        let before = self.conn.total_changes();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let undo = change(&tx)?;
        tx.commit()?;
        if !settles {
            self.note_only_moves(&undo, before)?;
        }
        Ok(undo)
    }

    /// A count of the rows this connection wrote, but for changes that only moved open
    /// deals between stages (with their history, and their undo), which the board makes
    /// all the time. Such a change leaves every closed deal and every customer as it was,
    /// so figures over those (the Won and Lost column heads, the customers board's heads
    /// and lifetime values) can be kept until this count moves; other connections'
    /// commits show in [`Store::data_version`] instead.
    pub fn changes_but_moves(&self) -> u64 {
        self.conn.total_changes().wrapping_sub(self.only_moves)
    }

    /// After a committed change whose undo is `undo`, begun when this connection had
    /// made `before` changes: if it only moved open deals between stages, its rows do
    /// not count in [`Store::changes_but_moves`]. The undo names exactly the fields the
    /// change wrote (each with the value it had), so that is what is looked at.
    fn note_only_moves(&mut self, undo: &Undo, before: u64) -> Result<(), StoreError> {
        const MOVE_FIELDS: [&str; 3] = ["stage_id", "position", "updated_at"];
        for w in &undo.writes {
            let spares = match w.table {
                Table::StageChanges => true,
                Table::Deals => {
                    w.fields.iter().all(|(f, _)| MOVE_FIELDS.contains(f))
                        && self
                            .conn
                            .query_row(
                                "SELECT status = 'open' AND deleted_at IS NULL FROM deals
                                  WHERE id = ?1",
                                [&w.id],
                                |r| r.get::<_, bool>(0),
                            )
                            .optional()?
                            .unwrap_or(false)
                }
                _ => false,
            };
            if !spares {
                return Ok(());
            }
        }
        let made = self.conn.total_changes().wrapping_sub(before);
        self.only_moves = self.only_moves.wrapping_add(made);
        Ok(())
    }

    fn refuse_if_read_only(&self) -> Result<(), StoreError> {
        if self.read_only {
            return Err(StoreError::Internal(
                "a command that only reads tried to change the database".to_string(),
            ));
        }
        Ok(())
    }

    /// Reverts a change made earlier with [`Store::apply`], in one transaction; returns
    /// the undo of the undo.
    pub fn undo(&mut self, undo: &Undo) -> Result<Undo, StoreError> {
        self.refuse_if_read_only()?;
        let now = self.clock.now_millis();
        let before = self.conn.total_changes();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let redo = write_all(&tx, &self.site_id, now, &undo.label, undo.writes.clone())?;
        if let Some(id) = undo.reopens {
            conflicts::reopen(&tx, id)?;
        }
        tx.commit()?;
        if undo.reopens.is_none() {
            self.note_only_moves(&redo, before)?;
        }
        Ok(redo)
    }
}
/// The most rows one INSERT statement writes. Each statement inside a transaction opens a
/// statement savepoint, and FTS5 flushes its pending index data to a new segment at every
/// savepoint; writing many rows per statement keeps those segments, and the merging they
/// cause, few. 256 rows of the widest table stay far below SQLite's parameter limit.
const MAX_BATCH: usize = 256;

/// Writes `writes` on `conn`, inside a transaction the caller holds, and returns their
/// undo. (The merge uses it for the local writes that follow a merge in its transaction.)
pub(super) fn write_all(
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
                stamp_clocks(&mut statements, batch)?;
            } else if let Some((undo, written)) = update_row(&mut statements, &batch[0])? {
                inverse.push(undo);
                stamp_clocks(&mut statements, std::slice::from_ref(&written))?;
            }
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
        // What teammates' merges accept ([`super::validate`]), so that nothing saved here is
        // quarantined there.
        for (field, value) in &write.fields {
            if let Some(rule) = super::validate::rule(write.table, field) {
                super::validate::check_stored(rule, value).map_err(|why| {
                    StoreError::Invalid(crate::t!(
                        "write-not-saved",
                        field = crate::i18n::noun(&field.replace('_', " ")),
                        record = crate::i18n::noun(write.table.singular()),
                        why = why
                    ))
                })?;
            }
        }
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

/// How many prepared statements a connection keeps for reuse: the shapes a large import
/// writes with (three sizes of INSERT and of clock stamp per table, the updates) and the
/// lookups around them, which rusqlite's default of 16 would push out of each other.
pub(super) const STATEMENT_CACHE: usize = 64;

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
    /// Reads the values an update is about to replace, and which of them it keeps.
    ReadOld,
    Update,
}

/// A statement is fully described by its kind, its table and the fields it writes.
type Shape = (Kind, Table, u32);

/// The statements one `apply` uses, prepared on first use and kept for the rest of it, so
/// that a batch of thousands of writes prepares each shape of statement only once. They
/// come from the connection's statement cache and go back to it afterwards: a large
/// import is many `apply`s of the same shapes, and a many-row INSERT is long to prepare.
struct Statements<'c> {
    conn: &'c Connection,
    prepared: HashMap<Shape, CachedStatement<'c>>,
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
            Entry::Occupied(e) => Ok(&mut *e.into_mut()),
            Entry::Vacant(e) => {
                let stmt = self.conn.prepare_cached(&statement_sql(shape))?;
                Ok(&mut *e.insert(stmt))
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
        // ?1 is the id, ?2 … the new values in column order; each field is read with
        // whether the new value equals it.
        Kind::ReadOld => {
            let pairs: Vec<String> = (0..fields.len())
                .map(|i| format!("{f}, {f} IS ?{}", i + 2, f = fields[i]))
                .collect();
            format!("SELECT {} FROM {name} WHERE id = ?1", pairs.join(", "))
        }
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

/// Updates one row with the fields of `p` whose value differs from the stored one, and
/// returns the write that reverts it and the write as made (to stamp its clocks); `None`
/// when nothing but `updated_at` would change, and so nothing is written.
///
/// A field written with the value it already holds gets no clock: a clock says "this
/// value was set now", and stamping one on an untouched value would let it beat a
/// teammate's newer edit of that field at the next merge (a form that sends a field the
/// user did not change, say). Values are compared by SQLite itself (`column IS ?`), with
/// the column's affinity, so `5`, `5.0` and `'5'` in an INTEGER column are one value,
/// exactly as storing them would make them.
fn update_row(
    statements: &mut Statements<'_>,
    p: &Planned,
) -> Result<Option<(Write, Planned)>, StoreError> {
    let Planned { write, layout, hlc } = p;
    let table = write.table;
    // In column order: the stored value, and whether the new one equals it.
    let old: Vec<(Value, bool)> = {
        let stmt = statements.get((Kind::ReadOld, table, layout.mask))?;
        stmt.raw_bind_parameter(1, &write.id)?;
        for (i, value) in layout.values(write).enumerate() {
            stmt.raw_bind_parameter(i + 2, value)?;
        }
        let mut rows = stmt.raw_query();
        let Some(row) = rows.next()? else {
            return Err(StoreError::NotFound {
                what: table.singular().to_string(),
                reference: write.id.clone(),
            });
        };
        (0..layout.len)
            .map(|i| Ok((row.get::<_, Value>(2 * i)?, row.get::<_, bool>(2 * i + 1)?)))
            .collect::<rusqlite::Result<_>>()?
    };
    // Back in the write's own order, for the undo and the write as made.
    let mut by_pos: Vec<Option<(Value, bool)>> = vec![None; write.fields.len()];
    for (&pos, entry) in layout.order[..layout.len].iter().zip(old) {
        by_pos[usize::from(pos)] = Some(entry);
    }
    let mut undo = Write::update(table, write.id.clone());
    let mut made = Write::update(table, write.id.clone());
    for ((field, value), entry) in write.fields.iter().zip(by_pos) {
        let Some((old, same)) = entry else { continue };
        if same {
            continue;
        }
        made.fields.push((field, value.clone()));
        if *field != "updated_at" {
            undo.fields.push((field, old));
        }
    }
    if undo.fields.is_empty() {
        // Nothing but bookkeeping would change: no write, no clock, no undo.
        return Ok(None);
    }
    let made = Planned {
        layout: Layout::of(&made)?,
        write: made,
        hlc: hlc.clone(),
    };
    let stmt = statements.get((Kind::Update, table, made.layout.mask))?;
    stmt.raw_bind_parameter(1, &made.write.id)?;
    for (i, value) in made.layout.values(&made.write).enumerate() {
        stmt.raw_bind_parameter(i + 2, value)?;
    }
    stmt.raw_execute()?;
    Ok(Some((undo, made)))
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
mod tests;
