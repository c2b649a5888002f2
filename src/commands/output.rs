//! Output for people and for scripts: tables that fit an 80-column terminal, and JSON
//! objects built from the same rows.

use chrono::{DateTime, Local, Utc};
use serde_json::{Value, json};
use unicode_width::UnicodeWidthStr;

use crate::domain::ids::short_id;
use crate::domain::money::{Currency, Money, format_wide_minor};
use crate::domain::time::from_millis;
use crate::store::activities::ActivityRow;
use crate::store::deals::DealRow;

/// Standard output failed while a command was printing. Everything the command changes is
/// saved before it prints, so ending here loses nothing: quietly when the reader closed
/// the pipe (`| head`), with the reason otherwise (a full disk behind `>`).
pub fn stdout_failed(e: &std::io::Error) -> ! {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    crate::text::say(&crate::t!(
        "cli-error",
        message = crate::t!("cli-cannot-write-output", error = e.to_string())
    ));
    // 2, not 1: `remind` exits 1 for "something is overdue".
    std::process::exit(2);
}

/// The width tables are fitted to.
pub const WIDTH: usize = 80;

pub use crate::text::{clean, truncate};

fn pad(text: &str, width: usize) -> String {
    let w = text.width();
    format!("{text}{}", " ".repeat(width.saturating_sub(w)))
}

/// A header for [`Table::new`] that may shrink: `~` and the header.
pub fn flex(header: String) -> String {
    format!("~{header}")
}

/// A plain text table; `flex` columns shrink (with `…`) to fit the width.
pub struct Table {
    headers: Vec<String>,
    flex: Vec<bool>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// Headers; a leading `~` marks a column that may shrink ([`flex`]).
    pub fn new<S: AsRef<str>>(headers: &[S]) -> Table {
        Table {
            headers: headers
                .iter()
                .map(|h| h.as_ref().trim_start_matches('~').to_string())
                .collect(),
            flex: headers
                .iter()
                .map(|h| h.as_ref().starts_with('~'))
                .collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows
            .push(cells.into_iter().map(|c| clean(&c)).collect());
    }

    pub fn render(&self, width: usize) -> String {
        let n = self.headers.len();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.width()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(n) {
                widths[i] = widths[i].max(cell.width());
            }
        }
        let gaps = 2 * n.saturating_sub(1);
        while widths.iter().sum::<usize>() + gaps > width {
            let widest = (0..n)
                .filter(|i| self.flex[*i] && widths[*i] > 8)
                .max_by_key(|i| widths[*i]);
            match widest {
                Some(i) => widths[i] -= 1,
                None => break,
            }
        }
        let mut out = String::new();
        let line = |cells: Vec<String>| -> String {
            let parts: Vec<String> = cells
                .iter()
                .enumerate()
                .map(|(i, c)| pad(&truncate(c, widths[i]), widths[i]))
                .collect();
            parts.join("  ").trim_end().to_string()
        };
        out.push_str(&line(self.headers.clone()));
        out.push('\n');
        for row in &self.rows {
            out.push_str(&line(row.clone()));
            out.push('\n');
        }
        out
    }
}

/// A local date and time for people: `2026-11-25 14:30`.
pub fn local_time(ms: i64) -> String {
    from_millis(ms)
        .with_timezone(&Local)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// An instant for machines: RFC 3339 in UTC.
pub fn rfc3339(ms: i64) -> String {
    let t: DateTime<Utc> = from_millis(ms);
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn opt_time(ms: Option<i64>) -> Value {
    ms.map_or(Value::Null, |m| Value::String(rfc3339(m)))
}

/// A JSON number in major units: `12000` when whole, `12000.5` otherwise.
pub fn amount_number(minor: impl Into<i128>, currency: &Currency) -> Value {
    let text = format_wide_minor(minor.into(), currency.minor_digits(), false);
    // Trailing zeros go only after a decimal point: 100 JPY is 100, not 1.
    let number = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    serde_json::from_str::<serde_json::Number>(number)
        .map(Value::Number)
        .unwrap_or(Value::String(text.clone()))
}

/// A deal as scripts read it (DESIGN §4), printed as it is: a list of many deals
/// serialises these directly instead of building a map per deal, which cost
/// `customer list --json` most of its time at 100k deals. The fields are declared in the
/// order `serde_json` sorts a map's keys, so one printed directly reads exactly as one
/// turned into a [`Value`] first (a test holds them to it).
#[derive(serde::Serialize)]
pub struct DealJson<'a> {
    amount: String,
    amount_minor: i64,
    closed_at: Option<String>,
    created_at: String,
    currency: &'a str,
    customer: &'a str,
    customer_id: &'a str,
    expected_close: Option<String>,
    /// Its custom fields, where the output has them.
    #[serde(skip_serializing_if = "Option::is_none")]
    fields: Option<Value>,
    id: &'a str,
    last_activity: Option<String>,
    lost_reason: Option<&'a str>,
    next_follow_up: Option<String>,
    notes: Option<&'a str>,
    owner: Option<&'a str>,
    owner_id: Option<&'a str>,
    pipeline: &'a str,
    pipeline_id: &'a str,
    rotting: bool,
    short_id: &'a str,
    source: Option<&'a str>,
    stage: &'a str,
    stage_id: &'a str,
    status: &'static str,
    title: &'a str,
    updated_at: String,
    weighted_amount: String,
}

impl<'a> DealJson<'a> {
    pub fn new(row: &'a DealRow, now: i64) -> DealJson<'a> {
        let d = &row.deal;
        DealJson {
            amount: d.amount.decimal_string(),
            amount_minor: d.amount.minor,
            closed_at: d.closed_at.map(rfc3339),
            created_at: rfc3339(d.created_at),
            currency: d.amount.currency.code(),
            customer: &row.customer_name,
            customer_id: &d.customer_id,
            expected_close: d.expected_close.map(|c| c.to_string()),
            fields: None,
            id: &d.id,
            last_activity: row.last_activity.map(rfc3339),
            lost_reason: d.lost_reason.as_deref(),
            next_follow_up: row.next_follow_up.map(rfc3339),
            notes: d.notes.as_deref(),
            owner: row.owner_name.as_deref(),
            owner_id: d.owner_id.as_deref(),
            pipeline: &row.pipeline_name,
            pipeline_id: &row.pipeline_id,
            rotting: row.is_rotting(now),
            short_id: short_id(&d.id),
            source: d.source.as_deref(),
            stage: &row.stage_name,
            stage_id: &d.stage_id,
            status: d.status.as_str(),
            title: &d.title,
            updated_at: rfc3339(d.updated_at),
            weighted_amount: Money::new(
                d.weighted_minor(row.probability),
                d.amount.currency.clone(),
            )
            .decimal_string(),
        }
    }

    /// With its custom fields' `"fields"` object.
    pub fn with_fields(self, fields: Value) -> DealJson<'a> {
        DealJson {
            fields: Some(fields),
            ..self
        }
    }
}

pub fn deal_json(row: &DealRow, now: i64) -> Value {
    to_value(&DealJson::new(row, now))
}

/// `value` as a [`Value`]; for the typed outputs here, whose keys are all strings, this
/// cannot fail.
pub fn to_value(value: &impl serde::Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

pub fn activity_json(row: &ActivityRow) -> Value {
    let a = &row.activity;
    json!({
        "id": a.id,
        "short_id": short_id(&a.id),
        "kind": a.kind.as_str(),
        "subject": a.subject,
        "body": a.body,
        "deal_id": a.deal_id,
        "deal": row.deal_title,
        "customer_id": a.customer_id,
        "customer": row.customer_name,
        "contact": row.contact_name,
        "due_at": opt_time(a.due_at),
        "done_at": opt_time(a.done_at),
        "outcome": a.outcome,
        "created_at": rfc3339(a.created_at),
    })
}

/// Prints JSON with a trailing newline.
pub fn print_json(value: &Value) -> anyhow::Result<()> {
    outln!(
        "{}",
        crate::text::escape_json(&serde_json::to_string_pretty(value)?)
    );
    Ok(())
}

/// A writer that passes JSON text through [`crate::text::escape_json`], so streamed JSON
/// is as terminal-safe as [`print_json`]'s. It gathers what it is given into chunks and
/// checks a chunk at a time, not each of the many small fragments serde_json writes
/// (which cost `customer list --json` a third of its time); a character cut at a chunk's
/// end waits for the rest of it, so no character is checked in pieces.
struct TerminalSafe<W: std::io::Write> {
    out: W,
    pending: Vec<u8>,
}

impl<W: std::io::Write> TerminalSafe<W> {
    const CHUNK: usize = 64 * 1024;

    fn new(out: W) -> TerminalSafe<W> {
        TerminalSafe {
            out,
            pending: Vec::with_capacity(Self::CHUNK + 1024),
        }
    }

    /// Writes out what is pending, all of it or (`all` false) up to its last whole
    /// character.
    fn pass_on(&mut self, all: bool) -> std::io::Result<()> {
        let TerminalSafe { out, pending } = self;
        let whole = match std::str::from_utf8(pending) {
            Ok(text) => {
                out.write_all(crate::text::escape_json(text).as_bytes())?;
                pending.len()
            }
            Err(e) if e.error_len().is_none() && !all => {
                let head = &pending[..e.valid_up_to()];
                let text = std::str::from_utf8(head).map_err(std::io::Error::other)?;
                out.write_all(crate::text::escape_json(text).as_bytes())?;
                head.len()
            }
            // Not UTF-8, which serde_json never writes: what stands for it goes out.
            Err(_) => {
                let text = String::from_utf8_lossy(pending);
                out.write_all(crate::text::escape_json(&text).as_bytes())?;
                pending.len()
            }
        };
        pending.drain(..whole);
        Ok(())
    }
}

/// What is still pending goes out when the writer is dropped, as a `BufWriter`'s does:
/// a list whose items failed midway still prints what it had before the error.
impl<W: std::io::Write> Drop for TerminalSafe<W> {
    fn drop(&mut self) {
        let _ = self.pass_on(true);
        let _ = self.out.flush();
    }
}

impl<W: std::io::Write> std::io::Write for TerminalSafe<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if self.pending.len() >= Self::CHUNK {
            self.pass_on(false)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.pass_on(true)?;
        self.out.flush()
    }
}

/// Prints a JSON array as [`print_json`] would, one element made at a time: a list of 100k
/// deals is never held as one `Value` tree and one string (600 MB at 100k), and the output
/// goes out a chunk at a time rather than a write per line.
pub fn print_json_array<I, T>(items: I) -> anyhow::Result<()>
where
    I: IntoIterator<Item = anyhow::Result<T>>,
    T: serde::Serialize,
{
    use std::io::Write as _;
    let mut failed: Option<anyhow::Error> = None;
    let mut items = items.into_iter().map_while(|item| match item {
        Ok(v) => Some(v),
        Err(e) => {
            failed = Some(e);
            None
        }
    });
    let stdout = std::io::stdout();
    let mut out = TerminalSafe::new(stdout.lock());
    let mut ser = serde_json::Serializer::pretty(&mut out);
    let written = serde::Serializer::collect_seq(&mut ser, &mut items);
    drop(items);
    if let Some(e) = failed {
        return Err(e);
    }
    if let Err(e) = written {
        match e.io_error_kind() {
            Some(kind) => stdout_failed(&kind.into()),
            None => return Err(e.into()),
        }
    }
    if let Err(e) = writeln!(out).and_then(|()| out.flush()) {
        stdout_failed(&e);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_fit_and_truncate_wide_text() {
        let mut t = Table::new(&["ID", "~NAME", "STATUS"]);
        t.row(vec![
            "abcd1234".into(),
            "上海华为技术有限公司".repeat(5),
            "active".into(),
        ]);
        t.row(vec![
            "ef012345".into(),
            "ACME\x1b[31m".into(),
            "prospect".into(),
        ]);
        let out = t.render(40);
        for line in out.lines() {
            assert!(line.width() <= 40, "{line}");
        }
        assert!(out.contains('…'));
        assert!(!out.contains('\x1b'));
    }

    /// A character cut by a chunk's end is checked whole: an unsafe one is escaped, a
    /// Chinese one passes as it is, and what is pending when the writer is dropped
    /// still goes out.
    #[test]
    fn streamed_json_is_checked_whole_across_chunks() {
        use std::io::Write as _;
        let chunk = TerminalSafe::<Vec<u8>>::CHUNK;
        let mut text = "a".repeat(chunk - 1);
        text.push_str("华\u{9b}华\u{202e}");
        let mut out = Vec::new();
        {
            let mut safe = TerminalSafe::new(&mut out);
            // One byte at a time: every cut a writer may make.
            for byte in text.as_bytes() {
                safe.write_all(&[*byte]).unwrap();
            }
            safe.write_all(b" and the rest").unwrap();
        }
        let out = String::from_utf8(out).unwrap();
        assert_eq!(
            out,
            format!("{}华\\u009b华\\u202e and the rest", "a".repeat(chunk - 1))
        );
    }

    #[test]
    fn amounts_as_json_numbers() {
        let eur: Currency = "EUR".parse().unwrap();
        assert_eq!(amount_number(1_200_000, &eur), json!(12000));
        assert_eq!(amount_number(1_200_050, &eur), json!(12000.5));
        // A currency without minor units keeps its zeros.
        let jpy: Currency = "JPY".parse().unwrap();
        assert_eq!(amount_number(100, &jpy), json!(100));
        assert_eq!(amount_number(12_000, &jpy), json!(12000));
    }
}
