//! `salesdesk customer …` and `salesdesk contact …`

use std::collections::HashMap;

use anyhow::{Result, anyhow};
use serde_json::{Value, json};

use super::field::{self as custom, Listing, record_json, with_fields};
use super::output::{
    DealJson, Table, WIDTH, amount_number, clean, flex, local_time, print_json, print_json_array,
    rfc3339, to_value,
};
use super::{Ctx, Exit, clearable};
use crate::cli::{ContactCmd, CustomerCmd, CustomerFields};
use crate::domain::customer::{
    CustomerKind, CustomerStatus, Tier, days_since_contact, is_revisit_due,
};
use crate::domain::deal::DealStatus;
use crate::domain::field::Entity;
use crate::domain::ids::short_id;
use crate::domain::money::Total;
use crate::store::activities;
use crate::store::contacts::{self, Contact, ContactFields};
use crate::store::customers::{self, CustomerSummary, Filter, NewCustomer, Patch};
use crate::store::deals::{self, DealRow};
use crate::store::reference::{self, Scope};
use crate::t;
use crate::usecase;

fn parse<T: std::str::FromStr<Err = String>>(
    flag: &str,
    value: Option<String>,
) -> Result<Option<T>> {
    value
        .map(|v| v.parse::<T>().map_err(|e| anyhow!("--{flag}: {e}")))
        .transpose()
}

pub fn run(cmd: CustomerCmd, ctx: &mut Ctx) -> Result<Exit> {
    match cmd {
        CustomerCmd::Add {
            name,
            fields,
            owner,
        } => {
            let mut new = NewCustomer::named(&name);
            new.owner_id = owner
                .map(|o| crate::store::members::resolve(ctx.store.conn(), &o))
                .transpose()?;
            new.tier = parse("tier", fields.tier)?.unwrap_or(Tier::Normal);
            new.status = parse("status", fields.status)?.unwrap_or(CustomerStatus::Prospect);
            new.kind = parse("kind", fields.kind)?.unwrap_or(CustomerKind::Company);
            new.industry = fields.industry;
            new.region = fields.region;
            new.website = fields.website;
            new.source = fields.source;
            new.notes = fields.notes;
            new.tags = fields.tags;
            let custom = custom::sets(ctx, Entity::Customer, &fields.set)?;
            if customers::find_by_name(ctx.store.conn(), &name)
                .unwrap_or(None)
                .is_some()
            {
                crate::text::say(&t!("cli-customer-name-taken", name = name.trim()));
            }
            let (id, _) = usecase::customers::add_with(&mut ctx.store, &new, &custom)?;
            report(ctx, &id, &t!("cli-verb-added"))?;
        }
        CustomerCmd::List {
            status,
            tier,
            where_,
        } => {
            let filter = Filter {
                fields: custom::wheres(ctx, Entity::Customer, &where_)?,
                status: parse("status", status)?,
                tier: parse("tier", tier)?,
                ..Filter::default()
            };
            if ctx.json {
                let (rows, mut related) = read_in_parallel(ctx, &filter)?;
                let listing = Listing::read(ctx, Entity::Customer)?;
                print_json_array(rows.iter().map(|r| {
                    let id = &r.customer.id;
                    Ok(Listed {
                        ctx,
                        summary: r,
                        deals: related.deals.remove(id).unwrap_or_default(),
                        contacts: related.contacts.remove(id).unwrap_or_default(),
                        tags: related.tags.remove(id).unwrap_or_default(),
                        fields: listing.json(id),
                    })
                }))?;
            } else {
                print_list(ctx, &customers::list(ctx.store.conn(), &filter)?);
            }
        }
        CustomerCmd::Show { reference } => {
            let id = customers::resolve(ctx.store.conn(), &reference)?;
            show(ctx, &id)?;
        }
        CustomerCmd::Edit {
            reference,
            name,
            fields,
            satisfaction,
            untag,
            owner,
        } => {
            let id = customers::resolve(ctx.store.conn(), &reference)?;
            let owner_id = owner
                .map(|o| crate::store::members::resolve(ctx.store.conn(), &o))
                .transpose()?;
            let CustomerFields {
                tier,
                status,
                kind,
                industry,
                region,
                website,
                source,
                notes,
                tags,
                set,
            } = fields;
            let custom = custom::sets(ctx, Entity::Customer, &set)?;
            let patch = Patch {
                name,
                kind: parse("kind", kind)?,
                tier: parse("tier", tier)?,
                status: parse("status", status)?,
                industry: clearable(industry),
                region: clearable(region),
                source: clearable(source),
                website: clearable(website),
                notes: clearable(notes),
                owner_id,
                satisfaction: satisfaction.map(Some),
                add_tags: tags,
                remove_tags: untag,
                fields: custom,
            };
            usecase::customers::edit(&mut ctx.store, &id, &patch)?;
            report(ctx, &id, &t!("cli-verb-saved"))?;
        }
        CustomerCmd::Delete { reference } => {
            let id = customers::resolve(ctx.store.conn(), &reference)?;
            let c = customers::get(ctx.store.conn(), &id)?;
            usecase::customers::delete(&mut ctx.store, &id)?;
            if ctx.json {
                print_json(&json!({"id": id, "deleted": true}))?;
            } else {
                outln!(
                    "{}",
                    t!(
                        "cli-customer-deleted",
                        name = clean(&c.name),
                        id = short_id(&id)
                    )
                );
            }
        }
        CustomerCmd::Restore { reference } => {
            let id = reference::resolve(
                ctx.store.conn(),
                reference::CUSTOMER,
                &reference,
                Scope::Deleted,
            )?;
            usecase::customers::restore(&mut ctx.store, &id)?;
            report(ctx, &id, &t!("cli-verb-restored"))?;
        }
    }
    Ok(0)
}

fn report(ctx: &Ctx, id: &str, verb: &str) -> Result<()> {
    let s = customers::summary(ctx.store.conn(), id)?;
    if ctx.json {
        print_json(&customer_json(ctx, &s)?)
    } else {
        outln!(
            "{}",
            t!(
                "cli-customer-done",
                verb = verb,
                id = short_id(id),
                name = clean(&s.customer.name),
                status = s.customer.status.label(),
                tier = s.customer.tier.label()
            )
        );
        Ok(())
    }
}

/// The customers `filter` keeps, and what [`Related`] reads, at once: the deals, contacts
/// and tags on a second, read-only connection while this one reads the customers. The
/// two reads are independent and were two thirds of `customer list --json` at 100k
/// deals. (A write committed between the two reads may show a deal with its customer's
/// older figures, as a write between two commands would.)
fn read_in_parallel(ctx: &Ctx, filter: &Filter) -> Result<(Vec<CustomerSummary>, Related)> {
    let path = ctx.db_path.clone();
    let clock = ctx.store.clock().clone();
    std::thread::scope(|scope| {
        let related = scope.spawn(move || -> Result<Related> {
            let store = crate::store::Store::open_read(&path, clock)?;
            Related::read_all(store.conn())
        });
        let rows = customers::list(ctx.store.conn(), filter);
        let related = related
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        Ok((rows?, related?))
    })
}

/// The deals, contacts and tags of every customer, each table read once and grouped by
/// customer here, for a command that shows many customers: asking per customer cost three
/// queries each, and `customer list --json` took seconds at 20k customers.
struct Related {
    deals: HashMap<String, Vec<DealRow>>,
    contacts: HashMap<String, Vec<Contact>>,
    tags: HashMap<String, Vec<String>>,
}

impl Related {
    fn read_all(conn: &rusqlite::Connection) -> Result<Related> {
        let mut related = Related {
            deals: HashMap::new(),
            contacts: HashMap::new(),
            tags: HashMap::new(),
        };
        related.deals = deals::by_customer(conn)?;
        for deals in related.deals.values_mut() {
            deals.retain(|d| d.deal.status != DealStatus::Lost);
        }
        for c in contacts::list_all(conn)? {
            let key = c.customer_id.clone();
            related.contacts.entry(key).or_default().push(c);
        }
        for (customer, tag) in customers::all_tags(conn)? {
            related.tags.entry(customer).or_default().push(tag);
        }
        Ok(related)
    }
}

/// The customer object of DESIGN §4: profile, derived values, contacts, tags and deals.
pub fn customer_json(ctx: &Ctx, s: &CustomerSummary) -> Result<Value> {
    let conn = ctx.store.conn();
    let id = &s.customer.id;
    let all = deals::list(
        conn,
        &deals::Filter {
            customer_id: Some(id.clone()),
            ..deals::Filter::default()
        },
    )?;
    Ok(to_value(&CustomerJson::new(
        ctx,
        s,
        &all,
        &contacts::list(conn, id)?,
        &customers::tags(conn, id)?,
        &record_json(ctx, Entity::Customer, id)?,
    )))
}

/// One customer of `customer list --json` with what [`Related`] read of it.
struct Listed<'a> {
    ctx: &'a Ctx,
    summary: &'a CustomerSummary,
    deals: Vec<DealRow>,
    contacts: Vec<Contact>,
    tags: Vec<String>,
    fields: Value,
}

impl serde::Serialize for Listed<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        CustomerJson::new(
            self.ctx,
            self.summary,
            &self.deals,
            &self.contacts,
            &self.tags,
            &self.fields,
        )
        .serialize(serializer)
    }
}

/// A customer as scripts read it, printed as it is (see [`DealJson`]): its fields are
/// declared in the order `serde_json` sorts a map's keys.
#[derive(serde::Serialize)]
struct CustomerJson<'a> {
    contacts: Vec<Value>,
    created_at: String,
    fields: &'a Value,
    id: &'a str,
    industry: Option<&'a str>,
    kind: &'static str,
    last_contact: Option<String>,
    lifetime_value: Value,
    lifetime_value_by_currency: serde_json::Map<String, Value>,
    lifetime_value_currency: &'a str,
    name: &'a str,
    next_reminder: Option<String>,
    notes: Option<&'a str>,
    open_deals: Vec<DealJson<'a>>,
    owner: Option<&'a str>,
    region: Option<&'a str>,
    revisit_due: bool,
    satisfaction: Option<i64>,
    short_id: &'a str,
    source: Option<&'a str>,
    status: &'static str,
    tags: &'a [String],
    tier: &'static str,
    website: Option<&'a str>,
    won_deals: Vec<DealJson<'a>>,
}

impl<'a> CustomerJson<'a> {
    /// From the customer's deals (in list order; lost ones are skipped), contacts, tags
    /// and custom fields' `"fields"` object.
    fn new(
        ctx: &'a Ctx,
        s: &'a CustomerSummary,
        all: &'a [DealRow],
        contacts: &[Contact],
        tags: &'a [String],
        fields: &'a Value,
    ) -> CustomerJson<'a> {
        let c = &s.customer;
        let now = ctx.now_millis();
        let currency = &ctx.settings.default_currency;
        let deals = |status| {
            all.iter()
                .filter(|d| d.deal.status == status)
                .map(|d| DealJson::new(d, now))
                .collect()
        };
        CustomerJson {
            contacts: contacts.iter().map(to_value).collect(),
            created_at: rfc3339(c.created_at),
            fields,
            id: &c.id,
            industry: c.industry.as_deref(),
            kind: c.kind.as_str(),
            last_contact: s.last_contact.map(rfc3339),
            lifetime_value: amount_number(s.lifetime_value(currency.code()), currency),
            lifetime_value_by_currency: s
                .won_by_currency
                .iter()
                .filter_map(|(code, total)| {
                    let cur = code.parse().ok()?;
                    Some((code.clone(), amount_number(*total, &cur)))
                })
                .collect(),
            lifetime_value_currency: currency.code(),
            name: &c.name,
            next_reminder: s.next_reminder.map(rfc3339),
            notes: c.notes.as_deref(),
            open_deals: deals(DealStatus::Open),
            owner: s.owner_name.as_deref(),
            region: c.region.as_deref(),
            revisit_due: revisit_due(ctx, s, now),
            satisfaction: c.satisfaction,
            short_id: short_id(&c.id),
            source: c.source.as_deref(),
            status: c.status.as_str(),
            tags,
            tier: c.tier.as_str(),
            website: c.website.as_deref(),
            won_deals: deals(DealStatus::Won),
        }
    }
}

/// Whether the customer is past its tier's revisit cadence at `now`.
fn revisit_due(ctx: &Ctx, s: &CustomerSummary, now: i64) -> bool {
    let c = &s.customer;
    is_revisit_due(
        c.status,
        s.last_contact,
        c.created_at,
        c.tier,
        &ctx.settings.cadence,
        now,
    )
}

fn print_list(ctx: &Ctx, rows: &[CustomerSummary]) {
    if rows.is_empty() {
        outln!("{}", t!("cli-no-customers"));
        return;
    }
    let now = ctx.now_millis();
    let currency = &ctx.settings.default_currency;
    let mut t = Table::new(&[
        t!("column-id"),
        flex(t!("column-name")),
        t!("column-status"),
        t!("column-tier"),
        t!("column-last"),
        t!("column-open"),
        t!("column-lifetime"),
    ]);
    for s in rows {
        let c = &s.customer;
        let last = match days_since_contact(s.last_contact, now) {
            Some(d) => t!("days-short", count = d),
            None => t!("never"),
        };
        let due = if revisit_due(ctx, s, now) { "!" } else { "" };
        t.row(vec![
            short_id(&c.id).to_string(),
            c.name.clone(),
            c.status.label(),
            c.tier.label(),
            format!("{last}{due}"),
            s.open_deals.to_string(),
            Total::new(s.lifetime_value(currency.code()), currency.clone()).format_short(),
        ]);
    }
    out!("{}", t.render(WIDTH));
}

fn show(ctx: &Ctx, id: &str) -> Result<()> {
    let s = customers::summary(ctx.store.conn(), id)?;
    if ctx.json {
        return print_json(&customer_json(ctx, &s)?);
    }
    let conn = ctx.store.conn();
    let c = &s.customer;
    let now = ctx.now_millis();
    let currency = &ctx.settings.default_currency;
    outln!("{}  {}", clean(&c.name), short_id(&c.id));
    let tags = customers::tags(conn, id)?;
    let last = match s.last_contact {
        Some(at) => t!(
            "profile-last-contact",
            when = local_time(at),
            days = days_since_contact(Some(at), now).unwrap_or(0)
        ),
        None => t!("never"),
    };
    let revisit = if revisit_due(ctx, &s, now) {
        t!("cli-revisit-due")
    } else {
        String::new()
    };
    for (k, v) in [
        (t!("field-status"), c.status.label()),
        (t!("field-tier"), c.tier.label()),
        (t!("field-kind"), c.kind.label()),
        (
            t!("field-industry"),
            c.industry.clone().unwrap_or_else(|| "—".into()),
        ),
        (
            t!("field-region"),
            c.region.clone().unwrap_or_else(|| "—".into()),
        ),
        (
            t!("field-owner"),
            s.owner_name.clone().unwrap_or_else(|| "—".into()),
        ),
        (
            t!("field-satisfaction"),
            c.satisfaction.map_or("—".into(), |v| format!("{v}/5")),
        ),
        (
            t!("field-tags"),
            if tags.is_empty() {
                "—".into()
            } else {
                tags.join(", ")
            },
        ),
        (
            t!("field-website"),
            c.website.clone().unwrap_or_else(|| "—".into()),
        ),
        (t!("field-last-contact"), format!("{last}{revisit}")),
        (
            t!("field-lifetime"),
            Total::new(s.lifetime_value(currency.code()), currency.clone()).to_string(),
        ),
    ] {
        outln!("  {} {}", crate::text::pad(&k, 13), clean(&v));
    }
    custom::print_values(ctx, Entity::Customer, id, 13)?;
    outln!("\n{}", t!("cli-contacts"));
    let list = contacts::list(conn, id)?;
    if list.is_empty() {
        outln!("{}", t!("report-none"));
    }
    for x in list {
        let star = if x.is_primary { "*" } else { " " };
        outln!(
            " {star}{}  {}  {}  {}",
            clean(&x.name),
            clean(x.title.as_deref().unwrap_or("")),
            clean(x.email.as_deref().unwrap_or("")),
            clean(x.phone.as_deref().unwrap_or(""))
        );
    }
    let all = deals::list(
        conn,
        &deals::Filter {
            customer_id: Some(id.to_string()),
            ..deals::Filter::default()
        },
    )?;
    outln!("\n{}", t!("cli-open-deals"));
    let open: Vec<_> = all
        .iter()
        .filter(|d| d.deal.status == DealStatus::Open)
        .collect();
    if open.is_empty() {
        outln!("{}", t!("report-none"));
    }
    for d in open {
        outln!(
            "  {}  {}  {}  {}",
            short_id(&d.deal.id),
            clean(&d.deal.title),
            d.stage_name,
            d.deal.amount
        );
    }
    outln!("\n{}", t!("profile-cooperation"));
    let won: Vec<_> = all
        .iter()
        .filter(|d| d.deal.status == DealStatus::Won)
        .collect();
    if won.is_empty() {
        outln!("{}", t!("profile-none-yet"));
    }
    for d in won {
        outln!(
            "  {}  {}  {}",
            d.deal.closed_at.map(local_time).unwrap_or_default(),
            clean(&d.deal.title),
            d.deal.amount
        );
    }
    outln!("\n{}", t!("cli-service-timeline"));
    let acts = activities::for_customer(conn, id, 10)?;
    if acts.is_empty() {
        outln!("{}", t!("report-none"));
    }
    for a in acts {
        let a = a.activity;
        outln!(
            "  {}  {} {}",
            local_time(a.happened_at()),
            crate::text::pad(&t!("log-kind", kind = a.kind.as_str()), 9),
            super::output::truncate(&a.subject, 50)
        );
    }
    Ok(())
}

/// A contact as JSON, with its custom field values.
fn contact_json(ctx: &Ctx, c: &Contact) -> Result<Value> {
    Ok(with_fields(
        serde_json::to_value(c)?,
        record_json(ctx, Entity::Contact, &c.id)?,
    ))
}

pub fn run_contact(cmd: ContactCmd, ctx: &mut Ctx) -> Result<Exit> {
    match cmd {
        ContactCmd::Add {
            customer,
            name,
            title,
            email,
            phone,
            primary,
            set,
        } => {
            let customer_id = customers::resolve(ctx.store.conn(), &customer)?;
            let custom = custom::sets(ctx, Entity::Contact, &set)?;
            let fields = ContactFields {
                name,
                title,
                phone,
                email,
                is_primary: primary,
                notes: None,
            };
            let (id, _) =
                usecase::contacts::add_with(&mut ctx.store, &customer_id, &fields, &custom)?;
            let c = contacts::get(ctx.store.conn(), &id)?;
            if ctx.json {
                print_json(&contact_json(ctx, &c)?)?;
            } else {
                outln!(
                    "{}",
                    t!(
                        "cli-contact-added",
                        id = short_id(&id),
                        name = clean(&c.name)
                    )
                );
            }
        }
        ContactCmd::List { customer, where_ } => {
            let customer_id = customers::resolve(ctx.store.conn(), &customer)?;
            let matches = custom::wheres(ctx, Entity::Contact, &where_)?;
            let list = contacts::list_matching(ctx.store.conn(), &customer_id, &matches)?;
            if ctx.json {
                let listing = Listing::read(ctx, Entity::Contact)?;
                let objects = list
                    .iter()
                    .map(|c| Ok(with_fields(serde_json::to_value(c)?, listing.json(&c.id))))
                    .collect::<Result<Vec<Value>>>()?;
                print_json(&Value::Array(objects))?;
            } else if list.is_empty() {
                outln!("{}", t!("cli-no-contacts"));
            } else {
                let mut t = Table::new(&[
                    t!("column-id"),
                    flex(t!("column-name")),
                    flex(t!("column-title")),
                    flex(t!("column-email")),
                    t!("column-phone"),
                ]);
                for c in list {
                    let star = if c.is_primary { " *" } else { "" };
                    t.row(vec![
                        short_id(&c.id).to_string(),
                        format!("{}{star}", c.name),
                        c.title.unwrap_or_default(),
                        c.email.unwrap_or_default(),
                        c.phone.unwrap_or_default(),
                    ]);
                }
                out!("{}", t.render(WIDTH));
            }
        }
        ContactCmd::Delete { reference } => {
            let id = contacts::resolve(ctx.store.conn(), &reference)?;
            let c = contacts::get(ctx.store.conn(), &id)?;
            usecase::contacts::delete(&mut ctx.store, &id)?;
            if ctx.json {
                print_json(&serde_json::json!({ "deleted": id }))?;
            } else {
                outln!(
                    "{}",
                    t!(
                        "cli-contact-removed",
                        id = short_id(&id),
                        name = clean(&c.name)
                    )
                );
            }
        }
        ContactCmd::Edit {
            reference,
            name,
            title,
            email,
            phone,
            primary,
            set,
        } => {
            let id = contacts::resolve(ctx.store.conn(), &reference)?;
            let patch = usecase::contacts::Patch {
                name,
                title: clearable(title),
                phone: clearable(phone),
                email: clearable(email),
                notes: None,
                fields: custom::sets(ctx, Entity::Contact, &set)?,
            };
            if primary {
                usecase::contacts::edit_as_primary(&mut ctx.store, &id, &patch)?;
            } else {
                usecase::contacts::edit(&mut ctx.store, &id, &patch)?;
            }
            let c = contacts::get(ctx.store.conn(), &id)?;
            if ctx.json {
                print_json(&contact_json(ctx, &c)?)?;
            } else {
                outln!(
                    "{}",
                    t!(
                        "cli-contact-saved",
                        id = short_id(&id),
                        name = clean(&c.name)
                    )
                );
            }
        }
    }
    Ok(0)
}
