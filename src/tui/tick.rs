//! What happens as time passes, with no key pressed: team sync results come in and a
//! sync starts once local edits settle, another process's writes are noticed (`PRAGMA
//! data_version`) and everything shown is read again, and the reminder counts change as
//! reminders fall due.

use super::action::Action;
use super::app::App;
use super::{report_worker, sync_worker};
use crate::store::{StoreError, reminders};
use crate::t;

/// How long after the last local change a sync starts, so a burst of edits syncs once.
const SYNC_SETTLE_MS: i64 = 3_000;

impl App {
    /// Reads the Reports view's figures in the background from now on.
    pub fn attach_report_worker(&mut self, worker: report_worker::ReportWorker) {
        self.report_worker = Some(worker);
        self.reports.asynchronous = true;
    }

    /// Hands the Reports view's question to its worker and takes the answers that came;
    /// whether figures are still awaited (the loop then looks again soon).
    pub fn exchange_reports(&mut self) -> bool {
        let Some(worker) = &self.report_worker else {
            return false;
        };
        if let Some(query) = self.reports.take_wanted() {
            worker.ask(query);
        }
        let mut failure = None;
        match worker.answers() {
            Ok(answers) => {
                for (query, answer) in answers {
                    match answer {
                        Ok(report) => self.reports.arrived(query, report),
                        Err(e) => {
                            self.reports.failed(&query);
                            failure = Some(e);
                        }
                    }
                }
            }
            Err(e) => {
                // Read at once from now on.
                self.report_worker = None;
                self.reports.asynchronous = false;
                self.reports.stop_waiting();
                failure = Some(e);
            }
        }
        if let Some(e) = failure {
            self.dispatch(Action::Fail(t!("reports-failed", why = e)));
        }
        self.reports.waiting()
    }

    /// Starts team sync in the background.
    pub fn attach_sync(&mut self, worker: sync_worker::SyncWorker) {
        self.sync = Some(worker);
        self.sync_state = Some(sync_worker::SyncState::Syncing);
    }

    /// Takes sync results, and asks for a sync once local changes have settled.
    fn tick_sync(&mut self) -> Result<(), StoreError> {
        use sync_worker::SyncState;
        let Some(worker) = &self.sync else {
            return Ok(());
        };
        for result in worker.poll() {
            self.sync_state = Some(match result {
                Ok(report) => SyncState::Synced(report.at),
                Err(e) => match e.offline_since {
                    Some(since) => SyncState::Offline(since),
                    None => SyncState::Failed(e.message),
                },
            });
        }
        let settled = self
            .unsynced_since
            .is_some_and(|t| self.now() - t >= SYNC_SETTLE_MS);
        if settled {
            worker.request();
            self.unsynced_since = None;
            self.sync_state = Some(SyncState::Syncing);
        }
        Ok(())
    }

    /// Time passed: take sync results, reload if another process wrote the database, and
    /// recount reminders when one has fallen due.
    pub(super) fn tick(&mut self) -> Result<(), StoreError> {
        self.store.checkpoint()?;
        self.tick_sync()?;
        let version = self.store.data_version()?;
        if version != self.data_version {
            self.reload_all(None)?;
        } else if self.now() >= self.reminders_valid_until {
            self.refresh_reminders()?;
        }
        self.tick_calendar()
    }

    /// Keeps the calendar file of `[calendar] path` in step with the data: rewritten on
    /// the first idle tick after a change, this session's or another process's (a CLI
    /// call, a sync). A failure is said in the status bar; the change itself is saved.
    fn tick_calendar(&mut self) -> Result<(), StoreError> {
        let Some(path) = self.settings.calendar.path.clone() else {
            return Ok(());
        };
        let stamp = (
            self.store.conn().total_changes(),
            self.store.data_version()?,
        );
        if self.calendar_stamp == Some(stamp) {
            return Ok(());
        }
        self.calendar_stamp = Some(stamp);
        if let Err(e) = crate::interop::ics::refresh(self.store.conn(), &path) {
            self.fail(crate::t!("tui-calendar-not-updated", error = e.to_string()));
        }
        Ok(())
    }

    pub(super) fn refresh_reminders(&mut self) -> Result<(), StoreError> {
        let now = self.now();
        let (_, today_end) = self.zone.today_window(now);
        let owner = self.mine_only.then(|| self.store.member_id());
        self.reminders = reminders::summary(self.store.conn(), now, today_end, owner)?;
        self.reminders_pending = false;
        let next_due = self
            .reminders
            .next
            .as_ref()
            .and_then(|n| n.activity.due_at)
            .unwrap_or(i64::MAX);
        // Also redraw at least once a minute so relative times stay right.
        self.reminders_valid_until = next_due.min(today_end).min(now + 60_000);
        Ok(())
    }
}
