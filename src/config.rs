//! Settings from `config.toml`, and where the database and the config live.
//!
//! The database is `--db`, else `SALESDESK_DB`, else `salesdesk.db` in the platform data
//! directory. The config is `SALESDESK_CONFIG`, else `config.toml` in the platform config
//! directory. A missing config file means the defaults; a bad one is an error that names
//! the line, never silently ignored.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, anyhow};
use serde::{Deserialize, Serialize};

use crate::domain::customer::Cadence;
use crate::domain::money::Currency;
use crate::domain::time::{Clock, FixedClock, SystemClock};

/// Everything a user can set in `config.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Currency of amounts typed without one, and of report totals.
    pub default_currency: Currency,
    /// Reasons offered when a deal is lost (any other can be typed).
    pub lost_reasons: Vec<String>,
    /// Days between contacts per tier before a revisit is due.
    pub cadence: Cadence,
    /// Who I am: my name and email label my edits for the team.
    pub me: Identity,
    /// A calendar file of my follow-ups, kept up to date after every change.
    pub calendar: CalendarFile,
    /// Whether the TUI takes the mouse (click, double-click, wheel, drag). Off leaves
    /// the terminal's own selection and copy working as usual.
    pub mouse: bool,
}

/// `[calendar] path = "…/salesdesk.ics"`: an iCalendar file that every change rewrites,
/// so a calendar app subscribed to it (through a synced folder) shows the agenda.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CalendarFile {
    pub path: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Identity {
    pub name: Option<String>,
    pub email: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            default_currency: Currency::eur(),
            lost_reasons: [
                "price",
                "timing",
                "competitor",
                "no budget",
                "no decision",
                "product fit",
            ]
            .map(String::from)
            .to_vec(),
            cadence: Cadence::default(),
            me: Identity::default(),
            calendar: CalendarFile::default(),
            mouse: true,
        }
    }
}

impl Settings {
    /// Parses a config file's text; errors name the line and the field.
    pub fn parse(text: &str) -> Result<Settings> {
        let settings: Settings = toml::from_str(text).map_err(|e| where_and_what(text, &e))?;
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<()> {
        for (tier, days) in [
            ("key", self.cadence.key),
            ("normal", self.cadence.normal),
            ("low", self.cadence.low),
        ] {
            if !(1..=3650).contains(&days) {
                return Err(anyhow!(
                    "cadence.{tier} = {days} is out of range; use 1 to 3650 days"
                ));
            }
        }
        if self.lost_reasons.iter().any(|r| r.trim().is_empty()) {
            return Err(anyhow!("lost_reasons has an empty entry"));
        }
        Ok(())
    }

    /// Loads the config at `path`; a missing file gives the defaults.
    pub fn load(path: &Path) -> Result<Settings> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                Settings::parse(&text).with_context(|| format!("reading config {}", path.display()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Settings::default()),
            Err(e) => Err(e).with_context(|| format!("reading config {}", path.display())),
        }
    }

    /// The settings as TOML, for `config show`.
    pub fn to_toml(&self) -> Result<String> {
        Ok(toml::to_string_pretty(self)?)
    }
}

/// A TOML error as one line that names where it is: "line 2, column 1: unknown field
/// `cadense`, expected one of …". toml's own rendering quotes the line over several.
pub(crate) fn where_and_what(text: &str, err: &toml::de::Error) -> anyhow::Error {
    let what = err
        .message()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    match err.span() {
        Some(span) => {
            let before = text.get(..span.start).unwrap_or(text);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            anyhow!("line {line}, column {column}: {what}")
        }
        None => anyhow!("{what}"),
    }
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "salesdesk")
}

/// Where the database is: `--db`, else `SALESDESK_DB`, else the data directory.
pub fn database_path(flag: Option<&Path>) -> Result<PathBuf> {
    if let Some(p) = flag {
        return Ok(p.to_path_buf());
    }
    if let Some(p) = std::env::var_os("SALESDESK_DB").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    let dirs =
        project_dirs().ok_or_else(|| anyhow!("cannot find a home directory; pass --db PATH"))?;
    Ok(dirs.data_dir().join("salesdesk.db"))
}

/// Whether the user chose the database (`--db` or `SALESDESK_DB`) rather than taking
/// the default one.
pub fn database_path_is_chosen(flag: Option<&Path>) -> bool {
    flag.is_some() || std::env::var_os("SALESDESK_DB").is_some_and(|p| !p.is_empty())
}

/// Where the config is: `SALESDESK_CONFIG`, else the config directory.
pub fn config_path() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("SALESDESK_CONFIG").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    let dirs = project_dirs()
        .ok_or_else(|| anyhow!("cannot find a home directory; set SALESDESK_CONFIG"))?;
    Ok(dirs.config_dir().join("config.toml"))
}

/// The clock: fixed by `SALESDESK_NOW` (RFC 3339) for demos and tests, else the system's.
pub fn clock_from_env() -> Result<Arc<dyn Clock>> {
    match std::env::var("SALESDESK_NOW") {
        Ok(text) if !text.trim().is_empty() => {
            let t = chrono::DateTime::parse_from_rfc3339(text.trim()).map_err(|_| {
                anyhow!(
                    "SALESDESK_NOW='{text}' is not an RFC 3339 time like 2026-11-25T10:00:00+01:00"
                )
            })?;
            let t = t.with_timezone(&chrono::Utc);
            check_fixed_now(t, chrono::Utc::now())
                .map_err(|why| anyhow!("SALESDESK_NOW='{}' is refused: {why}", text.trim()))?;
            Ok(Arc::new(FixedClock(t)))
        }
        _ => Ok(Arc::new(SystemClock)),
    }
}

/// How far ahead of this machine's clock `SALESDESK_NOW` may be: as far as a teammate's
/// clock may be ahead before the merge refuses it (`store::merge::MAX_CLOCK_DRIFT_MS`).
const FIXED_NOW_AHEAD: chrono::TimeDelta = chrono::TimeDelta::days(1);

/// Refuses a fixed "now" the database's clock cannot take back: every edit stamps the
/// hybrid clock with it, and that clock never goes back, so a time in the far future would
/// stamp every later edit of the database with it (and win every merge); before 1970 a
/// clock cannot be written at all. Times in the past are fine: the clock then counts on
/// from the newest it has seen.
fn check_fixed_now(
    t: chrono::DateTime<chrono::Utc>,
    real: chrono::DateTime<chrono::Utc>,
) -> std::result::Result<(), String> {
    if t.timestamp_millis() < 0 {
        return Err("it is before 1970".to_string());
    }
    if t > real + FIXED_NOW_AHEAD {
        return Err(format!(
            "it is more than a day ahead of this machine's clock ({}), and every later edit of the database would be stamped with it; use a time up to a day ahead",
            real.format("%Y-%m-%d %H:%M UTC")
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_now_far_ahead_or_before_1970_is_refused() {
        let real = chrono::DateTime::parse_from_rfc3339("2026-11-30T12:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let at = |s: &str| {
            chrono::DateTime::parse_from_rfc3339(s)
                .unwrap()
                .with_timezone(&chrono::Utc)
        };
        assert!(check_fixed_now(at("2026-11-25T10:00:00Z"), real).is_ok());
        assert!(check_fixed_now(at("2001-01-01T00:00:00Z"), real).is_ok());
        assert!(check_fixed_now(at("2026-12-01T11:00:00Z"), real).is_ok());
        let far = check_fixed_now(at("9999-12-31T00:00:00Z"), real).unwrap_err();
        assert!(far.contains("more than a day ahead"), "{far}");
        assert!(check_fixed_now(at("2026-12-02T12:00:01Z"), real).is_err());
        assert!(check_fixed_now(at("1969-12-31T23:59:59Z"), real).is_err());
    }

    #[test]
    fn defaults_and_overrides() {
        let s = Settings::parse("").unwrap();
        assert_eq!(s, Settings::default());
        let s = Settings::parse("default_currency = \"usd\"\n[cadence]\nkey = 7\n").unwrap();
        assert_eq!(s.default_currency.code(), "USD");
        assert_eq!((s.cadence.key, s.cadence.normal), (7, 30));
    }

    #[test]
    fn bad_values_name_the_line() {
        let err = Settings::parse("default_currency = \"EUR\"\ncadense = 3\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 2"), "{err}");
        assert!(err.contains("cadense"), "{err}");
        let err = Settings::parse("default_currency = \"euro\"")
            .unwrap_err()
            .to_string();
        assert!(err.contains("ISO 4217"), "{err}");
        let err = Settings::parse("[cadence]\nkey = 0")
            .unwrap_err()
            .to_string();
        assert!(err.contains("cadence.key"), "{err}");
    }
}

#[cfg(test)]
mod example_tests {
    #[test]
    fn the_shipped_example_config_is_valid() {
        let text = include_str!("../assets/config.example.toml");
        let s = super::Settings::parse(text).unwrap();
        assert_eq!(s.me.name.as_deref(), Some("Alex Example"));
    }
}
