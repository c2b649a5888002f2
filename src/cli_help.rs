//! clap's help in the interface's language. The English help is the doc comments in
//! [`crate::cli`]; in another language every command's about and every argument's help
//! is replaced from the catalogue, keyed by the command's path and the argument's id:
//! `clap-deal-add` (what `deal add` does), `clap-deal-add-arg-customer` (its
//! `--customer`). A test walks the whole tree and requires an entry for each.

use clap::Command;

use crate::i18n::{self, Lang};

/// The catalogue key of what the command at `path` does (`["deal", "add"]`; the root is
/// `[]`).
pub fn command_key(path: &[String]) -> String {
    if path.is_empty() {
        "clap-salesdesk".to_string()
    } else {
        format!("clap-{}", path.join("-"))
    }
}

/// The catalogue key of the help of argument `id` of the command at `path`.
pub fn arg_key(path: &[String], id: &str) -> String {
    format!(
        "{}-arg-{}",
        command_key(path),
        id.trim_end_matches('_').replace('_', "-")
    )
}

/// Arguments clap adds to every command: their help is one entry each.
const CLAP_OWN: [&str; 2] = ["help", "version"];

/// The command tree `cmd` (built) in `lang`: English as it is; otherwise with abouts,
/// helps, headings and examples' titles from the catalogue.
pub fn localized(mut cmd: Command, lang: Lang) -> Command {
    if lang == Lang::En {
        return cmd;
    }
    cmd.build();
    localize(cmd, &mut Vec::new(), lang)
}

fn text(lang: Lang, key: &str) -> Option<String> {
    i18n::has(lang, key).then(|| i18n::message_in(lang, key, &[]))
}

fn localize(mut cmd: Command, path: &mut Vec<String>, lang: Lang) -> Command {
    if let Some(about) = text(lang, &command_key(path)) {
        cmd = cmd.about(about.clone()).long_about(about);
    }
    // An epilogue with prose besides the examples has a translation of its own.
    if let Some(after) = text(lang, &format!("{}-after", command_key(path))) {
        cmd = cmd.after_help(after.clone()).after_long_help(after);
    } else if let Some(after) = cmd.get_after_help().map(ToString::to_string) {
        let examples = i18n::message_in(lang, "clap-examples", &[]);
        let example = i18n::message_in(lang, "clap-example", &[]);
        let after = after
            .replacen("Examples:", &examples, 1)
            .replacen("Example:", &example, 1);
        cmd = cmd.after_help(after.clone()).after_long_help(after);
    }
    let options = i18n::message_in(lang, "clap-heading-options", &[]);
    let arguments = i18n::message_in(lang, "clap-heading-arguments", &[]);
    cmd = cmd
        .subcommand_help_heading(i18n::message_in(lang, "clap-heading-commands", &[]))
        .subcommand_value_name(i18n::message_in(lang, "clap-value-command", &[]))
        .help_template(format!(
            "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
            i18n::message_in(lang, "clap-usage-heading", &[])
        ));
    // clap writes `[OPTIONS]` into every usage line it makes and has no setting for it:
    // the usage it would print, with that word translated, is given as the usage.
    let usage = cmd.clone().render_usage().to_string();
    let usage = usage
        .trim()
        .strip_prefix("Usage:")
        .unwrap_or(&usage)
        .trim()
        .replace(
            "[OPTIONS]",
            &i18n::message_in(lang, "clap-usage-options", &[]),
        );
    cmd = cmd.override_usage(usage);
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        let key = if CLAP_OWN.contains(&id.as_str()) {
            format!("clap-arg-{id}")
        } else {
            arg_key(path, &id)
        };
        let help = text(lang, &key);
        let heading = options.clone();
        let positional_heading = arguments.clone();
        cmd = cmd.mut_arg(&id, move |a| {
            let heading = if a.is_positional() {
                positional_heading
            } else {
                heading
            };
            let help = help.or_else(|| a.get_help().map(ToString::to_string));
            let (a, help) = with_values_said(a, help, lang);
            let a = match help {
                Some(h) => a.help(h.clone()).long_help(h),
                None => a,
            };
            if a.get_help_heading().is_none() {
                a.help_heading(heading)
            } else {
                a
            }
        });
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        path.push(name.clone());
        let mut sub_path = path.clone();
        cmd = cmd.mut_subcommand(&name, |s| localize(s, &mut sub_path, lang));
        path.pop();
    }
    cmd
}

/// `[default: month]` and `[possible values: …]`, which clap appends to an argument's
/// help in English, said in `lang` at the end of `help` instead (clap's own are hidden).
fn with_values_said(
    mut arg: clap::Arg,
    help: Option<String>,
    lang: Lang,
) -> (clap::Arg, Option<String>) {
    if !arg.get_action().takes_values() {
        return (arg, help);
    }
    let mut said: Vec<String> = Vec::new();
    let possible: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    if !possible.is_empty() && !arg.is_hide_possible_values_set() {
        said.push(i18n::message_in(
            lang,
            "clap-possible-values",
            &[("values", possible.join(", ").into())],
        ));
        arg = arg.hide_possible_values(true);
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() && !arg.is_hide_default_value_set() {
        said.push(i18n::message_in(
            lang,
            "clap-default",
            &[("values", defaults.join(", ").into())],
        ));
        arg = arg.hide_default_value(true);
    }
    if said.is_empty() {
        return (arg, help);
    }
    let said = said.join(" ");
    let help = match help {
        Some(h) if !h.trim().is_empty() => format!("{} {said}", h.trim_end()),
        _ => said,
    };
    (arg, Some(help))
}

/// Every key the tree needs and the English it replaces, for the completeness test.
pub fn entries(cmd: &Command, path: &mut Vec<String>, out: &mut Vec<(String, String)>) {
    let about = cmd
        .get_long_about()
        .or(cmd.get_about())
        .map(ToString::to_string)
        .unwrap_or_default();
    out.push((command_key(path), about));
    for arg in cmd.get_arguments() {
        let id = arg.get_id().to_string();
        if CLAP_OWN.contains(&id.as_str()) {
            continue;
        }
        let help = arg
            .get_long_help()
            .or(arg.get_help())
            .map(ToString::to_string)
            .unwrap_or_default();
        out.push((arg_key(path, &id), help));
    }
    for sub in cmd.get_subcommands() {
        path.push(sub.get_name().to_string());
        entries(sub, path, out);
        path.pop();
    }
}

/// A command line clap refused, in words a user of `lang` reads.
pub struct Refusal {
    /// The sentence (with the list it names, if any): what `--json` gives as `message`.
    pub message: String,
    /// What is printed: the sentence with its `error:` label, the tips, the usage and
    /// where to read more.
    pub text: String,
}

/// clap's refusal of a command line in `lang`. clap has no translations, so its common
/// kinds of error are worded here from the error's kind and context (the argument, the
/// value, the suggestions, the usage). English, and kinds clap words without context
/// (an I/O error), keep clap's own words: `None`.
pub fn refusal(err: &clap::Error, lang: Lang) -> Option<Refusal> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if lang == Lang::En {
        return None;
    }
    let say = |key: &str, args: &[(&str, String)]| {
        let args: Vec<(&str, i18n::Arg)> = args
            .iter()
            .map(|(name, value)| (*name, i18n::Arg::from(value.as_str())))
            .collect();
        i18n::message_in(lang, key, &args)
    };
    let string = |kind: ContextKind| match err.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        _ => None,
    };
    let strings = |kind: ContextKind| match err.get(kind) {
        Some(ContextValue::Strings(list)) => list.clone(),
        Some(ContextValue::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    };
    let number = |kind: ContextKind| match err.get(kind) {
        Some(ContextValue::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let listed = |list: &[String]| list.iter().map(|v| format!("\n  {v}")).collect::<String>();
    let arg = string(ContextKind::InvalidArg).unwrap_or_default();
    let value = string(ContextKind::InvalidValue).unwrap_or_default();
    let mut message = match err.kind() {
        ErrorKind::UnknownArgument => say("clap-err-unknown-argument", &[("arg", arg)]),
        ErrorKind::InvalidSubcommand => say(
            "clap-err-unknown-subcommand",
            &[(
                "name",
                string(ContextKind::InvalidSubcommand).unwrap_or_default(),
            )],
        ),
        ErrorKind::MissingRequiredArgument => {
            say("clap-err-missing-arguments", &[]) + &listed(&strings(ContextKind::InvalidArg))
        }
        ErrorKind::MissingSubcommand => say(
            "clap-err-missing-subcommand",
            &[(
                "name",
                string(ContextKind::InvalidSubcommand).unwrap_or_default(),
            )],
        ),
        ErrorKind::InvalidValue if value.is_empty() => {
            say("clap-err-value-missing", &[("arg", arg)])
        }
        ErrorKind::InvalidValue => say("clap-err-invalid-value", &[("arg", arg), ("value", value)]),
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(err)
                .and_then(|e| e.downcast_ref::<std::num::ParseIntError>())
                .map(|e| number_refusal(e, lang));
            match why {
                Some(why) => say(
                    "clap-err-invalid-value-why",
                    &[("arg", arg), ("value", value), ("why", why)],
                ),
                None => say("clap-err-invalid-value", &[("arg", arg), ("value", value)]),
            }
        }
        ErrorKind::TooManyValues => say(
            "clap-err-too-many-values",
            &[("arg", arg), ("value", value)],
        ),
        ErrorKind::TooFewValues => say(
            "clap-err-wrong-number-of-values",
            &[
                ("arg", arg),
                (
                    "expected",
                    number(ContextKind::MinValues).unwrap_or_default(),
                ),
                (
                    "actual",
                    number(ContextKind::ActualNumValues).unwrap_or_default(),
                ),
            ],
        ),
        ErrorKind::WrongNumberOfValues => say(
            "clap-err-wrong-number-of-values",
            &[
                ("arg", arg),
                (
                    "expected",
                    number(ContextKind::ExpectedNumValues).unwrap_or_default(),
                ),
                (
                    "actual",
                    number(ContextKind::ActualNumValues).unwrap_or_default(),
                ),
            ],
        ),
        ErrorKind::ArgumentConflict => {
            let prior = strings(ContextKind::PriorArg);
            if prior.is_empty() || prior == [arg.clone()] {
                say("clap-err-used-twice", &[("arg", arg)])
            } else {
                say(
                    "clap-err-conflict",
                    &[("arg", arg), ("other", prior.join("', '"))],
                )
            }
        }
        ErrorKind::NoEquals => say("clap-err-no-equals", &[("arg", arg)]),
        ErrorKind::InvalidUtf8 => say("clap-err-invalid-utf8", &[]),
        _ => return None,
    };
    let valid = strings(ContextKind::ValidValue);
    if !valid.is_empty() {
        message.push_str("\n  ");
        message.push_str(&say(
            "clap-err-possible-values",
            &[("values", valid.join(", "))],
        ));
    }
    let valid = strings(ContextKind::ValidSubcommand);
    if !valid.is_empty() {
        message.push_str("\n  ");
        message.push_str(&say(
            "clap-err-subcommands",
            &[("values", valid.join(", "))],
        ));
    }
    let mut tips: Vec<String> = Vec::new();
    for (kind, key) in [
        (ContextKind::SuggestedSubcommand, "clap-tip-subcommand"),
        (ContextKind::SuggestedArg, "clap-tip-argument"),
        (ContextKind::SuggestedValue, "clap-tip-value"),
    ] {
        let suggested = strings(kind);
        if !suggested.is_empty() {
            let names = suggested
                .iter()
                .map(|s| format!("'{s}'"))
                .collect::<Vec<_>>()
                .join(", ");
            tips.push(say(key, &[("names", names)]));
        }
    }
    if let Some(ContextValue::StyledStrs(list)) = err.get(ContextKind::Suggested) {
        tips.extend(list.iter().filter_map(|s| suggestion(&s.to_string(), lang)));
    }
    let mut text = say("cli-error", &[("message", message.clone())]);
    if !tips.is_empty() {
        text.push('\n');
        for tip in tips {
            text.push_str("\n  ");
            text.push_str(&tip);
        }
    }
    if let Some(ContextValue::StyledStr(usage)) = err.get(ContextKind::Usage) {
        let usage = usage.to_string();
        let usage = usage.trim().strip_prefix("Usage:").unwrap_or(&usage).trim();
        text.push_str("\n\n");
        text.push_str(&say("clap-usage-heading", &[]));
        text.push(' ');
        text.push_str(usage);
    }
    text.push_str("\n\n");
    text.push_str(&say("clap-err-more", &[]));
    text.push('\n');
    Some(Refusal { message, text })
}

/// A number clap could not read, said in `lang`.
fn number_refusal(e: &std::num::ParseIntError, lang: Lang) -> String {
    use std::num::IntErrorKind;
    let key = match e.kind() {
        IntErrorKind::Empty => "clap-number-empty",
        IntErrorKind::PosOverflow => "clap-number-too-large",
        IntErrorKind::NegOverflow => "clap-number-too-small",
        IntErrorKind::Zero => "clap-number-zero",
        _ => "clap-number-not-whole",
    };
    i18n::message_in(lang, key, &[])
}

/// One of clap's own tips in `lang`: the two it gives for a mistyped argument. Others
/// are left out rather than shown in English.
fn suggestion(tip: &str, lang: Lang) -> Option<String> {
    if let Some(rest) = tip.strip_prefix("to pass '") {
        let arg = rest.split('\'').next()?;
        return Some(i18n::message_in(
            lang,
            "clap-tip-trailing",
            &[("arg", arg.into())],
        ));
    }
    let exists = tip.strip_prefix('\'')?.strip_suffix("' exists")?;
    Some(i18n::message_in(
        lang,
        "clap-tip-argument",
        &[("names", format!("'{exists}'").into())],
    ))
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory as _;

    use super::*;
    use crate::cli::Cli;

    fn all() -> Vec<(String, String)> {
        let mut cmd = Cli::command();
        cmd.build();
        let mut out = Vec::new();
        entries(&cmd, &mut Vec::new(), &mut out);
        out
    }

    #[test]
    fn every_command_and_argument_has_its_help_in_chinese() {
        let missing: Vec<String> = all()
            .into_iter()
            .filter(|(key, _)| !i18n::has(Lang::ZhCn, key))
            .map(|(key, en)| format!("{key} | {}", en.replace('\n', " ")))
            .collect();
        assert!(
            missing.is_empty(),
            "zh-CN.ftl lacks:\n{}",
            missing.join("\n")
        );
        for key in ["clap-arg-help", "clap-arg-version"] {
            assert!(i18n::has(Lang::ZhCn, key), "{key}");
        }
    }

    /// The keys this module names as strings (not through `t!`, so the crate-wide test
    /// does not see them) are in both catalogues.
    #[test]
    fn every_key_named_here_is_in_both_catalogues() {
        let source = include_str!("cli_help.rs");
        let mut found = 0;
        for piece in source.split('"').skip(1).step_by(2) {
            let is_key = piece.starts_with("clap-")
                && piece.len() > 5
                && piece.chars().all(|c| c.is_ascii_lowercase() || c == '-');
            if !is_key || piece == "clap-salesdesk" {
                continue;
            }
            found += 1;
            for lang in Lang::ALL {
                assert!(i18n::has(lang, piece), "{} lacks {piece}", lang.code());
            }
        }
        assert!(found > 20, "found {found} keys");
    }

    #[test]
    fn clap_errors_are_worded_from_their_kind() {
        let cmd = localized(Cli::command(), Lang::ZhCn);
        let err = cmd
            .clone()
            .try_get_matches_from(["salesdesk", "deal", "add"])
            .unwrap_err();
        let said = refusal(&err, Lang::ZhCn).unwrap();
        assert!(
            said.message.starts_with("缺少以下必需的参数"),
            "{}",
            said.message
        );
        assert!(
            said.text.contains("用法： salesdesk deal add [选项]"),
            "{}",
            said.text
        );
        assert!(refusal(&err, Lang::En).is_none());
        let err = cmd
            .try_get_matches_from(["salesdesk", "demo", "--scale", "0"])
            .unwrap_err();
        let said = refusal(&err, Lang::ZhCn).unwrap();
        assert!(said.message.contains("它不能为 0"), "{}", said.message);
    }

    #[test]
    fn chinese_help_replaces_the_english() {
        let cmd = localized(Cli::command(), Lang::ZhCn);
        let mut deal = cmd
            .find_subcommand("deal")
            .and_then(|d| d.find_subcommand("add"))
            .cloned()
            .unwrap();
        let help = deal.render_help().to_string();
        assert!(help.contains("选项"), "{help}");
        assert!(!help.contains("The customer: its name"), "{help}");
        assert!(help.contains("示例"), "{help}");
    }
}
