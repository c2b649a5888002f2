//! The team hub in PostgreSQL (DESIGN §8): the second transport of team sync, beside the
//! team file. A team's data lives in one database's `salesdesk` schema as whole rows
//! with their clocks ([`crate::store::hub`]); each member's local SQLite stays the
//! working copy.
//!
//! A sync is two statements on a [`Session`] (a connection with its statements prepared,
//! which the TUI's background sync keeps open). **Pull**: one query for the rows and
//! sets whose sequence number is past this database's cursor, streamed row by row into a
//! private SQLite file and merged by [`crate::store::merge::merge_from_hub`] — the same
//! merge, screening and quarantine as a team file's, since what the server holds is as
//! untrusted as a file, with one difference: the hub vouches for who wrote each clock
//! (server migration 004 refuses a write whose new clocks are not the writing login's
//! own), so no signature is sent, kept or verified. **Push**: the server's
//! `salesdesk.push` (server migrations 003 and 005) takes the hub's write lock, refuses
//! (and the sync pulls again) if a row it carries changed on the hub since the pull,
//! and upserts the rows this site wrote since its last push: the hub then always holds
//! the merge of everything pushed, and no second merge is written here. One change
//! costs one row each way, whatever the book's size. The hub gives every row and set entry
//! written (by `push` or by hand) a new number of its own, under that lock, so that
//! numbers become visible in order and a pull's cursor never passes a write it has not
//! seen (server migration 005).
//!
//! Nothing here trusts the client for security: which rows a member may read or write is
//! for the server's row-level security to say (server migration 002). A row it refuses
//! to take stays here and goes to the conflicts log with why
//! ([`crate::store::conflicts::record_refused`]); it is sent again when the hub shows
//! this member that record again.

pub mod conninfo;
pub mod members;

use std::collections::HashSet;
use std::fmt;
use std::time::Duration;

use postgres::fallible_iterator::FallibleIterator;
use postgres::{Client, Statement};
use serde_json::{Map, Value as Json};

use self::conninfo::{ConnError, Env, HubUrl, SslMode};
use super::team::{SyncError, SyncReport, TeamLink, team_link};
use crate::domain::ids::new_id;
use crate::store::conflicts::{self, RefusedEdit};
use crate::store::hub::{self, HubRow, HubSets, PullFile};
use crate::store::merge;
use crate::store::{Store, teamfile};

/// The server's migrations, in order: the hub's schema version is how many have run.
const MIGRATIONS: [&str; 5] = [
    include_str!("migrations/001_team.sql"),
    include_str!("migrations/002_roles.sql"),
    include_str!("migrations/003_sync.sql"),
    include_str!("migrations/004_authorship.sql"),
    include_str!("migrations/005_one_number_per_write.sql"),
];

/// The schema version of the hub this build makes and understands.
pub const SERVER_SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The advisory lock every writer holds for its transaction (any number: it only has to
/// be the same for every SalesDesk, and as the server migrations' from 003 on).
const WRITE_LOCK: i64 = 0x5a1e_5de5_c000_0001;

/// How many rows one statement pushes.
const PUSH_CHUNK: usize = 2_000;

/// How often a sync pulls again when a teammate's push keeps overtaking it.
const ATTEMPTS: usize = 5;

/// Why a hub could not be used, as one sentence.
#[derive(Debug)]
pub enum HubError {
    Url(ConnError),
    /// Connecting or logging in failed.
    Connect {
        url: String,
        why: String,
        /// The server refused the login (a wrong or missing password, an unknown
        /// login): waiting will not fix it, so the team is not merely offline.
        refused: bool,
    },
    /// The database holds no SalesDesk team.
    NoTeam(String),
    /// `team init` on a database that already holds one.
    HasTeam(String),
    Newer {
        found: i64,
    },
    OtherTeam {
        found: String,
    },
    /// A statement failed on the server.
    Server(String),
    /// The connection broke during the sync (the server stopped, the network went).
    Lost(String),
}

impl fmt::Display for HubError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HubError::Url(e) => write!(f, "{e}"),
            HubError::Connect { url, why, .. } => f.write_str(&crate::t!(
                "hub-err-connect",
                url = url.as_str(),
                why = why.as_str()
            )),
            HubError::NoTeam(url) => f.write_str(&crate::t!("hub-err-no-team", url = url)),
            HubError::HasTeam(url) => f.write_str(&crate::t!("hub-err-has-team", url = url)),
            HubError::Newer { found } => f.write_str(&crate::t!(
                "hub-err-newer",
                found = *found,
                supported = SERVER_SCHEMA_VERSION
            )),
            HubError::OtherTeam { found } => {
                f.write_str(&crate::t!("hub-err-other-team", found = found))
            }
            HubError::Server(why) => f.write_str(&crate::t!("hub-err-server", why = why)),
            HubError::Lost(why) => f.write_str(&crate::t!("hub-err-lost", why = why)),
        }
    }
}

impl std::error::Error for HubError {}

impl From<ConnError> for HubError {
    fn from(e: ConnError) -> Self {
        HubError::Url(e)
    }
}

/// What the server said, without the client's "db error:" prefix.
fn server_error(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => db.message().to_string(),
        None => match std::error::Error::source(e) {
            // "invalid configuration" says little without its cause.
            Some(cause) => format!("{e}: {cause}"),
            None => e.to_string(),
        },
    }
}

fn server(e: postgres::Error) -> SyncError {
    if e.as_db_error().is_none() || going_away(&e) {
        // Not the server's answer to the sync: the connection itself failed, or the
        // server is stopping and said so before the connection went.
        return SyncError::Hub(HubError::Lost(server_error(&e)));
    }
    SyncError::Hub(HubError::Server(server_error(&e)))
}

/// Whether the server said it is going away: shut down by its administrator or after a
/// crash of another backend (SQLSTATE class 57P: "terminating connection due to
/// unexpected postmaster exit"), or a connection exception (class 08). The sync was
/// interrupted, not refused: the team is offline for now.
fn going_away(e: &postgres::Error) -> bool {
    e.code().is_some_and(|c| {
        let code = c.code();
        code.starts_with("57P") || code.starts_with("08")
    })
}

impl HubError {
    /// Whether the hub could not be reached or the connection broke: the team is
    /// offline for now, and local work goes on.
    pub fn is_offline(&self) -> bool {
        matches!(
            self,
            HubError::Lost(_) | HubError::Connect { refused: false, .. }
        )
    }
}

/// Opens a connection as the URL and the environment say.
pub fn connect(url: &HubUrl, env: &Env) -> Result<Client, HubError> {
    let password = url.password(env)?;
    let mut config = postgres::Config::new();
    config
        .host(&url.host)
        .port(url.port)
        .user(&url.user)
        .dbname(&url.database)
        .application_name("salesdesk")
        .connect_timeout(Duration::from_secs(10))
        .ssl_mode(match url.sslmode {
            SslMode::Disable => postgres::config::SslMode::Disable,
            SslMode::Prefer => postgres::config::SslMode::Prefer,
            _ => postgres::config::SslMode::Require,
        });
    if let Some(p) = &password {
        config.password(p);
    }
    let fail = |why: String| HubError::Connect {
        url: url.stored(),
        why,
        refused: false,
    };
    let login_failed = |e: postgres::Error| HubError::Connect {
        url: url.stored(),
        refused: refused_login(&e),
        why: login_failure(&e, password.is_some()),
    };
    if url.sslmode == SslMode::Disable {
        // No TLS: no connector to build (which reads the system's certificates).
        return config.connect(postgres::NoTls).map_err(login_failed);
    }
    let mut tls = native_tls::TlsConnector::builder();
    match url.sslmode {
        // libpq checks nothing in these modes unless given a root certificate.
        SslMode::Disable | SslMode::Prefer | SslMode::Require => {
            tls.danger_accept_invalid_certs(true)
                .danger_accept_invalid_hostnames(true);
        }
        SslMode::VerifyCa => {
            tls.danger_accept_invalid_hostnames(true);
        }
        SslMode::VerifyFull => {}
    }
    if matches!(url.sslmode, SslMode::VerifyCa | SslMode::VerifyFull)
        && let Some(path) = conninfo::root_cert_path(url, env)
    {
        let pem = std::fs::read(&path).map_err(|e| {
            fail(crate::t!(
                "hub-reading-root-cert",
                path = path.display().to_string(),
                error = e.to_string()
            ))
        })?;
        let cert = native_tls::Certificate::from_pem(&pem).map_err(|e| {
            fail(crate::t!(
                "hub-root-cert-not-pem",
                path = path.display().to_string(),
                error = e.to_string()
            ))
        })?;
        tls.add_root_certificate(cert);
    }
    let tls = tls
        .build()
        .map_err(|e| fail(crate::t!("hub-tls-setup", error = e.to_string())))?;
    config
        .connect(postgres_native_tls::MakeTlsConnector::new(tls))
        .map_err(login_failed)
}

/// Whether the server refused the login itself (SQLSTATE class 28: a wrong password, an
/// unknown login, no password given), rather than being out of reach.
fn refused_login(e: &postgres::Error) -> bool {
    e.code().is_some_and(|c| c.code().starts_with("28"))
        || server_error(e).contains("password missing")
}

/// Why connecting failed, with what to do about a password.
fn login_failure(e: &postgres::Error, had_password: bool) -> String {
    let mut why = server_error(e);
    if e.code() == Some(&postgres::error::SqlState::INVALID_PASSWORD)
        || why.contains("password authentication failed")
    {
        why.push_str(&crate::t!("hub-password-hint"));
    } else if why.contains("password missing") && !had_password {
        why = crate::t!("hub-password-missing");
    }
    why
}

/// The hub's team id and schema version, after bringing an older schema up to date.
fn check_team(client: &mut Client, url: &HubUrl) -> Result<String, HubError> {
    // One round trip (the simple protocol): a database without the schema or the table
    // says so with an error.
    let messages = match client.simple_query(
        "SELECT key, value FROM salesdesk.meta WHERE key IN ('team_id', 'schema_version')",
    ) {
        Ok(messages) => messages,
        Err(e)
            if e.code().is_some_and(|c| {
                *c == postgres::error::SqlState::UNDEFINED_TABLE
                    || *c == postgres::error::SqlState::INVALID_SCHEMA_NAME
            }) =>
        {
            return Err(HubError::NoTeam(url.stored()));
        }
        Err(e) => return Err(HubError::Server(server_error(&e))),
    };
    let mut team_id = None;
    let mut version: i64 = 0;
    for message in &messages {
        if let postgres::SimpleQueryMessage::Row(row) = message {
            match (row.get(0), row.get(1)) {
                (Some("team_id"), Some(id)) => team_id = Some(id.to_string()),
                (Some("schema_version"), Some(v)) => version = v.parse().unwrap_or(0),
                _ => {}
            }
        }
    }
    let team_id = team_id.ok_or_else(|| HubError::NoTeam(url.stored()))?;
    if version > SERVER_SCHEMA_VERSION {
        return Err(HubError::Newer { found: version });
    }
    if version < SERVER_SCHEMA_VERSION {
        migrate(client, version).map_err(|e| {
            if e.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) {
                HubError::Server(crate::t!(
                    "hub-older-schema",
                    found = version,
                    supported = SERVER_SCHEMA_VERSION
                ))
            } else {
                HubError::Server(server_error(&e))
            }
        })?;
    }
    Ok(team_id)
}

/// Runs the server migrations after `from`, in one transaction.
fn migrate(client: &mut Client, from: i64) -> Result<(), postgres::Error> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])?;
    // Another client may have upgraded the hub while this one waited for the lock: the
    // version is read again under it, and what ran is not run again.
    let has_meta: bool = tx
        .query_one("SELECT to_regclass('salesdesk.meta') IS NOT NULL", &[])?
        .get(0);
    let from = if has_meta {
        tx.query_opt(
            "SELECT value FROM salesdesk.meta WHERE key = 'schema_version'",
            &[],
        )?
        .and_then(|row| row.get::<_, String>(0).parse::<i64>().ok())
        .map_or(from, |now| now.max(from))
    } else {
        from
    };
    if from >= SERVER_SCHEMA_VERSION {
        // Up to date, or newer than this build (which the caller's next check refuses):
        // nothing to run, and the version is not written back down.
        return tx.commit();
    }
    let steps = usize::try_from(from).unwrap_or(0);
    for sql in MIGRATIONS.iter().skip(steps) {
        tx.batch_execute(sql)?;
    }
    tx.execute(
        "INSERT INTO salesdesk.meta (key, value) VALUES ('schema_version', $1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[&SERVER_SCHEMA_VERSION.to_string()],
    )?;
    tx.commit()
}

/// Parses a team URL given on the command line; [`SyncError::Hub`] when it is unusable.
fn parse_url(text: &str, env: &Env) -> Result<HubUrl, SyncError> {
    HubUrl::parse(text, env).map_err(|e| SyncError::Hub(e.into()))
}

/// `team init postgres://…`, with libpq's environment.
pub fn init(store: &Store, text: &str) -> Result<TeamLink, SyncError> {
    init_in(store, text, &Env::from_process())
}

/// `team join postgres://…`, with libpq's environment.
pub fn join(store: &Store, text: &str) -> Result<(TeamLink, SyncReport), SyncError> {
    join_in(store, text, &Env::from_process())
}

/// `salesdesk sync` with a hub, with libpq's environment.
pub fn sync(store: &Store, link: &TeamLink) -> Result<SyncReport, SyncError> {
    sync_in(store, link, &Env::from_process())
}

/// `team init postgres://…`: makes the team's schema in the database, links this
/// database to it and pushes everything this database holds.
pub fn init_in(store: &Store, text: &str, env: &Env) -> Result<TeamLink, SyncError> {
    if let Some(current) = team_link(store)? {
        return Err(SyncError::AlreadyLinked(current.path));
    }
    make_team(store, text, env, new_id())
}

/// `team move-to postgres://…`, with libpq's environment.
pub fn move_to(store: &Store, text: &str) -> Result<(TeamLink, SyncReport), SyncError> {
    move_to_in(store, text, &Env::from_process())
}

/// `team move-to postgres://…`: moves the team this database shares through a team file
/// to a new hub. The team file is synced first, so that the hub starts from everything
/// teammates have synced so far; it keeps the team's id (members' signatures name it),
/// so each teammate then joins the hub with `team join`, which pushes what they wrote
/// since. The team file stays as it was, for whoever has not moved yet.
pub fn move_to_in(
    store: &Store,
    text: &str,
    env: &Env,
) -> Result<(TeamLink, SyncReport), SyncError> {
    let file = team_link(store)?.ok_or(SyncError::NotLinked)?;
    if file.hub().is_some() {
        return Err(SyncError::AlreadyLinked(file.path));
    }
    let url = parse_url(text, env)?;
    // Reach the server before anything changes here.
    connect(&url, env).map_err(SyncError::Hub)?;
    let report = super::team::sync(store, &file)?;
    teamfile::remove_link(store.conn())?;
    match make_team(store, text, env, file.team_id.clone()) {
        Ok(link) => Ok((link, report)),
        Err(e) => {
            // Back to the team file, as before.
            teamfile::write_link(
                store.conn(),
                &file.path.to_string_lossy(),
                &file.team_id,
                store.site_id(),
                store.member_id(),
            )?;
            Err(e)
        }
    }
}

fn make_team(store: &Store, text: &str, env: &Env, team_id: String) -> Result<TeamLink, SyncError> {
    let url = parse_url(text, env)?;
    let mut client = connect(&url, env).map_err(SyncError::Hub)?;
    {
        let mut tx = client.transaction().map_err(server)?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
            .map_err(server)?;
        let exists: bool = tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'salesdesk')",
                &[],
            )
            .map_err(server)?
            .get(0);
        if exists {
            return Err(SyncError::Hub(HubError::HasTeam(url.stored())));
        }
        tx.batch_execute("CREATE SCHEMA salesdesk")
            .map_err(server)?;
        for sql in MIGRATIONS {
            tx.batch_execute(sql).map_err(server)?;
        }
        tx.execute(
            "INSERT INTO salesdesk.meta (key, value) VALUES ('team_id', $1), ('schema_version', $2)",
            &[&team_id, &SERVER_SCHEMA_VERSION.to_string()],
        )
        .map_err(server)?;
        tx.commit().map_err(server)?;
    }
    let mut session = Session::over(client, url)?;
    let link = TeamLink {
        path: session.url.stored().into(),
        team_id,
    };
    link_locally(store, &link)?;
    // Everything this database holds goes up, teammates' rows included (a team that
    // moves from a team file keeps all it had).
    match session.sync_scope(store, &link, Scope::Everything) {
        Ok(_) => Ok(link),
        Err(e) => {
            teamfile::remove_link(store.conn())?;
            Err(e)
        }
    }
}

/// `team join postgres://…`: links this database to the team in that database and syncs.
/// A refused or unreachable hub leaves this database unlinked and unchanged.
pub fn join_in(store: &Store, text: &str, env: &Env) -> Result<(TeamLink, SyncReport), SyncError> {
    let url = parse_url(text, env)?;
    let current = team_link(store)?;
    // Linked to another hub: leave it first. Linked to a team file: the team may have
    // moved here (`team move-to`), which the team ids say below.
    if let Some(current) = current
        .as_ref()
        .filter(|c| c.hub().is_some_and(|h| h != url.stored()))
    {
        return Err(SyncError::AlreadyLinked(current.path.clone()));
    }
    let client = connect(&url, env).map_err(SyncError::Hub)?;
    let mut session = Session::over(client, url)?;
    if let Some(current) = current.as_ref().filter(|c| c.team_id != session.team_id) {
        return Err(match current.hub() {
            Some(_) => SyncError::Hub(HubError::OtherTeam {
                found: session.team_id.clone(),
            }),
            None => SyncError::AlreadyLinked(current.path.clone()),
        });
    }
    let link = TeamLink {
        path: session.url.stored().into(),
        team_id: session.team_id.clone(),
    };
    link_locally(store, &link)?;
    match session.sync(store, &link) {
        Ok(mut report) => {
            if current.is_some() {
                // From a team file: this database holds what every teammate had.
                report.unseen_from_file = session.unseen_records(store)?;
            }
            Ok((link, report))
        }
        Err(e) => {
            // Back to how it was: unlinked, or linked to the team file.
            match &current {
                Some(file) => teamfile::write_link(
                    store.conn(),
                    &file.path.to_string_lossy(),
                    &file.team_id,
                    store.site_id(),
                    store.member_id(),
                )?,
                None => teamfile::remove_link(store.conn())?,
            }
            Err(e)
        }
    }
}

fn link_locally(store: &Store, link: &TeamLink) -> Result<(), SyncError> {
    let text = link.path.to_string_lossy();
    teamfile::write_link(
        store.conn(),
        &text,
        &link.team_id,
        store.site_id(),
        store.member_id(),
    )?;
    Ok(())
}

/// Which rows the first push after linking carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Those written here since the last push (every row this site wrote, the first time).
    OwnWrites,
    /// Every row: the team starts from this database.
    Everything,
}

/// `salesdesk sync` with a hub: pull, merge, push, on a new connection. The stored URL
/// is complete, so only the password comes from `env`.
pub fn sync_in(store: &Store, link: &TeamLink, env: &Env) -> Result<SyncReport, SyncError> {
    Session::open(link, env)?.sync(store, link)
}

/// How many decoded rows of a pull may wait to be written into the pull file.
const PULL_QUEUE: usize = 1024;

/// One row of a pull, decoded: a table's row, a set entry, or the hub's newest sequence
/// number (see [`PULL_SQL`]).
enum Pulled {
    Row(HubRow),
    Site {
        member: String,
        site: String,
    },
    Key {
        member: String,
        key: Vec<u8>,
    },
    Claim {
        site: String,
        sig: Vec<u8>,
    },
    /// Something this build does not take (another version's table, an incomplete
    /// entry): its sequence number still moves the cursor.
    Skip,
    HighWater,
}

/// Runs the pull's query and sends each row decoded, with its sequence number, until
/// the end, an error (sent too), or the receiver is gone.
fn receive(
    client: &mut Client,
    statement: &Statement,
    cursor: i64,
    send: &std::sync::mpsc::SyncSender<Result<(Pulled, i64), SyncError>>,
) {
    let mut rows =
        match client.query_raw(statement, [&cursor as &(dyn postgres::types::ToSql + Sync)]) {
            Ok(rows) => rows,
            Err(e) => {
                let _ = send.send(Err(server(e)));
                return;
            }
        };
    loop {
        let item = match rows.next() {
            Ok(Some(row)) => decode(&row),
            Ok(None) => return,
            Err(e) => Err(server(e)),
        };
        let failed = item.is_err();
        if send.send(item).is_err() || failed {
            return;
        }
    }
}

/// One row of the pull's result as what it stands for.
fn decode(row: &postgres::Row) -> Result<(Pulled, i64), SyncError> {
    let kind: i32 = row.try_get(0).map_err(server)?;
    let seq: i64 = row.try_get(7).map_err(server)?;
    let text = |i: usize| row.try_get::<_, Option<String>>(i).ok().flatten();
    let blob = || row.try_get::<_, Option<Vec<u8>>>(6).ok().flatten();
    let pulled = match kind {
        9 => Pulled::HighWater,
        0 => match (text(1), text(2)) {
            // A table this build does not know is another version's: left for it.
            (Some(table), Some(row_id)) => match hub::table_named(&table) {
                Some(table) => {
                    let object = |i: usize| match row.try_get::<_, Option<Json>>(i) {
                        Ok(Some(Json::Object(m))) => m,
                        _ => Map::new(),
                    };
                    Pulled::Row(HubRow {
                        table: table.name(),
                        row_id,
                        data: object(3),
                        clocks: object(4),
                        bases: object(5),
                    })
                }
                None => Pulled::Skip,
            },
            _ => Pulled::Skip,
        },
        1 => match (text(1), text(2)) {
            (Some(member), Some(site)) => Pulled::Site { member, site },
            _ => Pulled::Skip,
        },
        2 => match (text(1), blob()) {
            (Some(member), Some(key)) => Pulled::Key { member, key },
            _ => Pulled::Skip,
        },
        3 => match (text(2), blob()) {
            (Some(site), Some(sig)) => Pulled::Claim { site, sig },
            _ => Pulled::Skip,
        },
        _ => Pulled::Skip,
    };
    Ok((pulled, seq))
}

/// What the whole pull asks for, in one statement (so one snapshot, one round trip):
/// the rows and set entries past the cursor, each tagged with its kind, and last the
/// hub's newest sequence number (kind 9), which a cursor must not be past. No
/// signatures: the hub vouches for authorship (server migration 004) and keeps none
/// (005).
const PULL_SQL: &str = "
    SELECT 0 AS kind, tbl, row_id, data, clocks, bases, NULL::bytea AS blob, seq
      FROM salesdesk.rows WHERE seq > $1
    UNION ALL SELECT 1, member_id, site_id, NULL, NULL, NULL, NULL, seq
      FROM salesdesk.sites WHERE seq > $1
    UNION ALL SELECT 2, member_id, NULL, NULL, NULL, NULL, public_key, seq
      FROM salesdesk.member_keys WHERE seq > $1
    UNION ALL SELECT 3, NULL, site_id, NULL, NULL, NULL, sig, seq
      FROM salesdesk.site_claims WHERE seq > $1
    UNION ALL SELECT 9, NULL, NULL, NULL, NULL, NULL, NULL, salesdesk.high_water()";

/// A whole push (or one chunk of a large one) in one statement: see the server
/// migrations 003 and 005.
const PUSH_SQL: &str = "SELECT overtaken, newer, last_seq, refused
    FROM salesdesk.push($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";

/// An open connection to a team's hub, with its statements prepared: the TUI's
/// background sync keeps one across syncs, so that a sync costs two round trips (a pull
/// and a push) and no log-in. A connection that failed is dropped, and the next sync
/// opens a new one.
pub struct Session {
    client: Client,
    url: HubUrl,
    team_id: String,
    pull: Statement,
    push: Statement,
    /// The member id this connection has claimed for its login.
    claimed: Option<String>,
}

impl Session {
    /// Connects to the hub `link` names and checks that it still holds that team.
    pub fn open(link: &TeamLink, env: &Env) -> Result<Session, SyncError> {
        let text = link.hub().unwrap_or_default();
        let url = HubUrl::parse(text, &Env::default()).map_err(|e| SyncError::Hub(e.into()))?;
        let client = connect(&url, env).map_err(SyncError::Hub)?;
        let session = Session::over(client, url)?;
        if session.team_id != link.team_id {
            return Err(SyncError::Hub(HubError::OtherTeam {
                found: session.team_id,
            }));
        }
        Ok(session)
    }

    /// A session on a connection: the hub's team checked (its schema brought up to
    /// date), the statements prepared.
    fn over(mut client: Client, url: HubUrl) -> Result<Session, SyncError> {
        let team_id = check_team(&mut client, &url).map_err(SyncError::Hub)?;
        let pull = client.prepare(PULL_SQL).map_err(server)?;
        let push = client.prepare(PUSH_SQL).map_err(server)?;
        Ok(Session {
            client,
            url,
            team_id,
            pull,
            push,
            claimed: None,
        })
    }

    /// One sync: pull, merge, push this database's writes since its last push.
    pub fn sync(&mut self, store: &Store, link: &TeamLink) -> Result<SyncReport, SyncError> {
        self.sync_scope(store, link, Scope::OwnWrites)
    }

    fn sync_scope(
        &mut self,
        store: &Store,
        link: &TeamLink,
        scope: Scope,
    ) -> Result<SyncReport, SyncError> {
        // Nothing is signed for a hub: it vouches for who wrote what itself (server
        // migration 004), and nobody verifies a hub row's signatures. At 100k deals,
        // signing took 20 of `team init`'s 22 s of CPU, and the signatures 385 of the
        // hub's 868 MB. What the hub must know is which sites are this member's.
        crate::store::members::note_own_site(store.conn(), store.site_id(), store.member_id())?;
        // The rows this database's member owns are this login's to read and write.
        if self.claimed.as_deref() != Some(store.member_id()) {
            // One round trip (the simple protocol): the id is this database's own, quoted.
            let member = store.member_id().replace('\'', "''");
            self.client
                .simple_query(&format!("SELECT salesdesk.claim_member('{member}')"))
                .map_err(server)?;
            self.claimed = Some(store.member_id().to_string());
        }
        let mut report = SyncReport {
            team_file: self.url.stored().into(),
            ..SyncReport::default()
        };
        for _ in 0..ATTEMPTS {
            let retry = self.pull(store, link, &mut report)?;
            let since = match scope {
                Scope::Everything => None,
                // The first push carries every row this site ever wrote.
                Scope::OwnWrites => Some(hub::pushed(store.conn())?.unwrap_or_default()),
            };
            if let Some(refused) = self.push(store, since.as_deref(), &retry)? {
                report.refused_by_hub += refused;
                report.at = store.now_millis();
                teamfile::record_sync(store.conn(), report.at)?;
                return Ok(report);
            }
        }
        Err(SyncError::Hub(HubError::Server(crate::t!(
            "hub-sync-contended"
        ))))
    }

    /// For a rep: how many of the customers and deals this database holds the hub does
    /// not show this login (teammates' records from the team-file era, which stay here).
    fn unseen_records(&mut self, store: &Store) -> Result<usize, SyncError> {
        let kind: Option<String> = self
            .client
            .query_one("SELECT salesdesk.my_kind()", &[])
            .map_err(server)?
            .try_get(0)
            .map_err(server)?;
        if kind.as_deref() != Some("rep") {
            return Ok(0);
        }
        let visible: HashSet<String> = self
            .client
            .query(
                "SELECT row_id FROM salesdesk.rows WHERE tbl IN ('customers', 'deals')",
                &[],
            )
            .map_err(server)?
            .iter()
            .filter_map(|r| r.try_get::<_, String>(0).ok())
            .collect();
        let held = hub::live_customers_and_deals(store.conn())?;
        Ok(held.iter().filter(|id| !visible.contains(*id)).count())
    }

    /// Pulls what changed on the hub since this database's cursor, streaming it into a
    /// private file (one row in memory at a time), and merges that. A cursor past the
    /// hub's newest number (the hub was restored from an older backup) is taken back to
    /// the start: everything is pulled again and this database's own writes pushed again,
    /// which the merge makes harmless. Returns the rows with refused edits of this
    /// database that the hub now shows this member: those are sent again.
    fn pull(
        &mut self,
        store: &Store,
        link: &TeamLink,
        report: &mut SyncReport,
    ) -> Result<Vec<(String, String)>, SyncError> {
        let refused: HashSet<(String, String)> =
            conflicts::refused_rows(store.conn())?.into_iter().collect();
        loop {
            let cursor = hub::cursor(store.conn())?;
            let mut work: Option<PullWork> = None;
            let mut newest = cursor;
            let mut high_water = None;
            let mut retry = Vec::new();
            // The rows are received and decoded on a thread of their own while this one
            // writes them into the pull file: on a first join of the 100k-deal team,
            // decoding was a third of the pull.
            let client = &mut self.client;
            let statement = &self.pull;
            std::thread::scope(|scope| -> Result<(), SyncError> {
                let (send, received) = std::sync::mpsc::sync_channel(PULL_QUEUE);
                scope.spawn(move || receive(client, statement, cursor, &send));
                for item in received {
                    let (pulled, seq) = item?;
                    if let Pulled::HighWater = pulled {
                        high_water = Some(seq);
                        continue;
                    }
                    newest = newest.max(seq);
                    if work.is_none() {
                        work = Some(PullWork::new(store, &link.team_id)?);
                    }
                    let Some(w) = work.as_mut() else { continue };
                    match pulled {
                        Pulled::Row(row) => {
                            let key = (row.table.to_string(), row.row_id.clone());
                            if refused.contains(&key) {
                                retry.push(key);
                            }
                            w.file.add_row(&row)?;
                        }
                        Pulled::Site { member, site } => w.file.add_site(&site, &member)?,
                        Pulled::Key { member, key } => w.file.add_key(&member, &key)?,
                        Pulled::Claim { site, sig } => w.file.add_claim(&site, &sig)?,
                        Pulled::Skip | Pulled::HighWater => {}
                    }
                }
                Ok(())
            })?;
            if cursor > 0 && high_water.is_some_and(|h| h < cursor) {
                // The hub is behind this database: restored from a backup made before
                // some of what this database merged or pushed. Start again from nothing.
                drop(work);
                hub::record_cursor(store.conn(), 0)?;
                hub::forget_pushed(store.conn())?;
                report.hub_rewound = true;
                continue;
            }
            if let Some(w) = work {
                let dropped = w.file.finish()?;
                let mut merged = merge::merge_from_hub(store, &w.path)?;
                merged.quarantined += dropped.rows;
                report.merged.add(&merged);
            }
            if newest != cursor {
                hub::record_cursor(store.conn(), newest)?;
            }
            return Ok(retry);
        }
    }

    /// Pushes the rows this site wrote after `since` (every row, when `None`), the rows
    /// in `retry`, and every set entry, and logs the edits the hub's row-level security
    /// refused in the conflicts log (they stay here). Returns how many rows were refused,
    /// or `None`, having written nothing, when one of the rows changed on the hub after
    /// the last pull: pull again first.
    fn push(
        &mut self,
        store: &Store,
        since: Option<&str>,
        retry: &[(String, String)],
    ) -> Result<Option<usize>, SyncError> {
        let sets = hub::sets(store.conn())?;
        let cursor = hub::cursor(store.conn())?;
        let (mut reader, clock) =
            hub::PushReader::start(store.conn(), since, store.site_id(), retry)?;
        let first = reader.next_chunk(PUSH_CHUNK)?;
        let next = if first.len() == PUSH_CHUNK {
            reader.next_chunk(PUSH_CHUNK)?
        } else {
            Vec::new()
        };
        // A large push (a team made from a big book) goes a chunk at a time in one
        // transaction, one chunk in memory; a small one is one statement, its own
        // transaction.
        let many = !next.is_empty();
        if many {
            self.client.batch_execute("BEGIN").map_err(server)?;
        }
        let outcome = self.push_chunks(first, next, &mut reader, &sets, cursor, since, store);
        if many {
            let end = match &outcome {
                Ok(Some(_)) => "COMMIT",
                _ => "ROLLBACK",
            };
            // The statement's own failure says more than the rollback's.
            if let (Err(e), Ok(_)) = (self.client.batch_execute(end), &outcome) {
                return Err(server(e));
            }
        }
        reader.finish()?;
        let Some(pushed) = outcome? else {
            return Ok(None);
        };
        if let Some(clock) = clock {
            hub::record_pushed(store.conn(), &clock)?;
        }
        if !pushed.newer {
            // Nothing arrived since the pull: this push's own rows need not be pulled
            // back, and the cursor moves past them.
            hub::record_cursor(store.conn(), pushed.last.max(cursor))?;
        }
        let now = store.now_millis();
        conflicts::record_refused(store.conn(), &pushed.edits, now)?;
        for (table, row_id) in retry {
            if !pushed.refused.contains(&(table.clone(), row_id.clone())) {
                conflicts::settle_accepted(store.conn(), table, row_id, now)?;
            }
        }
        Ok(Some(pushed.refused.len()))
    }

    /// Calls the hub's `push` for `first`, `next` and the reader's further chunks;
    /// `None` when the first found its rows overtaken.
    #[allow(clippy::too_many_arguments)]
    fn push_chunks(
        &mut self,
        mut chunk: Vec<HubRow>,
        mut next: Vec<HubRow>,
        reader: &mut hub::PushReader<'_>,
        sets: &HubSets,
        cursor: i64,
        since: Option<&str>,
        store: &Store,
    ) -> Result<Option<Pushed>, SyncError> {
        let mut pushed = Pushed::default();
        let none = HubSets::default();
        let mut first = true;
        loop {
            let sets = if first { sets } else { &none };
            let Some((newer, last, refused)) = self.push_chunk(&chunk, sets, cursor, first)? else {
                return Ok(None);
            };
            if first {
                pushed.newer = newer;
            }
            pushed.last = pushed.last.max(last);
            for row in refused.into_iter().filter_map(|i| chunk.get(i)) {
                if let Some(table) = hub::table_named(row.table) {
                    pushed
                        .edits
                        .extend(refused_edits(table, row, store.site_id(), since));
                }
                pushed
                    .refused
                    .insert((row.table.to_string(), row.row_id.clone()));
            }
            if next.is_empty() {
                return Ok(Some(pushed));
            }
            first = false;
            chunk = std::mem::take(&mut next);
            if chunk.len() == PUSH_CHUNK {
                next = reader.next_chunk(PUSH_CHUNK)?;
            }
        }
    }

    /// One call of the hub's `push`: `(newer, last sequence number, indexes of the
    /// refused rows)`, or `None` when `first` and a row was overtaken.
    fn push_chunk(
        &mut self,
        chunk: &[HubRow],
        sets: &HubSets,
        cursor: i64,
        first: bool,
    ) -> Result<Option<(bool, i64, Vec<usize>)>, SyncError> {
        let tables: Vec<&str> = chunk.iter().map(|r| r.table).collect();
        let ids: Vec<&str> = chunk.iter().map(|r| r.row_id.as_str()).collect();
        let object = |f: fn(&HubRow) -> &Map<String, Json>| -> Vec<Json> {
            chunk.iter().map(|r| Json::Object(f(r).clone())).collect()
        };
        let (data, clocks) = (object(|r| &r.data), object(|r| &r.clocks));
        let bases = object(|r| &r.bases);
        let (sites, members): (Vec<&str>, Vec<&str>) = sets
            .sites
            .iter()
            .map(|(s, m)| (s.as_str(), m.as_str()))
            .unzip();
        let (key_members, keys): (Vec<&str>, Vec<&[u8]>) = sets
            .keys
            .iter()
            .map(|(m, k)| (m.as_str(), k.as_slice()))
            .unzip();
        let (claim_sites, claims): (Vec<&str>, Vec<&[u8]>) = sets
            .claims
            .iter()
            .map(|(s, c)| (s.as_str(), c.as_slice()))
            .unzip();
        let row = self
            .client
            .query_one(
                &self.push,
                &[
                    &cursor,
                    &first,
                    &tables,
                    &ids,
                    &data,
                    &clocks,
                    &bases,
                    &sites,
                    &members,
                    &key_members,
                    &keys,
                    &claim_sites,
                    &claims,
                ],
            )
            .map_err(server)?;
        let overtaken: bool = row.try_get(0).map_err(server)?;
        if overtaken {
            return Ok(None);
        }
        let newer: bool = row.try_get(1).map_err(server)?;
        let last: i64 = row.try_get(2).map_err(server)?;
        let indexes: Vec<i32> = row.try_get(3).map_err(server)?;
        let refused = indexes
            .into_iter()
            .filter_map(|i| usize::try_from(i).ok())
            .filter(|&i| i >= 1)
            .map(|i| i - 1)
            .collect();
        Ok(Some((newer, last, refused)))
    }
}

/// What a push did.
#[derive(Debug, Default)]
struct Pushed {
    /// Something arrived on the hub since the pull.
    newer: bool,
    last: i64,
    /// The rows row-level security refused, and the edits of them to log.
    refused: HashSet<(String, String)>,
    edits: Vec<RefusedEdit>,
}

/// The fields of a refused row that this site wrote after `since`: what the conflicts
/// log keeps. A new row is one entry (its row clock); its fields go with it.
fn refused_edits(
    table: crate::store::Table,
    row: &HubRow,
    site: &str,
    since: Option<&str>,
) -> Vec<RefusedEdit> {
    let mine = |hlc: &str| hlc.ends_with(site) && since.is_none_or(|s| hlc > s);
    let edit = |field: &str, hlc: &str| RefusedEdit {
        table,
        row_id: row.row_id.clone(),
        field: field.to_string(),
        hlc: hlc.to_string(),
    };
    let row_clock = row
        .clocks
        .get(crate::store::mutation::ROW_CLOCK)
        .and_then(Json::as_str);
    if let Some(hlc) = row_clock.filter(|h| mine(h)) {
        return vec![edit(crate::store::mutation::ROW_CLOCK, hlc)];
    }
    let mut edits: Vec<RefusedEdit> = row
        .clocks
        .iter()
        .filter_map(|(field, hlc)| Some((field, hlc.as_str()?)))
        .filter(|(field, hlc)| !BOOKKEEPING.contains(&field.as_str()) && mine(hlc))
        .map(|(field, hlc)| edit(field, hlc))
        .collect();
    edits.sort_by(|a, b| a.field.cmp(&b.field));
    edits
}

/// Fields that change with every edit and mean nothing on their own to a reviewer.
const BOOKKEEPING: [&str; 3] = ["created_at", "updated_at", "position"];

/// The private working folder and file of one pull.
struct PullWork {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    file: PullFile,
}

impl PullWork {
    fn new(store: &Store, team_id: &str) -> Result<PullWork, SyncError> {
        let dir = tempfile::Builder::new()
            .prefix(".salesdesk-hub-pull-")
            .tempdir_in(work_parent(store))
            .map_err(|source| SyncError::Io {
                what: crate::t!("hub-pull-working-folder"),
                source,
            })?;
        let path = dir.path().join("pull.db");
        let file = PullFile::create(&path, team_id)?;
        Ok(PullWork {
            _dir: dir,
            path,
            file,
        })
    }
}

/// Where private working files go: beside the database.
fn work_parent(store: &Store) -> std::path::PathBuf {
    match store.conn().path().filter(|p| !p.is_empty()) {
        Some(db) => std::path::Path::new(db)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .map_or_else(|| ".".into(), std::path::Path::to_path_buf),
        None => std::env::temp_dir(),
    }
}

/// What a member may do, as `team add-member --role` and `team role` name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Rep,
    Manager,
    Admin,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Rep => "rep",
            Kind::Manager => "manager",
            Kind::Admin => "admin",
        }
    }
}

impl std::str::FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Kind, String> {
        match s {
            "rep" => Ok(Kind::Rep),
            "manager" => Ok(Kind::Manager),
            "admin" => Ok(Kind::Admin),
            other => Err(crate::t!("hub-bad-role", role = other)),
        }
    }
}

/// Refuses a login name PostgreSQL would truncate or that could not be typed.
pub fn check_login(login: &str) -> Result<(), SyncError> {
    let fine = !login.is_empty()
        && login.len() <= 63
        && !login.chars().any(|c| c.is_control() || c.is_whitespace());
    if fine {
        Ok(())
    } else {
        Err(SyncError::Hub(HubError::Server(crate::t!(
            "hub-bad-login",
            login = crate::text::clean(login)
        ))))
    }
}

/// A connection to the hub this database is linked to, for managing members.
fn linked_client(store: &Store, env: &Env) -> Result<(HubUrl, Client), SyncError> {
    let link = team_link(store)?.ok_or(SyncError::NotLinked)?;
    open_linked(&link, env)
}

/// A connection to the hub `link` names, checked to hold the same team: a database
/// there made again, or restored from another team's backup, is refused, not managed.
pub(super) fn open_linked(link: &TeamLink, env: &Env) -> Result<(HubUrl, Client), SyncError> {
    let Some(text) = link.hub() else {
        return Err(SyncError::Hub(HubError::Server(crate::t!(
            "hub-no-members-in-file"
        ))));
    };
    let url = HubUrl::parse(text, &Env::default()).map_err(|e| SyncError::Hub(e.into()))?;
    let mut client = connect(&url, env).map_err(SyncError::Hub)?;
    let team_id = check_team(&mut client, &url).map_err(SyncError::Hub)?;
    if team_id != link.team_id {
        return Err(SyncError::Hub(HubError::OtherTeam { found: team_id }));
    }
    Ok((url, client))
}

/// `team leave` of a hub: the login gives up this database's member id; a login left
/// with none is no longer a member of the team (its grants go, so an admin can drop it).
pub fn release(store: &Store, env: &Env) -> Result<(), SyncError> {
    let (_, mut client) = linked_client(store, env)?;
    client
        .execute("SELECT salesdesk.leave($1)", &[&store.member_id()])
        .map_err(server)?;
    Ok(())
}
