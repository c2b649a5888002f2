use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::*;

/// A catalogue's messages and the variables each one uses, read from its text: a message
/// starts at a line `key = …` in column 0; indented lines continue it.
fn entries(source: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in source.lines() {
        let starts_entry = line.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
        if starts_entry && let Some((key, _)) = line.split_once('=') {
            current = Some(key.trim().to_string());
            out.entry(key.trim().to_string()).or_default();
        } else if line.starts_with('#') || line.trim().is_empty() {
            if !line.starts_with(' ') {
                current = None;
            }
            continue;
        }
        if let Some(key) = &current {
            let vars = out.entry(key.clone()).or_default();
            let mut rest = line;
            while let Some(at) = rest.find('$') {
                rest = &rest[at + 1..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                    .collect();
                vars.insert(name);
            }
        }
    }
    out
}

#[test]
fn both_catalogues_parse_without_errors() {
    for (lang, source) in SOURCES {
        if let Err((_, errors)) = FluentResource::try_new(source.to_string()) {
            panic!("{}: {errors:?}", lang.code());
        }
    }
}

#[test]
fn both_catalogues_have_the_same_keys_and_arguments() {
    let en = entries(SOURCES[0].1);
    let zh = entries(SOURCES[1].1);
    assert!(en.len() > 10, "read the English catalogue: {}", en.len());
    let missing_zh: Vec<_> = en.keys().filter(|k| !zh.contains_key(*k)).collect();
    let missing_en: Vec<_> = zh.keys().filter(|k| !en.contains_key(*k)).collect();
    assert!(
        missing_zh.is_empty(),
        "missing in zh-CN.ftl: {missing_zh:?}"
    );
    assert!(missing_en.is_empty(), "missing in en.ftl: {missing_en:?}");
    for (key, vars) in &en {
        assert_eq!(
            vars, &zh[key],
            "{key} takes different arguments in the two catalogues"
        );
    }
    for lang in Lang::ALL {
        for key in en.keys() {
            assert!(has(lang, key), "{} does not load {key}", lang.code());
        }
    }
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The keys the sources name in `t!("…"` and `tkey!("…")`.
fn keys_used() -> BTreeMap<String, String> {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut keys = BTreeMap::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for opener in ["t!(\"", "tkey!(\""] {
            for (at, _) in text.match_indices(opener) {
                // `format!(`, `print!(` … end in `t!(` too: only the macro itself counts.
                let before = text[..at].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                // Examples in comments name no real key.
                let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                if text[line_start..at].trim_start().starts_with("//") {
                    continue;
                }
                let rest = &text[at + opener.len()..];
                let key: String = rest.chars().take_while(|c| *c != '"').collect();
                keys.insert(key, file.display().to_string());
            }
        }
    }
    keys
}

#[test]
fn every_key_the_code_names_is_in_both_catalogues() {
    let used = keys_used();
    assert!(
        used.len() > 10,
        "found the keys in the sources: {}",
        used.len()
    );
    for (key, file) in &used {
        for lang in Lang::ALL {
            assert!(
                has(lang, key),
                "{file} names {key}, which {} lacks",
                lang.code()
            );
        }
    }
}

#[test]
fn locales_pick_the_language() {
    assert_eq!(Lang::of_locale("zh_CN.UTF-8"), Lang::ZhCn);
    assert_eq!(Lang::of_locale("zh_TW"), Lang::ZhCn);
    assert_eq!(Lang::of_locale("zh"), Lang::ZhCn);
    assert_eq!(Lang::of_locale("C.UTF-8"), Lang::En);
    assert_eq!(Lang::of_locale("en_US.UTF-8"), Lang::En);
    assert_eq!(Lang::of_locale("zu_ZA"), Lang::En);
    assert_eq!(Lang::from_code("zh-CN"), Some(Lang::ZhCn));
    assert_eq!(Lang::from_code("zh_cn"), Some(Lang::ZhCn));
    assert_eq!(Lang::from_code("en"), Some(Lang::En));
    assert_eq!(Lang::from_code("fr"), None);
    assert_eq!(Lang::resolve(Some(Lang::ZhCn)), Lang::ZhCn);
}

#[test]
fn arguments_fill_in_by_name_and_a_thread_can_choose_its_language() {
    use_in_thread(Lang::En);
    assert_eq!(crate::t!("count-deals", count = 1), "1 deal");
    assert_eq!(crate::t!("count-deals", count = 3), "3 deals");
    assert_eq!(
        message_in(Lang::ZhCn, "count-deals", &[("count", 3.into())]),
        "3 个商机"
    );
    use_in_thread(Lang::ZhCn);
    assert_eq!(crate::t!("count-deals", count = 3), "3 个商机");
    assert_eq!(message("no-such-key", &[]), "no-such-key");
    use_in_thread(Lang::En);
}

#[test]
fn every_field_type_has_a_shown_name_in_both_languages() {
    for kind in crate::domain::field::FieldType::ALL {
        let key = format!("field-type-{}", kind.as_str());
        for lang in Lang::ALL {
            assert!(has(lang, &key), "{} lacks {key}", lang.code());
        }
    }
    use_in_thread(Lang::ZhCn);
    assert_eq!(crate::domain::field::FieldType::MultiChoice.shown(), "多选");
    use_in_thread(Lang::En);
    assert_eq!(crate::domain::field::FieldType::YesNo.shown(), "yes/no");
}
