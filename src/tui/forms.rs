//! The forms the views open, built with the values they open with (which the form
//! remembers, so that a save sends only what the user changed). Building reads the store
//! for choices (customer names, stages); saving is `submit.rs`.

use super::components::Env;
use super::modals::form::{ChoiceWords, Field, Form, LookupSource, Purpose};
use crate::domain::activity::ActivityKind;
use crate::domain::field::{Entity, FieldType};
use crate::store::StoreError;
use crate::store::activities::{ActivityRow, Subject};
use crate::store::contacts::Contact;
use crate::store::customers::CustomerSummary;
use crate::store::deals::DealRow;
use crate::store::stages;
use crate::t;

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
            let required = if def.required {
                t!("form-hint-required-prefix")
            } else {
                String::new()
            };
            match def.kind {
                FieldType::Choice | FieldType::YesNo => {
                    let options = match def.kind {
                        FieldType::YesNo => vec!["yes".to_string(), "no".to_string()],
                        _ => def.choices.clone(),
                    };
                    let options: Vec<String> = blank.into_iter().chain(options).collect();
                    let field = Field::choice(key, label, options, &text).with_hint(&t!(
                        "form-hint-custom-choice",
                        name = def.name.as_str(),
                        required = required
                    ));
                    if def.kind == FieldType::YesNo {
                        field.with_display(ChoiceWords::YesNo)
                    } else {
                        field
                    }
                }
                FieldType::MultiChoice => Field::text(key, label, text).with_hint(&t!(
                    "form-hint-custom-multi",
                    name = def.name.as_str(),
                    required = required,
                    choices = def.choices.join(", ")
                )),
                kind => {
                    let example = match kind {
                        FieldType::Number => t!("form-hint-custom-number"),
                        FieldType::Money => t!("form-hint-custom-money"),
                        FieldType::Date => t!("form-hint-yyyy-mm-dd-2w-tomorrow-next-friday"),
                        _ => t!("form-hint-custom-text"),
                    };
                    Field::text(key, label, text).with_hint(&t!(
                        "form-hint-custom",
                        name = def.name.as_str(),
                        required = required,
                        example = example
                    ))
                }
            }
        })
        .collect())
}

/// The Owner field of the deal and customer forms: a choice among the team's members
/// (me first, marked), opening on `current` (a record's owner) or on me (a new record).
/// `None` when the book has one member and the record is theirs: a solo user's forms
/// have no owner to choose. An owner who is no longer a live member (removed from the
/// team, or never synced here) stays the field's value, named as such, so that a form
/// left alone does not change it (and one member left can take the record back).
pub fn owner_field(env: &Env, current: Option<Option<&str>>) -> Result<Option<Field>, StoreError> {
    let members = crate::store::members::list(env.conn)?;
    let current = current.map_or(Some(env.me), |c| c);
    let someone_else = current.is_some_and(|owner| owner != env.me);
    if members.len() < 2 && !someone_else {
        return Ok(None);
    }
    let name = |m: &crate::store::members::Member| {
        let name = crate::text::clean(&m.name);
        // Two members of one name are told apart by their emails (else short ids).
        if members.iter().filter(|o| o.name == m.name).count() > 1 {
            let tail = m.email.as_deref().map_or_else(
                || crate::domain::ids::short_id(&m.id).to_string(),
                crate::text::clean,
            );
            format!("{name} <{tail}>")
        } else {
            name
        }
    };
    let mut names: Vec<(String, String)> = Vec::new();
    if let Some(me) = members.iter().find(|m| m.id == env.me) {
        names.push((me.id.clone(), t!("form-owner-me", name = name(me))));
    }
    for m in members.iter().filter(|m| m.id != env.me) {
        names.push((m.id.clone(), name(m)));
    }
    let value = current.unwrap_or_default();
    if !names.iter().any(|(id, _)| id == value) {
        let shown = match current {
            None => t!("form-owner-nobody"),
            Some(id) => match crate::store::members::get(env.conn, id)? {
                Some(m) => t!("form-owner-former", name = crate::text::clean(&m.name)),
                None => t!("form-owner-unknown", id = crate::domain::ids::short_id(id)),
            },
        };
        names.push((value.to_string(), shown));
    }
    let options = names.iter().map(|(id, _)| id.clone()).collect();
    Ok(Some(
        Field::choice("owner", t!("form-label-owner"), options, value)
            .with_names(names)
            .with_hint(&t!("form-hint-owner")),
    ))
}

pub use crate::domain::stage::STAGE_OF;

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
            t!("form-title-edit-deal", title = r.deal.title.as_str()),
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
            t!("form-title-add-deal"),
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
        Field::text("title", t!("form-label-title"), t),
        Field::looked_up(
            "customer",
            t!("form-label-customer"),
            LookupSource::Customers,
            &c,
        )
        .with_hint(&t!("form-hint-type-to-search-a-new-name-adds-a-prospec")),
        Field::text("amount", t!("form-label-amount"), a).with_hint(&t!("form-hint-e-g-12-500-50")),
        Field::text("currency", t!("form-label-currency"), cur),
        Field::text("close", t!("form-label-close"), close)
            .with_hint(&t!("form-hint-yyyy-mm-dd-2w-tomorrow-next-friday")),
        Field::choice("stage", t!("form-label-stage"), stage_names, &stage),
        Field::suggest("source", t!("form-label-source"), sources, &source)
            .with_hint(&t!("form-hint-the-team-s-sources-are-suggested-any-tex")),
    ];
    fields.extend(owner_field(env, row.map(|r| r.deal.owner_id.as_deref()))?);
    fields.push(
        Field::lines("notes", t!("form-label-notes"), notes)
            .with_hint(&t!("form-hint-ctrl-j-or-alt-enter-new-line")),
    );
    fields.extend(custom);
    Ok(Form::new(title, purpose, fields))
}

/// The activity log form for a deal or customer.
pub fn log_form(about: Subject, name: &str, kind: ActivityKind) -> Form {
    Form::new(
        t!("form-title-log-activity", name = name),
        Purpose::LogActivity(about),
        vec![
            Field::choice("kind", t!("form-label-kind"), kinds(), kind.as_str())
                .with_display(ChoiceWords::ActivityKind),
            Field::text("subject", t!("form-label-subject"), ""),
            Field::text("when", t!("form-label-when"), t!("form-default-now"))
                .with_hint(&t!("form-hint-now-or-when-it-happened-yesterday-15-00")),
            Field::lines("body", t!("form-label-notes"), "")
                .with_hint(&t!("form-hint-ctrl-j-or-alt-enter-new-line")),
        ],
    )
}

/// The follow-up form: kind, subject and when.
pub fn follow_up_form(about: Subject, subject: &str) -> Form {
    Form::new(
        t!("form-title-follow-up"),
        Purpose::FollowUp(about),
        vec![
            Field::choice("kind", t!("form-label-kind"), kinds(), "call")
                .with_display(ChoiceWords::ActivityKind),
            Field::text("subject", t!("form-label-subject"), subject),
            Field::text("when", t!("form-label-when"), t!("form-default-tomorrow"))
                .with_hint(&t!("form-hint-when")),
        ],
    )
}

pub fn lost_reason_form(deal_id: String) -> Form {
    Form::new(
        t!("form-title-why-lost"),
        Purpose::LostReason(deal_id),
        vec![Field::text("reason", t!("form-label-reason"), "")],
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
            t!("form-label-name"),
            c.map(|c| c.name.clone()).unwrap_or_default(),
        ),
        Field::choice(
            "kind",
            t!("form-label-kind"),
            names(&["company", "person"]),
            c.map_or("company", |c| c.kind.as_str()),
        )
        .with_display(ChoiceWords::CustomerKind),
        Field::choice(
            "tier",
            t!("form-label-tier"),
            names(&["key", "normal", "low"]),
            c.map_or("normal", |c| c.tier.as_str()),
        )
        .with_display(ChoiceWords::Tier),
        Field::choice(
            "status",
            t!("form-label-status"),
            names(&["prospect", "active", "at_risk", "churned"]),
            c.map_or("prospect", |c| c.status.as_str()),
        )
        .with_display(ChoiceWords::CustomerStatus),
        Field::text(
            "industry",
            t!("form-label-industry"),
            get(|c| c.industry.clone()),
        ),
        Field::text("region", t!("form-label-region"), get(|c| c.region.clone())),
        Field::text(
            "website",
            t!("form-label-website"),
            get(|c| c.website.clone()),
        ),
    ];
    fields.extend(owner_field(env, c.map(|c| c.owner_id.as_deref()))?);
    fields.extend(custom);
    Ok(Form::new(
        c.map_or_else(
            || t!("form-title-add-customer"),
            |c| t!("form-title-edit", name = c.name.as_str()),
        ),
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
            t!("form-label-name"),
            current.map(|c| c.name.clone()).unwrap_or_default(),
        ),
        Field::text("title", t!("form-label-title"), v(|c| c.title.clone())),
        Field::text("phone", t!("form-label-phone"), v(|c| c.phone.clone()))
            .with_hint(&t!("form-hint-e-g-49-30-1234567")),
        Field::text("email", t!("form-label-email"), v(|c| c.email.clone()))
            .with_hint(&t!("form-hint-e-g-name-example-com")),
    ];
    fields.extend(custom);
    Ok(Form::new(
        current.map_or_else(
            || t!("form-title-add-contact"),
            |c| t!("form-title-edit", name = c.name.as_str()),
        ),
        match current {
            Some(c) => Purpose::EditContact(c.id.clone()),
            None => Purpose::AddContact(customer_id.to_string()),
        },
        fields,
    ))
}

pub fn churn_form(customer_id: String, name: &str) -> Form {
    Form::new(
        t!("form-title-why-churn", name = name),
        Purpose::ChurnReason(customer_id),
        vec![Field::text("reason", t!("form-label-reason"), "")],
    )
}

pub fn filter_form(current: &str) -> Form {
    Form::new(
        t!("form-title-filter-customers"),
        Purpose::Filter,
        vec![
            Field::text("text", t!("form-label-contains"), current)
                .with_hint(&t!("form-hint-filter-with-custom-fields")),
        ],
    )
}

pub fn tag_form(customer_id: String, name: &str) -> Form {
    Form::new(
        t!("form-title-tag", name = name),
        Purpose::AddTag(customer_id),
        vec![Field::text("tag", t!("form-label-tag"), "")],
    )
}

pub fn outcome_form(row: &ActivityRow) -> Form {
    Form::new(
        t!("form-title-done", subject = row.activity.subject.as_str()),
        Purpose::Outcome(row.activity.id.clone()),
        vec![
            Field::text("outcome", t!("form-label-outcome"), "")
                .with_hint(&t!("form-hint-optional-what-came-of-it")),
        ],
    )
}

pub fn snooze_form(activity_id: String) -> Form {
    Form::new(
        t!("snooze-title"),
        Purpose::SnoozeTime(activity_id),
        vec![
            Field::text("when", t!("form-label-when"), "")
                .with_hint(&t!("form-hint-14-30-tomorrow-10-00-mon-9-00-2h-3d")),
        ],
    )
}

/// A reminder for any open deal or customer, picked by name: the names matching what is
/// typed are looked up as it changes (a book of 100k deals is not loaded to open a form).
pub fn add_reminder_form() -> Form {
    Form::new(
        t!("form-title-add-reminder"),
        Purpose::AddReminder,
        vec![
            Field::looked_up("for", t!("form-label-for"), LookupSource::Subjects, "")
                .with_hint(&t!("form-hint-type-a-deal-or-customer-name")),
            Field::choice("kind", t!("form-label-kind"), kinds(), "call")
                .with_display(ChoiceWords::ActivityKind),
            Field::text("subject", t!("form-label-subject"), ""),
            Field::text("when", t!("form-label-when"), t!("form-default-tomorrow"))
                .with_hint(&t!("form-hint-when")),
        ],
    )
}

pub fn edit_reminder_form(env: &Env, row: &ActivityRow) -> Form {
    let a = &row.activity;
    let when = a.due_at.map(|t| env.zone.date_time(t)).unwrap_or_default();
    Form::new(
        t!("form-title-edit-reminder"),
        Purpose::EditReminder(a.id.clone()),
        vec![
            Field::choice("kind", t!("form-label-kind"), kinds(), a.kind.as_str())
                .with_display(ChoiceWords::ActivityKind),
            Field::text("subject", t!("form-label-subject"), a.subject.clone()),
            Field::text("when", t!("form-label-when"), when),
        ],
    )
}
