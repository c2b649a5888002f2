//! The Reports view: how the pipeline and the customer base are doing over a period.
//! Pure: it draws a [`Report`] (from `store::reports::report`) and nothing else.
//!
//! Left, the pipeline: open and weighted amounts, win rate, cycle, velocity, the stage
//! funnel as conversion bars, lost reasons. Right: the forecast by month of expected
//! close (weighted, default currency) as a bar chart, customers by status and tier,
//! churn, repurchase, satisfaction and the customers longest past their revisit cadence.
//! Made to be read at 80×24 and to use the room at 120×35.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Paragraph};
use unicode_width::UnicodeWidthStr;

use crate::domain::metrics::{CurrencyTotal, ForecastBucket, Report, ratio};
use crate::domain::money::{Currency, short_wide_number};
use crate::domain::time::Zone;
use crate::text;
use crate::text::{pad, truncate};
use crate::tui::theme;

/// Draws the report for the period named `period_label` into `area`.
pub fn render(report: &Report, period_label: &str, zone: Zone, frame: &mut Frame, area: Rect) {
    let [top, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    let header = Line::from(vec![
        Span::styled(" Reports", theme::title()),
        Span::styled(
            format!(" · {period_label} · amounts in {}", report.currency),
            theme::label(),
        ),
    ]);
    let hint = "[ ] period · p length ";
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
    render_right(report, zone, frame, right);
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
    days.filter(|d| d.is_finite())
        .map_or_else(|| "—".to_string(), |d| format!("{d:.1}d"))
}

/// `1 deal`, `2 deals`.
fn deals(n: i64) -> String {
    format!("{n} {}", if n == 1 { "deal" } else { "deals" })
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
    let mut lines = vec![heading("Pipeline")];
    let default = p.open.first().cloned().unwrap_or_else(|| CurrencyTotal {
        currency: report.currency.clone(),
        deals: 0,
        total: 0,
        weighted: 0,
    });
    lines.push(figure(
        "Open",
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
        "Weighted",
        label_w,
        vec![Span::styled(
            short_money(default.weighted, &default.currency),
            theme::amount(),
        )],
    ));
    for other in p.open.iter().skip(1) {
        lines.push(other_currency(
            format!(
                "+{} in {}: {} (w {})",
                other.deals,
                other.currency,
                short_wide_number(other.total, other.currency.minor_digits()),
                short_wide_number(other.weighted, other.currency.minor_digits())
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
        "Won",
        label_w,
        vec![
            Span::raw(format!("{} · ", deals(won.deals))),
            Span::styled(short_money(won.total, &won.currency), theme::amount()),
        ],
    ));
    for other in p.won_amounts.iter().skip(1) {
        lines.push(other_currency(
            format!(
                "+{} in {}: {}",
                other.deals,
                other.currency,
                short_wide_number(other.total, other.currency.minor_digits()),
            ),
            label_w,
            w,
        ));
    }
    lines.push(figure(
        "Win rate",
        label_w,
        vec![
            rate_span(p.win_rate),
            Span::styled(format!("  {} won · {} lost", p.won, p.lost), theme::dim()),
        ],
    ));
    lines.push(figure(
        "Avg won",
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
        "Avg cycle",
        label_w,
        vec![Span::raw(
            p.average_cycle_days
                .map_or_else(|| "—".to_string(), |d| format!("{d:.1} days")),
        )],
    ));
    lines.push(figure(
        "Velocity",
        label_w,
        vec![Span::styled(
            p.velocity_per_day.as_ref().map_or_else(
                || "—".to_string(),
                |v| format!("{}/day", short_money(v.minor.into(), &v.currency)),
            ),
            theme::amount(),
        )],
    ));

    // The funnel: one bar per stage, as long as its conversion.
    lines.push(heading("Stage conversion"));
    let name_w = p
        .funnel
        .iter()
        .map(|s| s.name.width())
        .max()
        .unwrap_or(0)
        .clamp(4, 12);
    // " name " + bar + " 100.0 %" + " 108.0d", and "  12/345" (advanced of entered)
    // when there is room.
    let counts_w = if w >= 56 { 10 } else { 0 };
    let bar_w = w.saturating_sub(name_w + 2 + 8 + 7 + counts_w).max(3);
    if p.funnel.is_empty() {
        lines.push(Line::styled(" no stages", theme::dim()));
    }
    for s in &p.funnel {
        let mut spans = vec![Span::styled(
            format!(" {} ", pad(&s.name, name_w)),
            theme::label(),
        )];
        spans.extend(bar(s.conversion, bar_w));
        spans.push(Span::raw(format!("{:>8}", text::percent(s.conversion))));
        spans.push(Span::styled(
            format!("{:>7}", days_short(s.average_days)),
            theme::dim(),
        ));
        if counts_w > 0 {
            spans.push(Span::styled(
                format!("{:>10}", format!("{}/{}", s.advanced, s.entered)),
                theme::dim(),
            ));
        }
        lines.push(Line::from(spans));
    }

    lines.push(heading("Lost reasons"));
    if p.lost_reasons.is_empty() {
        lines.push(Line::styled(" none in this period", theme::dim()));
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

fn render_right(report: &Report, zone: Zone, frame: &mut Frame, area: Rect) {
    let c = &report.customers;
    let revisit_rows = c.overdue_revisits.len().max(1) as u16;
    // The customers block is fixed; the chart takes what the revisits leave, within reason.
    let customers_h = 7;
    let chart_h = area
        .height
        .saturating_sub(1 + customers_h + 1 + revisit_rows)
        .clamp(4, if area.height >= 30 { 12 } else { 8 });
    let [chart_title, chart, customers, revisits] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(chart_h),
        Constraint::Length(customers_h),
        Constraint::Min(0),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(heading(&format!("Forecast, weighted {}", report.currency))),
        chart_title,
    );
    render_forecast(report, frame, chart);

    let w = area.width as usize;
    let counts = |items: Vec<(&str, i64)>| -> Vec<Span<'static>> {
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
    let status: Vec<(&str, i64)> = c.by_status.iter().map(|(s, n)| (s.label(), *n)).collect();
    let (first, second) = status.split_at(status.len().min(2));
    let mut lines = vec![
        heading(&format!("Customers  {}", c.total)),
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
        Span::styled(" Churn       ", theme::label()),
        rate_span(c.churn_rate),
        Span::styled(
            format!("  {} of {} at start", c.churned, c.active_at_start),
            theme::dim(),
        ),
    ]));
    lines.push(Line::from(vec![
        Span::styled(" Repurchase  ", theme::label()),
        rate_span(c.repurchase_rate),
        Span::styled(
            format!("  {} of {} buyers", c.with_repeat, c.with_won),
            theme::dim(),
        ),
    ]));
    lines.push(Line::from(vec![
        Span::styled(" Satisfaction ", theme::label()),
        Span::raw(text::satisfaction(c.average_satisfaction)),
        Span::styled(format!("  ({} rated)", c.rated), theme::dim()),
    ]));
    frame.render_widget(Paragraph::new(lines), customers);

    let mut lines = vec![heading("Longest past revisit cadence")];
    if c.overdue_revisits.is_empty() {
        lines.push(Line::styled(" none overdue", theme::dim()));
    }
    // " name  Normal  381d", and the last contact (" 2026-09-01") when there is room.
    let last_w = if w >= 50 { 11 } else { 0 };
    let name_w = w.saturating_sub(1 + 8 + 7 + last_w);
    for v in &c.overdue_revisits {
        let mut spans = vec![
            Span::raw(format!(" {}", pad(&v.name, name_w))),
            Span::styled(format!(" {:<7}", v.tier.label()), theme::label()),
        ];
        if last_w > 0 {
            let last = v.last_contact.map_or_else(
                || "never".to_string(),
                |ms| zone.local(ms).format("%Y-%m-%d").to_string(),
            );
            spans.push(Span::styled(format!("{last:>11}"), theme::dim()));
        }
        spans.push(Span::styled(
            format!("{:>6}d", v.days_overdue),
            theme::overdue(),
        ));
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), revisits);
}

/// Weighted open amounts in the default currency, one bar per month of expected close
/// (slipped ones first, as "Late"). Months that do not fit are left out at the right,
/// marked; deals without a date and other currencies are listed under the chart, never
/// added in.
fn render_forecast(report: &Report, frame: &mut Frame, area: Rect) {
    let p = &report.pipeline;
    let currency = &report.currency;
    let rows: Vec<(String, CurrencyTotal)> = p
        .forecast
        .iter()
        .filter(|r| r.bucket != ForecastBucket::NoDate)
        .map(|r| (r.bucket.short_label(), r.in_currency(currency)))
        .filter(|(_, t)| t.deals > 0)
        .collect();
    let mut notes: Vec<String> = p
        .forecast
        .iter()
        .filter(|r| r.bucket == ForecastBucket::NoDate)
        .map(|r| r.in_currency(currency))
        .filter(|t| t.deals > 0)
        .map(|t| {
            format!(
                "{} undated (w {})",
                t.deals,
                short_wide_number(t.weighted, currency.minor_digits())
            )
        })
        .collect();
    notes.extend(
        p.open
            .iter()
            .filter(|t| &t.currency != currency && t.deals > 0)
            .map(|t| {
                format!(
                    "{} in {} (w {})",
                    t.deals,
                    t.currency,
                    short_wide_number(t.weighted, t.currency.minor_digits())
                )
            }),
    );
    let note_h = u16::from(!notes.is_empty());
    let [chart, note] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(note_h)]).areas(area);
    if rows.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled(
                format!(" no dated open deals in {currency}"),
                theme::dim(),
            )),
            chart,
        );
    } else {
        let width = chart.width.saturating_sub(1);
        let gap = 1u16;
        let fit = |bar_w: u16| ((width + gap) / (bar_w + gap)) as usize;
        let bar_w =
            (width.saturating_sub(gap * (rows.len() as u16 - 1)) / rows.len() as u16).clamp(5, 9);
        let shown = rows.len().min(fit(bar_w)).max(1);
        let digits = currency.minor_digits();
        let bars: Vec<Bar> = rows
            .iter()
            .take(shown)
            .map(|(label, t)| {
                Bar::default()
                    .value(u64::try_from(t.weighted.max(0)).unwrap_or(u64::MAX))
                    .text_value(short_wide_number(t.weighted, digits))
                    .label(Line::from(label.clone()))
            })
            .collect();
        let chart_widget = BarChart::default()
            .data(BarGroup::default().bars(&bars))
            .bar_width(bar_w)
            .bar_gap(gap)
            .bar_style(theme::amount())
            .value_style(theme::chart_value())
            .label_style(theme::label());
        let [_, inner] =
            Layout::horizontal([Constraint::Length(1), Constraint::Min(0)]).areas(chart);
        frame.render_widget(chart_widget, inner);
        if shown < rows.len() {
            let more = format!("+{} ›", rows.len() - shown);
            let x = chart.x + chart.width.saturating_sub(more.width() as u16);
            frame.render_widget(
                Paragraph::new(Span::styled(more.clone(), theme::dim())),
                Rect {
                    x,
                    width: more.width() as u16,
                    height: 1,
                    ..chart
                },
            );
        }
    }
    if !notes.is_empty() {
        let text = format!("also {}", notes.join(" · "));
        frame.render_widget(
            Paragraph::new(Line::styled(
                format!(
                    " {}",
                    truncate(&text, note.width.saturating_sub(1) as usize)
                ),
                theme::dim(),
            )),
            note,
        );
    }
}
