//! Managing a team's members on its hub: a connection of its own ([`HubAdmin`]) and the
//! server's member functions (server migrations 002 and 003), which check that the
//! caller is an admin: the client decides nothing here. The CLI opens one for a single
//! action; the TUI's members worker keeps one between actions, so that a change costs a
//! round trip, not a log-in. The rules around them (the login's name, where a password
//! comes from) are [`crate::usecase::team`]'s.

use postgres::Client;

use super::conninfo::{Env, HubUrl};
use super::{Kind, server};
use crate::sync::team::{SyncError, TeamLink};

/// A login of the team as the hub knows it, and whether it is the one asking.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Login {
    pub login: String,
    /// `rep`, `manager` or `admin`, as the hub says (a newer hub may say more).
    pub kind: String,
    /// The local member ids the login syncs as (a person's databases).
    pub member_ids: Vec<String>,
    /// The login this connection is made with.
    pub me: bool,
}

impl Login {
    /// The role, when this build knows it.
    pub fn role(&self) -> Option<Kind> {
        self.kind.parse().ok()
    }
}

/// The team's logins, in name order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roster {
    pub logins: Vec<Login>,
}

impl Roster {
    /// What the asking login may do: `None` when it is no member (it was removed).
    pub fn my_role(&self) -> Option<Kind> {
        self.logins.iter().find(|l| l.me).and_then(Login::role)
    }

    /// The asking login's name.
    pub fn me(&self) -> Option<&str> {
        self.logins.iter().find(|l| l.me).map(|l| l.login.as_str())
    }
}

/// A connection to the team's hub for managing its members.
pub struct HubAdmin {
    client: Client,
    url: HubUrl,
}

impl HubAdmin {
    /// Connects to the hub `link` names and checks that it still holds that team.
    pub fn open(link: &TeamLink, env: &Env) -> Result<HubAdmin, SyncError> {
        let (url, client) = super::open_linked(link, env)?;
        Ok(HubAdmin { client, url })
    }

    /// A connection to the hub this database is linked to.
    pub fn linked(store: &crate::store::Store, env: &Env) -> Result<HubAdmin, SyncError> {
        let (url, client) = super::linked_client(store, env)?;
        Ok(HubAdmin { client, url })
    }

    /// Makes `login` a member as `kind` (creating the login with `password` when it does
    /// not exist), bound to the local `member` id when given. Returns the URL the member
    /// joins with.
    pub fn add_member(
        &mut self,
        login: &str,
        kind: Kind,
        password: &str,
        member: Option<&str>,
    ) -> Result<(String, bool), SyncError> {
        super::check_login(login)?;
        // The server sets the password only when it makes the login: one left by an
        // earlier member (removing a member does not drop it) keeps its own.
        let existed: bool = self
            .client
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)",
                &[&login],
            )
            .map_err(server)?
            .get(0);
        self.client
            .execute(
                "SELECT salesdesk.add_member($1, $2, $3, $4)",
                &[&login, &kind.as_str(), &password, &member],
            )
            .map_err(server)?;
        let url = HubUrl {
            user: login.to_string(),
            ..self.url.clone()
        }
        .stored();
        Ok((url, existed))
    }

    /// Changes what `login` may do.
    pub fn set_role(&mut self, login: &str, kind: Kind) -> Result<(), SyncError> {
        self.client
            .execute(
                "SELECT salesdesk.set_role($1, $2)",
                &[&login, &kind.as_str()],
            )
            .map_err(server)?;
        Ok(())
    }

    /// Takes `login`'s rights away; it can no longer log in.
    pub fn remove_member(&mut self, login: &str) -> Result<(), SyncError> {
        self.client
            .execute("SELECT salesdesk.remove_member($1)", &[&login])
            .map_err(server)?;
        Ok(())
    }

    /// The team's logins with their roles, in one round trip.
    pub fn roster(&mut self) -> Result<Roster, SyncError> {
        let rows = self
            .client
            .query(
                "SELECT login, kind, member_ids, login = session_user FROM salesdesk.members()",
                &[],
            )
            .map_err(server)?;
        let logins = rows
            .iter()
            .map(|r| {
                Ok(Login {
                    login: r.try_get(0).map_err(server)?,
                    kind: r.try_get(1).map_err(server)?,
                    member_ids: r.try_get(2).map_err(server)?,
                    me: r
                        .try_get::<_, Option<bool>>(3)
                        .map_err(server)?
                        .unwrap_or(false),
                })
            })
            .collect::<Result<Vec<_>, SyncError>>()?;
        Ok(Roster { logins })
    }
}
