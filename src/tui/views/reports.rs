//! The Reports view: how the pipeline and the customer base are doing over a period.
//! Pure: it draws a [`Report`] (from `store::reports::report`) and nothing else.
//!
//! Left, the pipeline: open and weighted amounts, win rate, cycle, velocity, the stage
//! funnel as conversion bars, lost reasons. Right: the forecast by month of expected
//! close (deals, total, weighted with a bar), customers by status and tier, churn,
//! repurchase, satisfaction and the customers longest past their revisit cadence.
//! Every figure `salesdesk report` prints; made to be read at 80×24 and to use the room
//! at 120×35. A list too long for the screen says how much it leaves out.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::domain::metrics::{CurrencyTotal, ForecastBucket, Report, ratio};
use crate::domain::money::{Currency, short_wide_number};
use crate::domain::time::{Millis, Zone};
use crate::t;
use crate::text;
use crate::text::{pad, pad_left, truncate};
use crate::tui::theme;
use chrono::Datelike;

/// Draws the report for the period named `period_label` into `area`, for the deals of the
/// pipeline named `pipeline` (`None`: all pipelines); `now` dates the revisits' last
/// contacts (a year is shown only when it is not this one).
/// What the Reports header line says besides the figures: the period, the pipeline
/// chosen (none for all), and the keys that change them.
pub struct Header<'a> {
    pub period_label: &'a str,
    pub pipeline: Option<&'a str>,
    pub keys_hint: &'a str,
}

pub fn render(
    report: &Report,
    head: &Header,
    zone: Zone,
    now: Millis,
    frame: &mut Frame,
    area: Rect,
) {
    let [top, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    let mut header = vec![Span::styled(t!("reports-title"), theme::title())];
    if let Some(name) = head.pipeline {
        header.push(Span::styled(format!(" · {name}"), theme::title()));
    }
    header.push(Span::styled(
        t!(
            "reports-period-currency",
            period = head.period_label,
            currency = report.currency.to_string()
        ),
        theme::label(),
    ));
    let header = Line::from(header);
    let hint = format!("{} ", head.keys_hint);
    let used = header.width() + hint.width();
    let mut spans = header.spans;
    spans.push(Span::raw(
        " ".repeat((top.width as usize).saturating_sub(used)),
    ));
    spans.push(Span::styled(hint, theme::hint()));
    frame.render_widget(Paragraph::new(Line::from(spans)), top);

    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
            .spacing(1)
            .areas(body);
    render_pipeline(report, frame, left);
    render_right(report, zone, now, frame, right);
}

fn heading(text: &str) -> Line<'static> {
    Line::from(Span::styled(text.to_string(), theme::title()))
}

/// `62.5 %` shown, or a dim `—`.
fn rate_span(r: Option<f64>) -> Span<'static> {
    let text = text::percent(r);
    if r.is_some() {
        Span::raw(text)
    } else {
        Span::styled(text, theme::dim())
    }
}

fn short_money(minor: i128, currency: &Currency) -> String {
    format!(
        "{} {currency}",
        short_wide_number(minor, currency.minor_digits())
    )
}

fn days_short(days: Option<f64>) -> String {
    days.filter(|d| d.is_finite()).map_or_else(
        || "—".to_string(),
        |d| t!("figure-days-short", days = format!("{d:.1}")),
    )
}

/// `long` when it fits in `room` columns, else `short`: big books at 80 columns keep
/// their figures by losing words, not digits.
fn fit(long: String, short: String, room: usize) -> String {
    if long.width() <= room { long } else { short }
}

/// `1 deal`, `2 deals`.
fn deals(n: i64) -> String {
    t!("count-deals", count = n)
}

/// A dim line under a figure for an amount in another currency than the default.
fn other_currency(text: String, label_w: usize, w: usize) -> Line<'static> {
    figure(
        "",
        label_w,
        vec![Span::styled(
            truncate(&text, w.saturating_sub(label_w + 1)),
            theme::dim(),
        )],
    )
}

/// A label in a fixed column, then the value.
fn figure(label: &str, width: usize, value: Vec<Span<'static>>) -> Line<'static> {
    let mut spans = vec![Span::styled(
        format!(" {}", pad(label, width)),
        theme::label(),
    )];
    spans.extend(value);
    Line::from(spans)
}

/// `████░░░░` of `width` cells for a share between 0 and 1.
fn bar(share: Option<f64>, width: usize) -> Vec<Span<'static>> {
    let filled = share
        .filter(|s| s.is_finite())
        .map_or(0, |s| ((s.clamp(0.0, 1.0) * width as f64).round()) as usize);
    vec![
        Span::styled("█".repeat(filled), theme::amount()),
        Span::styled("░".repeat(width - filled), theme::dim()),
    ]
}

fn render_pipeline(report: &Report, frame: &mut Frame, area: Rect) {
    let p = &report.pipeline;
    let w = area.width as usize;
    let label_w = 10;
    let mut lines = vec![heading(&t!("reports-pipeline"))];
    let default = p.open.first().cloned().unwrap_or_else(|| CurrencyTotal {
        currency: report.currency.clone(),
        deals: 0,
        total: 0,
        weighted: 0,
    });
    lines.push(figure(
        &t!("reports-open"),
        label_w,
        vec![
            Span::raw(format!("{} · ", deals(default.deals))),
            Span::styled(
                short_money(default.total, &default.currency),
                theme::amount(),
            ),
        ],
    ));
    lines.push(figure(
        &t!("reports-weighted"),
        label_w,
        vec![Span::styled(
            short_money(default.weighted, &default.currency),
            theme::amount(),
        )],
    ));
    for other in p.open.iter().skip(1) {
        let (total, weighted) = (
            short_wide_number(other.total, other.currency.minor_digits()),
            short_wide_number(other.weighted, other.currency.minor_digits()),
        );
        lines.push(other_currency(
            fit(
                t!(
                    "reports-other-currency-open",
                    count = other.deals,
                    currency = other.currency.to_string(),
                    total = total.as_str(),
                    weighted = weighted.as_str()
                ),
                t!(
                    "reports-other-currency-open-short",
                    count = other.deals,
                    currency = other.currency.to_string(),
                    total = total.as_str(),
                    weighted = weighted.as_str()
                ),
                w.saturating_sub(label_w + 1),
            ),
            label_w,
            w,
        ));
    }
    let won = p
        .won_amounts
        .first()
        .cloned()
        .unwrap_or_else(|| CurrencyTotal {
            currency: report.currency.clone(),
            deals: 0,
            total: 0,
            weighted: 0,
        });
    lines.push(figure(
        &t!("reports-won"),
        label_w,
        vec![
            Span::raw(format!("{} · ", deals(won.deals))),
            Span::styled(short_money(won.total, &won.currency), theme::amount()),
        ],
    ));
    for other in p.won_amounts.iter().skip(1) {
        lines.push(other_currency(
            t!(
                "reports-other-currency-won",
                count = other.deals,
                currency = other.currency.to_string(),
                total = short_wide_number(other.total, other.currency.minor_digits()),
            ),
            label_w,
            w,
        ));
    }
    lines.push(figure(
        &t!("reports-win-rate"),
        label_w,
        vec![
            rate_span(p.win_rate),
            Span::styled(
                fit(
                    t!("reports-won-lost", won = p.won, lost = p.lost),
                    t!("reports-won-lost-short", won = p.won, lost = p.lost),
                    w.saturating_sub(1 + label_w + text::percent(p.win_rate).width()),
                ),
                theme::dim(),
            ),
        ],
    ));
    lines.push(figure(
        &t!("reports-average-won"),
        label_w,
        vec![Span::styled(
            p.average_won.as_ref().map_or_else(
                || "—".to_string(),
                |m| short_money(m.minor.into(), &m.currency),
            ),
            theme::amount(),
        )],
    ));
    lines.push(figure(
        &t!("reports-average-cycle"),
        label_w,
        vec![Span::raw(text::days(p.average_cycle_days))],
    ));
    lines.push(figure(
        &t!("reports-velocity"),
        label_w,
        vec![Span::styled(
            p.velocity_per_day.as_ref().map_or_else(
                || "—".to_string(),
                |v| {
                    t!(
                        "reports-per-day",
                        amount = short_money(v.minor.into(), &v.currency)
                    )
                },
            ),
            theme::amount(),
        )],
    ));

    // The funnel: one bar per stage, as long as its conversion.
    lines.push(heading(&t!("reports-stage-conversion")));
    let name_w = p
        .funnel
        .iter()
        .map(|s| s.name.width())
        .max()
        .unwrap_or(0)
        .clamp(4, 12);
    // " name " + bar + " 100.0 %" + " 108.0d" + "  12/345" (advanced of entered, the
    // figures the conversion is made of): the bar takes what the numbers leave.
    let count = |s: &crate::domain::metrics::StageFigures| format!("{}/{}", s.advanced, s.entered);
    let counts_w = p
        .funnel
        .iter()
        .map(|s| count(s).width() + 2)
        .max()
        .unwrap_or(0);
    // Too narrow for a useful bar (counts in the tens of thousands at 80 columns): the
    // numbers stay, the bar goes.
    let bar_w = w.saturating_sub(name_w + 2 + 8 + 7 + counts_w);
    let (bar_w, pct_w, days_w) = if bar_w >= 3 { (bar_w, 8, 7) } else { (0, 7, 6) };
    if p.funnel.is_empty() {
        lines.push(Line::styled(t!("reports-no-stages"), theme::dim()));
    }
    // Each pipeline's stages under its name, when the funnel has more than one.
    let several = p
        .funnel
        .first()
        .is_some_and(|f| p.funnel.iter().any(|s| s.pipeline != f.pipeline));
    let mut shown: Option<&str> = None;
    for s in &p.funnel {
        if several && shown != Some(s.pipeline.as_str()) {
            shown = Some(s.pipeline.as_str());
            lines.push(Line::styled(
                format!(" {}", truncate(&s.pipeline, w.saturating_sub(1))),
                theme::dim(),
            ));
        }
        let mut spans = vec![Span::styled(
            format!(" {} ", pad(&s.name, name_w)),
            theme::label(),
        )];
        if bar_w > 0 {
            spans.extend(bar(s.conversion, bar_w));
        }
        spans.push(Span::raw(pad_left(&text::percent(s.conversion), pct_w)));
        spans.push(Span::styled(
            pad_left(&days_short(s.average_days), days_w),
            theme::dim(),
        ));
        spans.push(Span::styled(pad_left(&count(s), counts_w), theme::dim()));
        lines.push(Line::from(spans));
    }

    lines.push(heading(&t!("reports-lost-reasons")));
    if p.lost_reasons.is_empty() {
        lines.push(Line::styled(t!("reports-none-in-period"), theme::dim()));
    }
    let most = p.lost_reasons.first().map_or(1, |(_, n)| (*n).max(1));
    let reason_w = 14.min(w.saturating_sub(12));
    let reason_bar_w = w.saturating_sub(reason_w + 2 + 6).max(1);
    for (reason, n) in &p.lost_reasons {
        let mut spans = vec![Span::styled(
            format!(" {} ", pad(reason, reason_w)),
            theme::label(),
        )];
        let share = ratio(*n, most);
        let filled = share.map_or(0, |s| ((s * reason_bar_w as f64).round() as usize).max(1));
        spans.push(Span::styled("▇".repeat(filled), theme::error()));
        spans.push(Span::raw(format!(" {n}")));
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// The lines that fit in `height`: all of them, or as many as leave room for a dim
/// `+N more` (rows, or customers when `customers`) that says what was left out and where
/// to see it.
fn fit_lines(
    mut lines: Vec<Line<'static>>,
    head: usize,
    height: usize,
    customers: bool,
) -> Vec<Line<'static>> {
    if lines.len() > height && height > head {
        let keep = height - 1;
        let more = lines.len() - keep;
        lines.truncate(keep);
        let text = if customers {
            t!("reports-more-customers", count = more)
        } else {
            t!("reports-more-rows", count = more)
        };
        lines.push(Line::styled(text, theme::dim()));
    }
    lines
}

fn render_right(report: &Report, zone: Zone, now: Millis, frame: &mut Frame, area: Rect) {
    let c = &report.customers;
    let w = area.width as usize;
    let forecast = forecast_lines(report, w);
    let revisits = revisit_lines(report, zone, now, w);
    // The customers block is fixed; the forecast and the revisits share the rest, the
    // forecast first (within reason), and each says what it leaves out.
    let customers_h = 7;
    let rest = area.height.saturating_sub(customers_h) as usize;
    let forecast_h = forecast
        .len()
        .min(rest.saturating_sub(revisits.len()).max(7))
        .min(rest);
    let [forecast_area, customers, revisits_area] = Layout::vertical([
        Constraint::Length(forecast_h as u16),
        Constraint::Length(customers_h),
        Constraint::Min(0),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(fit_lines(forecast, 2, forecast_h, false)),
        forecast_area,
    );
    let revisits_h = revisits_area.height as usize;
    frame.render_widget(
        Paragraph::new(fit_lines(revisits, 1, revisits_h, true)),
        revisits_area,
    );

    let counts = |items: Vec<(String, i64)>| -> Vec<Span<'static>> {
        let mut spans = Vec::new();
        for (i, (label, n)) in items.into_iter().enumerate() {
            if i > 0 {
                spans.push(Span::styled(" · ", theme::dim()));
            }
            spans.push(Span::styled(format!("{label} "), theme::label()));
            spans.push(Span::raw(n.to_string()));
        }
        spans
    };
    let status: Vec<(String, i64)> = c.by_status.iter().map(|(s, n)| (s.label(), *n)).collect();
    let (first, second) = status.split_at(status.len().min(2));
    let mut lines = vec![
        heading(&t!("reports-customers", count = c.total)),
        Line::from([vec![Span::raw(" ")], counts(first.to_vec())].concat()),
        Line::from([vec![Span::raw(" ")], counts(second.to_vec())].concat()),
        Line::from(
            [
                vec![Span::raw(" ")],
                counts(c.by_tier.iter().map(|(t, n)| (t.label(), *n)).collect()),
            ]
            .concat(),
        ),
    ];
    lines.push(Line::from(vec![
        Span::styled(
            format!(" {}", pad(&t!("reports-churn"), 12)),
            theme::label(),
        ),
        rate_span(c.churn_rate),
        Span::styled(
            fit(
                t!(
                    "reports-churn-of",
                    churned = c.churned,
                    start = c.active_at_start
                ),
                t!(
                    "reports-churn-of-short",
                    churned = c.churned,
                    start = c.active_at_start
                ),
                w.saturating_sub(13 + text::percent(c.churn_rate).width()),
            ),
            theme::dim(),
        ),
    ]));
    lines.push(Line::from(vec![
        Span::styled(
            format!(" {}", pad(&t!("reports-repurchase"), 12)),
            theme::label(),
        ),
        rate_span(c.repurchase_rate),
        Span::styled(
            fit(
                t!(
                    "reports-repurchase-of",
                    repeat = c.with_repeat,
                    buyers = c.with_won
                ),
                t!(
                    "reports-repurchase-of-short",
                    repeat = c.with_repeat,
                    buyers = c.with_won
                ),
                w.saturating_sub(13 + text::percent(c.repurchase_rate).width()),
            ),
            theme::dim(),
        ),
    ]));
    lines.push(Line::from(vec![
        Span::styled(
            format!(" {} ", pad(&t!("reports-satisfaction"), 12)),
            theme::label(),
        ),
        Span::raw(text::satisfaction(c.average_satisfaction)),
        Span::styled(t!("reports-rated", count = c.rated), theme::dim()),
    ]));
    frame.render_widget(Paragraph::new(lines), customers);
}

/// The customers longest past their revisit cadence: name, tier, last contact, days
/// overdue. The last contact is a full date when there is room, else `16 Aug` (this
/// year) or `Aug 2025`, so that it is never the column left out.
fn revisit_lines(report: &Report, zone: Zone, now: Millis, w: usize) -> Vec<Line<'static>> {
    let c = &report.customers;
    let mut lines = vec![heading(&t!("reports-revisits"))];
    if c.overdue_revisits.is_empty() {
        lines.push(Line::styled(t!("reports-none-overdue"), theme::dim()));
    }
    let wide = w >= 50;
    let this_year = zone.today(now).year();
    let (last_w, days_w) = if wide { (11, 7) } else { (9, 5) };
    let name_w = w.saturating_sub(1 + 8 + last_w + days_w);
    for v in &c.overdue_revisits {
        let last = v.last_contact.map_or_else(
            || t!("never"),
            |ms| {
                let day = zone.local(ms);
                if wide {
                    day.format("%Y-%m-%d").to_string()
                } else if day.year() == this_year {
                    t!("date-day-month", day = day.day(), month = day.month())
                } else {
                    t!("date-month-year", month = day.month(), year = day.year())
                }
            },
        );
        lines.push(Line::from(vec![
            Span::raw(format!(" {}", pad(&v.name, name_w))),
            Span::styled(format!(" {}", pad(&v.tier.label(), 7)), theme::label()),
            Span::styled(pad_left(&last, last_w), theme::dim()),
            Span::styled(
                pad_left(&t!("days-short", count = v.days_overdue), days_w),
                theme::overdue(),
            ),
        ]));
    }
    lines
}

/// Open deals by month of expected close, as `salesdesk report` lists them: per month
/// (slipped ones first, as "Late"; undated last) the deals, their total and their weighted
/// amount, with a bar for the weighted amount in the default currency. Other currencies
/// get their own dim line under the month, never added in.
fn forecast_lines(report: &Report, w: usize) -> Vec<Line<'static>> {
    let p = &report.pipeline;
    let currency = &report.currency;
    let mut lines = vec![heading(&t!(
        "reports-forecast",
        currency = currency.to_string()
    ))];
    if p.forecast.is_empty() {
        lines.push(Line::styled(t!("reports-no-open-deals"), theme::dim()));
        return lines;
    }
    // " Late   " + deals + total + " " + bar + weighted
    let (label_w, deals_w, total_w, weighted_w) = (7, 6, 8, 8);
    let bar_w = w
        .saturating_sub(1 + label_w + deals_w + total_w + 1 + weighted_w)
        .min(24);
    lines.push(Line::styled(
        format!(
            " {}{}{} {}{}",
            pad("", label_w),
            pad_left(&t!("reports-column-deals"), deals_w),
            pad_left(&t!("reports-column-total"), total_w),
            pad("", bar_w),
            pad_left(&t!("reports-column-weighted"), weighted_w),
        ),
        theme::dim(),
    ));
    let most = p
        .forecast
        .iter()
        .map(|r| r.in_currency(currency).weighted)
        .max()
        .unwrap_or(0)
        .max(1);
    for row in &p.forecast {
        let label = match row.bucket {
            ForecastBucket::NoDate => t!("reports-no-date"),
            bucket => bucket.short_label(),
        };
        for (i, t) in row.totals.iter().enumerate() {
            let digits = t.currency.minor_digits();
            let mut spans = vec![
                Span::styled(
                    format!(" {}", pad(if i == 0 { &label } else { "" }, label_w)),
                    theme::label(),
                ),
                Span::raw(format!("{:>deals_w$}", t.deals)),
                Span::styled(
                    format!("{:>total_w$}", short_wide_number(t.total, digits)),
                    theme::amount(),
                ),
                Span::raw(" "),
            ];
            if &t.currency == currency {
                let share = t.weighted.max(0) as f64 / most as f64;
                let filled = ((share * bar_w as f64).round() as usize).min(bar_w);
                spans.push(Span::styled("▇".repeat(filled), theme::amount()));
                spans.push(Span::raw(" ".repeat(bar_w - filled)));
            } else {
                spans.push(Span::styled(
                    pad_left(
                        &t!("reports-in-currency", currency = t.currency.to_string()),
                        bar_w,
                    ),
                    theme::dim(),
                ));
            }
            // The figure the bar draws wears the chart's colours (`chart` in [theme]).
            let weighted_style = if &t.currency == currency {
                theme::chart_value()
            } else {
                theme::amount()
            };
            spans.push(Span::styled(
                format!("{:>weighted_w$}", short_wide_number(t.weighted, digits)),
                weighted_style,
            ));
            lines.push(Line::from(spans));
        }
    }
    lines
}
