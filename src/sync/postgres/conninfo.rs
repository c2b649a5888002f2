//! Where and how to connect to a team's PostgreSQL database, by libpq's conventions.
//!
//! The Rust client reads no environment and no password file itself, so this module does
//! what libpq would: a URL's missing host, port, user and database come from `PGHOST`,
//! `PGPORT`, `PGUSER` and `PGDATABASE`; the password from `PGPASSWORD`, else the password
//! file (`PGPASSFILE`, else `~/.pgpass`), which is ignored with an error when others may
//! read it; the TLS mode from the URL's `sslmode`, else `PGSSLMODE`, else `prefer`.
//!
//! A password written in the URL is refused: a command line is visible to every user of
//! the machine and kept in shell history, and the URL is stored in the database. The URL
//! stored ([`HubUrl::stored`]) has every part filled in and no password.

use std::fmt;
use std::path::{Path, PathBuf};

/// How strictly the server's certificate is checked (libpq's `sslmode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    fn parse(text: &str) -> Result<SslMode, ConnError> {
        Ok(match text {
            "disable" => SslMode::Disable,
            // libpq's "allow" tries without TLS first; without TLS is what it gets here too.
            "allow" | "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            other => {
                return Err(ConnError::Bad(crate::t!(
                    "hub-url-bad-sslmode",
                    mode = other
                )));
            }
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }
}

/// Why a team URL cannot be used, as one sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConnError {
    #[error("{0}")]
    Bad(String),
    #[error("{}", crate::t!("hub-url-password"))]
    PasswordInUrl,
    #[error("{}", crate::t!("hub-pass-file-unsafe", path = .0.as_str()))]
    UnsafePassFile(String),
}

/// What the process environment says, read once, so that tests can pass their own.
#[derive(Debug, Clone, Default)]
pub struct Env {
    pub host: Option<String>,
    pub port: Option<String>,
    pub user: Option<String>,
    pub database: Option<String>,
    pub password: Option<String>,
    pub passfile: Option<PathBuf>,
    pub sslmode: Option<String>,
    pub sslrootcert: Option<PathBuf>,
    pub home: Option<PathBuf>,
    /// The login name, libpq's default user.
    pub login: Option<String>,
}

impl Env {
    pub fn from_process() -> Env {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        Env {
            host: var("PGHOST"),
            port: var("PGPORT"),
            user: var("PGUSER"),
            database: var("PGDATABASE"),
            password: var("PGPASSWORD"),
            passfile: var("PGPASSFILE").map(PathBuf::from),
            sslmode: var("PGSSLMODE"),
            sslrootcert: var("PGSSLROOTCERT").map(PathBuf::from),
            home: directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf()),
            login: var("USER").or_else(|| var("LOGNAME")),
        }
    }
}

/// A team's database: every part of the URL resolved, no password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HubUrl {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub database: String,
    pub sslmode: SslMode,
    pub sslrootcert: Option<PathBuf>,
}

/// Whether `text` is a PostgreSQL URL rather than a team file's path.
pub fn is_postgres_url(text: &str) -> bool {
    text.starts_with("postgres://") || text.starts_with("postgresql://")
}

/// `url` as an error may show it: a password in it (`user:secret@`, `password=secret`),
/// which is refused anyway, replaced with `***`, so that a mistyped URL does not put it
/// on the screen or in a log.
fn redacted(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (Some(scheme), rest),
        None => (None, url),
    };
    let (before_query, query) = match rest.split_once('?') {
        Some((r, q)) => (r, Some(q)),
        None => (rest, None),
    };
    let (authority, path) = match before_query.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (before_query, None),
    };
    let authority = match authority.rsplit_once('@') {
        Some((info, host)) => match info.split_once(':') {
            Some((user, _)) => format!("{user}:***@{host}"),
            None => authority.to_string(),
        },
        None => authority.to_string(),
    };
    let mut out = String::new();
    if let Some(scheme) = scheme {
        out.push_str(scheme);
        out.push_str("://");
    }
    out.push_str(&authority);
    if let Some(path) = path {
        out.push('/');
        out.push_str(path);
    }
    if let Some(query) = query {
        let pairs: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, _)) if key == "password" => format!("{key}=***"),
                _ => pair.to_string(),
            })
            .collect();
        out.push('?');
        out.push_str(&pairs.join("&"));
    }
    out
}

impl HubUrl {
    /// Reads `postgres://[USER@]HOST[:PORT]/DB[?sslmode=…]`, filling in what it lacks from
    /// `env` as libpq does. A host may be a Unix socket folder, percent-encoded
    /// (`postgres://%2Fvar%2Frun%2Fpostgresql/team`).
    pub fn parse(url: &str, env: &Env) -> Result<HubUrl, ConnError> {
        let shown = redacted(url);
        let bad =
            |why: &str| ConnError::Bad(crate::t!("hub-url-bad", url = shown.as_str(), why = why));
        let rest = url
            .strip_prefix("postgresql://")
            .or_else(|| url.strip_prefix("postgres://"))
            .ok_or_else(|| bad(&crate::t!("hub-url-scheme")))?;
        let (rest, query) = match rest.split_once('?') {
            Some((r, q)) => (r, Some(q)),
            None => (rest, None),
        };
        let (authority, path) = match rest.split_once('/') {
            Some((a, p)) => (a, p),
            None => (rest, ""),
        };
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, authority),
        };
        let mut user = None;
        if let Some(info) = userinfo {
            if info.contains(':') {
                return Err(ConnError::PasswordInUrl);
            }
            user = Some(decode(info).map_err(|w| bad(&w))?).filter(|u| !u.is_empty());
        }
        let (host, port) = split_host_port(hostport).map_err(|w| bad(&w))?;
        let mut host = Some(decode(host).map_err(|w| bad(&w))?).filter(|h| !h.is_empty());
        let mut port = port.map(str::to_string);
        let mut database = Some(decode(path).map_err(|w| bad(&w))?).filter(|d| !d.is_empty());
        let mut sslmode = None;
        let mut sslrootcert = None;
        for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = decode(value).map_err(|w| bad(&w))?;
            match key {
                "sslmode" => sslmode = Some(value),
                "sslrootcert" => sslrootcert = Some(PathBuf::from(value)),
                "host" => host = Some(value),
                "port" => port = Some(value),
                "user" => user = Some(value),
                "dbname" => database = Some(value),
                "password" => return Err(ConnError::PasswordInUrl),
                other => {
                    return Err(bad(&crate::t!("hub-url-parameter", name = other)));
                }
            }
        }
        let host = host
            .or_else(|| env.host.clone())
            .unwrap_or_else(|| "localhost".to_string());
        let port = match port.or_else(|| env.port.clone()) {
            None => 5432,
            Some(p) => p
                .parse::<u16>()
                .ok()
                .filter(|p| *p > 0)
                .ok_or_else(|| bad(&crate::t!("hub-url-port", port = p.as_str())))?,
        };
        let user = user
            .or_else(|| env.user.clone())
            .or_else(|| env.login.clone())
            .ok_or_else(|| bad(&crate::t!("hub-url-no-user")))?;
        let database = database
            .or_else(|| env.database.clone())
            .unwrap_or_else(|| user.clone());
        let sslmode = SslMode::parse(
            sslmode
                .as_deref()
                .or(env.sslmode.as_deref())
                .unwrap_or("prefer"),
        )?;
        Ok(HubUrl {
            host,
            port,
            user,
            database,
            sslmode,
            sslrootcert: sslrootcert.or_else(|| env.sslrootcert.clone()),
        })
    }

    /// The URL to store and show: every part, never a password.
    pub fn stored(&self) -> String {
        let mut url = format!(
            "postgres://{}@{}:{}/{}?sslmode={}",
            encode(&self.user),
            encode(&self.host),
            self.port,
            encode(&self.database),
            self.sslmode.as_str()
        );
        if let Some(cert) = &self.sslrootcert {
            url.push_str(&format!("&sslrootcert={}", encode(&cert.to_string_lossy())));
        }
        url
    }

    /// The password for this URL: `PGPASSWORD`, else the password file's matching line.
    pub fn password(&self, env: &Env) -> Result<Option<String>, ConnError> {
        if let Some(p) = &env.password {
            return Ok(Some(p.clone()));
        }
        let file = match (&env.passfile, &env.home) {
            (Some(f), _) => f.clone(),
            (None, Some(home)) => home.join(".pgpass"),
            (None, None) => return Ok(None),
        };
        let Ok(meta) = std::fs::metadata(&file) else {
            return Ok(None);
        };
        if !meta.is_file() {
            return Ok(None);
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            if meta.permissions().mode() & 0o077 != 0 {
                return Err(ConnError::UnsafePassFile(file.display().to_string()));
            }
        }
        let Ok(text) = std::fs::read_to_string(&file) else {
            return Ok(None);
        };
        Ok(pgpass_lookup(&text, self))
    }

    /// Whether the host is a Unix socket folder.
    pub fn is_socket(&self) -> bool {
        self.host.starts_with('/')
    }
}

impl fmt::Display for HubUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.stored())
    }
}

/// `host[:port]`, where a host may be `[v6]`.
fn split_host_port(text: &str) -> Result<(&str, Option<&str>), String> {
    if let Some(inner) = text.strip_prefix('[') {
        let (host, after) = inner
            .split_once(']')
            .ok_or_else(|| crate::t!("hub-url-ipv6"))?;
        return Ok((host, after.strip_prefix(':').filter(|p| !p.is_empty())));
    }
    if text.contains(',') {
        return Err(crate::t!("hub-url-several-hosts"));
    }
    Ok(match text.split_once(':') {
        Some((h, p)) => (h, Some(p).filter(|p| !p.is_empty())),
        None => (text, None),
    })
}

/// Percent-decoding of a URL part.
fn decode(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| crate::t!("hub-url-escape", text = &text[i..]))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| crate::t!("hub-url-escape-utf8"))
}

fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(char::from(byte));
            }
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// The password of the first line of a password file that matches `url`: fields
/// `host:port:database:user:password`, `*` matching anything, `\:` and `\\` escaping,
/// lines starting with `#` ignored. A socket host matches `localhost` as in libpq.
pub fn pgpass_lookup(text: &str, url: &HubUrl) -> Option<String> {
    let port = url.port.to_string();
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields = split_pgpass_line(line);
        let [host, p, db, user, password] = fields.as_slice() else {
            continue;
        };
        let host_matches =
            host == "*" || *host == url.host || (url.is_socket() && host == "localhost");
        if host_matches
            && (p == "*" || *p == port)
            && (db == "*" || *db == url.database)
            && (user == "*" || *user == url.user)
        {
            return Some(password.clone());
        }
    }
    None
}

/// The fields of a password-file line; the last field takes the rest of the line, as in
/// libpq (a password may hold unescaped colons).
fn split_pgpass_line(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut current = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    current.push(next);
                }
            }
            ':' if fields.len() < 4 => fields.push(std::mem::take(&mut current)),
            _ => current.push(c),
        }
    }
    fields.push(current);
    fields
}

/// The root certificates to trust: `sslrootcert`, else `~/.postgresql/root.crt` when
/// it exists (libpq's default); none means the system's.
pub fn root_cert_path(url: &HubUrl, env: &Env) -> Option<PathBuf> {
    url.sslrootcert.clone().or_else(|| {
        env.home
            .as_deref()
            .map(|h| h.join(".postgresql").join("root.crt"))
            .filter(|p| Path::new(p).is_file())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> Env {
        Env {
            login: Some("ann".into()),
            ..Env::default()
        }
    }

    /// A URL refused for another reason never shows the password it holds.
    #[test]
    fn a_refused_url_does_not_show_its_password() {
        for url in [
            "postgress://ann:s3cret@db.example/team",
            "postgres://ann:s3cret@db.example:0/team",
            "postgres://db.example/team?colour=blue&password=s3cret",
            "ann:s3cret@x/team",
        ] {
            let err = HubUrl::parse(url, &env()).unwrap_err().to_string();
            assert!(!err.contains("s3cret"), "{url}: {err}");
        }
        assert_eq!(
            redacted("postgres://ann:pw@h:5/db?sslmode=require&password=pw"),
            "postgres://ann:***@h:5/db?sslmode=require&password=***"
        );
        assert_eq!(redacted("postgres://ann@h/db"), "postgres://ann@h/db");
    }

    #[test]
    fn a_url_is_completed_from_the_environment_as_libpq_does() {
        let e = Env {
            host: Some("db.example.com".into()),
            port: Some("6543".into()),
            database: Some("sales".into()),
            sslmode: Some("verify-full".into()),
            ..env()
        };
        let url = HubUrl::parse("postgres://", &e).unwrap();
        assert_eq!(
            url.stored(),
            "postgres://ann@db.example.com:6543/sales?sslmode=verify-full"
        );
        let url = HubUrl::parse("postgresql://bob@h:7/team?sslmode=disable", &e).unwrap();
        assert_eq!(url.stored(), "postgres://bob@h:7/team?sslmode=disable");
        let url = HubUrl::parse("postgres://%2Ftmp%2Fsock/team", &env()).unwrap();
        assert!(url.is_socket());
        assert_eq!(url.host, "/tmp/sock");
        assert_eq!((url.port, url.database.as_str()), (5432, "team"));
        assert_eq!(url.sslmode, SslMode::Prefer);
        assert_eq!(HubUrl::parse(&url.stored(), &Env::default()).unwrap(), url);
    }

    #[test]
    fn a_password_in_the_url_is_refused() {
        for url in [
            "postgres://ann:secret@h/db",
            "postgres://ann@h/db?password=secret",
        ] {
            assert_eq!(HubUrl::parse(url, &env()), Err(ConnError::PasswordInUrl));
        }
    }

    #[test]
    fn bad_urls_say_what_is_wrong() {
        let err = |u: &str| HubUrl::parse(u, &env()).unwrap_err().to_string();
        assert!(err("mysql://h/db").contains("must start with postgres://"));
        assert!(err("postgres://h:99999/db").contains("port '99999'"));
        assert!(err("postgres://h/db?sslmode=sometimes").contains("sslmode 'sometimes'"));
        assert!(err("postgres://h/db?application=x").contains("'application' is not supported"));
        assert!(err("postgres://h/d%zz").contains("%-escape"));
        let no_user = HubUrl::parse("postgres://h/db", &Env::default()).unwrap_err();
        assert!(no_user.to_string().contains("names no user"));
    }

    fn url(host: &str, port: u16, db: &str, user: &str) -> HubUrl {
        HubUrl {
            host: host.into(),
            port,
            user: user.into(),
            database: db.into(),
            sslmode: SslMode::Prefer,
            sslrootcert: None,
        }
    }

    #[test]
    fn the_password_file_matches_by_wildcards_and_escapes() {
        let text = "# comment\n\
                    other:5432:*:*:no\n\
                    db\\:1:*:sales:ann:pa\\:ss\\\\word\n\
                    *:6543:*:bob:colon:in:it\n\
                    localhost:5432:team:*:sock\n";
        assert_eq!(
            pgpass_lookup(text, &url("db:1", 5432, "sales", "ann")).as_deref(),
            Some("pa:ss\\word")
        );
        assert_eq!(
            pgpass_lookup(text, &url("any", 6543, "x", "bob")).as_deref(),
            Some("colon:in:it")
        );
        assert_eq!(
            pgpass_lookup(text, &url("/run/pg", 5432, "team", "cy")).as_deref(),
            Some("sock")
        );
        assert_eq!(pgpass_lookup(text, &url("any", 5432, "x", "bob")), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_password_file_others_can_read_is_refused_and_pgpassword_comes_first() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pass");
        std::fs::write(&file, "*:*:*:*:fromfile\n").unwrap();
        let e = Env {
            passfile: Some(file.clone()),
            ..env()
        };
        let u = url("h", 5432, "d", "ann");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(matches!(u.password(&e), Err(ConnError::UnsafePassFile(_))));
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(u.password(&e).unwrap().as_deref(), Some("fromfile"));
        let with_env = Env {
            password: Some("fromenv".into()),
            ..e
        };
        assert_eq!(u.password(&with_env).unwrap().as_deref(), Some("fromenv"));
    }
}
