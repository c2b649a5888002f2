#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Reports: every figure on a small book whose values are worked out by hand below,
//! quiet and empty periods (no division by zero: "—" and null, never NaN), the Reports
//! view as a snapshot at 80×24 and 120×35, and `salesdesk report --json` against a hand
//! count of `deal list` on the demo data.
//!
//! The book is built through the ordinary store API on a clock the test sets before each
//! step, so that history has real gaps between changes (a clock fixed at one instant
//! would make every stay in a stage zero days long).

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::Value;

use salesdesk::domain::activity::ActivityKind;
use salesdesk::domain::customer::{Cadence, CustomerStatus, Tier};
use salesdesk::domain::metrics::{ForecastBucket, Period, Report, Span};
use salesdesk::domain::money::{Currency, Money};
use salesdesk::domain::time::{Clock, Zone, from_millis};
use salesdesk::store::activities::{NewActivity, Subject};
use salesdesk::store::customers::{NewCustomer, Patch};
use salesdesk::store::deals::{CustomerRef, NewDeal};
use salesdesk::store::{Store, reports, stages};
use salesdesk::text;
use salesdesk::usecase;

mod common;

/// A clock the test moves forward by hand.
struct SetClock(AtomicI64);

impl Clock for SetClock {
    fn now(&self) -> DateTime<Utc> {
        from_millis(self.0.load(Ordering::SeqCst))
    }
}

/// 10:00 UTC on a day of 2026.
fn day(month: u32, d: u32) -> i64 {
    Utc.with_ymd_and_hms(2026, month, d, 10, 0, 0)
        .unwrap()
        .timestamp_millis()
}

/// "Now" for every report here: Wednesday 2026-11-25 10:00 UTC, so "this month" is
/// November 2026.
fn now() -> i64 {
    day(11, 25)
}

fn zone() -> Zone {
    Zone::Named(chrono_tz::UTC)
}

fn eur() -> Currency {
    "EUR".parse().unwrap()
}

struct Book {
    store: Store,
    clock: Arc<SetClock>,
}

impl Book {
    fn new() -> Book {
        let clock = Arc::new(SetClock(AtomicI64::new(day(1, 1))));
        let store = Store::open_in_memory(clock.clone()).unwrap();
        Book { store, clock }
    }

    fn at(&mut self, ms: i64) -> &mut Store {
        self.clock.0.store(ms, Ordering::SeqCst);
        &mut self.store
    }

    fn report(&self, period: Period) -> Report {
        self.report_at(period, now())
    }

    fn report_at(&self, period: Period, at: i64) -> Report {
        reports::report(
            self.store.conn(),
            period,
            &eur(),
            &Cadence::default(),
            at,
            zone(),
        )
        .unwrap()
    }
}

fn new_deal(
    customer: CustomerRef,
    title: &str,
    stage: usize,
    amount: &str,
    close: Option<(u32, u32)>,
) -> NewDeal {
    NewDeal {
        title: title.into(),
        customer,
        stage_id: salesdesk::domain::stage::DEFAULT_STAGES[stage].0.into(),
        amount: Money::parse(amount, &eur()).unwrap(),
        expected_close: close.and_then(|(m, d)| chrono::NaiveDate::from_ymd_opt(2026, m, d)),
        source: None,
        notes: None,
        owner_id: None,
    }
}

fn name(n: &str) -> CustomerRef {
    CustomerRef::Name(n.into())
}

/// The book, day by day (all at 10:00 UTC). Stages: 0 Lead 10 %, 1 Qualified 25 %,
/// 2 Proposal 50 %, 3 Negotiation 75 %. Cadence: key 14, normal 30, low 90 days.
///
/// | when   | what                                                                    |
/// |--------|-------------------------------------------------------------------------|
/// | Aug 1  | customers Echo (active, key, satisfaction 4), Fox (active, low, sat. 2), |
/// |        | Gulf (active, normal); deal H for Fox in Lead, 500.00 EUR               |
/// | Aug 20 | H won (cycle 19 days)                                                   |
/// | Sep 1  | deal A for new prospect Acme in Lead, 1,000.00 EUR; B for Bolt, 2,000   |
/// | Oct 1  | A → Qualified; deal D for new prospect Cora in Lead, 500.00 EUR         |
/// | Oct 10 | Gulf churned                                                            |
/// | Oct 15 | deal C for Acme in Qualified, 3,000.00 EUR                              |
/// | Oct 20 | D lost, "timing"                                                        |
/// | Nov 1  | a call logged with Bolt                                                 |
/// | Nov 5  | A → Proposal; C won (cycle 21 days; Acme becomes active)                |
/// | Nov 10 | A won (cycle 70 days)                                                   |
/// | Nov 12 | B lost, "Price"                                                         |
/// | Nov 15 | Echo churned; deal I for Cora lost ("competitor") and then deleted      |
/// | Nov 20 | E for new prospect Dune in Negotiation, 10,000.00 USD, close Dec 20;    |
/// |        | F for Bolt in Proposal, 4,000.00 EUR, close Oct 30 (slipped)            |
/// | Nov 22 | G for Cora in Lead, 600.00 EUR, no close date                           |
/// | Nov 23 | G → Qualified, undone (the history row is tombstoned)                   |
fn book() -> Book {
    let mut b = Book::new();
    let cust = |b: &mut Book, n: &str, tier: Tier, sat: Option<i64>| -> String {
        let store = b.at(day(8, 1));
        let (id, _) = usecase::customers::add(
            store,
            &NewCustomer {
                tier,
                status: CustomerStatus::Active,
                ..NewCustomer::named(n)
            },
        )
        .unwrap();
        if sat.is_some() {
            usecase::customers::edit(
                store,
                &id,
                &Patch {
                    satisfaction: Some(sat),
                    ..Patch::default()
                },
            )
            .unwrap();
        }
        id
    };
    let echo = cust(&mut b, "Echo", Tier::Key, Some(4));
    let fox = cust(&mut b, "Fox", Tier::Low, Some(2));
    let gulf = cust(&mut b, "Gulf", Tier::Normal, None);
    let set_status = |store: &mut Store, id: &str, status: CustomerStatus| {
        usecase::customers::edit(
            store,
            id,
            &Patch {
                status: Some(status),
                ..Patch::default()
            },
        )
        .unwrap();
    };
    let all = stages::list(b.store.conn()).unwrap();

    let h = usecase::deals::add(
        b.at(day(8, 1)),
        &new_deal(CustomerRef::Id(fox), "H", 0, "500", None),
    )
    .unwrap();
    usecase::deals::win(b.at(day(8, 20)), &h.deal_id).unwrap();

    let a = usecase::deals::add(
        b.at(day(9, 1)),
        &new_deal(name("Acme"), "A", 0, "1000", None),
    )
    .unwrap();
    let bd = usecase::deals::add(
        b.at(day(9, 1)),
        &new_deal(name("Bolt"), "B", 0, "2000", None),
    )
    .unwrap();
    usecase::deals::move_to_stage(b.at(day(10, 1)), &a.deal_id, &all[1]).unwrap();
    let d = usecase::deals::add(
        b.at(day(10, 1)),
        &new_deal(name("Cora"), "D", 0, "500", None),
    )
    .unwrap();
    set_status(b.at(day(10, 10)), &gulf, CustomerStatus::Churned);
    let c = usecase::deals::add(
        b.at(day(10, 15)),
        &new_deal(name("Acme"), "C", 1, "3000", None),
    )
    .unwrap();
    usecase::deals::lose(b.at(day(10, 20)), &d.deal_id, "timing").unwrap();
    usecase::activities::add(
        b.at(day(11, 1)),
        &NewActivity {
            kind: ActivityKind::Call,
            subject: "Check in".into(),
            body: None,
            about: Subject::Customer(bd.customer_id.clone()),
            contact_id: None,
            due_at: None,
            done_at: None,
            outcome: None,
        },
    )
    .unwrap();
    usecase::deals::move_to_stage(b.at(day(11, 5)), &a.deal_id, &all[2]).unwrap();
    usecase::deals::win(b.at(day(11, 5)), &c.deal_id).unwrap();
    usecase::deals::win(b.at(day(11, 10)), &a.deal_id).unwrap();
    usecase::deals::lose(b.at(day(11, 12)), &bd.deal_id, "Price").unwrap();
    set_status(b.at(day(11, 15)), &echo, CustomerStatus::Churned);
    let i = usecase::deals::add(
        b.at(day(11, 15)),
        &new_deal(name("Cora"), "I", 0, "9000", None),
    )
    .unwrap();
    usecase::deals::lose(b.at(day(11, 15)), &i.deal_id, "competitor").unwrap();
    usecase::deals::delete(b.at(day(11, 15)), &i.deal_id).unwrap();
    let mut e = new_deal(name("Dune"), "E", 3, "10000", Some((12, 20)));
    e.amount = Money::parse("10000 USD", &eur()).unwrap();
    usecase::deals::add(b.at(day(11, 20)), &e).unwrap();
    usecase::deals::add(
        b.at(day(11, 20)),
        &new_deal(name("Bolt"), "F", 2, "4000", Some((10, 30))),
    )
    .unwrap();
    let g = usecase::deals::add(
        b.at(day(11, 22)),
        &new_deal(name("Cora"), "G", 0, "600", None),
    )
    .unwrap();
    let moved = usecase::deals::move_to_stage(b.at(day(11, 23)), &g.deal_id, &all[1]).unwrap();
    b.at(day(11, 23)).undo(&moved.undo).unwrap();
    b.at(now());
    b
}

#[test]
fn this_month_by_hand() {
    let b = book();
    let r = b.report(Period::Month);
    let p = &r.pipeline;
    assert_eq!(r.bounds.start, Some(day(11, 1) - 10 * 3_600_000));
    assert_eq!(r.bounds.end, Some(day(12, 1) - 10 * 3_600_000));

    // Closed in November: A and C won, B lost (I was lost too, but is deleted).
    assert_eq!((p.won, p.lost), (2, 1));
    assert_eq!(p.win_rate, Some(2.0 / 3.0));
    assert_eq!(text::percent(p.win_rate), "66.7 %");
    // Cycles: A Sep 1 → Nov 10 = 70 days, C Oct 15 → Nov 5 = 21 days; (70 + 21) / 2.
    assert_eq!(p.average_cycle_days, Some(45.5));
    // Won 1,000.00 + 3,000.00 EUR; average 2,000.00.
    assert_eq!(p.won_amounts[0].total, 400_000);
    assert_eq!(p.average_won, Some(Money::new(200_000, eur())));

    // Open now: F (4,000.00 EUR, Proposal 50 %), G (600.00 EUR, Lead 10 %), E (10,000.00
    // USD, Negotiation 75 %). EUR: 2 deals, 4,600.00, weighted 2,000.00 + 60.00.
    assert_eq!(p.open_deals, 3);
    assert_eq!(
        (
            p.open[0].currency.code(),
            p.open[0].deals,
            p.open[0].total,
            p.open[0].weighted
        ),
        ("EUR", 2, 460_000, 206_000)
    );
    assert_eq!(
        (
            p.open[1].currency.code(),
            p.open[1].deals,
            p.open[1].total,
            p.open[1].weighted
        ),
        ("USD", 1, 1_000_000, 750_000)
    );
    // Velocity: 2 open EUR deals × 2,000.00 × 2/3 ÷ 45.5 days = 58.608… → 58.61 EUR a day.
    assert_eq!(p.velocity_per_day, Some(Money::new(5_861, eur())));

    // Forecast: F slipped (closes Oct 30, before this month), E in December (USD only),
    // G has no date.
    let buckets: Vec<ForecastBucket> = p.forecast.iter().map(|f| f.bucket).collect();
    assert_eq!(
        buckets,
        [
            ForecastBucket::Overdue,
            ForecastBucket::Month(chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()),
            ForecastBucket::NoDate
        ]
    );
    assert_eq!(p.forecast[0].in_currency(&eur()).weighted, 200_000);
    assert_eq!(p.forecast[1].in_currency(&eur()).deals, 0);
    assert_eq!(p.forecast[1].totals[0].currency.code(), "USD");
    assert_eq!(p.forecast[2].in_currency(&eur()).weighted, 6_000);

    // Funnel, first entries in November:
    // Lead: G (Nov 22; its move to Qualified was undone) — not advanced.
    // Qualified: nobody (A entered Oct 1, C Oct 15) — no rate.
    // Proposal: A (Nov 5, won later) and F (Nov 20, open) — 1 of 2.
    // Negotiation: E (Nov 20, open) — 0 of 1.
    let f: Vec<(&str, i64, i64)> = p
        .funnel
        .iter()
        .map(|s| (s.name.as_str(), s.entered, s.advanced))
        .collect();
    assert_eq!(
        f,
        [
            ("Lead", 1, 0),
            ("Qualified", 0, 0),
            ("Proposal", 2, 1),
            ("Negotiation", 1, 0)
        ]
    );
    let conversion: Vec<String> = p
        .funnel
        .iter()
        .map(|s| text::percent(s.conversion))
        .collect();
    assert_eq!(conversion, ["0.0 %", "—", "50.0 %", "0.0 %"]);
    // Stays that ended in November: Lead B Sep 1 → Nov 12 = 72 days; Qualified A Oct 1 →
    // Nov 5 = 35 and C Oct 15 → Nov 5 = 21, average 28; Proposal A Nov 5 → Nov 10 = 5.
    let days: Vec<String> = p
        .funnel
        .iter()
        .map(|s| text::days(s.average_days))
        .collect();
    assert_eq!(days, ["72.0 days", "28.0 days", "5.0 days", "—"]);

    // Lost in November: B ("Price"); I is deleted.
    assert_eq!(p.lost_reasons, [("price".to_string(), 1)]);

    let c = &r.customers;
    // Acme (active since C was won), Fox active; Bolt, Cora, Dune prospects; Echo and Gulf
    // churned. Tiers: Echo key, Fox low, the other five normal.
    assert_eq!(c.total, 7);
    assert_eq!(
        c.by_status,
        [
            (CustomerStatus::Prospect, 3),
            (CustomerStatus::Active, 2),
            (CustomerStatus::AtRisk, 0),
            (CustomerStatus::Churned, 2)
        ]
    );
    assert_eq!(
        c.by_tier,
        [(Tier::Key, 1), (Tier::Normal, 5), (Tier::Low, 1)]
    );
    // Churn: Echo churned in November. Active at the start: Fox (untouched since August)
    // and Echo (churned since, so active before). Not Acme (a prospect until Nov 5), not
    // Gulf (churned in October). 1 ÷ 2.
    assert_eq!((c.churned, c.active_at_start), (1, 2));
    assert_eq!(c.churn_rate, Some(0.5));
    // Repurchase: Acme has two won deals (A, C), Fox one (H). 1 ÷ 2.
    assert_eq!((c.with_repeat, c.with_won), (1, 2));
    assert_eq!(c.repurchase_rate, Some(0.5));
    // Satisfaction: Echo 4, Fox 2.
    assert_eq!((c.rated, c.average_satisfaction), (2, Some(3.0)));
    // Revisits (no contact logged except Bolt's call on Nov 1, so due from creation):
    // Acme normal, Sep 1 + 30 = Oct 1 → 55 days overdue; Fox low, Aug 1 + 90 = Oct 30 →
    // 26; Cora normal, Oct 1 + 30 = Oct 31 → 25. Bolt is due Dec 1, Dune Dec 20; Echo
    // and Gulf are churned and not chased.
    let due: Vec<(&str, i64)> = c
        .overdue_revisits
        .iter()
        .map(|v| (v.name.as_str(), v.days_overdue))
        .collect();
    assert_eq!(due, [("Acme", 55), ("Fox", 26), ("Cora", 25)]);
}

#[test]
fn all_time_by_hand() {
    let b = book();
    let r = b.report(Period::All);
    let p = &r.pipeline;
    assert_eq!(r.bounds.start, None);
    // Won: H, A, C; lost: D, B. 3 ÷ 5.
    assert_eq!((p.won, p.lost, p.win_rate), (3, 2, Some(0.6)));
    // Cycles 19 + 70 + 21 = 110 days over 3.
    assert_eq!(text::days(p.average_cycle_days), "36.7 days");
    // Lead: H, A, B, D, G entered; H (won) and A (→ Qualified) advanced: 2 of 5.
    // Qualified: A and C, both advanced. Proposal: A yes, F no. Negotiation: E no.
    let f: Vec<(i64, i64)> = p.funnel.iter().map(|s| (s.entered, s.advanced)).collect();
    assert_eq!(f, [(5, 2), (2, 2), (2, 1), (1, 0)]);
    // Lead stays: H 19, A 30, D 19, B 72 days = 140 over 4.
    assert_eq!(p.funnel[0].average_days, Some(35.0));
    assert_eq!(
        p.lost_reasons,
        [("price".to_string(), 1), ("timing".to_string(), 1)]
    );
    // All time has no start: churned now (Echo, Gulf) ÷ ever customers (Acme, Fox, Echo,
    // Gulf).
    let c = &r.customers;
    assert_eq!(
        (c.churned, c.active_at_start, c.churn_rate),
        (2, 4, Some(0.5))
    );
}

#[test]
fn quarter_and_year_contain_the_month() {
    let b = book();
    let q = b.report(Period::Quarter);
    // October to December: D lost (Oct 20) joins B; A and C won; H (August) is outside.
    assert_eq!((q.pipeline.won, q.pipeline.lost), (2, 2));
    // Gulf churned Oct 10 and Echo Nov 15, both in the quarter; at its start (Oct 1) Fox,
    // Echo and Gulf were active.
    assert_eq!((q.customers.churned, q.customers.active_at_start), (2, 3));
    let y = b.report(Period::Year);
    assert_eq!((y.pipeline.won, y.pipeline.lost), (3, 2));
    // Everyone was added this year: nobody was active on January 1.
    assert_eq!(y.customers.active_at_start, 0);
    assert_eq!(y.customers.churn_rate, None);
}

#[test]
fn a_quiet_month_has_dashes_not_nan() {
    let b = book();
    // March 2027: nothing was closed, entered or churned.
    let march = Utc
        .with_ymd_and_hms(2027, 3, 15, 10, 0, 0)
        .unwrap()
        .timestamp_millis();
    let r = b.report_at(Period::Month, march);
    let p = &r.pipeline;
    assert_eq!((p.won, p.lost), (0, 0));
    assert_eq!(p.win_rate, None);
    assert_eq!(p.average_cycle_days, None);
    assert_eq!(p.average_won, None);
    assert_eq!(p.velocity_per_day, None);
    assert!(
        p.funnel
            .iter()
            .all(|s| s.conversion.is_none() && s.average_days.is_none())
    );
    assert_eq!(text::percent(p.win_rate), "—");
    // The book as it stands is still there.
    assert_eq!(p.open_deals, 3);
    assert_eq!(r.customers.churn_rate, Some(0.0));
    let json = salesdesk::commands::report::report_json(
        &r,
        Span::current(Period::Month, march, zone()),
        None,
    );
    assert_eq!(json["label"], "March 2027");
    assert_eq!(json["pipeline"]["win_rate"], Value::Null);
    assert_eq!(json["pipeline"]["velocity_per_day"], Value::Null);
    assert!(!json.to_string().contains("NaN"));
}

#[test]
fn an_empty_database_reports_nothing_without_failing() {
    let b = Book::new();
    for period in Period::ALL {
        let r = b.report(period);
        assert_eq!(r.pipeline.open_deals, 0);
        assert_eq!(r.pipeline.win_rate, None);
        assert_eq!(r.customers.churn_rate, None);
        assert_eq!(r.customers.repurchase_rate, None);
        assert_eq!(r.customers.average_satisfaction, None);
        assert_eq!(r.pipeline.funnel.len(), 4);
        let text = salesdesk::commands::report::report_text(&r, "Empty", None, now(), zone());
        assert!(!text.contains("NaN"), "{text}");
        for line in text.lines() {
            assert!(unicode_width::UnicodeWidthStr::width(line) <= 80, "{line}");
        }
    }
}

fn screen(report: &Report, label: &str, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| {
            let head = salesdesk::tui::views::reports::Header {
                period_label: label,
                pipeline: None,
                keys_hint: "[ ] period · p length · P pipeline",
            };
            salesdesk::tui::views::reports::render(report, &head, zone(), now(), f, f.area())
        })
        .unwrap();
    terminal.backend().to_string()
}

/// The view gets the screen less the tab bar and the status bar: 80×22 of an 80×24
/// terminal, 120×33 of 120×35.
#[test]
fn reports_view_80x24() {
    let r = book().report(Period::Month);
    let label = Period::Month.describe(now(), zone());
    insta::assert_snapshot!("reports_80x24", screen(&r, &label, 80, 22));
}

#[test]
fn reports_view_120x35() {
    let r = book().report(Period::All);
    insta::assert_snapshot!("reports_120x35", screen(&r, "All time", 120, 33));
}

/// Names in CJK take two columns a character: the columns after them stay in place.
#[test]
fn wide_names_keep_the_columns_after_them_in_place() {
    let latin = book().report(Period::All);
    let mut wide = latin.clone();
    wide.customers.overdue_revisits[1].name = "北京京东世纪贸易有限公司".into();
    wide.pipeline.lost_reasons[0].0 = "预算不足".into();
    // Where the lost reason's bar starts, in display columns.
    let bar_at = |s: &str| {
        let line = s.lines().find(|l| l.contains('▇')).unwrap();
        unicode_width::UnicodeWidthStr::width(&line[..line.find('▇').unwrap()])
    };
    for (width, height) in [(120, 33), (80, 22)] {
        let s = screen(&wide, "All time", width, height);
        let line = s.lines().find(|l| l.contains("北京京东")).unwrap();
        let plain = screen(&latin, "All time", width, height);
        // The tier and the days overdue start where they do after a Latin name.
        let latin_line = plain.lines().find(|l| l.contains("Fox")).unwrap();
        let tier_at =
            |l: &str| unicode_width::UnicodeWidthStr::width(&l[..l.find(" Low").unwrap()]);
        assert_eq!(tier_at(line), tier_at(latin_line), "{width} columns:\n{s}");
        assert!(line.contains("26d\""), "{width} columns:\n{s}");
        assert_eq!(bar_at(&s), bar_at(&plain), "{width} columns:\n{s}");
    }
}

/// Every forecast figure `salesdesk report` prints is on the screen: per month the deals,
/// the total and the weighted amount, other currencies on their own line. At 80 columns
/// the revisits keep their last contact, in a short form. What does not fit says so.
#[test]
fn the_view_shows_the_forecast_and_revisit_figures_the_cli_prints() {
    use salesdesk::domain::metrics::{CurrencyTotal, ForecastRow};
    let mut r = book().report(Period::Month);
    r.customers.overdue_revisits[0].last_contact = Some(day(8, 16));
    r.customers.overdue_revisits[1].last_contact = Some(day(8, 16) - 365 * 86_400_000);
    let total = |currency: Currency, deals, total, weighted| CurrencyTotal {
        currency,
        deals,
        total,
        weighted,
    };
    r.pipeline.forecast = vec![ForecastRow {
        bucket: ForecastBucket::Month(chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()),
        totals: vec![
            total(eur(), 11, 58_950_000, 11_167_500),
            total("USD".parse().unwrap(), 3, 10_800_000, 8_100_000),
        ],
    }];
    for (w, h) in [(80, 22), (120, 33)] {
        let s = screen(&r, "November 2026", w, h);
        let dec = s.lines().find(|l| l.contains(" Dec ")).expect(&s);
        for figure in ["11", "590k", "112k"] {
            assert!(dec.contains(figure), "{w} columns, {figure}:\n{s}");
        }
        let usd = s.lines().find(|l| l.contains("in USD ")).expect(&s);
        for figure in ["3", "108k", "81k"] {
            assert!(usd.contains(figure), "{w} columns, {figure}:\n{s}");
        }
        let (this_year, last_year) = if w == 80 {
            ("16 Aug", "Aug 2025")
        } else {
            ("2026-08-16", "2025-08-16")
        };
        assert!(s.contains(this_year), "{w} columns:\n{s}");
        assert!(s.contains(last_year), "{w} columns:\n{s}");
    }
    // A big book's counts at 80 columns: the words go, the numbers stay.
    let mut big = r.clone();
    big.pipeline.won = 25_085;
    big.pipeline.lost = 18_192;
    big.customers.churned = 1_600;
    big.customers.active_at_start = 14_000;
    big.customers.with_repeat = 7_627;
    big.customers.with_won = 14_000;
    big.pipeline.open[1].deals = 4_690;
    big.pipeline.open[1].total = 19_930_000_000;
    big.pipeline.open[1].weighted = 6_240_000_000;
    let s = screen(&big, "All time", 80, 22);
    for figure in [
        "25085 won · 18192 lost",
        "1600/14000 at start",
        "7627/14000 buyers",
        "+4690 USD 199.3M (w 62.4M)",
    ] {
        assert!(s.contains(figure), "{figure}:\n{s}");
    }
    // Twelve months and ten revisits do not fit at 80×24: each list says how many it left
    // out and where to see them.
    r.pipeline.forecast = (1..=12)
        .map(|m| ForecastRow {
            bucket: ForecastBucket::Month(chrono::NaiveDate::from_ymd_opt(2027, m, 1).unwrap()),
            totals: vec![total(eur(), 1, 100_000, 50_000)],
        })
        .collect();
    let one = r.customers.overdue_revisits[0].clone();
    r.customers.overdue_revisits = vec![one; 10];
    let s = screen(&r, "November 2026", 80, 22);
    assert!(s.contains("+8 more rows · salesdesk report"), "{s}");
    assert!(s.contains("+5 more customers · salesdesk report"), "{s}");
}

#[test]
fn reports_view_of_an_empty_book() {
    let r = Book::new().report(Period::Month);
    let s = screen(&r, "November 2026", 80, 22);
    assert!(s.contains("no open deals"), "{s}");
    assert!(!s.contains("NaN"));
    insta::assert_snapshot!("reports_empty", s);
}

/// `salesdesk report --json` on the demo data agrees with a hand count of won and lost
/// deals closed this month from `deal list`.
#[test]
fn cli_win_rate_matches_a_hand_count_of_deal_list() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| -> Value {
        let out = common::salesdesk(&dir.path().join("demo.db"), &dir.path().join("config.toml"))
            .args(args)
            .assert()
            .success();
        let stdout = &out.get_output().stdout;
        serde_json::from_slice(stdout).unwrap_or(Value::Null)
    };
    run(&["demo"]);
    let closed_in = |status: &str, prefix: &str| -> i64 {
        let list = run(&["--json", "deal", "list", "--status", status]);
        list.as_array()
            .unwrap()
            .iter()
            .filter(|d| d["closed_at"].as_str().unwrap().starts_with(prefix))
            .count() as i64
    };
    // A past month, a past quarter and a past year: the same hand count.
    for (period, prefixes, label) in [
        ("2026-10", &["2026-10"][..], "October 2026"),
        ("2026-Q3", &["2026-07", "2026-08", "2026-09"][..], "Q3 2026"),
        ("2025", &["2025-"][..], "2025"),
    ] {
        let report = run(&["--json", "report", "--period", period]);
        assert_eq!(report["label"], label);
        let count = |status| prefixes.iter().map(|p| closed_in(status, p)).sum::<i64>();
        assert_eq!(report["pipeline"]["won"], count("won"), "{period}");
        assert_eq!(report["pipeline"]["lost"], count("lost"), "{period}");
    }
    let won = closed_in("won", "2026-11");
    let lost = closed_in("lost", "2026-11");
    assert!(won + lost > 0, "the demo closes deals this month");
    let report = run(&["--json", "report", "--period", "month"]);
    assert_eq!(report["period"], "month");
    assert_eq!(report["pipeline"]["won"], won);
    assert_eq!(report["pipeline"]["lost"], lost);
    let rate = report["pipeline"]["win_rate"].as_f64().unwrap();
    assert!((rate - won as f64 / (won + lost) as f64).abs() < 1e-12);
    // Amounts are decimal strings with their currency.
    assert_eq!(report["pipeline"]["open"][0]["currency"], "EUR");
    assert!(
        report["pipeline"]["open"][0]["total"]
            .as_str()
            .unwrap()
            .contains('.')
    );
}

/// `--period` takes the words and a particular month, quarter or year; anything else, or a
/// period that has not begun, is refused with the forms it accepts, and nothing is printed.
#[test]
fn cli_report_periods_in_words_and_on_the_calendar() {
    let dir = tempfile::tempdir().unwrap();
    let cmd = |period: &str| {
        let mut c = common::salesdesk(&dir.path().join("book.db"), &dir.path().join("config.toml"));
        c.args(["report", "--period", period]);
        c
    };
    common::salesdesk(&dir.path().join("book.db"), &dir.path().join("config.toml"))
        .args(["customer", "add", "ACME"])
        .assert()
        .success();
    for (period, heading) in [
        (
            "month",
            "Report for November 2026 (2026-11-01 to 2026-11-30)",
        ),
        ("quarter", "Report for Q4 2026 (2026-10-01 to 2026-12-31)"),
        ("all", "Report for All time (up to 2026-11-25)"),
        (
            "2026-10",
            "Report for October 2026 (2026-10-01 to 2026-10-31)",
        ),
        ("2026-Q3", "Report for Q3 2026 (2026-07-01 to 2026-09-30)"),
        ("2025", "Report for 2025 (2025-01-01 to 2025-12-31)"),
    ] {
        cmd(period)
            .assert()
            .success()
            .stdout(predicates::str::starts_with(heading));
    }
    for bad in ["2026-13", "last month", "2026/10", "Q3"] {
        cmd(bad)
            .assert()
            .failure()
            .stdout("")
            .stderr(predicates::str::contains(format!(
                "'{bad}' is not a report period; use month, quarter, year or all, or a \
                 particular one: a month as 2026-10, a quarter as 2026-Q3, a year as 2026"
            )));
    }
    cmd("2027-01")
        .assert()
        .failure()
        .stderr(predicates::str::contains("January 2027 has not begun yet"));

    // In JSON, which month, quarter or year it was is not left to the label: the key
    // `--period` takes back, and the first and last days (both included).
    for (period, kind, key, first, last, label) in [
        (
            "2026-10",
            "month",
            "2026-10",
            "2026-10-01",
            "2026-10-31",
            "October 2026",
        ),
        (
            "month",
            "month",
            "2026-11",
            "2026-11-01",
            "2026-11-30",
            "November 2026",
        ),
        (
            "2026-Q3",
            "quarter",
            "2026-Q3",
            "2026-07-01",
            "2026-09-30",
            "Q3 2026",
        ),
        ("2025", "year", "2025", "2025-01-01", "2025-12-31", "2025"),
    ] {
        let out = cmd(period).arg("--json").assert().success();
        let json: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        assert_eq!(json["period"], kind, "{period}");
        assert_eq!(json["period_key"], key, "{period}");
        assert_eq!(json["first_day"], first, "{period}");
        assert_eq!(json["last_day"], last, "{period}");
        assert_eq!(json["label"], label, "{period}");
        assert_eq!(json["start"], format!("{first}T00:00:00Z"), "{period}");
        cmd(key)
            .assert()
            .success()
            .stdout(predicates::str::contains(format!(
                "Report for {label} ({first} to {last})"
            )));
    }
    let out = cmd("all").arg("--json").assert().success();
    let json: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(json["period"], "all");
    assert_eq!(json["period_key"], "all");
    assert_eq!(json["first_day"], Value::Null);
    assert_eq!(json["last_day"], Value::Null);
}

// --- Sums of amounts near the 64-bit limit (issue #16) -----------------------------------

/// Twice the largest 64-bit amount, in cents: what two such deals add up to.
const TWICE_MAX: &str = "184,467,440,737,095,516.14 EUR";

/// A book of two won and two open deals of ACME, each at the largest amount 64 bits hold.
/// The command line refuses such amounts; a hostile or broken team file can bring them,
/// so they are written here straight into the file.
fn book_near_the_limit(dir: &std::path::Path) -> std::path::PathBuf {
    let db = dir.join("big.db");
    let run = |args: &[&str]| {
        common::salesdesk(&db, &dir.join("config.toml"))
            .args(args)
            .assert()
            .success();
    };
    for title in ["Big one", "Big two", "Big three", "Big four"] {
        run(&["deal", "add", title, "--customer", "ACME", "--amount", "1"]);
    }
    run(&["deal", "win", "Big one"]);
    run(&["deal", "win", "Big two"]);
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute("UPDATE deals SET amount_minor = ?1", [i64::MAX])
        .unwrap();
    db
}

#[test]
fn cli_sums_of_huge_amounts_neither_wrap_nor_fail() {
    let dir = tempfile::tempdir().unwrap();
    let db = book_near_the_limit(dir.path());
    let run = |args: &[&str]| {
        common::salesdesk(&db, &dir.path().join("config.toml"))
            .args(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let report = String::from_utf8(run(&["report", "--period", "all"])).unwrap();
    let open = report.lines().find(|l| l.contains("Open deals")).unwrap();
    assert!(open.contains(&format!("2  {TWICE_MAX}")), "{report}");
    let won = report
        .lines()
        .find(|l| l.trim_start().starts_with("Won"))
        .unwrap();
    assert!(won.contains(&format!("2  {TWICE_MAX}")), "{report}");
    assert!(
        report.contains("Average won amount  92,233,720,368,547,758.07 EUR"),
        "{report}"
    );
    assert!(!report.contains("-0.02"), "{report}");
    let json: Value =
        serde_json::from_slice(&run(&["--json", "report", "--period", "all"])).unwrap();
    assert_eq!(
        json["pipeline"]["won_amounts"][0]["total"],
        "184467440737095516.14"
    );
    assert_eq!(
        json["pipeline"]["open"][0]["total"],
        "184467440737095516.14"
    );

    let list = String::from_utf8(run(&["customer", "list"])).unwrap();
    assert!(list.contains("184467440.7B EUR"), "{list}");
    let show = String::from_utf8(run(&["customer", "show", "ACME"])).unwrap();
    assert!(
        show.contains(&format!("Lifetime      {TWICE_MAX}")),
        "{show}"
    );
    let json: Value =
        serde_json::from_slice(&run(&["--json", "customer", "show", "ACME"])).unwrap();
    assert_eq!(
        json["lifetime_value"].as_f64(),
        Some(184_467_440_737_095_516.14)
    );
    assert!(run(&["--json", "customer", "list"]).len() > 2);
}

#[test]
fn the_tui_starts_on_a_book_of_huge_amounts_and_shows_their_sums() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let dir = tempfile::tempdir().unwrap();
    let db = book_near_the_limit(dir.path());
    let clock = Arc::new(SetClock(AtomicI64::new(now())));
    let store = Store::open(&db, clock).unwrap();
    let mut app = salesdesk::tui::app::App::new(
        store,
        salesdesk::config::Settings::default(),
        zone(),
        (120, 35),
    )
    .unwrap();
    let screen = |app: &salesdesk::tui::app::App| {
        let mut terminal = Terminal::new(TestBackend::new(120, 35)).unwrap();
        terminal
            .draw(|f| salesdesk::tui::views::render(app, f))
            .unwrap();
        terminal.backend().to_string()
    };
    let press = |app: &mut salesdesk::tui::app::App, c: char| {
        app.handle_key(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    };
    // The Lead column's header: two open deals.
    let s = screen(&app);
    assert!(s.contains("184467440.7B EUR"), "{s}");
    press(&mut app, 'z');
    assert!(screen(&app).contains("184467440.7B EUR"));
    press(&mut app, '2');
    let s = screen(&app);
    assert!(s.contains("LTV 184467440.7B EUR"), "{s}");
    press(&mut app, '4');
    press(&mut app, 'p');
    press(&mut app, 'p');
    press(&mut app, 'p');
    let s = screen(&app);
    assert!(s.contains(" Won       2 deals · 184467440.7B EUR"), "{s}");
    assert!(s.contains(" Open      2 deals · 184467440.7B EUR"), "{s}");
    assert!(
        app.message.as_ref().is_none_or(|m| !m.error),
        "{:?}",
        app.message
    );
}

/// A book with two pipelines, all in November 2026 (amounts in EUR). Sales has the
/// default stages (Lead, Qualified, Proposal, Negotiation); Renewals has its own, in its
/// own order: Lead, Quote (its Proposal, renamed and moved second, 50 %), Qualified
/// (25 %), Negotiation.
///
/// | when   | what                                                                |
/// |--------|---------------------------------------------------------------------|
/// | Nov 2  | P in Sales Lead (1,000); Q in Sales Lead (2,000)                    |
/// | Nov 3  | R in Renewals Lead (3,000); T in Renewals Quote (4,000)             |
/// | Nov 4  | P → Sales Qualified                                                 |
/// | Nov 5  | Q → Renewals Quote (moved to the other pipeline)                    |
/// | Nov 6  | P won                                                               |
/// | Nov 7  | R → Renewals Qualified (stays open)                                 |
/// | Nov 8  | Q won (in Renewals)                                                 |
/// | Nov 9  | T lost, "price"                                                     |
fn two_pipelines() -> (Book, salesdesk::domain::stage::Pipeline) {
    use salesdesk::store::pipelines;
    use salesdesk::usecase::stages::StagePatch;
    let mut b = Book::new();
    let (renewals_id, _) = usecase::pipelines::add(b.at(day(11, 1)), "Renewals").unwrap();
    let renewals = pipelines::get(b.store.conn(), &renewals_id).unwrap();
    let proposal = stages::resolve(b.store.conn(), "Proposal", Some(&renewals)).unwrap();
    usecase::stages::edit(
        b.at(day(11, 1)),
        &proposal,
        &StagePatch {
            name: Some("Quote".into()),
            position: Some(2),
            ..StagePatch::default()
        },
    )
    .unwrap();
    let sales = stages::list_in(b.store.conn(), "pipeline-sales").unwrap();
    let ren = stages::list_in(b.store.conn(), &renewals_id).unwrap();
    let names: Vec<&str> = ren.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Lead", "Quote", "Qualified", "Negotiation"]);

    let deal = |b: &mut Book,
                d: u32,
                title: &str,
                stage: &salesdesk::domain::stage::Stage,
                amount: &str| {
        let mut new = new_deal(name(title), title, 0, amount, None);
        new.stage_id = stage.id.clone();
        usecase::deals::add(b.at(day(11, d)), &new).unwrap().deal_id
    };
    let p = deal(&mut b, 2, "P", &sales[0], "1000");
    let q = deal(&mut b, 2, "Q", &sales[0], "2000");
    let r = deal(&mut b, 3, "R", &ren[0], "3000");
    let t = deal(&mut b, 3, "T", &ren[1], "4000");
    usecase::deals::move_to_stage(b.at(day(11, 4)), &p, &sales[1]).unwrap();
    usecase::deals::move_to_stage(b.at(day(11, 5)), &q, &ren[1]).unwrap();
    usecase::deals::win(b.at(day(11, 6)), &p).unwrap();
    usecase::deals::move_to_stage(b.at(day(11, 7)), &r, &ren[2]).unwrap();
    usecase::deals::win(b.at(day(11, 8)), &q).unwrap();
    usecase::deals::lose(b.at(day(11, 9)), &t, "price").unwrap();
    b.at(now());
    (b, renewals)
}

fn report_in(b: &Book, pipeline: Option<&salesdesk::domain::stage::Pipeline>) -> Report {
    reports::report_in(
        b.store.conn(),
        Span::current(Period::Month, now(), zone()),
        pipeline,
        &eur(),
        &Cadence::default(),
        now(),
        zone(),
    )
    .unwrap()
}

/// (pipeline, stage, entered, advanced, stays, average days in stage) per funnel row.
fn funnel_rows(r: &Report) -> Vec<(String, String, i64, i64, i64, Option<f64>)> {
    r.pipeline
        .funnel
        .iter()
        .map(|s| {
            (
                s.pipeline.clone(),
                s.name.clone(),
                s.entered,
                s.advanced,
                s.stays,
                s.average_days,
            )
        })
        .collect()
}

fn row(
    pipeline: &str,
    stage: &str,
    entered: i64,
    advanced: i64,
    stays: i64,
    days: Option<f64>,
) -> (String, String, i64, i64, i64, Option<f64>) {
    (
        pipeline.into(),
        stage.into(),
        entered,
        advanced,
        stays,
        days,
    )
}

#[test]
fn each_pipeline_has_its_own_funnel_by_hand() {
    let (b, renewals) = two_pipelines();
    let all = report_in(&b, None);
    // Sales Lead: P and Q entered; P advanced (Qualified), Q did not: it left for the
    // other pipeline, and its win there is Renewals' conversion, not Sales'. Stays: P
    // 2 days (Nov 2–4), Q 3 days (Nov 2–5). Sales Qualified: P, won; stay 2 days.
    // Renewals Lead: R, advanced to Qualified (third in Renewals); stay 4 days.
    // Renewals Quote: T (Nov 3) and Q (Nov 5); Q won, T lost; stays 6 and 3 days.
    // Renewals Qualified: R, still there.
    let sales = [
        row("Sales", "Lead", 2, 1, 2, Some(2.5)),
        row("Sales", "Qualified", 1, 1, 1, Some(2.0)),
        row("Sales", "Proposal", 0, 0, 0, None),
        row("Sales", "Negotiation", 0, 0, 0, None),
    ];
    let renewal_rows = [
        row("Renewals", "Lead", 1, 1, 1, Some(4.0)),
        row("Renewals", "Quote", 2, 1, 2, Some(4.5)),
        row("Renewals", "Qualified", 1, 0, 0, None),
        row("Renewals", "Negotiation", 0, 0, 0, None),
    ];
    assert_eq!(
        funnel_rows(&all),
        [sales.to_vec(), renewal_rows.to_vec()].concat()
    );
    assert_eq!(all.pipeline.funnel[0].conversion, Some(0.5));
    assert_eq!(all.pipeline.won, 2);
    assert_eq!(all.pipeline.lost, 1);

    // Renewals alone: its funnel, and only its deals: Q won (in Renewals when won), T
    // lost, R open in Qualified at 25 %.
    let only = report_in(&b, Some(&renewals));
    assert_eq!(funnel_rows(&only), renewal_rows.to_vec());
    let p = &only.pipeline;
    assert_eq!((p.won, p.lost, p.win_rate), (1, 1, Some(0.5)));
    assert_eq!(p.won_amounts[0].total_money().to_string(), "2,000.00 EUR");
    assert_eq!(p.open_deals, 1);
    assert_eq!(p.open[0].total_money().to_string(), "3,000.00 EUR");
    assert_eq!(p.open[0].weighted_money().to_string(), "750.00 EUR");
    assert_eq!(p.lost_reasons, [("price".to_string(), 1)]);
    // Customers belong to no pipeline: their figures stay the whole book's.
    assert_eq!(only.customers, all.customers);

    // Sales alone: P won, nothing lost or open.
    let sales_pipeline = salesdesk::store::pipelines::resolve(b.store.conn(), "sales").unwrap();
    let s = report_in(&b, Some(&sales_pipeline));
    assert_eq!(funnel_rows(&s), sales.to_vec());
    assert_eq!((s.pipeline.won, s.pipeline.lost), (1, 0));
    assert_eq!(s.pipeline.open_deals, 0);
    assert!(s.pipeline.lost_reasons.is_empty());
}
