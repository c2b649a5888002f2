//! Settings from `config.toml`, and where the database and the config live.
//!
//! The database is `--db`, else `SALESDESK_DB`, else `salesdesk.db` in the platform data
//! directory. The config is `SALESDESK_CONFIG`, else `config.toml` in the platform config
//! directory. A missing config file means the defaults; a bad one is an error that names
//! the line, never silently ignored.
//!
//! `[keys]` and `[theme]` are read here and checked against the TUI's keymap and colour
//! roles (`tui::keymap`, `tui::theme`), the one place that knows them, so that a bad key
//! or colour is refused by every command, with its line, like any other config error.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, anyhow};
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::domain::customer::Cadence;
use crate::domain::money::{Currency, Decimal};
use crate::domain::time::{Clock, FixedClock, SystemClock};
use crate::i18n::Lang;

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
    /// Keys by context and command: `pipeline.move_next = ["J", "shift-right"]`.
    pub keys: KeyBindings,
    /// `theme = "light"`, or `[theme]` with a `base` and colours by role.
    pub theme: Spanned<ThemeSetting>,
    /// `decimal = ","` reads typed amounts as `12.500,50`; unset, the locale says
    /// (`LC_ALL`, `LC_NUMERIC`, `LANG`: a comma for `de_DE.UTF-8`, a point for `en_US`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decimal: Option<Decimal>,
    /// `language = "zh-CN"` or `"en"`; unset, the locale says (`LC_ALL`, `LC_MESSAGES`,
    /// `LANG`: Chinese for `zh_CN.UTF-8`, else English).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<Lang>,
    /// The locale's separator, read once when the config is loaded.
    #[serde(skip)]
    pub locale_decimal: Decimal,
}

/// `[calendar] path = "…/salesdesk.ics"`: an iCalendar file that every change rewrites,
/// so a calendar app subscribed to it (through a synced folder) shows the agenda.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CalendarFile {
    pub path: Option<std::path::PathBuf>,
}

/// A `[keys]` or `[theme]` entry that cannot be: what is wrong, and where in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryError {
    pub span: std::ops::Range<usize>,
    pub message: String,
}

impl std::fmt::Display for EntryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EntryError {}

/// `[keys]`: context → command → keys, each entry with where it is in the file.
/// `pipeline.move_next = ["J", "shift-right"]` gives the Pipeline board's "move to the
/// next stage" those two keys instead of its defaults. Checked against the TUI's keymap
/// (`tui::keymap::Keymap::from_config`).
pub type KeyBindings = BTreeMap<String, BTreeMap<String, Spanned<KeyList>>>;

/// The keys of one `[keys]` entry: one key as a string, or a list of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct KeyList(pub Vec<String>);

impl<'de> Deserialize<'de> for KeyList {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = KeyList;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(&crate::t!("config-expecting-keys"))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<KeyList, E> {
                Ok(KeyList(vec![v.to_string()]))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<KeyList, A::Error> {
                let mut keys = Vec::new();
                while let Some(k) = seq.next_element::<String>()? {
                    keys.push(k);
                }
                Ok(KeyList(keys))
            }
        }
        d.deserialize_any(Visit)
    }
}

/// `theme = "light"` (a built-in theme), or a `[theme]` table: `base = "light"` and
/// colours by role on top (`overdue = "#ff8800"`, `selected_card = "238"`). Checked
/// against the TUI's roles (`tui::theme::Theme::from_setting`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ThemeSetting {
    pub base: Option<Spanned<String>>,
    pub colours: BTreeMap<String, Spanned<String>>,
}

impl Serialize for ThemeSetting {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let base = self.base.as_ref().map_or("dark", |b| b.get_ref().as_str());
        if self.colours.is_empty() {
            return s.serialize_str(base);
        }
        let mut map = s.serialize_map(Some(self.colours.len() + 1))?;
        map.serialize_entry("base", base)?;
        for (role, colour) in &self.colours {
            map.serialize_entry(role, colour.get_ref())?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for ThemeSetting {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = ThemeSetting;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(&crate::t!("config-expecting-theme"))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ThemeSetting, E> {
                // Where the name is, the span of the whole `theme` value says.
                Ok(ThemeSetting {
                    base: Some(Spanned::new(0..0, v.to_string())),
                    colours: BTreeMap::new(),
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<ThemeSetting, A::Error> {
                let mut theme = ThemeSetting::default();
                while let Some(key) = map.next_key::<String>()? {
                    let value: Spanned<String> = map.next_value()?;
                    if key == "base" {
                        theme.base = Some(value);
                    } else {
                        theme.colours.insert(key, value);
                    }
                }
                Ok(theme)
            }
        }
        d.deserialize_any(Visit)
    }
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
            // In the interface's language: the reasons a new book offers.
            lost_reasons: crate::t!("default-lost-reasons")
                .split(',')
                .map(|r| r.trim().to_string())
                .filter(|r| !r.is_empty())
                .collect(),
            cadence: Cadence::default(),
            me: Identity::default(),
            calendar: CalendarFile::default(),
            mouse: true,
            keys: KeyBindings::new(),
            theme: Spanned::new(0..0, ThemeSetting::default()),
            decimal: None,
            language: None,
            locale_decimal: Decimal::Point,
        }
    }
}

impl Settings {
    /// Parses a config file's text; errors name the line and the field.
    pub fn parse(text: &str) -> Result<Settings> {
        let settings: Settings = toml::from_str(text).map_err(|e| where_and_what(text, &e))?;
        settings.validate()?;
        let at = |e: EntryError| at_line(text, e.span, &e.message);
        crate::tui::keymap::Keymap::from_config(&settings.keys).map_err(at)?;
        crate::tui::theme::Theme::from_setting(
            &settings.theme,
            crate::tui::theme::Terminal::default(),
        )
        .map_err(at)?;
        Ok(settings)
    }

    fn validate(&self) -> Result<()> {
        for (tier, days) in [
            ("key", self.cadence.key),
            ("normal", self.cadence.normal),
            ("low", self.cadence.low),
        ] {
            if !(1..=3650).contains(&days) {
                return Err(anyhow!(crate::t!(
                    "config-cadence-range",
                    tier = tier,
                    days = days
                )));
            }
        }
        if self.lost_reasons.iter().any(|r| r.trim().is_empty()) {
            return Err(anyhow!(crate::t!("config-empty-lost-reason")));
        }
        Ok(())
    }

    /// Loads the config at `path`; a missing file gives the defaults. What the config
    /// leaves to the locale is read from the environment here.
    pub fn load(path: &Path) -> Result<Settings> {
        let mut settings = match std::fs::read_to_string(path) {
            Ok(text) => Settings::parse(&text)
                .with_context(|| crate::t!("config-reading", path = path.display().to_string()))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Settings::default(),
            Err(e) => {
                return Err(e).with_context(|| {
                    crate::t!("config-reading", path = path.display().to_string())
                });
            }
        };
        settings.locale_decimal = Decimal::of_locale(&numeric_locale());
        Ok(settings)
    }

    /// How typed amounts separate decimals: `decimal` in the config, else the locale's.
    pub fn decimal(&self) -> Decimal {
        self.decimal.unwrap_or(self.locale_decimal)
    }

    /// The language the interface speaks: `language` in the config, else the locale's.
    pub fn language(&self) -> Lang {
        Lang::resolve(self.language)
    }

    /// The settings as TOML, for `config show`.
    pub fn to_toml(&self) -> Result<String> {
        Ok(toml::to_string_pretty(self)?)
    }
}

/// The language to speak from the start: the config's `language` when the config can be
/// read, else the locale's. Read once by `main` before the command line is parsed, so
/// that even clap's help is in that language.
pub fn language_at_start() -> Lang {
    let configured = config_path()
        .ok()
        .and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|text| Settings::parse(&text).ok())
        .and_then(|s| s.language);
    Lang::resolve(configured)
}

/// The locale that decides how numbers are written, as POSIX looks it up: `LC_ALL`,
/// else `LC_NUMERIC`, else `LANG` (the first one set and not empty); "C" if none is.
fn numeric_locale() -> String {
    ["LC_ALL", "LC_NUMERIC", "LANG"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "C".into())
}

/// A problem at `span` of the config's text as one line that names where it is.
fn at_line(text: &str, span: std::ops::Range<usize>, what: &str) -> anyhow::Error {
    let before = text.get(..span.start).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    anyhow!(crate::t!(
        "config-at",
        line = line,
        column = column,
        what = what
    ))
}

/// A TOML error as one line that names where it is: "line 2, column 1: unknown field
/// `cadense`, expected one of …". toml's own rendering quotes the line over several.
pub(crate) fn where_and_what(text: &str, err: &toml::de::Error) -> anyhow::Error {
    let what = serde_message(
        &err.message()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    );
    match err.span() {
        Some(span) => at_line(text, span, &what),
        None => anyhow!("{what}"),
    }
}

/// A serde or TOML message ("unknown field `cadense`, expected one of …") in the
/// interface's language. Neither crate translates; their common forms are recognised and
/// worded from the catalogue with the names they quote, and anything else is said as a
/// TOML syntax error around the parser's own words.
fn serde_message(message: &str) -> String {
    use crate::t;
    if crate::i18n::current() == crate::i18n::Lang::En {
        return message.to_string();
    }
    // `x` → x: serde quotes names with backticks, and ends a list with "or".
    let plain = |s: &str| s.trim().replace("` or `", "`, `").replace('`', "");
    let expected = |s: &str| {
        let s = s.trim();
        let s = s
            .strip_prefix("expected one of ")
            .or_else(|| s.strip_prefix("expected "))
            .unwrap_or(s);
        serde_expected(&plain(s))
    };
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (field, rest) = rest.split_once(", ").unwrap_or((rest, ""));
        return if rest.starts_with("there are no fields") || rest.is_empty() {
            t!("config-serde-unknown-field-none", field = plain(field))
        } else {
            t!(
                "config-serde-unknown-field",
                field = plain(field),
                expected = expected(rest)
            )
        };
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (value, rest) = rest.split_once(", ").unwrap_or((rest, ""));
        return t!(
            "config-serde-unknown-variant",
            value = plain(value),
            expected = expected(rest)
        );
    }
    if let Some(field) = message.strip_prefix("missing field ") {
        return t!("config-serde-missing-field", field = plain(field));
    }
    if let Some(field) = message.strip_prefix("duplicate field ") {
        return t!("config-serde-duplicate-field", field = plain(field));
    }
    for (prefix, key) in [
        ("invalid type: ", "config-serde-invalid-type"),
        ("invalid value: ", "config-serde-invalid-value"),
    ] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some((found, wanted)) = rest.split_once(", expected ")
        {
            return crate::i18n::message(
                key,
                &[
                    ("found", serde_found(found).into()),
                    ("expected", serde_expected(wanted).into()),
                ],
            );
        }
    }
    if let Some(rest) = message.strip_prefix("invalid length ")
        && let Some((n, wanted)) = rest.split_once(", expected ")
    {
        return t!(
            "config-serde-invalid-length",
            length = n.trim(),
            expected = serde_expected(wanted)
        );
    }
    if let Some(key) = message.strip_prefix("duplicate key ") {
        return t!("config-toml-duplicate-key", key = plain(key));
    }
    // Our own messages (a language, a decimal separator) are already in the catalogue's
    // words (they hold Chinese); only an all-ASCII message is the parser's own.
    if !message.is_ascii() {
        return message.to_string();
    }
    t!("config-toml-syntax", detail = message)
}

/// What serde found, in the interface's language: `string "x"`, `integer `5``, …
fn serde_found(found: &str) -> String {
    let found = found.trim();
    for (english, key) in [
        ("string", "config-serde-a-string"),
        ("integer", "config-serde-an-integer"),
        ("floating point", "config-serde-a-float"),
        ("boolean", "config-serde-a-boolean"),
        ("sequence", "config-serde-a-list"),
        ("map", "config-serde-a-table"),
    ] {
        if let Some(value) = found.strip_prefix(english) {
            let value = value.trim().replace('`', "");
            return crate::i18n::message(key, &[("value", value.into())]);
        }
    }
    found.replace('`', "")
}

/// What serde expected, in the interface's language: Rust's type names and serde's
/// phrases become words; our own `expecting` texts come from the catalogue already.
fn serde_expected(wanted: &str) -> String {
    let wanted = wanted.trim();
    let key = match wanted {
        "u8" | "u16" | "u32" | "u64" | "i8" | "i16" | "i32" | "i64" | "usize" | "isize"
        | "an integer" => "config-serde-want-integer",
        "f32" | "f64" | "a float" => "config-serde-want-number",
        "a boolean" => "config-serde-want-boolean",
        "a string" | "a borrowed string" | "a character" => "config-serde-want-string",
        "a sequence" => "config-serde-want-list",
        _ if wanted.starts_with("struct ") || wanted == "a map" => "config-serde-want-table",
        _ => return wanted.replace('`', ""),
    };
    crate::i18n::message(key, &[])
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
    let dirs = project_dirs().ok_or_else(|| anyhow!(crate::t!("config-no-home-db")))?;
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
    let dirs = project_dirs().ok_or_else(|| anyhow!(crate::t!("config-no-home-config")))?;
    Ok(dirs.config_dir().join("config.toml"))
}

/// The clock: fixed by `SALESDESK_NOW` (RFC 3339) for demos and tests, else the system's.
pub fn clock_from_env() -> Result<Arc<dyn Clock>> {
    match std::env::var("SALESDESK_NOW") {
        Ok(text) if !text.trim().is_empty() => {
            let t = chrono::DateTime::parse_from_rfc3339(text.trim())
                .map_err(|_| anyhow!(crate::t!("now-not-rfc3339", text = text.as_str())))?;
            let t = t.with_timezone(&chrono::Utc);
            check_fixed_now(t, chrono::Utc::now())
                .map_err(|why| anyhow!(crate::t!("now-refused", text = text.trim(), why = why)))?;
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
        return Err(crate::t!("now-before-1970"));
    }
    if t > real + FIXED_NOW_AHEAD {
        return Err(crate::t!(
            "now-too-far-ahead",
            clock = real.format("%Y-%m-%d %H:%M UTC").to_string()
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
mod keys_and_theme_tests {
    use super::Settings;
    use crate::i18n::Lang;

    /// The error a config gives, as one line.
    fn refused(text: &str) -> String {
        format!("{:#}", Settings::parse(text).unwrap_err())
    }

    #[test]
    fn the_language_is_chosen_by_name_and_a_bad_one_names_its_line() {
        let s = Settings::parse("mouse = true\nlanguage = \"zh-CN\"\n").unwrap();
        assert_eq!(s.language, Some(Lang::ZhCn));
        assert_eq!(s.language(), Lang::ZhCn);
        assert_eq!(
            Settings::parse("language = \"en\"\n").unwrap().language(),
            Lang::En
        );
        let err = refused("mouse = true\nlanguage = \"fr\"\n");
        assert!(err.starts_with("line 2"), "{err}");
        assert!(err.contains("\"fr\" is not one SalesDesk speaks"), "{err}");
    }

    #[test]
    fn keys_rebind_by_context_and_command() {
        let s = Settings::parse(
            "mouse = true\n[keys]\npipeline.move_next = [\"J\", \"shift-right\"]\nglobal.undo = \"U\"\n",
        )
        .unwrap();
        assert_eq!(
            s.keys["pipeline"]["move_next"].get_ref().0,
            ["J", "shift-right"]
        );
        assert_eq!(s.keys["global"]["undo"].get_ref().0, ["U"]);
        // A table per context reads the same.
        let t = Settings::parse("[keys.pipeline]\nmove_next = [\"J\", \"shift-right\"]\n").unwrap();
        assert_eq!(t.keys["pipeline"], s.keys["pipeline"]);
    }

    #[test]
    fn each_kind_of_bad_key_entry_names_its_line() {
        let cases = [
            (
                "[keys]\npipelin.add = \"A\"\n",
                "line 2",
                "keys.pipelin.add: there is no 'pipelin'",
            ),
            (
                "[keys]\n\npipeline.mov_next = \"J\"\n",
                "line 3",
                "Pipeline board has no command 'mov_next'",
            ),
            (
                "[keys]\npipeline.move_next = [\"J\", \"shft-right\"]\n",
                "line 2",
                "'shft-right' is not a key",
            ),
            // A clash with a default binding that stays: `w` is still "won".
            (
                "mouse = true\n[keys]\npipeline.add = \"w\"\n",
                "line 3",
                "w already means pipeline.win in Pipeline board; rebind that too",
            ),
            // Two entries clash: the later one is named.
            (
                "[keys]\npipeline.add = \"A\"\npipeline.edit = \"A\"\n",
                "line 3",
                "keys.pipeline.edit: A already means pipeline.add in Pipeline board; choose another key",
            ),
            (
                "[keys]\npipeline.edit = \"A\"\npipeline.add = \"A\"\n",
                "line 3",
                "keys.pipeline.add: A already means pipeline.edit",
            ),
            // A view's key would hide a global one.
            (
                "[keys]\npipeline.add = \"u\"\n",
                "line 2",
                "u is global.undo, which works in every view",
            ),
            (
                "[keys]\nglobal.undo = \"a\"\n",
                "line 2",
                "keys.global.undo: a already means pipeline.add",
            ),
            // Typed text in a form is text.
            (
                "[keys]\nform.submit = \"s\"\n",
                "line 2",
                "'s' is typed text in Form",
            ),
            (
                "[keys]\nform.submit = []\n",
                "line 2",
                "keys.form.submit is empty",
            ),
            ("[keys]\npipeline.add = 3\n", "line 2", "a key like"),
        ];
        for (text, line, what) in cases {
            let err = refused(text);
            assert!(err.starts_with(line), "{text}: {err}");
            assert!(err.contains(what), "{text}: {err}");
        }
    }

    #[test]
    fn a_key_moved_away_frees_it_for_another_command() {
        // `w` leaves "won" for "add": no clash.
        let s = Settings::parse("[keys]\npipeline.win = \"W\"\npipeline.add = \"w\"\n");
        assert!(s.is_ok(), "{:?}", s.err());
    }

    #[test]
    fn themes_by_name_or_by_role() {
        let s = Settings::parse("theme = \"light\"\n").unwrap();
        assert_eq!(s.theme.get_ref().base.as_ref().unwrap().get_ref(), "light");
        let s = Settings::parse(
            "[theme]\nbase = \"high-contrast\"\noverdue = \"#ff8800\"\nselected_card = \"238\"\n",
        )
        .unwrap();
        assert_eq!(s.theme.get_ref().colours["overdue"].get_ref(), "#ff8800");
        // `config show` writes back what it read.
        let again = Settings::parse(&s.to_toml().unwrap()).unwrap();
        assert_eq!(again, s);
        assert_eq!(
            Settings::parse(&Settings::default().to_toml().unwrap())
                .unwrap()
                .theme
                .get_ref()
                .colours
                .len(),
            0
        );
    }

    #[test]
    fn bad_theme_entries_name_their_line() {
        let err = refused("mouse = true\ntheme = \"solarized\"\n");
        assert!(err.starts_with("line 2"), "{err}");
        assert!(err.contains("dark, light, high-contrast"), "{err}");
        let err = refused("[theme]\nbase = \"light\"\noverdue = \"redd\"\n");
        assert!(err.starts_with("line 3"), "{err}");
        assert!(
            err.contains("theme.overdue = \"redd\" is not a colour"),
            "{err}"
        );
        let err = refused("[theme]\n\nrotten = \"red\"\n");
        assert!(err.starts_with("line 3"), "{err}");
        assert!(err.contains("theme.rotten is not a colour role"), "{err}");
        let err = refused("[theme]\ntoday = \"#12345\"\n");
        assert!(err.starts_with("line 2"), "{err}");
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
