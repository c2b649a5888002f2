//! The database as a file: checking that a file is a whole SQLite database before SQLite
//! is let near it, the identity that tells a file from a copy of it, who holds the write
//! lock while we wait for it, and the errors SQLite gives about the file system in words
//! a user can act on.

use std::cell::RefCell;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Why a file is not a whole SQLite database, completing "… is not a SalesDesk database: …".
/// `Ok(false)` is an empty (or missing) file: a database still to be made.
pub(crate) fn check_header(path: &Path) -> Result<bool, String> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(crate::t!("file-unreadable", error = e.to_string())),
    };
    // A FIFO or a device would block the read below, or SQLite's, forever.
    if !meta.is_file() {
        return Err(crate::t!("file-not-regular"));
    }
    let len = meta.len();
    if len == 0 {
        return Ok(false);
    }
    let mut header = [0u8; 100];
    let mut file = std::fs::File::open(path)
        .map_err(|e| crate::t!("file-unreadable", error = e.to_string()))?;
    if len < 100 || file.read_exact(&mut header).is_err() {
        return Err(crate::t!("file-too-short", bytes = len));
    }
    if &header[..16] != b"SQLite format 3\0" {
        return Err(if header.iter().all(|b| *b == 0) {
            crate::t!("file-header-zeros")
        } else {
            crate::t!("file-not-sqlite")
        });
    }
    let be32 = |at: usize| {
        u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536,
        n => u64::from(n),
    };
    let pages = u64::from(be32(28));
    // The page count in the header is only valid when the change counter matches it.
    if pages > 0 && be32(24) == be32(92) && len < pages * page_size {
        return Err(crate::t!(
            "file-cut-off",
            bytes = len,
            expected = pages * page_size
        ));
    }
    Ok(true)
}

/// What tells this file from a copy of it: the inode on Unix (a copy, a restored backup,
/// a file moved to another disk all get a new one; a rename keeps it), the creation time
/// elsewhere. `None` when the file system says neither.
pub(crate) fn identity(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    {
        Some(format!(
            "inode {}",
            std::os::unix::fs::MetadataExt::ino(&meta)
        ))
    }
    #[cfg(not(unix))]
    {
        let created = meta.created().ok()?;
        let since = created.duration_since(std::time::UNIX_EPOCH).ok()?;
        Some(format!("created {}", since.as_nanos()))
    }
}

/// The error SQLite gives about the file system around `path`, in words a user can act
/// on; `None` for any other error.
pub(crate) fn explain(path: &Path, err: &rusqlite::Error) -> Option<String> {
    let rusqlite::Error::SqliteFailure(f, _) = err else {
        return None;
    };
    let dir = folder_of(path);
    let code = f.extended_code;
    Some(match f.code {
        rusqlite::ErrorCode::DiskFull => {
            crate::t!("file-disk-full", path = path.display().to_string())
        }
        // SHMOPEN, SHMSIZE and SHMMAP: the file beside the database that readers and
        // writers share cannot be made, mostly because the disk is full.
        rusqlite::ErrorCode::SystemIoFailure if [4618, 4874, 5386].contains(&code) => crate::t!(
            "file-no-shm",
            path = path.display().to_string(),
            code = code.to_string()
        ),
        rusqlite::ErrorCode::SystemIoFailure => crate::t!(
            "file-io-failed",
            path = path.display().to_string(),
            code = code.to_string()
        ),
        rusqlite::ErrorCode::ReadOnly => crate::t!(
            "file-read-only",
            path = path.display().to_string(),
            dir = dir.display().to_string()
        ),
        rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked => {
            crate::t!("file-busy", path = path.display().to_string())
        }
        rusqlite::ErrorCode::CannotOpen => crate::t!(
            "file-cannot-open",
            path = path.display().to_string(),
            dir = dir.display().to_string()
        ),
        _ => return None,
    })
}

fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Whether `dir` lets us make files (probed by making one, as permission bits alone do
/// not tell for root or for read-only mounts).
pub(crate) fn folder_is_writable(path: &Path) -> bool {
    tempfile::Builder::new()
        .prefix(".salesdesk-probe-")
        .tempfile_in(folder_of(path))
        .is_ok()
}

/// `path` for an SQLite `file:` URI: absolute, with every byte but the plainest
/// percent-encoded (a `?` or `#` in a folder name would otherwise end the path).
pub(crate) fn uri_path(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = String::new();
    for b in absolute.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// How long a CLI command waits for another program's write before giving up.
pub(crate) const CLI_WAIT: Duration = Duration::from_secs(120);
/// How long everything else (the TUI, its sync thread) waits.
const DEFAULT_WAIT: Duration = Duration::from_secs(5);
/// How long a wait lasts before it is announced.
const ANNOUNCE_AFTER: Duration = Duration::from_millis(800);

thread_local! {
    /// The database the CLI command on this thread works on, when waits are to be said
    /// on stderr (never in the TUI, whose screen a message would break).
    static ANNOUNCE: RefCell<Option<(PathBuf, Duration)>> = const { RefCell::new(None) };
    /// When the current wait began, and whether it was announced.
    static WAITING: RefCell<Option<(Instant, bool)>> = const { RefCell::new(None) };
}

/// Makes waits for `path`'s lock on this thread last up to `limit` and be said on stderr.
pub(crate) fn announce_waits(path: &Path, limit: Duration) {
    ANNOUNCE.with(|a| *a.borrow_mut() = Some((path.to_path_buf(), limit)));
}

/// SQLite's busy handler: called with `count` = 0, 1, 2 … while another connection holds
/// the lock wanted; sleeps and says to try again (`true`) until the wait is too long.
pub(crate) fn busy(count: i32) -> bool {
    let announce = ANNOUNCE.with(|a| a.borrow().clone());
    let limit = announce.as_ref().map_or(DEFAULT_WAIT, |(_, l)| *l);
    let (started, announced) = WAITING.with(|w| {
        let mut w = w.borrow_mut();
        if count == 0 || w.is_none() {
            *w = Some((Instant::now(), false));
        }
        w.unwrap_or((Instant::now(), false))
    });
    let waited = started.elapsed();
    if waited >= limit {
        WAITING.with(|w| *w.borrow_mut() = None);
        return false;
    }
    if let Some((path, limit)) = announce.filter(|_| !announced && waited >= ANNOUNCE_AFTER) {
        WAITING.with(|w| *w.borrow_mut() = Some((started, true)));
        let who = lock_holder(&path).map_or_else(
            || crate::t!("file-another-program"),
            |(pid, command)| {
                crate::t!(
                    "file-another-program-pid",
                    pid = pid.to_string(),
                    command = command
                )
            },
        );
        crate::text::say(&crate::t!(
            "file-waiting",
            path = path.display().to_string(),
            who = who,
            seconds = limit.as_secs()
        ));
    }
    // SQLite's own schedule, roughly: short sleeps first, then 50 ms.
    let pause = match count {
        0..=2 => 2,
        3..=9 => 10,
        _ => 50,
    };
    std::thread::sleep(Duration::from_millis(pause));
    true
}

/// Who holds the write lock of the WAL database at `path`, where the system tells: the
/// process id and its command line. (Linux lists file locks in `/proc/locks`; SQLite's
/// writer holds byte 120 of the `-shm` file.)
pub(crate) fn lock_holder(path: &Path) -> Option<(u32, String)> {
    #[cfg(target_os = "linux")]
    {
        let shm = PathBuf::from(format!("{}-shm", path.display()));
        let inode = std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(shm).ok()?);
        let holder = |locks: &str| {
            locks.lines().find_map(|line| {
                let f: Vec<&str> = line.split_whitespace().collect();
                // "1: POSIX  ADVISORY  WRITE 4242 00:2d:1704 120 120"
                let (pid, file, start) = (f.get(4)?, f.get(5)?, f.get(6)?);
                let same_file = file.rsplit(':').next()? == inode.to_string();
                (same_file && *start == "120")
                    .then(|| pid.parse::<u32>().ok())
                    .flatten()
            })
        };
        // The kernel writes `/proc/locks` a page at a time, and a line can slip between
        // two pages while other processes take and drop locks: a few reads, then give up.
        let pid = (0..4).find_map(|_| holder(&std::fs::read_to_string("/proc/locks").ok()?))?;
        let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        let command: String = String::from_utf8_lossy(&cmdline)
            .split('\0')
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let command = crate::text::truncate(&crate::text::clean(&command), 80);
        Some((
            pid,
            if command.is_empty() {
                "?".into()
            } else {
                command
            },
        ))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = path;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_that_are_not_whole_databases_are_named_for_what_they_are() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.db");
        assert_eq!(check_header(&missing), Ok(false));
        let empty = dir.path().join("empty.db");
        std::fs::write(&empty, b"").unwrap();
        assert_eq!(check_header(&empty), Ok(false));
        let zeros = dir.path().join("zeros.db");
        std::fs::write(&zeros, vec![0u8; 8192]).unwrap();
        assert!(check_header(&zeros).unwrap_err().contains("all zeros"));
        let text = dir.path().join("notes.db");
        std::fs::write(&text, "x".repeat(500)).unwrap();
        assert!(check_header(&text).unwrap_err().contains("SQLite header"));
        assert!(
            check_header(dir.path())
                .unwrap_err()
                .contains("regular file")
        );
    }

    #[test]
    fn a_copy_has_another_identity_and_a_rename_keeps_it() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.db");
        std::fs::write(&a, b"x").unwrap();
        let before = identity(&a).unwrap();
        let b = dir.path().join("b.db");
        std::fs::copy(&a, &b).unwrap();
        assert_ne!(identity(&b).unwrap(), before);
        let c = dir.path().join("c.db");
        std::fs::rename(&a, &c).unwrap();
        assert_eq!(identity(&c).unwrap(), before);
    }
}
