//! The exports of Pipedrive, HubSpot and Salesforce: which of their headers holds which
//! field, what their stage values mean, how they write dates; and telling which of them a
//! file is by its header row.

use super::{Defaults, Entity, Field, Format};

/// A vendor's export: the headers of each field (the first found is taken), its stage
/// values, its date format.
pub(super) struct Preset {
    pub(super) columns: &'static [(Field, &'static [&'static str])],
    pub(super) stages: &'static [(&'static str, &'static str)],
    pub(super) date_format: Option<&'static str>,
}

impl Preset {
    pub(super) fn defaults(&self) -> Defaults {
        Defaults {
            date_format: self.date_format.map(str::to_string),
            ..Defaults::default()
        }
    }
}

/// The file's format: the preset whose headers it has (at least three of its columns,
/// among them the required ones).
pub(super) fn detect(entity: Entity, headers: &[String]) -> Option<(Format, Preset)> {
    [Format::Pipedrive, Format::Hubspot, Format::Salesforce]
        .into_iter()
        .filter_map(|format| preset(format, entity).map(|p| (format, p)))
        .filter_map(|(format, preset)| {
            let has = |field: &Field| {
                preset.columns.iter().any(|(f, names)| {
                    f == field
                        && names
                            .iter()
                            .any(|n| headers.iter().any(|h| h.eq_ignore_ascii_case(n)))
                })
            };
            let complete = entity.required().iter().all(|group| group.iter().any(has));
            let found = headers
                .iter()
                .filter(|h| {
                    preset
                        .columns
                        .iter()
                        .any(|(_, names)| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
                })
                .count();
            (complete && found >= 3).then_some((found, format, preset))
        })
        .max_by_key(|(found, _, _)| *found)
        .map(|(_, format, preset)| (format, preset))
}

const CLOSED_STAGES: &[(&str, &str)] = &[("Closed Won", "won"), ("Closed Lost", "lost")];

pub(super) fn preset(format: Format, entity: Entity) -> Option<Preset> {
    use Field::*;
    let p = |columns, stages, date_format| {
        Some(Preset {
            columns,
            stages,
            date_format,
        })
    };
    match (format, entity) {
        (Format::Pipedrive, Entity::Deals) => p(
            &[
                (Id, &["Deal - ID"]),
                (Title, &["Deal - Title"]),
                (Amount, &["Deal - Value"]),
                (Currency, &["Deal - Currency of value", "Deal - Currency"]),
                (
                    Customer,
                    &["Organization", "Deal - Organization", "Organization - Name"],
                ),
                (
                    Contact,
                    &["Contact person", "Deal - Contact person", "Person - Name"],
                ),
                (Stage, &["Deal - Stage"]),
                (Status, &["Deal - Status"]),
                (ExpectedClose, &["Deal - Expected close date"]),
                (WonTime, &["Deal - Won time"]),
                (LostTime, &["Deal - Lost time"]),
                (LostReason, &["Deal - Lost reason"]),
                (Created, &["Deal - Deal created"]),
                (Owner, &["Deal - Owner"]),
                (Source, &["Deal - Source", "Deal - Source origin"]),
            ],
            &[],
            None,
        ),
        (Format::Pipedrive, Entity::Customers) => p(
            &[
                (Id, &["Organization - ID"]),
                (Name, &["Organization - Name"]),
                (Owner, &["Organization - Owner"]),
                (Region, &["Organization - Address", "Organization - City"]),
                (Industry, &["Organization - Industry"]),
                (Website, &["Organization - Website"]),
                (Created, &["Organization - Organization created"]),
                (Notes, &["Organization - Notes"]),
            ],
            &[],
            None,
        ),
        (Format::Pipedrive, Entity::Contacts) => p(
            &[
                (Id, &["Person - ID"]),
                (Name, &["Person - Name"]),
                (FirstName, &["Person - First name"]),
                (LastName, &["Person - Last name"]),
                (Customer, &["Person - Organization", "Organization - Name"]),
                (
                    Email,
                    &[
                        "Person - Email - Work",
                        "Person - Email",
                        "Person - Email - Other",
                    ],
                ),
                (
                    Phone,
                    &[
                        "Person - Phone - Work",
                        "Person - Phone",
                        "Person - Phone - Mobile",
                    ],
                ),
                (JobTitle, &["Person - Job title"]),
            ],
            &[],
            None,
        ),
        (Format::Hubspot, Entity::Deals) => p(
            &[
                (Id, &["Record ID"]),
                (Title, &["Deal Name"]),
                (Stage, &["Deal Stage"]),
                (Amount, &["Amount"]),
                (Currency, &["Currency"]),
                (Closed, &["Close Date"]),
                (ExpectedClose, &["Close Date"]),
                (Created, &["Create Date"]),
                (Owner, &["Deal owner", "Deal Owner"]),
                (
                    Customer,
                    &[
                        "Associated Company",
                        "Associated Company (Primary)",
                        "Company name",
                    ],
                ),
                (LostReason, &["Closed Lost Reason"]),
            ],
            &[
                ("closedwon", "won"),
                ("closedlost", "lost"),
                ("Closed Won", "won"),
                ("Closed Lost", "lost"),
            ],
            None,
        ),
        (Format::Hubspot, Entity::Customers) => p(
            &[
                (Id, &["Record ID"]),
                (Name, &["Company name", "Name"]),
                (Industry, &["Industry"]),
                (Region, &["Country/Region", "City", "State/Region"]),
                (Owner, &["Company owner"]),
                (Website, &["Website URL", "Company Domain Name"]),
                (Created, &["Create Date"]),
            ],
            &[],
            None,
        ),
        (Format::Hubspot, Entity::Contacts) => p(
            &[
                (Id, &["Record ID"]),
                (FirstName, &["First Name"]),
                (LastName, &["Last Name"]),
                (Email, &["Email"]),
                (Phone, &["Phone Number", "Mobile Phone Number"]),
                (JobTitle, &["Job Title"]),
                (
                    Customer,
                    &[
                        "Associated Company",
                        "Company Name",
                        "Associated Company (Primary)",
                    ],
                ),
            ],
            &[],
            None,
        ),
        (Format::Salesforce, Entity::Deals) => p(
            &[
                (Id, &["Opportunity ID"]),
                (Title, &["Opportunity Name"]),
                (Customer, &["Account Name"]),
                (Stage, &["Stage"]),
                (Amount, &["Amount"]),
                (Currency, &["Amount Currency", "Opportunity Currency"]),
                (Closed, &["Close Date"]),
                (ExpectedClose, &["Close Date"]),
                (Created, &["Created Date"]),
                (Owner, &["Opportunity Owner"]),
                (Source, &["Lead Source"]),
            ],
            CLOSED_STAGES,
            Some("%m/%d/%Y"),
        ),
        (Format::Salesforce, Entity::Customers) => p(
            &[
                (Id, &["Account ID"]),
                (Name, &["Account Name"]),
                (Industry, &["Industry"]),
                (
                    Region,
                    &["Billing Country", "Billing City", "Billing State/Province"],
                ),
                (Owner, &["Account Owner"]),
                (Website, &["Website"]),
                (Created, &["Created Date"]),
            ],
            &[],
            Some("%m/%d/%Y"),
        ),
        (Format::Salesforce, Entity::Contacts) => p(
            &[
                (Id, &["Contact ID"]),
                (FirstName, &["First Name"]),
                (LastName, &["Last Name"]),
                (Customer, &["Account Name"]),
                (Email, &["Email"]),
                (Phone, &["Phone", "Mobile"]),
                (JobTitle, &["Title"]),
            ],
            &[],
            Some("%m/%d/%Y"),
        ),
        _ => None,
    }
}
