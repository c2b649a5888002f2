//! The team hub in PostgreSQL (DESIGN §8): the second transport of team sync, beside the
//! team file. A team's data lives in one database's `salesdesk` schema as whole rows
//! with their clocks ([`crate::store::hub`]); each member's local SQLite stays the
//! working copy.
//!
//! A sync is two short transactions. **Pull**: the rows and sets whose sequence number
//! is past this database's cursor, written to a private SQLite file and merged by
//! [`crate::store::merge::merge_from`] — the same merge, screening and quarantine as a
//! team file's, since what the server holds is as untrusted as a file. **Push**: the rows
//! this site wrote since its last push, under the hub's write lock, refused (and the
//! sync pulls again) if any of them changed on the hub since the pull: the hub then
//! always holds the merge of everything pushed, and no second merge is written here.
//! One change costs one pull and one push of that row, whatever the book's size.
//!
//! Nothing here trusts the client for security: which rows a member may read or write is
//! for the server's row-level security to say (a later server migration).

pub mod conninfo;

use std::fmt;
use std::time::Duration;

use postgres::{Client, IsolationLevel};
use serde_json::{Map, Value as Json};

use self::conninfo::{ConnError, Env, HubUrl, SslMode};
use super::team::{SyncError, SyncReport, TeamLink, team_link};
use crate::domain::ids::new_id;
use crate::store::hub::{self, HubRow, HubSets};
use crate::store::merge::{self, MergeReport};
use crate::store::{Store, signing, teamfile};

/// The server's migrations, in order: the hub's schema version is how many have run.
const MIGRATIONS: [&str; 2] = [
    include_str!("migrations/001_team.sql"),
    include_str!("migrations/002_roles.sql"),
];

/// The schema version of the hub this build makes and understands.
pub const SERVER_SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The advisory lock every writer holds for its transaction (any number: it only has to
/// be the same for every SalesDesk).
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
            HubError::Connect { url, why } => f.write_str(&crate::t!(
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
        matches!(self, HubError::Lost(_))
            // A refused password is worded with PGPASSWORD in every language.
            || matches!(self, HubError::Connect { why, .. }
                if !why.contains("password") && !why.contains("PGPASSWORD"))
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
    };
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
        .map_err(|e| {
            let mut why = server_error(&e);
            if e.code() == Some(&postgres::error::SqlState::INVALID_PASSWORD)
                || why.contains("password authentication failed")
            {
                why.push_str(&crate::t!("hub-password-hint"));
            } else if why.contains("password missing") && password.is_none() {
                why = crate::t!("hub-password-missing");
            }
            fail(why)
        })
}

/// The hub's team id and schema version, after bringing an older schema up to date.
fn check_team(client: &mut Client, url: &HubUrl) -> Result<String, HubError> {
    let has: bool = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'salesdesk')
                AND to_regclass('salesdesk.meta') IS NOT NULL",
            &[],
        )
        .map_err(|e| HubError::Server(server_error(&e)))?
        .get(0);
    if !has {
        return Err(HubError::NoTeam(url.stored()));
    }
    let rows = client
        .query(
            "SELECT key, value FROM salesdesk.meta WHERE key IN ('team_id', 'schema_version')",
            &[],
        )
        .map_err(|e| HubError::Server(server_error(&e)))?;
    let get = |k: &str| {
        rows.iter()
            .find(|r| r.get::<_, String>(0) == k)
            .map(|r| r.get::<_, String>(1))
    };
    let team_id = get("team_id").ok_or_else(|| HubError::NoTeam(url.stored()))?;
    let version: i64 = get("schema_version")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if version > SERVER_SCHEMA_VERSION {
        return Err(HubError::Newer { found: version });
    }
    if version < SERVER_SCHEMA_VERSION {
        migrate(client, version).map_err(|e| HubError::Server(server_error(&e)))?;
    }
    Ok(team_id)
}

/// Runs the server migrations after `from`, in one transaction.
fn migrate(client: &mut Client, from: i64) -> Result<(), postgres::Error> {
    let mut tx = client.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])?;
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
    let link = TeamLink {
        path: url.stored().into(),
        team_id,
    };
    link_locally(store, &link)?;
    // Everything this database holds goes up, teammates' rows included (a team that
    // moves from a team file keeps all it had).
    match sync_with(store, &link, &url, &mut client, Scope::Everything) {
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
    let mut client = connect(&url, env).map_err(SyncError::Hub)?;
    let team_id = check_team(&mut client, &url).map_err(SyncError::Hub)?;
    if let Some(current) = current.as_ref().filter(|c| c.team_id != team_id) {
        return Err(match current.hub() {
            Some(_) => SyncError::Hub(HubError::OtherTeam { found: team_id }),
            None => SyncError::AlreadyLinked(current.path.clone()),
        });
    }
    let link = TeamLink {
        path: url.stored().into(),
        team_id,
    };
    link_locally(store, &link)?;
    match sync_with(store, &link, &url, &mut client, Scope::OwnWrites) {
        Ok(report) => Ok((link, report)),
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

/// `salesdesk sync` with a hub: pull, merge, push. The stored URL is complete, so only
/// the password comes from `env`.
pub fn sync_in(store: &Store, link: &TeamLink, env: &Env) -> Result<SyncReport, SyncError> {
    let text = link.hub().unwrap_or_default();
    let url = HubUrl::parse(text, &Env::default()).map_err(|e| SyncError::Hub(e.into()))?;
    let mut client = connect(&url, env).map_err(SyncError::Hub)?;
    let team_id = check_team(&mut client, &url).map_err(SyncError::Hub)?;
    if team_id != link.team_id {
        return Err(SyncError::Hub(HubError::OtherTeam { found: team_id }));
    }
    sync_with(store, link, &url, &mut client, Scope::OwnWrites)
}

fn sync_with(
    store: &Store,
    link: &TeamLink,
    url: &HubUrl,
    client: &mut Client,
    scope: Scope,
) -> Result<SyncReport, SyncError> {
    signing::sign_own(store, &link.team_id)?;
    // The rows this database's member owns are this login's to read and write.
    client
        .execute("SELECT salesdesk.claim_member($1)", &[&store.member_id()])
        .map_err(server)?;
    let mut report = SyncReport {
        team_file: url.stored().into(),
        ..SyncReport::default()
    };
    for _ in 0..ATTEMPTS {
        let merged = pull(store, link, client)?;
        report.merged.add(&merged);
        let since = match scope {
            Scope::Everything => None,
            // The first push carries every row this site ever wrote.
            Scope::OwnWrites => Some(hub::pushed(store.conn())?.unwrap_or_default()),
        };
        if let Some(refused) = push(store, client, since.as_deref())? {
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

/// Pulls what changed on the hub since this database's cursor and merges it.
fn pull(store: &Store, link: &TeamLink, client: &mut Client) -> Result<MergeReport, SyncError> {
    let cursor = hub::cursor(store.conn())?;
    let mut tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .map_err(server)?;
    let mut newest = cursor;
    let mut rows = Vec::new();
    for row in tx
        .query(
            "SELECT tbl, row_id, data, clocks, bases, sigs, seq FROM salesdesk.rows
              WHERE seq > $1 ORDER BY seq",
            &[&cursor],
        )
        .map_err(server)?
    {
        newest = newest.max(row.get::<_, i64>(6));
        let table: String = row.get(0);
        // A table this build does not know is another version's: left for it.
        let Some(table) = hub::table_named(&table) else {
            continue;
        };
        let object = |i: usize| match row.get::<_, Json>(i) {
            Json::Object(m) => m,
            _ => Map::new(),
        };
        rows.push(HubRow {
            table: table.name(),
            row_id: row.get(1),
            data: object(2),
            clocks: object(3),
            bases: object(4),
            sigs: object(5),
        });
    }
    let mut sets = HubSets::default();
    for row in tx
        .query(
            "SELECT site_id, member_id, seq FROM salesdesk.sites WHERE seq > $1",
            &[&cursor],
        )
        .map_err(server)?
    {
        newest = newest.max(row.get::<_, i64>(2));
        sets.sites.push((row.get(0), row.get(1)));
    }
    for row in tx
        .query(
            "SELECT member_id, public_key, seq FROM salesdesk.member_keys WHERE seq > $1",
            &[&cursor],
        )
        .map_err(server)?
    {
        newest = newest.max(row.get::<_, i64>(2));
        sets.keys.push((row.get(0), row.get(1)));
    }
    for row in tx
        .query(
            "SELECT site_id, sig, seq FROM salesdesk.site_claims WHERE seq > $1",
            &[&cursor],
        )
        .map_err(server)?
    {
        newest = newest.max(row.get::<_, i64>(2));
        sets.claims.push((row.get(0), row.get(1)));
    }
    tx.commit().map_err(server)?;
    if rows.is_empty() && sets.is_empty() {
        return Ok(MergeReport::default());
    }
    let private = tempfile::Builder::new()
        .prefix(".salesdesk-hub-pull-")
        .tempdir_in(work_parent(store))
        .map_err(|source| SyncError::Io {
            what: crate::t!("hub-pull-working-folder"),
            source,
        })?;
    let file = private.path().join("pull.db");
    let dropped = hub::write_pull_file(&file, &link.team_id, &rows, &sets)?;
    let mut report = merge::merge_from(store, &file)?;
    report.quarantined += dropped.rows;
    hub::record_cursor(store.conn(), newest)?;
    Ok(report)
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

/// Pushes the rows this site wrote after `since` (every row, when `None`) and every set
/// entry the hub lacks. Returns how many rows the hub's row-level security refused (a
/// rep's edit of a record that is not theirs), or `None`, having written nothing, when
/// one of those rows changed on the hub after the last pull: pull again first.
fn push(
    store: &Store,
    client: &mut Client,
    since: Option<&str>,
) -> Result<Option<usize>, SyncError> {
    let (rows, clock) = hub::rows_to_push(store.conn(), since, store.site_id())?;
    let sets = hub::sets(store.conn())?;
    let cursor = hub::cursor(store.conn())?;
    let mut tx = client.transaction().map_err(server)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
        .map_err(server)?;
    let tables: Vec<&str> = rows.iter().map(|r| r.table).collect();
    let ids: Vec<&str> = rows.iter().map(|r| r.row_id.as_str()).collect();
    let overtaken: bool = tx
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM salesdesk.rows r
                              JOIN unnest($1::text[], $2::text[]) AS p (tbl, row_id)
                                ON r.tbl = p.tbl AND r.row_id = p.row_id
                             WHERE r.seq > $3)",
            &[&tables, &ids, &cursor],
        )
        .map_err(server)?
        .get(0);
    if overtaken {
        tx.rollback().map_err(server)?;
        return Ok(None);
    }
    // Whether anything arrived since the pull: if not, this push's own rows need not be
    // pulled back, and the cursor moves past them.
    let newer: bool = tx
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM salesdesk.rows WHERE seq > $1)
                 OR EXISTS (SELECT 1 FROM salesdesk.sites WHERE seq > $1)
                 OR EXISTS (SELECT 1 FROM salesdesk.member_keys WHERE seq > $1)
                 OR EXISTS (SELECT 1 FROM salesdesk.site_claims WHERE seq > $1)",
            &[&cursor],
        )
        .map_err(server)?
        .get(0);
    let mut last = cursor;
    let mut refused = 0;
    // Table by table, in the order rows refer to each other: row-level security checks a
    // deal's stage changes against the deal, which must be there first.
    let mut start = 0;
    while start < rows.len() {
        let table = rows[start].table;
        let end = rows[start..]
            .iter()
            .position(|r| r.table != table)
            .map_or(rows.len(), |n| start + n);
        for chunk in rows[start..end].chunks(PUSH_CHUNK) {
            let (seq, n) = upsert_checked(&mut tx, chunk)?;
            last = last.max(seq);
            refused += n;
        }
        start = end;
    }
    last = last.max(push_sets(&mut tx, &sets)?);
    tx.commit().map_err(server)?;
    if let Some(clock) = clock {
        hub::record_pushed(store.conn(), &clock)?;
    }
    if !newer {
        hub::record_cursor(store.conn(), last)?;
    }
    Ok(Some(refused))
}

/// Upserts `rows`; when row-level security refuses the batch, upserts them one by one
/// and leaves out those it refuses. Returns the newest sequence number written and how
/// many rows were refused.
fn upsert_checked(
    tx: &mut postgres::Transaction<'_>,
    rows: &[HubRow],
) -> Result<(i64, usize), SyncError> {
    let mut batch = tx.transaction().map_err(server)?;
    match upsert(&mut batch, rows) {
        Ok(seq) => {
            batch.commit().map_err(server)?;
            return Ok((seq, 0));
        }
        Err(e) if is_refusal(&e) && rows.len() > 1 => batch.rollback().map_err(server)?,
        Err(e) if is_refusal(&e) => {
            batch.rollback().map_err(server)?;
            return Ok((0, 1));
        }
        Err(e) => return Err(server(e)),
    }
    let mut last = 0;
    let mut refused = 0;
    for row in rows {
        let mut one = tx.transaction().map_err(server)?;
        match upsert(&mut one, std::slice::from_ref(row)) {
            Ok(seq) => {
                one.commit().map_err(server)?;
                last = last.max(seq);
            }
            Err(e) if is_refusal(&e) => {
                one.rollback().map_err(server)?;
                refused += 1;
            }
            Err(e) => return Err(server(e)),
        }
    }
    Ok((last, refused))
}

/// Whether the server refused a write for want of rights (row-level security, a grant).
fn is_refusal(e: &postgres::Error) -> bool {
    e.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE)
}

fn upsert(tx: &mut postgres::Transaction<'_>, chunk: &[HubRow]) -> Result<i64, postgres::Error> {
    let tables: Vec<&str> = chunk.iter().map(|r| r.table).collect();
    let ids: Vec<&str> = chunk.iter().map(|r| r.row_id.as_str()).collect();
    let object = |f: fn(&HubRow) -> &Map<String, Json>| -> Vec<Json> {
        chunk.iter().map(|r| Json::Object(f(r).clone())).collect()
    };
    let data = object(|r| &r.data);
    let clocks = object(|r| &r.clocks);
    let bases = object(|r| &r.bases);
    let sigs = object(|r| &r.sigs);
    let row = tx.query_one(
        "WITH up AS (
           INSERT INTO salesdesk.rows (tbl, row_id, data, clocks, bases, sigs)
           SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::jsonb[],
                                $5::jsonb[], $6::jsonb[])
           ON CONFLICT (tbl, row_id) DO UPDATE
              SET data = excluded.data, clocks = excluded.clocks,
                  bases = excluded.bases, sigs = excluded.sigs,
                  seq = nextval('salesdesk.change_seq'), pushed_by = session_user
           RETURNING seq)
         SELECT coalesce(max(seq), 0) FROM up",
        &[&tables, &ids, &data, &clocks, &bases, &sigs],
    )?;
    Ok(row.get(0))
}

/// Adds the set entries the hub lacks; returns the newest sequence number written.
fn push_sets(tx: &mut postgres::Transaction<'_>, sets: &HubSets) -> Result<i64, SyncError> {
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
    let row = tx
        .query_one(
            "WITH a AS (INSERT INTO salesdesk.sites (site_id, member_id)
                        SELECT * FROM unnest($1::text[], $2::text[])
                        ON CONFLICT DO NOTHING RETURNING seq),
                  b AS (INSERT INTO salesdesk.member_keys (member_id, public_key)
                        SELECT * FROM unnest($3::text[], $4::bytea[])
                        ON CONFLICT DO NOTHING RETURNING seq),
                  c AS (INSERT INTO salesdesk.site_claims (site_id, sig)
                        SELECT * FROM unnest($5::text[], $6::bytea[])
                        ON CONFLICT DO NOTHING RETURNING seq)
             SELECT coalesce(max(seq), 0) FROM (SELECT seq FROM a UNION ALL SELECT seq FROM b
                                                UNION ALL SELECT seq FROM c) s",
            &[&sites, &members, &key_members, &keys, &claim_sites, &claims],
        )
        .map_err(server)?;
    Ok(row.get(0))
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
fn check_login(login: &str) -> Result<(), SyncError> {
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
    let Some(text) = link.hub() else {
        return Err(SyncError::Hub(HubError::Server(crate::t!(
            "hub-no-members-in-file"
        ))));
    };
    let url = HubUrl::parse(text, &Env::default()).map_err(|e| SyncError::Hub(e.into()))?;
    let mut client = connect(&url, env).map_err(SyncError::Hub)?;
    check_team(&mut client, &url).map_err(SyncError::Hub)?;
    Ok((url, client))
}

/// `team add-member`: makes `login` a member of the team as `kind` (creating the login
/// with `password` when it does not exist), bound to the local `member` id when given
/// (a teammate from before `team move-to`, whose member record the hub already has).
/// Returns the URL the member joins with.
pub fn add_member(
    store: &Store,
    env: &Env,
    login: &str,
    kind: Kind,
    password: &str,
    member: Option<&str>,
) -> Result<String, SyncError> {
    check_login(login)?;
    let (url, mut client) = linked_client(store, env)?;
    client
        .execute(
            "SELECT salesdesk.add_member($1, $2, $3, $4)",
            &[&login, &kind.as_str(), &password, &member],
        )
        .map_err(server)?;
    Ok(HubUrl {
        user: login.to_string(),
        ..url
    }
    .stored())
}

/// `team role`: changes what `login` may do.
pub fn set_role(store: &Store, env: &Env, login: &str, kind: Kind) -> Result<(), SyncError> {
    let (_, mut client) = linked_client(store, env)?;
    client
        .execute(
            "SELECT salesdesk.set_role($1, $2)",
            &[&login, &kind.as_str()],
        )
        .map_err(server)?;
    Ok(())
}

/// `team remove-member`: the login loses its rights and can no longer log in.
pub fn remove_member(store: &Store, env: &Env, login: &str) -> Result<(), SyncError> {
    let (_, mut client) = linked_client(store, env)?;
    client
        .execute("SELECT salesdesk.remove_member($1)", &[&login])
        .map_err(server)?;
    Ok(())
}
