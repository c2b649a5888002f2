#![allow(clippy::unwrap_used, clippy::expect_used)]
//! SalesDesk as a Chinese user runs it (`LANG=zh_CN.UTF-8`): the real binary on a
//! temporary database, with a fixed clock and a config file of its own. Each area whose
//! words come from the catalogue is run here once and must speak Chinese, with no English
//! sentence left where a translation belongs. (The main CLI commands' Chinese is checked
//! in `cli.rs`; the TUI's in `tui.rs`.)

use std::path::PathBuf;

use assert_cmd::Command;
use clap::CommandFactory as _;
use serde_json::Value;
use tempfile::TempDir;

use salesdesk::cli::Cli;

mod common;

fn db_path(dir: &TempDir) -> PathBuf {
    dir.path().join("t.db")
}

fn config_path(dir: &TempDir) -> PathBuf {
    dir.path().join("config.toml")
}

/// `salesdesk` as a Chinese user runs it: `LANG=zh_CN.UTF-8`, nothing in `LC_ALL`.
fn in_chinese(mut cmd: Command) -> Command {
    cmd.env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "zh_CN.UTF-8")
        .env_remove("PGPASSWORD");
    cmd
}

/// `salesdesk --db <dir>/t.db` in Chinese.
fn zh(dir: &TempDir) -> Command {
    in_chinese(common::salesdesk(&db_path(dir), &config_path(dir)))
}

/// stdout of a command that must succeed.
fn ok(dir: &TempDir, args: &[&str]) -> String {
    let out = zh(dir).args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

/// stderr of a command that must fail with `code`.
fn refused(dir: &TempDir, args: &[&str], code: i32) -> String {
    let out = zh(dir).args(args).assert().code(code);
    String::from_utf8(out.get_output().stderr.clone()).unwrap()
}

/// Whether `text` holds a run of `words` or more English words in a row (a sentence
/// left untranslated): words of two or more ASCII letters separated by single spaces.
/// Names a user typed and commands quoted in backticks are the caller's to leave out.
fn english_run(text: &str, words: usize) -> Option<String> {
    for line in text.lines() {
        let mut run: Vec<&str> = Vec::new();
        for token in line.split(|c: char| !(c.is_ascii_alphabetic() || c == '\'' || c == ' ')) {
            for word in token.split(' ') {
                if word.len() >= 2 && word.chars().all(|c| c.is_ascii_alphabetic() || c == '\'') {
                    run.push(word);
                    if run.len() >= words {
                        return Some(format!("{} (in: {line})", run.join(" ")));
                    }
                } else {
                    run.clear();
                }
            }
            run.clear();
        }
    }
    None
}

/// Asserts that `text` speaks Chinese and holds no English sentence. Commands quoted in
/// backticks and example command lines (from `salesdesk` to the end of the line) are
/// commands, not sentences, and are left out of the check.
fn assert_chinese(what: &str, text: &str) {
    let prose: String = text
        .lines()
        .map(|line| {
            let line = line.split("salesdesk ").next().unwrap_or_default();
            let mut kept = String::new();
            for (i, part) in line.split('`').enumerate() {
                if i % 2 == 0 {
                    kept.push_str(part);
                    kept.push(' ');
                }
            }
            kept + "\n"
        })
        .collect();
    assert!(
        text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{what}: no Chinese in:\n{text}"
    );
    if let Some(run) = english_run(&prose, 4) {
        panic!("{what}: English left: {run}\n{text}");
    }
}

/// Fails when `text` (what `what` printed) holds any of `english`.
fn assert_says_none(what: &str, text: &str, english: &[&str]) {
    for word in english {
        assert!(!text.contains(word), "{what} says {word:?}:\n{text}");
    }
}

/// Every command's path: `[]`, `["deal"]`, `["deal", "add"]` …
fn command_paths() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        out.push(path.clone());
        // clap's `help` subcommands take no --help of their own.
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            path.push(sub.get_name().to_string());
            walk(sub, path, out);
            path.pop();
        }
    }
    let mut cmd = Cli::command();
    cmd.build();
    let mut out = Vec::new();
    walk(&cmd, &mut Vec::new(), &mut out);
    out
}

#[test]
fn every_help_page_is_chinese_without_clap_english_scaffold() {
    let dir = TempDir::new().unwrap();
    let paths = command_paths();
    assert!(paths.len() > 50, "{}", paths.len());
    let scaffold = [
        "Usage",
        "Options",
        "Arguments",
        "Commands",
        "Print help",
        "Print version",
        "[OPTIONS]",
        "default:",
        "possible values",
        "Examples:",
    ];
    for path in &paths {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let help = ok(&dir, &args);
        assert_says_none(&format!("{args:?}"), &help, &scaffold);
        assert!(help.contains("用法："), "{args:?}:\n{help}");
        assert_chinese(&format!("{args:?}"), &help);
        assert!(help.contains("显示帮助"), "{args:?}:\n{help}");
    }
    // `help deal add` is the same page as `deal add --help`.
    assert_eq!(
        ok(&dir, &["help", "deal", "add"]),
        ok(&dir, &["deal", "add", "--help"])
    );
    // Defaults and choices are said in Chinese.
    let report = ok(&dir, &["report", "--help"]);
    assert!(report.contains("[默认：month]"), "{report}");
    let completions = ok(&dir, &["completions", "--help"]);
    assert!(completions.contains("[可选值：bash, zsh"), "{completions}");
    assert!(completions.contains("安装："), "{completions}");
    let top = ok(&dir, &["--help"]);
    assert!(top.contains("退出码") && top.contains("打开看板"), "{top}");
}

#[test]
fn a_command_line_clap_cannot_read_is_refused_in_chinese() {
    let dir = TempDir::new().unwrap();
    let cases: [(&[&str], &str); 6] = [
        (&["deal", "add"], "缺少以下必需的参数"),
        (&["deal", "lis"], "无法识别的子命令 'lis'"),
        (&["--frob"], "无法识别的参数 '--frob'"),
        (&["deal", "add", "X", "--amount"], "需要一个值"),
        (&["demo", "--scale", "abc"], "它不是整数"),
        (&["completions", "tcsh"], "不是 '<SHELL>' 的有效值"),
    ];
    for (args, said) in cases {
        let stderr = refused(&dir, args, 2);
        assert!(stderr.starts_with("错误："), "{args:?}:\n{stderr}");
        assert!(stderr.contains(said), "{args:?}:\n{stderr}");
        assert_says_none(
            &format!("{args:?}"),
            &stderr,
            &[
                "error:",
                "Usage",
                "[OPTIONS]",
                "For more information",
                "tip:",
                "required arguments",
                "possible values",
            ],
        );
        assert!(stderr.contains("更多信息请运行"), "{args:?}:\n{stderr}");
        assert!(
            !db_path(&dir).exists(),
            "a refused command line made a database"
        );
    }
    let stderr = refused(&dir, &["deal", "lis"], 2);
    assert!(
        stderr.contains("提示：") && stderr.contains("'list'"),
        "{stderr}"
    );
    let stderr = refused(&dir, &["deal", "add"], 2);
    assert!(
        stderr.contains("用法： salesdesk deal add [选项] --customer <CUSTOMER> <TITLE>"),
        "{stderr}"
    );
    // With --json: the same kind and exit status as in English, the message in Chinese.
    let stderr = refused(&dir, &["--json", "deal", "add"], 2);
    let err: Value = serde_json::from_str(&stderr).unwrap();
    assert_eq!(err["error"]["kind"], "usage");
    let message = err["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("缺少以下必需的参数") && message.contains("--customer"),
        "{message}"
    );
}

#[test]
fn the_man_page_is_chinese() {
    let dir = TempDir::new().unwrap();
    let page = ok(&dir, &["man", "deal", "add"]);
    for section in [".SH 名称", ".SH 概要", ".SH 描述", ".SH 选项", ".SH 参数"] {
        assert!(page.contains(section), "{section}:\n{page}");
    }
    assert_says_none(
        "man deal add",
        &page,
        &[
            ".SH NAME",
            ".SH SYNOPSIS",
            ".SH DESCRIPTION",
            ".SH OPTIONS",
            "[OPTIONS]",
            "Print help",
            "Examples:",
        ],
    );
    assert!(page.contains("新增商机"), "{page}");
    let top = ok(&dir, &["man"]);
    assert!(
        top.contains(".SH 命令") || top.contains(".SH 子命令"),
        "{top}"
    );
    let man_dir = dir.path().join("man");
    let said = ok(&dir, &["man", "--dir", man_dir.to_str().unwrap()]);
    assert!(said.starts_with("已把"), "{said}");
    let written = std::fs::read_to_string(man_dir.join("salesdesk-team-sync.1"))
        .or_else(|_| std::fs::read_to_string(man_dir.join("salesdesk-sync.1")))
        .unwrap();
    assert!(written.contains(".SH 名称"), "{written}");
    let stderr = refused(&dir, &["man", "deal", "ad"], 1);
    assert!(
        stderr.starts_with("错误：没有“deal ad”的手册页"),
        "{stderr}"
    );
}

#[test]
fn the_english_check_finds_a_sentence_and_passes_names() {
    assert!(english_run("警告：the team database did not let you", 4).is_some());
    assert!(english_run("已同步 ACME renewal (1a2b3c4d)", 4).is_none());
    assert!(english_run("用法： salesdesk deal add [选项]", 4).is_none());
}

/// `salesdesk` run by `who` (their own database and config, `me.name` set) in `dir`.
fn zh_as(dir: &TempDir, who: &str) -> Command {
    let config = dir.path().join(format!("{who}.toml"));
    if !config.exists() {
        std::fs::write(&config, format!("[me]\nname = \"{who}\"\n")).unwrap();
    }
    in_chinese(common::salesdesk(
        &dir.path().join(format!("{who}.db")),
        &config,
    ))
}

fn out_of(assert: &assert_cmd::assert::Assert) -> (String, String) {
    let out = assert.get_output();
    (
        String::from_utf8(out.stdout.clone()).unwrap(),
        String::from_utf8(out.stderr.clone()).unwrap(),
    )
}

#[test]
fn team_commands_and_sync_speak_chinese() {
    let dir = TempDir::new().unwrap();
    let team = dir.path().join("team.salesdesk");
    let team_arg = team.to_str().unwrap();
    let ann = |args: &[&str]| zh_as(&dir, "ann").args(args).assert();
    let ben = |args: &[&str]| zh_as(&dir, "ben").args(args).assert();
    ann(&[
        "deal",
        "add",
        "华为 pilot",
        "--customer",
        "华为",
        "--amount",
        "100",
    ])
    .success();
    // Refusals: not linked, a name that is not a team file's.
    let (_, err) = out_of(&ann(&["sync"]).code(1));
    assert!(err.starts_with("错误：此数据库未关联团队文件"), "{err}");
    assert_chinese("sync unlinked", &err);
    let bad_name = dir.path().join("team.txt");
    let (_, err) = out_of(&ann(&["team", "init", bad_name.to_str().unwrap()]).code(1));
    assert!(err.contains("的扩展名不是 .salesdesk"), "{err}");
    let (out, _) = out_of(&ann(&["team", "init", team_arg]).success());
    assert!(
        out.starts_with("已用") && out.contains("创建团队文件"),
        "{out}"
    );
    assert_chinese("team init", &out);
    let (out, _) = out_of(&ben(&["team", "join", team_arg]).success());
    assert!(
        out.contains("已加入团队文件") && out.contains("来自同事"),
        "{out}"
    );
    assert_chinese("team join", &out);
    // Both change the amount; Ben syncs first, so Ann's value is replaced: a conflict.
    ben(&["deal", "edit", "华为 pilot", "--amount", "500"]).success();
    ann(&["deal", "edit", "华为 pilot", "--amount", "700"]).success();
    ben(&["sync"]).success();
    let (out, _) = out_of(&ann(&["sync"]).success());
    assert!(out.contains("你的 1 个值被同事的修改替换"), "{out}");
    assert_chinese("sync", &out);
    let (status, _) = out_of(&ann(&["team", "status"]).success());
    for words in ["团队文件", "上次同步", "刚刚", "成员", "1 个待处理"] {
        assert!(status.contains(words), "{words}:\n{status}");
    }
    assert_chinese("team status", &status);
    let (list, _) = out_of(&ann(&["team", "conflicts"]).success());
    assert!(
        list.contains("商机华为 pilot的金额") && list.contains("你的"),
        "{list}"
    );
    assert_chinese("team conflicts", &list);
    let (out, _) = out_of(&ann(&["team", "resolve", "1", "--keep", "mine"]).success());
    assert!(out.starts_with("已恢复你对"), "{out}");
    let (out, _) = out_of(&ann(&["team", "conflicts"]).success());
    assert_eq!(out.trim(), "没有待处理的冲突。");
    // The hub's URL checks need no server.
    let (_, err) = out_of(&ann(&["team", "leave"]).success());
    assert!(err.is_empty(), "{err}");
    let (_, err) = out_of(&ann(&["team", "join", "postgres://sales:secret@db/team"]).code(1));
    assert!(err.contains("URL 中包含密码"), "{err}");
    let (_, err) = out_of(&ann(&["team", "join", "postgres://db:99999/team"]).code(1));
    assert!(
        err.contains("不是 PostgreSQL URL") && err.contains("端口"),
        "{err}"
    );
    assert_chinese("hub url", &err);
    let (_, err) = out_of(&ann(&["team", "add-member", "bob", "--role", "rep"]).code(1));
    assert!(err.starts_with("错误：此数据库未关联团队文件"), "{err}");
}

#[test]
fn a_row_kept_out_of_a_team_file_is_explained_in_chinese() {
    let dir = TempDir::new().unwrap();
    let team = dir.path().join("team.salesdesk");
    let team_arg = team.to_str().unwrap();
    let ann = |args: &[&str]| zh_as(&dir, "ann").args(args).assert();
    let ben = |args: &[&str]| zh_as(&dir, "ben").args(args).assert();
    ann(&[
        "deal",
        "add",
        "ACME",
        "--customer",
        "ACME",
        "--amount",
        "1200",
    ])
    .success();
    ann(&["team", "init", team_arg]).success();
    ben(&["team", "join", team_arg]).success();
    // Someone with the folder makes the amount negative and stamps it to win.
    common::forge_negative_amounts(&team, None);
    let (_, err) = out_of(&ben(&["sync"]).success());
    assert!(err.starts_with("警告：团队文件中有 1 行违反"), "{err}");
    assert_chinese("sync warning", &err);
    let (status, _) = out_of(&ben(&["team", "status"]).success());
    assert!(status.contains("隔离"), "{status}");
    assert!(status.contains("金额 -5 超出了 0 到"), "{status}");
    assert!(status.contains("[来自 ann]"), "{status}");
    assert_chinese("team status quarantine", &status);
}

#[test]
fn config_errors_name_the_line_in_chinese() {
    let dir = TempDir::new().unwrap();
    let cases = [
        ("cadense = 3\n", "第 1 行", "未知字段 cadense"),
        (
            "mouse = \"yes\"\n",
            "第 1 行",
            "这里应是true 或 false，却是文字 \"yes\"",
        ),
        ("theme = \"neon\"\n", "第 1 行", "主题“neon”不是内置主题"),
        ("[theme]\noverdue = \"purplish\"\n", "第 2 行", "不是颜色"),
        (
            "[keys]\npipeline.move_next = [\"Q\"]\npipeline.add = [\"Q\"]\n",
            "第 3 行",
            "在商机看板中已表示 pipeline.move_next；请换一个按键",
        ),
        (
            "[keys]\npipeline.frob = \"J\"\n",
            "第 2 行",
            "没有命令“frob”",
        ),
        ("[keys]\npipeline.add = \"ctrl-\"\n", "第 2 行", "不是按键"),
        (
            "language = \"xx\"\n",
            "第 1 行",
            "SalesDesk 不会说“xx”这种语言",
        ),
        ("\nfoo = = 3\n", "第 2 行", "这不是有效的 TOML"),
    ];
    for (config, line, said) in cases {
        std::fs::write(config_path(&dir), config).unwrap();
        let err = refused(&dir, &["deal", "list"], 1);
        assert!(err.starts_with("错误：读取配置"), "{config}\n{err}");
        assert!(err.contains(line) && err.contains(said), "{config}\n{err}");
        if !said.contains("TOML") {
            assert_chinese(config, &err);
        }
    }
    std::fs::remove_file(config_path(&dir)).unwrap();
    let err = zh(&dir)
        .env("SALESDESK_NOW", "yesterday")
        .args(["deal", "add", "X", "--customer", "Y"])
        .assert()
        .code(1);
    let (_, err) = out_of(&err);
    assert!(
        err.contains("不是 2026-11-25T10:00:00+08:00 这样的 RFC 3339 时间"),
        "{err}"
    );
    let err = zh(&dir)
        .env("SALESDESK_NOW", "2999-01-01T00:00:00Z")
        .args(["deal", "add", "X", "--customer", "Y"])
        .assert()
        .code(1);
    let (_, err) = out_of(&err);
    assert!(err.contains("超前一天以上"), "{err}");
    assert_chinese("SALESDESK_NOW", &err);
    assert!(!db_path(&dir).exists());
}

#[test]
fn custom_field_types_and_import_limits_are_said_in_chinese() {
    let dir = TempDir::new().unwrap();
    let out = ok(
        &dir,
        &[
            "field",
            "add",
            "deal",
            "大小",
            "--type",
            "multi-choice",
            "--choices",
            "S,M",
        ],
    );
    assert!(out.contains("多选"), "{out}");
    ok(&dir, &["field", "add", "deal", "已签", "--type", "yes/no"]);
    let list = ok(&dir, &["field", "list"]);
    assert!(list.contains("多选") && list.contains("是/否"), "{list}");
    assert!(
        !list.contains("multi-choice") && !list.contains("yes/no"),
        "{list}"
    );
    let err = refused(&dir, &["field", "add", "deal", "X", "--type", "blob"], 1);
    assert!(err.contains("“blob”不是字段类型"), "{err}");
    // A file that is not what it says.
    let vcf = dir.path().join("phone.vcf");
    std::fs::write(&vcf, "hello\n").unwrap();
    let err = refused(&dir, &["import", "contacts", vcf.to_str().unwrap()], 1);
    assert!(err.contains("该文件不是 vCard 文件"), "{err}");
    assert_chinese("vcard", &err);
    let wide = dir.path().join("wide.csv");
    let header: Vec<String> = (0..1001).map(|i| format!("c{i}")).collect();
    std::fs::write(&wide, format!("{}\n", header.join(","))).unwrap();
    let err = refused(&dir, &["import", "deals", wide.to_str().unwrap()], 1);
    assert!(err.contains("表头超过 1000 列；文件最多 1000 列"), "{err}");
    assert_chinese("csv", &err);
}

#[test]
fn refusals_of_the_use_cases_are_chinese_and_change_nothing() {
    let dir = TempDir::new().unwrap();
    ok(&dir, &["deal", "add", "华为 pilot", "--customer", "华为"]);
    let id = {
        let out = ok(
            &dir,
            &[
                "--json",
                "activity",
                "schedule",
                "--deal",
                "华为 pilot",
                "--due",
                "+1d",
                "打电话",
            ],
        );
        let v: Value = serde_json::from_str(&out).unwrap();
        v["id"].as_str().unwrap().to_string()
    };
    ok(&dir, &["activity", "done", &id]);
    let backup = dir.path().join("t.db");
    let cases: Vec<(Vec<&str>, i32, &str)> = vec![
        (
            vec!["deal", "add", "X", "--customer", "Y", "--stage", "Nowhere"],
            1,
            "没有名为“Nowhere”的阶段",
        ),
        (
            vec!["customer", "delete", "华为"],
            1,
            "华为 有 1 个进行中的商机",
        ),
        (
            vec!["field", "add", "deal", "A=B", "--type", "text"],
            1,
            "含有“=”或“,”",
        ),
        (vec!["activity", "done", &id], 1, "“打电话”已经完成"),
        (
            vec!["customer", "edit", "华为", "--untag", "VIP"],
            1,
            "华为 没有标签“VIP”",
        ),
        (
            vec!["report", "--period", "decade"],
            1,
            "“decade”不是报表周期",
        ),
        (vec!["report", "--period", "2999"], 1, "还没有开始"),
        (
            vec![
                "activity",
                "log",
                "--kind",
                "party",
                "--deal",
                "华为 pilot",
                "x",
            ],
            1,
            "“party”不是活动类型",
        ),
        (
            vec!["backup", backup.to_str().unwrap()],
            1,
            "已存在；请换一个新文件名",
        ),
    ];
    for (args, code, said) in cases {
        let before = std::fs::read(db_path(&dir)).unwrap();
        let err = refused(&dir, &args, code);
        assert!(
            err.starts_with("错误：") && err.contains(said),
            "{args:?}\n{err}"
        );
        assert_chinese(&format!("{args:?}"), &err);
        assert_eq!(
            before,
            std::fs::read(db_path(&dir)).unwrap(),
            "{args:?} changed the book"
        );
    }
}

#[test]
fn the_demo_book_is_made_in_chinese_words() {
    let dir = TempDir::new().unwrap();
    let said = ok(&dir, &["demo", "--scale", "20"]);
    assert!(said.starts_with("演示数据已写入"), "{said}");
    let activities = ok(&dir, &["activity", "list"]);
    let exported = ok(&dir, &["export", "deals"]);
    let demo_english = [
        "Demo for the team",
        "Follow up on quote",
        "Quarterly review",
        "existing customer",
        "support contract",
    ];
    assert_says_none("activity list", &activities, &demo_english);
    assert_says_none("export deals", &exported, &demo_english);
    assert!(
        [
            "给团队做演示",
            "跟进报价",
            "季度回顾",
            "需求调研电话",
            "初次电话"
        ]
        .iter()
        .any(|s| activities.contains(s)),
        "{activities}"
    );
    let err = refused(&dir, &["demo"], 1);
    assert!(err.contains("此数据库中已有客户或商机"), "{err}");
}
