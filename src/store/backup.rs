//! Copies the open database to a file with SQLite's online backup, which is consistent
//! even while another process writes.
//!
//! The copy is made under a temporary name beside the target, checked, and only then
//! renamed to the target: an interrupted backup (a full disk, kill -9) leaves no
//! half-made file under the name the user will later restore from, and the temporary
//! file is removed on any failure.

use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;
use rusqlite::backup::Backup;

use super::{Result, Store, StoreError};

/// What a backup's temporary file is named, beside the target.
const TEMP_PREFIX: &str = ".salesdesk-backup-";

/// A temporary file older than this is left over from a backup that was killed.
const STALE_TEMP: Duration = Duration::from_secs(60 * 60);

/// Removes the temporary files of killed backups in `dir`: ours only, by name, and only
/// when old enough that no backup still writes them.
fn remove_abandoned_temp_files(dir: &Path) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let ours = entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX);
        let old = entry
            .metadata()
            .ok()
            .filter(std::fs::Metadata::is_file)
            .and_then(|m| m.modified().ok())
            .and_then(|t| std::time::SystemTime::now().duration_since(t).ok())
            .is_some_and(|age| age > STALE_TEMP);
        if ours && old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

impl Store {
    /// Writes a consistent, checked copy of the database to `target` (which must not
    /// exist).
    pub fn backup_to(&self, target: &Path) -> Result<()> {
        if target.exists() {
            return Err(StoreError::Invalid(crate::t!(
                "backup-exists",
                path = target.display().to_string()
            )));
        }
        let dir = target
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        remove_abandoned_temp_files(dir);
        let temp = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .tempfile_in(dir)
            .map_err(|e| {
                StoreError::Invalid(crate::t!(
                    "backup-cannot-write-in",
                    dir = dir.display().to_string(),
                    error = e.to_string()
                ))
            })?;
        {
            let mut dest = Connection::open(temp.path())?;
            {
                let backup = Backup::new(&self.conn, &mut dest)?;
                backup.run_to_completion(256, Duration::from_millis(5), None)?;
            }
            let check: String = dest.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
            if check != "ok" {
                return Err(StoreError::Internal(crate::t!(
                    "backup-check-failed",
                    check = check
                )));
            }
            dest.close().map_err(|(_, e)| StoreError::from(e))?;
        }
        // `persist_noclobber`: a file that appeared at the target meanwhile is not
        // overwritten.
        temp.persist_noclobber(target).map_err(|e| {
            StoreError::Invalid(crate::t!(
                "backup-cannot-name",
                path = target.display().to_string(),
                error = e.error.to_string()
            ))
        })?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::store::test_support::memory_store;

    #[test]
    fn a_backup_is_complete_and_leaves_nothing_else() {
        let store = memory_store();
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("copy.db");
        store.backup_to(&target).unwrap();
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["copy.db"]);
        let copy = rusqlite::Connection::open(&target).unwrap();
        let stages: i64 = copy
            .query_row("SELECT count(*) FROM stages", [], |r| r.get(0))
            .unwrap();
        assert!(stages > 0);
        let again = store.backup_to(&target).unwrap_err();
        assert!(again.to_string().contains("already exists"), "{again}");
    }

    #[test]
    fn a_backup_removes_what_killed_backups_left_beside_it() {
        let store = memory_store();
        let dir = tempfile::tempdir().unwrap();
        let killed = dir.path().join(".salesdesk-backup-AbC123");
        let recent = dir.path().join(".salesdesk-backup-XyZ789");
        let other = dir.path().join(".other-backup-AbC123");
        for path in [&killed, &recent, &other] {
            std::fs::write(path, vec![0u8; 4096]).unwrap();
        }
        let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
        for path in [&killed, &other] {
            std::fs::File::options()
                .write(true)
                .open(path)
                .unwrap()
                .set_modified(two_hours_ago)
                .unwrap();
        }
        store.backup_to(&dir.path().join("copy.db")).unwrap();
        assert!(!killed.exists());
        assert!(recent.exists(), "may be a backup still under way");
        assert!(other.exists(), "not ours");
    }
}
