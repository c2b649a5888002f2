//! `salesdesk team …` and `salesdesk sync`: the team file and its conflicts log.

use anyhow::Result;
use rusqlite::types::Value;
use serde_json::{Value as Json, json};

use unicode_width::UnicodeWidthStr;

use super::output::{clean, local_time, print_json, rfc3339, truncate};
use super::{Ctx, Exit};
use crate::cli::TeamCmd;
use crate::domain::time::Zone;
use crate::i18n::noun;
use crate::store::Store;
use crate::store::conflicts::{self, Conflict, Keep, Resolution};
use crate::sync::postgres::{self, Kind, conninfo::Env};
use crate::sync::review::{describe_row, field_label, refusal, show_value, who};
use crate::sync::team::{self, SyncError, SyncReport, TeamLink};
use crate::t;
use crate::usecase;
use crate::usecase::team::{HubAdmin, Password};

pub fn run(cmd: TeamCmd, ctx: &mut Ctx) -> Result<Exit> {
    match cmd {
        TeamCmd::Init { path } => {
            let link = team::init(&ctx.store, &path)?;
            if ctx.json {
                print_json(&link_json(&link))?;
            } else if let Some(url) = link.hub() {
                outln!(
                    "{}",
                    t!(
                        "team-made-hub",
                        url = url,
                        db = ctx.db_path.display().to_string()
                    )
                );
                outln!("{}", t!("team-made-hub-next"));
            } else {
                outln!(
                    "{}",
                    t!(
                        "team-made-file",
                        path = link.path.display().to_string(),
                        db = ctx.db_path.display().to_string()
                    )
                );
                outln!(
                    "{}",
                    t!(
                        "team-made-file-next",
                        path = link.path.display().to_string()
                    )
                );
            }
        }
        TeamCmd::Join { path } => {
            let (link, report) = team::join(&ctx.store, &path)?;
            if ctx.json {
                print_json(&json!({"link": link_json(&link), "sync": report_json(&report)}))?;
            } else {
                match link.hub() {
                    Some(url) => outln!("{}", t!("team-joined-hub", url = url)),
                    None => outln!(
                        "{}",
                        t!("team-joined-file", path = link.path.display().to_string())
                    ),
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
                let path = link.path.display().to_string();
                if link.hub().is_some() {
                    outln!("{}", t!("team-left-hub", path = path));
                } else {
                    outln!("{}", t!("team-left-file", path = path));
                }
            }
        }
        TeamCmd::Conflicts { all } => conflicts(ctx, all)?,
        TeamCmd::MoveTo { url } => {
            let (link, report) = postgres::move_to(&ctx.store, &url)?;
            if ctx.json {
                print_json(&json!({"link": link_json(&link), "sync": report_json(&report)}))?;
            } else {
                print_report(&report);
                let url = link.path.display().to_string();
                outln!("{}", t!("team-moved", url = &url));
                outln!("{}", t!("team-moved-next", url = url));
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
            let mut hub = HubAdmin::linked(&ctx.store, &Env::from_process())?;
            usecase::team::set_role(&mut hub, &name, kind)?;
            if ctx.json {
                print_json(&json!({"member": name, "role": kind.as_str()}))?;
            } else {
                outln!(
                    "{}",
                    t!(
                        "team-role-set",
                        name = clean(&name),
                        role = crate::i18n::noun(kind.as_str())
                    )
                );
            }
        }
        TeamCmd::RemoveMember { name } => {
            let mut hub = HubAdmin::linked(&ctx.store, &Env::from_process())?;
            usecase::team::remove_member(&mut hub, &name)?;
            if ctx.json {
                print_json(&json!({"removed": name}))?;
            } else {
                outln!("{}", t!("team-member-removed", name = clean(&name)));
            }
        }
        TeamCmd::Resolve { id, keep } => {
            let keep: Keep = keep.parse().map_err(anyhow::Error::msg)?;
            let (c, _) = usecase::conflicts::resolve(&mut ctx.store, id, keep)?;
            if ctx.json {
                print_json(&conflict_json(&ctx.store, &c))?;
            } else {
                let what = describe_row(&c);
                let field = noun(field_label(&c.field));
                match keep {
                    Keep::Theirs => outln!(
                        "{}",
                        t!(
                            "team-kept-theirs",
                            who = who(&c),
                            field = field,
                            what = what
                        )
                    ),
                    Keep::Mine => outln!(
                        "{}",
                        t!(
                            "team-restored-mine",
                            field = field,
                            what = what,
                            value = show_value(ctx.store.conn(), &c, &c.mine, Zone::Local)
                        )
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
    let member = member
        .map(|reference| usecase::team::find_member(&ctx.store, reference))
        .transpose()?;
    let new = usecase::team::NewMember {
        login: name.to_string(),
        kind,
        password: match password_file {
            Some(file) => Password::File(file.to_path_buf()),
            None => Password::Generate,
        },
        member,
    };
    // Checked before the server is asked: a bad name or file costs no connection.
    let checked = usecase::team::check(&new)?;
    let mut hub = HubAdmin::linked(&ctx.store, &Env::from_process())?;
    let added = usecase::team::add_checked(&mut hub, &checked)?;
    if ctx.json {
        print_json(&json!({
            "member": added.login, "role": kind.as_str(), "join_url": added.join_url,
            "password": added.password, "kept_password": added.kept_password,
        }))?;
        return Ok(());
    }
    outln!(
        "{}",
        t!(
            "team-member-added",
            name = clean(&added.login),
            role = crate::i18n::noun(kind.as_str())
        )
    );
    if let Some(password) = &added.password {
        outln!(
            "{}",
            t!("team-member-password", password = password.as_str())
        );
    }
    if added.kept_password {
        outln!(
            "{}",
            t!("team-member-password-kept", name = clean(&added.login))
        );
    }
    outln!("{}", t!("team-member-join", url = added.join_url.as_str()));
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

fn print_report(r: &SyncReport) {
    let m = &r.merged;
    let parts: Vec<String> = [
        (m.rows_added, t!("sync-new-records", count = m.rows_added)),
        (
            m.fields_updated,
            t!("sync-changed-fields", count = m.fields_updated),
        ),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(_, said)| said)
    .collect();
    let changes = match parts.as_slice() {
        [] => t!("sync-no-changes"),
        [one] => t!("sync-from-teammates", changes = one),
        [first, second, ..] => t!(
            "sync-from-teammates",
            changes = t!("sync-changes-and", first = first, second = second)
        ),
    };
    outln!(
        "{}",
        t!(
            "sync-synced",
            file = r.team_file.display().to_string(),
            changes = changes
        )
    );
    if r.created {
        outln!("{}", t!("sync-file-recreated"));
    }
    if m.conflicts > 0 {
        outln!("{}", t!("sync-conflicts", count = m.conflicts));
    }
    if m.seen > 0 {
        outln!("{}", t!("sync-seen", count = m.seen));
    }
    if m.quarantined > 0 {
        crate::text::say(&t!("sync-quarantined", count = m.quarantined));
    }
    if r.refused_by_hub > 0 {
        crate::text::say(&t!("team-sync-refused", count = r.refused_by_hub));
    }
    if r.hub_rewound {
        crate::text::say(&t!("team-sync-rewound"));
    }
    if r.unseen_from_file > 0 {
        crate::text::say(&t!("team-join-file-era", count = r.unseen_from_file));
    }
    if m.future_clocks > 0 {
        crate::text::say(&t!("sync-future-clocks", count = m.future_clocks));
    }
    if !r.copies_merged.is_empty() {
        outln!(
            "{}",
            t!("sync-copies-merged", count = r.copies_merged.len())
        );
    }
    for (path, why) in &r.copies_skipped {
        crate::text::say(&t!(
            "sync-copy-left",
            path = path.display().to_string(),
            why = why
        ));
    }
}

fn status(ctx: &mut Ctx) -> Result<()> {
    let s = team::status(&ctx.store)?;
    let now = ctx.now_millis();
    let refused = conflicts::pending_refused(ctx.store.conn())?;
    // A hub is asked who its logins are; offline, status says so and goes on.
    let logins = match &s.link {
        Some(l) if l.hub().is_some() => Some(
            HubAdmin::linked(&ctx.store, &Env::from_process())
                .and_then(|mut hub| hub.roster())
                .map(|roster| roster.logins)
                .map_err(|e| e.to_string()),
        ),
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
            "{}{}",
            pad(t!("team-label-waiting")),
            t!("team-waiting-copies", count = s.waiting_copies.len())
        );
    }
    if !s.quarantine.is_empty() {
        outln!(
            "{}{}",
            pad(t!("team-label-quarantine")),
            t!("team-quarantine", count = s.quarantined)
        );
        for q in &s.quarantine {
            let who = match (&q.member_name, &q.member) {
                (Some(name), _) => name.clone(),
                (None, Some(member)) => t!(
                    "team-quarantine-member",
                    id = crate::domain::ids::short_id(member)
                ),
                (None, None) if q.site.is_empty() => t!("team-quarantine-unknown-writer"),
                (None, None) => t!("team-quarantine-site", site = q.site.as_str()),
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
            let kept = if q.skipped {
                String::new()
            } else {
                t!("team-quarantine-noted")
            };
            outln!(
                "  {}",
                t!(
                    "team-quarantine-line",
                    time = local_time(q.last_at),
                    what = truncate(&what, 60),
                    reason = truncate(&q.reason, 120),
                    kept = kept,
                    who = truncate(&who, 40)
                )
            );
        }
    }
    Ok(())
}

/// "3 min ago" for the last sync.
fn ago(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    match s {
        0..5 => t!("ago-now"),
        5..60 => t!("ago-seconds", count = s),
        60..3600 => t!("ago-minutes", count = s / 60),
        3600..86_400 => t!("ago-hours", count = s / 3600),
        _ => t!("ago-days", count = s / 86_400),
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
        if all {
            outln!("{}", t!("team-conflicts-none-ever"));
        } else {
            outln!("{}", t!("team-conflicts-none-pending"));
        }
        let seen = conflicts::seen_count(ctx.store.conn())?;
        if !all && seen > 0 {
            outln!("{}", t!("sync-seen", count = seen));
        }
        return Ok(());
    }
    // A block per conflict: values can be long, and each needs its own line.
    for c in &list {
        let state = match (c.resolution, c.resolved_at) {
            (Some(Resolution::Seen), _) => t!("team-conflict-seen", who = who(c)),
            (Some(Resolution::Theirs), Some(at)) => {
                t!("team-conflict-kept-theirs", when = local_time(at))
            }
            (Some(_), Some(at)) => t!("team-conflict-kept-mine", when = local_time(at)),
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
            outln!(
                "    {}  {value}{}{when}",
                clean(&t!("team-side-yours")),
                " ".repeat(gap)
            );
            outln!(
                "{}",
                crate::t!("team-conflict-why", why = refusal(ctx.store.conn(), c, why))
            );
            continue;
        }
        outln!(
            "{}",
            t!(
                "team-conflict-header",
                id = c.id,
                field = noun(field_label(&c.field)),
                what = truncate(&describe_row(c), 50),
                state = state
            )
        );
        let yours = t!("team-side-yours");
        let theirs = t!("team-side-theirs", who = who(c));
        let width = theirs.width().max(yours.width());
        for (side, value, at) in [
            (yours.as_str(), &c.mine, c.mine_at()),
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
        outln!("{}", t!("team-conflicts-refused-hint"));
    }
    if list
        .iter()
        .any(|c| c.resolution.is_none() && c.refused.is_none())
    {
        outln!("{}", t!("team-conflicts-resolve-hint"));
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
        crate::i18n::use_in_thread(crate::i18n::Lang::En);
        assert_eq!(ago(1_000), "just now");
        assert_eq!(ago(12_000), "12 s ago");
        assert_eq!(ago(180_000), "3 min ago");
        assert_eq!(ago(2 * 86_400_000), "2 days ago");
    }
}
