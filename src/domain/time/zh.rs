//! Days and times as a salesperson writes them in Chinese: `明天 10:00`, `下周一`,
//! `周五下午3点`, `后天上午十点半`, `3天后`, `昨天 15:00`, `2小时前`.
//!
//! The words are unambiguous, so they are read in every locale. Only the local wall
//! clock is worked out here; the caller turns it into an instant in its time zone and
//! decides whether the past or the future is allowed.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

/// Which way a bare weekday points: `周五` to schedule is the coming Friday, `周五` in a
/// log of what happened is the last one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Toward {
    Future,
    Past,
}

/// A moment written in Chinese, relative to the local `now`: a day word with an optional
/// time (`明天`, `下周一 9:30`, `周五下午3点`), or an offset (`3天后`, `2小时前`). A day
/// without a time is at `default` o'clock. `None` when the text is not one of these.
pub fn when(text: &str, now: NaiveDateTime, toward: Toward, default: NaiveTime) -> Option<When> {
    if let Some(offset) = offset(text) {
        return Some(When::Offset(offset));
    }
    let (date, rest) = day(text, now.date(), toward)?;
    let rest = rest.trim();
    let time = if rest.is_empty() {
        default
    } else {
        time(rest)?
    };
    Some(When::Local(date.and_time(time)))
}

/// What [`when`] read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// A wall-clock time on a day.
    Local(NaiveDateTime),
    /// An offset from now: `3天后` is three days ahead, `2小时前` two hours back.
    Offset(Offset),
}

/// `N 单位 后|前`: minutes and hours count on the clock, days and weeks keep the local
/// wall-clock time (as `+3d` does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offset {
    Minutes(i64),
    Hours(i64),
    Days(i64),
    Weeks(i64),
}

/// A calendar day in Chinese (`今天`, `明天`, `下周一`, `周五`), nothing after it.
pub fn date(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    match day(text.trim(), today, Toward::Future)? {
        (date, "") => Some(date),
        _ => None,
    }
}

fn offset(text: &str) -> Option<Offset> {
    let text = text.trim();
    let (body, sign) = if let Some(b) = text.strip_suffix("以后") {
        (b, 1)
    } else if let Some(b) = text.strip_suffix('后') {
        (b, 1)
    } else if let Some(b) = text.strip_suffix("以前") {
        (b, -1)
    } else if let Some(b) = text.strip_suffix('前') {
        (b, -1)
    } else {
        return None;
    };
    let body = body.trim();
    for (unit, make) in [
        ("分钟", Offset::Minutes as fn(i64) -> Offset),
        ("个小时", Offset::Hours),
        ("小时", Offset::Hours),
        ("天", Offset::Days),
        ("日", Offset::Days),
        ("个星期", Offset::Weeks),
        ("星期", Offset::Weeks),
        ("周", Offset::Weeks),
    ] {
        if let Some(n) = body.strip_suffix(unit) {
            let n = number(n.trim())?;
            return (n <= 100_000).then(|| make(sign * n));
        }
    }
    None
}

/// The day word at the start of `text`, and the rest of it.
fn day(text: &str, today: NaiveDate, toward: Toward) -> Option<(NaiveDate, &str)> {
    const WORDS: [(&str, i64); 10] = [
        ("大后天", 3),
        ("今天", 0),
        ("今日", 0),
        ("明天", 1),
        ("明日", 1),
        ("后天", 2),
        ("昨天", -1),
        ("昨日", -1),
        ("大前天", -3),
        ("前天", -2),
    ];
    for (word, days) in WORDS {
        if let Some(rest) = text.strip_prefix(word) {
            return Some((today + Duration::days(days), rest));
        }
    }
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    // 下周一 is the Monday of next week, 上周五 the Friday of last week, 本周三 this week's.
    for (prefixes, weeks) in [
        (&["下周", "下星期", "下礼拜"][..], 1),
        (&["上周", "上星期", "上礼拜"][..], -1),
        (&["本周", "这周", "这星期", "这个星期", "本星期"][..], 0),
    ] {
        for prefix in prefixes {
            if let Some(rest) = text.strip_prefix(prefix) {
                let (weekday, rest) = weekday_name(rest)?;
                let date = monday
                    + Duration::weeks(weeks)
                    + Duration::days(i64::from(weekday.num_days_from_monday()));
                return Some((date, rest));
            }
        }
    }
    for prefix in ["周", "星期", "礼拜"] {
        if let Some(rest) = text.strip_prefix(prefix) {
            let (weekday, rest) = weekday_name(rest)?;
            let from_monday = |d: NaiveDate| i64::from(d.weekday().num_days_from_monday());
            let target = i64::from(weekday.num_days_from_monday());
            let date = match toward {
                Toward::Future => {
                    let ahead = (7 + target - from_monday(today)) % 7;
                    today + Duration::days(if ahead == 0 { 7 } else { ahead })
                }
                Toward::Past => {
                    let back = (7 + from_monday(today) - target) % 7;
                    today - Duration::days(if back == 0 { 7 } else { back })
                }
            };
            return Some((date, rest));
        }
    }
    None
}

fn weekday_name(text: &str) -> Option<(Weekday, &str)> {
    let mut chars = text.chars();
    let day = match chars.next()? {
        '一' | '1' => Weekday::Mon,
        '二' | '2' => Weekday::Tue,
        '三' | '3' => Weekday::Wed,
        '四' | '4' => Weekday::Thu,
        '五' | '5' => Weekday::Fri,
        '六' | '6' => Weekday::Sat,
        '日' | '天' | '7' => Weekday::Sun,
        _ => return None,
    };
    Some((day, chars.as_str()))
}

/// A time of day: `10:00`, `10点`, `10点半`, `十点一刻`, `3点20分`, each with an optional
/// part of the day before it (`上午`, `中午`, `下午`, `晚上`) that moves 3 to 15 o'clock.
pub fn time(text: &str) -> Option<NaiveTime> {
    let text = text.trim();
    let mut afternoon = None;
    let mut rest = text;
    for (word, pm) in [
        ("上午", false),
        ("早上", false),
        ("早晨", false),
        ("凌晨", false),
        ("中午", true),
        ("下午", true),
        ("傍晚", true),
        ("晚上", true),
    ] {
        if let Some(r) = text.strip_prefix(word) {
            afternoon = Some(pm);
            rest = r.trim_start();
            break;
        }
    }
    let (hour, minute) = if let Some((h, m)) = rest.split_once([':', '：']) {
        (number(h)?, number(m)?)
    } else {
        let (h, m) = rest.split_once(['点', '时'])?;
        let m = m.strip_suffix('分').unwrap_or(m);
        let minute = match m {
            "" | "整" => 0,
            "半" => 30,
            "一刻" => 15,
            "三刻" => 45,
            m => number(m)?,
        };
        (number(h)?, minute)
    };
    let hour = match afternoon {
        Some(true) if hour < 12 => hour + 12,
        // 中午12点 and 晚上12点 stay as written; 上午12点 is noon too.
        _ => hour,
    };
    NaiveTime::from_hms_opt(u32::try_from(hour).ok()?, u32::try_from(minute).ok()?, 0)
}

/// A small count in digits (`10`) or Chinese numerals (`十`, `十一`, `二十五`, `两`).
fn number(text: &str) -> Option<i64> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok().filter(|n| *n <= 1_000_000);
    }
    let digit = |c: char| {
        Some(match c {
            '零' | '〇' => 0,
            '一' => 1,
            '二' | '两' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            _ => return None,
        })
    };
    let chars: Vec<char> = text.chars().collect();
    match chars.as_slice() {
        [d] if *d != '十' => digit(*d),
        ['十'] => Some(10),
        ['十', d] => Some(10 + digit(*d)?),
        [t, '十'] => Some(10 * digit(*t)?),
        [t, '十', d] => Some(10 * digit(*t)? + digit(*d)?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Tuesday 1 December 2026, 10:00.
    fn now() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, 1)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap()
    }

    fn at(text: &str, toward: Toward) -> Option<String> {
        let nine = NaiveTime::from_hms_opt(9, 0, 0).unwrap();
        match when(text, now(), toward, nine)? {
            When::Local(t) => Some(t.format("%a %Y-%m-%d %H:%M").to_string()),
            When::Offset(o) => Some(format!("{o:?}")),
        }
    }

    #[test]
    fn days_and_times_ahead() {
        let ahead = |t| at(t, Toward::Future);
        assert_eq!(ahead("明天 10:00").as_deref(), Some("Wed 2026-12-02 10:00"));
        assert_eq!(ahead("明天10:00").as_deref(), Some("Wed 2026-12-02 10:00"));
        assert_eq!(ahead("明天").as_deref(), Some("Wed 2026-12-02 09:00"));
        assert_eq!(
            ahead("后天下午3点").as_deref(),
            Some("Thu 2026-12-03 15:00")
        );
        assert_eq!(ahead("大后天").as_deref(), Some("Fri 2026-12-04 09:00"));
        // 下周一 is next week's Monday, not the next Monday (which would be the 7th either way
        // here, so try a day where they differ below).
        assert_eq!(ahead("下周一").as_deref(), Some("Mon 2026-12-07 09:00"));
        assert_eq!(ahead("下周五").as_deref(), Some("Fri 2026-12-11 09:00"));
        assert_eq!(
            ahead("下星期三 上午十点半").as_deref(),
            Some("Wed 2026-12-09 10:30")
        );
        assert_eq!(ahead("周五").as_deref(), Some("Fri 2026-12-04 09:00"));
        assert_eq!(ahead("星期二").as_deref(), Some("Tue 2026-12-08 09:00"));
        assert_eq!(
            ahead("这周五 14:30").as_deref(),
            Some("Fri 2026-12-04 14:30")
        );
        assert_eq!(
            ahead("周日晚上8点").as_deref(),
            Some("Sun 2026-12-06 20:00")
        );
        assert_eq!(
            ahead("今天中午12点").as_deref(),
            Some("Tue 2026-12-01 12:00")
        );
        assert_eq!(
            ahead("今天 3点一刻").as_deref(),
            Some("Tue 2026-12-01 03:15")
        );
        assert_eq!(ahead("3天后").as_deref(), Some("Days(3)"));
        assert_eq!(ahead("两小时后").as_deref(), Some("Hours(2)"));
        assert_eq!(ahead("两个小时以后").as_deref(), Some("Hours(2)"));
        assert_eq!(ahead("30分钟后").as_deref(), Some("Minutes(30)"));
        assert_eq!(ahead("一周后").as_deref(), Some("Weeks(1)"));
    }

    #[test]
    fn days_and_times_back() {
        let back = |t| at(t, Toward::Past);
        assert_eq!(back("昨天 15:00").as_deref(), Some("Mon 2026-11-30 15:00"));
        assert_eq!(back("前天").as_deref(), Some("Sun 2026-11-29 09:00"));
        assert_eq!(back("周五").as_deref(), Some("Fri 2026-11-27 09:00"));
        assert_eq!(
            back("上周二 下午2点").as_deref(),
            Some("Tue 2026-11-24 14:00")
        );
        assert_eq!(back("2小时前").as_deref(), Some("Hours(-2)"));
        assert_eq!(back("3天前").as_deref(), Some("Days(-3)"));
    }

    #[test]
    fn what_is_not_a_day_or_time_is_refused() {
        for text in [
            "明年",
            "下周",
            "周八",
            "明天 25点",
            "明天 10点61分",
            "明天 soon",
            "天后",
            "很多天后",
            "9999999天后",
            "下午",
            "",
        ] {
            assert_eq!(at(text, Toward::Future), None, "{text}");
        }
        assert_eq!(
            date("明天", now().date()),
            NaiveDate::from_ymd_opt(2026, 12, 2)
        );
        assert_eq!(date("明天 10:00", now().date()), None);
    }
}
