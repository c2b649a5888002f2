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
    if let Some(after) = cmd.get_after_help().map(ToString::to_string) {
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
