//! Screening a teammate's rows before the merge writes anything: every row that would
//! arrive or change is checked by our own rules ([`crate::store::validate`]), every id it
//! names must be a row this database has or one that arrives with it, every clock it
//! carries must be well formed, and a member's own record may only be changed from a
//! site of that member. What fails is left out (its entries leave
//! `temp.merge_incoming`, and it is listed in `temp.merge_bad`) and reported
//! ([`Refused`], written to the quarantine by the merge); the rows around it merge as
//! usual.
//!
//! Sites are screened too: a site's member never changes, and a site that a file maps to
//! a member who already writes from another site is noted (a restored copy of a
//! database does that; so would a teammate posing as another).
//!
//! Then authorship ([`crate::store::signing`]): members' public keys are taken when this
//! database has none for the member yet (trust on first use), and a different one is
//! refused; a new site of a member with a key must carry that member's signed claim;
//! and every incoming clock of a member with a key must carry a signature by that key
//! over exactly the values it brings and the clock it says it replaced. A member without
//! a key here is history from before keys: their clocks pass unsigned.
//!
//! Runs inside the merge's read transaction, without the write lock.

use std::collections::{HashMap, HashSet};

use rusqlite::types::Value;
use rusqlite::{Transaction, params};

use super::super::quarantine::Refused;
use super::super::teamfile::hlc_pattern;
use super::super::validate::{self, Kind, max_bytes, rules};
use super::super::{Result, Table};
use super::{Authorship, ROW_CLOCK};
use crate::domain::field;
use crate::domain::hlc::SITE_WIDTH;
use crate::domain::limits::check_id;
use crate::domain::sign;

mod signatures;

use signatures::{adopt_signatures, check_signatures};

/// The most refusals one merge writes down one by one; beyond it, one entry per table
/// says how many more there were, so that a file of a million junk rows cannot fill the
/// quarantine either.
pub const MAX_LISTED: usize = 1_000;

/// What screening found.
#[derive(Default)]
pub(super) struct Screened {
    pub refused: Vec<Refused>,
    /// Refusals beyond [`MAX_LISTED`], per table.
    pub unlisted: HashMap<String, usize>,
    /// Rows left out, all told.
    pub rows: usize,
}

impl Screened {
    fn refuse(&mut self, r: Refused) {
        if r.skipped && r.table != "sites" {
            self.rows += 1;
        }
        if self.refused.len() < MAX_LISTED {
            self.refused.push(r);
        } else {
            *self.unlisted.entry(r.table).or_default() += 1;
        }
    }

    /// Every refusal, the counts of unlisted ones as one entry per table.
    pub fn into_entries(self) -> Vec<Refused> {
        let mut out = self.refused;
        let mut tables: Vec<_> = self.unlisted.into_iter().collect();
        tables.sort();
        for (table, n) in tables {
            out.push(Refused {
                site: String::new(),
                table,
                row_id: "*".into(),
                field: String::new(),
                reason: format!("{n} more refused rows, not listed one by one"),
                skipped: true,
            });
        }
        out
    }
}

/// The site at the end of a clock, if the clock is well formed enough to have one.
fn site_of(hlc: &str) -> String {
    let start = hlc.len().saturating_sub(SITE_WIDTH);
    hlc.get(start..)
        .filter(|s| s.len() == SITE_WIDTH && s.bytes().all(|b| b.is_ascii_hexdigit()))
        .unwrap_or("")
        .to_string()
}

/// Screens the attached `remote` against `main`. `combining`: merging team-file copies
/// with each other, where rows the other side lacks arrive even without a clock.
/// `me`: this database's member, when merging into it. `authorship`: whether each
/// incoming clock's signature is verified (a team file) or the hub's word is taken.
pub(super) fn screen(
    read: &Transaction<'_>,
    combining: bool,
    me: Option<&str>,
    authorship: Authorship,
) -> Result<Screened> {
    read.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS merge_bad (
             tbl TEXT NOT NULL, row_id TEXT NOT NULL, PRIMARY KEY (tbl, row_id)) WITHOUT ROWID;
         CREATE TEMP TABLE IF NOT EXISTS merge_sites (
             site_id TEXT PRIMARY KEY, member_id TEXT NOT NULL) WITHOUT ROWID;
         CREATE TEMP TABLE IF NOT EXISTS merge_claims (
             site_id TEXT PRIMARY KEY, sig BLOB NOT NULL) WITHOUT ROWID;
         CREATE TEMP TABLE IF NOT EXISTS merge_keys (
             member_id TEXT PRIMARY KEY, public_key BLOB NOT NULL) WITHOUT ROWID;
         CREATE TEMP TABLE IF NOT EXISTS merge_signed (
             tbl TEXT NOT NULL, row_id TEXT NOT NULL, field TEXT NOT NULL, hlc TEXT NOT NULL,
             PRIMARY KEY (tbl, row_id, field)) WITHOUT ROWID;
         DELETE FROM temp.merge_bad; DELETE FROM temp.merge_sites;
         DELETE FROM temp.merge_claims; DELETE FROM temp.merge_keys;
         DELETE FROM temp.merge_signed;",
    )?;
    let mut found = Screened::default();
    let authors = Authors {
        team_id: team_id(read)?,
        keys: screen_keys(read, &mut found)?,
        ..Authors::default()
    };
    let authors = screen_sites(read, me, authors, &mut found)?;
    let sites = &authors.sites;
    malformed_clocks(read, &mut found)?;
    let mut arrived: HashMap<Table, HashSet<String>> = HashMap::new();
    for table in Table::ALL {
        screen_table(read, table, combining, sites, &mut arrived, &mut found)?;
    }
    if authorship == Authorship::Signatures {
        check_signatures(read, &authors, &mut found)?;
        adopt_signatures(read, &authors)?;
    }
    leave_out_what_names_the_left_out(read, combining, &mut found)?;
    // What was left out does not arrive, in part or whole.
    read.execute(
        "DELETE FROM temp.merge_incoming
          WHERE (tbl, row_id) IN (SELECT tbl, row_id FROM temp.merge_bad)",
        [],
    )?;
    Ok(found)
}

/// Who may write what: the team id every signature is bound to, members' public keys,
/// the sites this database will know after the merge with their members, and the new
/// sites refused for claiming a member with a key without that member's signature.
#[derive(Default)]
struct Authors {
    team_id: String,
    keys: HashMap<String, Vec<u8>>,
    sites: HashMap<String, String>,
    unclaimed: HashMap<String, String>,
}

impl Authors {
    /// The key that signs for `site`'s member, if that member has one here.
    fn key_of_site(&self, site: &str) -> Option<(&str, &[u8])> {
        let member = self.sites.get(site)?;
        self.keys
            .get(member)
            .map(|k| (member.as_str(), k.as_slice()))
    }
}

/// The team the merged databases belong to: this database's link, else the file's.
fn team_id(read: &Transaction<'_>) -> Result<String> {
    Ok(read.query_row(
        "SELECT coalesce((SELECT value FROM main.meta WHERE key = 'team_id'),
                         (SELECT value FROM remote.meta WHERE key = 'team_id'), '')",
        [],
        |r| r.get(0),
    )?)
}

/// Members' public keys after the merge: those this database holds, and the file's for
/// members it has none for yet (written to `temp.merge_keys`, pinned by the merge). A
/// different key for a member whose key is held is refused, so that no file can swap a
/// teammate's key for one of its own.
fn screen_keys(read: &Transaction<'_>, found: &mut Screened) -> Result<HashMap<String, Vec<u8>>> {
    let mut keys: HashMap<String, Vec<u8>> = HashMap::new();
    {
        let mut stmt = read.prepare("SELECT member_id, public_key FROM main.member_keys")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            if let (Value::Text(m), Value::Blob(k)) = (r.get(0)?, r.get(1)?) {
                keys.insert(m, k);
            }
        }
    }
    let mut stmt = read.prepare(
        "SELECT member_id, public_key FROM remote.member_keys
          WHERE octet_length(member_id) <= 300 AND octet_length(public_key) <= 64",
    )?;
    let mut rows = stmt.query([])?;
    let mut pin = read
        .prepare("INSERT OR IGNORE INTO temp.merge_keys (member_id, public_key) VALUES (?1, ?2)")?;
    while let Some(r) = rows.next()? {
        let (member, key): (Value, Value) = (r.get(0)?, r.get(1)?);
        let Value::Text(member) = member else {
            continue;
        };
        let refuse = |found: &mut Screened, reason: String| {
            found.refuse(Refused {
                site: String::new(),
                table: "member_keys".into(),
                row_id: member.clone(),
                field: "public_key".into(),
                reason,
                skipped: true,
            });
        };
        if let Err(why) = check_id(&member) {
            refuse(found, crate::t!("screen-its-member", why = why));
            continue;
        }
        let key = match key {
            Value::Blob(k) if sign::is_valid_public_key(&k) => k,
            _ => {
                refuse(found, crate::t!("screen-not-a-public-key"));
                continue;
            }
        };
        match keys.get(&member) {
            Some(held) if *held == key => {}
            Some(_) => refuse(found, crate::t!("screen-other-public-key")),
            None => {
                pin.execute(params![member, key])?;
                keys.insert(member, key);
            }
        }
    }
    Ok(keys)
}

/// The sites this database will know after the merge, with their members: its own, and
/// the remote's that pass (written to `temp.merge_sites` for the merge to add). A new
/// site of a member with a key needs that member's signed claim; valid claims go to
/// `temp.merge_claims`.
fn screen_sites(
    read: &Transaction<'_>,
    me: Option<&str>,
    mut authors: Authors,
    found: &mut Screened,
) -> Result<Authors> {
    let mut known: HashMap<String, String> = HashMap::new();
    let mut claimed: HashSet<String> = HashSet::new();
    {
        let mut stmt = read.prepare(
            "SELECT site_id, member_id,
                    EXISTS (SELECT 1 FROM main.site_claims c WHERE c.site_id = s.site_id)
               FROM main.sites s",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let site: String = r.get(0)?;
            if r.get::<_, bool>(2)? {
                claimed.insert(site.clone());
            }
            known.insert(site, r.get(1)?);
        }
    }
    let mut members_with_sites: HashSet<String> = known.values().cloned().collect();
    let mut stmt = read.prepare(
        "SELECT s.site_id, s.member_id,
                (SELECT c.sig FROM remote.site_claims c WHERE c.site_id = s.site_id)
           FROM remote.sites s
          WHERE octet_length(s.site_id) <= 64 AND octet_length(s.member_id) <= 300",
    )?;
    let mut rows = stmt.query([])?;
    let mut insert = read
        .prepare("INSERT OR IGNORE INTO temp.merge_sites (site_id, member_id) VALUES (?1, ?2)")?;
    let mut claim =
        read.prepare("INSERT OR IGNORE INTO temp.merge_claims (site_id, sig) VALUES (?1, ?2)")?;
    while let Some(r) = rows.next()? {
        let (site, member, sig): (Value, Value, Value) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let (Value::Text(site), Value::Text(member)) = (site, member) else {
            continue;
        };
        let refuse = |found: &mut Screened, reason: String, skipped: bool| {
            found.refuse(Refused {
                site: site_of(&site),
                table: "sites".into(),
                row_id: site.clone(),
                field: "member_id".into(),
                reason,
                skipped,
            });
        };
        if site.len() != SITE_WIDTH || !site.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        {
            refuse(found, crate::t!("screen-not-a-site"), true);
            continue;
        }
        if let Err(why) = check_id(&member) {
            refuse(found, crate::t!("screen-its-member", why = why), true);
            continue;
        }
        // The member's word for it, when the member has a key.
        let signed = match (authors.keys.get(&member), &sig) {
            (Some(key), Value::Blob(sig)) => {
                sign::verify_site_claim(key, &authors.team_id, &site, &member, sig).is_ok()
            }
            _ => false,
        };
        match known.get(&site) {
            Some(m) if *m == member => {
                if let (true, false, Value::Blob(sig)) = (signed, claimed.contains(&site), &sig) {
                    claim.execute(params![site, sig])?;
                }
                continue;
            }
            Some(m) => {
                refuse(
                    found,
                    crate::t!("screen-site-member-changed", member = &member, held = m),
                    true,
                );
                continue;
            }
            None => {}
        }
        if authors.keys.contains_key(&member) {
            if !signed {
                refuse(
                    found,
                    crate::t!(
                        "screen-site-unsigned-claim",
                        member = member_name(read, &member)
                    ),
                    true,
                );
                authors.unclaimed.insert(site.clone(), member.clone());
                continue;
            }
            // A restored copy or another device of theirs, in their own word.
            if let Value::Blob(sig) = &sig {
                claim.execute(params![site, sig])?;
            }
        } else if me == Some(member.as_str()) {
            refuse(found, crate::t!("screen-site-writes-as-you"), false);
        } else if members_with_sites.contains(&member) {
            refuse(
                found,
                crate::t!("screen-site-second", member = &member),
                false,
            );
        }
        insert.execute(params![site, member])?;
        members_with_sites.insert(member.clone());
        known.insert(site, member);
    }
    authors.sites = known;
    Ok(authors)
}

/// The name a member goes by here, for a reason to name them.
fn member_name(read: &Transaction<'_>, member: &str) -> String {
    read.query_row(
        "SELECT coalesce((SELECT name FROM main.members WHERE id = ?1),
                         (SELECT name FROM remote.members WHERE id = ?1
                                AND octet_length(name) <= 200))",
        [member],
        |r| r.get::<_, Option<String>>(0),
    )
    .ok()
    .flatten()
    .unwrap_or_else(|| member.to_string())
}

/// Rows whose clocks no SalesDesk writes: left out whole.
fn malformed_clocks(read: &Transaction<'_>, found: &mut Screened) -> Result<()> {
    let tables: Vec<String> = Table::ALL
        .iter()
        .map(|t| format!("'{}'", t.name()))
        .collect();
    let mut stmt = read.prepare(&format!(
        "SELECT DISTINCT tbl, row_id FROM remote.field_clock
          WHERE tbl IN ({}) AND NOT (hlc GLOB ?1)
            AND octet_length(row_id) <= 300",
        tables.join(", ")
    ))?;
    let mut rows = stmt.query([hlc_pattern()])?;
    let mut bad =
        read.prepare("INSERT OR IGNORE INTO temp.merge_bad (tbl, row_id) VALUES (?1, ?2)")?;
    while let Some(r) = rows.next()? {
        let (table, row): (String, Value) = (r.get(0)?, r.get(1)?);
        let Value::Text(row) = row else { continue };
        bad.execute(params![table, row])?;
        found.refuse(Refused {
            site: String::new(),
            table,
            row_id: row,
            field: String::new(),
            reason: crate::t!("screen-bad-clock"),
            skipped: true,
        });
    }
    Ok(())
}

/// Screens the rows of `table` that would arrive or change.
fn screen_table(
    read: &Transaction<'_>,
    table: Table,
    combining: bool,
    sites: &HashMap<String, String>,
    arrived: &mut HashMap<Table, HashSet<String>>,
    found: &mut Screened,
) -> Result<()> {
    let name = table.name();
    let fields = table.fields();
    let rules = rules(table);
    // Each field twice: its size, and its value unless it is too large to read.
    let columns: Vec<String> = fields
        .iter()
        .zip(rules)
        .map(|(f, rule)| {
            let most = max_bytes(rule.kind).unwrap_or(64);
            format!(
                "octet_length(r.\"{f}\"), iif(octet_length(r.\"{f}\") > {most}, NULL, r.\"{f}\")"
            )
        })
        .collect();
    // Whether the row is known here matters to members' rows only, and whose the row is
    // (its newest clock's site) to a refused row only: neither is looked up for every row
    // of a large pull.
    let known = if table == Table::Members {
        format!("EXISTS (SELECT 1 FROM main.{name} l WHERE l.id = r.id)")
    } else {
        "0".to_string()
    };
    let sql = format!(
        "SELECT iif(octet_length(r.id) > 300, NULL, r.id),
                {known},
                {}
           FROM remote.{name} r
          WHERE (r.id IN (SELECT row_id FROM temp.merge_incoming WHERE tbl = ?1)
                 OR (?2 AND NOT EXISTS (SELECT 1 FROM main.{name} l WHERE l.id = r.id)))
            AND NOT EXISTS (SELECT 1 FROM temp.merge_bad b WHERE b.tbl = ?1 AND b.row_id = r.id)",
        columns.join(", ")
    );
    let mut stmt = read.prepare(&sql)?;
    let mut rows = stmt.query(params![name, combining])?;
    let mut incoming = read.prepare_cached(
        "SELECT field, hlc FROM temp.merge_incoming WHERE tbl = ?1 AND row_id = ?2",
    )?;
    let mut bad =
        read.prepare_cached("INSERT OR IGNORE INTO temp.merge_bad (tbl, row_id) VALUES (?1, ?2)")?;
    let mut newest = read
        .prepare_cached("SELECT max(hlc) FROM remote.field_clock WHERE tbl = ?1 AND row_id = ?2")?;
    let keeps_ids = matches!(
        table,
        Table::Customers
            | Table::Contacts
            | Table::Deals
            | Table::Stages
            | Table::Pipelines
            | Table::FieldDefs
    );
    let mut accepted: HashSet<String> = HashSet::new();
    while let Some(r) = rows.next()? {
        let id: Value = r.get(0)?;
        let known: bool = r.get(1)?;
        let mut values = Vec::with_capacity(fields.len());
        let mut oversized = None;
        for (i, (field, rule)) in fields.iter().zip(rules).enumerate() {
            let len: Option<i64> = r.get(2 + 2 * i)?;
            let most = max_bytes(rule.kind).unwrap_or(64);
            if len.is_some_and(|n| usize::try_from(n).unwrap_or(usize::MAX) > most) {
                oversized.get_or_insert((
                    *field,
                    crate::t!(
                        "limit-text-too-long",
                        bytes = len.unwrap_or_default(),
                        most = most
                    ),
                ));
                values.push(Value::Null);
            } else {
                values.push(r.get::<_, Value>(3 + 2 * i)?);
            }
        }
        let Value::Text(row_id) = &id else {
            // An id that is not text (or too long to read) cannot be named either; such
            // rows cannot be merged, and are counted as one.
            found.refuse(Refused {
                site: site_of_row(&mut newest, name, &id)?,
                table: name.into(),
                row_id: "?".into(),
                field: String::new(),
                reason: crate::t!("screen-bad-id"),
                skipped: true,
            });
            continue;
        };
        let verdict = match oversized {
            Some((field, why)) => Err((field.to_string(), why)),
            None => validate::check_row(table, &id, &values)
                .map_err(|b| (b.field.unwrap_or("").to_string(), b.why))
                .and_then(|()| references(read, table, &values, arrived))
                .and_then(|()| custom_field(read, table, row_id, &values, arrived))
                .and_then(|()| {
                    if table == Table::Members && known {
                        own_record(&mut incoming, row_id, sites)
                    } else {
                        Ok(())
                    }
                }),
        };
        match verdict {
            Ok(()) => {
                if keeps_ids {
                    accepted.insert(row_id.clone());
                }
            }
            Err((field, reason)) => {
                bad.execute(params![name, row_id])?;
                found.refuse(Refused {
                    site: site_of_row(&mut newest, name, &id)?,
                    table: name.into(),
                    row_id: row_id.clone(),
                    field,
                    reason,
                    skipped: true,
                });
            }
        }
    }
    if keeps_ids {
        arrived.insert(table, accepted);
    }
    Ok(())
}

/// The site of a remote row's newest clock: whose the row is, as a refusal names it.
fn site_of_row(
    newest: &mut rusqlite::CachedStatement<'_>,
    table: &str,
    id: &Value,
) -> Result<String> {
    let clock: Option<String> = newest.query_row(params![table, id], |r| r.get(0))?;
    Ok(clock.as_deref().map(site_of).unwrap_or_default())
}

/// Rows that name a new row the signature check has left out cannot arrive either (a
/// deal's stage history, its activities): the reference check ran before the signatures
/// were verified, when that row was still arriving. Repeated until nothing more is left
/// out, since what is left out can in turn be named (a customer, its deals, their history).
fn leave_out_what_names_the_left_out(
    read: &Transaction<'_>,
    combining: bool,
    found: &mut Screened,
) -> Result<()> {
    loop {
        let mut more = 0;
        for table in Table::ALL {
            let name = table.name();
            for (field, rule) in table.fields().iter().zip(rules(table)) {
                let Kind::Ref(target) = rule.kind else {
                    continue;
                };
                let target_name = target.name();
                let sql = format!(
                    "SELECT r.id, r.\"{field}\",
                            (SELECT max(c.hlc) FROM remote.field_clock c
                              WHERE c.tbl = ?1 AND c.row_id = r.id)
                       FROM remote.{name} r
                      WHERE (r.id IN (SELECT row_id FROM temp.merge_incoming WHERE tbl = ?1)
                             OR (?3 AND NOT EXISTS (SELECT 1 FROM main.{name} l
                                                     WHERE l.id = r.id)))
                        AND NOT EXISTS (SELECT 1 FROM temp.merge_bad b
                                         WHERE b.tbl = ?1 AND b.row_id = r.id)
                        AND r.\"{field}\" IN (SELECT row_id FROM temp.merge_bad WHERE tbl = ?2)
                        AND NOT EXISTS (SELECT 1 FROM main.{target_name} t
                                         WHERE t.id = r.\"{field}\")"
                );
                let orphans: Vec<(String, String, Option<String>)> = read
                    .prepare(&sql)?
                    .query_map(params![name, target_name, combining], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                    })?
                    .collect::<rusqlite::Result<_>>()?;
                for (row_id, named, newest) in orphans {
                    read.execute(
                        "INSERT OR IGNORE INTO temp.merge_bad (tbl, row_id) VALUES (?1, ?2)",
                        params![name, row_id],
                    )?;
                    found.refuse(Refused {
                        site: newest.as_deref().map(site_of).unwrap_or_default(),
                        table: name.into(),
                        reason: crate::t!(
                            "screen-names-kept-out",
                            what = crate::i18n::noun(target.singular()),
                            id = crate::domain::ids::short_id(&named)
                        ),
                        row_id,
                        field: (*field).to_string(),
                        skipped: true,
                    });
                    more += 1;
                }
            }
        }
        if more == 0 {
            return Ok(());
        }
    }
}

/// Every id the row names must be a row this database has, or one arriving with it.
fn references(
    read: &Transaction<'_>,
    table: Table,
    values: &[Value],
    arrived: &HashMap<Table, HashSet<String>>,
) -> std::result::Result<(), (String, String)> {
    for ((field, rule), value) in table.fields().iter().zip(rules(table)).zip(values) {
        let (Kind::Ref(target), Value::Text(id)) = (rule.kind, value) else {
            continue;
        };
        if arrived.get(&target).is_some_and(|ids| ids.contains(id)) {
            continue;
        }
        let here = read
            .prepare_cached(&format!(
                "SELECT EXISTS (SELECT 1 FROM main.{} WHERE id = ?1)",
                target.name()
            ))
            .and_then(|mut s| s.query_row([id], |r| r.get::<_, bool>(0)))
            .unwrap_or(false);
        if !here {
            return Err((
                field.to_string(),
                crate::t!(
                    "screen-names-missing",
                    what = crate::i18n::noun(target.singular())
                ),
            ));
        }
    }
    Ok(())
}

/// What the rules of one field cannot say about a custom field's rows: a definition's id
/// is made of its entity, type and name ([`field::def_id`]), its name and choices are
/// ones a user could give; a value's id is made of its record's and its field's, its
/// record is a live row of the field's entity, and it is a value of the field's type (a
/// choice one of the field's, as this database or the file lists them).
fn custom_field(
    read: &Transaction<'_>,
    table: Table,
    row_id: &str,
    values: &[Value],
    arrived: &HashMap<Table, HashSet<String>>,
) -> std::result::Result<(), (String, String)> {
    let text = |i: usize| match values.get(i) {
        Some(Value::Text(t)) => Some(t.as_str()),
        _ => None,
    };
    let bad = |field: &str, why: String| Err((field.to_string(), why));
    match table {
        Table::FieldDefs => {
            let (Some(entity), Some(name), Some(kind)) = (text(0), text(1), text(2)) else {
                return bad("", crate::t!("screen-not-a-field-def"));
            };
            let Some((e, k)) = field::parse_def_id(row_id) else {
                return bad("", crate::t!("screen-field-def-id"));
            };
            if e.as_str() != entity || k.as_str() != kind {
                return bad("type", crate::t!("screen-field-def-type"));
            }
            let name_ok = field::check_name(name)
                .is_ok_and(|n| n == name && field::def_id(e, k, &n) == row_id);
            if !name_ok {
                return bad("name", crate::t!("screen-field-def-name"));
            }
            let choices = field::choices_from_stored(text(3));
            match field::check_choices(k, &choices) {
                Ok(checked) if field::choices_stored(&checked).as_deref() == text(3) => Ok(()),
                Ok(_) => bad("choices", crate::t!("screen-field-def-choices")),
                Err(why) => bad("choices", why),
            }
        }
        Table::FieldValues => {
            let (Some(field_id), Some(record)) = (text(0), text(1)) else {
                return bad("", crate::t!("screen-not-a-field-value"));
            };
            if field::value_id(record, field_id) != row_id {
                return bad("", crate::t!("screen-field-value-id"));
            }
            let Some((entity, kind)) = field::parse_def_id(field_id) else {
                return bad("field_id", crate::t!("screen-field-value-no-field"));
            };
            let target = match entity {
                field::Entity::Deal => Table::Deals,
                field::Entity::Customer => Table::Customers,
                field::Entity::Contact => Table::Contacts,
            };
            let here = arrived.get(&target).is_some_and(|ids| ids.contains(record))
                || read
                    .prepare_cached(&format!(
                        "SELECT EXISTS (SELECT 1 FROM main.{} WHERE id = ?1)",
                        target.name()
                    ))
                    .and_then(|mut s| s.query_row([record], |r| r.get::<_, bool>(0)))
                    .unwrap_or(false);
            if !here {
                return bad(
                    "record_id",
                    crate::t!(
                        "screen-names-missing",
                        what = crate::i18n::noun(target.singular())
                    ),
                );
            }
            let Some(value) = text(2) else {
                return Ok(());
            };
            let mut choices: Vec<String> = Vec::new();
            if kind.has_choices() {
                let lists: Vec<Option<String>> = read
                    .prepare_cached(
                        "SELECT choices FROM main.field_defs WHERE id = ?1
                         UNION ALL
                         SELECT choices FROM remote.field_defs
                          WHERE id = ?1 AND octet_length(choices) <= 65536",
                    )
                    .and_then(|mut s| {
                        s.query_map([field_id], |r| r.get(0))?
                            .collect::<rusqlite::Result<_>>()
                    })
                    .unwrap_or_default();
                for list in lists {
                    choices.extend(field::choices_from_stored(list.as_deref()));
                }
            }
            field::check_stored(kind, &choices, value).map_err(|why| ("value".to_string(), why))
        }
        _ => Ok(()),
    }
}

/// A member's record (name, email, removal) changes only from a site of that member.
fn own_record(
    incoming: &mut rusqlite::CachedStatement<'_>,
    member: &str,
    sites: &HashMap<String, String>,
) -> std::result::Result<(), (String, String)> {
    let entries: Vec<(String, String)> = incoming
        .query_map(params![Table::Members.name(), member], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .and_then(|rows| rows.collect())
        .unwrap_or_default();
    for (field, hlc) in entries {
        let site = site_of(&hlc);
        if sites.get(&site).map(String::as_str) != Some(member) {
            let field = if field == ROW_CLOCK {
                String::new()
            } else {
                field
            };
            return Err((
                field,
                crate::t!(
                    "screen-member-record",
                    site = if site.is_empty() { "?" } else { site.as_str() }
                ),
            ));
        }
    }
    Ok(())
}
