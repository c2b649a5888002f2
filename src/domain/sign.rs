//! Signed authorship of team writes (issue #16, deliver 2): the canonical message a member
//! signs for each write of theirs, and signing / verifying it with ed25519.
//!
//! This module is the pure part only: the store keeps the private key in site meta and
//! the members' public keys in `member_keys`, signs its own writes when it writes the team
//! file ([`crate::store::signing`]), and the merge's screen verifies every incoming clock
//! with [`verify_write`] / [`verify_site_claim`].
//!
//! What is signed is one clock entry (`field_clock`): a field's own clock, or a row's
//! clock `*`, which stands for every field its insert wrote. A later write of one of those
//! fields (by anyone) replaces that field's value but not the row's clock, so a signature
//! over the values themselves could not be checked any more once one of them changed.
//! The message therefore covers a *digest* of each value the clock stood for, and the
//! digests travel with the signature: a receiver verifies the signature over them, then
//! checks that every value the clock still stands for has its digest.
//!
//! The message is an unambiguous encoding: a domain tag naming what is signed (a write or
//! a site claim, so one can never be replayed as the other), then every part with a type
//! tag and a length prefix, so no two different writes encode to the same bytes. The team
//! id is part of every message, so a signature can't be carried from one team to another.

use std::collections::HashMap;

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use sha2::{Digest as _, Sha512};

/// Length of a public key in bytes.
pub const PUBLIC_KEY_LEN: usize = 32;
/// Length of a signature in bytes.
pub const SIGNATURE_LEN: usize = 64;
/// Length of a value's digest: SHA-512 cut to 128 bits. A digest only has to keep a
/// writer's signed value from being swapped for another (second preimage, 2^128 work).
pub const DIGEST_LEN: usize = 16;
/// One covered value in [`Write::values`]: the field's position, then its digest.
const COVERED_LEN: usize = 1 + DIGEST_LEN;

const WRITE_TAG: &[u8] = b"salesdesk/write/v2";
const SITE_TAG: &[u8] = b"salesdesk/site-claim/v1";

/// A field's value as SQLite stores it; the type is part of what is signed, so the text
/// `"5"` and the integer `5` are different values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FieldValue<'a> {
    Null,
    Integer(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

/// The digest of a value, as [`Write::values`] carries it.
pub fn digest(value: FieldValue<'_>) -> [u8; DIGEST_LEN] {
    let mut m = Vec::new();
    value_part(&mut m, value);
    let full = Sha512::digest(&m);
    let mut out = [0u8; DIGEST_LEN];
    out.copy_from_slice(&full[..DIGEST_LEN]);
    out
}

/// The values a clock stands for, encoded for [`Write::values`]: each field's position
/// among its table's fields (in increasing order) and its value's digest.
pub fn encode_values(values: &[(u8, [u8; DIGEST_LEN])]) -> Vec<u8> {
    let mut out = Vec::with_capacity(values.len() * COVERED_LEN);
    for (index, d) in values {
        out.push(*index);
        out.extend_from_slice(d);
    }
    out
}

/// The digest that `values` (as [`encode_values`] made it) holds for the field at
/// `index`; `Err` when `values` is not such an encoding.
pub fn covered(values: &[u8], index: u8) -> Result<Option<[u8; DIGEST_LEN]>, SignError> {
    if !values.len().is_multiple_of(COVERED_LEN) {
        return Err(SignError::BadValues);
    }
    let mut last = None;
    let mut found = None;
    for record in values.chunks_exact(COVERED_LEN) {
        let i = record[0];
        if last.is_some_and(|l| l >= i) {
            return Err(SignError::BadValues);
        }
        last = Some(i);
        if i == index {
            let mut d = [0u8; DIGEST_LEN];
            d.copy_from_slice(&record[1..]);
            found = Some(d);
        }
    }
    Ok(found)
}

/// One write a site made: a clock entry of one row (one field's, or the row's `*`), the
/// clock of the value it replaced (its "seen" mark; `None` for a first write or a row's
/// clock), and the values it stood for when signed ([`encode_values`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Write<'a> {
    pub team_id: &'a str,
    pub tbl: &'a str,
    pub row_id: &'a str,
    pub field: &'a str,
    pub hlc: &'a str,
    pub base: Option<&'a str>,
    pub values: &'a [u8],
}

/// Why a signature was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignError {
    #[error("{}", crate::t!("sign-bad-key"))]
    BadKey,
    #[error("{}", crate::t!("sign-bad-length", bytes = *.0, expected = SIGNATURE_LEN))]
    BadLength(usize),
    #[error("{}", crate::t!("sign-mismatch"))]
    Mismatch,
    #[error("{}", crate::t!("sign-bad-values"))]
    BadValues,
}

/// A site's private key. Made from 32 random bytes by the caller (the store reads them
/// from the operating system), so this module stays free of I/O.
pub struct SiteKey(SigningKey);

impl SiteKey {
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        SiteKey(SigningKey::from_bytes(seed))
    }

    /// The 32 bytes to keep in site meta; `from_seed` of them gives the same key.
    pub fn seed(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    pub fn public(&self) -> [u8; PUBLIC_KEY_LEN] {
        self.0.verifying_key().to_bytes()
    }

    pub fn sign_write(&self, w: &Write<'_>) -> [u8; SIGNATURE_LEN] {
        self.0.sign(&write_message(w)).to_bytes()
    }

    /// The member's word that `site_id` writes on their behalf.
    pub fn sign_site_claim(
        &self,
        team_id: &str,
        site_id: &str,
        member_id: &str,
    ) -> [u8; SIGNATURE_LEN] {
        self.0
            .sign(&site_claim_message(team_id, site_id, member_id))
            .to_bytes()
    }
}

impl SiteKey {
    /// [`SiteKey::sign_write`] of each write, in order, spread over the machine's cores.
    /// ed25519 signing is deterministic, so the result is exactly the sequential one.
    pub fn sign_writes(&self, writes: &[Write<'_>]) -> Vec<[u8; SIGNATURE_LEN]> {
        across_cores(writes, |w| self.sign_write(w))
    }
}

impl std::fmt::Debug for SiteKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the private key.
        write!(f, "SiteKey(public {:02x?})", &self.public()[..4])
    }
}

pub fn verify_write(public: &[u8], w: &Write<'_>, sig: &[u8]) -> Result<(), SignError> {
    verify(public, &write_message(w), sig)
}

/// One signature to check with [`verify_writes`].
#[derive(Debug, Clone, Copy)]
pub struct WriteCheck<'a> {
    pub public: &'a [u8],
    pub write: Write<'a>,
    pub sig: &'a [u8],
}

/// [`verify_write`] of each check, in order, spread over the machine's cores. Each is
/// verified on its own, exactly as [`verify_write`] does (`verify_strict`): batch
/// verification was not used because its verdict is not always the strict one's.
///
/// A run comes from few members, so each distinct public key is decoded (a point
/// decompression, about a tenth of a verification) and checked once, not once per
/// signature; the verdict is the same, since decoding a key depends on its bytes only.
pub fn verify_writes(checks: &[WriteCheck<'_>]) -> Vec<Result<(), SignError>> {
    let keys = KnownKeys::of(checks.iter().map(|c| c.public));
    across_cores(checks, |c| {
        keys.get(c.public)
            .and_then(|key| verify_with(&key, &write_message(&c.write), c.sig))
    })
}

/// The distinct public keys of a run, each decoded once. Keyed by the key's bytes: how
/// many distinct keys a run holds is the file's (or the hub's) to say, so a look-up must
/// not grow with it.
struct KnownKeys<'a> {
    keys: HashMap<&'a [u8], Result<VerifyingKey, SignError>>,
}

impl<'a> KnownKeys<'a> {
    fn of(publics: impl Iterator<Item = &'a [u8]>) -> Self {
        let mut keys = HashMap::new();
        for public in publics {
            keys.entry(public).or_insert_with(|| verifying_key(public));
        }
        KnownKeys { keys }
    }

    fn get(&self, public: &[u8]) -> Result<VerifyingKey, SignError> {
        self.keys
            .get(public)
            .map_or_else(|| verifying_key(public), |key| *key)
    }
}

/// Fewer items than this per core are not worth a thread.
const MIN_PER_THREAD: usize = 64;

/// `items.iter().map(f).collect()`, the items cut into one contiguous run per core
/// (scoped threads; the calling thread takes the first run). A run whose thread could
/// not be started, or ended without an answer, is done on the calling thread instead.
fn across_cores<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let threads = cores.min(items.len() / MIN_PER_THREAD).max(1);
    if threads == 1 {
        return items.iter().map(&f).collect();
    }
    let run = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let mut runs = items.chunks(run);
        let first = runs.next().unwrap_or_default();
        let others: Vec<_> = runs
            .map(|chunk| {
                let handle = std::thread::Builder::new()
                    .spawn_scoped(scope, move || chunk.iter().map(f).collect::<Vec<R>>());
                (chunk, handle)
            })
            .collect();
        let mut out: Vec<R> = first.iter().map(f).collect();
        out.reserve(items.len() - first.len());
        for (chunk, handle) in others {
            match handle.ok().and_then(|h| h.join().ok()) {
                Some(done) => out.extend(done),
                None => out.extend(chunk.iter().map(f)),
            }
        }
        out
    })
}

pub fn verify_site_claim(
    public: &[u8],
    team_id: &str,
    site_id: &str,
    member_id: &str,
    sig: &[u8],
) -> Result<(), SignError> {
    verify(
        public,
        &site_claim_message(team_id, site_id, member_id),
        sig,
    )
}

/// Whether `public` is a usable ed25519 public key (32 bytes, a curve point, not weak).
pub fn is_valid_public_key(public: &[u8]) -> bool {
    verifying_key(public).is_ok()
}

fn verifying_key(public: &[u8]) -> Result<VerifyingKey, SignError> {
    let public: &[u8; PUBLIC_KEY_LEN] = public.try_into().map_err(|_| SignError::BadKey)?;
    let key = VerifyingKey::from_bytes(public).map_err(|_| SignError::BadKey)?;
    if key.is_weak() {
        return Err(SignError::BadKey);
    }
    Ok(key)
}

fn verify(public: &[u8], msg: &[u8], sig: &[u8]) -> Result<(), SignError> {
    verify_with(&verifying_key(public)?, msg, sig)
}

fn verify_with(key: &VerifyingKey, msg: &[u8], sig: &[u8]) -> Result<(), SignError> {
    let sig: &[u8; SIGNATURE_LEN] = sig
        .try_into()
        .map_err(|_| SignError::BadLength(sig.len()))?;
    key.verify_strict(msg, &Signature::from_bytes(sig))
        .map_err(|_| SignError::Mismatch)
}

/// The exact bytes signed for a write.
pub fn write_message(w: &Write<'_>) -> Vec<u8> {
    let mut m = Vec::with_capacity(160 + w.values.len());
    part(&mut m, b'T', WRITE_TAG);
    part(&mut m, b's', w.team_id.as_bytes());
    part(&mut m, b's', w.tbl.as_bytes());
    part(&mut m, b's', w.row_id.as_bytes());
    part(&mut m, b's', w.field.as_bytes());
    part(&mut m, b's', w.hlc.as_bytes());
    match w.base {
        None => part(&mut m, b'n', &[]),
        Some(b) => part(&mut m, b's', b.as_bytes()),
    }
    part(&mut m, b'v', w.values);
    m
}

fn value_part(m: &mut Vec<u8>, value: FieldValue<'_>) {
    match value {
        FieldValue::Null => part(m, b'n', &[]),
        FieldValue::Integer(i) => part(m, b'i', &i.to_be_bytes()),
        FieldValue::Real(r) => part(m, b'r', &r.to_bits().to_be_bytes()),
        FieldValue::Text(t) => part(m, b't', t.as_bytes()),
        FieldValue::Blob(b) => part(m, b'b', b),
    }
}

fn site_claim_message(team_id: &str, site_id: &str, member_id: &str) -> Vec<u8> {
    let mut m = Vec::with_capacity(96);
    part(&mut m, b'T', SITE_TAG);
    part(&mut m, b's', team_id.as_bytes());
    part(&mut m, b's', site_id.as_bytes());
    part(&mut m, b's', member_id.as_bytes());
    m
}

/// A type tag, a 64-bit length, the bytes: no part can run into the next.
fn part(m: &mut Vec<u8>, tag: u8, bytes: &[u8]) {
    m.push(tag);
    m.extend_from_slice(&(bytes.len() as u64).to_be_bytes());
    m.extend_from_slice(bytes);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u8) -> SiteKey {
        SiteKey::from_seed(&[n; 32])
    }

    fn values(amount: i64) -> &'static [u8] {
        Box::leak(
            encode_values(&[
                (2, digest(FieldValue::Text("ACME renewal"))),
                (5, digest(FieldValue::Integer(amount))),
            ])
            .into_boxed_slice(),
        )
    }

    fn write() -> Write<'static> {
        Write {
            team_id: "team-1",
            tbl: "deals",
            row_id: "d1",
            field: "amount",
            hlc: "0000001700000000-00000-aaaa",
            base: Some("0000001600000000-00000-bbbb"),
            values: values(500),
        }
    }

    /// Enough distinct writes that [`across_cores`] cuts them into several runs.
    fn many_writes(hlcs: &[String]) -> Vec<Write<'_>> {
        hlcs.iter().map(|hlc| Write { hlc, ..write() }).collect()
    }

    fn hlcs(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| format!("{:016}-00000-aaaa", 1_700_000_000_000 + i))
            .collect()
    }

    #[test]
    fn work_across_cores_keeps_every_item_in_its_place() {
        let items: Vec<usize> = (0..10 * MIN_PER_THREAD + 7).collect();
        let doubled = across_cores(&items, |i| i * 2);
        assert_eq!(doubled, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        assert_eq!(across_cores(&items[..3], |i| i + 1), [1, 2, 3]);
        assert!(across_cores(&[] as &[usize], |i| *i).is_empty());
    }

    #[test]
    fn signing_many_writes_gives_exactly_the_signatures_made_one_by_one() {
        let k = key(1);
        let hlcs = hlcs(5 * MIN_PER_THREAD + 3);
        let writes = many_writes(&hlcs);
        let one_by_one: Vec<_> = writes.iter().map(|w| k.sign_write(w)).collect();
        assert_eq!(k.sign_writes(&writes), one_by_one);
    }

    #[test]
    fn verifying_many_writes_finds_exactly_the_bad_one() {
        let k = key(1);
        let public = k.public();
        let other = key(2).public();
        let hlcs = hlcs(5 * MIN_PER_THREAD + 3);
        let writes = many_writes(&hlcs);
        let mut sigs = k.sign_writes(&writes);
        let forged = 3 * MIN_PER_THREAD + 1;
        sigs[forged][10] ^= 1;
        let mut checks: Vec<WriteCheck<'_>> = writes
            .iter()
            .zip(&sigs)
            .map(|(w, sig)| WriteCheck {
                public: &public,
                write: *w,
                sig,
            })
            .collect();
        checks[7].public = &other;
        checks[9].sig = &sigs[9][..63];
        // Keys that do not decode, each seen more than once and between good ones: the
        // keys a run decodes once must give every check the verdict it gets alone.
        let short = [7u8; 31];
        let identity = {
            let mut y = [0u8; 32];
            y[0] = 1;
            y
        };
        for i in [11, 12, 4 * MIN_PER_THREAD] {
            checks[i].public = &short;
        }
        for i in [13, 2 * MIN_PER_THREAD + 5] {
            checks[i].public = &identity;
        }
        let verdicts = verify_writes(&checks);
        assert_eq!(verdicts.len(), checks.len());
        for (i, (verdict, c)) in verdicts.iter().zip(&checks).enumerate() {
            assert_eq!(
                *verdict,
                verify_write(c.public, &c.write, c.sig),
                "check {i}"
            );
            let expected = match i {
                7 => Err(SignError::Mismatch),
                9 => Err(SignError::BadLength(63)),
                11..=13 => Err(SignError::BadKey),
                i if i == 4 * MIN_PER_THREAD || i == 2 * MIN_PER_THREAD + 5 => {
                    Err(SignError::BadKey)
                }
                i if i == forged => Err(SignError::Mismatch),
                _ => Ok(()),
            };
            assert_eq!(*verdict, expected, "check {i}");
        }
    }

    #[test]
    fn a_signed_write_verifies_with_the_signers_public_key() {
        let k = key(1);
        let sig = k.sign_write(&write());
        assert_eq!(verify_write(&k.public(), &write(), &sig), Ok(()));
    }

    #[test]
    fn the_seed_gives_back_the_same_key() {
        let k = key(7);
        assert_eq!(SiteKey::from_seed(&k.seed()).public(), k.public());
    }

    #[test]
    fn another_members_key_does_not_verify() {
        let sig = key(1).sign_write(&write());
        assert_eq!(
            verify_write(&key(2).public(), &write(), &sig),
            Err(SignError::Mismatch)
        );
    }

    #[test]
    fn changing_any_part_of_the_write_breaks_the_signature() {
        let k = key(1);
        let sig = k.sign_write(&write());
        let w = write();
        let changed = [
            Write {
                team_id: "team-2",
                ..w
            },
            Write {
                tbl: "customers",
                ..w
            },
            Write { row_id: "d2", ..w },
            Write {
                field: "title",
                ..w
            },
            Write {
                values: values(501),
                ..w
            },
            Write { values: &[], ..w },
            Write {
                hlc: "0000001700000000-00001-aaaa",
                ..w
            },
            // A forged "seen" mark: the base clock is part of what is signed.
            Write {
                base: Some("0000001650000000-00000-cccc"),
                ..w
            },
            Write { base: None, ..w },
        ];
        for c in changed {
            assert_eq!(
                verify_write(&k.public(), &c, &sig),
                Err(SignError::Mismatch),
                "{c:?}"
            );
        }
    }

    #[test]
    fn parts_cannot_be_shifted_from_one_field_into_the_next() {
        let a = Write {
            tbl: "ab",
            row_id: "c",
            ..write()
        };
        let b = Write {
            tbl: "a",
            row_id: "bc",
            ..write()
        };
        assert_ne!(write_message(&a), write_message(&b));
        assert_ne!(digest(FieldValue::Text("")), digest(FieldValue::Blob(b"")));
        assert_ne!(
            digest(FieldValue::Text("5")),
            digest(FieldValue::Integer(5))
        );
        assert_ne!(digest(FieldValue::Null), digest(FieldValue::Text("")));
    }

    #[test]
    fn covered_values_are_found_by_position_and_bad_encodings_refused() {
        let v = values(500);
        assert_eq!(
            covered(v, 5).unwrap(),
            Some(digest(FieldValue::Integer(500)))
        );
        assert_eq!(covered(v, 3).unwrap(), None);
        assert_eq!(covered(&v[..5], 5), Err(SignError::BadValues));
        // Positions out of order (or repeated) could say two things of one field.
        let twice = encode_values(&[(5, [0; DIGEST_LEN]), (5, [1; DIGEST_LEN])]);
        assert_eq!(covered(&twice, 5), Err(SignError::BadValues));
    }

    #[test]
    fn a_site_claim_verifies_only_for_its_site_member_and_team() {
        let k = key(3);
        let sig = k.sign_site_claim("team-1", "site-a", "m1");
        let p = k.public();
        assert_eq!(
            verify_site_claim(&p, "team-1", "site-a", "m1", &sig),
            Ok(())
        );
        for (t, s, m) in [
            ("team-2", "site-a", "m1"),
            ("team-1", "site-b", "m1"),
            ("team-1", "site-a", "m2"),
        ] {
            assert_eq!(
                verify_site_claim(&p, t, s, m, &sig),
                Err(SignError::Mismatch)
            );
        }
    }

    #[test]
    fn a_write_signature_is_not_a_site_claim_signature() {
        let k = key(4);
        let sig = k.sign_site_claim("team-1", "site-a", "m1");
        assert_eq!(
            verify_write(&k.public(), &write(), &sig),
            Err(SignError::Mismatch)
        );
    }

    #[test]
    fn malformed_keys_and_signatures_are_errors_not_panics() {
        let k = key(1);
        let sig = k.sign_write(&write());
        assert_eq!(
            verify_write(&k.public()[..31], &write(), &sig),
            Err(SignError::BadKey)
        );
        assert_eq!(
            verify_write(&k.public(), &write(), &sig[..10]),
            Err(SignError::BadLength(10))
        );
        // The identity point is a weak key anyone can "sign" for.
        let mut weak = [0u8; 32];
        weak[0] = 1;
        assert_eq!(
            verify_write(&weak, &write(), &[0u8; 64]),
            Err(SignError::BadKey)
        );
        assert_eq!(
            verify_write(&k.public(), &write(), &[0xff; 64]),
            Err(SignError::Mismatch)
        );
    }

    #[test]
    fn debug_never_shows_the_private_key() {
        let k = key(9);
        let shown = format!("{k:?}");
        assert!(!shown.contains("09, 09"), "{shown}");
    }
}
