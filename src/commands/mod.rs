//! One module per CLI noun. Each builds its output from data first, then prints it as a
//! table or, with `--json`, as JSON. Errors bubble up as `anyhow` errors with context;
//! `main` prints them as one sentence and picks the exit status ([`exit_code`]).

/// `print!` for command output: when the reader has gone (`salesdesk deal list | head`),
/// the command stops quietly instead of panicking, as `head` expects of its writer.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = write!(std::io::stdout(), $($arg)*) {
            $crate::commands::output::stdout_failed(&e);
        }
    }};
}

/// `println!` for command output; see [`out!`].
macro_rules! outln {
    () => {
        out!("\n")
    };
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout(), $($arg)*) {
            $crate::commands::output::stdout_failed(&e);
        }
    }};
}

pub mod activity;
pub mod customer;
pub mod deal;
pub mod interop;
pub mod misc;
pub mod output;
pub mod remind;
pub mod report;
pub mod team;

use std::path::PathBuf;

use anyhow::{Context, Result};
use chrono::{DateTime, Local};

use crate::cli::{Cli, Command};
use crate::config::{self, Settings};
use crate::store::{Store, StoreError, stages};

/// How a command uses the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Only reads it: opened read-only.
    Read,
    /// Changes it.
    Write,
    /// Changes it, and may make it where there is none.
    Create,
}

impl Access {
    pub fn of(command: &Command) -> Access {
        if command.may_create_database() {
            Access::Create
        } else if command.only_reads() {
            Access::Read
        } else {
            Access::Write
        }
    }
}

/// What every command gets: the open store, the settings, and how to print.
pub struct Ctx {
    pub store: Store,
    pub settings: Settings,
    pub json: bool,
    pub db_path: PathBuf,
}

impl Ctx {
    /// Opens the database and reads the config as the CLI flags and environment say. A
    /// database named by `--db` or `SALESDESK_DB` must exist unless `access` may create
    /// one (the default one is made on first use).
    pub fn open(db_flag: Option<&std::path::Path>, json: bool, access: Access) -> Result<Ctx> {
        let settings = Settings::load(&config::config_path()?)?;
        let db_path = config::database_path(db_flag)?;
        if access != Access::Create && config::database_path_is_chosen(db_flag) && !db_path.exists()
        {
            anyhow::bail!(
                "there is no SalesDesk database at {}; check the path (--db or SALESDESK_DB). \
                 `salesdesk deal add`, `customer add` or `demo` start a new one.",
                db_path.display()
            );
        }
        if let Some(dir) = db_path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("creating the data directory {}", dir.display()))?;
        }
        let clock = config::clock_from_env()?;
        let opened = if access == Access::Read {
            Store::open_read(&db_path, clock)
        } else {
            Store::open(&db_path, clock)
        };
        let mut store = opened.with_context(|| format!("opening {}", db_path.display()))?;
        if let Some(name) = settings.me.name.as_deref()
            && !store.is_read_only()
        {
            crate::store::members::set_identity(&mut store, name, settings.me.email.as_deref())?;
        }
        Ok(Ctx {
            store,
            settings,
            json,
            db_path,
        })
    }

    pub fn now(&self) -> DateTime<Local> {
        self.store.clock().now().with_timezone(&Local)
    }

    pub fn now_millis(&self) -> i64 {
        self.store.now_millis()
    }

    pub fn stage(&self, name: &str) -> Result<crate::domain::stage::Stage> {
        let all = stages::list(self.store.conn())?;
        Ok(crate::domain::stage::Stage::find(&all, name)
            .map_err(StoreError::Invalid)?
            .clone())
    }
}

/// What a command asks the process to exit with.
pub type Exit = u8;

/// Runs a subcommand.
pub fn run(cli: Cli) -> Result<Exit> {
    let Some(command) = cli.command else {
        return Ok(0);
    };
    if let Command::Config(cmd) = &command {
        return misc::config(cmd, cli.json);
    }
    // A command waits for another program's write, and says so; the TUI does neither.
    crate::store::announce_lock_waits(&config::database_path(cli.db.as_deref())?);
    let mut ctx = Ctx::open(cli.db.as_deref(), cli.json, Access::of(&command))?;
    let changes_before = ctx.store.conn().total_changes();
    let exit = match command {
        Command::Deal(cmd) => deal::run(cmd, &mut ctx),
        Command::Customer(cmd) => customer::run(cmd, &mut ctx),
        Command::Contact(cmd) => customer::run_contact(cmd, &mut ctx),
        Command::Activity(cmd) => activity::run(cmd, &mut ctx),
        Command::Remind { count, format, all } => {
            remind::run(&mut ctx, count, format.as_deref(), all)
        }
        Command::Report { period } => report::run(&period, &mut ctx),
        Command::Search { text } => misc::search(&text.join(" "), &mut ctx),
        Command::Demo { scale } => misc::demo(scale.map(std::num::NonZeroUsize::get), &mut ctx),
        Command::Backup { file } => misc::backup(&file, &mut ctx),
        Command::Config(_) => Ok(0),
        Command::Team(cmd) => team::run(cmd, &mut ctx),
        Command::Sync => team::sync(&mut ctx),
        Command::Import(args) => interop::import(args, &mut ctx),
        Command::Export(args) => interop::export(args, &mut ctx),
    }?;
    if ctx.store.conn().total_changes() != changes_before {
        refresh_calendar(&ctx);
    }
    Ok(exit)
}

/// Rewrites the configured calendar file after a change. A failure is reported but does
/// not fail the command: the change itself is saved.
fn refresh_calendar(ctx: &Ctx) {
    if let Some(path) = &ctx.settings.calendar.path
        && let Err(e) = crate::interop::ics::refresh(ctx.store.conn(), path)
    {
        crate::text::say(&format!("warning: the calendar file was not updated: {e}"));
    }
}

/// The exit status for an error: 2 for naming a record that is unknown or ambiguous,
/// 1 for everything else.
pub fn exit_code(err: &anyhow::Error) -> Exit {
    let reference = err.chain().any(|cause| {
        cause
            .downcast_ref::<StoreError>()
            .is_some_and(StoreError::is_reference_error)
    });
    if reference { 2 } else { 1 }
}

/// Reads an optional text flag where `none` or an empty string clears the field.
pub fn clearable(value: Option<String>) -> Option<Option<String>> {
    value.map(|v| {
        let t = v.trim();
        (!t.is_empty() && !t.eq_ignore_ascii_case("none")).then(|| t.to_string())
    })
}
