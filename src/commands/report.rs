//! `salesdesk report [--period P] [--pipeline NAME]`: the Reports view's figures on the
//! command line, from the same query ([`crate::store::reports::report_in`]). As a table that fits 80 columns, or
//! with `--json` as numbers (ratios as numbers or null, amounts as decimal strings with
//! their currency).

use anyhow::{Result, anyhow};
use serde_json::{Value, json};

use super::output::{Table, WIDTH, flex, print_json, rfc3339, truncate};
use super::{Ctx, Exit};
use crate::domain::metrics::ForecastBucket;
use crate::domain::metrics::{CurrencyTotal, Report, Span};
use crate::domain::money::Money;
use crate::domain::time::{Millis, Zone};
use crate::store::reports;
use crate::t;
use crate::text;

pub fn run(period: &str, pipeline: Option<&str>, ctx: &mut Ctx) -> Result<Exit> {
    let now = ctx.now_millis();
    let zone = Zone::Local;
    let span = Span::parse(period, zone.today(now)).map_err(|e| anyhow!(e))?;
    let pipeline = pipeline.map(|p| ctx.pipeline(p)).transpose()?;
    let report = reports::report_in(
        ctx.store.conn(),
        span,
        pipeline.as_ref(),
        &ctx.settings.default_currency,
        &ctx.settings.cadence,
        now,
        zone,
    )?;
    let name = pipeline.as_ref().map(|p| p.name.as_str());
    if ctx.json {
        print_json(&report_json(&report, span, name))?;
    } else {
        out!(
            "{}",
            report_text(&report, &span.describe(), name, now, zone)
        );
    }
    Ok(0)
}

fn money_json(m: &Money) -> Value {
    json!({ "amount": m.decimal_string(), "currency": m.currency.code() })
}

fn total_json(t: &CurrencyTotal) -> Value {
    json!({
        "currency": t.currency.code(),
        "deals": t.deals,
        "total": t.total_money().decimal_string(),
        "weighted": t.weighted_money().decimal_string(),
    })
}

/// The report as JSON: the same figures as the table. The period is named four ways:
/// `period` its length (`month`…, kept for scripts that read it), `period_key` the form
/// `--period` takes back (`2026-10`, `2026-Q3`, `2026`, `all`), `first_day`/`last_day`
/// its local calendar days (both included; null for all time) and `label` for people;
/// `start`/`end` are the same bounds as instants (the end excluded). `pipeline_name` is
/// the pipeline the deal figures are for, null for every pipeline; each funnel stage
/// names its pipeline.
pub fn report_json(r: &Report, span: Span, pipeline: Option<&str>) -> Value {
    let p = &r.pipeline;
    let c = &r.customers;
    let days = span.first_and_last_day();
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    json!({
        "period": r.period.as_str(),
        "period_key": span.key(),
        "first_day": days.map(|(first, _)| day(first)),
        "last_day": days.map(|(_, last)| day(last)),
        "label": span.describe(),
        "start": r.bounds.start.map(rfc3339),
        "end": r.bounds.end.map(rfc3339),
        "currency": r.currency.code(),
        "pipeline_name": pipeline,
        "pipeline": {
            "open_deals": p.open_deals,
            "open": p.open.iter().map(total_json).collect::<Vec<_>>(),
            "won": p.won,
            "lost": p.lost,
            "win_rate": p.win_rate,
            "won_amounts": p.won_amounts.iter().map(|t| json!({
                "currency": t.currency.code(),
                "deals": t.deals,
                "total": t.total_money().decimal_string(),
            })).collect::<Vec<_>>(),
            "average_cycle_days": p.average_cycle_days,
            "average_won": p.average_won.as_ref().map(money_json),
            "velocity_per_day": p.velocity_per_day.as_ref().map(money_json),
            "funnel": p.funnel.iter().map(|s| json!({
                "pipeline": s.pipeline,
                "stage": s.name,
                "stage_id": s.stage_id,
                "entered": s.entered,
                "advanced": s.advanced,
                "conversion": s.conversion,
                "stays": s.stays,
                "average_days_in_stage": s.average_days,
            })).collect::<Vec<_>>(),
            "lost_reasons": p.lost_reasons.iter().map(|(reason, deals)| json!({
                "reason": reason, "deals": deals,
            })).collect::<Vec<_>>(),
            "forecast": p.forecast.iter().map(|f| json!({
                "month": f.bucket.label(),
                "totals": f.totals.iter().map(total_json).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        },
        "customers": {
            "total": c.total,
            "by_status": c.by_status.iter().map(|(s, n)| (s.as_str().to_string(), json!(n)))
                .collect::<serde_json::Map<_, _>>(),
            "by_tier": c.by_tier.iter().map(|(t, n)| (t.as_str().to_string(), json!(n)))
                .collect::<serde_json::Map<_, _>>(),
            "churned_in_period": c.churned,
            "active_at_start": c.active_at_start,
            "churn_rate": c.churn_rate,
            "with_won_deal": c.with_won,
            "with_repeat_purchase": c.with_repeat,
            "repurchase_rate": c.repurchase_rate,
            "rated": c.rated,
            "average_satisfaction": c.average_satisfaction,
            "overdue_revisits": c.overdue_revisits.iter().map(|v| json!({
                "id": v.id,
                "name": v.name,
                "tier": v.tier.as_str(),
                "last_contact": v.last_contact.map(rfc3339),
                "days_overdue": v.days_overdue,
            })).collect::<Vec<_>>(),
        },
    })
}

/// `  Label              value`, cut to the table width.
fn line(out: &mut String, label: &str, value: &str) {
    out.push_str(&truncate(
        &format!("  {}{value}", crate::text::pad(label, 20)),
        WIDTH,
    ));
    out.push('\n');
}

fn heading(out: &mut String, text: &str) {
    out.push('\n');
    out.push_str(&truncate(text, WIDTH));
    out.push('\n');
}

/// A forecast month as the table shows it: `2026-12`, or `overdue` / `no date` in the
/// interface's language (JSON keeps [`ForecastBucket::label`]).
fn bucket_label(bucket: ForecastBucket) -> String {
    match bucket {
        ForecastBucket::Overdue => t!("report-bucket-overdue"),
        ForecastBucket::NoDate => t!("reports-no-date"),
        ForecastBucket::Month(_) => bucket.label(),
    }
}

fn local_date(ms: Millis, zone: Zone) -> String {
    zone.local(ms).format("%Y-%m-%d").to_string()
}

/// The report as text for an 80-column terminal; `pipeline` names the pipeline the deal
/// figures are for (`None`: every pipeline).
pub fn report_text(
    r: &Report,
    label: &str,
    pipeline: Option<&str>,
    now: Millis,
    zone: Zone,
) -> String {
    let p = &r.pipeline;
    let c = &r.customers;
    let mut out = String::new();
    let span = match (r.bounds.start, r.bounds.end) {
        // The end is exclusive: show the period's last day.
        (Some(s), Some(e)) => t!(
            "report-span",
            from = local_date(s, zone),
            to = local_date(e.saturating_sub(1), zone)
        ),
        _ => t!("report-span-up-to", to = local_date(now, zone)),
    };
    out.push_str(&truncate(
        &t!(
            "report-title",
            label = label,
            span = span,
            currency = r.currency.to_string()
        ),
        WIDTH,
    ));
    out.push('\n');

    heading(
        &mut out,
        &match pipeline {
            Some(name) => t!("report-pipeline-named", name = name.to_uppercase()),
            None => t!("report-pipeline"),
        },
    );
    for (i, t) in p.open.iter().enumerate() {
        let what = if i == 0 {
            t!("report-open-deals")
        } else {
            String::new()
        };
        line(
            &mut out,
            &what,
            &format!("{:>6}  {:>22}", t.deals, t.total_money().to_string()),
        );
    }
    for (i, t) in p.open.iter().enumerate() {
        let what = if i == 0 {
            t!("reports-weighted")
        } else {
            String::new()
        };
        line(
            &mut out,
            &what,
            &format!("{:>6}  {:>22}", "", t.weighted_money().to_string()),
        );
    }
    for (i, t) in p.won_amounts.iter().enumerate() {
        let what = if i == 0 {
            t!("reports-won")
        } else {
            String::new()
        };
        line(
            &mut out,
            &what,
            &format!("{:>6}  {:>22}", t.deals, t.total_money().to_string()),
        );
    }
    line(&mut out, &t!("report-lost"), &format!("{:>6}", p.lost));
    line(
        &mut out,
        &t!("reports-win-rate"),
        &t!(
            "report-win-rate-how",
            rate = text::percent(p.win_rate),
            won = p.won,
            closed = p.won + p.lost
        ),
    );
    line(
        &mut out,
        &t!("report-average-cycle"),
        &t!(
            "report-average-cycle-how",
            days = text::days(p.average_cycle_days)
        ),
    );
    line(
        &mut out,
        &t!("report-average-won"),
        &p.average_won
            .as_ref()
            .map_or_else(|| "—".to_string(), ToString::to_string),
    );
    line(
        &mut out,
        &t!("report-velocity"),
        &p.velocity_per_day.as_ref().map_or_else(
            || "—".to_string(),
            |v| t!("report-a-day", amount = v.to_string()),
        ),
    );

    heading(&mut out, &t!("report-stage-conversion"));
    let mut t = Table::new(&[
        flex(t!("column-stage")),
        t!("column-entered"),
        t!("column-advanced"),
        t!("column-conversion"),
        t!("column-time-in-stage"),
    ]);
    // Each pipeline's stages under its name, when the funnel has more than one.
    let several = p
        .funnel
        .first()
        .is_some_and(|f| p.funnel.iter().any(|s| s.pipeline != f.pipeline));
    let mut shown: Option<&str> = None;
    for s in &p.funnel {
        if several && shown != Some(s.pipeline.as_str()) {
            shown = Some(s.pipeline.as_str());
            t.row(vec![
                format!("{}:", s.pipeline),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
        t.row(vec![
            if several {
                format!("  {}", s.name)
            } else {
                s.name.clone()
            },
            s.entered.to_string(),
            s.advanced.to_string(),
            text::percent(s.conversion),
            text::days(s.average_days),
        ]);
    }
    out.push_str(&t.render(WIDTH));

    heading(&mut out, &t!("report-lost-reasons"));
    if p.lost_reasons.is_empty() {
        out.push_str(&t!("report-none"));
        out.push('\n');
    }
    for (reason, n) in &p.lost_reasons {
        line(&mut out, &truncate(reason, 18), &format!("{n:>6}"));
    }

    heading(&mut out, &t!("report-forecast"));
    if p.forecast.is_empty() {
        out.push_str(&t!("report-no-open-deals"));
        out.push('\n');
    } else {
        let mut t = Table::new(&[
            t!("column-month"),
            t!("column-deals"),
            t!("column-total"),
            t!("column-weighted"),
        ]);
        for f in &p.forecast {
            for total in &f.totals {
                t.row(vec![
                    bucket_label(f.bucket),
                    total.deals.to_string(),
                    total.total_money().to_string(),
                    total.weighted_money().to_string(),
                ]);
            }
        }
        out.push_str(&t.render(WIDTH));
    }

    heading(&mut out, &t!("report-customers"));
    let counts = |items: Vec<(String, i64)>| -> String {
        items
            .iter()
            .map(|(l, n)| format!("{l} {n}"))
            .collect::<Vec<_>>()
            .join(" · ")
    };
    line(
        &mut out,
        &t!("report-by-status"),
        &counts(c.by_status.iter().map(|(s, n)| (s.label(), *n)).collect()),
    );
    line(
        &mut out,
        &t!("report-by-tier"),
        &counts(c.by_tier.iter().map(|(t, n)| (t.label(), *n)).collect()),
    );
    line(&mut out, &t!("tab-customers"), &c.total.to_string());
    line(
        &mut out,
        &t!("report-churn-rate"),
        &t!(
            "report-churn-how",
            rate = text::percent(c.churn_rate),
            churned = c.churned,
            start = c.active_at_start
        ),
    );
    line(
        &mut out,
        &t!("report-repurchase-rate"),
        &t!(
            "report-repurchase-how",
            rate = text::percent(c.repurchase_rate),
            repeat = c.with_repeat,
            buyers = c.with_won
        ),
    );
    line(
        &mut out,
        &t!("reports-satisfaction"),
        &t!(
            "report-satisfaction-how",
            score = text::satisfaction(c.average_satisfaction),
            count = c.rated
        ),
    );

    heading(&mut out, &t!("report-revisits"));
    if c.overdue_revisits.is_empty() {
        out.push_str(&t!("report-none"));
        out.push('\n');
    } else {
        let mut t = Table::new(&[
            flex(t!("column-customer")),
            t!("column-tier"),
            t!("column-last-contact"),
            t!("column-days-overdue"),
        ]);
        for v in &c.overdue_revisits {
            t.row(vec![
                v.name.clone(),
                v.tier.label().to_string(),
                v.last_contact
                    .map_or_else(|| t!("never"), |ms| local_date(ms, zone)),
                v.days_overdue.to_string(),
            ]);
        }
        out.push_str(&t.render(WIDTH));
    }
    out
}
