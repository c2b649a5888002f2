//! `salesdesk team …` and `salesdesk sync`: the team file and its conflicts log.

use anyhow::Result;
use rusqlite::types::Value;
use serde_json::{Value as Json, json};

use unicode_width::UnicodeWidthStr;

use super::output::{clean, local_time, print_json, rfc3339, truncate};
use super::{Ctx, Exit};
use crate::cli::TeamCmd;
use crate::domain::time::Zone;
use crate::store::Store;
use crate::store::conflicts::{self, Conflict, Keep, Resolution};
use crate::sync::postgres::{self, Kind, conninfo::Env};
use crate::sync::review::{describe_row, field_label, refusal, show_value, who};
use crate::sync::team::{self, SyncError, SyncReport, TeamLink};
use crate::usecase;

pub fn run(cmd: TeamCmd, ctx: &mut Ctx) -> Result<Exit> {
    match cmd {
        TeamCmd::Init { path } => {
            let link = team::init(&ctx.store, &path)?;
            if ctx.json {
                print_json(&link_json(&link))?;
            } else if let Some(url) = link.hub() {
                outln!(
                    "Made the team in the database {url} from {}.",
                    ctx.db_path.display()
                );
                outln!(
                    "Give each teammate a login with `salesdesk team add-member NAME --role rep|manager|admin`; it prints how they join. Everyone syncs with `salesdesk sync`."
                );
            } else {
                outln!(
                    "Made the team file {} from {}.",
                    link.path.display(),
                    ctx.db_path.display()
                );
                outln!(
                    "Teammates join with `salesdesk team join {}` (once their sync service has the file); everyone syncs with `salesdesk sync`.",
                    link.path.display()
                );
            }
        }
        TeamCmd::Join { path } => {
            let (link, report) = team::join(&ctx.store, &path)?;
            if ctx.json {
                print_json(&json!({"link": link_json(&link), "sync": report_json(&report)}))?;
            } else {
                match link.hub() {
                    Some(url) => outln!("Joined the team in the database {url}."),
                    None => outln!("Joined the team file {}.", link.path.display()),
                }
                print_report(&report);
            }
        }
        TeamCmd::Status => status(ctx)?,
        TeamCmd::Leave => {
            // A hub is told first, while this database still knows where it is; an
            // unreachable one does not keep anyone in a team they are leaving.
            let released = match team::team_link(&ctx.store)? {
                Some(l) if l.hub().is_some() => {
                    Some(postgres::release(&ctx.store, &Env::from_process()))
                }
                _ => None,
            };
            let link = team::leave(&ctx.store)?;
            match &released {
                Some(Ok(())) if !ctx.json => outln!("{}", crate::t!("team-left-released")),
                Some(Err(e)) => {
                    crate::text::say(&crate::t!("team-left-not-released", why = e.to_string()))
                }
                _ => {}
            }
            if ctx.json {
                print_json(&json!({"left": link_json(&link)}))?;
            } else {
                outln!(
                    "Left the team {} {}; it and all your data stay where they are.",
                    if link.hub().is_some() {
                        "database"
                    } else {
                        "file"
                    },
                    link.path.display()
                );
            }
        }
        TeamCmd::Conflicts { all } => conflicts(ctx, all)?,
        TeamCmd::MoveTo { url } => {
            let (link, report) = postgres::move_to(&ctx.store, &url)?;
            if ctx.json {
                print_json(&json!({"link": link_json(&link), "sync": report_json(&report)}))?;
            } else {
                print_report(&report);
                outln!(
                    "Moved the team to the database {}; this database now syncs there.",
                    link.path.display()
                );
                outln!(
                    "Teammates switch with `salesdesk team join {}` (their own logins: `salesdesk team add-member`); their changes since their last sync go up then. The team file stays as it was.",
                    link.path.display()
                );
            }
        }
        TeamCmd::AddMember {
            name,
            role,
            password_file,
            member,
        } => add_member(
            ctx,
            &name,
            &role,
            password_file.as_deref(),
            member.as_deref(),
        )?,
        TeamCmd::Role { name, role } => {
            let kind: Kind = role.parse().map_err(anyhow::Error::msg)?;
            postgres::set_role(&ctx.store, &Env::from_process(), &name, kind)?;
            if ctx.json {
                print_json(&json!({"member": name, "role": kind.as_str()}))?;
            } else {
                outln!("{} is now a {}.", clean(&name), kind.as_str());
            }
        }
        TeamCmd::RemoveMember { name } => {
            postgres::remove_member(&ctx.store, &Env::from_process(), &name)?;
            if ctx.json {
                print_json(&json!({"removed": name}))?;
            } else {
                outln!(
                    "Removed {} from the team: their login can no longer sync. Their records stay; reassign their customers with `salesdesk customer edit`.",
                    clean(&name)
                );
            }
        }
        TeamCmd::Resolve { id, keep } => {
            let keep: Keep = keep.parse().map_err(anyhow::Error::msg)?;
            let (c, _) = usecase::conflicts::resolve(&mut ctx.store, id, keep)?;
            if ctx.json {
                print_json(&conflict_json(&ctx.store, &c))?;
            } else {
                let what = describe_row(&c);
                match keep {
                    Keep::Theirs => {
                        outln!("Kept {}'s {} of {what}.", who(&c), field_label(&c.field))
                    }
                    Keep::Mine => outln!(
                        "Restored your {} of {what} ({}); teammates get it on their next sync.",
                        field_label(&c.field),
                        show_value(ctx.store.conn(), &c, &c.mine, Zone::Local)
                    ),
                }
            }
        }
    }
    Ok(0)
}

/// `team add-member`: the password from a file, or a new one printed once.
fn add_member(
    ctx: &mut Ctx,
    name: &str,
    role: &str,
    password_file: Option<&std::path::Path>,
    member: Option<&str>,
) -> Result<()> {
    let kind: Kind = role.parse().map_err(anyhow::Error::msg)?;
    let member = match member {
        None => None,
        Some(reference) => {
            let all = crate::store::members::list(ctx.store.conn())?;
            let found: Vec<_> = all
                .iter()
                .filter(|m| m.id == reference || m.name.eq_ignore_ascii_case(reference))
                .collect();
            match found.as_slice() {
                [one] => Some(one.id.clone()),
                [] => anyhow::bail!(
                    "no member is named '{}'; `salesdesk team status` lists them",
                    clean(reference)
                ),
                _ => anyhow::bail!(
                    "more than one member is named '{}'; give the id (`salesdesk --json team status`)",
                    clean(reference)
                ),
            }
        }
    };
    let (password, made) = match password_file {
        Some(file) => {
            let text = std::fs::read_to_string(file)
                .map_err(|e| anyhow::anyhow!("reading {}: {e}", file.display()))?;
            let password = text.trim_end_matches(['\n', '\r']).to_string();
            if password.is_empty() {
                anyhow::bail!("{} is empty; put the password in it", file.display());
            }
            (password, false)
        }
        None => (
            std::iter::repeat_with(fastrand::alphanumeric)
                .take(20)
                .collect::<String>(),
            true,
        ),
    };
    let url = postgres::add_member(
        &ctx.store,
        &Env::from_process(),
        name,
        kind,
        &password,
        member.as_deref(),
    )?;
    if ctx.json {
        print_json(&json!({
            "member": name, "role": kind.as_str(), "join_url": url,
            "password": if made { Some(password.as_str()) } else { None },
        }))?;
        return Ok(());
    }
    outln!("Added {} to the team as a {}.", clean(name), kind.as_str());
    if made {
        outln!("Their password: {password}  (pass it on privately; it is not shown again)");
    }
    outln!(
        "They join with `salesdesk team join {url}`, their password in PGPASSWORD or in ~/.pgpass."
    );
    Ok(())
}

/// `salesdesk sync`.
pub fn sync(ctx: &mut Ctx) -> Result<Exit> {
    let link = team::team_link(&ctx.store)?.ok_or(SyncError::NotLinked)?;
    let report = team::sync(&ctx.store, &link)?;
    if ctx.json {
        print_json(&report_json(&report))?;
    } else {
        print_report(&report);
    }
    Ok(0)
}

fn link_json(link: &TeamLink) -> Json {
    json!({"team_file": link.path.display().to_string(), "team_id": link.team_id})
}

fn report_json(r: &SyncReport) -> Json {
    json!({
        "team_file": r.team_file.display().to_string(),
        "rows_added": r.merged.rows_added,
        "fields_updated": r.merged.fields_updated,
        "new_conflicts": r.merged.conflicts,
        "future_clocks_refused": r.merged.future_clocks,
        "quarantined": r.merged.quarantined,
        "replaced_after_seen": r.merged.seen,
        "created": r.created,
        "refused_by_hub": r.refused_by_hub,
        "hub_rewound": r.hub_rewound,
        "unseen_from_file": r.unseen_from_file,
        "copies_merged": r.copies_merged.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
        "copies_skipped": r.copies_skipped.iter()
            .map(|(p, why)| json!({"file": p.display().to_string(), "why": why}))
            .collect::<Vec<_>>(),
        "at": rfc3339(r.at),
    })
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn print_report(r: &SyncReport) {
    let m = &r.merged;
    let parts: Vec<String> = [
        (m.rows_added, "new record", "new records"),
        (m.fields_updated, "changed field", "changed fields"),
    ]
    .into_iter()
    .filter(|(n, ..)| *n > 0)
    .map(|(n, one, many)| plural(n, one, many))
    .collect();
    let changes = if parts.is_empty() {
        "no changes from teammates".to_string()
    } else {
        format!("{} from teammates", parts.join(" and "))
    };
    outln!("Synced with {}: {changes}.", r.team_file.display());
    if r.created {
        outln!("The team file was missing, so it was written afresh from this database.");
    }
    if m.conflicts > 0 {
        outln!(
            "{} replaced by a teammate's; review with `salesdesk team conflicts`.",
            plural(m.conflicts, "value of yours was", "values of yours were")
        );
    }
    if m.seen > 0 {
        outln!(
            "{} changed by teammates who said they had seen yours; `salesdesk team conflicts --all` lists them.",
            plural(m.seen, "value of yours was", "values of yours were")
        );
    }
    if m.quarantined > 0 {
        eprintln!(
            "warning: {} from the team file broke SalesDesk's rules and {} kept out; `salesdesk team status` says whose and why.",
            plural(m.quarantined, "row", "rows"),
            if m.quarantined == 1 { "was" } else { "were" }
        );
    }
    if r.refused_by_hub > 0 {
        crate::text::say(&crate::t!("team-sync-refused", count = r.refused_by_hub));
    }
    if r.hub_rewound {
        crate::text::say(&crate::t!("team-sync-rewound"));
    }
    if r.unseen_from_file > 0 {
        crate::text::say(&crate::t!("team-join-file-era", count = r.unseen_from_file));
    }
    if m.future_clocks > 0 {
        crate::text::say(&format!(
            "warning: {} not merged: stamped more than a day ahead of this machine's time (a teammate's clock is wrong, or the team file was tampered with).",
            plural(m.future_clocks, "value was", "values were")
        ));
    }
    if !r.copies_merged.is_empty() {
        outln!(
            "Merged and removed {}.",
            plural(r.copies_merged.len(), "conflict copy", "conflict copies")
        );
    }
    for (path, why) in &r.copies_skipped {
        crate::text::say(&format!("note: left {} alone: {why}", path.display()));
    }
}

fn status(ctx: &mut Ctx) -> Result<()> {
    let s = team::status(&ctx.store)?;
    let now = ctx.now_millis();
    let refused = conflicts::pending_refused(ctx.store.conn())?;
    // A hub is asked who its logins are; offline, status says so and goes on.
    let logins = match &s.link {
        Some(l) if l.hub().is_some() => {
            Some(postgres::members(&ctx.store, &Env::from_process()).map_err(|e| e.to_string()))
        }
        _ => None,
    };
    if ctx.json {
        print_json(&json!({
            "linked": s.link.is_some(),
            "team_file": s.link.as_ref().map(|l| l.path.display().to_string()),
            "team_id": s.link.as_ref().map(|l| l.team_id.clone()),
            "team_file_exists": s.team_file_exists,
            "last_sync": s.last_sync.map(rfc3339),
            "members": s.members.iter().map(|m| json!({
                "id": m.id, "name": m.name, "email": m.email, "me": m.id == s.me,
            })).collect::<Vec<_>>(),
            "pending_conflicts": s.pending_conflicts,
            "refused_edits": refused,
            "logins": match &logins {
                Some(Ok(list)) => json!(list.iter().map(|m| json!({
                    "login": m.login, "role": m.kind, "member_ids": m.member_ids,
                })).collect::<Vec<_>>()),
                Some(Err(why)) => json!({"error": why}),
                None => Json::Null,
            },
            "waiting_copies": s.waiting_copies.iter().map(|p| p.display().to_string()).collect::<Vec<_>>(),
            "quarantined": s.quarantined,
            "quarantine": s.quarantine.iter().map(|q| json!({
                "site": q.site, "member": q.member, "member_name": q.member_name,
                "table": q.table, "row_id": q.row_id, "field": q.field, "reason": q.reason,
                "kept_out": q.skipped, "first_at": rfc3339(q.first_at),
                "last_at": rfc3339(q.last_at), "times": q.times,
            })).collect::<Vec<_>>(),
        }))?;
        return Ok(());
    }
    let Some(link) = &s.link else {
        outln!("{}", crate::t!("team-not-linked"));
        return Ok(());
    };
    let missing = if s.team_file_exists {
        String::new()
    } else {
        crate::t!("team-file-missing")
    };
    let label = if link.hub().is_some() {
        crate::t!("team-label-team")
    } else {
        crate::t!("team-label-team-file")
    };
    let pad = |label: String| crate::text::pad(&label, 11);
    outln!("{}{}{missing}", pad(label), link.path.display());
    let last = match s.last_sync {
        Some(at) => format!("{} ({})", local_time(at), ago(now - at)),
        None => crate::t!("never"),
    };
    outln!("{}{last}", pad(crate::t!("team-label-last-sync")));
    let members: Vec<String> = s
        .members
        .iter()
        .map(|m| {
            let email = m
                .email
                .as_deref()
                .map(|e| format!(" <{e}>"))
                .unwrap_or_default();
            let me = if m.id == s.me {
                crate::t!("team-you")
            } else {
                String::new()
            };
            clean(&format!("{}{email}{me}", m.name))
        })
        .collect();
    outln!(
        "{}{}",
        pad(crate::t!("team-label-members")),
        members.join(", ")
    );
    if let Some(logins) = &logins {
        let text = match logins {
            Ok(list) => list
                .iter()
                .map(|m| {
                    let names: Vec<String> = m
                        .member_ids
                        .iter()
                        .map(|id| {
                            s.members.iter().find(|x| &x.id == id).map_or_else(
                                || crate::domain::ids::short_id(id).to_string(),
                                |x| x.name.clone(),
                            )
                        })
                        .collect();
                    let role = crate::i18n::noun(&m.kind);
                    if names.is_empty() {
                        crate::t!("team-login", login = m.login.as_str(), role = role)
                    } else {
                        crate::t!(
                            "team-login-members",
                            login = m.login.as_str(),
                            role = role,
                            members = names.join(", ")
                        )
                    }
                })
                .collect::<Vec<_>>()
                .join(", "),
            Err(why) => crate::t!("team-logins-offline", why = why.as_str()),
        };
        outln!("{}{}", pad(crate::t!("team-label-logins")), clean(&text));
    }
    let conflicts = pad(crate::t!("team-label-conflicts"));
    if s.pending_conflicts > 0 {
        outln!(
            "{conflicts}{}",
            crate::t!("team-conflicts-pending", count = s.pending_conflicts)
        );
    } else {
        outln!("{conflicts}{}", crate::t!("team-conflicts-none"));
    }
    if refused > 0 {
        outln!(
            "{}{}",
            pad(crate::t!("team-label-refused")),
            crate::t!("team-refused-pending", count = refused)
        );
    }
    if !s.waiting_copies.is_empty() {
        outln!(
            "Waiting    {} beside the team file, merged on the next sync",
            plural(s.waiting_copies.len(), "conflict copy", "conflict copies")
        );
    }
    if !s.quarantine.is_empty() {
        outln!(
            "Quarantine {} from teammates' files kept out for breaking SalesDesk's rules; latest:",
            plural(usize::try_from(s.quarantined).unwrap_or(0), "row", "rows")
        );
        for q in &s.quarantine {
            let who = match (&q.member_name, &q.member) {
                (Some(name), _) => name.clone(),
                (None, Some(member)) => format!("member {}", crate::domain::ids::short_id(member)),
                (None, None) if q.site.is_empty() => "an unknown writer".to_string(),
                (None, None) => format!("site {}", q.site),
            };
            let what = if q.field.is_empty() {
                format!("{} {}", q.table, crate::domain::ids::short_id(&q.row_id))
            } else {
                format!(
                    "{} {} {}",
                    q.table,
                    crate::domain::ids::short_id(&q.row_id),
                    q.field
                )
            };
            let kept = if q.skipped { "" } else { " (merged, noted)" };
            outln!(
                "  {}  {}: {}{kept}  [from {}]",
                local_time(q.last_at),
                truncate(&what, 60),
                truncate(&q.reason, 120),
                truncate(&who, 40)
            );
        }
    }
    Ok(())
}

/// "3 min ago" for the last sync.
fn ago(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    match s {
        0..5 => "just now".to_string(),
        5..60 => format!("{s} s ago"),
        60..3600 => format!("{} min ago", s / 60),
        3600..86_400 => format!("{} h ago", s / 3600),
        _ => format!("{} days ago", s / 86_400),
    }
}

fn conflicts(ctx: &mut Ctx, all: bool) -> Result<()> {
    let list = conflicts::conflicts(ctx.store.conn(), all)?;
    if ctx.json {
        print_json(&Json::Array(
            list.iter().map(|c| conflict_json(&ctx.store, c)).collect(),
        ))?;
        return Ok(());
    }
    if list.is_empty() {
        outln!(
            "{}",
            if all {
                "No conflicts: no value of yours was ever replaced by a teammate's."
            } else {
                "No pending conflicts."
            }
        );
        let seen = conflicts::seen_count(ctx.store.conn())?;
        if !all && seen > 0 {
            outln!(
                "{} changed by teammates who said they had seen yours; `salesdesk team conflicts --all` lists them.",
                plural(
                    usize::try_from(seen).unwrap_or(0),
                    "value of yours was",
                    "values of yours were"
                )
            );
        }
        return Ok(());
    }
    // A block per conflict: values can be long, and each needs its own line.
    for c in &list {
        let state = match (c.resolution, c.resolved_at) {
            (Some(Resolution::Seen), _) => format!("  ({} changed it after seeing yours)", who(c)),
            (Some(k), Some(at)) => format!("  (kept {}, {})", k.as_str(), local_time(at)),
            _ => String::new(),
        };
        if let Some(why) = c.refused {
            // My own edit, kept here: the team's server did not accept it.
            outln!(
                "#{}  {} of {}{}{state}",
                c.id,
                field_label(&c.field),
                truncate(&describe_row(c), 50),
                crate::t!("team-conflict-refused")
            );
            let value = truncate(&show_value(ctx.store.conn(), c, &c.mine, Zone::Local), 46);
            let when = c.mine_at().map(local_time).unwrap_or_default();
            let gap = 48usize.saturating_sub(value.width());
            outln!("    yours  {value}{}{when}", " ".repeat(gap));
            outln!(
                "{}",
                crate::t!("team-conflict-why", why = refusal(ctx.store.conn(), c, why))
            );
            continue;
        }
        outln!(
            "#{}  {} of {}{state}",
            c.id,
            field_label(&c.field),
            truncate(&describe_row(c), 50)
        );
        let theirs = format!("{}'s", who(c));
        let width = theirs.width().max(5);
        for (side, value, at) in [
            ("yours", &c.mine, c.mine_at()),
            (theirs.as_str(), &c.theirs, c.theirs_at()),
        ] {
            let value = truncate(&show_value(ctx.store.conn(), c, value, Zone::Local), 46);
            let pad = width.saturating_sub(side.width());
            let when = at.map(local_time).unwrap_or_default();
            let gap = 48usize.saturating_sub(value.width());
            outln!(
                "    {}{}  {value}{}{when}",
                clean(side),
                " ".repeat(pad),
                " ".repeat(gap)
            );
        }
    }
    if list
        .iter()
        .any(|c| c.resolution.is_none() && c.refused.is_some())
    {
        outln!("{}", crate::t!("team-conflicts-refused-hint"));
    }
    if list
        .iter()
        .any(|c| c.resolution.is_none() && c.refused.is_none())
    {
        outln!(
            "Keep their value with `salesdesk team resolve ID --keep theirs`, or restore yours with `--keep mine`."
        );
    }
    Ok(())
}

fn conflict_json(store: &Store, c: &Conflict) -> Json {
    json!({
        "id": c.id,
        "table": c.table,
        "row_id": c.row_id,
        "label": c.label,
        "field": c.field,
        "mine": sql_json(&c.mine),
        "mine_display": show_value(store.conn(), c, &c.mine, Zone::Local),
        "mine_at": c.mine_at().map(rfc3339),
        "theirs": sql_json(&c.theirs),
        "theirs_display": show_value(store.conn(), c, &c.theirs, Zone::Local),
        "theirs_at": c.theirs_at().map(rfc3339),
        "their_member": c.their_member,
        "their_name": c.their_name,
        "their_site": c.their_site,
        "at": rfc3339(c.at),
        "resolved_at": c.resolved_at.map(rfc3339),
        "resolution": c.resolution.map(Resolution::as_str),
        "refused": c.refused.map(|r| r.as_str()),
        "refused_why": c.refused.map(|r| refusal(store.conn(), c, r)),
    })
}

fn sql_json(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Integer(i) => json!(i),
        Value::Real(f) => json!(f),
        Value::Text(s) => json!(s),
        Value::Blob(b) => json!(format!("({} bytes)", b.len())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_naturally() {
        assert_eq!(ago(1_000), "just now");
        assert_eq!(ago(12_000), "12 s ago");
        assert_eq!(ago(180_000), "3 min ago");
        assert_eq!(ago(2 * 86_400_000), "2 days ago");
    }
}
