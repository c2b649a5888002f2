//! A throwaway PostgreSQL server for tests, from the machine's own binaries (`initdb`,
//! `postgres`; Debian keeps them in /usr/lib/postgresql/*/bin): a temporary folder, a free
//! loopback port, its Unix socket in that folder, password logins (scram) over TCP. Never
//! a server of the machine's.
//!
//! The server runs under a small shell that holds a pipe from this process: when the test
//! process ends, however it ends, the pipe closes and the shell stops the server and
//! removes its folder. Dropping a [`PgServer`] does the same at once.
//!
//! PostgreSQL refuses to run as root: as root, the server runs as the `postgres` user
//! (else `nobody`), with its folder given to that user.
//!
//! Without PostgreSQL, [`PgServer::start`] prints one line saying how to install it and
//! returns `None`: the test returns early, skipped.

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The superuser's name and password on every test server.
pub const SUPERUSER: &str = "postgres";
pub const SUPERPASS: &str = "super-secret";

pub struct PgServer {
    pub port: u16,
    dir: PathBuf,
    bin: PathBuf,
    guard: Option<Child>,
    stdin: Option<ChildStdin>,
    restarted: Option<Child>,
}

/// Whether this machine has PostgreSQL's server programs to start a test server with.
pub fn installed() -> bool {
    find_bin().is_some()
}

fn find_bin() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").into_iter().flat_map(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join("initdb"))
            .collect::<Vec<_>>()
    });
    let mut debian: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin").join("initdb"))
        .collect();
    // The newest version first.
    debian.sort();
    debian.reverse();
    debian
        .into_iter()
        .chain(on_path)
        .find(|p| p.is_file())
        // `postgres` must sit beside `initdb` (a copy of initdb alone on PATH is no use).
        .filter(|p| p.with_file_name("postgres").is_file())
        .and_then(|p| p.parent().map(Path::to_path_buf))
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// The user the server runs as, when this process is root.
fn server_user() -> Option<String> {
    if !is_root() {
        return None;
    }
    for user in ["postgres", "nobody"] {
        if Command::new("id")
            .arg("-u")
            .arg(user)
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return Some(user.to_string());
        }
    }
    None
}

/// `cmd` run as `user` (when root) through setpriv, which runs the program itself rather
/// than a child of its own, so that a signal sent to it reaches the server.
fn as_user(user: Option<&str>, program: &Path) -> Command {
    match user {
        Some(u) => {
            let mut c = Command::new("setpriv");
            c.arg(format!("--reuid={u}"))
                .arg(format!("--regid={u}"))
                .arg("--init-groups")
                .arg("--")
                .arg(program);
            c
        }
        None => Command::new(program),
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(0)
}

static SERVERS: AtomicUsize = AtomicUsize::new(0);

impl PgServer {
    /// Starts a server, or says how to install PostgreSQL and returns `None`.
    pub fn start() -> Option<PgServer> {
        Self::start_with(&[])
    }

    /// The folder the server's files are in (its certificates, say).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Starts a server with extra settings (`name=value`, as `postgres -c` takes them),
    /// after `prepare` has put what they need into the server's folder.
    pub fn start_with(settings: &[&str]) -> Option<PgServer> {
        Self::start_prepared(settings, |_| {})
    }

    pub fn start_prepared(settings: &[&str], prepare: impl Fn(&Path)) -> Option<PgServer> {
        let Some(bin) = find_bin() else {
            eprintln!(
                "skipped: PostgreSQL is not installed (apt-get install postgresql puts initdb and postgres in /usr/lib/postgresql/*/bin)"
            );
            return None;
        };
        let user = server_user();
        let n = SERVERS.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!(
            "salesdesk-pg-{}-{n}-{}",
            std::process::id(),
            fastrand::u32(..)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let pwfile = dir.join("pw");
        std::fs::write(&pwfile, SUPERPASS).unwrap();
        prepare(&dir);
        if let Some(u) = &user {
            let ok = Command::new("chown")
                .arg("-R")
                .arg(format!("{u}:"))
                .arg(&dir)
                .status()
                .unwrap();
            assert!(ok.success(), "chown of the test server's folder failed");
        }
        let out = as_user(user.as_deref(), &bin.join("initdb"))
            .arg("-D")
            .arg(dir.join("data"))
            .args([
                "-U",
                SUPERUSER,
                "-A",
                "scram-sha-256",
                "--no-sync",
                "-E",
                "UTF8",
            ])
            .arg("--auth-local=trust")
            .arg(format!("--pwfile={}", pwfile.display()))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // Retry on another port should the chosen one be taken meanwhile.
        for _ in 0..5 {
            let port = free_port();
            let mut server = PgServer {
                port,
                dir: dir.clone(),
                bin: bin.clone(),
                guard: None,
                stdin: None,
                restarted: None,
            };
            if server.run(user.as_deref(), settings) {
                return Some(server);
            }
        }
        panic!(
            "the test PostgreSQL server did not start; see {}/log",
            dir.display()
        );
    }

    /// Starts `postgres` under a guarding shell; true once it accepts connections.
    fn run(&mut self, user: Option<&str>, settings: &[&str]) -> bool {
        let postgres = as_user(user, &self.bin.join("postgres"));
        let mut words: Vec<String> = vec![postgres.get_program().to_string_lossy().into_owned()];
        words.extend(
            postgres
                .get_args()
                .map(|a| a.to_string_lossy().into_owned()),
        );
        words.extend(
            [
                "-D",
                &self.dir.join("data").to_string_lossy(),
                "-p",
                &self.port.to_string(),
                "-k",
                &self.dir.to_string_lossy(),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "max_connections=60",
                "-c",
                "shared_buffers=16MB",
            ]
            .map(String::from),
        );
        for setting in settings {
            words.push("-c".into());
            words.push((*setting).to_string());
        }
        let quoted: Vec<String> = words
            .iter()
            .map(|w| format!("'{}'", w.replace('\'', "'\\''")))
            .collect();
        // The shell waits for this process's end (its stdin closing), then stops the
        // server (fast shutdown, then kill) and removes the folder.
        let script = format!(
            "{} >'{dir}/log' 2>&1 & pid=$!\n\
             cat >/dev/null\n\
             kill -INT $pid 2>/dev/null\n\
             for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 $pid 2>/dev/null || break; sleep 0.2; done\n\
             kill -KILL $pid 2>/dev/null\n\
             wait $pid 2>/dev/null\n\
             rm -rf '{dir}'\n",
            quoted.join(" "),
            dir = self.dir.display()
        );
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(script)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        self.stdin = child.stdin.take();
        self.guard = Some(child);
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(20) {
            if self.superuser().is_ok() {
                return true;
            }
            if self
                .guard
                .as_mut()
                .and_then(|g| g.try_wait().ok().flatten())
                .is_some()
            {
                return false;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }

    /// A connection as the superuser, over TCP.
    pub fn superuser(&self) -> Result<postgres::Client, postgres::Error> {
        postgres::Config::new()
            .host("127.0.0.1")
            .port(self.port)
            .user(SUPERUSER)
            .password(SUPERPASS)
            .dbname("postgres")
            .connect(postgres::NoTls)
    }

    /// Makes a database and a login role that owns it and may create roles (as the team's
    /// initiator must, to add members); returns the URL to join with (no password: give
    /// `password` in PGPASSWORD).
    pub fn database(&self, name: &str, owner: &str, password: &str) -> String {
        let mut c = self.superuser().unwrap();
        c.batch_execute(&format!(
            "CREATE ROLE \"{owner}\" LOGIN CREATEROLE PASSWORD '{password}'"
        ))
        .unwrap();
        c.batch_execute(&format!("CREATE DATABASE \"{name}\" OWNER \"{owner}\""))
            .unwrap();
        self.url(name, owner)
    }

    pub fn url(&self, database: &str, user: &str) -> String {
        format!(
            "postgres://{user}@127.0.0.1:{}/{database}?sslmode=disable",
            self.port
        )
    }

    /// A connection as `user` with `password` to `database`, as psql would make one.
    pub fn connect_as(
        &self,
        database: &str,
        user: &str,
        password: &str,
    ) -> Result<postgres::Client, postgres::Error> {
        postgres::Config::new()
            .host("127.0.0.1")
            .port(self.port)
            .user(user)
            .password(password)
            .dbname(database)
            .connect(postgres::NoTls)
    }

    /// Stops the server at once, as a crash or a power cut would (the folder stays, so
    /// that [`PgServer::restart`] can start it again).
    pub fn kill(&mut self) {
        let pid_file = self.dir.join("data").join("postmaster.pid");
        if let Some(pid) = std::fs::read_to_string(&pid_file)
            .ok()
            .and_then(|t| t.lines().next().map(str::to_string))
        {
            let _ = Command::new("kill").args(["-KILL", &pid]).status();
        }
        let started = Instant::now();
        while self.superuser().is_ok() && started.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Starts the server again after [`PgServer::kill`], on the same port. (The guard's
    /// shell still removes the folder when this process ends.)
    pub fn restart(&mut self) {
        let user = server_user();
        let _ = std::fs::remove_file(self.dir.join("data").join("postmaster.pid"));
        let child = as_user(user.as_deref(), &self.bin.join("postgres"))
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-p", &self.port.to_string(), "-k"])
            .arg(&self.dir)
            .args(["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        self.restarted = Some(child);
        let started = Instant::now();
        while self.superuser().is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "the test server did not restart"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        // A server started again by `restart` is not the guard's: stop it first.
        if let Some(mut child) = self.restarted.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        // Closing the pipe lets the guard stop its server and remove the folder.
        drop(self.stdin.take());
        if let Some(mut guard) = self.guard.take() {
            let _ = guard.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
