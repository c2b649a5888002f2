//! Signed changes (issue #16): this database's key pair, signing its own writes when they
//! go into the team file, and checking a signature against the values it covers (used by
//! the merge's screen, `merge/screen.rs`). The message and the cryptography are
//! [`crate::domain::sign`]'s.
//!
//! - **Keys.** Each member's database makes an ed25519 key pair the first time it is
//!   linked to a team (or syncs without one). The private key's seed is kept in `meta`
//!   (`member_key`), which a team file never carries; a copy of the database (a restored
//!   backup) holds it too, and signs as the same member. The public key is the member's
//!   row in `member_keys`, which travels in the team file. A merge takes a member's key
//!   only when this database has none for them yet (trust on first use); a different one
//!   later is quarantined.
//! - **What is signed.** Every clock entry (`field_clock`) whose site is one of this
//!   member's, with the clock it replaced (`field_base`) and the digests of the values it
//!   stands for, bound to the team id: one row of `signatures`. Sites' claims to write as
//!   this member are signed too (`site_claims`).
//! - **When.** At export, just before this database is written out as the team file
//!   ([`sign_own`]), rather than on every local write: only the holder of the private key
//!   can sign either way, and a run of edits between two syncs is signed once, off the
//!   path of a saved edit (DESIGN §7: ≤ 20 ms). The first export with a key signs the
//!   member's whole history; after that only what is newer than the last signed clock
//!   (`meta.signed_upto`) is looked at.
//! - **The rule a merge applies** (see `merge/screen.rs`): an incoming clock whose site
//!   belongs to a member whose key this database holds must carry a valid signature by
//!   that key over exactly the values it brings, else its row is quarantined. A member
//!   with no key here is history from before keys: their clocks are accepted unsigned.

use std::collections::HashMap;

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::mutation::ROW_CLOCK;
use super::{Result, Store, StoreError, Table};
use crate::domain::hlc::SITE_WIDTH;
use crate::domain::sign::{self, FieldValue, SiteKey};

/// The meta key holding this member's private key (its 32-byte seed, in hex).
const KEY_META: &str = "member_key";
/// The meta key holding the newest clock of this member's that [`sign_own`] has looked at.
const SIGNED_UPTO: &str = "signed_upto";
/// The meta key holding the team the signatures here were made or checked for.
const SIGNED_TEAM: &str = "signed_team";

/// This database's key, made (and its public half recorded in `member_keys`) if it has
/// none yet.
pub fn ensure_key(store: &Store) -> Result<SiteKey> {
    let conn = store.conn();
    let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    let seed: Option<String> = tx
        .query_row("SELECT value FROM meta WHERE key = ?1", [KEY_META], |r| {
            r.get(0)
        })
        .optional()?;
    let key = match seed.as_deref().and_then(from_hex) {
        Some(seed) => SiteKey::from_seed(&seed),
        None => {
            let mut seed = [0u8; 32];
            getrandom::fill(&mut seed).map_err(|e| {
                StoreError::Internal(format!("the system gave no random bytes for a key: {e}"))
            })?;
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![KEY_META, to_hex(&seed)],
            )?;
            SiteKey::from_seed(&seed)
        }
    };
    // My own record is mine: a key some file claimed for me before I had one gives way.
    tx.execute(
        "INSERT INTO member_keys (member_id, public_key) VALUES (?1, ?2)
         ON CONFLICT (member_id) DO UPDATE SET public_key = excluded.public_key
          WHERE public_key IS NOT excluded.public_key",
        params![store.member_id(), key.public().to_vec()],
    )?;
    tx.commit()?;
    Ok(key)
}

/// Signs, for the team `team_id`, this member's sites' claims and clock entries that have
/// no signature yet (making the key first if needed). Returns how many were signed.
pub fn sign_own(store: &Store, team_id: &str) -> Result<usize> {
    let key = ensure_key(store)?;
    let conn = store.conn();
    let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    let signed_for: Option<String> = tx
        .query_row(
            "SELECT value FROM meta WHERE key = ?1",
            [SIGNED_TEAM],
            |r| r.get(0),
        )
        .optional()?;
    if signed_for.as_deref() != Some(team_id) {
        // Signatures are bound to their team: another team's (after `team leave` and a
        // new team) are worth nothing here, and this member's are made again.
        if signed_for.is_some() {
            tx.execute_batch("DELETE FROM signatures; DELETE FROM site_claims;")?;
        }
        tx.execute("DELETE FROM meta WHERE key = ?1", params![SIGNED_UPTO])?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![SIGNED_TEAM, team_id],
        )?;
    }
    let since: Option<String> = tx
        .query_row(
            "SELECT value FROM meta WHERE key = ?1",
            [SIGNED_UPTO],
            |r| r.get(0),
        )
        .optional()?;
    // This site is one of the member's, even before a merge has noted it (a restored copy
    // with a site id of its own).
    super::members::note_own_site(&tx, store.site_id(), store.member_id())?;
    let (signed, newest) = sign_pending(&tx, &key, team_id, store.member_id(), since.as_deref())?;
    if let Some(newest) = newest.filter(|n| since.as_ref().is_none_or(|s| n > s)) {
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![SIGNED_UPTO, newest],
        )?;
    }
    tx.commit()?;
    Ok(signed)
}

/// The signer of a team file being written: what [`sign_exported`] needs.
pub struct Signer {
    key: SiteKey,
    member: String,
    since: Option<String>,
}

impl Signer {
    /// This store's signer, after [`sign_own`]: entries newer than what that signed.
    pub fn of(store: &Store) -> Result<Signer> {
        Ok(Signer {
            key: ensure_key(store)?,
            member: store.member_id().to_string(),
            since: store.meta(SIGNED_UPTO)?,
        })
    }
}

/// Signs, in an exported team file open on `conn`, what this member wrote after
/// [`sign_own`] ran and before the file was copied (an edit landing in between), so that
/// the file never carries an unsigned write of a member with a key.
pub fn sign_exported(conn: &Connection, signer: &Signer, team_id: &str) -> Result<usize> {
    let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    let (signed, _) = sign_pending(
        &tx,
        &signer.key,
        team_id,
        &signer.member,
        signer.since.as_deref(),
    )?;
    tx.commit()?;
    Ok(signed)
}

/// Signs the claims and entries of `member`'s sites on `conn` that lack a signature
/// (entries newer than `since` only, when given). Returns how many were signed and the
/// newest clock of the member's that was looked at.
fn sign_pending(
    conn: &Connection,
    key: &SiteKey,
    team_id: &str,
    member: &str,
    since: Option<&str>,
) -> Result<(usize, Option<String>)> {
    let mut signed = 0;
    let sites: Vec<(String, bool)> = conn
        .prepare(
            "SELECT site_id, EXISTS (SELECT 1 FROM main.site_claims c WHERE c.site_id = s.site_id)
               FROM main.sites s WHERE member_id = ?1",
        )?
        .query_map([member], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (site, _) in sites.iter().filter(|(_, has)| !has) {
        let sig = key.sign_site_claim(team_id, site, member);
        conn.execute(
            "INSERT OR REPLACE INTO main.site_claims (site_id, sig) VALUES (?1, ?2)",
            params![site, sig.to_vec()],
        )?;
        signed += 1;
    }
    if sites.is_empty() {
        return Ok((signed, None));
    }
    let list = sites
        .iter()
        .map(|(s, _)| format!("'{}'", s.replace('\'', "")))
        .collect::<Vec<_>>()
        .join(", ");
    let mut pending = conn.prepare(&format!(
        "SELECT f.tbl, f.row_id, f.field, f.hlc,
                (SELECT b.base FROM main.field_base b
                  WHERE b.tbl = f.tbl AND b.row_id = f.row_id AND b.field = f.field
                    AND b.hlc = f.hlc)
           FROM main.field_clock f
          WHERE (?1 IS NULL OR f.hlc > ?1)
            AND substr(f.hlc, -{SITE_WIDTH}) IN ({list})
            AND NOT EXISTS (SELECT 1 FROM main.signatures s
                             WHERE s.tbl = f.tbl AND s.row_id = f.row_id AND s.field = f.field
                               AND s.hlc = f.hlc)
          ORDER BY f.tbl, f.row_id"
    ))?;
    let mut rows = pending.query([since])?;
    let mut insert = conn.prepare(
        "INSERT INTO main.signatures (tbl, row_id, field, hlc, vals, sig)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (tbl, row_id, field) DO UPDATE
            SET hlc = excluded.hlc, vals = excluded.vals, sig = excluded.sig",
    )?;
    let mut newest: Option<String> = None;
    let mut row_cache = RowCache::default();
    // Read a run of entries, sign the run across the cores, write it, in the entries'
    // order: the curve arithmetic is nearly all of the time, and it needs no database.
    let mut run: Vec<ToSign> = Vec::with_capacity(RUN);
    loop {
        let row = rows.next()?;
        if let Some(r) = row {
            let (tbl, row_id, field, hlc): (String, String, String, String) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            let base: Option<String> = r.get::<_, Option<String>>(4).unwrap_or(None);
            if newest.as_ref().is_none_or(|n| hlc > *n) {
                newest = Some(hlc.clone());
            }
            let Some(table) = table_named(&tbl) else {
                continue;
            };
            let Some(state) = row_cache.get(conn, "main", table, &row_id)? else {
                continue;
            };
            let vals = sign::encode_values(&state.stood_for(table, &field, &hlc));
            run.push(ToSign {
                tbl,
                row_id,
                field,
                hlc,
                base,
                vals,
            });
            if run.len() < RUN {
                continue;
            }
        }
        if run.is_empty() {
            break;
        }
        let writes: Vec<sign::Write<'_>> = run.iter().map(|e| e.write(team_id)).collect();
        let sigs = key.sign_writes(&writes);
        for (e, sig) in run.iter().zip(sigs) {
            insert.execute(params![
                e.tbl,
                e.row_id,
                e.field,
                e.hlc,
                e.vals,
                sig.to_vec()
            ])?;
            signed += 1;
        }
        run.clear();
    }
    Ok((signed, newest))
}

/// How many entries are signed or verified together: enough to keep every core busy,
/// few enough that their messages take little memory.
pub(crate) const RUN: usize = 4096;

/// An entry read for signing.
struct ToSign {
    tbl: String,
    row_id: String,
    field: String,
    hlc: String,
    base: Option<String>,
    vals: Vec<u8>,
}

impl ToSign {
    fn write<'a>(&'a self, team_id: &'a str) -> sign::Write<'a> {
        sign::Write {
            team_id,
            tbl: &self.tbl,
            row_id: &self.row_id,
            field: &self.field,
            hlc: &self.hlc,
            base: self.base.as_deref(),
            values: &self.vals,
        }
    }
}

pub(crate) fn table_named(name: &str) -> Option<Table> {
    Table::ALL.into_iter().find(|t| t.name() == name)
}

/// A row's values and clocks, as one database (`main` or `remote`) holds them.
pub(crate) struct RowState {
    values: Vec<Value>,
    clocks: HashMap<String, String>,
}

impl RowState {
    /// The fields whose value the clock entry `field`@`hlc` stands for (a field's clock
    /// is the later of its own entry and its row's `*`), with their values' digests.
    pub(crate) fn stood_for(
        &self,
        table: Table,
        field: &str,
        hlc: &str,
    ) -> Vec<(u8, [u8; sign::DIGEST_LEN])> {
        let fields = table.fields();
        let mut out = Vec::new();
        if field == ROW_CLOCK {
            for (i, (f, v)) in fields.iter().zip(&self.values).enumerate() {
                let own = self.clocks.get(*f);
                if own.is_none_or(|own| own.as_str() < hlc) {
                    out.push((position(i), sign::digest(field_value(v))));
                }
            }
        } else if let Some(i) = fields.iter().position(|f| *f == field) {
            let row = self.clocks.get(ROW_CLOCK);
            if row.is_none_or(|row| row.as_str() <= hlc)
                && let Some(v) = self.values.get(i)
            {
                out.push((position(i), sign::digest(field_value(v))));
            }
        }
        out
    }
}

/// A field's position as a byte: tables have far fewer than 256 fields.
fn position(i: usize) -> u8 {
    u8::try_from(i).unwrap_or(u8::MAX)
}

fn field_value(v: &Value) -> FieldValue<'_> {
    match v {
        Value::Null => FieldValue::Null,
        Value::Integer(i) => FieldValue::Integer(*i),
        Value::Real(r) => FieldValue::Real(*r),
        Value::Text(t) => FieldValue::Text(t),
        Value::Blob(b) => FieldValue::Blob(b),
    }
}

/// The last row read, so that a row's several entries read it once.
#[derive(Default)]
pub(crate) struct RowCache {
    key: Option<(String, Table, String)>,
    state: Option<RowState>,
}

impl RowCache {
    /// The row `row_id` of `table` in `schema` (`main` or `remote`), if it exists.
    pub(crate) fn get(
        &mut self,
        conn: &Connection,
        schema: &str,
        table: Table,
        row_id: &str,
    ) -> Result<Option<&RowState>> {
        let hit = self
            .key
            .as_ref()
            .is_some_and(|(s, t, r)| s == schema && *t == table && r == row_id);
        if !hit {
            self.key = Some((schema.to_string(), table, row_id.to_string()));
            self.state = read_row(conn, schema, table, row_id)?;
        }
        Ok(self.state.as_ref())
    }
}

fn read_row(
    conn: &Connection,
    schema: &str,
    table: Table,
    row_id: &str,
) -> Result<Option<RowState>> {
    let name = table.name();
    let columns = table
        .fields()
        .iter()
        .map(|f| format!("\"{f}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let n = table.fields().len();
    let values: Option<Vec<Value>> = conn
        .prepare_cached(&format!(
            "SELECT {columns} FROM {schema}.{name} WHERE id = ?1"
        ))?
        .query_row([row_id], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
        .optional()?;
    let Some(values) = values else {
        return Ok(None);
    };
    let mut clocks = HashMap::new();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT field, hlc FROM {schema}.field_clock WHERE tbl = ?1 AND row_id = ?2"
    ))?;
    let mut rows = stmt.query(params![name, row_id])?;
    while let Some(r) = rows.next()? {
        if let (Value::Text(f), Value::Text(h)) = (r.get::<_, Value>(0)?, r.get::<_, Value>(1)?) {
            clocks.insert(f, h);
        }
    }
    Ok(Some(RowState { values, clocks }))
}

/// Checks one entry's signature: by `public`, over `write` (the team, the entry, its
/// base and the digests of its values), and that every value the entry stands for in
/// `state` has its digest there.
/// The merge verifies a run of entries at once ([`sign::verify_writes`], then
/// [`check_covered`]); this is the same check for one, which the tests hold it to.
#[cfg(test)]
pub(crate) fn check_entry(
    public: &[u8],
    write: &sign::Write<'_>,
    sig: &[u8],
    state: &RowState,
) -> std::result::Result<(), sign::SignError> {
    sign::verify_write(public, write, sig)?;
    let table = table_named(write.tbl).ok_or(sign::SignError::Mismatch)?;
    check_covered(state, table, write.field, write.hlc, write.values)
}

/// The second half of [`check_entry`], apart so that the signatures of many entries can be
/// verified together: every value the entry `field`@`hlc` stands for in `state` has its
/// digest in `vals`.
pub(crate) fn check_covered(
    state: &RowState,
    table: Table,
    field: &str,
    hlc: &str,
    vals: &[u8],
) -> std::result::Result<(), sign::SignError> {
    for (i, d) in state.stood_for(table, field, hlc) {
        if sign::covered(vals, i)? != Some(d) {
            return Err(sign::SignError::Mismatch);
        }
    }
    Ok(())
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn from_hex(text: &str) -> Option<[u8; 32]> {
    let bytes = text.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in bytes.chunks_exact(2).enumerate() {
        let s = std::str::from_utf8(pair).ok()?;
        out[i] = u8::from_str_radix(s, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::{add_customer, memory_store, set};

    fn state(store: &Store, id: &str) -> RowState {
        read_row(store.conn(), "main", Table::Customers, id)
            .unwrap()
            .unwrap()
    }

    fn clock(store: &Store, id: &str, field: &str) -> String {
        store
            .conn()
            .query_row(
                "SELECT hlc FROM field_clock WHERE row_id = ?1 AND field = ?2",
                [id, field],
                |r| r.get(0),
            )
            .unwrap()
    }

    #[test]
    fn a_row_clock_stands_for_the_fields_no_later_write_replaced() {
        let mut store = memory_store();
        let id = add_customer(&mut store, "ACME");
        let fields = Table::Customers.fields();
        let row = clock(&store, &id, ROW_CLOCK);
        let all = state(&store, &id).stood_for(Table::Customers, ROW_CLOCK, &row);
        assert_eq!(all.len(), fields.len());
        set(
            &mut store,
            Table::Customers,
            &id,
            "name",
            "ACME Corp".to_string(),
        );
        let name = clock(&store, &id, "name");
        let s = state(&store, &id);
        let name_at = fields.iter().position(|f| *f == "name").unwrap() as u8;
        let by_row = s.stood_for(Table::Customers, ROW_CLOCK, &row);
        assert_eq!(by_row.len(), fields.len() - 1);
        assert!(!by_row.iter().any(|(i, _)| *i == name_at));
        assert_eq!(
            s.stood_for(Table::Customers, "name", &name),
            [(name_at, sign::digest(FieldValue::Text("ACME Corp")))]
        );
    }

    #[test]
    fn own_writes_are_signed_once_and_a_new_key_is_kept() {
        let mut store = memory_store();
        let id = add_customer(&mut store, "ACME");
        let first = sign_own(&store, "team-1").unwrap();
        assert!(
            first > 1,
            "the whole history, and the site's claim: {first}"
        );
        assert_eq!(sign_own(&store, "team-1").unwrap(), 0);
        set(&mut store, Table::Customers, &id, "tier", "key".to_string());
        assert_eq!(sign_own(&store, "team-1").unwrap(), 1);
        // Another team (after leaving this one): everything is signed again, for it.
        assert_eq!(sign_own(&store, "team-2").unwrap(), first + 1);
        assert_eq!(sign_own(&store, "team-1").unwrap(), first + 1);
        let key = ensure_key(&store).unwrap();
        let held: Vec<u8> = store
            .conn()
            .query_row(
                "SELECT public_key FROM member_keys WHERE member_id = ?1",
                [store.member_id()],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(held, key.public());
        // Every signature verifies over the values its clock stands for.
        let mut stmt = store
            .conn()
            .prepare("SELECT tbl, row_id, field, hlc, vals, sig FROM signatures")
            .unwrap();
        type Signed = (String, String, String, String, Vec<u8>, Vec<u8>);
        let rows: Vec<Signed> = stmt
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        for (tbl, row, field, hlc, vals, sig) in rows {
            let table = table_named(&tbl).unwrap();
            let s = read_row(store.conn(), "main", table, &row)
                .unwrap()
                .unwrap();
            let base: Option<String> = store
                .conn()
                .query_row(
                    "SELECT base FROM field_base WHERE tbl = ?1 AND row_id = ?2 AND field = ?3 AND hlc = ?4",
                    [&tbl, &row, &field, &hlc],
                    |r| r.get(0),
                )
                .optional()
                .unwrap();
            let mut write = sign::Write {
                team_id: "team-1",
                tbl: table.name(),
                row_id: &row,
                field: &field,
                hlc: &hlc,
                base: base.as_deref(),
                values: &vals,
            };
            check_entry(&key.public(), &write, &sig, &s).unwrap();
            // Bound to the team: the same entry does not verify for another.
            write.team_id = "team-2";
            assert_eq!(
                check_entry(&key.public(), &write, &sig, &s),
                Err(sign::SignError::Mismatch)
            );
        }
    }
}
