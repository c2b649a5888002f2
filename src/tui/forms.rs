//! The forms the views open, built with the values they open with (which the form
//! remembers, so that a save sends only what the user changed). Building reads the store
//! for choices (customer names, stages); saving is `submit.rs`.

use super::components::Env;
use super::modals::form::{Field, Form, LookupSource, Purpose};
use crate::domain::activity::ActivityKind;
use crate::domain::field::{Entity, FieldType};
use crate::store::StoreError;
use crate::store::activities::{ActivityRow, Subject};
use crate::store::contacts::Contact;
use crate::store::customers::{self, CustomerSummary};
use crate::store::deals::{self, DealRow};
use crate::store::stages;

const WHEN_HINT: &str = "14:30, tomorrow 10:00, mon 9:00, +2h, +3d, 2026-12-01 14:30";

fn kinds() -> Vec<String> {
    ActivityKind::ALL
        .iter()
        .map(|k| k.as_str().to_string())
        .collect()
}

/// The form fields of an entity's custom fields, with a record's values (none for a new
/// record): a choice field offers its choices (and nothing, asked for on save when it is
/// required), a
/// yes/no field yes and no, the others are typed and checked on save as the CLI's
/// `--set` is.
pub fn custom_fields(
    env: &Env,
    entity: Entity,
    record_id: Option<&str>,
) -> Result<Vec<Field>, StoreError> {
    let defs = crate::store::fields::list(env.conn, Some(entity))?;
    let values = match record_id {
        Some(id) => crate::store::fields::values_of(env.conn, &defs, id)?,
        None => defs.into_iter().map(|d| (d, None)).collect(),
    };
    Ok(values
        .into_iter()
        .map(|(def, value)| {
            let key = Field::custom_key(&def.id);
            let label = crate::text::truncate(&crate::text::clean(&def.name), 10);
            let text = value.map(|v| v.editable()).unwrap_or_default();
            // Empty comes first even when the field is required: a record that has no
            // value shows none (the save asks for one), rather than the first choice.
            let blank = Some(String::new());
            let required = if def.required { "required; " } else { "" };
            match def.kind {
                FieldType::Choice | FieldType::YesNo => {
                    let options = match def.kind {
                        FieldType::YesNo => vec!["yes".to_string(), "no".to_string()],
                        _ => def.choices.clone(),
                    };
                    let options: Vec<String> = blank.into_iter().chain(options).collect();
                    Field::choice(key, label, options, &text)
                        .with_hint(&format!("{}{required}←/→ choose", def.name))
                }
                FieldType::MultiChoice => Field::text(key, label, text).with_hint(&format!(
                    "{}: {required}comma-separated, of {}",
                    def.name,
                    def.choices.join(", ")
                )),
                kind => {
                    let example = match kind {
                        FieldType::Number => "a number, e.g. 12.5",
                        FieldType::Money => "an amount, e.g. 12,500.50 or 12500 USD",
                        FieldType::Date => "YYYY-MM-DD, +2w, tomorrow, next friday",
                        _ => "text",
                    };
                    Field::text(key, label, text)
                        .with_hint(&format!("{}: {required}{example}", def.name))
                }
            }
        })
        .collect())
}

/// Between a pipeline's name and its stage's, in the deal form's stage choice.
pub const STAGE_OF: &str = " › ";

/// The deal form: adding one (in the column `stage` of the pipeline `pipeline_id`), or
/// editing `row` (in its own pipeline's stages).
pub fn deal_form(
    env: &Env,
    row: Option<&DealRow>,
    stage: &str,
    pipeline_id: &str,
) -> Result<Form, StoreError> {
    let sources = crate::store::lists::names(env.conn, crate::domain::book_list::BookList::Source)?;
    let mut stage_names: Vec<String> = stages::list_in(env.conn, pipeline_id)?
        .into_iter()
        .map(|s| s.name)
        .collect();
    // An open deal being edited may go to a stage of another pipeline (as `deal move`
    // does): those stages follow its own, named with their pipeline.
    if row.is_some_and(|r| r.deal.status == crate::domain::deal::DealStatus::Open) {
        for other in crate::store::pipelines::list(env.conn)?
            .into_iter()
            .filter(|p| p.id != pipeline_id)
        {
            for s in stages::list_in(env.conn, &other.id)? {
                stage_names.push(format!("{}{STAGE_OF}{}", other.name, s.name));
            }
        }
    }
    let (title, purpose, values) = match row {
        Some(r) => (
            format!("Edit deal — {}", r.deal.title),
            Purpose::EditDeal(r.deal.id.clone()),
            [
                r.deal.title.clone(),
                r.customer_name.clone(),
                if r.deal.amount.minor == 0 {
                    String::new()
                } else {
                    r.deal.amount.decimal_string()
                },
                r.deal.amount.currency.to_string(),
                r.deal
                    .expected_close
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                r.stage_name.clone(),
                r.deal.source.clone().unwrap_or_default(),
                r.deal.notes.clone().unwrap_or_default(),
            ],
        ),
        None => (
            "Add deal".to_string(),
            Purpose::AddDeal(pipeline_id.to_string()),
            [
                String::new(),
                String::new(),
                String::new(),
                env.settings.default_currency.to_string(),
                String::new(),
                stage.to_string(),
                String::new(),
                String::new(),
            ],
        ),
    };
    let [t, c, a, cur, close, stage, source, notes] = values;
    let custom = custom_fields(env, Entity::Deal, row.map(|r| r.deal.id.as_str()))?;
    let mut fields = vec![
        Field::text("title", "Title", t),
        Field::looked_up("customer", "Customer", LookupSource::Customers, &c)
            .with_hint("type to search; a new name adds a prospect"),
        Field::text("amount", "Amount", a).with_hint("e.g. 12,500.50"),
        Field::text("currency", "Currency", cur),
        Field::text("close", "Close", close).with_hint("YYYY-MM-DD, +2w, tomorrow, next friday"),
        Field::choice("stage", "Stage", stage_names, &stage),
        Field::suggest("source", "Source", sources, &source)
            .with_hint("the team's sources are suggested; any text is fine"),
        Field::lines("notes", "Notes", notes).with_hint("Ctrl-J or Alt-Enter: new line"),
    ];
    fields.extend(custom);
    Ok(Form::new(title, purpose, fields))
}

/// The activity log form for a deal or customer.
pub fn log_form(about: Subject, name: &str, kind: ActivityKind) -> Form {
    Form::new(
        format!("Log an activity — {name}"),
        Purpose::LogActivity(about),
        vec![
            Field::choice("kind", "Kind", kinds(), kind.as_str()),
            Field::text("subject", "Subject", ""),
            Field::text("when", "When", "now")
                .with_hint("now, or when it happened: yesterday 15:00, -2h, mon 10:00"),
            Field::lines("body", "Notes", "").with_hint("Ctrl-J or Alt-Enter: new line"),
        ],
    )
}

/// The follow-up form: kind, subject and when.
pub fn follow_up_form(about: Subject, subject: &str) -> Form {
    Form::new(
        "Schedule a follow-up",
        Purpose::FollowUp(about),
        vec![
            Field::choice("kind", "Kind", kinds(), "call"),
            Field::text("subject", "Subject", subject),
            Field::text("when", "When", "tomorrow 09:00").with_hint(WHEN_HINT),
        ],
    )
}

pub fn lost_reason_form(deal_id: String) -> Form {
    Form::new(
        "Why was it lost?",
        Purpose::LostReason(deal_id),
        vec![Field::text("reason", "Reason", "")],
    )
}

pub fn customer_form(env: &Env, current: Option<&CustomerSummary>) -> Result<Form, StoreError> {
    let names = |all: &[&str]| all.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let c = current.map(|s| &s.customer);
    let get = |f: fn(&crate::domain::customer::Customer) -> Option<String>| {
        c.and_then(f).unwrap_or_default()
    };
    let purpose = c.map_or(Purpose::AddCustomer, |c| {
        Purpose::EditCustomer(c.id.clone())
    });
    let custom = custom_fields(env, Entity::Customer, c.map(|c| c.id.as_str()))?;
    let mut fields = vec![
        Field::text(
            "name",
            "Name",
            c.map(|c| c.name.clone()).unwrap_or_default(),
        ),
        Field::choice(
            "kind",
            "Kind",
            names(&["company", "person"]),
            c.map_or("company", |c| c.kind.as_str()),
        ),
        Field::choice(
            "tier",
            "Tier",
            names(&["key", "normal", "low"]),
            c.map_or("normal", |c| c.tier.as_str()),
        ),
        Field::choice(
            "status",
            "Status",
            names(&["prospect", "active", "at_risk", "churned"]),
            c.map_or("prospect", |c| c.status.as_str()),
        ),
        Field::text("industry", "Industry", get(|c| c.industry.clone())),
        Field::text("region", "Region", get(|c| c.region.clone())),
        Field::text("website", "Website", get(|c| c.website.clone())),
    ];
    fields.extend(custom);
    Ok(Form::new(
        c.map_or("Add customer".to_string(), |c| format!("Edit {}", c.name)),
        purpose,
        fields,
    ))
}

pub fn contact_form(
    env: &Env,
    customer_id: &str,
    current: Option<&Contact>,
) -> Result<Form, StoreError> {
    let v = |f: fn(&Contact) -> Option<String>| current.and_then(f).unwrap_or_default();
    let custom = custom_fields(env, Entity::Contact, current.map(|c| c.id.as_str()))?;
    let mut fields = vec![
        Field::text(
            "name",
            "Name",
            current.map(|c| c.name.clone()).unwrap_or_default(),
        ),
        Field::text("title", "Title", v(|c| c.title.clone())),
        Field::text("phone", "Phone", v(|c| c.phone.clone())).with_hint("e.g. +49 30 1234567"),
        Field::text("email", "Email", v(|c| c.email.clone())).with_hint("e.g. name@example.com"),
    ];
    fields.extend(custom);
    Ok(Form::new(
        current.map_or("Add contact".to_string(), |c| format!("Edit {}", c.name)),
        match current {
            Some(c) => Purpose::EditContact(c.id.clone()),
            None => Purpose::AddContact(customer_id.to_string()),
        },
        fields,
    ))
}

pub fn churn_form(customer_id: String, name: &str) -> Form {
    Form::new(
        format!("Why is {name} churning?"),
        Purpose::ChurnReason(customer_id),
        vec![Field::text("reason", "Reason", "")],
    )
}

pub fn filter_form(current: &str) -> Form {
    Form::new(
        "Filter customers",
        Purpose::Filter,
        vec![
            Field::text("text", "Contains", current)
                .with_hint("name, tag, industry, region or a custom field; empty shows all"),
        ],
    )
}

pub fn tag_form(customer_id: String, name: &str) -> Form {
    Form::new(
        format!("Tag {name}"),
        Purpose::AddTag(customer_id),
        vec![Field::text("tag", "Tag", "")],
    )
}

pub fn outcome_form(row: &ActivityRow) -> Form {
    Form::new(
        format!("Done: {}", row.activity.subject),
        Purpose::Outcome(row.activity.id.clone()),
        vec![Field::text("outcome", "Outcome", "").with_hint("optional: what came of it")],
    )
}

pub fn snooze_form(activity_id: String) -> Form {
    Form::new(
        "Snooze until",
        Purpose::SnoozeTime(activity_id),
        vec![
            Field::text("when", "When", "").with_hint("14:30, tomorrow 10:00, mon 9:00, +2h, +3d"),
        ],
    )
}

/// A reminder for any open deal or customer, picked by name (the first 2000 of each, as
/// suggestions; a typed name is resolved on save).
pub fn add_reminder_form(env: &Env) -> Result<Form, StoreError> {
    let mut names: Vec<String> = deals::open_titles(env.conn, 2000)?
        .into_iter()
        .map(|title| format!("{title} (deal)"))
        .collect();
    names.extend(
        customers::first_names(env.conn, 2000, |_| true)?
            .into_iter()
            .map(|name| format!("{name} (customer)")),
    );
    Ok(Form::new(
        "Add a reminder",
        Purpose::AddReminder,
        vec![
            Field::suggest("for", "For", names, "").with_hint("type a deal or customer name"),
            Field::choice("kind", "Kind", kinds(), "call"),
            Field::text("subject", "Subject", ""),
            Field::text("when", "When", "tomorrow 09:00").with_hint(WHEN_HINT),
        ],
    ))
}

pub fn edit_reminder_form(env: &Env, row: &ActivityRow) -> Form {
    let a = &row.activity;
    let when = a.due_at.map(|t| env.zone.date_time(t)).unwrap_or_default();
    Form::new(
        "Edit reminder",
        Purpose::EditReminder(a.id.clone()),
        vec![
            Field::choice("kind", "Kind", kinds(), a.kind.as_str()),
            Field::text("subject", "Subject", a.subject.clone()),
            Field::text("when", "When", when),
        ],
    )
}
