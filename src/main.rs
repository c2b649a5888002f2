//! The `salesdesk` binary: with no subcommand it opens the TUI, otherwise it runs one
//! command and exits. Errors are printed as one sentence on stderr, or with `--json` as
//! a JSON object.

use std::process::ExitCode;

use anyhow::{Context, Result};

use salesdesk::cli::{Cli, Command};
use salesdesk::commands::{self, Access, Ctx};
use salesdesk::demo;

/// mimalloc rather than the system allocator: the demo generator and the store make and
/// drop millions of small strings, which glibc's malloc spends a fifth of the time on.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // A shell asking for completions (`COMPLETE=bash salesdesk -- …`) is answered here.
    commands::completion::complete_if_asked();
    // The language is settled before anything is worded, clap's help included: the
    // config's `language`, else the locale. A config that cannot be read is reported by
    // the command that reads it; until then the locale speaks.
    salesdesk::i18n::set_process(salesdesk::config::language_at_start());
    let cli = match parse_command_line() {
        Ok(cli) => cli,
        Err(err) => return refuse_command_line(&err),
    };
    let json = cli.json;
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
            commands::print_error(&err, json);
            let code = commands::exit_code(&err);
            // `remind` exits 1 for "something is overdue", so its errors exit 2 or more.
            ExitCode::from(if remind { code.max(2) } else { code })
        }
    }
}

/// The command line read with clap's help in the interface's language.
fn parse_command_line() -> Result<Cli, clap::Error> {
    use clap::{CommandFactory as _, FromArgMatches as _};
    let command = salesdesk::cli_help::localized(Cli::command(), salesdesk::i18n::current());
    let matches = command.try_get_matches()?;
    Cli::from_arg_matches(&matches)
}

/// Whether `--json` is on the command line (before a `--`). Read from the arguments
/// rather than the parsed flags so that an error clap itself reports is JSON too.
fn json_asked() -> bool {
    std::env::args_os()
        .skip(1)
        .take_while(|a| a != "--")
        .any(|a| a == "--json")
}

/// A command line clap could not read: its usage message (exit 2), or with `--json` the
/// same as a JSON error of kind `usage`. `--help` and `--version` print as clap does.
fn refuse_command_line(err: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    let informational = matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    );
    if informational {
        err.exit();
    }
    // clap words its errors in English only: in another language they are worded from
    // the catalogue (the kind and exit status stay clap's).
    let localized = salesdesk::cli_help::refusal(err, salesdesk::i18n::current());
    let code = ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2));
    if !json_asked() {
        match localized {
            Some(refusal) => {
                // Line by line: `say` makes each safe, the arguments quoted included.
                for line in refusal.text.trim_end().lines() {
                    salesdesk::text::say(line);
                }
            }
            None => err.exit(),
        }
        return code;
    }
    let message = match localized {
        Some(refusal) => refusal
            .message
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        None => {
            // clap's first paragraph is the sentence; usage and tips follow after a
            // blank line.
            let rendered = err.render().to_string();
            let first: Vec<&str> = rendered
                .lines()
                .take_while(|l| !l.trim().is_empty())
                .map(str::trim)
                .collect();
            let message = first.join(" ");
            message
                .strip_prefix("error: ")
                .unwrap_or(&message)
                .to_string()
        }
    };
    let json = commands::error_object("usage", &message, Vec::new());
    salesdesk::text::say_raw(&salesdesk::text::escape_json(&json.to_string()));
    code
}

/// Opens the TUI on the configured database, or with `--demo` on a temporary one filled
/// with demo data that is removed on quit.
fn run_tui(cli: &Cli) -> Result<()> {
    let temp = if cli.demo {
        Some(tempfile::tempdir().with_context(|| salesdesk::t!("cli-demo-temp-dir"))?)
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
