//! `salesdesk import` and `salesdesk export`: moving a book in and out.

use crate::t;
use std::io::Write as _;
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};

use super::output::print_json;
use super::{Ctx, Exit};
use crate::cli::{ExportArgs, ExportWhat, ImportArgs, OnErrorArg};
use crate::domain::time::Zone;
use crate::interop::export::{self, Format as OutFormat};
use crate::interop::map::{Entity, Format, MapFile, Mapping};
use crate::interop::records::{Context as RecordContext, Record};
use crate::interop::{self as io_, ics, source, vcard};
use crate::store::{contacts, customers, stages};
use crate::usecase::import::{self, OnError, Options, Summary};

/// From how large a file an import streams in bulk (see `usecase::import::import`):
/// about 20k rows, where building the indexes once beats updating them row by row even in
/// a 100k-deal book.
const LARGE_FILE_BYTES: u64 = 2 << 20;

/// The largest vCard file read (it is read whole): a phone's address book is a few MB.
const MAX_VCARD_BYTES: u64 = 256 << 20;

pub fn import(args: ImportArgs, ctx: &mut Ctx) -> Result<Exit> {
    let entity = args.what.entity();
    let options = Options {
        dry_run: args.dry_run,
        on_error: match args.on_error {
            OnErrorArg::Stop => OnError::Stop,
            OnErrorArg::Skip => OnError::Skip,
        },
        source: "generic",
        large: std::fs::metadata(&args.file).is_ok_and(|m| m.len() >= LARGE_FILE_BYTES),
    };
    let map = match &args.map {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| t!("import-reading-map", path = path.display().to_string()))?;
            Some(MapFile::parse(&text).map_err(|e| in_file(path, &e))?)
        }
        None => None,
    };
    let (summary, described) = if is_vcard(&args.file)? {
        if entity != Entity::Contacts {
            bail!(t!(
                "import-vcard-not-contacts",
                path = args.file.display().to_string()
            ));
        }
        let size = std::fs::metadata(&args.file)
            .with_context(|| t!("import-reading", path = args.file.display().to_string()))?
            .len();
        if size > MAX_VCARD_BYTES {
            bail!(t!(
                "import-vcard-too-large",
                path = args.file.display().to_string(),
                mb = size >> 20,
                most = MAX_VCARD_BYTES >> 20
            ));
        }
        let text = std::fs::read(&args.file)
            .with_context(|| t!("import-reading", path = args.file.display().to_string()))?;
        let text = String::from_utf8_lossy(&text);
        let default = map.as_ref().and_then(|m| m.defaults.customer.as_deref());
        let cards = vcard::read(&text, default).map_err(|e| in_file(&args.file, &e))?;
        let records = cards.into_iter().map(|c| c.map(Record::Contact));
        let options = Options {
            source: "vcard",
            ..options
        };
        (
            import::import(&mut ctx.store, records, options)?,
            "vCard".to_string(),
        )
    } else {
        let table = source::open(&args.file, args.encoding.as_deref())
            .map_err(|e| in_file(&args.file, &e))?;
        let mapping = Mapping::new(entity, args.format.format(), map.as_ref(), &table.headers)
            .map_err(|e| in_file(&args.file, &e))?;
        let layout = &table.layout;
        let described = format!(
            "{}, {}{}{}",
            match mapping.format {
                Format::Generic => t!("import-a-spreadsheet"),
                named => t!("import-an-export", from = title_case(named.as_str())),
            },
            layout.kind,
            if layout.kind == "CSV" {
                format!(", {}", layout.encoding)
            } else {
                String::new()
            },
            layout
                .delimiter
                .map(|d| format!(", '{}'", d.escape_default()))
                .unwrap_or_default(),
        );
        let all = stages::list(ctx.store.conn())?;
        let pipelines = crate::store::pipelines::list(ctx.store.conn())?;
        let currency = ctx.settings.default_currency.clone();
        let defs = crate::store::fields::list(ctx.store.conn(), None)?;
        let cx = RecordContext {
            stages: &all,
            pipelines: &pipelines,
            zone: Zone::Local,
            currency: &currency,
            now: ctx.now_millis(),
            fields: &defs,
        };
        let options = Options {
            source: mapping.format.as_str(),
            ..options
        };
        // A large file shows its progress on a terminal (indicatif draws nothing when
        // standard error is not one, as in scripts and tests).
        let progress = if options.large {
            indicatif::ProgressBar::new_spinner()
        } else {
            indicatif::ProgressBar::hidden()
        };
        progress.set_style(
            indicatif::ProgressStyle::with_template(&format!(
                "{{spinner}} {}",
                t!("import-progress", rows = "{human_pos}", rate = "{per_sec}")
            ))
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        let of = match entity {
            Entity::Deals => Some(crate::domain::field::Entity::Deal),
            Entity::Customers => Some(crate::domain::field::Entity::Customer),
            Entity::Contacts => Some(crate::domain::field::Entity::Contact),
            Entity::Activities => None,
        };
        let custom: Vec<&str> = defs
            .iter()
            .filter(|d| Some(d.entity) == of)
            .map(|d| d.name.as_str())
            .collect();
        let unread = mapping.unread(&table.headers, &custom);
        let records = io_::records(table, &mapping, &cx).inspect(|_| progress.inc(1));
        let summary = import::import(&mut ctx.store, records, options);
        progress.finish_and_clear();
        let mut summary = summary?;
        summary.unread_columns = unread;
        (summary, described)
    };
    report(&summary, entity, &described, options, ctx.json)
}

/// Whether `path` is a vCard file, by its name or its first bytes.
fn is_vcard(path: &Path) -> Result<bool> {
    let by_name = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("vcf") || e.eq_ignore_ascii_case("vcard"));
    if by_name {
        return Ok(true);
    }
    let mut head = [0u8; 32];
    let n = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .with_context(|| t!("import-reading", path = path.display().to_string()))?;
    let text = String::from_utf8_lossy(&head[..n]);
    Ok(text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .to_ascii_uppercase()
        .starts_with("BEGIN:VCARD"))
}

fn title_case(name: &str) -> String {
    match name {
        "hubspot" => "HubSpot".into(),
        other => {
            let mut c = other.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        }
    }
}

fn report(
    s: &Summary,
    entity: Entity,
    described: &str,
    options: Options,
    json: bool,
) -> Result<Exit> {
    let refused = !s.errors.is_empty() && options.on_error == OnError::Stop && !options.dry_run;
    if json {
        let mut value = serde_json::to_value(s)?;
        value["dry_run"] = options.dry_run.into();
        print_json(&value)?;
        return Ok(u8::from(refused));
    }
    let what = crate::i18n::noun(entity.as_str());
    let dry = if options.dry_run { "yes" } else { "no" };
    outln!(
        "{}",
        t!(
            "cli-import-read",
            count = s.rows,
            what = what,
            described = described
        )
    );
    for e in &s.errors {
        outln!("  ✗ {}", super::output::clean(&e.to_string()));
    }
    if refused {
        outln!("{}", t!("cli-import-refused", count = s.errors.len()));
        return Ok(1);
    }
    let mut parts = vec![
        t!("cli-import-created", count = s.created, dry = dry),
        t!("cli-import-updated", count = s.updated, dry = dry),
    ];
    if !s.errors.is_empty() {
        parts.push(t!("cli-import-skipped", count = s.errors.len()));
    }
    outln!(
        "{}",
        t!(
            "cli-import-summary",
            dry = dry,
            parts = parts.join(&t!("list-separator"))
        )
    );
    if s.customers_created > 0 {
        outln!(
            "{}",
            t!(
                "cli-import-new-customers",
                count = s.customers_created,
                dry = dry
            )
        );
    }
    if s.members_created > 0 {
        outln!(
            "{}",
            t!(
                "cli-import-new-members",
                count = s.members_created,
                dry = dry
            )
        );
    }
    if s.closed_at_creation > 0 {
        outln!(
            "{}",
            t!(
                "cli-import-closed-at-creation",
                count = s.closed_at_creation,
                dry = dry
            )
        );
    }
    if !s.unread_columns.is_empty() {
        const SHOWN: usize = 8;
        let mut names: Vec<String> = s
            .unread_columns
            .iter()
            .take(SHOWN)
            .map(|c| format!("'{}'", super::output::clean(c)))
            .collect();
        if s.unread_columns.len() > SHOWN {
            names.push(t!(
                "cli-import-more",
                count = s.unread_columns.len() - SHOWN
            ));
        }
        let record = match entity {
            Entity::Deals => "deal",
            Entity::Customers => "customer",
            Entity::Contacts => "contact",
            Entity::Activities => "none",
        };
        outln!(
            "{}",
            t!(
                "cli-import-unread",
                count = s.unread_columns.len(),
                columns = names.join(&t!("list-separator")),
                record = record
            )
        );
    }
    Ok(0)
}

pub fn export(args: ExportArgs, ctx: &mut Ctx) -> Result<Exit> {
    let conn = ctx.store.conn();
    let bytes: Vec<u8> = match args.what {
        ExportWhat::Vcard => {
            let mut rows = Vec::new();
            // Every contact read once, not one query per customer.
            let mut contacts_of: std::collections::HashMap<String, Vec<contacts::Contact>> =
                std::collections::HashMap::new();
            for c in contacts::list_all(conn)? {
                contacts_of
                    .entry(c.customer_id.clone())
                    .or_default()
                    .push(c);
            }
            for s in customers::list(conn, &customers::Filter::default())? {
                for c in contacts_of.remove(&s.customer.id).unwrap_or_default() {
                    rows.push((s.customer.name.clone(), c));
                }
            }
            let cards: Vec<vcard::Contact<'_>> = rows
                .iter()
                .map(|(customer, c)| vcard::Contact {
                    id: &c.id,
                    name: &c.name,
                    customer,
                    title: c.title.as_deref(),
                    phone: c.phone.as_deref(),
                    email: c.email.as_deref(),
                    notes: c.notes.as_deref(),
                })
                .collect();
            vcard::write(&cards).into_bytes()
        }
        ExportWhat::Ics => ics::calendar(conn)?.into_bytes(),
        table => {
            let entity = match table {
                ExportWhat::Deals => Entity::Deals,
                ExportWhat::Customers => Entity::Customers,
                ExportWhat::Contacts => Entity::Contacts,
                _ => Entity::Activities,
            };
            let sheet = export::sheet(conn, entity, Zone::Local)?;
            let format = match (&args.format, &args.output) {
                (Some(f), _) => f.parse::<OutFormat>().map_err(|e| anyhow!(e))?,
                (None, Some(path)) if has_extension(path, "xlsx") => OutFormat::Xlsx,
                (None, Some(path)) if has_extension(path, "json") => OutFormat::Json,
                (None, _) if ctx.json => OutFormat::Json,
                (None, _) => OutFormat::Csv,
            };
            let mut out = Vec::new();
            match format {
                OutFormat::Csv => export::write_csv(&sheet, &mut out)?,
                OutFormat::Json => export::write_json(&sheet, &mut out)?,
                OutFormat::Xlsx => {
                    let path = args
                        .output
                        .as_ref()
                        .ok_or_else(|| anyhow!(t!("cli-export-xlsx-needs-file")))?;
                    export::write_xlsx(&sheet, path).map_err(|e| {
                        anyhow!(t!(
                            "export-writing",
                            path = path.display().to_string(),
                            error = e.to_string()
                        ))
                    })?;
                    crate::text::say(&t!(
                        "cli-export-wrote-rows",
                        count = sheet.rows.len(),
                        what = crate::i18n::noun(entity.as_str()),
                        path = path.display().to_string()
                    ));
                    return Ok(0);
                }
            }
            out
        }
    };
    match &args.output {
        Some(path) => {
            std::fs::write(path, &bytes).with_context(|| format!("writing {}", path.display()))?;
            crate::text::say(&t!("cli-export-wrote", path = path.display().to_string()));
        }
        None => {
            use std::io::IsTerminal as _;
            let mut stdout = std::io::stdout().lock();
            // Read on a screen rather than piped to a file: the data must not steer the
            // terminal (line breaks kept, everything else unsafe made a space).
            let bytes = if stdout.is_terminal() {
                String::from_utf8_lossy(&bytes)
                    .split('\n')
                    .map(|line| crate::text::clean(line.trim_end_matches('\r')))
                    .collect::<Vec<_>>()
                    .join("\n")
                    .into_bytes()
            } else {
                bytes
            };
            if let Err(e) = stdout.write_all(&bytes).and_then(|()| stdout.flush()) {
                super::output::stdout_failed(&e);
            }
        }
    }
    Ok(0)
}

fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// A problem with a file, said with the file's name first.
fn in_file(path: &std::path::Path, problem: &dyn std::fmt::Display) -> anyhow::Error {
    anyhow!(t!(
        "import-in-file",
        path = path.display().to_string(),
        problem = problem.to_string()
    ))
}
