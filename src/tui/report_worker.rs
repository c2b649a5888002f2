//! The Reports view's figures, counted on a thread of their own with its own read-only
//! connection, so that no key waits for them: a report over a 100k-deal book takes about
//! a tenth of a second, six frames. The view asks (a [`ReportQuery`]) and goes on showing
//! what it has; the answer arrives over a channel and the loop draws it. Only the newest
//! question is answered: the user pressing `[` five times waits for one report, not five.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;

use crate::domain::metrics::Report;
use crate::domain::time::Clock;
use crate::store::Store;
use crate::tui::components::reports::ReportQuery;

/// A question and its figures, or why they could not be read.
pub type Answer = (ReportQuery, Result<Report, String>);

pub struct ReportWorker {
    requests: Option<Sender<ReportQuery>>,
    results: Receiver<Answer>,
    thread: Option<JoinHandle<()>>,
}

impl ReportWorker {
    /// Starts the thread; it opens the book at `db_path` for reading when first asked.
    pub fn start(db_path: PathBuf, clock: Arc<dyn Clock>) -> ReportWorker {
        let (requests, inbox) = mpsc::channel::<ReportQuery>();
        let (outbox, results) = mpsc::channel();
        let thread = std::thread::spawn(move || {
            let mut store: Option<Store> = None;
            while let Ok(first) = inbox.recv() {
                // Questions asked meanwhile replace it: only the newest is answered.
                let query = inbox.try_iter().last().unwrap_or(first);
                if store.is_none() {
                    match Store::open_read(&db_path, clock.clone()) {
                        Ok(s) => store = Some(s),
                        Err(e) => {
                            if outbox.send((query, Err(e.to_string()))).is_err() {
                                return;
                            }
                            continue;
                        }
                    }
                }
                let Some(s) = &store else { continue };
                let answer = query.run(s.conn()).map_err(|e| e.to_string());
                if outbox.send((query, answer)).is_err() {
                    return;
                }
            }
        });
        ReportWorker {
            requests: Some(requests),
            results,
            thread: Some(thread),
        }
    }

    /// Asks for the figures of `query`.
    pub fn ask(&self, query: ReportQuery) {
        if let Some(requests) = &self.requests {
            let _ = requests.send(query);
        }
    }

    /// The answers that have arrived since the last call; an error if the thread has
    /// stopped (it never does but by panicking), so that nobody waits for it.
    pub fn answers(&self) -> Result<Vec<Answer>, String> {
        let mut answers = Vec::new();
        loop {
            match self.results.try_recv() {
                Ok(answer) => answers.push(answer),
                Err(mpsc::TryRecvError::Empty) => return Ok(answers),
                Err(mpsc::TryRecvError::Disconnected) if answers.is_empty() => {
                    return Err(crate::t!("reports-worker-stopped"));
                }
                Err(mpsc::TryRecvError::Disconnected) => return Ok(answers),
            }
        }
    }
}

impl Drop for ReportWorker {
    fn drop(&mut self) {
        // Closing the channel ends the thread's loop once it has answered.
        self.requests = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::customer::Cadence;
    use crate::domain::metrics::{Period, Span};
    use crate::domain::money::Currency;
    use crate::domain::time::Zone;
    use crate::store::test_support::fixed_clock;
    use std::time::Duration;

    #[test]
    fn the_worker_answers_the_newest_question_with_the_books_figures() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("book.db");
        let mut store = Store::open(&path, fixed_clock()).unwrap();
        crate::demo::generate(&mut store, None).unwrap();
        let now = store.now_millis();
        let zone = Zone::Named(chrono_tz::UTC);
        let query = |period| ReportQuery {
            span: Span::current(period, now, zone),
            pipeline: None,
            currency: Currency::eur(),
            cadence: Cadence::default(),
            now,
            zone,
        };
        let worker = ReportWorker::start(path.clone(), fixed_clock());
        worker.ask(query(Period::Month));
        worker.ask(query(Period::Year));
        let mut answers = Vec::new();
        for _ in 0..500 {
            answers.extend(worker.answers().unwrap());
            if answers.iter().any(|(q, _)| q.span.kind() == Period::Year) {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let (asked, answer) = answers.pop().expect("an answer");
        assert_eq!(asked, query(Period::Year));
        assert_eq!(
            answer.unwrap(),
            query(Period::Year).run(store.conn()).unwrap()
        );
    }
}
