//! Time: the injected clock, instants as UTC milliseconds, and the human date and time
//! inputs every form and the CLI share (`tomorrow 10:00`, `+3d`, `next friday`).
//!
//! Parsing is generic over the time zone so that tests can pin one (e.g. Europe/Berlin
//! across a daylight-saving change) while the program uses the machine's local zone.

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone,
    Timelike, Utc, Weekday,
};

mod zh;

/// Unix milliseconds, UTC.
pub type Millis = i64;

/// Where "now" comes from. The program uses [`SystemClock`]; tests and demos a
/// [`FixedClock`] (also what `SALESDESK_NOW` selects).
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;

    fn now_millis(&self) -> Millis {
        self.now().timestamp_millis()
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// Converts stored milliseconds back to a UTC instant (clamped to the epoch if invalid).
pub fn from_millis(ms: Millis) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    #[error("{}", crate::t!("err-TimeError-BadDate", arg0 = .0.to_string()))]
    BadDate(String),
    #[error("{}", crate::t!("err-TimeError-BadWhen", arg0 = .0.to_string()))]
    BadWhen(String),
    #[error("{}", crate::t!("err-TimeError-Skipped", arg0 = .0.to_string()))]
    Skipped(String),
    #[error("{}", crate::t!("err-TimeError-BadPast", arg0 = .0.to_string()))]
    BadPast(String),
    #[error("{}", crate::t!("err-TimeError-Future", arg0 = .0.to_string()))]
    Future(String),
}

/// Parses a calendar date relative to `today`: `YYYY-MM-DD`, `today`, `tomorrow`,
/// `yesterday`, `+N[d|w|m]`, a weekday name (`fri`, `friday`, `next friday`: the next one
/// after today), or the same in Chinese (`明天`, `下周一`: next week's Monday, `周五`).
pub fn parse_date(input: &str, today: NaiveDate) -> Result<NaiveDate, TimeError> {
    let text = input.trim().to_lowercase();
    let bad = || TimeError::BadDate(input.trim().to_string());
    if let Ok(d) = NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
        return Ok(d);
    }
    match text.as_str() {
        "today" => return Ok(today),
        "tomorrow" => return Ok(today + Duration::days(1)),
        "yesterday" => return Ok(today - Duration::days(1)),
        _ => {}
    }
    if let Some(date) = zh::date(&text, today) {
        return Ok(date);
    }
    if let Some(offset) = text.strip_prefix('+') {
        let (n, unit) = split_number_unit(offset).ok_or_else(bad)?;
        return match unit {
            "d" | "day" | "days" => today.checked_add_signed(Duration::days(n)),
            "w" | "week" | "weeks" => today.checked_add_signed(Duration::weeks(n)),
            "m" | "month" | "months" => u32::try_from(n)
                .ok()
                .and_then(|n| today.checked_add_months(chrono::Months::new(n))),
            _ => None,
        }
        .ok_or_else(bad);
    }
    let day = text.strip_prefix("next ").unwrap_or(&text);
    let weekday = parse_weekday(day).ok_or_else(bad)?;
    Ok(next_weekday(today, weekday))
}

fn split_number_unit(s: &str) -> Option<(i64, &str)> {
    let idx = s.find(|c: char| !c.is_ascii_digit())?;
    let n: i64 = s[..idx].parse().ok()?;
    if n > 100_000 {
        return None;
    }
    Some((n, s[idx..].trim()))
}

fn parse_weekday(s: &str) -> Option<Weekday> {
    Some(match s {
        "mon" | "monday" => Weekday::Mon,
        "tue" | "tues" | "tuesday" => Weekday::Tue,
        "wed" | "wednesday" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" => Weekday::Thu,
        "fri" | "friday" => Weekday::Fri,
        "sat" | "saturday" => Weekday::Sat,
        "sun" | "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// The first `weekday` strictly after `today`.
pub fn next_weekday(today: NaiveDate, weekday: Weekday) -> NaiveDate {
    let ahead = (7 + weekday.num_days_from_monday() as i64
        - today.weekday().num_days_from_monday() as i64)
        % 7;
    today + Duration::days(if ahead == 0 { 7 } else { ahead })
}

fn parse_clock_time(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s, "%H:%M")
        .ok()
        .or_else(|| NaiveTime::parse_from_str(s, "%H:%M:%S").ok())
}

/// The default hour for a day given without a time (`tomorrow`, `next monday`).
pub const DEFAULT_HOUR: u32 = 9;

/// Resolves a local wall-clock time to an instant. An ambiguous time (the hour repeated
/// when clocks go back) takes the earlier instant; a skipped one is an error.
pub fn local_to_utc<Tz: TimeZone>(
    tz: &Tz,
    local: NaiveDateTime,
) -> Result<DateTime<Utc>, TimeError> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(early, _) => Ok(early.with_timezone(&Utc)),
        LocalResult::None => Err(TimeError::Skipped(
            local.format("%Y-%m-%d %H:%M").to_string(),
        )),
    }
}

/// Parses a moment for a reminder, relative to `now` in zone `tz`:
/// RFC 3339; `YYYY-MM-DD HH:MM` and `YYYY-MM-DD` (local); `HH:MM` (today, or tomorrow if
/// that has passed); `tomorrow [HH:MM]`, `today HH:MM`, `mon [9:00]`, `next monday [HH:MM]`;
/// `+2h`, `+30m` (minutes), `+3d`, `+1w`; and in Chinese `明天 10:00`, `下周一`,
/// `周五下午3点`, `3天后`. Day offsets keep the local wall-clock time, so `+1d` across a
/// daylight-saving change is still "same time tomorrow". Words that point back
/// (`yesterday 10:00`, `昨天`) are read too: whether the past is allowed is the caller's
/// rule to say.
pub fn parse_when<Tz: TimeZone>(
    input: &str,
    now: DateTime<Tz>,
) -> Result<DateTime<Utc>, TimeError> {
    let raw = input.trim();
    let bad = || TimeError::BadWhen(raw.to_string());
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Ok(t.with_timezone(&Utc));
    }
    let tz = now.timezone();
    let local_now = now.naive_local();
    let text = raw.to_lowercase();
    for fmt in ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(&text, fmt) {
            return local_to_utc(&tz, dt);
        }
    }
    if let Some(when) = zh::when(&text, local_now, zh::Toward::Future, default_time()) {
        return chinese(when, &tz, local_now, now.with_timezone(&Utc));
    }
    if let Some(offset) = text.strip_prefix('+') {
        let (n, unit) = split_number_unit(offset).ok_or_else(bad)?;
        let utc_now = now.with_timezone(&Utc);
        return match unit {
            "m" | "min" | "mins" | "minutes" => Ok(utc_now + Duration::minutes(n)),
            "h" | "hour" | "hours" => Ok(utc_now + Duration::hours(n)),
            "d" | "day" | "days" => local_to_utc(&tz, local_now + Duration::days(n)),
            "w" | "week" | "weeks" => local_to_utc(&tz, local_now + Duration::weeks(n)),
            _ => Err(bad()),
        };
    }
    if let Some(time) = parse_clock_time(&text) {
        let today = local_now.date().and_time(time);
        let candidate = local_to_utc(&tz, today)?;
        if candidate > now.with_timezone(&Utc) {
            return Ok(candidate);
        }
        return local_to_utc(&tz, today + Duration::days(1));
    }
    // "<day words> [time]": split off a trailing time if there is one.
    let (day_part, time) = match text.rsplit_once(' ') {
        Some((day, t)) => match parse_clock_time(t) {
            Some(time) => (day.to_string(), time),
            None => (text.clone(), default_time()),
        },
        None => (text.clone(), default_time()),
    };
    let date = parse_date(&day_part, local_now.date()).map_err(|_| bad())?;
    local_to_utc(&tz, date.and_time(time))
}

/// Parses when something *happened*, for logging it after the fact: what
/// [`parse_when`] reads as an absolute time, and the forms that point back — `-2h`, `-3d`,
/// `yesterday [15:00]`, `today 9:00`, `14:30` (today, or yesterday when that is still to
/// come), a weekday `[time]` (the last one). A time in the future is refused.
pub fn parse_past<Tz: TimeZone>(
    input: &str,
    now: DateTime<Tz>,
) -> Result<DateTime<Utc>, TimeError> {
    let raw = input.trim();
    let bad = || TimeError::BadPast(raw.to_string());
    let tz = now.timezone();
    let local_now = now.naive_local();
    let utc_now = now.with_timezone(&Utc);
    let text = raw.to_lowercase();
    let at = if let Some(when) = zh::when(&text, local_now, zh::Toward::Past, default_time()) {
        chinese(when, &tz, local_now, utc_now)?
    } else if let Some(offset) = text.strip_prefix('-') {
        let (n, unit) = split_number_unit(offset).ok_or_else(bad)?;
        match unit {
            "m" | "min" | "mins" | "minutes" => utc_now - Duration::minutes(n),
            "h" | "hour" | "hours" => utc_now - Duration::hours(n),
            "d" | "day" | "days" => local_to_utc(&tz, local_now - Duration::days(n))?,
            "w" | "week" | "weeks" => local_to_utc(&tz, local_now - Duration::weeks(n))?,
            _ => return Err(bad()),
        }
    } else if let Some(time) = parse_clock_time(&text) {
        let today = local_to_utc(&tz, local_now.date().and_time(time))?;
        if today <= utc_now {
            today
        } else {
            local_to_utc(&tz, (local_now.date() - Duration::days(1)).and_time(time))?
        }
    } else {
        let (day, time) = match text.rsplit_once(' ') {
            Some((day, t)) => match parse_clock_time(t) {
                Some(time) => (day, Some(time)),
                None => (text.as_str(), None),
            },
            None => (text.as_str(), None),
        };
        let today = local_now.date();
        let date = match day {
            "today" => Some(today),
            "yesterday" => Some(today - Duration::days(1)),
            other => parse_weekday(other.strip_prefix("last ").unwrap_or(other)).map(|w| {
                let back =
                    (7 + today.weekday().num_days_from_monday() - w.num_days_from_monday()) % 7;
                today - Duration::days(i64::from(if back == 0 { 7 } else { back }))
            }),
        };
        match date {
            Some(d) => local_to_utc(&tz, d.and_time(time.unwrap_or_else(default_time)))?,
            None => parse_when(raw, now.clone()).map_err(|_| bad())?,
        }
    };
    if at > utc_now {
        return Err(TimeError::Future(raw.to_string()));
    }
    Ok(at)
}

/// The instant of what [`zh::when`] read, in zone `tz`.
fn chinese<Tz: TimeZone>(
    when: zh::When,
    tz: &Tz,
    local_now: NaiveDateTime,
    utc_now: DateTime<Utc>,
) -> Result<DateTime<Utc>, TimeError> {
    match when {
        zh::When::Local(t) => local_to_utc(tz, t),
        zh::When::Offset(zh::Offset::Minutes(n)) => Ok(utc_now + Duration::minutes(n)),
        zh::When::Offset(zh::Offset::Hours(n)) => Ok(utc_now + Duration::hours(n)),
        zh::When::Offset(zh::Offset::Days(n)) => local_to_utc(tz, local_now + Duration::days(n)),
        zh::When::Offset(zh::Offset::Weeks(n)) => local_to_utc(tz, local_now + Duration::weeks(n)),
    }
}

fn default_time() -> NaiveTime {
    NaiveTime::from_hms_opt(DEFAULT_HOUR, 0, 0).unwrap_or(NaiveTime::MIN)
}

/// Start of the local day containing `at`, as UTC. Used for the "today" and "overdue"
/// boundaries, which are local midnight, not UTC midnight.
pub fn local_day_start<Tz: TimeZone>(tz: &Tz, date: NaiveDate) -> DateTime<Utc> {
    let midnight = date.and_time(NaiveTime::MIN);
    match tz.from_local_datetime(&midnight) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(early, _) => early.with_timezone(&Utc),
        // Midnight skipped (some zones change at 00:00): the day starts an hour later.
        LocalResult::None => local_day_start_after_gap(tz, midnight),
    }
}

fn local_day_start_after_gap<Tz: TimeZone>(tz: &Tz, midnight: NaiveDateTime) -> DateTime<Utc> {
    for minutes in (15..=180).step_by(15) {
        if let LocalResult::Single(t) =
            tz.from_local_datetime(&(midnight + Duration::minutes(minutes)))
        {
            return t.with_timezone(&Utc);
        }
    }
    Utc.from_utc_datetime(&midnight)
}

/// The local day window `[start, end)` containing `now`.
pub fn today_window<Tz: TimeZone>(now: &DateTime<Tz>) -> (DateTime<Utc>, DateTime<Utc>) {
    let tz = now.timezone();
    let date = now.naive_local().date();
    (
        local_day_start(&tz, date),
        local_day_start(&tz, date + Duration::days(1)),
    )
}

/// Whole days from `earlier` to `later` (negative when `later` is before).
pub fn days_between(earlier: Millis, later: Millis) -> i64 {
    (later - earlier).div_euclid(86_400_000)
}

/// `Mon`, `周一`: a weekday's short name in the interface's language.
pub fn weekday_short(day: Weekday) -> String {
    crate::t!("weekday-short", day = day.number_from_monday())
}

/// The time zone that "today", "tomorrow 09:00" and displayed times are in: the machine's
/// own, or a named one (tests and snapshots pin one so that they do not depend on where
/// they run).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    Local,
    Named(chrono_tz::Tz),
}

impl Zone {
    /// The wall-clock time at instant `ms`.
    pub fn local(&self, ms: Millis) -> NaiveDateTime {
        let t = from_millis(ms);
        match self {
            Zone::Local => t.with_timezone(&chrono::Local).naive_local(),
            Zone::Named(tz) => t.with_timezone(tz).naive_local(),
        }
    }

    /// Today's local date at instant `now`.
    pub fn today(&self, now: Millis) -> NaiveDate {
        self.local(now).date()
    }

    /// The local day `[start, end)` containing `now`, in UTC milliseconds.
    pub fn today_window(&self, now: Millis) -> (Millis, Millis) {
        let t = from_millis(now);
        let (a, b) = match self {
            Zone::Local => today_window(&t.with_timezone(&chrono::Local)),
            Zone::Named(tz) => today_window(&t.with_timezone(tz)),
        };
        (a.timestamp_millis(), b.timestamp_millis())
    }

    /// [`parse_when`] in this zone.
    pub fn parse_when(&self, input: &str, now: Millis) -> Result<Millis, TimeError> {
        let t = from_millis(now);
        let at = match self {
            Zone::Local => parse_when(input, t.with_timezone(&chrono::Local)),
            Zone::Named(tz) => parse_when(input, t.with_timezone(tz)),
        }?;
        Ok(at.timestamp_millis())
    }

    /// [`parse_past`] in this zone.
    pub fn parse_past(&self, input: &str, now: Millis) -> Result<Millis, TimeError> {
        let t = from_millis(now);
        let at = match self {
            Zone::Local => parse_past(input, t.with_timezone(&chrono::Local)),
            Zone::Named(tz) => parse_past(input, t.with_timezone(tz)),
        }?;
        Ok(at.timestamp_millis())
    }

    /// The instant of a local wall-clock time in this zone.
    pub fn to_utc(&self, local: NaiveDateTime) -> Result<Millis, TimeError> {
        let at = match self {
            Zone::Local => local_to_utc(&chrono::Local, local),
            Zone::Named(tz) => local_to_utc(tz, local),
        }?;
        Ok(at.timestamp_millis())
    }

    /// Where a reminder due at `due` can be snoozed to: an hour after it is due (or after
    /// now, when it is overdue, so a snooze never lands in the past), tomorrow at 09:00,
    /// next Monday at 09:00 (all local). A snooze moves a reminder later, never earlier:
    /// a target not after `due` is left out. Labels are for the picker.
    pub fn snooze_targets(&self, due: Millis, now: Millis) -> Vec<(&'static str, Millis)> {
        let nine = NaiveTime::from_hms_opt(DEFAULT_HOUR, 0, 0).unwrap_or(NaiveTime::MIN);
        let today = self.today(now);
        let at_nine = |d: NaiveDate| {
            // 09:00 always exists: no zone changes its clocks at that hour.
            self.to_utc(d.and_time(nine)).unwrap_or(now)
        };
        let hour = if due > now {
            ("1 hour later", due + 3_600_000)
        } else {
            ("in 1 hour", now + 3_600_000)
        };
        vec![
            hour,
            ("tomorrow 09:00", at_nine(today + Duration::days(1))),
            (
                "next Monday 09:00",
                at_nine(next_weekday(today, Weekday::Mon)),
            ),
        ]
        .into_iter()
        .filter(|(_, t)| *t > due)
        .collect()
    }

    /// When to suggest the next follow-up after one is done at `now`: in `days` days, on
    /// a weekday, at the done reminder's time of day when it had one within working hours
    /// (a 14:30 call is followed by a 14:30 call), else at the next quarter hour of now's
    /// time of day, kept within working hours (08:00–18:00; 09:00 outside them).
    pub fn next_follow_up(&self, done_due: Option<Millis>, now: Millis, days: i64) -> Millis {
        let working = |t: NaiveTime| (8..18).contains(&t.hour());
        let nine = NaiveTime::from_hms_opt(DEFAULT_HOUR, 0, 0).unwrap_or(NaiveTime::MIN);
        let mut date = self.today(now) + Duration::days(days);
        while matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            date += Duration::days(1);
        }
        let time = match done_due.map(|d| self.local(d).time()) {
            Some(t) if working(t) => t
                .with_second(0)
                .unwrap_or(t)
                .with_nanosecond(0)
                .unwrap_or(t),
            Some(_) | None => {
                let t = self.local(now).time();
                let minutes = (t.hour() * 60 + t.minute()).div_ceil(15) * 15;
                match NaiveTime::from_hms_opt(minutes / 60, minutes % 60, 0) {
                    Some(q) if working(q) => q,
                    Some(_) | None => nine,
                }
            }
        };
        // A wall-clock time skipped by a clock change falls back to 09:00, which exists.
        self.to_utc(date.and_time(time))
            .or_else(|_| self.to_utc(date.and_time(nine)))
            .unwrap_or(now + days * 86_400_000)
    }

    /// `14:30` today, `Thu 14:30` this week, `2026-12-01` further away.
    pub fn short_time(&self, ms: Millis, now: Millis) -> String {
        let at = self.local(ms);
        let today = self.today(now);
        let days = (at.date() - today).num_days();
        if days == 0 {
            at.format("%H:%M").to_string()
        } else if (-6..=6).contains(&days) {
            crate::t!(
                "time-weekday-time",
                weekday = weekday_short(at.weekday()),
                time = at.format("%H:%M").to_string()
            )
        } else {
            at.format("%Y-%m-%d").to_string()
        }
    }

    /// `2026-11-25 14:30`.
    pub fn date_time(&self, ms: Millis) -> String {
        self.local(ms).format("%Y-%m-%d %H:%M").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Berlin;

    fn berlin(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<chrono_tz::Tz> {
        Berlin
            .with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .unwrap()
    }

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn dates_relative_to_today() {
        let today = date("2026-11-25"); // a Wednesday
        assert_eq!(parse_date("2026-12-01", today).unwrap(), date("2026-12-01"));
        assert_eq!(parse_date("tomorrow", today).unwrap(), date("2026-11-26"));
        assert_eq!(parse_date("+2w", today).unwrap(), date("2026-12-09"));
        assert_eq!(parse_date("+10d", today).unwrap(), date("2026-12-05"));
        assert_eq!(parse_date("+1m", today).unwrap(), date("2026-12-25"));
        assert_eq!(
            parse_date("next friday", today).unwrap(),
            date("2026-11-27")
        );
        assert_eq!(parse_date("wed", today).unwrap(), date("2026-12-02"));
        let err = parse_date("2026-13-01", today).unwrap_err();
        assert!(err.to_string().contains("try 2026-12-01"));
        assert!(parse_date("soon", today).is_err());
        assert!(parse_date("+99999999999d", today).is_err());
    }

    #[test]
    fn when_forms() {
        let now = berlin(2026, 11, 25, 10, 0);
        let at = |s: &str| parse_when(s, now).unwrap().with_timezone(&Berlin);
        assert_eq!(at("2026-12-01 14:30"), berlin(2026, 12, 1, 14, 30));
        assert_eq!(at("14:30"), berlin(2026, 11, 25, 14, 30));
        assert_eq!(
            at("09:00"),
            berlin(2026, 11, 26, 9, 0),
            "past time means tomorrow"
        );
        assert_eq!(at("tomorrow 10:00"), berlin(2026, 11, 26, 10, 0));
        assert_eq!(at("tomorrow"), berlin(2026, 11, 26, 9, 0));
        assert_eq!(at("mon 9:00"), berlin(2026, 11, 30, 9, 0));
        assert_eq!(at("next monday"), berlin(2026, 11, 30, 9, 0));
        assert_eq!(at("+2h"), berlin(2026, 11, 25, 12, 0));
        assert_eq!(at("+3d"), berlin(2026, 11, 28, 10, 0));
        assert_eq!(at("+1w"), berlin(2026, 12, 2, 10, 0));
        assert_eq!(at("2026-12-01T08:00:00Z"), berlin(2026, 12, 1, 9, 0));
        let err = parse_when("half past", now).unwrap_err().to_string();
        assert!(err.contains("tomorrow 09:00"), "{err}");
    }

    #[test]
    fn day_offsets_keep_wall_clock_across_dst() {
        // Spring forward: 2026-03-29 02:00 -> 03:00 in Berlin.
        let before = berlin(2026, 3, 28, 10, 0);
        let next = parse_when("+1d", before).unwrap();
        assert_eq!(next.with_timezone(&Berlin), berlin(2026, 3, 29, 10, 0));
        assert_eq!((next - before.with_timezone(&Utc)).num_hours(), 23);
        // Fall back: 2026-10-25 03:00 -> 02:00.
        let before = berlin(2026, 10, 24, 10, 0);
        let next = parse_when("+1d", before).unwrap();
        assert_eq!((next - before.with_timezone(&Utc)).num_hours(), 25);
        // A skipped wall-clock time is refused, not silently moved.
        let err = parse_when("2026-03-29 02:30", before).unwrap_err();
        assert!(matches!(err, TimeError::Skipped(_)));
        // A repeated one takes the first occurrence.
        let t = parse_when("2026-10-25 02:30", before).unwrap();
        assert_eq!(t, Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap());
    }

    #[test]
    fn snooze_targets_are_local() {
        let zone = Zone::Named(Berlin);
        // Saturday 2026-10-24 22:30 Berlin, the night before clocks go back.
        let now = berlin(2026, 10, 24, 22, 30).timestamp_millis();
        let t = zone.snooze_targets(now - 1, now);
        assert_eq!(t[0].1 - now, 3_600_000);
        assert_eq!(zone.date_time(t[1].1), "2026-10-25 09:00");
        assert_eq!(zone.date_time(t[2].1), "2026-10-26 09:00");
        // Across the change, 22:30 → 09:00 is 10½ hours of wall clock but 11½ real.
        assert_eq!((t[1].1 - now) / 60_000, 10 * 60 + 30 + 60);
    }

    #[test]
    fn an_hours_snooze_counts_from_the_due_time_and_never_into_the_past() {
        let zone = Zone::Named(Berlin);
        let now = berlin(2026, 11, 25, 19, 20).timestamp_millis();
        // Due later today: an hour after it is due, not an hour from now.
        let due = berlin(2026, 11, 25, 21, 20).timestamp_millis();
        let t = zone.snooze_targets(due, now);
        assert_eq!(t[0], ("1 hour later", due + 3_600_000));
        assert!(t.iter().all(|(_, at)| *at > due), "never earlier than due");
        // Overdue since the morning: an hour from now, not from the past due time.
        let overdue = berlin(2026, 11, 25, 8, 0).timestamp_millis();
        let t = zone.snooze_targets(overdue, now);
        assert_eq!(t[0], ("in 1 hour", now + 3_600_000));
        // Due next week: tomorrow would be earlier, so only later targets are offered.
        let later = berlin(2026, 12, 1, 10, 0).timestamp_millis();
        let t = zone.snooze_targets(later, now);
        assert_eq!(t.len(), 1);
        assert_eq!(zone.date_time(t[0].1), "2026-12-01 11:00");
    }

    #[test]
    fn the_next_follow_up_is_at_a_sensible_time() {
        let zone = Zone::Named(Berlin);
        // Wednesday 19:22: the done call was due at 14:30.
        let now = berlin(2026, 11, 25, 19, 22).timestamp_millis();
        let due = berlin(2026, 11, 25, 14, 30).timestamp_millis();
        assert_eq!(
            zone.date_time(zone.next_follow_up(Some(due), now, 3)),
            "2026-11-30 14:30",
            "same time of day; Saturday moves to Monday"
        );
        // No due time, after hours: 09:00.
        assert_eq!(
            zone.date_time(zone.next_follow_up(None, now, 1)),
            "2026-11-26 09:00"
        );
        // In working hours: the next quarter hour.
        let morning = berlin(2026, 11, 24, 10, 7).timestamp_millis();
        assert_eq!(
            zone.date_time(zone.next_follow_up(None, morning, 1)),
            "2026-11-25 10:15"
        );
        // A reminder due at 06:00 is not copied into the night.
        let early = berlin(2026, 11, 24, 6, 0).timestamp_millis();
        assert_eq!(
            zone.date_time(zone.next_follow_up(Some(early), morning, 1)),
            "2026-11-25 10:15"
        );
    }

    #[test]
    fn reminder_boundaries_are_local_midnight() {
        use crate::domain::activity::{Urgency, urgency};
        let zone = Zone::Named(Berlin);
        let now = berlin(2026, 11, 25, 10, 0).timestamp_millis();
        let (_, end) = zone.today_window(now);
        let at = |h, m| berlin(2026, 11, 25, h, m).timestamp_millis();
        assert_eq!(urgency(at(23, 59), now, end), Urgency::Today);
        let midnight = berlin(2026, 11, 26, 0, 0).timestamp_millis();
        assert_eq!(urgency(midnight, now, end), Urgency::Later);
        assert_eq!(
            urgency(at(9, 59), now, end),
            Urgency::Overdue,
            "one minute late"
        );
    }

    #[test]
    fn today_window_is_local_midnight_to_midnight() {
        let now = berlin(2026, 3, 29, 12, 0);
        let (start, end) = today_window(&now);
        assert_eq!(start, Utc.with_ymd_and_hms(2026, 3, 28, 23, 0, 0).unwrap());
        assert_eq!(end, Utc.with_ymd_and_hms(2026, 3, 29, 22, 0, 0).unwrap());
        assert_eq!((end - start).num_hours(), 23);
    }

    #[test]
    fn past_times_point_back_and_the_future_is_refused() {
        // Wednesday 2026-11-25 10:00 in Berlin.
        let now = berlin(2026, 11, 25, 10, 0);
        let at = |text: &str| parse_past(text, now).map(|t| t.with_timezone(&Berlin));
        assert_eq!(at("yesterday 15:00").unwrap(), berlin(2026, 11, 24, 15, 0));
        assert_eq!(at("-2h").unwrap(), berlin(2026, 11, 25, 8, 0));
        assert_eq!(at("-3d").unwrap(), berlin(2026, 11, 22, 10, 0));
        assert_eq!(at("09:30").unwrap(), berlin(2026, 11, 25, 9, 30));
        assert_eq!(
            at("14:30").unwrap(),
            berlin(2026, 11, 24, 14, 30),
            "still to come today: yesterday"
        );
        assert_eq!(at("mon 10:00").unwrap(), berlin(2026, 11, 23, 10, 0));
        assert_eq!(
            at("wed").unwrap(),
            berlin(2026, 11, 18, 9, 0),
            "the last Wednesday, not today"
        );
        assert_eq!(at("2026-11-20 16:00").unwrap(), berlin(2026, 11, 20, 16, 0));
        assert!(matches!(
            at("tomorrow 10:00"),
            Err(TimeError::BadPast(_) | TimeError::Future(_))
        ));
        assert!(matches!(at("2026-12-01 10:00"), Err(TimeError::Future(_))));
        assert!(matches!(at("soon"), Err(TimeError::BadPast(_))));
    }
}
