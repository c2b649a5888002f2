//! Moving a book in and out: files other programs wrote (CSV in any common encoding and
//! delimiter, Excel workbooks, exports of Pipedrive, HubSpot and Salesforce) read into
//! typed records, and the book written out again.
//!
//! Everything read here is untrusted input. It is parsed into types at this edge, every
//! problem named by line and column; nothing past this module sees a raw cell it must
//! check again. Nothing here writes to the database: the use cases do.
//!
//! - [`source`] — open a file: detect CSV or Excel, the encoding and the delimiter; rows.
//! - [`map`] — which column is which field: a TOML map, a vendor preset, or the header.
//! - [`records`] — rows parsed into typed records by that mapping.
//! - [`export`] — the book written out as CSV (safe for Excel), JSON or Excel.
//! - [`vcard`] — contacts read from phone and mail exports, written as vCard 4.0.
//! - [`ics`] — open reminders as a calendar file a phone can subscribe to.

pub mod export;
pub mod ics;
pub mod map;
pub mod records;
pub mod source;
pub mod vcard;

use map::Mapping;
use records::{Context, Record, RowError};
use source::{ReadError, Table};

/// The records of an open file, parsed by `mapping`: each row's record or the reason it
/// is not one.
pub fn records<'a>(
    table: Table,
    mapping: &'a Mapping,
    cx: &'a Context<'a>,
) -> impl Iterator<Item = Result<Record, RowError>> + 'a {
    let headers = table.headers.clone();
    table.map(move |row| match row {
        Ok(row) => records::parse(mapping, &headers, &row, cx),
        Err(e) => Err(row_error(e)),
    })
}

fn row_error(e: ReadError) -> RowError {
    match e {
        ReadError::File(message) => RowError {
            line: 0,
            column: None,
            message,
        },
        ReadError::Line { line, message } => RowError {
            line,
            column: None,
            message,
        },
        ReadError::Cell {
            line,
            column,
            message,
        } => RowError {
            line,
            column: Some(column),
            message,
        },
    }
}
