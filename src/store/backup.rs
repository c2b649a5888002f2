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

impl Store {
    /// Writes a consistent, checked copy of the database to `target` (which must not
    /// exist).
    pub fn backup_to(&self, target: &Path) -> Result<()> {
        if target.exists() {
            return Err(StoreError::Invalid(format!(
                "{} already exists; choose a new file name",
                target.display()
            )));
        }
        let dir = target
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let temp = tempfile::Builder::new()
            .prefix(".salesdesk-backup-")
            .tempfile_in(dir)
            .map_err(|e| StoreError::Invalid(format!("cannot write in {}: {e}", dir.display())))?;
        {
            let mut dest = Connection::open(temp.path())?;
            {
                let backup = Backup::new(&self.conn, &mut dest)?;
                backup.run_to_completion(256, Duration::from_millis(5), None)?;
            }
            let check: String = dest.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
            if check != "ok" {
                return Err(StoreError::Internal(format!(
                    "the copy did not check out: {check}"
                )));
            }
            dest.close().map_err(|(_, e)| StoreError::from(e))?;
        }
        // `persist_noclobber`: a file that appeared at the target meanwhile is not
        // overwritten.
        temp.persist_noclobber(target).map_err(|e| {
            StoreError::Invalid(format!(
                "cannot name the copy {}: {}",
                target.display(),
                e.error
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
}
