//! Importing a file: its records matched against the book and written in one
//! transaction, through the one mutation path (so every imported value carries its clock
//! and team sync carries it to teammates).
//!
//! Matching, so that nothing is doubled: a row's own id (the source's id, through
//! [`imported_id`]), else a deal by its customer and title, a customer by name, a contact
//! by email, else by customer and name. Rows later in the file that match an earlier row
//! update it. Customers a deal or contact names are created when the book has none of
//! that name; owners are matched to team members by name or email, and added when new.
//!
//! History is kept: a deal's creation time, its close time and lost reason are the
//! source's, and its stage history starts at creation in its stage and ends at the close,
//! so reports over imported deals are as true as over deals typed in.

use std::collections::HashMap;

use crate::domain::customer::CustomerStatus;
use crate::domain::deal::DealStatus;
use crate::domain::field::{self, FieldDef};
use crate::domain::ids::{imported_id, new_id};
use crate::interop::records::CustomValues;
use crate::interop::records::{
    ActivityRecord, ContactRecord, CustomerRecord, DealRecord, Record, RowError,
};
use crate::store::lookup::{self, Book, RowState};
use crate::store::{Store, StoreError, Table, Write};

type Result<T> = std::result::Result<T, StoreError>;

/// What to do with bad rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnError {
    /// Any bad row stops the import; nothing is written.
    #[default]
    Stop,
    /// The good rows are written; the bad ones are listed.
    Skip,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// Work out and report everything, write nothing.
    pub dry_run: bool,
    pub on_error: OnError,
    /// Where the rows come from (`pipedrive`, `generic`, `vcard` …): the namespace of
    /// their ids.
    pub source: &'static str,
    /// A large file: streamed in a bulk transaction (see [`import`]).
    pub large: bool,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Summary {
    /// Data rows read.
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    /// Bad rows, each with its line and column.
    #[serde(serialize_with = "errors_as_text")]
    pub errors: Vec<RowError>,
    /// Customers added because a row named one the book did not have.
    pub customers_created: usize,
    /// Team members added because a row named an owner the team did not have.
    pub members_created: usize,
    /// Won or lost deals that gave no close time and were closed at their creation.
    pub closed_at_creation: usize,
    /// Whether anything was written.
    pub written: bool,
    /// The file's columns no field reads (see `Mapping::unread`), set by the caller.
    pub unread_columns: Vec<String>,
}

fn errors_as_text<S: serde::Serializer>(
    errors: &[RowError],
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    s.collect_seq(errors.iter().map(ToString::to_string))
}

/// Imports `records` (each a parsed row or the reason it could not be parsed).
///
/// A small import is planned whole and written by one `Store::apply`. A large one
/// ([`Options::large`]) streams: its writes go out in chunks inside one transaction
/// (`Store::bulk_load_in_place`: durability kept; when the chunks insert many rows, the
/// indexes are built once at the end), and what it matches against is looked up in the
/// database once written, so memory holds a chunk of the file, the book's customers,
/// contacts and members, but not its deals; a bad row under [`OnError::Stop`] rolls all
/// of it back.
pub fn import(
    store: &mut Store,
    records: impl IntoIterator<Item = std::result::Result<Record, RowError>>,
    options: Options,
) -> Result<Summary> {
    let conn = store.conn();
    let mut book_rows = HashMap::new();
    for table in [
        Table::Customers,
        Table::Contacts,
        Table::Deals,
        Table::Activities,
    ] {
        book_rows.insert(table, lookup::last_rowid(conn, table)?);
    }
    let mut plan = Plan {
        required: crate::store::fields::list(conn, None)?
            .into_iter()
            .filter(|d| d.required)
            .collect(),
        book: lookup::book(conn)?,
        deal_titles: None,
        options,
        summary: Summary::default(),
        writes: Vec::new(),
        me: store.member_id().to_string(),
        pending: Pending::default(),
        book_rows,
    };
    let records = records.into_iter();
    if options.dry_run {
        plan.run(store, records, |_, writes| {
            writes.clear();
            Ok(())
        })?;
        return Ok(plan.summary);
    }
    if options.large {
        let loaded = store.bulk_load_in_place(|s| {
            plan.run(s, records, |s, writes| {
                // Many new rows: the indexes are built once at the end instead of row by
                // row. A file of updates (imported before) leaves them be, since
                // rebuilding a large book's indexes would cost more than the updates.
                // `deals_customer` stays: deals without an id are looked up by it.
                let inserts = writes.iter().filter(|w| w.insert).count();
                if inserts >= DEFER_INDEXES_AT {
                    s.defer_indexes(&["deals_customer"])?;
                }
                s.apply("import", std::mem::take(writes)).map(drop)
            })?;
            if plan.refused() {
                // Rolls back what was written so far.
                return Err(StoreError::Invalid(STOPPED.into()));
            }
            Ok(())
        });
        match loaded {
            Err(StoreError::Invalid(m)) if m == STOPPED => return Ok(plan.summary),
            other => other?,
        }
    } else {
        plan.run(store, records, |_, _| Ok(()))?;
        if plan.refused() || plan.writes.is_empty() {
            return Ok(plan.summary);
        }
        let label = format!("import {} rows", plan.summary.rows);
        store.apply(&label, std::mem::take(&mut plan.writes))?;
    }
    plan.summary.written = true;
    Ok(plan.summary)
}

/// Why a streaming import was rolled back: a bad row under [`OnError::Stop`].
const STOPPED: &str = "the import stopped at a bad row";

/// How many writes a streaming import hands to `Store::apply` at a time.
const CHUNK_WRITES: usize = 8_192;

/// How many inserts in one chunk make a streaming import build the indexes at its end
/// rather than row by row (see `Store::defer_indexes`).
const DEFER_INDEXES_AT: usize = CHUNK_WRITES / 4;

/// Puts a chunk of writes in the order SQLite writes them fastest, without changing what
/// they do:
///
/// - grouped by table, in the order tables refer to each other (members and customers
///   before the deals that name them): a run of inserts into one table goes to SQLite many
///   rows a statement, where the file's order (a deal, its history, the next deal …) would
///   be one row a statement;
/// - in a table, the inserts first and in id order: ids made from the source's ids are
///   random, and rows (and their clocks) inserted in key order land beside each other in
///   the id index and in `field_clock`, instead of each in another part of them (sorted
///   by chunk, a 100k-deal file's clocks went in a third faster);
/// - then the table's updates, in the order they were planned (the sort is stable): an
///   update follows the insert of its row, and a later update of a row follows an earlier.
fn order_for_writing(writes: &mut [Write]) {
    let order = |t: Table| {
        Table::ALL
            .iter()
            .position(|x| *x == t)
            .unwrap_or(usize::MAX)
    };
    writes.sort_by(|a, b| {
        order(a.table)
            .cmp(&order(b.table))
            .then(b.insert.cmp(&a.insert))
            .then_with(|| match (a.insert, b.insert) {
                (true, true) => a.id.cmp(&b.id),
                _ => std::cmp::Ordering::Equal,
            })
    });
}

/// Why one record could not be planned: a problem of the row (reported, the import goes
/// on), or of the database (the import stops).
enum Problem {
    Row(RowError),
    Store(StoreError),
}

impl From<StoreError> for Problem {
    fn from(e: StoreError) -> Self {
        Problem::Store(e)
    }
}

/// The import so far: the book as it will be, and the writes that make it so.
struct Plan {
    /// The book's required custom fields: a record the file adds must give each of its
    /// kind a value.
    required: Vec<FieldDef>,
    book: Book,
    options: Options,
    summary: Summary,
    writes: Vec<Write>,
    me: String,
    /// What was planned and is not in the database yet (see [`Pending`]).
    pending: Pending,
    /// The highest rowid of each table before the import: a row above it was added by
    /// this import (a later row of the file for the same record updates it, and is not
    /// counted as updating the book).
    book_rows: HashMap<Table, i64>,
    /// Live deals by title alone, read at the first activity that names a deal without
    /// its customer.
    deal_titles: Option<HashMap<String, Option<String>>>,
}

/// Records planned and not yet written, which the database cannot be asked about: the
/// writes of the current chunk (of a whole small import, or of a dry run). Emptied when
/// they are written, so that a large import holds a chunk's worth, not the file's.
#[derive(Default)]
struct Pending {
    /// Ids planned, with whether this import creates the row.
    ids: HashMap<String, bool>,
    /// Deals planned: id → (stage id, status, customer id).
    deals: HashMap<String, (String, String, String)>,
    /// Deals planned: (customer id, lower-cased title) → id.
    titles: HashMap<(String, String), String>,
}

impl Plan {
    /// Plans every record, handing the writes to `flush` whenever a chunk is full and
    /// once at the end (a flush that keeps them leaves them for the caller).
    fn run(
        &mut self,
        store: &mut Store,
        records: impl Iterator<Item = std::result::Result<Record, RowError>>,
        mut flush: impl FnMut(&mut Store, &mut Vec<Write>) -> Result<()>,
    ) -> Result<()> {
        for record in records {
            self.summary.rows += 1;
            let planned = match record {
                Ok(Record::Deal(d)) => self.deal(store, d),
                Ok(Record::Customer(c)) => self.customer(store, c),
                Ok(Record::Contact(c)) => self.contact(store, c),
                Ok(Record::Activity(a)) => self.activity(store, a),
                Err(e) => Err(Problem::Row(e)),
            };
            match planned {
                Ok(()) => {}
                Err(Problem::Row(e)) => self.summary.errors.push(e),
                Err(Problem::Store(e)) => return Err(e),
            }
            if self.refused() && self.options.large && !self.options.dry_run {
                // Nothing will be written: a large file stops at its first bad row (a
                // dry run lists them all).
                return Ok(());
            }
            if self.writes.len() >= CHUNK_WRITES {
                self.flush(store, &mut flush)?;
            }
        }
        self.flush(store, &mut flush)
    }

    /// Hands the writes planned so far to `flush`, in the order [`order_for_writing`]
    /// gives them.
    fn flush(
        &mut self,
        store: &mut Store,
        flush: &mut impl FnMut(&mut Store, &mut Vec<Write>) -> Result<()>,
    ) -> Result<()> {
        order_for_writing(&mut self.writes);
        let planned = self.writes.len();
        flush(store, &mut self.writes)?;
        // Written, the records can be looked up in the database (a dry run writes
        // nothing, and keeps them).
        if !self.options.dry_run && self.writes.is_empty() && planned > 0 {
            self.pending = Pending::default();
        }
        Ok(())
    }

    /// A new record's missing required custom field, as the row's error.
    fn check_required(
        &self,
        entity: field::Entity,
        line: u64,
        custom: &CustomValues,
    ) -> std::result::Result<(), Problem> {
        let missing = self
            .required
            .iter()
            .filter(|d| d.entity == entity)
            .find(|d| !custom.iter().any(|(c, _)| c.id == d.id));
        match missing {
            Some(d) => Err(Problem::Row(RowError {
                line,
                column: None,
                message: crate::t!(
                    "import-required-field",
                    entity = crate::i18n::noun(entity.as_str()),
                    name = d.name.as_str()
                ),
            })),
            None => Ok(()),
        }
    }

    /// The writes of a record's custom field values: a value row made, or set again.
    fn custom_writes(
        &mut self,
        store: &Store,
        record: &str,
        new_record: bool,
        custom: CustomValues,
    ) -> Result<()> {
        for (def, value) in custom {
            let id = field::value_id(record, &def.id);
            // Planned earlier in this file (it is then written before this update).
            let exists = if self.pending.ids.contains_key(&id) {
                true
            } else if new_record {
                false
            } else {
                lookup::row_state(store.conn(), Table::FieldValues, &id)?.is_some()
            };
            let w = if exists {
                Write::update(Table::FieldValues, id).set("deleted_at", None::<i64>)
            } else {
                self.pending.ids.insert(id.clone(), true);
                Write::insert(Table::FieldValues, id)
                    .set("field_id", def.id.clone())
                    .set("record_id", record.to_string())
            };
            self.writes.push(w.set("value", value.stored()));
        }
        Ok(())
    }

    /// Whether a bad row means nothing may be written.
    fn refused(&self) -> bool {
        !self.summary.errors.is_empty() && self.options.on_error == OnError::Stop
    }

    /// A write for record `id`: an insert when it is new, else an update (which also
    /// undeletes a row deleted since the last import).
    fn write_for(&mut self, store: &Store, table: Table, id: &str) -> Result<Write> {
        let found = if self.pending.ids.contains_key(id) {
            None
        } else {
            lookup::row_state(store.conn(), table, id)?
        };
        Ok(self.write_for_found(table, id, found))
    }

    /// [`Plan::write_for`], with the book's row of that id already looked up (`found`;
    /// not looked up, and `None`, when the id is pending).
    fn write_for_found(&mut self, table: Table, id: &str, found: Option<RowState>) -> Write {
        if let Some(&created) = self.pending.ids.get(id) {
            // Planned earlier in this file: updated again.
            if !created {
                self.summary.updated += 1;
            }
            return Write::update(table, id);
        }
        let Some(row) = found else {
            self.summary.created += 1;
            self.pending.ids.insert(id.to_string(), true);
            return Write::insert(table, id);
        };
        let created = self
            .book_rows
            .get(&table)
            .is_some_and(|&last| row.rowid > last);
        if !created {
            self.summary.updated += 1;
        }
        self.pending.ids.insert(id.to_string(), created);
        let w = Write::update(table, id);
        if row.deleted {
            w.set("deleted_at", None::<i64>)
        } else {
            w
        }
    }

    /// The live deal of `customer_id` titled `title` (lower-cased), planned or in the book.
    fn deal_by_title(
        &self,
        store: &Store,
        customer_id: &str,
        title: &str,
    ) -> Result<Option<String>> {
        let key = (customer_id.to_string(), title.to_string());
        if let Some(id) = self.pending.titles.get(&key) {
            return Ok(Some(id.clone()));
        }
        lookup::deal_by_title(store.conn(), customer_id, title)
    }

    /// A live deal's stage, status and customer, planned or in the book.
    fn deal_state(&self, store: &Store, id: &str) -> Result<Option<(String, String, String)>> {
        if let Some(state) = self.pending.deals.get(id) {
            return Ok(Some(state.clone()));
        }
        lookup::deal_state(store.conn(), id)
    }

    /// The id of the customer called `name`, added as a prospect (or, for a won deal,
    /// an active customer) when the book has none, owned by `owner`: the owner of the
    /// deal or activity that names it. (On a team server a rep reads only the customers
    /// they own and those customers' deals; a customer owned by whoever ran the import
    /// would keep a rep's own imported deals from them.)
    fn customer_id(&mut self, name: &str, won: bool, created_at: i64, owner: &str) -> String {
        let key = name.trim().to_lowercase();
        if let Some(id) = self.book.customers.get(&key) {
            return id.clone();
        }
        let id = new_id();
        let status = if won {
            CustomerStatus::Active
        } else {
            CustomerStatus::Prospect
        };
        self.writes.push(
            Write::insert(Table::Customers, id.clone())
                .set("name", name.trim().to_string())
                .set("status", status.as_str().to_string())
                .set("owner_id", owner.to_string())
                .set("created_at", created_at),
        );
        self.summary.customers_created += 1;
        self.book.customers.insert(key, id.clone());
        self.book
            .customer_status
            .insert(id.clone(), status.as_str().to_string());
        id
    }

    /// The team member called (or mailed) `owner`, added when the team has none; none
    /// given: me.
    fn member_id(&mut self, owner: Option<&str>) -> String {
        let Some(owner) = owner.map(str::trim).filter(|o| !o.is_empty()) else {
            return self.me.clone();
        };
        let key = owner.to_lowercase();
        if let Some(id) = self.book.members.get(&key) {
            return id.clone();
        }
        let id = new_id();
        let mut w = Write::insert(Table::Members, id.clone());
        w = if owner.contains('@') {
            w.set("name", owner.split('@').next().unwrap_or(owner).to_string())
                .set("email", owner.to_string())
        } else {
            w.set("name", owner.to_string())
        };
        self.writes.push(w);
        self.summary.members_created += 1;
        self.book.members.insert(key, id.clone());
        id
    }

    fn deal(&mut self, store: &Store, d: DealRecord) -> std::result::Result<(), Problem> {
        let won = d.status == DealStatus::Won;
        let title = d.title.to_lowercase();
        // The deal is found, and a new one checked, before anything the row names (its
        // customer, its owner) is added: a refused row adds nothing.
        let known = self
            .book
            .customers
            .get(&d.customer.trim().to_lowercase())
            .cloned();
        let id = match (&d.source_id, &known) {
            (Some(source), _) => imported_id("deals", self.options.source, source),
            (None, Some(customer)) => self
                .deal_by_title(store, customer, &title)?
                .unwrap_or_else(new_id),
            (None, None) => new_id(),
        };
        // The stage and status it has now, to write a history row when they change: as
        // planned earlier in this file, else as in the book (one probe for both).
        let (found, before) = if self.pending.ids.contains_key(&id) {
            (None, self.pending.deals.get(&id).cloned())
        } else {
            match lookup::deal_row(store.conn(), &id)? {
                Some((row, state)) => (Some(row), state),
                None => (None, None),
            }
        };
        if found.is_none() && !self.pending.ids.contains_key(&id) {
            self.check_required(field::Entity::Deal, d.line, &d.custom)?;
        }
        let owner_id = self.member_id(d.owner.as_deref());
        let customer_id = self.customer_id(&d.customer, won, d.created_at, &owner_id);
        let w = self.write_for_found(Table::Deals, &id, found);
        let new = w.insert;
        let mut w = w
            .set("title", d.title.clone())
            .set("customer_id", customer_id.clone())
            .set("stage_id", d.stage_id.clone())
            .set("status", d.status.as_str().to_string())
            .set("amount_minor", d.amount.minor)
            .set("currency", d.amount.currency.code().to_string())
            .set("closed_at", d.closed_at)
            .set("lost_reason", d.lost_reason.clone())
            .set("owner_id", owner_id.clone());
        let contact = d.contact.as_ref().and_then(|c| {
            self.book
                .contacts
                .get(&(customer_id.clone(), c.trim().to_lowercase()))
                .cloned()
        });
        // A new deal sets every field, empty ones as NULL: inserts of one shape are
        // written many rows to a statement. An update leaves alone what the file omits.
        if contact.is_some() || new {
            w = w.set("contact_id", contact);
        }
        if d.expected_close.is_some() || new {
            w = w.set("expected_close", d.expected_close.map(|c| c.to_string()));
        }
        if d.source.is_some() || new {
            w = w.set_text("source", d.source.as_deref());
        }
        if d.notes.is_some() || new {
            w = w.set_text("notes", d.notes.as_deref());
        }
        if new {
            w = w
                .set("created_at", d.created_at)
                .set("position", -(d.created_at as f64));
        }
        self.writes.push(w);
        self.custom_writes(store, &id, new, d.custom.clone())?;
        // Stage history: as the row gives it, else created in its stage (a new deal) and
        // the close; a later row (a re-import) adds a step when it moves the deal.
        let step = |from: Option<(&str, DealStatus)>, to: (&str, DealStatus), at: i64| {
            Write::insert(Table::StageChanges, new_id())
                .set("deal_id", id.clone())
                .set("from_stage_id", from.map(|(stage, _)| stage.to_string()))
                .set("to_stage_id", to.0.to_string())
                .set(
                    "from_status",
                    from.map(|(_, status)| status.as_str().to_string()),
                )
                .set("to_status", to.1.as_str().to_string())
                .set("at", at)
                .set("by", owner_id.clone())
        };
        let now = (d.stage_id.as_str(), d.status);
        match before {
            None if new && !d.history.is_empty() => {
                let mut from = None;
                for h in &d.history {
                    let to = (h.stage_id.as_str(), h.status);
                    self.writes.push(step(from, to, h.at));
                    from = Some(to);
                }
                // A history that does not end where the row's stage and status say (the
                // sheet was edited) ends there at the close, else now.
                if from != Some(now) {
                    let at = d.closed_at.unwrap_or_else(|| store.now_millis());
                    self.writes.push(step(from, now, at));
                }
            }
            None if new => {
                let open = (d.stage_id.as_str(), DealStatus::Open);
                self.writes.push(step(None, open, d.created_at));
                if let Some(closed) = d.closed_at {
                    self.writes.push(step(Some(open), now, closed));
                }
            }
            Some((stage, status, _)) if stage != d.stage_id || status != d.status.as_str() => {
                let at = d.closed_at.unwrap_or_else(|| store.now_millis());
                let from = status
                    .parse::<DealStatus>()
                    .ok()
                    .map(|s| (stage.as_str(), s));
                self.writes.push(step(from, now, at));
            }
            _ => {}
        }
        if d.closed_at_creation {
            self.summary.closed_at_creation += 1;
        }
        // A won deal makes a prospect an active customer, as winning one in SalesDesk
        // does. Other statuses stay: an imported win may be years old, and a customer who
        // churned or is at risk since says more about the relationship now.
        let status = self.book.customer_status.get(&customer_id);
        let promote = status.is_some_and(|s| s == CustomerStatus::Prospect.as_str());
        if won && promote {
            let active = CustomerStatus::Active.as_str().to_string();
            self.writes.push(
                Write::update(Table::Customers, customer_id.clone()).set("status", active.clone()),
            );
            self.book
                .customer_status
                .insert(customer_id.clone(), active);
        }
        self.pending.deals.insert(
            id.clone(),
            (
                d.stage_id.clone(),
                d.status.as_str().to_string(),
                customer_id.clone(),
            ),
        );
        self.pending.titles.insert((customer_id, title), id);
        Ok(())
    }

    fn customer(&mut self, store: &Store, c: CustomerRecord) -> std::result::Result<(), Problem> {
        let key = c.name.trim().to_lowercase();
        let id = match &c.source_id {
            Some(source) => imported_id("customers", self.options.source, source),
            None => self
                .book
                .customers
                .get(&key)
                .cloned()
                .unwrap_or_else(new_id),
        };
        if !self.pending.ids.contains_key(&id)
            && !self.required.is_empty()
            && lookup::row_state(store.conn(), Table::Customers, &id)?.is_none()
        {
            self.check_required(field::Entity::Customer, c.line, &c.custom)?;
        }
        let mut w = self.write_for(store, Table::Customers, &id)?;
        let new = w.insert;
        w = w.set("name", c.name.trim().to_string());
        let owner = c.owner.as_deref().map(|o| self.member_id(Some(o)));
        if let Some(owner) = owner.or_else(|| new.then(|| self.me.clone())) {
            w = w.set("owner_id", owner);
        }
        if let Some(kind) = c.kind {
            w = w.set("kind", kind.as_str().to_string());
        }
        if let Some(tier) = c.tier {
            w = w.set("tier", tier.as_str().to_string());
        }
        if let Some(status) = c.status.or(new.then_some(CustomerStatus::Prospect)) {
            w = w.set("status", status.as_str().to_string());
            self.book
                .customer_status
                .insert(id.clone(), status.as_str().to_string());
        }
        for (field, value) in [
            ("industry", &c.industry),
            ("region", &c.region),
            ("website", &c.website),
            ("source", &c.source),
            ("notes", &c.notes),
        ] {
            if value.is_some() {
                w = w.set_text(field, value.as_deref());
            }
        }
        if let Some(s) = c.satisfaction {
            w = w.set("satisfaction", s);
        }
        if let (true, Some(created)) = (new, c.created_at) {
            w = w.set("created_at", created);
        }
        self.writes.push(w);
        self.custom_writes(store, &id, new, c.custom)?;
        for tag in &c.tags {
            let tag_id = crate::usecase::customers::tag_id(&id, tag);
            if self.pending.ids.contains_key(&tag_id) {
                continue;
            }
            let found = if new {
                None
            } else {
                lookup::row_state(store.conn(), Table::CustomerTags, &tag_id)?
            };
            match found {
                None => self
                    .writes
                    .push(crate::usecase::customers::tag_write(&id, tag)),
                Some(RowState { deleted: true, .. }) => self.writes.push(
                    Write::update(Table::CustomerTags, tag_id.clone())
                        .set("deleted_at", None::<i64>),
                ),
                Some(_) => {}
            }
            self.pending.ids.insert(tag_id, true);
        }
        self.book.customers.insert(key, id);
        Ok(())
    }

    fn contact(&mut self, store: &Store, c: ContactRecord) -> std::result::Result<(), Problem> {
        let email = c.email.as_ref().map(|e| e.trim().to_lowercase());
        let name = c.name.trim().to_lowercase();
        // Found, and a new one checked, before its customer is added: a refused row adds
        // nothing.
        let known = self.book.customers.get(&c.customer.trim().to_lowercase());
        let id = match &c.source_id {
            Some(source) => imported_id("contacts", self.options.source, source),
            None => email
                .as_ref()
                .and_then(|e| self.book.contact_emails.get(e))
                .or_else(|| {
                    let customer = known?.clone();
                    self.book.contacts.get(&(customer, name.clone()))
                })
                .cloned()
                .unwrap_or_else(new_id),
        };
        if !self.pending.ids.contains_key(&id)
            && !self.required.is_empty()
            && lookup::row_state(store.conn(), Table::Contacts, &id)?.is_none()
        {
            self.check_required(field::Entity::Contact, c.line, &c.custom)?;
        }
        let me = self.me.clone();
        let customer_id = self.customer_id(&c.customer, false, store.now_millis(), &me);
        let key = (customer_id.clone(), name);
        // A contact the row moves to another customer, or renames, is no longer found
        // under its old customer and name; moved, it is no longer its old customer's
        // primary, and at the new one it is as a new contact would be.
        let before = self.book.contact_keys.insert(id.clone(), key.clone());
        let mut moved = None;
        if let Some(old) = before.filter(|old| *old != key) {
            if self.book.contacts.get(&old) == Some(&id) {
                self.book.contacts.remove(&old);
            }
            if old.0 != customer_id {
                if self.book.primary.get(&old.0) == Some(&id) {
                    self.book.primary.remove(&old.0);
                }
                moved = Some(old.0);
            }
        }
        let mut w = self
            .write_for(store, Table::Contacts, &id)?
            .set("customer_id", customer_id.clone())
            .set("name", c.name.trim().to_string());
        // A customer has one primary contact: the one a row says is, else its first,
        // as when added by hand. A row that makes another one primary takes it from the
        // one before.
        let current = self.book.primary.get(&customer_id).cloned();
        let primary = match c.primary {
            Some(p) => Some(p),
            None => (w.insert || moved.is_some()).then_some(current.is_none()),
        };
        match (primary, current) {
            (Some(true), Some(before)) if before != id => {
                self.writes
                    .push(Write::update(Table::Contacts, before).set("is_primary", false));
                self.book.primary.insert(customer_id.clone(), id.clone());
            }
            (Some(true), None) => {
                self.book.primary.insert(customer_id.clone(), id.clone());
            }
            (Some(false), Some(before)) if before == id => {
                self.book.primary.remove(&customer_id);
            }
            _ => {}
        }
        if let Some(p) = primary {
            w = w.set("is_primary", p);
        }
        for (field, value) in [
            ("title", &c.title),
            ("phone", &c.phone),
            ("email", &c.email),
            ("notes", &c.notes),
        ] {
            if value.is_some() {
                w = w.set_text(field, value.as_deref());
            }
        }
        let new = w.insert;
        self.writes.push(w);
        self.custom_writes(store, &id, new, c.custom.clone())?;
        if let Some(e) = email {
            self.book.contact_emails.insert(e, id.clone());
        }
        self.book.contacts.insert(key, id);
        Ok(())
    }

    fn activity(&mut self, store: &Store, a: ActivityRecord) -> std::result::Result<(), Problem> {
        // The deal first, by the customer's name if the book has it: a row naming a deal
        // that does not exist is refused before it adds anything (a customer, an owner).
        let known_customer = a.customer.as_deref().and_then(|name| {
            self.book
                .customers
                .get(&name.trim().to_lowercase())
                .cloned()
        });
        let deal_id = match &a.deal {
            None => None,
            Some(title) => {
                let key = title.trim().to_lowercase();
                let by_customer = match &known_customer {
                    Some(c) => self.deal_by_title(store, c, &key)?,
                    None => None,
                };
                let found = match by_customer {
                    Some(id) => Some(id),
                    None => {
                        let titles = match &mut self.deal_titles {
                            Some(titles) => titles,
                            empty => empty.insert(lookup::deal_titles(store.conn())?),
                        };
                        titles.get(&key).cloned().flatten()
                    }
                };
                Some(found.ok_or_else(|| {
                    Problem::Row(RowError {
                        line: a.line,
                        column: None,
                        message: match a.customer.as_ref() {
                            Some(c) => crate::t!(
                                "import-no-deal-for",
                                title = crate::text::truncate(title, 60),
                                customer = crate::text::truncate(c, 60)
                            ),
                            None => crate::t!(
                                "import-no-deal",
                                title = crate::text::truncate(title, 60)
                            ),
                        },
                    })
                })?)
            }
        };
        // The customer as the book has it, and the contact there, by name or email: a
        // contact not there is refused too before the row adds anything (a customer the
        // row adds has no contacts).
        let deal_customer = match (&a.customer, &deal_id) {
            (None, Some(d)) => self.deal_state(store, d)?.map(|(_, _, customer)| customer),
            _ => None,
        };
        let contact_id = match &a.contact {
            None => None,
            Some(name) => {
                let key = name.trim().to_lowercase();
                let found = known_customer
                    .as_ref()
                    .or(deal_customer.as_ref())
                    .and_then(|c| {
                        self.book
                            .contacts
                            .get(&(c.clone(), key.clone()))
                            .or_else(|| {
                                let id = self.book.contact_emails.get(&key)?;
                                let (customer, _) = self.book.contact_keys.get(id)?;
                                (customer == c).then_some(id)
                            })
                            .cloned()
                    });
                Some(found.ok_or_else(|| {
                    Problem::Row(RowError {
                        line: a.line,
                        column: None,
                        message: crate::t!(
                            "import-no-contact",
                            name = crate::text::truncate(name, 60)
                        ),
                    })
                })?)
            }
        };
        let owner = self.member_id(a.owner.as_deref());
        let customer_id = match &a.customer {
            Some(name) => Some(self.customer_id(name, false, a.created_at, &owner)),
            None => deal_customer,
        };
        let id = match &a.source_id {
            Some(source) => imported_id("activities", self.options.source, source),
            None => new_id(),
        };
        let w = self
            .write_for(store, Table::Activities, &id)?
            .set("kind", a.kind.as_str().to_string())
            .set("subject", a.subject.trim().to_string())
            .set_text("body", a.body.as_deref())
            .set("deal_id", deal_id)
            .set("customer_id", customer_id)
            .set("due_at", a.due_at)
            .set("done_at", a.done_at)
            .set_text("outcome", a.outcome.as_deref())
            .set("owner_id", owner);
        // A file without contacts leaves an activity's contact as it is.
        let w = if contact_id.is_some() || w.insert {
            w.set("contact_id", contact_id)
        } else {
            w
        };
        let w = if w.insert {
            w.set("created_at", a.created_at)
        } else {
            w
        };
        self.writes.push(w);
        Ok(())
    }
}

#[cfg(test)]
mod tests;
