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
    /// In the order `[` and `]` step through them.
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

    /// The form shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Period::Month => "This month",
            Period::Quarter => "This quarter",
            Period::Year => "This year",
            Period::All => "All time",
        }
    }

    /// The next longer period (`]`), wrapping from all time back to this month.
    pub fn next(self) -> Period {
        let i = Period::ALL.iter().position(|p| *p == self).unwrap_or(0);
        Period::ALL[(i + 1) % Period::ALL.len()]
    }

    /// The next shorter period (`[`), wrapping from this month to all time.
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
        match self.days(zone.today(now)) {
            Some((start, end)) => Bounds {
                start: Some(day_start(zone, start)),
                end: Some(day_start(zone, end)),
            },
            None => Bounds::ALL,
        }
    }

    /// The period containing `now` named for people: `November 2026`, `Q4 2026`, `2026`,
    /// `All time`.
    pub fn describe(self, now: Millis, zone: Zone) -> String {
        let today = zone.today(now);
        match self {
            Period::Month => today.format("%B %Y").to_string(),
            Period::Quarter => format!("Q{} {}", (today.month() - 1) / 3 + 1, today.year()),
            Period::Year => today.year().to_string(),
            Period::All => "All time".to_string(),
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
            _ => Err(format!(
                "'{}' is not a report period; use month, quarter, year or all",
                s.trim()
            )),
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
