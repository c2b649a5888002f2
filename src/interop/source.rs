//! Reading a spreadsheet someone else wrote: a CSV file in whatever encoding and
//! delimiter Excel or a CRM chose, or an Excel workbook. Everything here is untrusted: the
//! bytes are checked (binary data, encoding, cell size) before a cell reaches a parser,
//! and every problem names the line (the row number a spreadsheet shows) and the column.
//!
//! Both are streamed, so memory stays flat whatever their size, and both are bounded as
//! they are read (a cell, a row, a sheet's rows, columns and cells, what a workbook
//! unzips to), each limit named in the error. Of a workbook, the first sheet is read.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use calamine::{Data, Reader};
use encoding_rs::Encoding;
use encoding_rs_io::DecodeReaderBytesBuilder;

/// The largest cell accepted. A real cell (a long note) is a few kilobytes; anything
/// near this is a damaged or hostile file, refused before it reaches the database.
pub const MAX_CELL_BYTES: usize = 1 << 20;

/// The most columns a file may have: exports have dozens; thousands mean something else.
const MAX_COLUMNS: usize = 1_000;

/// How much of a CSV file is read up front to tell its encoding and delimiter.
const SAMPLE_BYTES: usize = 64 * 1024;

/// Why a file or one of its rows cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    File(String),
    #[error("{}", crate::t!("import-row-error", line = *line, message = message.as_str()))]
    Line { line: u64, message: String },
    #[error("{}", crate::t!(
        "import-row-error-at",
        line = *line,
        column = column.as_str(),
        message = message.as_str()
    ))]
    Cell {
        line: u64,
        column: String,
        message: String,
    },
}

/// One data row: its line in the file (as a spreadsheet numbers rows, the header being
/// line 1) and its cells, one per header column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: u64,
    pub cells: Vec<String>,
}

/// How a file was read, for the summary ("UTF-8, ';'").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub kind: &'static str,
    pub encoding: &'static str,
    pub delimiter: Option<char>,
}

/// An open file: its header row and an iterator over its data rows.
pub struct Table {
    pub headers: Vec<String>,
    pub layout: Layout,
    rows: Box<dyn Iterator<Item = Result<Row, ReadError>>>,
}

impl Iterator for Table {
    type Item = Result<Row, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.rows.next()
    }
}

impl std::fmt::Debug for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Table")
            .field("headers", &self.headers)
            .field("layout", &self.layout)
            .finish_non_exhaustive()
    }
}

/// Opens a CSV or Excel file. `encoding` names a CSV file's encoding (a WHATWG label such
/// as `gbk`, `windows-1252`, `utf-8`); without it the encoding is detected.
pub fn open(path: &Path, encoding: Option<&str>) -> Result<Table, ReadError> {
    let name = path.display();
    let mut file = File::open(path).map_err(|e| {
        ReadError::File(crate::t!(
            "import-cannot-open",
            name = name.to_string(),
            error = e.to_string()
        ))
    })?;
    let mut sample = Vec::with_capacity(SAMPLE_BYTES);
    (&mut file)
        .take(SAMPLE_BYTES as u64)
        .read_to_end(&mut sample)
        .map_err(|e| {
            ReadError::File(crate::t!(
                "import-cannot-read",
                name = name.to_string(),
                error = e.to_string()
            ))
        })?;
    if sample.is_empty() {
        return Err(ReadError::File(crate::t!(
            "import-is-empty",
            what = name.to_string()
        )));
    }
    if sample.starts_with(b"\xD0\xCF\x11\xE0") {
        return Err(ReadError::File(crate::t!("import-xls", name = name)));
    }
    if sample.starts_with(b"PK\x03\x04") {
        drop(file);
        return open_workbook(path);
    }
    file.seek(SeekFrom::Start(0)).map_err(|e| {
        ReadError::File(crate::t!(
            "import-cannot-read",
            name = name.to_string(),
            error = e.to_string()
        ))
    })?;
    open_csv(file, &sample, encoding, &name.to_string())
}

/// Reads CSV text that is already in memory (tests, and the standard input).
pub fn from_bytes(bytes: Vec<u8>, encoding: Option<&str>) -> Result<Table, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::File(crate::t!("import-file-is-empty")));
    }
    let sample = bytes[..bytes.len().min(SAMPLE_BYTES)].to_vec();
    open_csv(
        std::io::Cursor::new(bytes),
        &sample,
        encoding,
        &crate::t!("import-the-file"),
    )
}

fn open_csv<R: Read + 'static>(
    input: R,
    sample: &[u8],
    encoding: Option<&str>,
    name: &str,
) -> Result<Table, ReadError> {
    let encoding = match encoding {
        Some(label) => Encoding::for_label(label.trim().as_bytes())
            .ok_or_else(|| ReadError::File(crate::t!("import-unknown-encoding", label = label)))?,
        None => detect_encoding(sample, name)?,
    };
    let (text, _, _) = encoding.decode(sample);
    let delimiter = detect_delimiter(&text);
    let decoded = DecodeReaderBytesBuilder::new()
        .encoding(Some(encoding))
        .bom_override(true)
        .build(input);
    let mut reader = CsvReader::new(decoded, delimiter);
    let headers = loop {
        match reader.record(&[]) {
            None => {
                return Err(ReadError::File(crate::t!(
                    "import-no-header",
                    name = name.to_string()
                )));
            }
            Some(Err(e)) => return Err(e),
            Some(Ok((_, r))) if r.iter().all(|c| c.trim().is_empty()) => continue,
            Some(Ok((_, r))) => break clean_headers(r.iter().map(String::as_str))?,
        }
    };
    let width = headers.len();
    let names = headers.clone();
    let rows = std::iter::from_fn(move || {
        loop {
            return Some(match reader.record(&names)? {
                Err(e) => Err(e),
                Ok((_, cells)) if cells.iter().all(|c| c.trim().is_empty()) => continue,
                Ok((line, cells)) => row(line, cells.into_iter(), width, &names),
            });
        }
    });
    Ok(Table {
        headers,
        layout: Layout {
            kind: "CSV",
            encoding: encoding.name(),
            delimiter: Some(char::from(delimiter)),
        },
        rows: Box::new(rows),
    })
}

/// The most a CSV record (a row, all its cells) may hold; see [`MAX_CELL_BYTES`].
pub const MAX_RECORD_BYTES: usize = 8 << 20;

/// Reads CSV records with the size limits applied as the bytes come in, not after a
/// record is whole: a quote that is never closed makes the rest of a file one cell, and
/// a file of gigabytes would be in memory before its size could be refused. (The csv
/// crate's reader grows a record without bound; this drives its parser, csv-core,
/// directly, with the same dialect: RFC 4180 quoting, CR, LF or CRLF line ends, blank
/// lines skipped.) It also counts lines as an editor does — the first line of a record,
/// blank lines and line breaks inside quoted cells counted — since that is where a person
/// looks for "line 17".
struct CsvReader<R> {
    input: BufReader<R>,
    parser: csv_core::Reader,
    /// Line breaks read so far.
    newlines: u64,
    /// The cell being read; grows up to [`MAX_CELL_BYTES`] + 1.
    field: Vec<u8>,
    done: bool,
}

impl<R: Read> CsvReader<R> {
    fn new(input: R, delimiter: u8) -> Self {
        CsvReader {
            input: BufReader::with_capacity(1 << 16, input),
            parser: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            newlines: 0,
            field: vec![0; 1024],
            done: false,
        }
    }

    /// The next record: its line and cells. `names` are the header's columns: a record
    /// keeps as many cells (a value beyond them is an error; blank cells beyond them are
    /// dropped), and a cell too large is named by its column. Without names (the header
    /// itself), up to [`MAX_COLUMNS`] cells are kept. After an error the rest of the bad
    /// record is read and dropped, so that the next record starts where it should.
    fn record(&mut self, names: &[String]) -> Option<Result<(u64, Vec<String>), ReadError>> {
        if self.done {
            return None;
        }
        if let Err(e) = self.skip_blank_lines() {
            return Some(Err(e));
        }
        let line = self.newlines + 1;
        let max_cells = if names.is_empty() {
            MAX_COLUMNS
        } else {
            names.len()
        };
        let column = |i: usize| {
            names
                .get(i)
                .cloned()
                .unwrap_or_else(|| format!("#{}", i + 1))
        };
        let mut cells: Vec<String> = Vec::with_capacity(max_cells.min(64));
        let mut index = 0usize;
        let mut record_bytes = 0usize;
        let mut error: Option<ReadError> = None;
        loop {
            let (filled, end) = match self.field_into_buffer() {
                Ok(Some(read)) => read,
                Ok(None) => {
                    // The input ended where a record would start.
                    self.done = true;
                    return None;
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(ReadError::Line {
                        line,
                        message: crate::t!("import-cannot-be-read", error = e.to_string()),
                    }));
                }
            };
            record_bytes = record_bytes.saturating_add(filled);
            if error.is_none() {
                error = if filled > MAX_CELL_BYTES {
                    Some(ReadError::Cell {
                        line,
                        column: column(index),
                        message: crate::t!(
                            "import-cell-too-long-open",
                            most = MAX_CELL_BYTES / 1024
                        ),
                    })
                } else if record_bytes > MAX_RECORD_BYTES {
                    Some(ReadError::Line {
                        line,
                        message: crate::t!("import-row-too-long", most = MAX_RECORD_BYTES >> 20),
                    })
                } else {
                    match std::str::from_utf8(&self.field[..filled]) {
                        Err(_) => Some(ReadError::Line {
                            line,
                            message: crate::t!("import-bad-text"),
                        }),
                        Ok(text) if index < max_cells => {
                            cells.push(text.to_string());
                            None
                        }
                        Ok(text) if text.trim().is_empty() => None,
                        Ok(_) if names.is_empty() => Some(ReadError::Line {
                            line,
                            message: crate::t!("import-too-many-columns", most = MAX_COLUMNS),
                        }),
                        Ok(_) => Some(ReadError::Line {
                            line,
                            message: crate::t!(
                                "import-value-past-header",
                                column = index + 1,
                                width = max_cells
                            ),
                        }),
                    }
                };
            }
            index += 1;
            if end {
                return Some(match error {
                    Some(e) => Err(e),
                    None => Ok((line, cells)),
                });
            }
        }
    }

    /// Skips the line breaks before a record (blank lines), counting them.
    fn skip_blank_lines(&mut self) -> Result<(), ReadError> {
        loop {
            let buf = self.input.fill_buf().map_err(|e| ReadError::Line {
                line: self.newlines + 1,
                message: crate::t!("import-cannot-be-read", error = e.to_string()),
            })?;
            let n = buf
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
            let whole = n == buf.len() && n > 0;
            self.newlines += buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
            self.input.consume(n);
            if !whole {
                return Ok(());
            }
        }
    }

    /// Reads one field into `self.field`: how many bytes it has (past
    /// [`MAX_CELL_BYTES`], only that it has more: the rest is read and dropped) and
    /// whether it ends its record; `None` at the end of the input.
    fn field_into_buffer(&mut self) -> std::io::Result<Option<(usize, bool)>> {
        let mut filled = 0usize;
        let mut overflow = 0usize;
        loop {
            let input = self.input.fill_buf()?;
            let (result, nin, nout) = self.parser.read_field(input, &mut self.field[filled..]);
            self.newlines += input[..nin].iter().filter(|&&b| b == b'\n').count() as u64;
            self.input.consume(nin);
            filled += nout;
            match result {
                csv_core::ReadFieldResult::InputEmpty => {}
                csv_core::ReadFieldResult::OutputFull => {
                    if self.field.len() <= MAX_CELL_BYTES {
                        let grown = (self.field.len() * 2).min(MAX_CELL_BYTES + 1);
                        self.field.resize(grown, 0);
                    } else {
                        // Past the limit: keep counting, stop keeping.
                        overflow = overflow.saturating_add(filled);
                        filled = 0;
                    }
                }
                csv_core::ReadFieldResult::Field { record_end } => {
                    let size = if overflow > 0 {
                        MAX_CELL_BYTES + 1
                    } else {
                        filled
                    };
                    return Ok(Some((size, record_end)));
                }
                csv_core::ReadFieldResult::End => return Ok(None),
            }
        }
    }
}

/// Checks a row's cells against the header and the size limit.
fn row(
    line: u64,
    cells: impl Iterator<Item = String>,
    width: usize,
    headers: &[String],
) -> Result<Row, ReadError> {
    let mut out = Vec::with_capacity(width);
    for (i, cell) in cells.enumerate() {
        if cell.len() > MAX_CELL_BYTES {
            return Err(ReadError::Cell {
                line,
                column: headers
                    .get(i)
                    .cloned()
                    .unwrap_or_else(|| format!("#{}", i + 1)),
                message: crate::t!(
                    "import-cell-too-long",
                    kb = cell.len() / 1024,
                    most = MAX_CELL_BYTES / 1024
                ),
            });
        }
        if i >= width {
            if cell.trim().is_empty() {
                continue;
            }
            return Err(ReadError::Line {
                line,
                message: crate::t!("import-value-past-header", column = i + 1, width = width),
            });
        }
        // A cell an export neutralised against formula injection reads as it was.
        match super::export::unneutralise(&cell) {
            plain if plain.len() != cell.len() => out.push(plain.to_string()),
            _ => out.push(cell),
        }
    }
    // Spreadsheets often drop trailing empty cells: they are empty, not missing.
    out.resize(width, String::new());
    Ok(Row { line, cells: out })
}

/// The header row, trimmed; every column named, no name twice.
fn clean_headers<'a>(cells: impl Iterator<Item = &'a str>) -> Result<Vec<String>, ReadError> {
    let mut headers: Vec<String> = cells
        .map(|c| c.trim_start_matches('\u{feff}').trim().to_string())
        .collect();
    while headers.last().is_some_and(String::is_empty) {
        headers.pop();
    }
    if headers.len() > MAX_COLUMNS {
        return Err(ReadError::Line {
            line: 1,
            message: crate::t!(
                "import-header-too-wide",
                count = headers.len(),
                most = MAX_COLUMNS
            ),
        });
    }
    let mut seen = std::collections::HashSet::with_capacity(headers.len());
    for (i, h) in headers.iter().enumerate() {
        if h.len() > 1024 {
            return Err(ReadError::Line {
                line: 1,
                message: format!("column {} has a header of {} bytes", i + 1, h.len()),
            });
        }
        if !h.is_empty() && !seen.insert(h.to_lowercase()) {
            return Err(ReadError::Line {
                line: 1,
                message: crate::t!("import-header-twice", column = h.as_str()),
            });
        }
    }
    Ok(headers)
}

/// Tells the encoding of a CSV file from its first bytes: a byte-order mark, else UTF-8
/// when the bytes are valid UTF-8, else the likeliest legacy encoding (GB18030 for
/// Chinese Excel, Windows-1252 for Western Excel) by Mozilla's detector.
fn detect_encoding(sample: &[u8], name: &str) -> Result<&'static Encoding, ReadError> {
    if let Some((encoding, _)) = Encoding::for_bom(sample) {
        return Ok(encoding);
    }
    if sample.contains(&0) {
        return Err(ReadError::File(crate::t!(
            "import-binary",
            name = name.to_string()
        )));
    }
    let valid_utf8 = match std::str::from_utf8(sample) {
        Ok(_) => true,
        // A sample cut inside a character is still UTF-8.
        Err(e) => e.error_len().is_none(),
    };
    if valid_utf8 {
        return Ok(encoding_rs::UTF_8);
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(sample, sample.len() < SAMPLE_BYTES);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    // GBK is a subset of GB18030: decoding as the superset loses nothing.
    Ok(if guess == encoding_rs::GBK {
        encoding_rs::GB18030
    } else {
        guess
    })
}

/// The delimiter of a CSV file: whichever of comma, semicolon and tab its header line
/// holds most often outside quotes (Excel writes semicolons where the decimal mark is a
/// comma, and "Unicode text" with tabs).
fn detect_delimiter(text: &str) -> u8 {
    let text = text.trim_start_matches('\u{feff}');
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            _ if quoted => {}
            _ => {
                for (d, n) in &mut counts {
                    if c == char::from(*d) {
                        *n += 1;
                    }
                }
            }
        }
    }
    counts
        .iter()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n > 0)
        .map_or(b',', |(d, _)| *d)
}

/// The most rows a sheet may have: Excel's own limit.
pub const MAX_SHEET_ROWS: u32 = 1 << 20;

/// The most cells a sheet may hold: a million rows of twenty columns.
pub const MAX_SHEET_CELLS: u64 = 20_000_000;

/// The most bytes any part of a workbook may unzip to (the sheet's XML is read as a
/// stream, but a zip of a few kilobytes can unzip to gigabytes).
pub const MAX_PART_BYTES: u64 = 512 << 20;

/// The most bytes the shared strings may unzip to: they are read whole, before any row.
pub const MAX_SHARED_STRINGS_BYTES: u64 = 64 << 20;

/// How many rows a workbook's reader thread reads ahead of the import.
const ROWS_AHEAD: usize = 1024;

/// Opens an Excel workbook (`.xlsx`), first sheet. Everything is bounded before it is
/// read: each part of the archive by what it really unzips to (not what it says it
/// does), the sheet by its rows, columns and cells. The sheet is streamed from a thread
/// that owns the workbook, row by row, so memory does not grow with it; the declared
/// dimensions, which a hostile file can make huge, are never allocated.
fn open_workbook(path: &Path) -> Result<Table, ReadError> {
    let name = path.display().to_string();
    let not_xlsx = |e: &dyn std::fmt::Display| {
        ReadError::File(crate::t!(
            "import-workbook-unreadable",
            name = name.as_str(),
            error = e.to_string()
        ))
    };
    let file = File::open(path).map_err(|e| {
        ReadError::File(crate::t!(
            "import-cannot-open",
            name = name.to_string(),
            error = e.to_string()
        ))
    })?;
    check_unzipped_sizes(BufReader::new(file), &name)?;
    let file = File::open(path).map_err(|e| {
        ReadError::File(crate::t!(
            "import-cannot-open",
            name = name.to_string(),
            error = e.to_string()
        ))
    })?;
    let book: calamine::Xlsx<_> =
        calamine::Xlsx::new(BufReader::new(file)).map_err(|e| not_xlsx(&e))?;
    let (sender, receiver) = std::sync::mpsc::sync_channel(ROWS_AHEAD);
    let thread_name = name.clone();
    std::thread::Builder::new()
        .name("xlsx".into())
        .spawn(move || stream_sheet(book, &thread_name, &sender))
        .map_err(|e| {
            ReadError::File(crate::t!(
                "import-cannot-read",
                name = name.to_string(),
                error = e.to_string()
            ))
        })?;
    let mut rows = receiver.into_iter();
    let headers = loop {
        match rows.next() {
            None => {
                return Err(ReadError::File(crate::t!(
                    "import-no-header",
                    name = name.to_string()
                )));
            }
            Some(Err(e)) => return Err(e),
            Some(Ok((_, cells))) if cells.iter().all(|c| c.trim().is_empty()) => continue,
            Some(Ok((_, cells))) => break clean_headers(cells.iter().map(String::as_str))?,
        }
    };
    let width = headers.len();
    let names = headers.clone();
    let data = rows.filter_map(move |r| match r {
        Err(e) => Some(Err(e)),
        Ok((_, cells)) if cells.iter().all(|c| c.trim().is_empty()) => None,
        Ok((line, cells)) => Some(row(line, cells.into_iter(), width, &names)),
    });
    Ok(Table {
        headers,
        layout: Layout {
            kind: "Excel",
            encoding: "UTF-8",
            delimiter: None,
        },
        rows: Box::new(data),
    })
}

/// Unzips every part of the archive into nothing, counting, and refuses the workbook when
/// one unzips to more than its limit: sizes recorded in a zip are the writer's word.
fn check_unzipped_sizes(file: impl Read + Seek, name: &str) -> Result<(), ReadError> {
    let bad = |e: &dyn std::fmt::Display| {
        ReadError::File(crate::t!(
            "import-workbook-read-failed",
            name = name,
            error = e.to_string()
        ))
    };
    let mut zip = zip::ZipArchive::new(file).map_err(|e| bad(&e))?;
    for i in 0..zip.len() {
        let part = zip.by_index(i).map_err(|e| bad(&e))?;
        let part_name = part.name().map(|n| n.into_owned()).unwrap_or_default();
        let limit = if part_name.ends_with("sharedStrings.xml") {
            MAX_SHARED_STRINGS_BYTES
        } else {
            MAX_PART_BYTES
        };
        let read =
            std::io::copy(&mut part.take(limit + 1), &mut std::io::sink()).map_err(|e| bad(&e))?;
        if read > limit {
            return Err(ReadError::File(crate::t!(
                "import-workbook-part-too-large",
                name = name,
                part = crate::text::truncate(&part_name, 60),
                most = limit >> 20
            )));
        }
    }
    Ok(())
}

/// One row of a sheet as read: its line (as Excel numbers rows) and its cells.
type SheetRow = Result<(u64, Vec<String>), ReadError>;

/// Reads the first sheet cell by cell and sends it on row by row, until the import stops
/// listening. The header row sets the width: a value beyond it is an error, as in a CSV
/// file.
fn stream_sheet<R: Read + Seek>(
    mut book: calamine::Xlsx<R>,
    name: &str,
    out: &std::sync::mpsc::SyncSender<SheetRow>,
) {
    let result = (|| -> Result<(), ReadError> {
        let bad = |e: &dyn std::fmt::Display| {
            ReadError::File(crate::t!(
                "import-sheet-read-failed",
                name = name,
                error = e.to_string()
            ))
        };
        let first =
            book.sheet_names().into_iter().next().ok_or_else(|| {
                ReadError::File(crate::t!("import-workbook-no-sheet", name = name))
            })?;
        let mut cells = book.worksheet_cells_reader(&first).map_err(|e| bad(&e))?;
        let mut width: Option<usize> = None;
        let mut current: Option<(u32, Vec<String>)> = None;
        let mut count: u64 = 0;
        let send = |line_row: u32, cells: Vec<String>, width: &mut Option<usize>| -> bool {
            if width.is_none() && cells.iter().any(|c| !c.trim().is_empty()) {
                *width = Some(cells.len());
            }
            out.send(Ok((u64::from(line_row) + 1, cells))).is_ok()
        };
        while let Some(cell) = cells.next_cell().map_err(|e| bad(&e))? {
            let (r, c) = cell.get_position();
            let line = u64::from(r) + 1;
            count += 1;
            if count > MAX_SHEET_CELLS {
                return Err(ReadError::File(crate::t!(
                    "import-sheet-too-many-cells",
                    name = name,
                    most = MAX_SHEET_CELLS
                )));
            }
            if r >= MAX_SHEET_ROWS {
                return Err(ReadError::Line {
                    line,
                    message: crate::t!("import-sheet-too-many-rows", most = MAX_SHEET_ROWS),
                });
            }
            let text = cell_text(&calamine::Data::from(cell.get_value().clone()));
            if let Some((row, _)) = &current
                && *row != r
            {
                if r < *row {
                    return Err(ReadError::Line {
                        line,
                        message: crate::t!("import-sheet-rows-out-of-order"),
                    });
                }
                if let Some((row, done)) = current.take()
                    && !send(row, done, &mut width)
                {
                    return Ok(());
                }
            }
            let (_, row) = current.get_or_insert_with(|| (r, Vec::new()));
            let c = c as usize;
            let limit = width.unwrap_or(MAX_COLUMNS);
            if c >= limit {
                if text.trim().is_empty() {
                    continue;
                }
                return Err(ReadError::Line {
                    line,
                    message: match width {
                        Some(w) => crate::t!("import-value-past-header", column = c + 1, width = w),
                        None => crate::t!("import-too-many-columns", most = MAX_COLUMNS),
                    },
                });
            }
            if row.len() <= c {
                row.resize(c + 1, String::new());
            }
            row[c] = text;
        }
        if let Some((row, done)) = current.take() {
            send(row, done, &mut width);
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = out.send(Err(e));
    }
}

/// A workbook cell as the text a CSV export of it would hold: whole numbers without a
/// decimal point, dates as ISO dates (with the time when it is not midnight).
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => match d.as_datetime() {
            Some(dt) if dt.time() == chrono::NaiveTime::MIN => dt.date().to_string(),
            Some(dt) => dt.format("%Y-%m-%d %H:%M:%S").to_string(),
            None => d.as_f64().to_string(),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> (Vec<String>, Vec<Result<Row, ReadError>>) {
        let table = from_bytes(bytes.to_vec(), None).unwrap();
        let headers = table.headers.clone();
        (headers, table.collect())
    }

    #[test]
    fn delimiters_are_detected_outside_quotes() {
        assert_eq!(detect_delimiter("a,b,c\n1;2;3;4;5"), b',');
        assert_eq!(detect_delimiter("\"x;y\",b,c"), b',');
        assert_eq!(detect_delimiter("Titel;Wert;Firma\n"), b';');
        assert_eq!(detect_delimiter("a\tb\tc"), b'\t');
        assert_eq!(detect_delimiter("one column"), b',');
    }

    #[test]
    fn a_bom_is_dropped_and_lines_are_numbered_as_a_spreadsheet_does() {
        let (headers, rows) =
            read(b"\xEF\xBB\xBFTitle;Amount\r\nA;1\r\n\r\n\"B\nsecond line\";2\r\n");
        assert_eq!(headers, ["Title", "Amount"]);
        let rows: Vec<Row> = rows.into_iter().map(Result::unwrap).collect();
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[1].line, 4, "the blank line is skipped but counted");
        assert_eq!(rows[1].cells, ["B\nsecond line", "2"]);
    }

    #[test]
    fn lines_count_blank_lines_and_line_breaks_inside_cells() {
        for text in [
            "a\n1\n\n\n2\n\"x\ny\"\n3\n",
            "a\r\n1\r\n\r\n\r\n2\r\n\"x\r\ny\"\r\n3",
        ] {
            let (_, rows) = read(text.as_bytes());
            let lines: Vec<u64> = rows.into_iter().map(|r| r.unwrap().line).collect();
            assert_eq!(lines, [2, 5, 6, 8], "{text:?}");
        }
    }

    #[test]
    fn gbk_and_windows_1252_are_detected() {
        let (gbk, _, _) = encoding_rs::GBK
            .encode("客户,金额\n华为技术有限公司,100\n北京字节跳动科技有限公司,200\n");
        let (headers, rows) = read(&gbk);
        assert_eq!(headers, ["客户", "金额"]);
        assert_eq!(rows[0].as_ref().unwrap().cells[0], "华为技术有限公司");

        let (latin, _, _) = encoding_rs::WINDOWS_1252
            .encode("Société,Montant\nCafé Müller,1 000\nGroße Straße,5\n");
        let (headers, rows) = read(&latin);
        assert_eq!(headers, ["Société", "Montant"]);
        assert_eq!(rows[0].as_ref().unwrap().cells[0], "Café Müller");
    }

    #[test]
    fn an_encoding_can_be_given() {
        let (gbk, _, _) = encoding_rs::GBK.encode("名称\n测试\n");
        let table = from_bytes(gbk.into_owned(), Some("gbk")).unwrap();
        assert_eq!(table.layout.encoding, "GBK");
        assert_eq!(table.headers, ["名称"]);
        let err = from_bytes(b"a\n1\n".to_vec(), Some("klingon")).unwrap_err();
        assert!(
            err.to_string().contains("unknown encoding 'klingon'"),
            "{err}"
        );
    }

    #[test]
    fn bad_files_and_rows_are_named() {
        assert_eq!(
            from_bytes(Vec::new(), None).unwrap_err().to_string(),
            "the file is empty"
        );
        let err = from_bytes(b"a,b\n\x00\x01\x02\xff".to_vec(), None).unwrap_err();
        assert!(err.to_string().contains("binary data"), "{err}");
        let err = from_bytes(b"Title,title\n".to_vec(), None).unwrap_err();
        assert!(
            err.to_string().contains("names column 'title' twice"),
            "{err}"
        );

        let (_, rows) = read(b"a,b\n1,2,3\n1\n");
        assert_eq!(
            rows[0].as_ref().unwrap_err().to_string(),
            "line 2: has a value in column 3 but the header names only 2 columns"
        );
        assert_eq!(rows[1].as_ref().unwrap().cells, ["1", ""]);

        let mut big = b"Title,Notes\nx,".to_vec();
        big.extend(std::iter::repeat_n(b'y', MAX_CELL_BYTES + 1));
        big.push(b'\n');
        let (_, rows) = read(&big);
        let err = rows[0].as_ref().unwrap_err().to_string();
        assert!(
            err.starts_with("line 2, column 'Notes': a cell of more than 1024 KB"),
            "{err}"
        );
    }

    /// A workbook written as Excel would, with `cells` (row, column, text) on one sheet.
    fn workbook(dir: &tempfile::TempDir, cells: &[(u32, u16, &str)]) -> std::path::PathBuf {
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet();
        for &(r, c, text) in cells {
            ws.write_string(r, c, text).unwrap();
        }
        let path = dir.path().join("book.xlsx");
        book.save(&path).unwrap();
        path
    }

    #[test]
    fn a_workbook_streams_its_rows_and_its_dimensions_are_never_allocated() {
        let dir = tempfile::tempdir().unwrap();
        let path = workbook(
            &dir,
            &[
                (0, 0, "Title"),
                (0, 1, "Amount"),
                (1, 0, "A"),
                (1, 1, "1"),
                (3, 0, "B"),
            ],
        );
        let table = open(&path, None).unwrap();
        assert_eq!(table.layout.kind, "Excel");
        assert_eq!(table.headers, ["Title", "Amount"]);
        let rows: Vec<Row> = table.map(Result::unwrap).collect();
        assert_eq!(
            rows,
            [
                Row {
                    line: 2,
                    cells: vec!["A".into(), "1".into()]
                },
                Row {
                    line: 4,
                    cells: vec!["B".into(), String::new()]
                },
            ]
        );

        // One cell in the sheet's last row and column: a dense reading would be 17
        // billion cells. Read as a stream, it is one value beyond the header, named.
        let path = workbook(
            &dir,
            &[(0, 0, "Title"), (1, 0, "A"), (1_048_575, 16_383, "far")],
        );
        let rows: Vec<_> = open(&path, None).unwrap().collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[1].as_ref().unwrap_err().to_string(),
            "line 1048576: has a value in column 16384 but the header names only 1 columns"
        );

        let path = workbook(&dir, &[(0, 0, "Title"), (0, 5_000, "Wide")]);
        let err = open(&path, None).unwrap_err().to_string();
        assert_eq!(
            err,
            "line 1: the header names more than 1000 columns; the most a file may have is 1000"
        );
    }

    #[test]
    fn a_workbook_that_unzips_to_more_than_its_limit_is_refused_before_it_is_read() {
        use std::io::Write as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bomb.xlsx");
        let mut zip = zip::ZipWriter::new(File::create(&path).unwrap());
        let deflate = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("xl/sharedStrings.xml", deflate).unwrap();
        let chunk = vec![b'a'; 1 << 20];
        for _ in 0..=(MAX_SHARED_STRINGS_BYTES >> 20) {
            zip.write_all(&chunk).unwrap();
        }
        zip.finish().unwrap();
        assert!(
            std::fs::metadata(&path).unwrap().len() < 1 << 20,
            "a small file"
        );
        let err = open(&path, None).unwrap_err().to_string();
        assert!(
            err.ends_with(
                "unzips xl/sharedStrings.xml to more than 64 MB; the most a part may hold is 64 MB"
            ),
            "{err}"
        );
    }

    /// Bytes without end after an opening quote, made as they are read (never in memory).
    struct Endless {
        head: &'static [u8],
        left: usize,
    }

    impl Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if !self.head.is_empty() {
                let n = self.head.len().min(buf.len());
                buf[..n].copy_from_slice(&self.head[..n]);
                self.head = &self.head[n..];
                return Ok(n);
            }
            let n = self.left.min(buf.len());
            buf[..n].fill(b'y');
            self.left -= n;
            Ok(n)
        }
    }

    #[test]
    fn a_quote_never_closed_is_refused_as_it_is_read_not_after() {
        // 64 MB in one cell: the reader keeps at most the limit of it.
        let input = Endless {
            head: b"Title,Notes\nok,fine\n\nbad,\"never closed",
            left: 64 << 20,
        };
        let mut reader = CsvReader::new(input, b',');
        let names = vec!["Title".to_string(), "Notes".to_string()];
        assert_eq!(reader.record(&[]).unwrap().unwrap().1, names);
        assert_eq!(
            reader.record(&names).unwrap().unwrap(),
            (2, vec!["ok".into(), "fine".into()])
        );
        let err = reader.record(&names).unwrap().unwrap_err().to_string();
        assert!(
            err.starts_with(
                "line 4, column 'Notes': a cell of more than 1024 KB; the most a cell may hold is 1024 KB (a quote left open"
            ),
            "{err}"
        );
        assert!(
            reader.field.len() <= MAX_CELL_BYTES + 1,
            "{}",
            reader.field.len()
        );
        assert!(
            reader.record(&names).is_none(),
            "the cell ran to the end of the file"
        );
    }

    #[test]
    fn a_row_too_large_or_too_wide_is_refused_and_the_next_one_read() {
        let cell = "z".repeat(MAX_CELL_BYTES - 10);
        let mut csv = String::from("A,B,C,D,E,F,G,H,I,J\n");
        csv.push_str(&[cell.as_str(); 10].join(","));
        csv.push_str("\nnext,row\n");
        // Thousands of empty cells beyond the header's ten are dropped, not kept.
        csv.push_str(&format!("wide{}\n", ",".repeat(200_000)));
        csv.push_str(&format!("wider{},x\n", ",".repeat(20)));
        let (_, rows) = read(csv.as_bytes());
        assert_eq!(
            rows[0].as_ref().unwrap_err().to_string(),
            "line 2: a row of more than 8 MB; the most a row may hold is 8 MB"
        );
        assert_eq!(rows[1].as_ref().unwrap().cells[..2], ["next", "row"]);
        let wide = rows[2].as_ref().unwrap();
        assert_eq!((wide.line, wide.cells.len()), (4, 10));
        assert_eq!(
            rows[3].as_ref().unwrap_err().to_string(),
            "line 5: has a value in column 22 but the header names only 10 columns"
        );
    }
}
