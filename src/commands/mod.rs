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
pub mod completion;
pub mod customer;
pub mod deal;
pub mod field;
pub mod interop;
pub mod misc;
pub mod output;
pub mod pipeline;
pub mod remind;
pub mod report;
pub mod team;

use crate::t;
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
            anyhow::bail!(t!("cli-no-database", path = db_path.display().to_string()));
        }
        if let Some(dir) = db_path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| t!("cli-creating-data-dir", dir = dir.display().to_string()))?;
        }
        let clock = config::clock_from_env()?;
        let opened = if access == Access::Read {
            Store::open_read(&db_path, clock)
        } else {
            Store::open(&db_path, clock)
        };
        let mut store =
            opened.with_context(|| t!("cli-opening", path = db_path.display().to_string()))?;
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
        self.stage_in(name, None)
    }

    /// A live stage by name or id, in the named pipeline when one is given (a name two
    /// pipelines share is ambiguous without it).
    pub fn stage_in(
        &self,
        name: &str,
        pipeline: Option<&str>,
    ) -> Result<crate::domain::stage::Stage> {
        let pipeline = pipeline.map(|p| self.pipeline(p)).transpose()?;
        Ok(stages::resolve(self.store.conn(), name, pipeline.as_ref())?)
    }

    /// A live pipeline by name or id.
    pub fn pipeline(&self, name: &str) -> Result<crate::domain::stage::Pipeline> {
        Ok(crate::store::pipelines::resolve(self.store.conn(), name)?)
    }
}

/// What a command asks the process to exit with.
pub type Exit = u8;

/// Runs a subcommand.
pub fn run(cli: Cli) -> Result<Exit> {
    let Some(command) = cli.command else {
        return Ok(0);
    };
    // These need no database.
    match &command {
        Command::Config(cmd) => return misc::config(cmd, cli.json),
        Command::Completions { shell, fixed } => {
            return completion::run_completions(*shell, *fixed);
        }
        Command::Man { subcommand, dir } => {
            return completion::run_man(subcommand, dir.as_deref(), cli.json);
        }
        _ => {}
    }
    // A command waits for another program's write, and says so; the TUI does neither.
    crate::store::announce_lock_waits(&config::database_path(cli.db.as_deref())?);
    let mut ctx = Ctx::open(cli.db.as_deref(), cli.json, Access::of(&command))?;
    let changes_before = ctx.store.conn().total_changes();
    let exit = match command {
        Command::Deal(cmd) => deal::run(cmd, &mut ctx),
        Command::Customer(cmd) => customer::run(cmd, &mut ctx),
        Command::Pipeline(cmd) => pipeline::run(cmd, &mut ctx),
        Command::Stage(cmd) => pipeline::run_stage(cmd, &mut ctx),
        Command::Reason(cmd) => pipeline::run_list(
            crate::domain::book_list::BookList::LostReason,
            cmd,
            &mut ctx,
        ),
        Command::Source(cmd) => {
            pipeline::run_list(crate::domain::book_list::BookList::Source, cmd, &mut ctx)
        }
        Command::Field(cmd) => field::run(cmd, &mut ctx),
        Command::Contact(cmd) => customer::run_contact(cmd, &mut ctx),
        Command::Activity(cmd) => activity::run(cmd, &mut ctx),
        Command::Remind { count, format, all } => {
            remind::run(&mut ctx, count, format.as_deref(), all)
        }
        Command::Report { period, pipeline } => report::run(&period, pipeline.as_deref(), &mut ctx),
        Command::Search { text } => misc::search(&text.join(" "), &mut ctx),
        Command::Demo { scale } => misc::demo(scale.map(std::num::NonZeroUsize::get), &mut ctx),
        Command::Backup { file } => misc::backup(&file, &mut ctx),
        Command::Config(_) | Command::Completions { .. } | Command::Man { .. } => Ok(0),
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
        crate::text::say(&t!("cli-calendar-not-updated", error = e.to_string()));
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

/// "opening x.db: this database was made by …" — the context chain on one line.
/// A cause already spelled out by the one before it is left out, so SQLite's
/// "unable to open database file" is said once. Not yet made terminal-safe.
pub fn message(err: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in err.chain().map(ToString::to_string) {
        if !parts.iter().any(|p| p.contains(&cause)) {
            parts.push(cause);
        }
    }
    parts.join(&t!("cli-cause-separator"))
}

/// What kind of error it is, for scripts (`--json`): `not_found` and `ambiguous` (a
/// record named, exit 2), `not_allowed` (a rule refused the change: a won deal moved),
/// `database` (not a SalesDesk database, one from a newer version, SQLite failing),
/// `io` (a file that could not be read or written), `internal`, and `invalid` for the
/// rest, which is input that was refused: a bad amount, date, choice or file.
pub fn error_kind(err: &anyhow::Error) -> &'static str {
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<StoreError>() {
            return match e {
                StoreError::NotFound { .. } => "not_found",
                StoreError::Ambiguous { .. } => "ambiguous",
                StoreError::Rule(_) => "not_allowed",
                StoreError::Invalid(_) => "invalid",
                StoreError::NewerSchema { .. }
                | StoreError::NotADatabase { .. }
                | StoreError::Sqlite(_) => "database",
                StoreError::File(_) => "io",
                StoreError::Internal(_) => "internal",
            };
        }
        if cause.is::<crate::domain::deal::RuleError>() {
            return "not_allowed";
        }
        if cause.is::<rusqlite::Error>() {
            return "database";
        }
        if cause.is::<std::io::Error>() {
            return "io";
        }
    }
    "invalid"
}

/// An error as the JSON object `--json` prints on stderr:
/// `{"error": {"kind": …, "message": …, "candidates": […]}}`. `candidates` lists the
/// records an ambiguous reference could mean (`id`, `short_id`, `name`), else is empty.
pub fn error_json(err: &anyhow::Error) -> serde_json::Value {
    let candidates: Vec<serde_json::Value> = err
        .chain()
        .find_map(|cause| match cause.downcast_ref::<StoreError>() {
            Some(StoreError::Ambiguous { candidates, .. }) => Some(candidates),
            _ => None,
        })
        .map(|list| {
            list.iter()
                .map(|c| {
                    serde_json::json!({
                        "id": c.id,
                        "short_id": crate::domain::ids::short_id(&c.id),
                        "name": c.name,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    error_object(error_kind(err), &message(err), candidates)
}

/// `{"error": {"kind", "message", "candidates"}}`, also for errors that are not
/// `anyhow` ones (a command line clap refused).
pub fn error_object(
    kind: &str,
    message: &str,
    candidates: Vec<serde_json::Value>,
) -> serde_json::Value {
    serde_json::json!({
        "error": { "kind": kind, "message": message, "candidates": candidates }
    })
}

/// Prints an error on stderr: one sentence, or with `json` one line of JSON (made
/// terminal-safe like all JSON output).
pub fn print_error(err: &anyhow::Error, json: bool) {
    if json {
        crate::text::say_raw(&crate::text::escape_json(&error_json(err).to_string()));
    } else {
        // Errors quote names and references from data and arguments: made safe first.
        crate::text::say(&t!("cli-error", message = message(err)));
    }
}

/// Reads an optional text flag where `none` or an empty string clears the field.
pub fn clearable(value: Option<String>) -> Option<Option<String>> {
    value.map(|v| {
        let t = v.trim();
        (!t.is_empty() && !t.eq_ignore_ascii_case("none")).then(|| t.to_string())
    })
}
