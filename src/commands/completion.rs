//! Shell completion and man pages: `salesdesk completions SHELL` and `salesdesk man`.
//!
//! Completion is clap_complete's dynamic engine: the script a shell loads calls
//! `COMPLETE=SHELL salesdesk -- WORDS…` on each Tab, and the binary answers from the clap
//! definitions ([`crate::cli`]) and, for deal and customer references and stage names,
//! from the database ([`deals`], [`customers`], [`stages`]). Those read it read-only, at
//! most a page of names by an indexed prefix query ([`crate::store::completion`]), and on
//! any failure offer nothing rather than print an error into the command line.

use std::ffi::{OsStr, OsString};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{Context, Result, anyhow};
use clap::CommandFactory as _;
use clap_complete::engine::CompletionCandidate;
use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};

use super::Exit;
use crate::cli::{Cli, Shell};
use crate::store::completion::{self as names, Name};
use crate::store::reference::Scope;
use crate::t;

/// How many names one Tab offers: a page to choose from, and a bound on the work at 100k
/// deals.
pub const LIMIT: usize = 50;

/// The environment variable through which a shell asks for completions.
const VAR: &str = "COMPLETE";

/// What the completion request says beyond the word being completed: the shell (bash
/// needs spaces escaped) and the `--db` on the command line, if any.
#[derive(Debug, Default)]
struct Request {
    shell: String,
    db: Option<PathBuf>,
}

static REQUEST: OnceLock<Request> = OnceLock::new();

/// Answers a shell's completion request and exits; on a normal run (no `COMPLETE` in the
/// environment) it returns at once. Called first thing in `main`.
pub fn complete_if_asked() {
    let Some(shell) = std::env::var_os(VAR).filter(|s| !s.is_empty() && s != "0") else {
        return;
    };
    let args: Vec<OsString> = std::env::args_os().collect();
    // Set once, before anything reads it; a second set cannot happen.
    let _ = REQUEST.set(Request {
        shell: shell.to_string_lossy().into_owned(),
        db: db_flag(&args),
    });
    // Shells that show what a subcommand or option does (zsh, fish) show it in the
    // interface's language.
    clap_complete::CompleteEnv::with_factory(|| {
        crate::cli_help::localized(Cli::command(), crate::config::language_at_start())
    })
    .var(VAR)
    .complete();
}

/// The database a completion request names with `--db PATH` or `--db=PATH` among the
/// words after `--` (the command line being completed); the last one counts, as for clap.
fn db_flag(args: &[OsString]) -> Option<PathBuf> {
    let start = args.iter().position(|a| a == "--")? + 1;
    let words = &args[start..];
    let mut found = None;
    for (i, word) in words.iter().enumerate() {
        if word == "--" {
            break;
        }
        if word == "--db" {
            found = words.get(i + 1).map(PathBuf::from);
        } else if let Some(path) = word.to_str().and_then(|w| w.strip_prefix("--db=")) {
            found = Some(PathBuf::from(path));
        }
    }
    found
}

/// The database completions read: the request's `--db`, else `SALESDESK_DB`, else the
/// default one — as a command would, but never created.
fn database() -> Option<PathBuf> {
    let flag = REQUEST.get().and_then(|r| r.db.as_deref());
    crate::config::database_path(flag)
        .ok()
        .filter(|p| p.is_file())
}

/// Completes a live deal's title.
pub fn deals(current: &OsStr) -> Vec<CompletionCandidate> {
    complete(current, |conn, prefix| {
        names::deal_titles(conn, prefix, Scope::Live, LIMIT)
    })
}

/// Completes a deleted deal's title (for `deal restore`).
pub fn deleted_deals(current: &OsStr) -> Vec<CompletionCandidate> {
    complete(current, |conn, prefix| {
        names::deal_titles(conn, prefix, Scope::Deleted, LIMIT)
    })
}

/// Completes a live customer's name.
pub fn customers(current: &OsStr) -> Vec<CompletionCandidate> {
    complete(current, |conn, prefix| {
        names::customer_names(conn, prefix, Scope::Live, LIMIT)
    })
}

/// Completes a deleted customer's name (for `customer restore`).
pub fn deleted_customers(current: &OsStr) -> Vec<CompletionCandidate> {
    complete(current, |conn, prefix| {
        names::customer_names(conn, prefix, Scope::Deleted, LIMIT)
    })
}

/// Completes a stage name.
pub fn stages(current: &OsStr) -> Vec<CompletionCandidate> {
    complete(current, |conn, prefix| {
        names::stage_names(conn, prefix, LIMIT)
    })
}

/// Completes a pipeline name.
pub fn pipelines(current: &OsStr) -> Vec<CompletionCandidate> {
    complete(current, |conn, prefix| {
        names::pipeline_names(conn, prefix, LIMIT)
    })
}

/// Looks the typed word up in the database with `query` and makes the names candidates
/// the shell can insert. Names that hold control characters are left out: they would
/// reach the terminal as they are, and could not be typed back anyway.
fn complete(
    current: &OsStr,
    query: impl Fn(&rusqlite::Connection, &str) -> crate::store::Result<Vec<Name>>,
) -> Vec<CompletionCandidate> {
    let Some(typed) = current.to_str() else {
        return Vec::new();
    };
    let Some(path) = database() else {
        return Vec::new();
    };
    let shell = REQUEST.get().map_or("", |r| r.shell.as_str());
    candidates(&path, typed, shell, query)
}

/// [`complete`] for a given database and shell: what the tests call.
pub fn candidates(
    db: &Path,
    typed: &str,
    shell: &str,
    query: impl Fn(&rusqlite::Connection, &str) -> crate::store::Result<Vec<Name>>,
) -> Vec<CompletionCandidate> {
    let word = Word::parse(typed);
    let Ok(conn) = names::open_read_only(db) else {
        return Vec::new();
    };
    let found = query(&conn, &word.text).unwrap_or_default();
    found
        .into_iter()
        .filter(|n| !n.value.chars().any(crate::text::is_unsafe))
        .map(|n| {
            let value = if shell == "bash" {
                word.quote_like(&n.value)
            } else {
                n.value
            };
            CompletionCandidate::new(value).help(n.about.map(|a| crate::text::clean(&a).into()))
        })
        .collect()
}

/// The word being completed as the shell hands it over, quoting and all.
struct Word {
    /// What it says: quotes and backslashes taken away.
    text: String,
    /// The quote it opened with, if any.
    quote: Option<char>,
}

impl Word {
    fn parse(typed: &str) -> Word {
        let quote = typed.chars().next().filter(|c| *c == '"' || *c == '\'');
        let body = quote.map_or(typed, |q| &typed[q.len_utf8()..]);
        let mut text = String::with_capacity(body.len());
        let mut chars = body.chars();
        while let Some(c) = chars.next() {
            match (c, quote) {
                ('\\', None | Some('"')) => text.extend(chars.next()),
                (q, Some(open)) if q == open => {}
                _ => text.push(c),
            }
        }
        Word { text, quote }
    }

    /// `value` as bash must insert it to keep it one word: inside the quote the user
    /// opened, else with its specials escaped. (zsh and fish quote what they insert.)
    fn quote_like(&self, value: &str) -> String {
        match self.quote {
            Some('\'') => format!("'{}'", value.replace('\'', "'\\''")),
            Some(_) => {
                let mut out = String::from("\"");
                for c in value.chars() {
                    if matches!(c, '"' | '\\' | '$' | '`') {
                        out.push('\\');
                    }
                    out.push(c);
                }
                out.push('"');
                out
            }
            None => {
                let mut out = String::with_capacity(value.len());
                for c in value.chars() {
                    if c.is_whitespace() || "\"'\\$`!&|;<>()[]{}*?#~".contains(c) {
                        out.push('\\');
                    }
                    out.push(c);
                }
                out
            }
        }
    }
}

/// `salesdesk completions SHELL`: the script that registers SalesDesk's completion with
/// the shell. With `--static`, the script clap_complete writes from the definitions alone
/// (subcommands and options, no names from the database), for shells or packagers that
/// want completion that never runs the binary.
pub fn script(shell: Shell, fixed: bool, out: &mut dyn std::io::Write) -> Result<()> {
    let mut cmd = Cli::command();
    let bin = cmd.get_name().to_string();
    if fixed {
        use clap_complete::aot;
        match shell {
            Shell::Bash => aot::generate(aot::Bash, &mut cmd, &bin, out),
            Shell::Zsh => aot::generate(aot::Zsh, &mut cmd, &bin, out),
            Shell::Fish => aot::generate(aot::Fish, &mut cmd, &bin, out),
            Shell::Powershell => aot::generate(aot::PowerShell, &mut cmd, &bin, out),
            Shell::Elvish => aot::generate(aot::Elvish, &mut cmd, &bin, out),
        }
        return Ok(());
    }
    let completer: &dyn EnvCompleter = match shell {
        Shell::Bash => &Bash,
        Shell::Zsh => &Zsh,
        Shell::Fish => &Fish,
        Shell::Powershell => &Powershell,
        Shell::Elvish => &Elvish,
    };
    completer
        .write_registration(VAR, &bin, &bin, &completer_path(&bin), out)
        .with_context(|| t!("completion-writing-script"))?;
    Ok(())
}

/// What the script runs to complete: this binary as it was called — by name when found on
/// the PATH, else by its full path (`./target/debug/salesdesk` made absolute).
fn completer_path(bin: &str) -> String {
    let called = std::env::args_os().next().map(PathBuf::from);
    match called {
        Some(path) if path.components().count() > 1 => std::env::current_dir()
            .map(|dir| dir.join(&path))
            .unwrap_or(path)
            .to_string_lossy()
            .into_owned(),
        _ => bin.to_string(),
    }
}

/// Runs `salesdesk completions`.
pub fn run_completions(shell: Shell, fixed: bool) -> Result<Exit> {
    let mut buf = Vec::new();
    script(shell, fixed, &mut buf)?;
    out!("{}", String::from_utf8_lossy(&buf));
    Ok(0)
}

/// Every man page: `salesdesk` and one per subcommand (`salesdesk-deal-add`), as
/// (page name, command).
fn pages() -> Vec<(String, clap::Command)> {
    fn walk(cmd: &clap::Command, out: &mut Vec<(String, clap::Command)>) {
        let name = cmd.get_display_name().unwrap_or(cmd.get_name()).to_string();
        out.push((name, cmd.clone()));
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            walk(sub, out);
        }
    }
    let mut cmd = crate::cli_help::localized(
        Cli::command().disable_help_subcommand(true),
        crate::i18n::current(),
    );
    cmd.build();
    let mut out = Vec::new();
    walk(&cmd, &mut out);
    out
}

/// The roff of one page: the whole program's, or a subcommand's named by its words
/// (`deal add`) or its page name (`deal-add`, `salesdesk-deal-add`).
pub fn man_page(words: &[String]) -> Result<String> {
    let wanted = if words.is_empty() {
        "salesdesk".to_string()
    } else {
        let joined = words.join("-").to_ascii_lowercase();
        if joined.starts_with("salesdesk") {
            joined
        } else {
            format!("salesdesk-{joined}")
        }
    };
    let (_, cmd) = pages()
        .into_iter()
        .find(|(name, _)| *name == wanted)
        .ok_or_else(|| anyhow!(t!("man-no-page", name = words.join(" "))))?;
    let mut roff = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut roff)
        .with_context(|| t!("man-writing-page"))?;
    Ok(with_section_names(&String::from_utf8_lossy(&roff)))
}

/// clap_mangen names its sections in English (`.SH NAME`, `.SH SYNOPSIS` …) and has no
/// setting for them: in another language they are renamed from the catalogue. The
/// option sections already carry the localized help headings.
fn with_section_names(roff: &str) -> String {
    if crate::i18n::current() == crate::i18n::Lang::En {
        return roff.to_string();
    }
    let mut out = String::with_capacity(roff.len());
    for line in roff.split_inclusive('\n') {
        let name = match line.trim_end() {
            ".SH NAME" => Some(t!("man-section-name")),
            ".SH SYNOPSIS" => Some(t!("man-section-synopsis")),
            ".SH DESCRIPTION" => Some(t!("man-section-description")),
            ".SH OPTIONS" => Some(t!("man-section-options")),
            ".SH SUBCOMMANDS" => Some(t!("man-section-subcommands")),
            ".SH EXTRA" => Some(t!("man-section-extra")),
            ".SH VERSION" => Some(t!("man-section-version")),
            ".SH AUTHORS" => Some(t!("man-section-authors")),
            _ => None,
        };
        match name {
            Some(name) => {
                out.push_str(".SH ");
                out.push_str(&name);
                out.push('\n');
            }
            None => out.push_str(line),
        }
    }
    out
}

/// Writes every page into `dir` as `NAME.1` (the directory is made if missing) and
/// returns their paths: what a package installs under `share/man/man1`.
pub fn man_pages_to(dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)
        .with_context(|| t!("man-making-dir", dir = dir.display().to_string()))?;
    let mut written = Vec::new();
    for (name, cmd) in pages() {
        let path = dir.join(format!("{name}.1"));
        let writing = || t!("man-writing-file", path = path.display().to_string());
        let mut roff = Vec::new();
        clap_mangen::Man::new(cmd)
            .render(&mut roff)
            .with_context(writing)?;
        let mut file = std::fs::File::create(&path).with_context(writing)?;
        file.write_all(with_section_names(&String::from_utf8_lossy(&roff)).as_bytes())
            .and_then(|()| file.flush())
            .with_context(writing)?;
        written.push(path);
    }
    Ok(written)
}

/// Runs `salesdesk man`.
pub fn run_man(words: &[String], dir: Option<&Path>, json: bool) -> Result<Exit> {
    match dir {
        Some(dir) => {
            let written = man_pages_to(dir)?;
            if json {
                let paths: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
                super::output::print_json(&serde_json::json!({ "written": paths }))?;
            } else {
                outln!(
                    "{}",
                    t!(
                        "man-pages-written",
                        count = written.len(),
                        dir = crate::text::clean(&dir.display().to_string())
                    )
                );
            }
        }
        None => out!("{}", man_page(words)?),
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(words: &[&str]) -> Vec<OsString> {
        words.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_db_of_the_command_line_being_completed_is_found() {
        let args = os(&[
            "salesdesk",
            "--",
            "salesdesk",
            "--db",
            "/tmp/a.db",
            "deal",
            "show",
            "",
        ]);
        assert_eq!(db_flag(&args), Some(PathBuf::from("/tmp/a.db")));
        let args = os(&["salesdesk", "--", "salesdesk", "--db=/tmp/b.db", "deal"]);
        assert_eq!(db_flag(&args), Some(PathBuf::from("/tmp/b.db")));
        // Before the `--` the words are the completer's own, not the command line's.
        assert_eq!(
            db_flag(&os(&["salesdesk", "--db", "x", "--", "salesdesk"])),
            None
        );
        assert_eq!(db_flag(&os(&["salesdesk", "deal", "list"])), None);
    }

    #[test]
    fn a_typed_word_loses_its_quoting_and_bash_gets_it_back() {
        let w = Word::parse("ACME\\ re");
        assert_eq!(w.text, "ACME re");
        assert_eq!(w.quote_like("ACME renewal"), "ACME\\ renewal");
        let w = Word::parse("\"ACME re");
        assert_eq!(w.text, "ACME re");
        assert_eq!(w.quote_like("ACME \"big\" $1"), "\"ACME \\\"big\\\" \\$1\"");
        let w = Word::parse("'O''Brien");
        assert_eq!(w.text, "OBrien");
        assert_eq!(w.quote_like("O'Brien Ltd"), "'O'\\''Brien Ltd'");
        assert_eq!(Word::parse("华为").quote_like("华为 技术"), "华为\\ 技术");
    }

    #[test]
    fn every_subcommand_has_a_man_page() {
        let pages = pages();
        let names: Vec<&str> = pages.iter().map(|(n, _)| n.as_str()).collect();
        for name in [
            "salesdesk",
            "salesdesk-deal",
            "salesdesk-deal-add",
            "salesdesk-man",
        ] {
            assert!(names.contains(&name), "{name} missing from {names:?}");
        }
        let page = man_page(&["deal".into(), "add".into()]).unwrap();
        assert!(
            page.contains(".SH NAME") && page.contains("salesdesk\\-deal\\-add"),
            "{page}"
        );
        assert_eq!(page, man_page(&["deal-add".into()]).unwrap());
        assert!(man_page(&["deal".into(), "ad".into()]).is_err());
    }
}
