//! The team's members, asked of and changed on its PostgreSQL hub by a thread of their
//! own, as the background sync does: no key waits for the server. The Members section
//! of the settings (`S`) asks for the list when it opens; an admin's add, role change
//! or removal goes here too, through the same use cases as the CLI
//! ([`crate::usecase::team`]). The thread keeps its connection between requests and
//! drops it when it fails, so the next request connects again. Each answer carries the
//! list as it stands after the request, so the screen never shows a stale one as new.

use std::sync::mpsc::{self, Receiver, Sender};

use crate::sync::TeamLink;
use crate::sync::postgres::conninfo::Env;
use crate::usecase::team::{self, Added, CheckedMember, HubAdmin, Kind, MemberError, Roster};

/// What the app asks of the hub.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// The list only.
    List,
    Add(CheckedMember),
    SetRole {
        login: String,
        kind: Kind,
    },
    Remove {
        login: String,
    },
}

/// What a change did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done {
    Added(Added),
    RoleSet { login: String, kind: Kind },
    Removed { login: String },
}

/// Why the hub could not answer, as one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub message: String,
    /// The server could not be reached or the connection broke (not a refusal).
    pub offline: bool,
}

impl From<&MemberError> for Failure {
    fn from(e: &MemberError) -> Self {
        Failure {
            message: e.to_string(),
            offline: e.is_offline(),
        }
    }
}

/// The answer to one request: what the change did (none for [`Request::List`]), then
/// the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub done: Option<Result<Done, Failure>>,
    pub roster: Result<Roster, Failure>,
}

pub struct MembersWorker {
    requests: Sender<Request>,
    answers: Receiver<Answer>,
}

impl MembersWorker {
    /// Starts the thread for the hub `link` names; it connects when first asked.
    pub fn start(link: TeamLink, env: Env) -> MembersWorker {
        let mut hub: Option<HubAdmin> = None;
        MembersWorker::with(move |request| {
            let admin = match hub.as_mut() {
                Some(admin) => admin,
                None => match HubAdmin::open(&link, &env) {
                    Ok(admin) => hub.insert(admin),
                    Err(e) => {
                        let failure = Failure::from(&MemberError::Hub(e));
                        let done = (request != Request::List).then(|| Err(failure.clone()));
                        return Answer {
                            done,
                            roster: Err(failure),
                        };
                    }
                },
            };
            let answer = serve(admin, request);
            let broken = |f: Option<&Failure>| f.is_some_and(|f| f.offline);
            let done_failed = answer.done.as_ref().and_then(|d| d.as_ref().err());
            if broken(answer.roster.as_ref().err()) || broken(done_failed) {
                // A broken connection is not used again.
                hub = None;
            }
            answer
        })
    }

    /// A worker answering with `serve` on its thread (the hub's in [`MembersWorker::start`];
    /// tests give their own).
    pub fn with(mut serve: impl FnMut(Request) -> Answer + Send + 'static) -> MembersWorker {
        let (requests, inbox) = mpsc::channel::<Request>();
        let (outbox, answers) = mpsc::channel();
        // Not joined: a server that does not answer must not hold up quitting. The
        // thread ends when the app drops its end of the channel.
        std::thread::spawn(move || {
            while let Ok(request) = inbox.recv() {
                if outbox.send(serve(request)).is_err() {
                    return;
                }
            }
        });
        MembersWorker { requests, answers }
    }

    /// Asks; the answer comes through [`MembersWorker::answers`].
    pub fn ask(&self, request: Request) -> bool {
        self.requests.send(request).is_ok()
    }

    /// The answers that have arrived since the last call.
    pub fn answers(&self) -> Vec<Answer> {
        self.answers.try_iter().collect()
    }
}

/// One request on a connection.
fn serve(hub: &mut HubAdmin, request: Request) -> Answer {
    let done = match request {
        Request::List => None,
        Request::Add(member) => Some(team::add_checked(hub, &member).map(Done::Added)),
        Request::SetRole { login, kind } => {
            Some(team::set_role(hub, &login, kind).map(|()| Done::RoleSet { login, kind }))
        }
        Request::Remove { login } => {
            Some(team::remove_member(hub, &login).map(|()| Done::Removed { login }))
        }
    };
    let done = done.map(|r| r.map_err(|e| Failure::from(&e)));
    // After a broken connection the list cannot be read either: say so once.
    let roster = match &done {
        Some(Err(f)) if f.offline => Err(f.clone()),
        _ => team::roster(hub).map_err(|e| Failure::from(&e)),
    };
    Answer { done, roster }
}
