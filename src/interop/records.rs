//! A file's rows as typed records: every cell parsed (amounts, dates, stages, enums,
//! emails) by the rules the rest of SalesDesk uses, every failure an [`RowError`] naming
//! the line and the column. What comes out needs no further checking, only matching
//! against the book (which the import use case does).

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, NaiveDateTime};

use super::map::{Entity, Field, Mapping, StageTarget};
use super::source::Row;
use crate::domain::activity::ActivityKind;
use crate::domain::customer::{
    CustomerKind, CustomerStatus, Tier, normalize_tag, validate_email, validate_phone,
    validate_satisfaction,
};
use crate::domain::deal::DealStatus;
use crate::domain::field::{self, FieldDef, FieldValue};
use crate::domain::money::{Currency, Money};
use crate::domain::stage::{Pipeline, STAGE_OF, Stage};
use crate::domain::time::{Millis, Zone};

/// The longest message about one row, in display columns.
const MAX_MESSAGE: usize = 300;

/// A row that cannot be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", match column {
    Some(c) => crate::t!("import-row-error-at", line = *line, column = c.as_str(), message = message.as_str()),
    None => crate::t!("import-row-error", line = *line, message = message.as_str()),
})]
pub struct RowError {
    pub line: u64,
    pub column: Option<String>,
    pub message: String,
}

/// What a record is checked against: the book's stages and pipelines, the user's time
/// zone (for dates without one), the default currency, and now (the creation time of rows
/// that give none).
pub struct Context<'a> {
    pub stages: &'a [Stage],
    pub pipelines: &'a [Pipeline],
    pub zone: Zone,
    pub currency: &'a Currency,
    pub now: Millis,
    /// The book's custom fields: a column headed by one's name (and not taken by a field
    /// of SalesDesk's own) holds its values.
    pub fields: &'a [FieldDef],
}

/// A record's custom field values, as a row gives them (an empty cell gives none).
pub type CustomValues = Vec<(FieldDef, FieldValue)>;

/// A deal as a row gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct DealRecord {
    pub line: u64,
    pub source_id: Option<String>,
    pub title: String,
    pub customer: String,
    pub contact: Option<String>,
    pub stage_id: String,
    pub status: DealStatus,
    pub amount: Money,
    pub expected_close: Option<NaiveDate>,
    pub created_at: Millis,
    /// When a won or lost deal closed; `None` for an open one.
    pub closed_at: Option<Millis>,
    /// Whether a closed deal gave no close time and was closed at its creation.
    pub closed_at_creation: bool,
    pub lost_reason: Option<String>,
    pub owner: Option<String>,
    pub source: Option<String>,
    pub notes: Option<String>,
    pub custom: CustomValues,
    /// The deal's stage history, oldest first; empty when the row gives none.
    pub history: Vec<HistoryStep>,
}

/// One step of a deal's stage history: at `at` it went to `stage_id` with `status`.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryStep {
    pub at: Millis,
    pub stage_id: String,
    pub status: DealStatus,
}

/// The most steps a deal's stage history may have in a file.
const MAX_HISTORY_STEPS: usize = 10_000;

/// A customer as a row gives it; `None` leaves SalesDesk's default (or, when the customer
/// exists, its current value).
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerRecord {
    pub line: u64,
    pub source_id: Option<String>,
    pub name: String,
    pub kind: Option<CustomerKind>,
    pub industry: Option<String>,
    pub region: Option<String>,
    pub tier: Option<Tier>,
    pub status: Option<CustomerStatus>,
    pub owner: Option<String>,
    pub website: Option<String>,
    pub source: Option<String>,
    pub notes: Option<String>,
    pub satisfaction: Option<i64>,
    pub created_at: Option<Millis>,
    pub custom: CustomValues,
    /// Tags to give the customer (those it has stay).
    pub tags: Vec<String>,
}

/// A contact as a row gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactRecord {
    pub line: u64,
    pub source_id: Option<String>,
    pub name: String,
    pub customer: String,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub notes: Option<String>,
    pub custom: CustomValues,
    /// Whether it is its customer's primary contact, when the row says.
    pub primary: Option<bool>,
}

/// An activity as a row gives it: logged when it has a done time or no due time, else
/// a reminder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityRecord {
    pub line: u64,
    pub source_id: Option<String>,
    pub kind: ActivityKind,
    pub subject: String,
    pub body: Option<String>,
    /// The deal it is about, by title (or the source's deal id).
    pub deal: Option<String>,
    pub customer: Option<String>,
    /// The contact it was with, by name (or email) at its customer.
    pub contact: Option<String>,
    pub due_at: Option<Millis>,
    pub done_at: Option<Millis>,
    pub outcome: Option<String>,
    pub owner: Option<String>,
    pub created_at: Millis,
}

/// Any record.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Deal(DealRecord),
    Customer(CustomerRecord),
    Contact(ContactRecord),
    Activity(ActivityRecord),
}

/// Parses one row by `mapping`.
pub fn parse(
    mapping: &Mapping,
    headers: &[String],
    row: &Row,
    cx: &Context<'_>,
) -> Result<Record, RowError> {
    let cells = Cells {
        mapping,
        headers,
        row,
        cx,
    };
    Ok(match mapping.entity {
        Entity::Deals => Record::Deal(cells.deal()?),
        Entity::Customers => Record::Customer(cells.customer()?),
        Entity::Contacts => Record::Contact(cells.contact()?),
        Entity::Activities => Record::Activity(cells.activity()?),
    })
}

/// One row's cells, read by field.
struct Cells<'r> {
    mapping: &'r Mapping,
    headers: &'r [String],
    row: &'r Row,
    cx: &'r Context<'r>,
}

impl<'r> Cells<'r> {
    /// The values of `entity`'s custom fields in the columns headed by their names, each
    /// read as `--set` reads a value (with the file's decimal point); a bad one is an
    /// error at its column, naming the field.
    fn custom(&self, entity: field::Entity) -> Result<CustomValues, RowError> {
        let mut out = Vec::new();
        for def in self.cx.fields.iter().filter(|d| d.entity == entity) {
            let column = self.headers.iter().enumerate().position(|(i, h)| {
                h.trim().eq_ignore_ascii_case(&def.name)
                    && !self.mapping.columns.iter().any(|(_, c)| *c == i)
            });
            let Some(i) = column else { continue };
            let Some(text) = self
                .row
                .cells
                .get(i)
                .map(|c| c.trim())
                .filter(|c| !c.is_empty())
            else {
                continue;
            };
            let typing = field::Typing {
                today: self.cx.zone.today(self.cx.now),
                currency: self.cx.currency.clone(),
                decimal: crate::domain::money::Decimal::Point,
            };
            match def.parse(text, &typing) {
                Ok(Some(value)) => out.push((def.clone(), value)),
                Ok(None) => {}
                Err(why) => {
                    return Err(RowError {
                        line: self.row.line,
                        column: self.headers.get(i).map(|c| crate::text::truncate(c, 60)),
                        message: crate::text::truncate(
                            &crate::t!(
                                "error-field-value",
                                entity = crate::i18n::noun(entity.as_str()),
                                name = def.name.as_str(),
                                why = why
                            ),
                            MAX_MESSAGE,
                        ),
                    });
                }
            }
        }
        Ok(out)
    }

    /// The trimmed text of `field`'s cell; `None` when the file has no such column or the
    /// cell is empty.
    fn text(&self, field: Field) -> Option<&str> {
        let i = self.mapping.column(field)?;
        Some(self.row.cells.get(i)?.trim()).filter(|t| !t.is_empty())
    }

    fn owned(&self, field: Field) -> Option<String> {
        self.text(field).map(str::to_string)
    }

    fn error(&self, field: Option<Field>, message: impl Into<String>) -> RowError {
        RowError {
            line: self.row.line,
            column: field
                .and_then(|f| self.mapping.column(f))
                .and_then(|i| self.headers.get(i).cloned())
                .map(|c| crate::text::truncate(&c, 60)),
            // A message quotes the cell, which may be a megabyte of anything.
            message: crate::text::truncate(&message.into(), MAX_MESSAGE),
        }
    }

    fn required(&self, field: Field, what: &str) -> Result<String, RowError> {
        self.owned(field)
            .ok_or_else(|| self.error(Some(field), crate::t!("import-is-empty", what = what)))
    }

    /// A cell parsed with `parse`, its error put at the cell.
    fn parsed<T>(
        &self,
        field: Field,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<Option<T>, RowError> {
        self.text(field)
            .map(|t| parse(t).map_err(|e| self.error(Some(field), e)))
            .transpose()
    }

    fn instant(&self, field: Field) -> Result<Option<Millis>, RowError> {
        let format = self.mapping.defaults.date_format.as_deref();
        self.parsed(field, |t| parse_instant(t, format, self.cx.zone))
    }

    fn date(&self, field: Field) -> Result<Option<NaiveDate>, RowError> {
        let format = self.mapping.defaults.date_format.as_deref();
        self.parsed(field, |t| parse_date(t, format))
    }

    fn deal(&self) -> Result<DealRecord, RowError> {
        let title = self.required(Field::Title, &crate::t!("import-the-title"))?;
        let customer = self
            .owned(Field::Customer)
            .or_else(|| self.mapping.defaults.customer.clone())
            .ok_or_else(|| self.error(Some(Field::Customer), crate::t!("import-no-customer")))?;
        let currency = match self.text(Field::Currency) {
            Some(code) => code
                .parse::<Currency>()
                .map_err(|e| self.error(Some(Field::Currency), e.to_string()))?,
            None => match &self.mapping.defaults.currency {
                Some(code) => code.parse::<Currency>().map_err(|e| {
                    self.error(
                        None,
                        crate::t!("import-default-currency", error = e.to_string()),
                    )
                })?,
                None => self.cx.currency.clone(),
            },
        };
        let amount = self
            .parsed(Field::Amount, |t| {
                let m = Money::parse(t, &currency).map_err(|e| e.to_string())?;
                if m.currency != currency && self.text(Field::Currency).is_some() {
                    return Err(crate::t!(
                        "import-currency-mismatch",
                        text = t,
                        said = m.currency.to_string(),
                        currency = currency.to_string()
                    ));
                }
                Ok(m)
            })?
            .unwrap_or_else(|| Money::zero(currency.clone()));
        let stages = self.stages()?;
        let (stage_id, mut status) = self.stage(&stages)?;
        if let Some(s) = self.parsed(Field::Status, parse_status)? {
            status = s;
        }
        let created_at = self.instant(Field::Created)?.unwrap_or(self.cx.now);
        // The won (lost) time is read only when the close time is not given, so a bad
        // cell there does not refuse a row that says when it closed.
        let closed_at = match status {
            DealStatus::Open => None,
            closed => match (self.instant(Field::Closed)?, closed) {
                (Some(t), _) => Some(t),
                (None, DealStatus::Won) => self.instant(Field::WonTime)?,
                (None, _) => self.instant(Field::LostTime)?,
            },
        };
        let closed_at_creation = status != DealStatus::Open && closed_at.is_none();
        let closed_at = (status != DealStatus::Open).then(|| closed_at.unwrap_or(created_at));
        if let Some(closed) = closed_at
            && closed < created_at
        {
            return Err(self.error(
                Some(Field::Closed),
                crate::t!("import-closed-before-created"),
            ));
        }
        Ok(DealRecord {
            custom: self.custom(field::Entity::Deal)?,
            line: self.row.line,
            source_id: self.owned(Field::Id),
            title,
            customer,
            contact: self.owned(Field::Contact),
            stage_id,
            status,
            amount,
            expected_close: self.date(Field::ExpectedClose)?,
            created_at,
            closed_at,
            closed_at_creation,
            lost_reason: (status == DealStatus::Lost)
                .then(|| self.owned(Field::LostReason))
                .flatten(),
            owner: self.owned(Field::Owner),
            source: self.owned(Field::Source),
            notes: self.owned(Field::Notes),
            history: self.history(&stages)?,
        })
    }

    /// The stages a deal's stage names are looked up in: those of the pipeline the row
    /// names, else every pipeline's.
    fn stages(&self) -> Result<Cow<'r, [Stage]>, RowError> {
        match self.text(Field::Pipeline) {
            None => Ok(Cow::Borrowed(self.cx.stages)),
            Some(name) => self
                .stages_in(name)
                .map(Cow::Owned)
                .map_err(|e| self.error(Some(Field::Pipeline), e)),
        }
    }

    /// The stages of the pipeline called `name` (any case) or of that id.
    fn stages_in(&self, name: &str) -> Result<Vec<Stage>, String> {
        let name = name.trim();
        let pipelines = self.cx.pipelines;
        let pipeline = pipelines
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name) || p.id == name)
            .ok_or_else(|| {
                let names: Vec<&str> = pipelines.iter().map(|p| p.name.as_str()).collect();
                crate::t!(
                    "import-no-pipeline",
                    name = name,
                    pipelines = names.join(", ")
                )
            })?;
        Ok(self
            .cx
            .stages
            .iter()
            .filter(|s| s.pipeline_id == pipeline.id)
            .cloned()
            .collect())
    }

    /// The deal's stage history, a step a line: when (a time as the other cells give one,
    /// or RFC 3339), the status (open, won, lost) and the stage's name (through the map's
    /// stage names, as the stage cell), as an export of deals writes it. Sorted by time;
    /// a bad line is an error naming it.
    fn history(&self, stages: &[Stage]) -> Result<Vec<HistoryStep>, RowError> {
        let Some(text) = self.text(Field::StageHistory) else {
            return Ok(Vec::new());
        };
        let mut steps = Vec::new();
        for (n, line) in text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .enumerate()
        {
            let bad = |why: String| {
                self.error(
                    Some(Field::StageHistory),
                    crate::t!("import-history-line", line = n + 1, why = why),
                )
            };
            if steps.len() == MAX_HISTORY_STEPS {
                return Err(bad(crate::t!(
                    "import-history-too-long",
                    max = MAX_HISTORY_STEPS
                )));
            }
            steps.push(self.history_step(line, stages).map_err(bad)?);
        }
        steps.sort_by_key(|s| s.at);
        Ok(steps)
    }

    fn history_step(&self, line: &str, stages: &[Stage]) -> Result<HistoryStep, String> {
        let (first, rest) = first_word(line);
        let (second, after_second) = first_word(rest);
        // A time is one word (RFC 3339) or two (a date and a time of day).
        let (when, status, stage) = match parse_status(second) {
            Ok(status) => (first.to_string(), status, after_second),
            Err(_) => {
                let (third, after_third) = first_word(after_second);
                let status = parse_status(third)
                    .map_err(|_| crate::t!("import-history-shape", text = line))?;
                (format!("{first} {second}"), status, after_third)
            }
        };
        let stage = stage.trim();
        if stage.is_empty() {
            return Err(crate::t!("import-history-shape", text = line));
        }
        let format = self.mapping.defaults.date_format.as_deref();
        let at = parse_instant(&when, format, self.cx.zone).or_else(|e| match format {
            // An export's own times, in a file whose other dates the map reads.
            Some(_) => parse_instant(&when, None, self.cx.zone),
            None => Err(e),
        })?;
        // A step in another pipeline than the deal's names it: `Sales › Proposal`.
        let (in_other, stage) = match stage.split_once(STAGE_OF.trim()) {
            Some((pipeline, stage)) => (Some(self.stages_in(pipeline)?), stage.trim()),
            None => (None, stage),
        };
        let name = match self.mapping.stage_target(stage) {
            Some(StageTarget::Stage(name)) => name.as_str(),
            _ => stage,
        };
        let stage = Stage::find(in_other.as_deref().unwrap_or(stages), name)?;
        Ok(HistoryStep {
            at,
            stage_id: stage.id.clone(),
            status,
        })
    }

    /// The deal's stage and the status its stage value implies: a stage of the book (by
    /// the map, or by name), or won/lost (a won deal sits in the last stage it could have
    /// reached, a lost one where the file does not say: the first).
    fn stage(&self, stages: &[Stage]) -> Result<(String, DealStatus), RowError> {
        let (Some(first), Some(last)) = (stages.first(), stages.last()) else {
            return Err(self.error(None, crate::t!("import-no-stages")));
        };
        let value = self
            .owned(Field::Stage)
            .or_else(|| self.mapping.defaults.stage.clone());
        let Some(value) = value else {
            return Ok((first.id.clone(), DealStatus::Open));
        };
        let target = match self.mapping.stage_target(&value) {
            Some(t) => t.clone(),
            None => match value.trim().to_lowercase().as_str() {
                "won" | "closed won" => StageTarget::Won,
                "lost" | "closed lost" => StageTarget::Lost,
                _ => StageTarget::Stage(value.clone()),
            },
        };
        match target {
            StageTarget::Won => Ok((last.id.clone(), DealStatus::Won)),
            StageTarget::Lost => Ok((first.id.clone(), DealStatus::Lost)),
            StageTarget::Stage(name) => match Stage::find(stages, &name) {
                Ok(stage) => Ok((stage.id.clone(), DealStatus::Open)),
                Err(e) => Err(self.error(
                    Some(Field::Stage),
                    crate::t!(
                        "import-stage-unmapped",
                        value = value.as_str(),
                        error = e.to_string(),
                        first = first.name.as_str()
                    ),
                )),
            },
        }
    }

    fn customer(&self) -> Result<CustomerRecord, RowError> {
        Ok(CustomerRecord {
            custom: self.custom(field::Entity::Customer)?,
            line: self.row.line,
            source_id: self.owned(Field::Id),
            name: self.required(Field::Name, &crate::t!("import-the-name"))?,
            kind: self.parsed(Field::Kind, |t| t.to_lowercase().parse())?,
            industry: self.owned(Field::Industry),
            region: self.owned(Field::Region),
            tier: self.parsed(Field::Tier, |t| t.to_lowercase().parse())?,
            status: self.parsed(Field::CustomerStatus, |t| {
                t.to_lowercase().replace(' ', "_").parse()
            })?,
            owner: self.owned(Field::Owner),
            website: self.owned(Field::Website),
            source: self.owned(Field::Source),
            notes: self.owned(Field::Notes),
            satisfaction: self.parsed(Field::Satisfaction, |t| {
                let n: i64 = t
                    .parse()
                    .map_err(|_| crate::t!("import-not-satisfaction", text = t))?;
                validate_satisfaction(n)
            })?,
            created_at: self.instant(Field::Created)?,
            tags: self.tags()?,
        })
    }

    /// The tags of a customer's row, separated by commas, each as `customer tag` takes it;
    /// one given twice is kept once.
    fn tags(&self) -> Result<Vec<String>, RowError> {
        let mut tags: Vec<String> = Vec::new();
        for part in split_tags(self.text(Field::Tags).unwrap_or("")) {
            if part.trim().is_empty() {
                continue;
            }
            let tag = normalize_tag(&part).map_err(|e| self.error(Some(Field::Tags), e))?;
            if !tags.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
                tags.push(tag);
            }
        }
        Ok(tags)
    }

    fn contact(&self) -> Result<ContactRecord, RowError> {
        let name = match self.owned(Field::Name) {
            Some(n) => n,
            None => {
                let parts: Vec<&str> = [Field::FirstName, Field::LastName]
                    .into_iter()
                    .filter_map(|f| self.text(f))
                    .collect();
                if parts.is_empty() {
                    return Err(self.error(
                        Some(Field::Name),
                        crate::t!("import-is-empty", what = crate::t!("import-the-name")),
                    ));
                }
                parts.join(" ")
            }
        };
        let customer = self
            .owned(Field::Customer)
            .or_else(|| self.mapping.defaults.customer.clone())
            .ok_or_else(|| self.error(Some(Field::Customer), crate::t!("import-no-company")))?;
        Ok(ContactRecord {
            custom: self.custom(field::Entity::Contact)?,
            line: self.row.line,
            source_id: self.owned(Field::Id),
            name,
            customer,
            title: self.owned(Field::JobTitle),
            phone: self.parsed(Field::Phone, |t| validate_phone(t).map(|()| t.to_string()))?,
            email: self.parsed(Field::Email, |t| validate_email(t).map(|()| t.to_string()))?,
            notes: self.owned(Field::Notes),
            primary: self.parsed(Field::Primary, |t| {
                field::parse_yes_no(t).ok_or_else(|| crate::t!("field-not-yes-no", text = t))
            })?,
        })
    }

    fn activity(&self) -> Result<ActivityRecord, RowError> {
        let deal = self.owned(Field::Deal);
        let customer = self
            .owned(Field::Customer)
            .or_else(|| self.mapping.defaults.customer.clone());
        if deal.is_none() && customer.is_none() {
            return Err(self.error(
                Some(Field::Customer),
                crate::t!("import-activity-about-nothing"),
            ));
        }
        let created_at = self.instant(Field::Created)?.unwrap_or(self.cx.now);
        let due_at = self.instant(Field::Due)?;
        let mut done_at = self.instant(Field::Done)?;
        if due_at.is_none() && done_at.is_none() {
            // Neither planned nor done: a log entry, done when it was written down.
            done_at = Some(created_at);
        }
        Ok(ActivityRecord {
            line: self.row.line,
            source_id: self.owned(Field::Id),
            kind: self
                .parsed(Field::Kind, |t| t.to_lowercase().parse::<ActivityKind>())?
                .unwrap_or(ActivityKind::Note),
            subject: self.required(Field::Subject, &crate::t!("import-the-subject"))?,
            body: self.owned(Field::Body),
            deal,
            customer,
            contact: self.owned(Field::Contact),
            due_at,
            done_at,
            outcome: self.owned(Field::Outcome),
            owner: self.owned(Field::Owner),
            created_at,
        })
    }
}

/// Tags as one cell: separated by `, `, a comma or backslash in a tag escaped with a
/// backslash (`Shanghai\, Pudong`), so that [`split_tags`] gives them back.
pub(crate) fn join_tags(tags: &[String]) -> String {
    let escaped: Vec<String> = tags
        .iter()
        .map(|t| t.replace('\\', "\\\\").replace(',', "\\,"))
        .collect();
    escaped.join(", ")
}

/// The tags of a cell [`join_tags`] wrote (or a person typed: separated by commas).
pub(crate) fn split_tags(cell: &str) -> Vec<String> {
    let mut tags = Vec::new();
    let mut tag = String::new();
    let mut chars = cell.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                // Only a comma or a backslash is escaped; any other stays as typed.
                Some(next @ (',' | '\\')) => tag.push(next),
                Some(next) => {
                    tag.push('\\');
                    tag.push(next);
                }
                None => tag.push('\\'),
            },
            ',' => tags.push(std::mem::take(&mut tag)),
            c => tag.push(c),
        }
    }
    tags.push(tag);
    tags
}

/// The first word of `text` and what follows it.
fn first_word(text: &str) -> (&str, &str) {
    let text = text.trim_start();
    let end = text.find(char::is_whitespace).unwrap_or(text.len());
    text.split_at(end)
}

fn parse_status(text: &str) -> Result<DealStatus, String> {
    match text.trim().to_lowercase().as_str() {
        "open" => Ok(DealStatus::Open),
        "won" | "closed won" => Ok(DealStatus::Won),
        "lost" | "closed lost" => Ok(DealStatus::Lost),
        _ => Err(crate::t!("import-bad-status", text = text)),
    }
}

/// The ISO forms read when a map gives no date format: a date, a date and time (with
/// seconds or not, `T` or a space), with or without a zone.
const ISO_DATE_TIMES: [&str; 4] = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
];

/// An instant from a cell: RFC 3339, or a local date and time in `zone` (a date alone is
/// its local midnight). `format` (chrono's syntax) replaces the ISO forms.
pub fn parse_instant(text: &str, format: Option<&str>, zone: Zone) -> Result<Millis, String> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.timestamp_millis());
    }
    let formats: Vec<&str> = match format {
        Some(f) => vec![f],
        None => ISO_DATE_TIMES.to_vec(),
    };
    let local = formats
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .or_else(|| {
            let fractional = text.split_once('.').map(|(whole, _)| whole).unwrap_or(text);
            formats
                .iter()
                .find_map(|f| NaiveDateTime::parse_from_str(fractional, f).ok())
        })
        .or_else(|| {
            parse_date(text, format)
                .ok()
                .map(|d| d.and_time(chrono::NaiveTime::MIN))
        });
    match local {
        Some(t) => zone.to_utc(t).map_err(|e| e.to_string()),
        None => Err(not_a_date(text, format)),
    }
}

/// A calendar date from a cell: `format`, else ISO (`2026-11-30`, also with a time after
/// it, which is dropped).
pub fn parse_date(text: &str, format: Option<&str>) -> Result<NaiveDate, String> {
    let text = text.trim();
    let parsed = match format {
        Some(f) => NaiveDate::parse_from_str(text, f).ok().or_else(|| {
            NaiveDateTime::parse_from_str(text, f)
                .ok()
                .map(|t| t.date())
        }),
        None => text
            .get(..10)
            .and_then(|head| NaiveDate::parse_from_str(head, "%Y-%m-%d").ok())
            .filter(|_| text.len() == 10 || text[10..].starts_with([' ', 'T'])),
    };
    parsed.ok_or_else(|| not_a_date(text, format))
}

fn not_a_date(text: &str, format: Option<&str>) -> String {
    match format {
        Some(f) => crate::t!("import-not-a-date-in-format", text = text, format = f),
        None => crate::t!("import-not-an-iso-date", text = text),
    }
}

#[cfg(test)]
mod tests;
