//! The Members section of the settings (`S`), for a book joined to a team in PostgreSQL:
//! the team's logins with their roles, asked of the hub by the [`MembersWorker`] when
//! the settings open. An admin adds a member (a form: login, role, a password file or
//! none, when a password is made and shown here once), changes a role (a list) and
//! removes a member (asked first); each goes to the worker, through the same use cases
//! as `salesdesk team add-member | role | remove-member`. A rep or manager sees the list
//! and is told, at the key, that changing it is an admin's. An unreachable server says
//! "offline since …" in the status bar and under the list; no key waits for it.

use super::action::Action;
use super::app::App;
use super::keymap::Context;
use super::members_worker::{Answer, Done, Failure, MembersWorker, Request};
use super::modals::Modal;
use super::modals::confirm::Confirm;
use super::modals::form::{ChoiceWords, Field, Form, Purpose};
use super::modals::picker::Picker;
use super::modals::settings::{MEMBERS, Row};
use crate::store::StoreError;
use crate::t;
use crate::usecase::team::{self, Added, Kind, MemberError, NewMember, Password, Roster};

/// What the app knows of the team's members, and its line to the hub.
pub struct TeamMembers {
    worker: MembersWorker,
    /// The list as the hub last gave it.
    pub roster: Option<Roster>,
    /// Why the last request failed, until one succeeds.
    pub failure: Option<Failure>,
    /// The server is out of reach since this instant (unix ms).
    pub offline_since: Option<i64>,
    /// Requests not yet answered.
    pub waiting: usize,
    /// When the oldest request not yet answered was sent (unix ms), and whether the
    /// user has been told that the server is slow to answer it.
    asked_at: i64,
    slow_said: bool,
    /// The member just added: their made password is shown under the list until the
    /// settings are opened again, and never kept anywhere else.
    pub added: Option<Added>,
}

impl TeamMembers {
    fn new(worker: MembersWorker) -> TeamMembers {
        TeamMembers {
            worker,
            roster: None,
            failure: None,
            offline_since: None,
            waiting: 0,
            asked_at: 0,
            slow_said: false,
            added: None,
        }
    }
}

/// How long a request may go unanswered before the user is told the server is slow (a
/// server that accepts the connection and then says nothing holds no key, but should
/// not look like one still thinking).
const SLOW_MS: i64 = 10_000;

/// The form of a new member: login, role, and where the password comes from.
fn member_form() -> Form {
    Form::new(
        t!("form-title-add-member"),
        Purpose::AddMember,
        vec![
            Field::text("login", t!("form-label-login"), "").with_hint(&t!("form-hint-login")),
            Field::choice(
                "role",
                t!("form-label-role"),
                vec!["rep".into(), "manager".into(), "admin".into()],
                "rep",
            )
            .with_display(ChoiceWords::Role)
            .with_hint(&t!("form-hint-choose")),
            Field::text("password_file", t!("form-label-password-file"), "")
                .with_hint(&t!("form-hint-password-file")),
        ],
    )
}

impl App {
    /// Manages the team's members through this worker from now on (`tui::run` starts
    /// one for a book joined to a team in PostgreSQL).
    pub fn attach_members(&mut self, worker: MembersWorker) {
        self.members = Some(TeamMembers::new(worker));
    }

    /// Takes the worker's answers; whether one is still awaited (the loop then looks
    /// again soon).
    pub fn exchange_members(&mut self) -> bool {
        let answers = match &self.members {
            Some(m) => m.worker.answers(),
            None => return false,
        };
        let mut changed = !answers.is_empty();
        for answer in answers {
            self.members_answered(answer);
        }
        let now = self.now();
        if let Some(m) = &mut self.members
            && m.waiting > 0
            && !m.slow_said
            && now - m.asked_at >= SLOW_MS
        {
            m.slow_said = true;
            changed = true;
            let seconds = (now - m.asked_at) / 1000;
            self.fail(t!("members-slow", seconds = seconds));
        }
        if changed && let Some(Modal::Settings(s)) = &self.modal {
            let keep = s.rows.get(s.selected).map(|r| r.id().to_string());
            if let Err(e) = self.open_settings(keep.as_deref()) {
                self.fail(e.to_string());
            }
        }
        self.members.as_ref().is_some_and(|m| m.waiting > 0)
    }

    /// Sends a request to the hub, if this book has one.
    pub(super) fn ask_members(&mut self, request: Request) {
        let now = self.now();
        if let Some(m) = &mut self.members
            && m.worker.ask(request)
        {
            if m.waiting == 0 {
                m.asked_at = now;
                m.slow_said = false;
            }
            m.waiting += 1;
        }
    }

    /// One answer: what the change did in the status bar, and the new list.
    fn members_answered(&mut self, answer: Answer) {
        let now = self.now();
        let since = |m: &mut TeamMembers, f: &Failure| {
            if f.offline {
                *m.offline_since.get_or_insert(now)
            } else {
                now
            }
        };
        let Some(m) = &mut self.members else { return };
        m.waiting = m.waiting.saturating_sub(1);
        // The next request's wait counts from now.
        m.asked_at = now;
        let was_slow = std::mem::take(&mut m.slow_said);
        let mut said: Option<(String, bool)> = None;
        match answer.done {
            Some(Ok(Done::Added(added))) => {
                let text = match &added.password {
                    None if added.kept_password => t!(
                        "members-added-kept-password",
                        name = added.login.as_str(),
                        role = crate::i18n::noun(added.kind.as_str())
                    ),
                    Some(_) => t!(
                        "members-added-password",
                        name = added.login.as_str(),
                        role = crate::i18n::noun(added.kind.as_str())
                    ),
                    None => t!(
                        "members-added",
                        name = added.login.as_str(),
                        role = crate::i18n::noun(added.kind.as_str())
                    ),
                };
                m.added = Some(added);
                said = Some((text, false));
            }
            Some(Ok(Done::RoleSet { login, kind })) => {
                said = Some((
                    t!(
                        "team-role-set",
                        name = crate::text::clean(&login),
                        role = crate::i18n::noun(kind.as_str())
                    ),
                    false,
                ));
            }
            Some(Ok(Done::Removed { login })) => {
                said = Some((
                    t!("members-removed", name = crate::text::clean(&login)),
                    false,
                ));
            }
            Some(Err(f)) => {
                let at = since(m, &f);
                said = Some((failure_text(&f, at, self.zone, now), true));
            }
            None => {}
        }
        match answer.roster {
            Ok(roster) => {
                m.roster = Some(roster);
                m.failure = None;
                m.offline_since = None;
            }
            Err(f) => {
                let at = since(m, &f);
                if said.is_none() {
                    said = Some((failure_text(&f, at, self.zone, now), true));
                }
                m.failure = Some(f);
            }
        }
        if was_slow && said.is_none() {
            // The status bar said it was slow: now it has answered.
            said = Some((t!("members-answered"), false));
        }
        match said {
            Some((text, true)) => self.fail(text),
            Some((text, false)) => self.say(text),
            None => {}
        }
    }

    /// The Members section's lines, when this book is in a team in PostgreSQL.
    pub(super) fn member_rows(&self) -> Result<Vec<Row>, StoreError> {
        let Some(m) = &self.members else {
            return Ok(Vec::new());
        };
        let names = crate::store::members::list(self.store.conn())?;
        let name_of = |id: &String| {
            names.iter().find(|n| &n.id == id).map_or_else(
                || crate::domain::ids::short_id(id).to_string(),
                |n| n.name.clone(),
            )
        };
        let mut rows = vec![Row::Members];
        let mut note = |text: String, alert: bool| {
            let id = format!("{MEMBERS} note {}", rows.len());
            rows.push(Row::Note { id, text, alert });
        };
        let now = self.now();
        if m.waiting > 0 && m.slow_said {
            note(
                t!("members-slow", seconds = (now - m.asked_at) / 1000),
                true,
            );
        } else if m.waiting > 0 {
            note(t!("members-asking"), false);
        }
        match (&m.failure, m.offline_since) {
            (Some(_), Some(since)) => note(
                t!(
                    "members-offline-note",
                    since = self.zone.short_time(since, now)
                ),
                true,
            ),
            (Some(f), None) => note(f.message.clone(), true),
            (None, _) => {}
        }
        if let Some(added) = &m.added {
            if let Some(password) = &added.password {
                note(
                    t!(
                        "members-password-once",
                        name = added.login.as_str(),
                        password = password.as_str()
                    ),
                    true,
                );
            }
            note(
                t!("members-join-with", url = added.join_url.as_str()),
                false,
            );
        }
        let Some(roster) = &m.roster else {
            return Ok(rows);
        };
        let keys = |c| self.keymap.key(Context::Settings, c);
        use super::action::Command;
        match roster.my_role() {
            Some(Kind::Admin) => note(
                t!(
                    "members-admin-keys",
                    add = keys(Command::Add),
                    edit = keys(Command::Edit),
                    delete = keys(Command::Delete)
                ),
                false,
            ),
            Some(kind) => note(
                t!("members-read-only", role = crate::i18n::noun(kind.as_str())),
                false,
            ),
            None => note(t!("members-not-a-member"), true),
        }
        for login in &roster.logins {
            rows.push(Row::Member {
                id: format!("{MEMBERS}{}", login.login),
                login: login.login.clone(),
                kind: login.kind.clone(),
                syncs_as: login.member_ids.iter().map(name_of).collect(),
                me: login.me,
            });
        }
        Ok(rows)
    }

    /// A settings key on a line of the Members section (`id`): `a` adds a member, `e`
    /// changes the selected one's role, `D` removes them; each only for an admin.
    pub(super) fn member_key(&mut self, action: Action) -> Result<Option<Action>, StoreError> {
        let Some(m) = &self.members else {
            return Ok(None);
        };
        let Some(roster) = &m.roster else {
            let why = match m.offline_since {
                Some(since) => t!(
                    "members-offline-note",
                    since = self.zone.short_time(since, self.now())
                ),
                None => t!("members-not-yet"),
            };
            return Ok(Some(Action::Fail(why)));
        };
        let me = roster.my_role();
        let member = |id: &str| {
            roster
                .logins
                .iter()
                .find(|l| format!("{MEMBERS}{}", l.login) == id)
                .cloned()
        };
        let (wanted, target) = match &action {
            Action::SettingsAdd(_) => ("add", None),
            Action::SettingsEdit(id) => match member(id) {
                Some(login) => ("role", Some(login)),
                None => return Ok(None),
            },
            Action::SettingsDelete(id) => match member(id) {
                Some(login) => ("remove", Some(login)),
                None => return Ok(None),
            },
            _ => return Ok(None),
        };
        if me != Some(Kind::Admin) {
            let role = me.map_or_else(|| t!("members-no-role"), |k| crate::i18n::noun(k.as_str()));
            return Ok(Some(Action::Fail(t!(
                "members-admin-only",
                role = role,
                what = wanted
            ))));
        }
        self.modal = Some(match (wanted, target) {
            ("role", Some(login)) => Modal::Picker(Picker::member_role(&login.login, &login.kind)),
            ("remove", Some(login)) => Modal::Confirm(Confirm::new(
                t!("confirm-remove-member-title"),
                t!(
                    "confirm-remove-member",
                    name = crate::text::clean(&login.login)
                ),
                Action::RemoveMember(login.login.clone()),
            )),
            _ => Modal::Form(member_form()),
        });
        Ok(None)
    }

    /// What an admin chose: a role, a removal. Sent to the hub; the list opens again.
    pub(super) fn member_action(&mut self, action: Action) -> Result<Option<Action>, StoreError> {
        let (request, keep) = match action {
            Action::SetMemberRole { login, kind } => {
                let keep = format!("{MEMBERS}{login}");
                (Request::SetRole { login, kind }, keep)
            }
            Action::RemoveMember(login) => (Request::Remove { login }, MEMBERS.to_string()),
            _ => return Ok(None),
        };
        self.ask_members(request);
        self.say(t!("members-asking"));
        self.open_settings(Some(&keep))?;
        Ok(None)
    }

    /// Saves the new-member form: checked here (the name, the password file read), then
    /// sent to the hub; each refusal at its field.
    pub(super) fn save_member(&mut self, form: &mut Form) -> Result<Option<Action>, StoreError> {
        let kind: Kind = match form.value("role").parse() {
            Ok(kind) => kind,
            Err(why) => {
                form.set_error("role", why);
                return Ok(None);
            }
        };
        let file = form.value("password_file").trim().to_string();
        let new = NewMember {
            login: form.value("login").to_string(),
            kind,
            password: if file.is_empty() {
                Password::Generate
            } else {
                Password::File(file.into())
            },
            member: None,
        };
        match team::check(&new) {
            Ok(checked) => {
                let keep = format!("{MEMBERS}{}", checked.login);
                self.ask_members(Request::Add(checked));
                self.say(t!("members-asking"));
                self.open_settings(Some(&keep))?;
                Ok(None)
            }
            Err(MemberError::PasswordFile(why)) => {
                form.set_error("password_file", why);
                Ok(None)
            }
            Err(e) => {
                form.set_error("login", e.to_string());
                Ok(None)
            }
        }
    }

    /// Opens the settings afresh (`S`): the members are asked for again, and a password
    /// shown before is gone.
    pub(super) fn open_settings_fresh(&mut self) -> Result<(), StoreError> {
        if let Some(m) = &mut self.members {
            m.added = None;
        }
        self.ask_members(Request::List);
        self.open_settings(None)
    }
}

/// A failure as the status bar says it: "offline since 10:02" when the server is out of
/// reach, else the server's refusal.
fn failure_text(f: &Failure, since: i64, zone: crate::domain::time::Zone, now: i64) -> String {
    if f.offline {
        t!(
            "members-offline",
            since = zone.short_time(since, now),
            why = f.message.as_str()
        )
    } else {
        t!("members-failed", why = f.message.as_str())
    }
}
