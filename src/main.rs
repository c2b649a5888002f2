//! The `salesdesk` binary: with no subcommand it opens the TUI, otherwise it runs one
//! command and exits. Errors are printed as one sentence on stderr.

use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;

use salesdesk::cli::{Cli, Command};
use salesdesk::commands::{self, Access, Ctx};
use salesdesk::demo;

/// mimalloc rather than the system allocator: the demo generator and the store make and
/// drop millions of small strings, which glibc's malloc spends a fifth of the time on.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let remind = matches!(cli.command, Some(Command::Remind { .. }));
    let result = if cli.command.is_none() {
        run_tui(&cli).map(|()| 0)
    } else {
        commands::run(cli)
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            // Errors quote names and references from data and arguments: made safe first,
            // and written without panicking when stderr cannot take them (a full disk).
            salesdesk::text::say(&format!("error: {}", one_sentence(&err)));
            let code = commands::exit_code(&err);
            // `remind` exits 1 for "something is overdue", so its errors exit 2 or more.
            ExitCode::from(if remind { code.max(2) } else { code })
        }
    }
}

/// Opens the TUI on the configured database, or with `--demo` on a temporary one filled
/// with demo data that is removed on quit.
fn run_tui(cli: &Cli) -> Result<()> {
    let temp = if cli.demo {
        Some(tempfile::tempdir().context("making a temporary directory for the demo")?)
    } else {
        None
    };
    let db = temp.as_ref().map(|dir| dir.path().join("demo.db"));
    // The TUI makes a new database and offers it the demo data.
    let mut ctx = Ctx::open(db.as_deref().or(cli.db.as_deref()), false, Access::Create)?;
    if temp.is_some() {
        demo::generate(&mut ctx.store, None)?;
    }
    // NO_COLOR, COLORTERM and TERM are read here, once; the TUI is handed what they say.
    let terminal = salesdesk::tui::theme::Terminal::from_env();
    salesdesk::tui::run(ctx.store, ctx.settings, &ctx.db_path, terminal)
}

/// "opening x.db: this database was made by …" — the context chain on one line.
/// A cause already spelled out by the one before it is left out, so SQLite's
/// "unable to open database file" is said once.
fn one_sentence(err: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in err.chain().map(ToString::to_string) {
        if !parts.iter().any(|p| p.contains(&cause)) {
            parts.push(cause);
        }
    }
    parts.join(": ")
}
