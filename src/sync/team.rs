//! The team file in a synced folder: linking this database to one (`team init`, `team
//! join`, `team leave`), and the sync that merges it in and writes the merged state back.
//!
//! A sync never opens the shared file in place. It copies the team file, and every
//! conflict copy a sync service left beside it, to a private working folder beside the
//! local database (which the next sync removes, should this one be killed); checks
//! each copy ([`teamfile::check`]); combines the copies; merges them into the local
//! database in one transaction ([`merge::merge_from`]); writes the local database out to
//! a temporary file in the team file's folder, syncs it to disk and renames it over the
//! team file; and only then removes the conflict copies it merged. A team file that is
//! refused (damaged, half-synced, newer, another team's) stops the sync before the local
//! database is touched.
//!
//! If the sync service replaces the team file while a sync runs, the sync merges again
//! before renaming, so a teammate's sync that landed meanwhile is not overwritten; and
//! should a rename still overwrite one (two machines at the same moment), nothing is lost:
//! every database keeps its own data and puts it back into the team file on its next sync.
//!
//! One file of about 650 lines on purpose: linking, syncing and the folder's conflict
//! copies are one protocol whose steps only make sense in order; its tests are in
//! `team/tests.rs`.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::domain::ids::new_id;
use crate::domain::time::Clock;
use crate::store::members::{self, Member};
use crate::store::merge::{self, MergeReport};
use crate::store::signing;
use crate::store::teamfile::{self, Refusal};
use crate::store::{Store, StoreError};
use crate::t;

/// The extension every team file has.
pub const EXTENSION: &str = "salesdesk";

/// How often a sync merges again when the team file keeps changing under it.
const ATTEMPTS: usize = 3;

/// A temporary file older than this is left over from a sync that crashed.
const STALE_TEMP: Duration = Duration::from_secs(60 * 60);

/// Where this database's team is, and which team it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TeamLink {
    /// The team file's path, or the hub's URL (`postgres://…`, never with a password):
    /// see [`TeamLink::hub`].
    pub path: PathBuf,
    pub team_id: String,
}

impl TeamLink {
    /// The hub's URL when the team syncs through PostgreSQL rather than a team file.
    pub fn hub(&self) -> Option<&str> {
        self.path
            .to_str()
            .filter(|t| super::postgres::conninfo::is_postgres_url(t))
    }
}

/// The PostgreSQL URL in a path given on the command line, if it is one.
fn url_in(path: &Path) -> Option<&str> {
    path.to_str()
        .filter(|t| super::postgres::conninfo::is_postgres_url(t))
}

/// The team file this database is linked to, if any (read from its `meta`).
pub fn team_link(store: &Store) -> Result<Option<TeamLink>, StoreError> {
    Ok(
        teamfile::read_link(store.conn())?.map(|(file, team_id)| TeamLink {
            path: PathBuf::from(file),
            team_id,
        }),
    )
}

/// Why a team command or a sync failed, as one sentence.
#[derive(Debug)]
pub enum SyncError {
    NotLinked,
    AlreadyLinked(PathBuf),
    BadName(PathBuf),
    Exists(PathBuf),
    NoSuchFile(PathBuf),
    NoFolder(PathBuf),
    Refused {
        path: PathBuf,
        why: Refusal,
    },
    Io {
        what: String,
        source: io::Error,
    },
    Store(StoreError),
    /// The team's PostgreSQL hub could not be used.
    Hub(super::postgres::HubError),
}

impl fmt::Display for SyncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = |p: &PathBuf| p.display().to_string();
        let text = match self {
            SyncError::NotLinked => t!("sync-err-not-linked"),
            SyncError::AlreadyLinked(p) => t!("sync-err-already-linked", path = path(p)),
            SyncError::BadName(p) => t!("sync-err-bad-name", path = path(p), ext = EXTENSION),
            SyncError::Exists(p) => t!("sync-err-exists", path = path(p)),
            SyncError::NoSuchFile(p) => t!("sync-err-no-such-file", path = path(p)),
            SyncError::NoFolder(p) => t!("sync-err-no-folder", path = path(p)),
            SyncError::Refused { path: p, why } => {
                let hint = match why {
                    Refusal::Damaged(_) => t!("sync-hint-damaged"),
                    Refusal::Newer { .. } => t!("sync-hint-newer"),
                    Refusal::NotATeamFile | Refusal::Unversioned | Refusal::OtherTeam { .. } => {
                        t!("sync-hint-wrong-file")
                    }
                    Refusal::Schema(_) | Refusal::TooLarge(_) => t!("sync-hint-not-ours"),
                };
                t!(
                    "sync-err-refused",
                    path = path(p),
                    why = why.to_string(),
                    hint = hint
                )
            }
            SyncError::Io { what, source } => t!(
                "sync-err-io",
                what = what.as_str(),
                error = source.to_string()
            ),
            SyncError::Store(e) => e.to_string(),
            SyncError::Hub(e) => e.to_string(),
        };
        f.write_str(&text)
    }
}

// The messages already include their causes, so that an error chain printed as
// "a: b: c" says each thing once.
impl std::error::Error for SyncError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SyncError::Store(e) => e.source(),
            _ => None,
        }
    }
}

impl From<StoreError> for SyncError {
    fn from(e: StoreError) -> Self {
        SyncError::Store(e)
    }
}

fn io_error(what: impl Into<String>) -> impl FnOnce(io::Error) -> SyncError {
    let what = what.into();
    move |source| SyncError::Io { what, source }
}

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct SyncReport {
    pub team_file: PathBuf,
    /// What merging the team file and its conflict copies changed here.
    pub merged: MergeReport,
    /// The team file was missing and was written afresh from this database.
    pub created: bool,
    /// Conflict copies merged, and then removed.
    pub copies_merged: Vec<PathBuf>,
    /// Conflict copies left alone, with why (damaged, another team's …).
    pub copies_skipped: Vec<(PathBuf, String)>,
    /// Changed records the team database's row-level security did not let this member
    /// write (kept here, not shared).
    pub refused_by_hub: usize,
    /// The team database was behind this database (restored from an older backup): the
    /// sync pulled everything again and pushed all of this database's own writes again.
    pub hub_rewound: bool,
    /// After joining a team's hub from its team file, as a rep: the customers and deals
    /// this database still holds that the hub does not show this login (teammates'
    /// records from the file era; they stay here and no longer sync).
    pub unseen_from_file: usize,
    /// When the sync completed (unix ms).
    pub at: i64,
}

/// Opens the database at `db_path` on a connection of its own and syncs it with the team
/// file: the entry point for a background thread (the TUI's connection then sees the
/// change through `PRAGMA data_version`).
pub fn sync_now(
    db_path: &Path,
    link: &TeamLink,
    clock: Arc<dyn Clock>,
) -> Result<SyncReport, SyncError> {
    let store = Store::open(db_path, clock)?;
    sync(&store, link)
}

/// Syncs one database again and again (the TUI's background sync). With a team in
/// PostgreSQL its database connection and its connection to the hub stay open between
/// syncs, so a sync costs two round trips rather than a log-in and a dozen; a failed
/// sync drops the hub's connection, and the next one connects again. A team file is
/// synced as [`sync_now`] does.
pub struct Syncer {
    db_path: PathBuf,
    link: TeamLink,
    clock: Arc<dyn Clock>,
    store: Option<Store>,
    hub: Option<super::postgres::Session>,
}

impl Syncer {
    pub fn new(db_path: PathBuf, link: TeamLink, clock: Arc<dyn Clock>) -> Syncer {
        Syncer {
            db_path,
            link,
            clock,
            store: None,
            hub: None,
        }
    }

    pub fn sync(&mut self) -> Result<SyncReport, SyncError> {
        if self.link.hub().is_none() {
            return sync_now(&self.db_path, &self.link, self.clock.clone());
        }
        let store = match self.store.take() {
            Some(store) => store,
            None => Store::open(&self.db_path, self.clock.clone())?,
        };
        let session = match self.hub.take() {
            Some(session) => Ok(session),
            None => super::postgres::Session::open(
                &self.link,
                &super::postgres::conninfo::Env::from_process(),
            ),
        };
        let result = session.and_then(|mut session| {
            let report = session.sync(&store, &self.link)?;
            self.hub = Some(session);
            Ok(report)
        });
        self.store = Some(store);
        result
    }
}

/// Merges the team file (and its conflict copies) into `store`, then writes the merged
/// state back over the team file. See the module documentation for the steps.
pub fn sync(store: &Store, link: &TeamLink) -> Result<SyncReport, SyncError> {
    if link.hub().is_some() {
        return super::postgres::sync(store, link);
    }
    let team = link.path.as_path();
    folder_of(team)?;
    remove_stale_temp_files(team);
    remove_abandoned_work_dirs(&work_parent(store));
    let mut report = SyncReport {
        team_file: team.to_path_buf(),
        ..SyncReport::default()
    };
    // This member's writes are signed before anything is compared or written: a database
    // that has just made its key (or written since the last sync) then holds more than
    // the team file, and writes it.
    let newly_signed = signing::sign_own(store, &link.team_id)? > 0;
    let pushed = teamfile::last_push(store.conn())?;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let before = fingerprint(team);
        let copies = conflict_copies(team);
        // The team file is still the one this database wrote (or found in step with it)
        // last time, so it holds nothing new: skip merging it, the costly part of a sync
        // on a large file.
        let team_is_ours = copies.is_empty()
            && before.is_some_and(|fp| pushed.as_ref().is_some_and(|p| p.0 == fp.to_string()));
        let local_clock = store.meta("hlc")?;
        if team_is_ours
            && !newly_signed
            && pushed
                .as_ref()
                .is_some_and(|p| Some(&p.1) == local_clock.as_ref())
        {
            // Nothing new on either side.
            return finish(store, report);
        }
        let gathered = if team_is_ours {
            None
        } else {
            Some(gather(store, team, &link.team_id, copies)?)
        };
        let combined = gathered.as_ref().and_then(|g| g.combined.as_ref());
        let mut refused = false;
        if let Some(combined) = combined {
            let merged = merge::merge_from(store, combined)?;
            refused = merged.quarantined > 0;
            report.merged.add(&merged);
        }
        // Write the team file only when it would change: it is missing, conflict copies
        // are to be folded in, or this database holds something it lacks. Otherwise two
        // teammates whose apps sync whenever the file changes would rewrite it for each
        // other forever. A file holding what this database refused is written over too:
        // a forged clock ahead of everyone's would otherwise stay in it, and keep its row
        // from every teammate who joins later.
        let folds_copies = gathered.as_ref().is_some_and(|g| !g.copies.is_empty());
        if let (Some(fp), Some(combined), false, false) = (before, combined, folds_copies, refused)
        {
            let (more, clock) = merge::holds_more_than(store, combined)?;
            if !more {
                teamfile::record_push(store.conn(), &fp.to_string(), &clock.unwrap_or_default())?;
                if let Some(gathered) = gathered {
                    report.copies_skipped.extend(gathered.skipped);
                }
                return finish(store, report);
            }
        }
        // Read before writing out, so that an edit landing meanwhile is pushed next time
        // rather than taken as already pushed.
        let exported_clock = store.meta("hlc")?.unwrap_or_default();
        let temp = write_temp(store, team, &link.team_id)?;
        if attempt < ATTEMPTS && fingerprint(team) != before {
            // A teammate's sync landed while this one ran: merge that too before replacing it.
            let _ = std::fs::remove_file(&temp);
            continue;
        }
        replace(&temp, team)?;
        if let Some(written) = fingerprint(team) {
            teamfile::record_push(store.conn(), &written.to_string(), &exported_clock)?;
        }
        if let Some(gathered) = gathered {
            for copy in gathered.copies {
                match std::fs::remove_file(&copy) {
                    Ok(()) => report.copies_merged.push(copy),
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {
                        report.copies_merged.push(copy);
                    }
                    Err(e) => report
                        .copies_skipped
                        .push((copy, t!("sync-copy-not-removed", error = e.to_string()))),
                }
            }
            report.copies_skipped.extend(gathered.skipped);
        }
        report.created = before.is_none();
        return finish(store, report);
    }
}

fn finish(store: &Store, mut report: SyncReport) -> Result<SyncReport, SyncError> {
    report.at = store.now_millis();
    teamfile::record_sync(store.conn(), report.at)?;
    Ok(report)
}

/// The team file and its conflict copies, copied to a private folder, checked and
/// combined into one database ready to merge.
struct Gathered {
    /// Holds the private copies until the merge is done.
    _private: WorkDir,
    combined: Option<PathBuf>,
    copies: Vec<PathBuf>,
    skipped: Vec<(PathBuf, String)>,
}

fn gather(
    store: &Store,
    team: &Path,
    team_id: &str,
    copies: Vec<PathBuf>,
) -> Result<Gathered, SyncError> {
    let private = WorkDir::new(store)?;
    let mut combined = None;
    let own = private.path().join("team.db");
    match copy_regular_file(team, &own) {
        Ok(()) => {
            teamfile::check(&own, Some(team_id)).map_err(|why| SyncError::Refused {
                path: team.to_path_buf(),
                why,
            })?;
            combined = Some(own);
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) if e.kind() == io::ErrorKind::InvalidInput => {
            return Err(SyncError::Refused {
                path: team.to_path_buf(),
                why: Refusal::NotATeamFile,
            });
        }
        Err(e) => {
            return Err(io_error(t!(
                "sync-reading",
                path = team.display().to_string()
            ))(e));
        }
    }
    let mut merged = Vec::new();
    let mut skipped = Vec::new();
    for (i, copy) in copies.into_iter().enumerate() {
        let private_copy = private.path().join(format!("copy-{i}.db"));
        if let Err(e) = copy_regular_file(&copy, &private_copy) {
            skipped.push((copy, t!("sync-copy-unreadable", error = e.to_string())));
            continue;
        }
        if let Err(why) = teamfile::check(&private_copy, Some(team_id)) {
            skipped.push((copy, why.to_string()));
            continue;
        }
        match &combined {
            Some(into) => {
                teamfile::combine_files(into, &private_copy)?;
            }
            None => combined = Some(private_copy),
        }
        merged.push(copy);
    }
    Ok(Gathered {
        _private: private,
        combined,
        copies: merged,
        skipped,
    })
}

/// The prefix of a sync's private working folder, beside the local database.
const WORK_PREFIX: &str = ".salesdesk-sync-";
/// What working folders in the system's temporary folder were named before they moved
/// beside the database; the leftovers of killed syncs are removed from there too.
const OLD_WORK_PREFIXES: [&str; 2] = ["salesdesk-sync-", "salesdesk-join-"];
/// A working folder younger than this may belong to a sync that has not locked it yet.
const JUST_MADE: Duration = Duration::from_secs(60);
/// The file in a working folder that its sync holds locked while it runs.
const WORK_LOCK: &str = "lock";

/// A sync's private working folder (copies of the team file and of its conflict copies),
/// beside the local database, so that a large team file is copied on the same disk and
/// never fills a small `/tmp`. It is removed when the sync ends; a sync that was killed
/// leaves it behind, and the next sync removes every such folder whose lock nobody holds.
struct WorkDir {
    dir: tempfile::TempDir,
    _lock: std::fs::File,
}

impl WorkDir {
    fn new(store: &Store) -> Result<WorkDir, SyncError> {
        let parent = work_parent(store);
        let dir = tempfile::Builder::new()
            .prefix(WORK_PREFIX)
            .tempdir_in(&parent)
            .map_err(io_error(t!(
                "sync-working-folder",
                dir = parent.display().to_string()
            )))?;
        let lock = std::fs::File::create(dir.path().join(WORK_LOCK))
            .and_then(|f| f.try_lock().map_err(io::Error::from).map(|()| f))
            .map_err(io_error(t!(
                "sync-locking",
                path = dir.path().display().to_string()
            )))?;
        Ok(WorkDir { dir, _lock: lock })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// The folder of the local database, where syncs work (the system's temporary folder for
/// a database in memory).
fn work_parent(store: &Store) -> PathBuf {
    match store.conn().path().filter(|p| !p.is_empty()) {
        Some(db) => match Path::new(db).parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        },
        None => std::env::temp_dir(),
    }
}

/// Removes the working folders of syncs that were killed: beside the database, those
/// whose lock nobody holds (a running sync holds its own); in the system's temporary
/// folder, where earlier versions worked without a lock, those older than [`STALE_TEMP`].
fn remove_abandoned_work_dirs(parent: &Path) {
    for entry in std::fs::read_dir(parent).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with(WORK_PREFIX) || !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let abandoned = match std::fs::File::open(entry.path().join(WORK_LOCK)) {
            // A minute old at least: a sync that has just made its folder may not have
            // locked it yet.
            Ok(lock) => lock.try_lock().is_ok() && is_older_than(&entry, JUST_MADE),
            // Killed between making the folder and its lock.
            Err(_) => is_older_than(&entry, STALE_TEMP),
        };
        if abandoned {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    let temp = std::env::temp_dir();
    for entry in std::fs::read_dir(&temp).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if OLD_WORK_PREFIXES.iter().any(|p| name.starts_with(p))
            && entry.file_type().is_ok_and(|t| t.is_dir())
            && is_older_than(&entry, STALE_TEMP)
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn is_older_than(entry: &std::fs::DirEntry, age: Duration) -> bool {
    entry
        .metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .is_some_and(|a| a > age)
}

/// Copies `from` to `to`, refusing (with [`io::ErrorKind::InvalidInput`]) anything but a
/// regular file: reading a FIFO put in the team file's place would wait forever.
fn copy_regular_file(from: &Path, to: &Path) -> io::Result<()> {
    let not_a_file = || io::Error::new(io::ErrorKind::InvalidInput, "not a regular file");
    // Opening a FIFO waits for a writer: look before opening, and again at what was opened.
    if !std::fs::metadata(from)?.is_file() {
        return Err(not_a_file());
    }
    let mut source = std::fs::File::open(from)?;
    if !source.metadata()?.is_file() {
        return Err(not_a_file());
    }
    let mut dest = std::fs::File::create(to)?;
    io::copy(&mut source, &mut dest)?;
    Ok(())
}

/// Writes this database out as a team file, to a new temporary file beside `team`, and
/// syncs it to disk.
fn write_temp(store: &Store, team: &Path, team_id: &str) -> Result<PathBuf, SyncError> {
    let signer = signing::Signer::of(store)?;
    let temp = temp_path(team);
    let written = teamfile::export(store.conn(), &temp, team_id, Some(&signer))
        .map_err(SyncError::from)
        .and_then(|()| {
            // Opened for writing: Windows flushes only a handle that may write.
            std::fs::OpenOptions::new()
                .write(true)
                .open(&temp)
                .and_then(|f| f.sync_all())
                .map_err(io_error(t!(
                    "sync-writing",
                    path = temp.display().to_string()
                )))
        });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(e);
    }
    Ok(temp)
}

/// Renames `temp` over `team` and syncs the folder, so the rename survives a power cut.
fn replace(temp: &Path, team: &Path) -> Result<(), SyncError> {
    if let Err(e) = std::fs::rename(temp, team) {
        let _ = std::fs::remove_file(temp);
        return Err(io_error(t!(
            "sync-replacing",
            path = team.display().to_string()
        ))(e));
    }
    // Best effort: some network file systems cannot sync a folder, and the rename is done.
    #[cfg(unix)]
    if let Some(dir) = team.parent() {
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(())
}

/// `.team.salesdesk.<random>.tmp` beside `team`: hidden, and named so that no sync
/// service or conflict-copy pattern takes it for a team file.
fn temp_path(team: &Path) -> PathBuf {
    let name = file_name(team);
    let random: String = std::iter::repeat_with(fastrand::alphanumeric)
        .take(10)
        .collect();
    team.with_file_name(format!(".{name}.{random}.tmp"))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// What a temporary team file ([`temp_path`]) and the files SQLite keeps beside it while
/// writing it end in.
const TEMP_SUFFIXES: [&str; 4] = [".tmp", ".tmp-journal", ".tmp-wal", ".tmp-shm"];

/// Removes temporary files that a crashed sync left beside the team file: ours only, by
/// name, and only when old enough that no sync can still be writing them (a teammate's
/// machine, whose temporary file the sync service may carry here, included).
fn remove_stale_temp_files(team: &Path) {
    let prefix = format!(".{}.", file_name(team));
    let Some(dir) = team.parent() else { return };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours =
            name.starts_with(&prefix) && TEMP_SUFFIXES.iter().any(|suffix| name.ends_with(suffix));
        if !ours {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| SystemTime::now().duration_since(t).ok())
            .is_some_and(|age| age > STALE_TEMP);
        if old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The conflict copies of `team` that sync services leave beside it, sorted by name:
/// Dropbox's and Nextcloud's `team (Jane's conflicted copy 2026-11-25).salesdesk` and
/// Syncthing's `team.sync-conflict-20261125-101010-ABCDEFG.salesdesk`.
pub fn conflict_copies(team: &Path) -> Vec<PathBuf> {
    let (Some(dir), Some(stem)) = (team.parent(), team.file_stem()) else {
        return Vec::new();
    };
    let stem = stem.to_string_lossy();
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut copies: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter(|e| is_conflict_copy(&stem, &e.file_name().to_string_lossy()))
        .map(|e| team.with_file_name(e.file_name()))
        .collect();
    copies.sort();
    copies
}

fn is_conflict_copy(stem: &str, name: &str) -> bool {
    let Some(body) = name.strip_suffix(&format!(".{EXTENSION}")) else {
        return false;
    };
    if let Some(rest) = body.strip_prefix(stem) {
        if rest.starts_with(".sync-conflict-") {
            return true;
        }
        if let Some(inner) = rest.strip_prefix(" (").and_then(|r| r.strip_suffix(')')) {
            return inner.to_lowercase().contains("conflict");
        }
    }
    false
}

/// What a file looks like from outside: size, modification time and (on Unix) inode,
/// which a rename over it changes. Two different team files with the same fingerprint
/// would need the same size and the same nanosecond of modification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    pub len: u64,
    pub modified: SystemTime,
    pub inode: u64,
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let since = self
            .modified
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default();
        write!(f, "{}:{}:{}", self.len, since.as_nanos(), self.inode)
    }
}

fn fingerprint(path: &Path) -> Option<Fingerprint> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let inode = 0;
    Some(Fingerprint {
        len: meta.len(),
        modified: meta.modified().ok()?,
        inode,
    })
}

/// The state of the team file and its conflict copies on disk. When it differs from the
/// state after the last sync, a teammate's sync has arrived: sync again. Cheap enough to
/// poll every few seconds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FolderState {
    pub team_file: Option<Fingerprint>,
    pub copies: Vec<PathBuf>,
}

pub fn folder_state(link: &TeamLink) -> FolderState {
    if link.hub().is_some() {
        return FolderState::default();
    }
    FolderState {
        team_file: fingerprint(&link.path),
        copies: conflict_copies(&link.path),
    }
}

fn folder_of(team: &Path) -> Result<&Path, SyncError> {
    let dir = team
        .parent()
        .ok_or_else(|| SyncError::BadName(team.to_path_buf()))?;
    if !dir.is_dir() {
        return Err(SyncError::NoFolder(dir.to_path_buf()));
    }
    Ok(dir)
}

/// The path as stored: absolute, ending in `.salesdesk`.
fn team_path(path: &Path) -> Result<PathBuf, SyncError> {
    let named_right = path.extension().is_some_and(|e| e == EXTENSION)
        && path.file_stem().is_some_and(|s| !s.is_empty());
    if !named_right {
        return Err(SyncError::BadName(path.to_path_buf()));
    }
    std::path::absolute(path).map_err(io_error(t!(
        "sync-finding",
        path = path.display().to_string()
    )))
}

fn path_text(path: &Path) -> Result<&str, SyncError> {
    path.to_str().ok_or_else(|| {
        SyncError::Store(StoreError::Invalid(t!(
            "path-not-utf8",
            path = path.display().to_string()
        )))
    })
}

/// `team init`: makes a new team file at `path` from this database and links to it.
pub fn init(store: &Store, path: &Path) -> Result<TeamLink, SyncError> {
    if let Some(url) = url_in(path) {
        return super::postgres::init(store, url);
    }
    let path = team_path(path)?;
    if let Some(current) = team_link(store)? {
        return Err(SyncError::AlreadyLinked(current.path));
    }
    folder_of(&path)?;
    if path.exists() {
        return Err(SyncError::Exists(path));
    }
    let link = TeamLink {
        team_id: new_id(),
        path,
    };
    // Linking first records this site in `sites`, so the new team file names its member.
    teamfile::write_link(
        store.conn(),
        path_text(&link.path)?,
        &link.team_id,
        store.site_id(),
        store.member_id(),
    )?;
    signing::sign_own(store, &link.team_id)?;
    let exported_clock = store.meta("hlc")?.unwrap_or_default();
    let made = write_temp(store, &link.path, &link.team_id).and_then(|temp| {
        if link.path.exists() {
            let _ = std::fs::remove_file(&temp);
            return Err(SyncError::Exists(link.path.clone()));
        }
        replace(&temp, &link.path)
    });
    if let Err(e) = made {
        teamfile::remove_link(store.conn())?;
        return Err(e);
    }
    if let Some(written) = fingerprint(&link.path) {
        teamfile::record_push(store.conn(), &written.to_string(), &exported_clock)?;
    }
    teamfile::record_sync(store.conn(), store.now_millis())?;
    Ok(link)
}

/// `team join`: links this database to the existing team file at `path` and syncs, which
/// merges both ways. A refused file leaves the database unlinked and unchanged.
pub fn join(store: &Store, path: &Path) -> Result<(TeamLink, SyncReport), SyncError> {
    if let Some(url) = url_in(path) {
        return super::postgres::join(store, url);
    }
    let path = team_path(path)?;
    let current = team_link(store)?;
    if let Some(current) = current.as_ref().filter(|c| c.path != path) {
        return Err(SyncError::AlreadyLinked(current.path.clone()));
    }
    folder_of(&path)?;
    if !path.exists() {
        return Err(SyncError::NoSuchFile(path));
    }
    let private = WorkDir::new(store)?;
    let copy = private.path().join("team.db");
    copy_regular_file(&path, &copy).map_err(|e| match e.kind() {
        io::ErrorKind::InvalidInput => SyncError::Refused {
            path: path.clone(),
            why: Refusal::NotATeamFile,
        },
        _ => io_error(t!("sync-reading", path = path.display().to_string()))(e),
    })?;
    let team_id = teamfile::check(&copy, None).map_err(|why| SyncError::Refused {
        path: path.clone(),
        why,
    })?;
    if let Some(current) = current.filter(|c| c.team_id != team_id) {
        return Err(SyncError::Refused {
            path: current.path,
            why: Refusal::OtherTeam { found: team_id },
        });
    }
    let link = TeamLink { path, team_id };
    teamfile::write_link(
        store.conn(),
        path_text(&link.path)?,
        &link.team_id,
        store.site_id(),
        store.member_id(),
    )?;
    match sync(store, &link) {
        Ok(report) => Ok((link, report)),
        Err(e) => {
            teamfile::remove_link(store.conn())?;
            Err(e)
        }
    }
}

/// `team leave`: forgets the team file (which stays where it is, as does all data).
pub fn leave(store: &Store) -> Result<TeamLink, SyncError> {
    let link = team_link(store)?.ok_or(SyncError::NotLinked)?;
    teamfile::remove_link(store.conn())?;
    Ok(link)
}

/// How many quarantine entries `team status` shows.
const QUARANTINE_SHOWN: usize = 10;

/// What `team status` shows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TeamStatus {
    pub link: Option<TeamLink>,
    pub team_file_exists: bool,
    /// When the last sync completed (unix ms).
    pub last_sync: Option<i64>,
    /// Everyone whose member record this database has (from every sync so far).
    pub members: Vec<Member>,
    /// This database's member id.
    pub me: String,
    pub pending_conflicts: i64,
    /// Conflict copies beside the team file, waiting for the next sync.
    pub waiting_copies: Vec<PathBuf>,
    /// Rows from teammates' files that were kept out (see [`crate::store::quarantine`]).
    pub quarantined: i64,
    /// The latest quarantine entries, newest first.
    pub quarantine: Vec<crate::store::quarantine::Quarantined>,
}

pub fn status(store: &Store) -> Result<TeamStatus, SyncError> {
    let link = team_link(store)?;
    let conn = store.conn();
    Ok(TeamStatus {
        // A hub is not asked: status reads this database only.
        team_file_exists: link
            .as_ref()
            .is_some_and(|l| l.hub().is_some() || l.path.is_file()),
        waiting_copies: link
            .as_ref()
            .map(|l| conflict_copies(&l.path))
            .unwrap_or_default(),
        link,
        last_sync: teamfile::last_sync(conn)?,
        members: members::list(conn)?,
        me: store.member_id().to_string(),
        pending_conflicts: crate::store::conflicts::pending_conflicts(conn)?,
        quarantined: crate::store::quarantine::count(conn)?,
        quarantine: crate::store::quarantine::recent(conn, QUARANTINE_SHOWN)?,
    })
}

#[cfg(test)]
mod tests;
