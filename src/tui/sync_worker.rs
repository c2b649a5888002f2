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
use crate::sync::{SyncError, SyncReport, Syncer, TeamLink, folder_state};

/// How often the thread looks at the team folder for a teammate's sync.
const POLL: Duration = Duration::from_secs(3);

/// How many polls apart a team in PostgreSQL is synced with no local change: a hub has
/// no file to watch, and a sync with nothing new costs a few small queries. Also how
/// often an unreachable hub is tried again.
const HUB_POLLS: u32 = 10;

/// A sync that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncFailure {
    pub message: String,
    /// The team's server could not be reached (or the connection broke) since this
    /// instant (unix ms): work goes on locally, and a later sync carries everything.
    pub offline_since: Option<i64>,
}

impl std::fmt::Display for SyncFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

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
    /// The team's server is out of reach since this instant (unix ms).
    Offline(i64),
}

pub struct SyncWorker {
    requests: Sender<Request>,
    results: Receiver<Result<SyncReport, SyncFailure>>,
    thread: Option<JoinHandle<()>>,
}

impl SyncWorker {
    /// Starts the thread; it syncs once at once.
    pub fn start(db_path: PathBuf, link: TeamLink, clock: Arc<dyn Clock>) -> SyncWorker {
        let (requests, inbox) = mpsc::channel::<Request>();
        let (outbox, results) = mpsc::channel();
        let thread = std::thread::spawn(move || {
            let mut last_ok: Option<i64> = None;
            let mut offline_since: Option<i64> = None;
            // One connection to the team's hub, kept between syncs.
            let mut syncer = Syncer::new(db_path, link.clone(), clock.clone());
            let mut run = || {
                let result = syncer.sync();
                let now = clock.now().timestamp_millis();
                match result {
                    Ok(report) => {
                        last_ok = Some(report.at);
                        offline_since = None;
                        Ok(report)
                    }
                    Err(e) => {
                        let offline = matches!(&e, SyncError::Hub(h) if h.is_offline());
                        if offline {
                            offline_since = offline_since.or(last_ok).or(Some(now));
                        }
                        Err(SyncFailure {
                            message: e.to_string(),
                            offline_since: offline.then_some(offline_since).flatten(),
                        })
                    }
                }
            };
            let hub = link.hub().is_some();
            let mut seen = folder_state(&link);
            let mut wanted = true;
            let mut idle_polls = 0;
            loop {
                if wanted {
                    let result = run();
                    seen = folder_state(&link);
                    idle_polls = 0;
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
                    Err(RecvTimeoutError::Timeout) => {
                        idle_polls += 1;
                        wanted = if hub {
                            idle_polls >= HUB_POLLS
                        } else {
                            folder_state(&link) != seen
                        };
                    }
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
    pub fn poll(&self) -> Vec<Result<SyncReport, SyncFailure>> {
        self.results.try_iter().collect()
    }

    /// Syncs one last time and waits for the thread (on quit).
    pub fn finish(mut self) -> Option<Result<SyncReport, SyncFailure>> {
        let _ = self.requests.send(Request::Finish);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        self.results.try_iter().last()
    }
}
