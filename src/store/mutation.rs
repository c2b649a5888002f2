//! The single write path. Every change to the data — by the CLI, the TUI, the demo
//! generator or a sync — is a list of [`Write`]s handed to [`Store::apply`], which in one
//! `BEGIN IMMEDIATE` transaction writes the rows, stamps one `field_clock` entry per field
//! written with the next hybrid logical clock, and returns the [`Undo`] that reverts it.
//!
//! Nothing outside this module issues INSERT or UPDATE statements.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Statement, Transaction, TransactionBehavior};

use super::{Store, StoreError};
use crate::sync::hlc::Hlc;

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
}

impl Store {
    /// Applies `writes` atomically: all of them or none.
    pub fn apply(&mut self, label: &str, writes: Vec<Write>) -> Result<Undo, StoreError> {
        let now = self.clock.now_millis();
        let site = self.site_id.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut hlc = read_hlc(&tx, &site)?;
        let mut inverse = Vec::with_capacity(writes.len());
        {
            let mut statements = Statements::new(&tx);
            for write in writes {
                hlc = Hlc::tick(&hlc, now, &site);
                if let Some(undo) = apply_one(&mut statements, write, now, &hlc.to_string())? {
                    inverse.push(undo);
                }
            }
        }
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('hlc', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [hlc.to_string()],
        )?;
        tx.commit()?;
        inverse.reverse();
        Ok(Undo {
            label: label.to_string(),
            writes: inverse,
        })
    }

    /// Reverts a change made earlier with [`Store::apply`]; returns the undo of the undo.
    pub fn undo(&mut self, undo: &Undo) -> Result<Undo, StoreError> {
        self.apply(&undo.label, undo.writes.clone())
    }

    /// Runs `load`, a bulk load into a new database (the demo generator), with durability
    /// relaxed for its duration: `synchronous = OFF` and a larger page cache. The writes
    /// still go through [`Store::apply`], each batch atomic; what is given up is only that
    /// a power cut during the load may lose or damage the half-made file, which the user
    /// can simply make again. The previous settings are restored afterwards, also on error.
    pub fn bulk_load<T>(
        &mut self,
        load: impl FnOnce(&mut Store) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let synchronous: i64 = self
            .conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))?;
        let cache_size: i64 = self.conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        self.conn.pragma_update(None, "synchronous", "OFF")?;
        self.conn
            .pragma_update(None, "cache_size", BULK_CACHE_KIB)?;
        let result = load(self);
        let restored = self
            .conn
            .pragma_update(None, "synchronous", synchronous)
            .and_then(|()| self.conn.pragma_update(None, "cache_size", cache_size));
        let value = result?;
        restored?;
        Ok(value)
    }
}

/// Page cache during a bulk load, in KiB as `PRAGMA cache_size` takes it (negative).
const BULK_CACHE_KIB: i64 = -128 * 1024;

fn read_hlc(tx: &Transaction<'_>, site: &str) -> Result<Hlc, StoreError> {
    let text: Option<String> = tx
        .query_row("SELECT value FROM meta WHERE key = 'hlc'", [], |r| r.get(0))
        .optional()?;
    Ok(text
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| Hlc::zero(site)))
}

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
            // A table has fewer than MAX_FIELDS fields, so `pos` fits.
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Insert,
    Update,
    ReadOld,
    Clock,
}

/// The statements one `apply` uses, prepared on first use and kept for the rest of it, so
/// that a batch of thousands of writes prepares each shape of statement only once.
struct Statements<'c> {
    conn: &'c Connection,
    prepared: HashMap<(Table, Kind, u32), Statement<'c>>,
}

impl<'c> Statements<'c> {
    fn new(conn: &'c Connection) -> Statements<'c> {
        Statements {
            conn,
            prepared: HashMap::new(),
        }
    }

    fn get(
        &mut self,
        table: Table,
        kind: Kind,
        mask: u32,
    ) -> Result<&mut Statement<'c>, StoreError> {
        match self.prepared.entry((table, kind, mask)) {
            Entry::Occupied(e) => Ok(e.into_mut()),
            Entry::Vacant(e) => {
                let stmt = self.conn.prepare(&statement_sql(table, kind, mask))?;
                Ok(e.insert(stmt))
            }
        }
    }
}

/// The SQL of one statement shape. Field names come from [`Table::fields`], never from
/// input; values are always bound: `?1` is the row id, `?2…` the values in column order
/// (for a clock, `?2` is the clock).
fn statement_sql(table: Table, kind: Kind, mask: u32) -> String {
    let name = table.name();
    let fields: Vec<&str> = Layout::names(table, mask).collect();
    let numbered = |sep: &str, each: &dyn Fn(usize, &str) -> String| -> String {
        fields
            .iter()
            .enumerate()
            .map(|(i, f)| each(i + 2, f))
            .collect::<Vec<_>>()
            .join(sep)
    };
    match kind {
        Kind::Insert => format!(
            "INSERT INTO {name} (id, {}) VALUES (?1, {})",
            fields.join(", "),
            numbered(", ", &|n, _| format!("?{n}"))
        ),
        Kind::Update => format!(
            "UPDATE {name} SET {} WHERE id = ?1",
            numbered(", ", &|n, f| format!("{f} = ?{n}"))
        ),
        Kind::ReadOld => format!("SELECT {} FROM {name} WHERE id = ?1", fields.join(", ")),
        // One statement stamps every field of the write.
        Kind::Clock => format!(
            "INSERT INTO field_clock (tbl, row_id, field, hlc) VALUES {}
             ON CONFLICT (tbl, row_id, field) DO UPDATE SET hlc = excluded.hlc",
            numbered(", ", &|_, f| format!("('{name}', ?1, '{f}', ?2)"))
        ),
    }
}

/// Writes one row and its clocks; returns the write that reverts it.
fn apply_one(
    statements: &mut Statements<'_>,
    mut write: Write,
    now: i64,
    hlc: &str,
) -> Result<Option<Write>, StoreError> {
    let table = write.table;
    // Check the fields before adding the timestamps, so that a bad write says which field.
    Layout::of(&write)?;
    if table.has_timestamps() {
        if write.insert && write.get("created_at").is_none() {
            write.fields.push(("created_at", Value::Integer(now)));
        }
        if write.get("updated_at").is_none() {
            write.fields.push(("updated_at", Value::Integer(now)));
        }
    }
    let layout = Layout::of(&write)?;
    let undo = if write.insert {
        insert_row(statements, &write, &layout)?;
        Some(Write::update(table, write.id.clone()).set("deleted_at", now))
    } else {
        let old = read_old(statements, &write, &layout)?;
        write_values(
            statements.get(table, Kind::Update, layout.mask)?,
            &write,
            &layout,
        )?;
        let mut undo = Write::update(table, write.id.clone());
        undo.fields.reserve(layout.len);
        // `old` is in column order; give the undo the write's own field order.
        let mut by_pos: Vec<Option<Value>> = vec![None; write.fields.len()];
        for (&pos, value) in layout.order[..layout.len].iter().zip(old) {
            by_pos[usize::from(pos)] = Some(value);
        }
        for ((field, _), value) in write.fields.iter().zip(by_pos) {
            if let Some(value) = value.filter(|_| *field != "updated_at") {
                undo.fields.push((field, value));
            }
        }
        (!undo.fields.is_empty()).then_some(undo)
    };
    if layout.mask != 0 {
        let stmt = statements.get(table, Kind::Clock, layout.mask)?;
        stmt.raw_bind_parameter(1, &write.id)?;
        stmt.raw_bind_parameter(2, hlc)?;
        stmt.raw_execute()?;
    }
    Ok(undo)
}

/// Binds the row id and the values in column order, and runs the statement.
fn write_values(stmt: &mut Statement<'_>, write: &Write, layout: &Layout) -> rusqlite::Result<()> {
    stmt.raw_bind_parameter(1, &write.id)?;
    for (i, value) in layout.values(write).enumerate() {
        stmt.raw_bind_parameter(i + 2, value)?;
    }
    stmt.raw_execute()?;
    Ok(())
}

fn insert_row(
    statements: &mut Statements<'_>,
    write: &Write,
    layout: &Layout,
) -> Result<(), StoreError> {
    let stmt = statements.get(write.table, Kind::Insert, layout.mask)?;
    write_values(stmt, write, layout).map_err(|e| match e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::ConstraintViolation
                && f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY =>
        {
            StoreError::Internal(format!(
                "{} {} already exists",
                write.table.name(),
                write.id
            ))
        }
        other => StoreError::from(other),
    })
}

/// The current values of the fields an update is about to change, in column order.
fn read_old(
    statements: &mut Statements<'_>,
    write: &Write,
    layout: &Layout,
) -> Result<Vec<Value>, StoreError> {
    if layout.mask == 0 {
        return Err(StoreError::Internal(format!(
            "an update of {} {} sets no fields",
            write.table.name(),
            write.id
        )));
    }
    let stmt = statements.get(write.table, Kind::ReadOld, layout.mask)?;
    stmt.raw_bind_parameter(1, &write.id)?;
    let mut rows = stmt.raw_query();
    match rows.next()? {
        Some(row) => Ok((0..layout.len)
            .map(|i| row.get::<_, Value>(i))
            .collect::<rusqlite::Result<_>>()?),
        None => Err(StoreError::NotFound {
            what: write.table.singular().to_string(),
            reference: write.id.clone(),
        }),
    }
}
