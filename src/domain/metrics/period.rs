//! The span a report covers, in the user's local calendar.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

use crate::domain::time::{Millis, Zone, local_day_start};

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;

/// The span a report covers, in the user's local calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Period {
    #[default]
    Month,
    Quarter,
    Year,
    All,
}

impl Period {
    /// In the order `p` cycles through them in the Reports view.
    pub const ALL: [Period; 4] = [Period::Month, Period::Quarter, Period::Year, Period::All];

    /// The command-line and JSON form.
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Year => "year",
            Period::All => "all",
        }
    }

    /// The form shown to people ("This month"), in the interface's language.
    pub fn label(self) -> String {
        crate::i18n::message(&self.label_key(), &[])
    }

    /// The catalogue key of [`Period::label`].
    pub fn label_key(self) -> String {
        format!("enum-Period-{}", self.as_str())
    }

    /// The next longer period (`p` in the Reports view), wrapping from all time back to
    /// months.
    pub fn next(self) -> Period {
        let i = Period::ALL.iter().position(|p| *p == self).unwrap_or(0);
        Period::ALL[(i + 1) % Period::ALL.len()]
    }

    /// The next shorter period, wrapping from months to all time.
    pub fn prev(self) -> Period {
        let i = Period::ALL.iter().position(|p| *p == self).unwrap_or(0);
        Period::ALL[(i + Period::ALL.len() - 1) % Period::ALL.len()]
    }

    /// The first local day of the period containing `today`, and of the one after it.
    fn days(self, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        let (year, month) = (today.year(), today.month());
        let first = |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1);
        let (start, months) = match self {
            Period::Month => (first(year, month)?, 1),
            Period::Quarter => (first(year, (month - 1) / 3 * 3 + 1)?, 3),
            Period::Year => (first(year, 1)?, 12),
            Period::All => return None,
        };
        Some((
            start,
            start.checked_add_months(chrono::Months::new(months))?,
        ))
    }

    /// The period containing `now`: local midnight of its first day up to local midnight
    /// of the first day after it, as UTC milliseconds. All time has no bounds.
    pub fn bounds(self, now: Millis, zone: Zone) -> Bounds {
        Span::current(self, now, zone).bounds(zone)
    }

    /// The period containing `now` named for people: `November 2026`, `Q4 2026`, `2026`,
    /// `All time`.
    pub fn describe(self, now: Millis, zone: Zone) -> String {
        Span::current(self, now, zone).describe()
    }
}

/// One particular period on the calendar: a month, a quarter or a year (named by its
/// first day), or all time. What the Reports view steps through with `[`/`]` and what
/// `salesdesk report --period 2026-10 | 2026-Q3 | 2026` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Span {
    kind: Period,
    /// The first day of the month, quarter or year; unused for all time.
    first: NaiveDate,
}

impl Span {
    /// The period of `kind` that contains `day`.
    pub fn containing(kind: Period, day: NaiveDate) -> Span {
        let first = kind.days(day).map_or(day, |(start, _)| start);
        Span { kind, first }
    }

    /// The period of `kind` containing `now` in `zone`: this month, this quarter …
    pub fn current(kind: Period, now: Millis, zone: Zone) -> Span {
        Span::containing(kind, zone.today(now))
    }

    pub fn kind(self) -> Period {
        self.kind
    }

    /// Its first day (for all time, the day it was made from, kept so that cycling back
    /// from all time lands near where the user was).
    pub fn first_day(self) -> NaiveDate {
        self.first
    }

    /// The first day of this period and of the one after it; `None` for all time.
    fn days(self) -> Option<(NaiveDate, NaiveDate)> {
        self.kind.days(self.first)
    }

    /// Its first and last day (both included); `None` for all time.
    pub fn first_and_last_day(self) -> Option<(NaiveDate, NaiveDate)> {
        let (start, next) = self.days()?;
        Some((start, next.pred_opt()?))
    }

    /// The period just before this one (all time has none before it: itself).
    pub fn prev(self) -> Span {
        match self.days() {
            Some((start, _)) => match start.pred_opt() {
                Some(day) => Span::containing(self.kind, day),
                None => self,
            },
            None => self,
        }
    }

    /// The period just after this one, unless it would begin after `today`: reports are
    /// about what happened, and a period to come has nothing in it yet.
    pub fn next(self, today: NaiveDate) -> Option<Span> {
        let (_, end) = self.days()?;
        (end <= today).then(|| Span::containing(self.kind, end))
    }

    /// Whether the period has begun by `today` (all time always has).
    pub fn has_begun(self, today: NaiveDate) -> bool {
        self.days().is_none_or(|(start, _)| start <= today)
    }

    /// Whether `today` falls in it.
    pub fn contains_day(self, today: NaiveDate) -> bool {
        self.days()
            .is_none_or(|(start, end)| start <= today && today < end)
    }

    /// The same moment seen as the next kind (month → quarter → year → all time → month):
    /// the quarter holding this month, the year holding this quarter …
    pub fn cycle_kind(self) -> Span {
        Span::containing(self.kind.next(), self.first)
    }

    /// Local midnight of its first day up to local midnight of the day after it, as UTC
    /// milliseconds. All time has no bounds.
    pub fn bounds(self, zone: Zone) -> Bounds {
        match self.days() {
            Some((start, end)) => Bounds {
                start: Some(day_start(zone, start)),
                end: Some(day_start(zone, end)),
            },
            None => Bounds::ALL,
        }
    }

    /// Named for people: `November 2026`, `Q3 2026`, `2026`, `All time`.
    pub fn describe(self) -> String {
        let d = self.first;
        match self.kind {
            Period::Month => crate::t!("period-month", month = d.month(), year = d.year()),
            Period::Quarter => crate::t!(
                "period-quarter",
                quarter = (d.month() - 1) / 3 + 1,
                year = d.year()
            ),
            Period::Year => crate::t!("period-year", year = d.year()),
            Period::All => crate::t!("enum-Period-all"),
        }
    }

    /// The command-line form: `2026-10`, `2026-Q3`, `2026`, `all`.
    pub fn key(self) -> String {
        let d = self.first;
        match self.kind {
            Period::Month => d.format("%Y-%m").to_string(),
            Period::Quarter => format!("{}-Q{}", d.year(), (d.month() - 1) / 3 + 1),
            Period::Year => d.year().to_string(),
            Period::All => "all".to_string(),
        }
    }

    /// Reads a period as the command line gives it: a word for the period containing
    /// `today` (`month`, `this quarter`, `year`, `all`), or a particular one (`2026-10`,
    /// `2026-Q3`, `2026`). A period that has not begun by `today` is refused.
    pub fn parse(text: &str, today: NaiveDate) -> Result<Span, String> {
        let wanted = text.trim();
        if let Ok(kind) = wanted.parse::<Period>() {
            return Ok(Span::containing(kind, today));
        }
        let span = parse_particular(wanted)
            .ok_or_else(|| crate::t!("period-unknown-or-particular", word = wanted))?;
        if !span.has_begun(today) {
            return Err(crate::t!(
                "period-not-begun",
                period = span.describe(),
                latest = Span::containing(span.kind, today).describe()
            ));
        }
        Ok(span)
    }
}

/// `2026-10`, `2026-Q3` (or `2026-q3`), `2026`; years 1000–9999.
fn parse_particular(text: &str) -> Option<Span> {
    let year_of = |y: &str| -> Option<i32> {
        (y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
            .then(|| y.parse().ok())
            .flatten()
            .filter(|y| *y >= 1000)
    };
    let first = |y: i32, m: u32| NaiveDate::from_ymd_opt(y, m, 1);
    match text.split_once('-') {
        None => Some(Span::containing(Period::Year, first(year_of(text)?, 1)?)),
        Some((y, rest)) => {
            let year = year_of(y)?;
            if let Some(q) = rest.strip_prefix(['Q', 'q']) {
                let q: u32 = (q.len() == 1).then(|| q.parse().ok()).flatten()?;
                if !(1..=4).contains(&q) {
                    return None;
                }
                Some(Span::containing(Period::Quarter, first(year, q * 3 - 2)?))
            } else {
                let m: u32 = (rest.len() == 2 && rest.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| rest.parse().ok())
                    .flatten()?;
                Some(Span::containing(Period::Month, first(year, m)?))
            }
        }
    }
}

fn day_start(zone: Zone, date: NaiveDate) -> Millis {
    match zone {
        Zone::Local => local_day_start(&chrono::Local, date),
        Zone::Named(tz) => local_day_start(&tz, date),
    }
    .timestamp_millis()
}

impl FromStr for Period {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        let wanted = wanted.strip_prefix("this ").unwrap_or(&wanted);
        match wanted {
            "month" => Ok(Period::Month),
            "quarter" => Ok(Period::Quarter),
            "year" => Ok(Period::Year),
            "all" | "all time" => Ok(Period::All),
            _ => Err(crate::t!("period-unknown", word = s.trim())),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `[start, end)` in UTC milliseconds; `None` is open-ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    pub start: Option<Millis>,
    pub end: Option<Millis>,
}

impl Bounds {
    /// No bounds: all time.
    pub const ALL: Bounds = Bounds {
        start: None,
        end: None,
    };

    pub fn contains(&self, at: Millis) -> bool {
        self.start.is_none_or(|s| at >= s) && self.end.is_none_or(|e| at < e)
    }

    /// The start for a SQL range: the earliest instant when open-ended.
    pub fn start_or_min(&self) -> Millis {
        self.start.unwrap_or(Millis::MIN)
    }

    /// The end for a SQL range: the latest instant when open-ended.
    pub fn end_or_max(&self) -> Millis {
        self.end.unwrap_or(Millis::MAX)
    }
}
