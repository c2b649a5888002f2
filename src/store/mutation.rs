//! The single write path. Every change to the data — by the CLI, the TUI, the demo
//! generator or a sync — is a list of [`Write`]s handed to [`Store::apply`], which in one
//! `BEGIN IMMEDIATE` transaction writes the rows, stamps one `field_clock` entry per field
//! written with the next hybrid logical clock, and returns the [`Undo`] that reverts it.
//!
//! Nothing outside this module issues INSERT or UPDATE statements.

use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};

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
        for write in writes {
            hlc = Hlc::tick(&hlc, now, &site);
            if let Some(undo) = apply_one(&tx, write, now, &hlc.to_string())? {
                inverse.push(undo);
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
}

fn read_hlc(tx: &Transaction<'_>, site: &str) -> Result<Hlc, StoreError> {
    let text: Option<String> = tx
        .query_row("SELECT value FROM meta WHERE key = 'hlc'", [], |r| r.get(0))
        .optional()?;
    Ok(text
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| Hlc::zero(site)))
}

/// Writes one row and its clocks; returns the write that reverts it.
fn apply_one(
    tx: &Transaction<'_>,
    mut write: Write,
    now: i64,
    hlc: &str,
) -> Result<Option<Write>, StoreError> {
    let table = write.table;
    let allowed = table.fields();
    if let Some((bad, _)) = write.fields.iter().find(|(f, _)| !allowed.contains(f)) {
        return Err(StoreError::Internal(format!(
            "{} has no field {bad}",
            table.name()
        )));
    }
    if table.has_timestamps() {
        if write.insert && write.get("created_at").is_none() {
            write = write.set("created_at", now);
        }
        if write.get("updated_at").is_none() {
            write = write.set("updated_at", now);
        }
    }
    let undo = if write.insert {
        insert_row(tx, &write)?;
        Some(Write::update(table, write.id.clone()).set("deleted_at", now))
    } else {
        let old = read_fields(tx, &write)?;
        update_row(tx, &write)?;
        let mut undo = Write::update(table, write.id.clone());
        for ((field, _), value) in write.fields.iter().zip(old) {
            if *field != "updated_at" {
                undo = undo.set(field, value);
            }
        }
        (!undo.fields.is_empty()).then_some(undo)
    };
    let mut stmt = tx.prepare_cached(
        "INSERT INTO field_clock (tbl, row_id, field, hlc) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (tbl, row_id, field) DO UPDATE SET hlc = excluded.hlc",
    )?;
    for (field, _) in &write.fields {
        stmt.execute(params![table.name(), write.id, field, hlc])?;
    }
    Ok(undo)
}

fn insert_row(tx: &Transaction<'_>, write: &Write) -> Result<(), StoreError> {
    let names: Vec<&str> = write.fields.iter().map(|(f, _)| *f).collect();
    let placeholders: Vec<String> = (2..=names.len() + 1).map(|i| format!("?{i}")).collect();
    let sql = format!(
        "INSERT INTO {} (id, {}) VALUES (?1, {})",
        write.table.name(),
        names.join(", "),
        placeholders.join(", ")
    );
    let mut stmt = tx.prepare_cached(&sql)?;
    let mut values: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(names.len() + 1);
    values.push(&write.id);
    values.extend(write.fields.iter().map(|(_, v)| v as &dyn rusqlite::ToSql));
    stmt.execute(values.as_slice()).map_err(|e| match e {
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
    })?;
    Ok(())
}

fn read_fields(tx: &Transaction<'_>, write: &Write) -> Result<Vec<Value>, StoreError> {
    let names: Vec<&str> = write.fields.iter().map(|(f, _)| *f).collect();
    let sql = format!(
        "SELECT {} FROM {} WHERE id = ?1",
        names.join(", "),
        write.table.name()
    );
    let mut stmt = tx.prepare_cached(&sql)?;
    stmt.query_row([&write.id], |row| {
        (0..names.len()).map(|i| row.get::<_, Value>(i)).collect()
    })
    .optional()?
    .ok_or_else(|| StoreError::NotFound {
        what: write.table.name().trim_end_matches('s').replace('_', " "),
        reference: write.id.clone(),
    })
}

fn update_row(tx: &Transaction<'_>, write: &Write) -> Result<(), StoreError> {
    let sets: Vec<String> = write
        .fields
        .iter()
        .enumerate()
        .map(|(i, (f, _))| format!("{f} = ?{}", i + 2))
        .collect();
    let sql = format!(
        "UPDATE {} SET {} WHERE id = ?1",
        write.table.name(),
        sets.join(", ")
    );
    let mut stmt = tx.prepare_cached(&sql)?;
    let mut values: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(write.fields.len() + 1);
    values.push(&write.id);
    values.extend(write.fields.iter().map(|(_, v)| v as &dyn rusqlite::ToSql));
    stmt.execute(values.as_slice())?;
    Ok(())
}
