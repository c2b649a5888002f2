use super::*;
use crate::domain::customer::{CustomerStatus, Tier};
use crate::domain::deal::DealStatus;
use crate::domain::money::{Currency, Money};
use crate::domain::time::{Millis, Zone};
use chrono::NaiveDate;
use chrono::TimeZone;
use chrono_tz::Europe::Berlin;

fn eur() -> Currency {
    "EUR".parse().unwrap()
}
fn usd() -> Currency {
    "USD".parse().unwrap()
}
fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}
fn utc_ms(y: i32, m: u32, d: u32, h: u32) -> Millis {
    chrono::Utc
        .with_ymd_and_hms(y, m, d, h, 0, 0)
        .unwrap()
        .timestamp_millis()
}

#[test]
fn periods_step_and_parse() {
    assert_eq!(Period::Month.next(), Period::Quarter);
    assert_eq!(Period::All.next(), Period::Month);
    assert_eq!(Period::Month.prev(), Period::All);
    assert_eq!(Period::Year.prev(), Period::Quarter);
    for p in Period::ALL {
        assert_eq!(p.as_str().parse::<Period>().unwrap(), p);
        assert_eq!(p.next().prev(), p);
    }
    assert_eq!("This Quarter".parse::<Period>().unwrap(), Period::Quarter);
    let err = "week".parse::<Period>().unwrap_err();
    assert_eq!(
        err,
        "'week' is not a report period; use month, quarter, year or all"
    );
}

#[test]
fn period_bounds_are_local_midnights() {
    let now = utc_ms(2026, 11, 25, 10);
    let utc = Zone::Named(chrono_tz::UTC);
    let b = Period::Month.bounds(now, utc);
    assert_eq!(b.start, Some(utc_ms(2026, 11, 1, 0)));
    assert_eq!(b.end, Some(utc_ms(2026, 12, 1, 0)));
    let b = Period::Quarter.bounds(now, utc);
    assert_eq!(b.start, Some(utc_ms(2026, 10, 1, 0)));
    assert_eq!(b.end, Some(utc_ms(2027, 1, 1, 0)));
    let b = Period::Year.bounds(now, utc);
    assert_eq!(b.start, Some(utc_ms(2026, 1, 1, 0)));
    assert_eq!(b.end, Some(utc_ms(2027, 1, 1, 0)));
    assert_eq!(Period::All.bounds(now, utc), Bounds::ALL);
    assert!(Bounds::ALL.contains(Millis::MIN) && Bounds::ALL.contains(Millis::MAX));

    // Berlin: November starts at 23:00 UTC the day before (CET, +1), and the first
    // quarter of the year is Jan–Mar; the third quarter starts in summer time (+2).
    let berlin = Zone::Named(Berlin);
    let b = Period::Month.bounds(now, berlin);
    assert_eq!(b.start, Some(utc_ms(2026, 10, 31, 23)));
    assert_eq!(b.end, Some(utc_ms(2026, 11, 30, 23)));
    let summer = utc_ms(2026, 8, 10, 12);
    let b = Period::Quarter.bounds(summer, berlin);
    assert_eq!(b.start, Some(utc_ms(2026, 6, 30, 22)));
    assert_eq!(b.end, Some(utc_ms(2026, 9, 30, 22)));
    // Just after local midnight on 1 December it is December in Berlin, not in UTC.
    let dec = utc_ms(2026, 11, 30, 23) + 60_000;
    assert_eq!(Period::Month.describe(dec, berlin), "December 2026");
    assert_eq!(Period::Month.describe(dec, utc), "November 2026");
    assert_eq!(Period::Quarter.describe(now, utc), "Q4 2026");
    assert_eq!(Period::Year.describe(now, utc), "2026");
    assert!(b.contains(utc_ms(2026, 8, 1, 0)));
    assert!(!b.contains(utc_ms(2026, 9, 30, 22)));
}

#[test]
fn ratios_are_none_without_a_denominator() {
    assert_eq!(ratio(3, 4), Some(0.75));
    assert_eq!(ratio(0, 0), None);
    use crate::text::{days, percent, satisfaction};
    assert_eq!(percent(ratio(3, 7)), "42.9 %");
    assert_eq!(percent(None), "—");
    assert_eq!(percent(Some(f64::NAN)), "—");
    assert_eq!(days(Some(12.25)), "12.2 days");
    assert_eq!(days(None), "—");
    assert_eq!(satisfaction(Some(3.75)), "3.8 / 5");
}

#[test]
fn an_empty_book_has_no_rates_and_no_nan() {
    let r = Report::from_counts(
        Counts::default(),
        Period::Month,
        Period::Month.bounds(0, Zone::Named(chrono_tz::UTC)),
        eur(),
        date(2026, 11, 25),
    );
    let p = &r.pipeline;
    assert_eq!((p.open_deals, p.won, p.lost), (0, 0, 0));
    assert_eq!(p.open, vec![CurrencyTotal::zero(eur())]);
    assert_eq!(p.win_rate, None);
    assert_eq!(p.average_cycle_days, None);
    assert_eq!(p.average_won, None);
    assert_eq!(p.velocity_per_day, None);
    assert!(p.forecast.is_empty() && p.lost_reasons.is_empty());
    let c = &r.customers;
    assert_eq!(c.total, 0);
    assert_eq!(c.by_status.len(), 4);
    assert_eq!(c.by_tier.len(), 3);
    assert_eq!(
        (c.churn_rate, c.repurchase_rate, c.average_satisfaction),
        (None, None, None)
    );
}

fn closed(
    status: DealStatus,
    currency: Currency,
    deals: i64,
    amount: i64,
    days: i64,
) -> ClosedGroup {
    ClosedGroup {
        status,
        currency,
        deals,
        amount_minor: amount.into(),
        cycle_ms: days * DAY_MS,
    }
}

#[test]
fn pipeline_arithmetic() {
    let counts = Counts {
        closed: vec![
            // 3 won in EUR worth 9,000.00 together, 30 days of cycle in all;
            // 1 won in USD (1,000.00), 10 days; 4 lost.
            closed(DealStatus::Won, eur(), 3, 900_000, 30),
            closed(DealStatus::Won, usd(), 1, 100_000, 10),
            closed(DealStatus::Lost, eur(), 3, 50_000, 99),
            closed(DealStatus::Lost, usd(), 1, 10_000, 99),
        ],
        open: vec![
            // Two EUR deals of 1,000.00 in a 50 % stage closing in December, one of
            // 333.33 in a 10 % stage closing in October (overdue), one USD undated.
            OpenGroup {
                month: Some(date(2026, 12, 1)),
                currency: eur(),
                probability: 50,
                deals: 2,
                amount_minor: 200_000,
            },
            OpenGroup {
                month: Some(date(2026, 10, 1)),
                currency: eur(),
                probability: 10,
                deals: 1,
                amount_minor: 33_333,
            },
            OpenGroup {
                month: None,
                currency: usd(),
                probability: 75,
                deals: 1,
                amount_minor: 50_000,
            },
            OpenGroup {
                month: Some(date(2026, 12, 1)),
                currency: usd(),
                probability: 25,
                deals: 1,
                amount_minor: 10_000,
            },
        ],
        stages: vec![StageFlow {
            stage_id: "s".into(),
            name: "Lead".into(),
            pipeline: "Sales".into(),
            entered: 4,
            advanced: 3,
            stays: 2,
            stay_ms: 3 * DAY_MS,
        }],
        lost_reasons: vec![
            ("Price".into(), 1),
            ("timing".into(), 2),
            ("price ".into(), 2),
            ("".into(), 1),
        ],
        ..Counts::default()
    };
    let r = Report::from_counts(
        counts,
        Period::Month,
        Bounds::ALL,
        eur(),
        date(2026, 11, 25),
    );
    let p = &r.pipeline;
    // 4 won ÷ (4 won + 4 lost).
    assert_eq!(p.win_rate, Some(0.5));
    // (30 + 10) days ÷ 4 won deals.
    assert_eq!(p.average_cycle_days, Some(10.0));
    // EUR only: 9,000.00 ÷ 3.
    assert_eq!(p.average_won, Some(Money::new(300_000, eur())));
    // 3 open EUR deals × 3,000.00 × 0.5 ÷ 10 days = 450.00 a day.
    assert_eq!(p.velocity_per_day, Some(Money::new(45_000, eur())));
    assert_eq!(p.open_deals, 5);
    // EUR: 2,000.00 + 333.33; weighted 1,000.00 + 33.33 (rounded down per group).
    assert_eq!(
        p.open[0],
        CurrencyTotal {
            currency: eur(),
            deals: 3,
            total: 233_333,
            weighted: 103_333
        }
    );
    assert_eq!(
        p.open[1],
        CurrencyTotal {
            currency: usd(),
            deals: 2,
            total: 60_000,
            weighted: 40_000
        }
    );
    assert_eq!(p.won_amounts[0].total, 900_000);
    assert_eq!(p.won_amounts[1].total, 100_000);
    let buckets: Vec<ForecastBucket> = p.forecast.iter().map(|r| r.bucket).collect();
    assert_eq!(
        buckets,
        [
            ForecastBucket::Overdue,
            ForecastBucket::Month(date(2026, 12, 1)),
            ForecastBucket::NoDate
        ]
    );
    let dec = &p.forecast[1];
    assert_eq!(dec.in_currency(&eur()).weighted, 100_000);
    assert_eq!(dec.in_currency(&usd()).weighted, 2_500);
    assert_eq!(dec.totals[0].currency, eur(), "default currency first");
    assert_eq!(p.forecast[2].in_currency(&eur()).deals, 0);
    assert_eq!(p.funnel[0].conversion, Some(0.75));
    assert_eq!(p.funnel[0].average_days, Some(1.5));
    // Reasons merge case and spaces; most frequent first, ties by name.
    assert_eq!(
        p.lost_reasons,
        [
            ("price".to_string(), 3),
            ("timing".to_string(), 2),
            ("(no reason)".to_string(), 1)
        ]
    );
    assert_eq!(
        ForecastBucket::Month(date(2027, 1, 1)).short_label(),
        "Jan27"
    );
    assert_eq!(dec.bucket.short_label(), "Dec");
}

#[test]
fn velocity_needs_a_positive_cycle() {
    let counts = Counts {
        closed: vec![closed(DealStatus::Won, eur(), 1, 100, 0)],
        open: vec![OpenGroup {
            month: None,
            currency: eur(),
            probability: 10,
            deals: 1,
            amount_minor: 100,
        }],
        ..Counts::default()
    };
    let r = Report::from_counts(counts, Period::All, Bounds::ALL, eur(), date(2026, 1, 1));
    assert_eq!(r.pipeline.average_cycle_days, Some(0.0));
    assert_eq!(r.pipeline.velocity_per_day, None);

    // Won within the hour: a cycle that shows as 0.0 days gives no velocity either.
    let counts = Counts {
        closed: vec![ClosedGroup {
            cycle_ms: DAY_MS / 24,
            ..closed(DealStatus::Won, eur(), 1, 100, 0)
        }],
        open: vec![OpenGroup {
            month: None,
            currency: eur(),
            probability: 10,
            deals: 1,
            amount_minor: 100,
        }],
        ..Counts::default()
    };
    let r = Report::from_counts(counts, Period::All, Bounds::ALL, eur(), date(2026, 1, 1));
    assert!(r.pipeline.average_cycle_days.is_some_and(|d| d > 0.0));
    assert_eq!(r.pipeline.velocity_per_day, None);
}

fn step(day: i64, stage: Option<usize>, status: DealStatus) -> HistoryStep {
    HistoryStep {
        at: day * DAY_MS,
        stage,
        status,
    }
}

fn flows() -> Vec<StageFlow> {
    ["Lead", "Qualified", "Proposal"]
        .iter()
        .map(|n| StageFlow::new(n.to_lowercase(), *n))
        .collect()
}

#[test]
fn funnel_follows_each_deal_in_order() {
    use DealStatus::*;
    let mut tally = FunnelTally::new(flows(), Bounds::ALL);
    // A: Lead day 0 → Qualified day 2 → won day 5.
    tally.add_deal(&[
        step(0, Some(0), Open),
        step(2, Some(1), Open),
        step(5, Some(1), Won),
    ]);
    // B: Lead day 0 → Proposal day 4 (skips Qualified) → lost day 10.
    tally.add_deal(&[
        step(0, Some(0), Open),
        step(4, Some(2), Open),
        step(10, Some(2), Lost),
    ]);
    // C: Proposal day 1 → back to Qualified day 3 → lost day 4 → reopened in
    // Qualified day 6 → Proposal day 7, still open.
    tally.add_deal(&[
        step(1, Some(2), Open),
        step(3, Some(1), Open),
        step(4, Some(1), Lost),
        step(6, Some(1), Open),
        step(7, Some(2), Open),
    ]);
    // D: in a deleted stage, then Lead, still open.
    tally.add_deal(&[step(0, None, Open), step(1, Some(0), Open)]);
    let f = tally.finish();
    // Lead: A, B, D entered; A and B advanced. Stays: A 2 days, B 4 days (D's runs).
    assert_eq!((f[0].entered, f[0].advanced), (3, 2));
    assert_eq!((f[0].stays, f[0].stay_ms), (2, 6 * DAY_MS));
    // Qualified: A and C entered (C twice, counted once); both advanced (C reached
    // Proposal after entering). Stays: A 3, C 1 and 1.
    assert_eq!((f[1].entered, f[1].advanced), (2, 2));
    assert_eq!((f[1].stays, f[1].stay_ms), (3, 5 * DAY_MS));
    // Proposal: B and C entered, neither advanced (B lost; C went back, not forward).
    // Stays: B 6, C's first 2 (its second runs).
    assert_eq!((f[2].entered, f[2].advanced), (2, 0));
    assert_eq!((f[2].stays, f[2].stay_ms), (2, 8 * DAY_MS));
}

#[test]
fn a_deal_that_leaves_for_another_pipeline_did_not_advance_in_this_one() {
    use DealStatus::*;
    let mut tally = FunnelTally::new(flows(), Bounds::ALL);
    // Lead day 0 → another pipeline's stage day 3 → won there day 5.
    tally.add_deal(&[
        step(0, Some(0), Open),
        HistoryStep::elsewhere(3 * DAY_MS),
        HistoryStep::elsewhere(5 * DAY_MS),
    ]);
    // Lead day 0 → another pipeline day 1 → back in this one's Qualified day 2.
    tally.add_deal(&[
        step(0, Some(0), Open),
        HistoryStep::elsewhere(DAY_MS),
        step(2, Some(1), Open),
    ]);
    let f = tally.finish();
    // Lead: both entered; only the second reached a later stage of this pipeline. Both
    // stays ended when the deal left: 3 days and 1 day.
    assert_eq!((f[0].entered, f[0].advanced), (2, 1));
    assert_eq!((f[0].stays, f[0].stay_ms), (2, 4 * DAY_MS));
    assert_eq!((f[1].entered, f[1].advanced, f[1].stays), (1, 0, 0));
}

#[test]
fn funnel_counts_entries_and_stays_in_their_period() {
    use DealStatus::*;
    // The period is days 3 to 6.
    let bounds = Bounds {
        start: Some(3 * DAY_MS),
        end: Some(6 * DAY_MS),
    };
    let mut tally = FunnelTally::new(flows(), bounds);
    // Entered Lead before the period, moved to Qualified in it, won after it.
    tally.add_deal(&[
        step(1, Some(0), Open),
        step(4, Some(1), Open),
        step(9, Some(1), Won),
    ]);
    let f = tally.finish();
    // Lead: entered before the period, but its stay ended in it.
    assert_eq!((f[0].entered, f[0].stays, f[0].stay_ms), (0, 1, 3 * DAY_MS));
    // Qualified: entered in the period and advanced (won later); the stay ended after.
    assert_eq!((f[1].entered, f[1].advanced, f[1].stays), (1, 1, 0));
    assert_eq!(month_of("2026-12-15"), Some(date(2026, 12, 1)));
    assert_eq!(month_of("2026-13-01"), None);
    assert_eq!(month_of("soon"), None);
}

fn status_group(
    status: CustomerStatus,
    created_before_start: bool,
    changed_since_start: bool,
    customers: i64,
) -> StatusGroup {
    StatusGroup {
        status,
        created_before_start,
        changed_since_start,
        changed_in_period: changed_since_start,
        customers,
    }
}

#[test]
fn churn_never_passes_all_customers_active_at_the_start() {
    use CustomerStatus::*;
    let counts = Counts {
        statuses: vec![
            status_group(Active, true, false, 1),
            // Added and churned within the period: three of them.
            status_group(Churned, false, true, 3),
        ],
        ..Counts::default()
    };
    let month = Bounds {
        start: Some(0),
        end: Some(10),
    };
    let r = Report::from_counts(counts, Period::Month, month, eur(), date(2026, 1, 1));
    assert_eq!((r.customers.churned, r.customers.active_at_start), (0, 1));
    assert_eq!(r.customers.churn_rate, Some(0.0));
}

#[test]
fn churn_guesses_the_status_at_the_start() {
    use CustomerStatus::*;
    let statuses = vec![
        // Active all along: counted at the start.
        status_group(Active, true, false, 5),
        // At risk all along: still a customer at the start.
        status_group(AtRisk, true, false, 1),
        // Churned in the period: were active at the start.
        status_group(Churned, true, true, 2),
        // Churned before the period: neither.
        status_group(Churned, true, false, 3),
        // Became active in the period (a won prospect): not counted.
        status_group(Active, true, true, 4),
        // Added in the period and churned in it: churned, but not active at start.
        status_group(Churned, false, true, 1),
        // Prospects.
        status_group(Prospect, true, false, 7),
    ];
    let customers = vec![
        CustomerGroup {
            status: Active,
            tier: Tier::Key,
            customers: 9,
            satisfaction_sum: 8,
            rated: 2,
        },
        CustomerGroup {
            status: Churned,
            tier: Tier::Low,
            customers: 6,
            satisfaction_sum: 1,
            rated: 1,
        },
    ];
    let counts = Counts {
        statuses: statuses.clone(),
        customers,
        with_won: 4,
        with_repeat: 1,
        ..Counts::default()
    };
    let month = Bounds {
        start: Some(0),
        end: Some(10),
    };
    let r = Report::from_counts(
        counts.clone(),
        Period::Month,
        month,
        eur(),
        date(2026, 1, 1),
    );
    let c = &r.customers;
    // Churned in the period from those active at its start: 2 (the one added and
    // churned within it was never active at the start). Active at the start: 5 + 1 + 2.
    assert_eq!((c.churned, c.active_at_start), (2, 8));
    assert_eq!(c.churn_rate, Some(2.0 / 8.0));
    assert_eq!(c.repurchase_rate, Some(0.25));
    // (8 + 1) ÷ 3 rated.
    assert_eq!(c.average_satisfaction, Some(3.0));
    assert_eq!(c.total, 15);
    assert_eq!(c.by_status[1], (Active, 9));
    assert_eq!(
        c.by_tier,
        [(Tier::Key, 9), (Tier::Normal, 0), (Tier::Low, 6)]
    );

    // All time: churned now ÷ ever a customer (everyone but the prospects).
    let r = Report::from_counts(counts, Period::All, Bounds::ALL, eur(), date(2026, 1, 1));
    assert_eq!((r.customers.churned, r.customers.active_at_start), (6, 16));
}

#[test]
fn a_particular_period_is_read_from_its_command_line_form() {
    let today = date(2026, 11, 25);
    let parse = |s: &str| Span::parse(s, today);
    assert_eq!(parse("2026-10").unwrap().describe(), "October 2026");
    assert_eq!(parse("2026-Q3").unwrap().describe(), "Q3 2026");
    assert_eq!(parse("2026-q1").unwrap().describe(), "Q1 2026");
    assert_eq!(parse("2025").unwrap().describe(), "2025");
    assert_eq!(parse(" 2026-10 ").unwrap().key(), "2026-10");
    // The words still mean the period containing today.
    assert_eq!(parse("month").unwrap().describe(), "November 2026");
    assert_eq!(parse("This quarter").unwrap().describe(), "Q4 2026");
    assert_eq!(parse("year").unwrap().key(), "2026");
    assert_eq!(parse("all").unwrap().describe(), "All time");
    for bad in [
        "2026-13", "2026-00", "2026-Q5", "2026-Q0", "26-10", "2026-1", "Q3", "week", "",
    ] {
        let err = parse(bad).unwrap_err();
        assert!(
            err.contains("month, quarter, year or all")
                && err.contains("2026-10")
                && err.contains("2026-Q3"),
            "{bad}: {err}"
        );
    }
    // A period that has not begun has nothing to report.
    let err = parse("2026-12").unwrap_err();
    assert_eq!(
        err,
        "December 2026 has not begun yet; a report covers what has happened, up to November 2026"
    );
    assert!(parse("2027").is_err() && parse("2027-Q1").is_err());
    assert!(parse("2026-Q4").is_ok() && parse("2026").is_ok());
}

#[test]
fn periods_step_back_and_on_but_not_past_the_current_one() {
    let today = date(2026, 11, 25);
    let month = Span::containing(Period::Month, today);
    assert_eq!(month.prev().describe(), "October 2026");
    assert_eq!(month.prev().prev().prev().prev().describe(), "July 2026");
    // Across a year's end.
    let jan = Span::containing(Period::Month, date(2026, 1, 10));
    assert_eq!(jan.prev().describe(), "December 2025");
    assert_eq!(jan.prev().next(today), Some(jan));
    // Never into a period that has not begun.
    assert_eq!(month.next(today), None);
    assert_eq!(month.prev().next(today), Some(month));
    let quarter = Span::containing(Period::Quarter, today);
    assert_eq!(quarter.describe(), "Q4 2026");
    assert_eq!(quarter.prev().describe(), "Q3 2026");
    assert_eq!(quarter.prev().prev().prev().prev().describe(), "Q4 2025");
    assert_eq!(quarter.next(today), None);
    let year = Span::containing(Period::Year, today);
    assert_eq!(year.prev().describe(), "2025");
    assert_eq!(year.next(today), None);
    let all = Span::containing(Period::All, today);
    assert_eq!(all.prev(), all);
    assert_eq!(all.next(today), None);
    // p: the quarter holding the month, its year, all time.
    let october = month.prev();
    assert_eq!(october.cycle_kind().describe(), "Q4 2026");
    assert_eq!(october.cycle_kind().cycle_kind().describe(), "2026");
    assert_eq!(
        october.cycle_kind().cycle_kind().cycle_kind().describe(),
        "All time"
    );
    let may = Span::containing(Period::Month, date(2026, 5, 31));
    assert_eq!(may.cycle_kind().describe(), "Q2 2026");
}

#[test]
fn a_past_period_has_the_bounds_of_its_local_days() {
    let utc = Zone::Named(chrono_tz::UTC);
    let october = Span::parse("2026-10", date(2026, 11, 25)).unwrap();
    let b = october.bounds(utc);
    assert_eq!(b.start, Some(utc_ms(2026, 10, 1, 0)));
    assert_eq!(b.end, Some(utc_ms(2026, 11, 1, 0)));
    // Berlin leaves summer time on 25 October: the month is an hour longer than 31 days.
    let b = october.bounds(Zone::Named(Berlin));
    assert_eq!(b.start, Some(utc_ms(2026, 9, 30, 22)));
    assert_eq!(b.end, Some(utc_ms(2026, 10, 31, 23)));
    let q3 = Span::parse("2026-Q3", date(2026, 11, 25))
        .unwrap()
        .bounds(utc);
    assert_eq!(q3.start, Some(utc_ms(2026, 7, 1, 0)));
    assert_eq!(q3.end, Some(utc_ms(2026, 10, 1, 0)));
    let y = Span::parse("2025", date(2026, 11, 25)).unwrap().bounds(utc);
    assert_eq!(y.start, Some(utc_ms(2025, 1, 1, 0)));
    assert_eq!(y.end, Some(utc_ms(2026, 1, 1, 0)));
}
