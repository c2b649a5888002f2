//! Team sync in the background: a thread with its own database connection, so syncing
//! never blocks typing. The app asks for a sync (on start, a few seconds after local
//! changes settle, on quit) and the thread also syncs when the team file changes on disk.
//! Results come back over a channel; the app's own connection notices merged changes
//! through `PRAGMA data_version`.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::domain::time::Clock;
use crate::sync::{SyncReport, TeamLink, folder_state, sync_now};

/// How often the thread looks at the team folder for a teammate's sync.
const POLL: Duration = Duration::from_secs(3);

enum Request {
    Sync,
    Finish,
}

/// What the status bar says about sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncState {
    Syncing,
    /// The last sync finished at this instant (unix ms).
    Synced(i64),
    Failed(String),
}

pub struct SyncWorker {
    requests: Sender<Request>,
    results: Receiver<Result<SyncReport, String>>,
    thread: Option<JoinHandle<()>>,
}

impl SyncWorker {
    /// Starts the thread; it syncs once at once.
    pub fn start(db_path: PathBuf, link: TeamLink, clock: Arc<dyn Clock>) -> SyncWorker {
        let (requests, inbox) = mpsc::channel::<Request>();
        let (outbox, results) = mpsc::channel();
        let thread = std::thread::spawn(move || {
            let run = || sync_now(&db_path, &link, clock.clone()).map_err(|e| e.to_string());
            let mut seen = folder_state(&link);
            let mut wanted = true;
            loop {
                if wanted {
                    let result = run();
                    seen = folder_state(&link);
                    if outbox.send(result).is_err() {
                        return;
                    }
                }
                match inbox.recv_timeout(POLL) {
                    Ok(Request::Sync) => wanted = true,
                    Ok(Request::Finish) | Err(RecvTimeoutError::Disconnected) => {
                        let _ = outbox.send(run());
                        return;
                    }
                    Err(RecvTimeoutError::Timeout) => wanted = folder_state(&link) != seen,
                }
            }
        });
        SyncWorker {
            requests,
            results,
            thread: Some(thread),
        }
    }

    /// Asks for a sync soon.
    pub fn request(&self) {
        let _ = self.requests.send(Request::Sync);
    }

    /// The results that have arrived since the last call.
    pub fn poll(&self) -> Vec<Result<SyncReport, String>> {
        self.results.try_iter().collect()
    }

    /// Syncs one last time and waits for the thread (on quit).
    pub fn finish(mut self) -> Option<Result<SyncReport, String>> {
        let _ = self.requests.send(Request::Finish);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        self.results.try_iter().last()
    }
}
