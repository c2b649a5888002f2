//! Copies the open database to a file with SQLite's online backup, which is consistent
//! even while another process writes.

use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;
use rusqlite::backup::Backup;

use super::{Result, Store, StoreError};

impl Store {
    /// Writes a consistent copy of the database to `target` (which must not exist).
    pub fn backup_to(&self, target: &Path) -> Result<()> {
        if target.exists() {
            return Err(StoreError::Invalid(format!(
                "{} already exists; choose a new file name",
                target.display()
            )));
        }
        let mut dest = Connection::open(target)?;
        {
            let backup = Backup::new(&self.conn, &mut dest)?;
            backup.run_to_completion(256, Duration::from_millis(5), None)?;
        }
        Ok(())
    }
}
