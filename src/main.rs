//! The `salesdesk` binary: with no subcommand it opens the TUI, otherwise it runs one
//! command and exits. Errors are printed as one sentence on stderr.

use std::process::ExitCode;

use clap::Parser;

use salesdesk::cli::Cli;
use salesdesk::commands;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = if cli.command.is_none() {
        Ok(0)
    } else {
        commands::run(cli)
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("error: {}", one_sentence(&err));
            ExitCode::from(commands::exit_code(&err))
        }
    }
}

/// "opening x.db: this database was made by …" — the context chain on one line.
fn one_sentence(err: &anyhow::Error) -> String {
    err.chain()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(": ")
}
