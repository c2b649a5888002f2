//! The signature half of the screen: every incoming clock of a member whose key this
//! database holds must carry that member's valid signature (else its row is left out),
//! and valid signatures for clocks already held are taken to pass on. See
//! [`crate::store::signing`] for what is signed.

use rusqlite::types::Value;
use rusqlite::{Transaction, params};

use super::super::super::Result;
use super::super::super::quarantine::Refused;
use super::super::super::signing::{self, RowCache};
use super::super::ROW_CLOCK;
use super::{Authors, Screened, member_name, site_of};
use crate::domain::sign;

/// Checks the signature of every incoming clock whose site belongs to a member with a
/// key (see [`super`]'s documentation): a row with one that fails is left out whole.
/// The clocks that pass with a signature go to `temp.merge_signed`, for the merge to
/// keep their signatures.
pub(super) fn check_signatures(
    read: &Transaction<'_>,
    authors: &Authors,
    found: &mut Screened,
) -> Result<()> {
    let mut stmt = read.prepare(
        "SELECT i.tbl, i.row_id, i.field, i.hlc, s.vals, s.sig, b.base
           FROM temp.merge_incoming i
           LEFT JOIN remote.signatures s
             ON s.tbl = i.tbl AND s.row_id = i.row_id AND s.field = i.field AND s.hlc = i.hlc
           LEFT JOIN remote.field_base b
             ON b.tbl = i.tbl AND b.row_id = i.row_id AND b.field = i.field AND b.hlc = i.hlc
          WHERE NOT EXISTS (SELECT 1 FROM temp.merge_bad x
                             WHERE x.tbl = i.tbl AND x.row_id = i.row_id)
          ORDER BY i.tbl, i.row_id",
    )?;
    let mut rows = stmt.query([])?;
    let mut bad =
        read.prepare_cached("INSERT OR IGNORE INTO temp.merge_bad (tbl, row_id) VALUES (?1, ?2)")?;
    let mut signed = read.prepare(
        "INSERT OR IGNORE INTO temp.merge_signed (tbl, row_id, field, hlc) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut cache = RowCache::default();
    let mut refused_row: Option<(String, String)> = None;
    // A run of entries is read and judged in order as before; the signatures among them
    // are verified together across the cores, then the verdicts are applied in order.
    let mut run: Vec<Incoming> = Vec::with_capacity(signing::RUN);
    loop {
        let row = rows.next()?;
        if let Some(r) = row {
            let (tbl, row_id, field, hlc): (String, String, String, String) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            let site = site_of(&hlc);
            let judged = if let Some(member) = authors.unclaimed.get(&site) {
                Judged::Unclaimed(member.to_string())
            } else if let Some((member, key)) = authors.key_of_site(&site) {
                let (vals, sig, base): (Value, Value, Value) = (r.get(4)?, r.get(5)?, r.get(6)?);
                match (vals, sig, signing::table_named(&tbl)) {
                    (Value::Blob(vals), Value::Blob(sig), Some(table)) => {
                        let base = match base {
                            Value::Text(b) => Some(b),
                            _ => None,
                        };
                        match cache.get(read, "remote", table, &row_id)? {
                            Some(state) => Judged::Signed(Signed {
                                public: key.to_vec(),
                                covered: signing::check_covered(state, table, &field, &hlc, &vals),
                                base,
                                vals,
                                sig,
                            }),
                            None => Judged::Unchecked,
                        }
                    }
                    _ => Judged::NotSigned(member.to_string()),
                }
            } else {
                // No key for the site's member: history from before keys.
                Judged::Unchecked
            };
            run.push(Incoming {
                tbl,
                row_id,
                field,
                hlc,
                site,
                judged,
            });
            if run.len() < signing::RUN {
                continue;
            }
        }
        if run.is_empty() {
            break;
        }
        let verdicts = verify_run(&run, &authors.team_id);
        for (e, verified) in run.drain(..).zip(verdicts) {
            if refused_row
                .as_ref()
                .is_some_and(|(t, id)| *t == e.tbl && *id == e.row_id)
            {
                continue;
            }
            let verdict: std::result::Result<bool, String> = match (&e.judged, verified) {
                (Judged::Unclaimed(member), _) => Err(crate::t!(
                    "screen-unclaimed",
                    member = member_name(read, member)
                )),
                (Judged::NotSigned(member), _) => Err(crate::t!(
                    "screen-not-signed",
                    member = member_name(read, member)
                )),
                (Judged::Unchecked, _) => Ok(false),
                (Judged::Signed(s), Some(verified)) => verified
                    .and(s.covered)
                    .map(|()| true)
                    .map_err(|e| e.to_string()),
                // Not reached: every signed entry has its verdict.
                (Judged::Signed(_), None) => Err(sign::SignError::Mismatch.to_string()),
            };
            match verdict {
                Ok(true) => {
                    signed.execute(params![e.tbl, e.row_id, e.field, e.hlc])?;
                }
                Ok(false) => {}
                Err(reason) => {
                    bad.execute(params![e.tbl, e.row_id])?;
                    found.refuse(Refused {
                        site: e.site,
                        table: e.tbl.clone(),
                        row_id: e.row_id.clone(),
                        field: if e.field == ROW_CLOCK {
                            String::new()
                        } else {
                            e.field
                        },
                        reason,
                        skipped: true,
                    });
                    refused_row = Some((e.tbl, e.row_id));
                }
            }
        }
    }
    Ok(())
}

/// An incoming clock entry, read and judged as far as the database can say.
struct Incoming {
    tbl: String,
    row_id: String,
    field: String,
    hlc: String,
    site: String,
    judged: Judged,
}

/// What an incoming entry's site and signature say before the signature is verified.
enum Judged {
    /// Its site's member has no key here, or its row is not in the file: nothing to check.
    Unchecked,
    /// Its site claims to write as this member without their signed claim.
    Unclaimed(String),
    /// Its site's member has a key here, but the entry carries no signature.
    NotSigned(String),
    /// A signature to verify.
    Signed(Signed),
}

/// A signature to verify, with whether the digests it carries cover the entry's values.
struct Signed {
    public: Vec<u8>,
    base: Option<String>,
    vals: Vec<u8>,
    sig: Vec<u8>,
    covered: std::result::Result<(), sign::SignError>,
}

/// Verifies the signatures of a run's entries together ([`sign::verify_writes`]): each
/// one's verdict, `None` for an entry with no signature to verify.
fn verify_run(
    run: &[Incoming],
    team_id: &str,
) -> Vec<Option<std::result::Result<(), sign::SignError>>> {
    let checks: Vec<sign::WriteCheck<'_>> = run
        .iter()
        .filter_map(|e| match &e.judged {
            Judged::Signed(s) => Some(sign::WriteCheck {
                public: &s.public,
                write: sign::Write {
                    team_id,
                    tbl: &e.tbl,
                    row_id: &e.row_id,
                    field: &e.field,
                    hlc: &e.hlc,
                    base: s.base.as_deref(),
                    values: &s.vals,
                },
                sig: &s.sig,
            }),
            _ => None,
        })
        .collect();
    let mut verified = sign::verify_writes(&checks).into_iter();
    run.iter()
        .map(|e| match e.judged {
            Judged::Signed(_) => verified.next(),
            _ => None,
        })
        .collect()
}

/// Takes the file's valid signatures of clocks this database already holds unsigned
/// (merged before their author had a key), so that it passes them on: a teammate who
/// joins later holds the author's key and would refuse them unsigned.
pub(super) fn adopt_signatures(read: &Transaction<'_>, authors: &Authors) -> Result<()> {
    if authors.keys.is_empty() {
        return Ok(());
    }
    let mut stmt = read.prepare(
        "SELECT s.tbl, s.row_id, s.field, s.hlc, s.vals, s.sig,
                (SELECT b.base FROM main.field_base b
                  WHERE b.tbl = s.tbl AND b.row_id = s.row_id AND b.field = s.field
                    AND b.hlc = s.hlc)
           FROM remote.signatures s
           JOIN main.field_clock l
             ON l.tbl = s.tbl AND l.row_id = s.row_id AND l.field = s.field AND l.hlc = s.hlc
          WHERE NOT EXISTS (SELECT 1 FROM main.signatures m
                             WHERE m.tbl = s.tbl AND m.row_id = s.row_id AND m.field = s.field
                               AND m.hlc = s.hlc)
          ORDER BY s.tbl, s.row_id",
    )?;
    let mut rows = stmt.query([])?;
    let mut signed = read.prepare(
        "INSERT OR IGNORE INTO temp.merge_signed (tbl, row_id, field, hlc) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut cache = RowCache::default();
    // As in `check_signatures`: a run of entries read, their signatures verified together.
    let mut run: Vec<Incoming> = Vec::with_capacity(signing::RUN);
    loop {
        let row = rows.next()?;
        if let Some(r) = row {
            let (tbl, row_id, field, hlc, vals, sig, base): (
                Value,
                Value,
                Value,
                Value,
                Value,
                Value,
                Option<String>,
            ) = (
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6).unwrap_or(None),
            );
            let (
                Value::Text(tbl),
                Value::Text(row_id),
                Value::Text(field),
                Value::Text(hlc),
                Value::Blob(vals),
                Value::Blob(sig),
            ) = (tbl, row_id, field, hlc, vals, sig)
            else {
                continue;
            };
            let Some((_, key)) = authors.key_of_site(&site_of(&hlc)) else {
                continue;
            };
            let Some(table) = signing::table_named(&tbl) else {
                continue;
            };
            let Some(state) = cache.get(read, "main", table, &row_id)? else {
                continue;
            };
            let covered = signing::check_covered(state, table, &field, &hlc, &vals);
            run.push(Incoming {
                judged: Judged::Signed(Signed {
                    public: key.to_vec(),
                    base,
                    vals,
                    sig,
                    covered,
                }),
                tbl,
                row_id,
                field,
                hlc,
                site: String::new(),
            });
            if run.len() < signing::RUN {
                continue;
            }
        }
        if run.is_empty() {
            break;
        }
        let verdicts = verify_run(&run, &authors.team_id);
        for (e, verified) in run.drain(..).zip(verdicts) {
            let valid = match (&e.judged, verified) {
                (Judged::Signed(s), Some(verified)) => verified.and(s.covered).is_ok(),
                _ => false,
            };
            if valid {
                signed.execute(params![e.tbl, e.row_id, e.field, e.hlc])?;
            }
        }
    }
    Ok(())
}
