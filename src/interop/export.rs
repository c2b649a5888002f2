//! Taking the book out: deals, customers, contacts or activities as a table with every
//! field and the derived ones a reader of the spreadsheet wants (stage and customer
//! names, weighted amount, last contact), written as CSV, JSON or Excel.
//!
//! The headers are the field names the importer reads ([`super::map::Field::name`]), so
//! an export imports again as it is. Times are local wall-clock times in the user's zone
//! (`2026-11-30 14:30:00`), which the importer reads back in the same zone.
//!
//! CSV is written for Excel: UTF-8 with a byte-order mark (else Excel shows Chinese names
//! as mojibake), and any cell that starts like a formula (`=`, `+`, `-`, `@`, tab, CR) is
//! neutralised with a leading `'`, as OWASP advises against CSV injection. The importer
//! takes that quote off again.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use rusqlite::Connection;

use super::map::Entity;
use crate::domain::deal::{DealStatus, weighted};
use crate::domain::field::{self, FieldValue};
use crate::domain::money::{Currency, Money, Total};
use crate::domain::stage::STAGE_OF;
use crate::domain::time::{Millis, Zone};
use crate::store::{StoreError, activities, contacts, customers, deals, fields, pipelines, stages};

/// One cell of an export.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Int(i64),
    /// An amount: a decimal in CSV and JSON (exact), a number in Excel (summable).
    Amount(Money),
}

impl Cell {
    fn text(value: impl Into<String>) -> Cell {
        Cell::Text(value.into())
    }

    fn opt(value: Option<impl Into<String>>) -> Cell {
        value.map_or(Cell::Empty, |v| Cell::Text(v.into()))
    }

    /// The cell as text (CSV), before neutralising.
    fn plain(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.clone(),
            Cell::Int(i) => i.to_string(),
            Cell::Amount(m) => m.decimal_string(),
        }
    }
}

/// A whole export: a header and its rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: &'static str,
    pub headers: Vec<Cow<'static, str>>,
    pub rows: Vec<Vec<Cell>>,
}

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
    Xlsx,
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_lowercase().as_str() {
            "csv" => Ok(Format::Csv),
            "json" => Ok(Format::Json),
            "xlsx" => Ok(Format::Xlsx),
            _ => Err(format!("'{s}' is not csv, json or xlsx")),
        }
    }
}

fn names(list: &[&'static str]) -> Vec<Cow<'static, str>> {
    list.iter().map(|n| Cow::Borrowed(*n)).collect()
}

/// A custom field's value as a cell: what an import reads back (an amount with its
/// currency, `12500.50 USD`, as one money field holds amounts of any currency; a
/// multi-choice as its choices separated by commas).
fn custom_cell(value: &FieldValue) -> Cell {
    Cell::text(value.editable())
}

/// Reads the book's live rows of `entity` into a sheet: its own columns, then one per
/// custom field of deals, customers or contacts, headed by the field's name.
pub fn sheet(conn: &Connection, entity: Entity, zone: Zone) -> Result<Sheet, StoreError> {
    let mut sheet = builtin_sheet(conn, entity, zone)?;
    let of = match entity {
        Entity::Deals => field::Entity::Deal,
        Entity::Customers => field::Entity::Customer,
        Entity::Contacts => field::Entity::Contact,
        Entity::Activities => return Ok(sheet),
    };
    let defs = fields::list(conn, Some(of))?;
    if defs.is_empty() {
        return Ok(sheet);
    }
    let values = fields::values_by_record(conn, &defs)?;
    sheet
        .headers
        .extend(defs.iter().map(|d| Cow::Owned(d.name.clone())));
    for row in &mut sheet.rows {
        // The first column of these sheets is the record's id.
        let mut cells = vec![Cell::Empty; defs.len()];
        if let Some(Cell::Text(id)) = row.first()
            && let Some(held) = values.get(id)
        {
            for (i, value) in held {
                cells[*i] = custom_cell(value);
            }
        }
        row.extend(cells);
    }
    Ok(sheet)
}

fn builtin_sheet(conn: &Connection, entity: Entity, zone: Zone) -> Result<Sheet, StoreError> {
    let time = |ms: Option<Millis>| {
        ms.map_or(Cell::Empty, |ms| {
            Cell::text(zone.local(ms).format("%Y-%m-%d %H:%M:%S").to_string())
        })
    };
    Ok(match entity {
        Entity::Deals => {
            let rows = deals::list(conn, &deals::Filter::default())?;
            let pipelines = pipelines::list(conn)?;
            let name_of = |pipeline: &str| {
                pipelines
                    .iter()
                    .find(|p| p.id == pipeline)
                    .map(|p| p.name.as_str())
            };
            let pipeline_of: HashMap<String, String> = stages::list(conn)?
                .into_iter()
                .map(|s| (s.id, s.pipeline_id))
                .collect();
            // Each deal's history as its cell: a step a line, as the importer reads it
            // back; a step in another pipeline than the deal's names its pipeline
            // (`Sales › Proposal`).
            let mut histories: HashMap<String, String> = HashMap::new();
            deals::each_history_step(conn, |step| {
                let cell = match histories.get_mut(step.deal_id) {
                    Some(cell) => {
                        cell.push('\n');
                        cell
                    }
                    None => histories.entry(step.deal_id.to_string()).or_default(),
                };
                let when = zone.local(step.at).format("%Y-%m-%d %H:%M:%S");
                let _ = write!(cell, "{when} {} ", step.status);
                if step.pipeline_id != step.deal_pipeline_id
                    && let Some(name) = name_of(step.pipeline_id)
                {
                    cell.push_str(name);
                    cell.push_str(STAGE_OF);
                }
                cell.push_str(step.stage);
                Ok(())
            })?;
            Sheet {
                name: "Deals",
                headers: names(&[
                    "id",
                    "title",
                    "customer",
                    "pipeline",
                    "stage",
                    "status",
                    "amount",
                    "currency",
                    "expected_close",
                    "created",
                    "closed",
                    "lost_reason",
                    "owner",
                    "source",
                    "notes",
                    "probability",
                    "weighted_amount",
                    "next_follow_up",
                    "last_activity",
                    "stage_history",
                ]),
                rows: rows
                    .into_iter()
                    .map(|r| {
                        let d = &r.deal;
                        let weighted = match d.status {
                            DealStatus::Open => weighted(d.amount.minor, r.probability),
                            DealStatus::Won => d.amount.minor,
                            DealStatus::Lost => 0,
                        };
                        vec![
                            Cell::text(&d.id),
                            Cell::text(&d.title),
                            Cell::text(r.customer_name),
                            Cell::opt(pipeline_of.get(&d.stage_id).and_then(|p| name_of(p))),
                            Cell::text(r.stage_name),
                            Cell::text(d.status.as_str()),
                            Cell::Amount(d.amount.clone()),
                            Cell::text(d.amount.currency.code()),
                            Cell::opt(d.expected_close.map(|c| c.to_string())),
                            time(Some(d.created_at)),
                            time(d.closed_at),
                            Cell::opt(d.lost_reason.clone()),
                            Cell::opt(r.owner_name),
                            Cell::opt(d.source.clone()),
                            Cell::opt(d.notes.clone()),
                            Cell::Int(r.probability),
                            Cell::Amount(Money::new(weighted, d.amount.currency.clone())),
                            time(r.next_follow_up),
                            time(r.last_activity),
                            Cell::opt(histories.remove(&d.id)),
                        ]
                    })
                    .collect(),
            }
        }
        Entity::Customers => {
            let rows = customers::list(conn, &customers::Filter::default())?;
            // Every tag read once, not one query per customer.
            let mut tags_of: HashMap<String, Vec<String>> = HashMap::new();
            for (customer, tag) in customers::all_tags(conn)? {
                tags_of.entry(customer).or_default().push(tag);
            }
            let mut out = Vec::with_capacity(rows.len());
            for s in rows {
                let c = &s.customer;
                let tags = super::records::join_tags(&tags_of.remove(&c.id).unwrap_or_default());
                let won: Vec<String> = s
                    .won_by_currency
                    .iter()
                    .filter_map(|(code, minor)| {
                        let currency = Currency::stored(code).ok()?;
                        Some(Total::new(*minor, currency).to_string())
                    })
                    .collect();
                out.push(vec![
                    Cell::text(&c.id),
                    Cell::text(&c.name),
                    Cell::text(c.kind.as_str()),
                    Cell::text(c.status.as_str()),
                    Cell::text(c.tier.as_str()),
                    Cell::opt(c.industry.clone()),
                    Cell::opt(c.region.clone()),
                    Cell::opt(s.owner_name.clone()),
                    c.satisfaction.map_or(Cell::Empty, Cell::Int),
                    Cell::opt(c.source.clone()),
                    Cell::opt(c.website.clone()),
                    Cell::opt(c.notes.clone()),
                    Cell::text(tags),
                    time(Some(c.created_at)),
                    time(s.last_contact),
                    time(s.next_reminder),
                    Cell::Int(s.open_deals),
                    Cell::text(won.join("; ")),
                ]);
            }
            Sheet {
                name: "Customers",
                headers: names(&[
                    "id",
                    "name",
                    "kind",
                    "status",
                    "tier",
                    "industry",
                    "region",
                    "owner",
                    "satisfaction",
                    "source",
                    "website",
                    "notes",
                    "tags",
                    "created",
                    "last_contact",
                    "next_reminder",
                    "open_deals",
                    "lifetime_value",
                ]),
                rows: out,
            }
        }
        Entity::Contacts => {
            let mut out = Vec::new();
            // Every contact read once, not one query per customer.
            let mut contacts_of: HashMap<String, Vec<contacts::Contact>> = HashMap::new();
            for c in contacts::list_all(conn)? {
                contacts_of
                    .entry(c.customer_id.clone())
                    .or_default()
                    .push(c);
            }
            for s in customers::list(conn, &customers::Filter::default())? {
                for c in contacts_of.remove(&s.customer.id).unwrap_or_default() {
                    out.push(vec![
                        Cell::text(c.id),
                        Cell::text(c.name),
                        Cell::text(&s.customer.name),
                        Cell::opt(c.title),
                        Cell::opt(c.phone),
                        Cell::opt(c.email),
                        Cell::text(if c.is_primary { "yes" } else { "no" }),
                        Cell::opt(c.notes),
                    ]);
                }
            }
            Sheet {
                name: "Contacts",
                headers: names(&[
                    "id",
                    "name",
                    "customer",
                    "job_title",
                    "phone",
                    "email",
                    "primary",
                    "notes",
                ]),
                rows: out,
            }
        }
        Entity::Activities => {
            let rows = activities::list(conn, &activities::Filter::default())?;
            let members = crate::store::members::list(conn)?;
            let owner = |id: Option<String>| {
                Cell::opt(
                    id.and_then(|id| members.iter().find(|m| m.id == id).map(|m| m.name.clone())),
                )
            };
            Sheet {
                name: "Activities",
                headers: names(&[
                    "id", "kind", "subject", "body", "deal", "customer", "contact", "due", "done",
                    "outcome", "owner", "created",
                ]),
                rows: rows
                    .into_iter()
                    .rev()
                    .map(|r| {
                        let a = r.activity;
                        vec![
                            Cell::text(a.id),
                            Cell::text(a.kind.as_str()),
                            Cell::text(a.subject),
                            Cell::opt(a.body),
                            Cell::opt(r.deal_title),
                            Cell::opt(r.customer_name),
                            Cell::opt(r.contact_name),
                            time(a.due_at),
                            time(a.done_at),
                            Cell::opt(a.outcome),
                            owner(a.owner_id),
                            time(Some(a.created_at)),
                        ]
                    })
                    .collect(),
            }
        }
    })
}

/// Whether a spreadsheet would read `text` as a formula (or hide it behind a control
/// character), per OWASP's CSV-injection advice.
fn looks_like_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// `text` made safe to open in a spreadsheet: a formula-like start gets a `'` before it.
/// So does a value that already starts with `'` and a formula character, so that
/// [`unneutralise`] gives back exactly what was stored.
pub fn neutralise(text: &str) -> String {
    let quoted = text.strip_prefix('\'').is_some_and(looks_like_formula);
    if looks_like_formula(text) || quoted {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// The inverse of [`neutralise`], for the importer: a `'` before a formula-like start is
/// taken off.
pub fn unneutralise(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if looks_like_formula(rest) => rest,
        _ => text,
    }
}

/// Writes CSV for Excel: a byte-order mark, CRLF line ends, neutralised cells.
pub fn write_csv(sheet: &Sheet, out: impl Write) -> io::Result<()> {
    let mut out = io::BufWriter::new(out);
    out.write_all(b"\xEF\xBB\xBF")?;
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    writer.write_record(sheet.headers.iter().map(|h| neutralise(h)))?;
    for row in &sheet.rows {
        writer.write_record(row.iter().map(|c| neutralise(&c.plain())))?;
    }
    writer.flush()
}

/// Writes a JSON array of objects keyed by the headers; empty cells are `null`.
pub fn write_json(sheet: &Sheet, out: impl Write) -> io::Result<()> {
    use serde_json::{Map, Value};
    let rows: Vec<Value> = sheet
        .rows
        .iter()
        .map(|row| {
            let object: Map<String, Value> = sheet
                .headers
                .iter()
                .zip(row)
                .map(|(h, c)| {
                    let v = match c {
                        Cell::Empty => Value::Null,
                        Cell::Int(i) => Value::from(*i),
                        other => Value::from(other.plain()),
                    };
                    (h.to_string(), v)
                })
                .collect();
            Value::Object(object)
        })
        .collect();
    let mut out = io::BufWriter::new(out);
    serde_json::to_writer_pretty(&mut out, &rows)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// Writes an Excel workbook with one sheet; amounts are numbers, the header bold.
pub fn write_xlsx(sheet: &Sheet, path: &std::path::Path) -> Result<(), String> {
    use rust_xlsxwriter::{Format as CellFormat, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| e.to_string();
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet.name).map_err(err)?;
    let bold = CellFormat::new().set_bold();
    for (c, h) in sheet.headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h.as_ref(), &bold)
            .map_err(err)?;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|_| crate::t!("export-too-many-rows"))?;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Empty => {}
                Cell::Text(t) => {
                    ws.write_string(r, c, t).map_err(err)?;
                }
                Cell::Int(i) => {
                    ws.write_number(r, c, *i as f64).map_err(err)?;
                }
                Cell::Amount(m) => {
                    let digits = m.currency.minor_digits();
                    let value = m.minor as f64 / 10f64.powi(digits as i32);
                    ws.write_number(r, c, value).map_err(err)?;
                }
            }
        }
    }
    book.save(path).map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_cells_are_neutralised_and_read_back() {
        for text in ["=1+1", "+86 10 1234", "-5", "@SUM(A1)", "\tx", "\rx"] {
            let safe = neutralise(text);
            assert!(safe.starts_with('\''), "{text:?}");
            assert_eq!(unneutralise(&safe), text);
        }
        assert_eq!(neutralise("ACME"), "ACME");
        assert_eq!(
            unneutralise("'quoted"),
            "'quoted",
            "an ordinary quote stays"
        );
    }

    #[test]
    fn csv_is_written_for_excel() {
        let sheet = Sheet {
            name: "Deals",
            headers: names(&["title", "customer", "amount"]),
            rows: vec![vec![
                Cell::text("=HYPERLINK(\"x\")"),
                Cell::text("华为"),
                Cell::Amount(Money::new(1_250_050, crate::domain::money::Currency::eur())),
            ]],
        };
        let mut out = Vec::new();
        write_csv(&sheet, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "\u{feff}title,customer,amount\r\n\"'=HYPERLINK(\"\"x\"\")\",华为,12500.50\r\n"
        );
    }

    #[test]
    fn a_workbook_reads_back_through_the_importer() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deals.xlsx");
        let sheet = Sheet {
            name: "Deals",
            headers: names(&["title", "customer", "amount", "probability", "notes"]),
            rows: vec![
                vec![
                    Cell::text("Rollout"),
                    Cell::text("华为"),
                    Cell::Amount(Money::new(1_250_050, crate::domain::money::Currency::eur())),
                    Cell::Int(50),
                    Cell::Empty,
                ],
                vec![
                    Cell::text("=1+1"),
                    Cell::text("ACME"),
                    Cell::Amount(Money::new(0, crate::domain::money::Currency::eur())),
                    Cell::Int(10),
                    Cell::text("two\nlines"),
                ],
            ],
        };
        write_xlsx(&sheet, &path).unwrap();
        let table = crate::interop::source::open(&path, None).unwrap();
        assert_eq!(table.layout.kind, "Excel");
        assert_eq!(
            table.headers,
            ["title", "customer", "amount", "probability", "notes"]
        );
        let rows: Vec<_> = table.map(Result::unwrap).collect();
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].cells, ["Rollout", "华为", "12500.5", "50", ""]);
        assert_eq!(rows[1].cells, ["=1+1", "ACME", "0", "10", "two\nlines"]);
    }
}
