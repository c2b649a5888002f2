//! `salesdesk deal …`

use anyhow::{Context, Result, anyhow};
use serde_json::json;

use super::field::{self as custom, Listing, record_json, with_fields};
use super::output::{
    DealJson, Table, WIDTH, activity_json, clean, deal_json, flex, local_time, print_json,
    print_json_array, rfc3339,
};
use super::{Ctx, Exit, clearable};
use crate::cli::DealCmd;
use crate::domain::deal::{DealStatus, RuleError};
use crate::domain::field::Entity;
use crate::domain::ids::short_id;
use crate::domain::money::{Currency, Decimal, Money};
use crate::domain::time::parse_date;
use crate::store::deals::{self, CustomerRef, DealRow, Filter, NewDeal};
use crate::store::{StoreError, activities, customers, stages};
use crate::t;
use crate::usecase;

/// Parses `--amount` with `--currency`. `current` is the amount before (zero in the
/// default currency for a new deal): a missing amount keeps it (12,000 EUR with
/// `--currency JPY` is 12,000 JPY, refused if it has cents JPY cannot hold), a missing
/// currency keeps its currency, and an amount naming a different currency than
/// `--currency` is refused rather than guessed at.
pub fn parse_amount(
    amount: Option<&str>,
    currency: Option<&str>,
    current: &Money,
    decimal: Decimal,
) -> Result<Money> {
    let flag_currency: Option<Currency> = currency
        .map(|c| c.parse())
        .transpose()
        .context("--currency")?;
    let base = flag_currency
        .clone()
        .unwrap_or_else(|| current.currency.clone());
    let Some(text) = amount else {
        return Money::parse(&current.decimal_string(), &base).context("--currency");
    };
    let money = Money::parse_in(text, &base, decimal).context("--amount")?;
    if let Some(c) = flag_currency.filter(|c| *c != money.currency) {
        return Err(anyhow!(t!(
            "cli-amount-currency-mismatch",
            said = money.currency.to_string(),
            currency = c.to_string()
        )));
    }
    Ok(money)
}

fn parse_close(ctx: &Ctx, text: &str) -> Result<chrono::NaiveDate> {
    parse_date(text, ctx.now().date_naive()).context("--close")
}

pub fn run(cmd: DealCmd, ctx: &mut Ctx) -> Result<Exit> {
    match cmd {
        DealCmd::Add {
            title,
            customer,
            amount,
            currency,
            stage,
            pipeline,
            close,
            source,
            notes,
            owner,
            set,
        } => {
            let owner_id = owner
                .map(|o| crate::store::members::resolve(ctx.store.conn(), &o))
                .transpose()?;
            let custom = custom::sets(ctx, Entity::Deal, &set)?;
            let stage = match (stage, pipeline) {
                (Some(name), pipeline) => ctx.stage_in(&name, pipeline.as_deref())?,
                (None, Some(pipeline)) => {
                    let pipeline = ctx.pipeline(&pipeline)?;
                    stages::list_in(ctx.store.conn(), &pipeline.id)?
                        .into_iter()
                        .next()
                        .ok_or_else(|| {
                            anyhow!(t!(
                                "cli-pipeline-has-no-stages",
                                name = pipeline.name.as_str()
                            ))
                        })?
                }
                (None, None) => stages::list(ctx.store.conn())?
                    .into_iter()
                    .next()
                    .ok_or_else(|| anyhow!(t!("board-no-stages")))?,
            };
            let amount = parse_amount(
                amount.as_deref(),
                currency.as_deref(),
                &Money::zero(ctx.settings.default_currency.clone()),
                ctx.settings.decimal(),
            )?;
            let expected_close = close.map(|c| parse_close(ctx, &c)).transpose()?;
            let customer = match customers::resolve(ctx.store.conn(), &customer) {
                Ok(id) => CustomerRef::Id(id),
                Err(crate::store::StoreError::NotFound { .. }) => CustomerRef::Name(customer),
                Err(e) => return Err(e.into()),
            };
            let added = usecase::deals::add_with(
                &mut ctx.store,
                &NewDeal {
                    title,
                    customer,
                    stage_id: stage.id.clone(),
                    amount,
                    expected_close,
                    source,
                    notes,
                    owner_id,
                },
                &custom,
            )?;
            let row = deals::row(ctx.store.conn(), &added.deal_id)?;
            if ctx.json {
                print_json(&json_of(ctx, &row)?)?;
            } else {
                let key = if added.new_customer {
                    "cli-deal-added-new-prospect"
                } else {
                    "cli-deal-added"
                };
                outln!(
                    "{}",
                    crate::i18n::message(
                        key,
                        &[
                            ("id", short_id(&row.deal.id).into()),
                            ("title", clean(&row.deal.title).into()),
                            ("customer", clean(&row.customer_name).into()),
                            ("stage", row.stage_name.as_str().into()),
                            ("amount", row.deal.amount.to_string().into()),
                        ]
                    )
                );
            }
        }
        DealCmd::List {
            stage,
            pipeline,
            status,
            customer,
            where_,
        } => {
            let filter = Filter {
                fields: custom::wheres(ctx, Entity::Deal, &where_)?,
                stage_id: stage
                    .map(|s| ctx.stage_in(&s, pipeline.as_deref()).map(|s| s.id))
                    .transpose()?,
                pipeline_id: pipeline
                    .map(|p| ctx.pipeline(&p).map(|p| p.id))
                    .transpose()?,
                status: status
                    .map(|s| {
                        s.parse::<DealStatus>()
                            .map_err(|e| anyhow!("--status: {e}"))
                    })
                    .transpose()?,
                customer_id: customer
                    .map(|c| customers::resolve(ctx.store.conn(), &c))
                    .transpose()?,
                ..Filter::default()
            };
            let rows = deals::list(ctx.store.conn(), &filter)?;
            if ctx.json {
                let now = ctx.now_millis();
                let listing = Listing::read(ctx, Entity::Deal)?;
                print_json_array(
                    rows.iter()
                        .map(|r| Ok(DealJson::new(r, now).with_fields(listing.json(&r.deal.id)))),
                )?;
            } else {
                let several = crate::store::pipelines::list(ctx.store.conn())?.len() > 1;
                print_list(&rows, several);
            }
        }
        DealCmd::Show { reference } => {
            let id = deals::resolve(ctx.store.conn(), &reference)?;
            show(ctx, &id)?;
        }
        DealCmd::Edit {
            reference,
            title,
            amount,
            currency,
            close,
            source,
            notes,
            customer,
            owner,
            set,
        } => {
            let id = deals::resolve(ctx.store.conn(), &reference)?;
            let owner_id = owner
                .map(|o| crate::store::members::resolve(ctx.store.conn(), &o))
                .transpose()?;
            let custom = custom::sets(ctx, Entity::Deal, &set)?;
            let current = deals::get(ctx.store.conn(), &id)?;
            let amount = (amount.is_some() || currency.is_some())
                .then(|| {
                    parse_amount(
                        amount.as_deref(),
                        currency.as_deref(),
                        &current.amount,
                        ctx.settings.decimal(),
                    )
                })
                .transpose()?;
            let expected_close = match clearable(close) {
                Some(Some(text)) => Some(Some(parse_close(ctx, &text)?)),
                Some(None) => Some(None),
                None => None,
            };
            let patch = usecase::deals::Patch {
                title,
                customer: customer
                    .map(|c| customers::resolve(ctx.store.conn(), &c).map(CustomerRef::Id))
                    .transpose()?,
                amount,
                expected_close,
                source: clearable(source),
                notes: clearable(notes),
                owner_id,
                stage_id: None,
                fields: custom,
            };
            usecase::deals::edit(&mut ctx.store, &id, &patch)?;
            done(ctx, &id, &t!("cli-verb-saved"))?;
        }
        DealCmd::Move {
            reference,
            stage,
            pipeline,
        } => {
            let id = deals::resolve(ctx.store.conn(), &reference)?;
            let stage = ctx.stage_in(&stage, pipeline.as_deref())?;
            usecase::deals::move_to_stage(&mut ctx.store, &id, &stage)?;
            done(ctx, &id, &t!("cli-verb-moved"))?;
        }
        DealCmd::Win { reference } => {
            let id = deals::resolve(ctx.store.conn(), &reference)?;
            let moved = usecase::deals::win(&mut ctx.store, &id)?;
            if !ctx.json && moved.customer_promoted {
                let row = deals::row(ctx.store.conn(), &id)?;
                outln!(
                    "{}",
                    t!("cli-now-active-customer", name = clean(&row.customer_name))
                );
            }
            done(ctx, &id, &t!("cli-verb-won"))?;
        }
        DealCmd::Lose { reference, reason } => {
            let id = deals::resolve(ctx.store.conn(), &reference)?;
            usecase::deals::lose(&mut ctx.store, &id, reason.as_deref().unwrap_or("")).map_err(
                |e| match e {
                    StoreError::Rule(RuleError::ReasonRequired) => {
                        anyhow!(t!("cli-give-reason", error = e.to_string()))
                    }
                    other => other.into(),
                },
            )?;
            done(ctx, &id, &t!("cli-verb-lost"))?;
        }
        DealCmd::Reopen { reference, stage } => {
            let id = deals::resolve(ctx.store.conn(), &reference)?;
            let stage = stage.map(|s| ctx.stage(&s)).transpose()?;
            usecase::deals::reopen(&mut ctx.store, &id, stage.as_ref())?;
            done(ctx, &id, &t!("cli-verb-reopened"))?;
        }
        DealCmd::Delete { reference } => {
            let id = deals::resolve(ctx.store.conn(), &reference)?;
            let deal = deals::get(ctx.store.conn(), &id)?;
            usecase::deals::delete(&mut ctx.store, &id)?;
            if ctx.json {
                print_json(&json!({"id": id, "deleted": true}))?;
            } else {
                outln!(
                    "{}",
                    t!(
                        "cli-deal-deleted",
                        title = clean(&deal.title),
                        id = short_id(&id)
                    )
                );
            }
        }
        DealCmd::Restore { reference } => {
            let id = crate::store::reference::resolve(
                ctx.store.conn(),
                crate::store::reference::DEAL,
                &reference,
                crate::store::reference::Scope::Deleted,
            )?;
            usecase::deals::restore(&mut ctx.store, &id)?;
            done(ctx, &id, &t!("cli-verb-restored"))?;
        }
    }
    Ok(0)
}

/// Prints the deal after a change: one line (`verb` in the interface's language), or
/// its JSON.
fn done(ctx: &Ctx, id: &str, verb: &str) -> Result<()> {
    let row = deals::row(ctx.store.conn(), id)?;
    if ctx.json {
        print_json(&json_of(ctx, &row)?)
    } else {
        let several = crate::store::pipelines::list(ctx.store.conn())?.len() > 1;
        let where_ = match row.deal.status {
            DealStatus::Open if several => {
                t!(
                    "cli-in-stage-of-pipeline",
                    stage = row.stage_name.as_str(),
                    pipeline = clean(&row.pipeline_name)
                )
            }
            DealStatus::Open => t!("cli-in-stage", stage = row.stage_name.as_str()),
            status => crate::i18n::noun(status.as_str()),
        };
        outln!(
            "{}",
            t!(
                "cli-deal-done",
                verb = verb,
                id = short_id(&row.deal.id),
                title = clean(&row.deal.title),
                place = where_,
                amount = row.deal.amount.to_string()
            )
        );
        Ok(())
    }
}

/// The deals as a table; with a PIPELINE column when the book has `several_pipelines`
/// (a stage name alone, such as Lead, does not say which board a deal is on).
fn print_list(rows: &[DealRow], several_pipelines: bool) {
    if rows.is_empty() {
        outln!("{}", t!("cli-no-deals"));
        return;
    }
    let mut t = if several_pipelines {
        Table::new(&[
            t!("column-id"),
            flex(t!("column-title")),
            flex(t!("column-customer")),
            flex(t!("column-pipeline")),
            t!("column-stage"),
            t!("column-amount"),
            t!("column-close"),
        ])
    } else {
        Table::new(&[
            t!("column-id"),
            flex(t!("column-title")),
            flex(t!("column-customer")),
            t!("column-stage"),
            t!("column-amount"),
            t!("column-close"),
        ])
    };
    for r in rows {
        let stage = match r.deal.status {
            DealStatus::Open => r.stage_name.clone(),
            s => s.label(),
        };
        let mut cells = vec![
            short_id(&r.deal.id).to_string(),
            r.deal.title.clone(),
            r.customer_name.clone(),
        ];
        if several_pipelines {
            cells.push(r.pipeline_name.clone());
        }
        cells.extend([
            stage,
            r.deal.amount.format_short(),
            r.deal
                .expected_close
                .map(|d| d.to_string())
                .unwrap_or_default(),
        ]);
        t.row(cells);
    }
    out!("{}", t.render(WIDTH));
}

/// A deal's JSON object with its custom field values.
fn json_of(ctx: &Ctx, row: &DealRow) -> Result<serde_json::Value> {
    Ok(with_fields(
        deal_json(row, ctx.now_millis()),
        record_json(ctx, Entity::Deal, &row.deal.id)?,
    ))
}

fn show(ctx: &Ctx, id: &str) -> Result<()> {
    let conn = ctx.store.conn();
    let row = deals::row(conn, id)?;
    let history = deals::history(conn, id)?;
    let acts = activities::for_deal(conn, id)?;
    let now = ctx.now_millis();
    if ctx.json {
        let mut v = json_of(ctx, &row)?;
        v["history"] = history
            .iter()
            .map(|h| {
                json!({
                    "from_stage": h.from_stage, "to_stage": h.to_stage,
                    "from_status": h.from_status, "to_status": h.to_status,
                    "at": rfc3339(h.at), "by": h.by,
                })
            })
            .collect();
        v["activities"] = acts.iter().map(activity_json).collect();
        return print_json(&v);
    }
    let d = &row.deal;
    outln!("{}  {}", clean(&d.title), short_id(&d.id));
    let mut fields = vec![(t!("field-customer"), row.customer_name.clone())];
    if crate::store::pipelines::list(conn)?.len() > 1 {
        fields.push((t!("field-pipeline"), row.pipeline_name.clone()));
    }
    fields.extend([
        (t!("field-stage"), row.stage_name.clone()),
        (t!("field-status"), d.status.label()),
        (t!("field-amount"), d.amount.to_string()),
        (
            t!("field-weighted"),
            t!(
                "cli-weighted",
                amount = Money::new(d.weighted_minor(row.probability), d.amount.currency.clone())
                    .to_string(),
                probability = row.probability
            ),
        ),
        (
            t!("field-close"),
            d.expected_close.map_or("—".into(), |c| c.to_string()),
        ),
        (
            t!("field-next-step"),
            row.next_follow_up
                .map_or_else(|| t!("detail-none-scheduled"), local_time),
        ),
        (
            t!("field-source"),
            d.source.clone().unwrap_or_else(|| "—".into()),
        ),
        (
            t!("field-owner"),
            row.owner_name.clone().unwrap_or_else(|| "—".into()),
        ),
        (t!("field-created"), local_time(d.created_at)),
    ]);
    if let Some(reason) = &d.lost_reason {
        fields.push((t!("field-lost-reason"), reason.clone()));
    }
    if let Some(closed) = d.closed_at {
        fields.push((t!("field-closed"), local_time(closed)));
    }
    if row.is_rotting(now) {
        fields.push((
            t!("field-rotting"),
            t!("detail-rotting-days", days = row.rot_days),
        ));
    }
    if let Some(notes) = &d.notes {
        fields.push((t!("field-notes"), notes.clone()));
    }
    for (k, v) in fields {
        outln!(
            "  {} {}",
            crate::text::pad(&k, 12),
            super::output::clean(&v)
        );
    }
    custom::print_values(ctx, Entity::Deal, id, 12)?;
    outln!("\n{}", t!("detail-stage-history"));
    for h in &history {
        outln!(
            "  {}  {}",
            local_time(h.at),
            super::output::clean(&h.describe())
        );
    }
    outln!("\n{}", t!("cli-activities"));
    if acts.is_empty() {
        outln!("{}", t!("report-none"));
    }
    for a in &acts {
        let a = &a.activity;
        let when = match (a.done_at, a.due_at) {
            (Some(t), _) => local_time(t),
            (None, Some(t)) => t!("log-due", when = local_time(t)),
            _ => local_time(a.created_at),
        };
        outln!(
            "  {when}  {} {}  {}",
            crate::text::pad(&t!("log-kind", kind = a.kind.as_str()), 9),
            super::output::truncate(&a.subject, 40),
            short_id(&a.id)
        );
    }
    Ok(())
}
