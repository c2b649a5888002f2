//! The words the user reads, in their language: English or Simplified Chinese.
//!
//! Every sentence, label and header the CLI or the TUI shows comes from a Fluent
//! catalogue (`assets/i18n/en.ftl`, `assets/i18n/zh-CN.ftl`, embedded in the binary).
//! Code names a message by its key and passes arguments by name ([`t!`]), so a
//! translation is free to reorder words or to plural by count; nothing here joins pieces
//! of sentences. Tests check that both catalogues have the same keys and that every key
//! the code names exists.
//!
//! The language is resolved once at start ([`Lang::resolve`]: the config's `language`,
//! else `LC_ALL`, `LC_MESSAGES`, `LANG`) and set with [`set_process`]. It is read where
//! text is made rather than passed down through every function that may word an error:
//! those are hundreds, across every layer, and the language never changes while the
//! program runs. A thread may override it ([`use_in_thread`]) so that tests in one process
//! can render one view in English and another in Chinese.
//!
//! Imports nothing from the crate: every layer may word its messages through it.

use std::cell::Cell;
use std::sync::{LazyLock, OnceLock};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// A language the interface speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    ZhCn,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhCn];

    /// The code used in `config.toml`: `en`, `zh-CN`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// A language from its config code (`en`, `zh-CN`; case and `_`/`-` do not matter).
    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().replace('_', "-").to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "zh-cn" => Some(Lang::ZhCn),
            _ => None,
        }
    }

    /// The language of a POSIX locale name: `zh_CN.UTF-8`, `zh_TW`, `zh` → Chinese (the
    /// only Chinese there is); anything else (`C`, `en_US.UTF-8`, `de_DE`) → English.
    pub fn of_locale(locale: &str) -> Lang {
        let lower = locale.trim().to_ascii_lowercase();
        if lower == "zh"
            || lower.starts_with("zh_")
            || lower.starts_with("zh-")
            || lower.starts_with("zh.")
        {
            Lang::ZhCn
        } else {
            Lang::En
        }
    }

    /// The language from the environment as POSIX looks up messages' locale: `LC_ALL`,
    /// else `LC_MESSAGES`, else `LANG` (the first one set and not empty).
    pub fn from_env() -> Lang {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()));
        locale.map_or(Lang::En, |l| Lang::of_locale(&l))
    }

    /// The configured language if there is one, else the environment's.
    pub fn resolve(configured: Option<Lang>) -> Lang {
        configured.unwrap_or_else(Lang::from_env)
    }

    fn index(self) -> usize {
        match self {
            Lang::En => 0,
            Lang::ZhCn => 1,
        }
    }
}

impl serde::Serialize for Lang {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> serde::Deserialize<'de> for Lang {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        Lang::from_code(&code).ok_or_else(|| {
            serde::de::Error::custom(crate::t!(
                "config-unknown-language",
                code = code.escape_debug().to_string()
            ))
        })
    }
}

static PROCESS: OnceLock<Lang> = OnceLock::new();

thread_local! {
    static THREAD: Cell<Option<Lang>> = const { Cell::new(None) };
}

/// Sets the language of the whole program, once, at start. A second call is ignored.
pub fn set_process(lang: Lang) {
    let _ = PROCESS.set(lang);
}

/// Makes this thread speak `lang` whatever the program's language (tests; a view rendered
/// in a chosen language).
pub fn use_in_thread(lang: Lang) {
    THREAD.with(|t| t.set(Some(lang)));
}

/// The language text is made in now: this thread's, else the program's, else English.
pub fn current() -> Lang {
    THREAD
        .with(Cell::get)
        .or_else(|| PROCESS.get().copied())
        .unwrap_or_default()
}

/// The catalogues' source text, by language.
pub const SOURCES: [(Lang, &str); 2] = [
    (Lang::En, include_str!("../assets/i18n/en.ftl")),
    (Lang::ZhCn, include_str!("../assets/i18n/zh-CN.ftl")),
];

type Bundle = FluentBundle<FluentResource>;

static BUNDLES: LazyLock<Vec<Bundle>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .map(|(lang, source)| {
            let id: unic_langid::LanguageIdentifier = lang.code().parse().unwrap_or_default();
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // A terminal shows Unicode isolation marks as odd spaces or boxes.
            bundle.set_use_isolating(false);
            // A catalogue with a syntax error keeps the messages that parsed (the tests
            // refuse such a catalogue; a missing message falls back to English).
            let resource =
                FluentResource::try_new((*source).to_string()).unwrap_or_else(|(r, _)| r);
            let _ = bundle.add_resource(resource);
            bundle
        })
        .collect()
});

/// A value passed to a message: text, or a number a translation can plural on.
pub enum Arg {
    Text(String),
    Number(f64),
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            #[allow(clippy::cast_precision_loss, clippy::cast_lossless)]
            fn from(n: $t) -> Arg { Arg::Number(n as f64) }
        }
    )*};
}
number_arg!(i32, i64, u32, u64, usize, u16, u8);

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s)
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Arg {
        Arg::Text(s.clone())
    }
}
impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_string())
    }
}
impl From<&&str> for Arg {
    fn from(s: &&str) -> Arg {
        Arg::Text((*s).to_string())
    }
}
impl From<std::path::Display<'_>> for Arg {
    fn from(p: std::path::Display<'_>) -> Arg {
        Arg::Text(p.to_string())
    }
}
impl From<char> for Arg {
    fn from(c: char) -> Arg {
        Arg::Text(c.to_string())
    }
}

/// The message `key` in language `lang` with `args`; English when the language lacks it,
/// the key itself when both do (the tests make sure neither happens).
pub fn message_in(lang: Lang, key: &str, args: &[(&str, Arg)]) -> String {
    format_in(lang, key, args)
        .or_else(|| format_in(Lang::En, key, args))
        .unwrap_or_else(|| key.to_string())
}

/// The message `key` in the current language ([`current`]).
pub fn message(key: &str, args: &[(&str, Arg)]) -> String {
    message_in(current(), key, args)
}

/// A word from data or code that names a kind of thing or a state ("deal", "won") in
/// the interface's language: the catalogue's `noun-<word>` when it has one, else the word.
pub fn noun(word: &str) -> String {
    let key = format!("noun-{}", word.trim().replace(' ', "-"));
    if has(current(), &key) {
        message(&key, &[])
    } else {
        word.to_string()
    }
}

/// Whether a catalogue has message `key`.
pub fn has(lang: Lang, key: &str) -> bool {
    BUNDLES[lang.index()].has_message(key)
}

fn format_in(lang: Lang, key: &str, args: &[(&str, Arg)]) -> Option<String> {
    let bundle = &BUNDLES[lang.index()];
    let pattern = bundle.get_message(key)?.value()?;
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        let value = match value {
            Arg::Text(s) => FluentValue::from(s.as_str()),
            Arg::Number(n) => FluentValue::from(*n),
        };
        fluent_args.set(*name, value);
    }
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
    Some(text.into_owned())
}

/// A message by key in the current language: `t!("board-empty")`, or with arguments by
/// name, `t!("deal-moved", title = deal.title, stage = name)`. The key is a literal, so a
/// test can find every key the code uses in the sources; a key made at run time goes
/// through [`message`] and has its own test.
#[macro_export]
macro_rules! t {
    ($key:literal) => {
        $crate::i18n::message($key, &[])
    };
    ($key:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::message($key, &[$((stringify!($name), $crate::i18n::Arg::from($value))),+])
    };
}

#[cfg(test)]
mod tests;
