//! Which column of a file is which SalesDesk field: a map file written by the user
//! (TOML), a preset for the exports of Pipedrive, HubSpot and Salesforce, or a header row
//! that already names the fields. The result, a [`Mapping`], is checked against the
//! file's header before any row is read: a map naming a column the file lacks, or a file
//! lacking a required column, is refused up front.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::Deserialize;

/// What is being imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    Deals,
    Customers,
    Contacts,
    Activities,
}

impl Entity {
    pub const ALL: [Entity; 4] = [
        Entity::Deals,
        Entity::Customers,
        Entity::Contacts,
        Entity::Activities,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Deals => "deals",
            Entity::Customers => "customers",
            Entity::Contacts => "contacts",
            Entity::Activities => "activities",
        }
    }

    /// The fields a column can be mapped to, with the ones a file must have.
    pub fn fields(self) -> &'static [Field] {
        use Field::*;
        match self {
            Entity::Deals => &[
                Id,
                Title,
                Customer,
                Contact,
                Stage,
                Status,
                Amount,
                Currency,
                ExpectedClose,
                Created,
                Closed,
                WonTime,
                LostTime,
                LostReason,
                Owner,
                Source,
                Notes,
            ],
            Entity::Customers => &[
                Id,
                Name,
                Kind,
                Industry,
                Region,
                Tier,
                CustomerStatus,
                Owner,
                Website,
                Source,
                Notes,
                Satisfaction,
                Created,
            ],
            Entity::Contacts => &[
                Id, Name, FirstName, LastName, Customer, JobTitle, Phone, Email, Notes,
            ],
            Entity::Activities => &[
                Id, Kind, Subject, Body, Deal, Customer, Due, Done, Outcome, Owner, Created,
            ],
        }
    }

    /// A file of this kind must give one of each group (a contact's name may come whole
    /// or as first and last name).
    fn required(self) -> &'static [&'static [Field]] {
        use Field::*;
        match self {
            Entity::Deals => &[&[Title]],
            Entity::Customers => &[&[Name]],
            Entity::Contacts => &[&[Name, FirstName, LastName]],
            Entity::Activities => &[&[Subject]],
        }
    }
}

impl FromStr for Entity {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Entity::ALL
            .into_iter()
            .find(|e| e.as_str() == s.trim().to_lowercase())
            .ok_or_else(|| format!("'{s}' is not deals, customers, contacts or activities"))
    }
}

/// A SalesDesk field a column can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// The source's own id: importing the file again updates instead of duplicating.
    Id,
    Title,
    Name,
    FirstName,
    LastName,
    Customer,
    Contact,
    Deal,
    Stage,
    /// A deal's open/won/lost.
    Status,
    /// A customer's prospect/active/at risk/churned.
    CustomerStatus,
    Amount,
    Currency,
    ExpectedClose,
    Created,
    /// When a won or lost deal closed (else the won or lost time, by its status).
    Closed,
    WonTime,
    LostTime,
    LostReason,
    Owner,
    Source,
    Notes,
    Kind,
    Industry,
    Region,
    Tier,
    Website,
    Satisfaction,
    JobTitle,
    Phone,
    Email,
    Subject,
    Body,
    Due,
    Done,
    Outcome,
}

impl Field {
    /// The name a map file uses.
    pub fn name(self) -> &'static str {
        use Field::*;
        match self {
            Id => "id",
            Title => "title",
            Name => "name",
            FirstName => "first_name",
            LastName => "last_name",
            Customer => "customer",
            Contact => "contact",
            Deal => "deal",
            Stage => "stage",
            Status | CustomerStatus => "status",
            Amount => "amount",
            Currency => "currency",
            ExpectedClose => "expected_close",
            Created => "created",
            Closed => "closed",
            WonTime => "won_time",
            LostTime => "lost_time",
            LostReason => "lost_reason",
            Owner => "owner",
            Source => "source",
            Notes => "notes",
            Kind => "kind",
            Industry => "industry",
            Region => "region",
            Tier => "tier",
            Website => "website",
            Satisfaction => "satisfaction",
            JobTitle => "job_title",
            Phone => "phone",
            Email => "email",
            Subject => "subject",
            Body => "body",
            Due => "due",
            Done => "done",
            Outcome => "outcome",
        }
    }

    /// Other headers that mean this field in a file without a map ("Company" for a
    /// deal's customer), compared without case, spaces, dashes or underscores.
    fn synonyms(self, entity: Entity) -> &'static [&'static str] {
        use Field::*;
        match self {
            // A customers file's company column is the customer's own name.
            Name if entity == Entity::Customers => &[
                "company",
                "companyname",
                "organization",
                "organisation",
                "account",
                "accountname",
                "client",
            ],
            Id => &["ref", "reference", "externalid"],
            Title => &[
                "deal",
                "dealname",
                "deal title",
                "opportunity",
                "opportunityname",
            ],
            Name => &["fullname", "contactname"],
            FirstName => &["firstname", "givenname"],
            LastName => &["lastname", "surname", "familyname"],
            Customer => &[
                "company",
                "organization",
                "organisation",
                "account",
                "accountname",
                "client",
            ],
            Amount => &["value", "dealvalue", "dealamount"],
            ExpectedClose => &["closedate", "expectedclosedate", "expectedclose", "close"],
            Created => &["createdat", "createddate", "createdate", "dealcreated"],
            Closed => &["closedat", "closedon", "closetime"],
            Owner => &["dealowner", "salesrep", "rep"],
            Source => &["leadsource"],
            JobTitle => &["jobtitle", "position", "role"],
            Phone => &["phonenumber", "mobile", "tel", "telephone"],
            Email => &["emailaddress", "mail"],
            Due => &["dueat", "duedate", "when"],
            Done => &["doneat", "completed", "completedat"],
            _ => &[],
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where a source's stage value goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StageTarget {
    /// A stage of the book, by name.
    Stage(String),
    Won,
    Lost,
}

impl StageTarget {
    fn parse(text: &str) -> StageTarget {
        match text.trim().to_lowercase().as_str() {
            "won" | "closed won" => StageTarget::Won,
            "lost" | "closed lost" => StageTarget::Lost,
            _ => StageTarget::Stage(text.trim().to_string()),
        }
    }
}

/// The export formats recognised by their headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Auto,
    Pipedrive,
    Hubspot,
    Salesforce,
    Generic,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Auto => "auto",
            Format::Pipedrive => "pipedrive",
            Format::Hubspot => "hubspot",
            Format::Salesforce => "salesforce",
            Format::Generic => "generic",
        }
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [
            Format::Auto,
            Format::Pipedrive,
            Format::Hubspot,
            Format::Salesforce,
            Format::Generic,
        ]
        .into_iter()
        .find(|f| f.as_str() == s.trim().to_lowercase())
        .ok_or_else(|| format!("'{s}' is not auto, pipedrive, hubspot, salesforce or generic"))
    }
}

/// A map file as written: `[columns]` (field = column), `[stages]` (source value = stage
/// name, "won" or "lost") and `[defaults]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapFile {
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    #[serde(default)]
    pub stages: BTreeMap<String, String>,
    #[serde(default)]
    pub defaults: Defaults,
}

/// Values for cells a file leaves empty, and how its dates are written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    pub currency: Option<String>,
    /// The customer of a row that names none.
    pub customer: Option<String>,
    /// A chrono format (`%d.%m.%Y`, `%m/%d/%Y %H:%M`); without it ISO dates are read.
    pub date_format: Option<String>,
    /// The stage of a deal whose row names none.
    pub stage: Option<String>,
}

impl MapFile {
    /// Parses a map file; an error names the line and column.
    pub fn parse(text: &str) -> Result<MapFile, String> {
        toml::from_str(text).map_err(|e| crate::config::where_and_what(text, &e).to_string())
    }
}

/// A map checked against a file's header: for each field, the column that holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapping {
    pub entity: Entity,
    pub format: Format,
    /// Field → index of its column in the file.
    pub columns: Vec<(Field, usize)>,
    /// Lower-cased source value → target.
    pub stages: Vec<(String, StageTarget)>,
    pub defaults: Defaults,
}

impl Mapping {
    /// The column index of `field`, if the file has it.
    pub fn column(&self, field: Field) -> Option<usize> {
        self.columns
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, i)| *i)
    }

    /// Where a source's stage value goes by the map, if it says.
    pub fn stage_target(&self, value: &str) -> Option<&StageTarget> {
        let key = value.trim().to_lowercase();
        self.stages.iter().find(|(k, _)| *k == key).map(|(_, t)| t)
    }

    /// Builds the mapping for a file with `headers`: from `map` when given, else from the
    /// preset `format` names (or, for `auto`, the one whose headers the file has), else
    /// from the header names themselves.
    pub fn new(
        entity: Entity,
        format: Format,
        map: Option<&MapFile>,
        headers: &[String],
    ) -> Result<Mapping, String> {
        let (format, preset) = match format {
            Format::Auto => match detect(entity, headers) {
                Some((format, preset)) => (format, Some(preset)),
                None => (Format::Generic, None),
            },
            Format::Generic => (Format::Generic, None),
            named => {
                let preset = preset(named, entity).ok_or_else(|| {
                    format!("{} has no {} export", named.as_str(), entity.as_str())
                })?;
                (named, Some(preset))
            }
        };
        let mut columns: Vec<(Field, usize)> = Vec::new();
        let find = |column: &str| {
            headers
                .iter()
                .position(|h| h.eq_ignore_ascii_case(column.trim()))
        };
        if let Some(preset) = &preset {
            for (field, names) in preset.columns {
                if let Some(i) = names.iter().find_map(|n| find(n)) {
                    columns.push((*field, i));
                }
            }
        }
        if let Some(map) = map {
            for (name, column) in &map.columns {
                let field = field_named(entity, name)?;
                let i = find(column).ok_or_else(|| {
                    format!(
                        "the map's column '{column}' (for {name}) is not in the file; its columns are: {}",
                        headers.join(", ")
                    )
                })?;
                columns.retain(|(f, _)| *f != field);
                columns.push((field, i));
            }
        }
        if preset.is_none() {
            // Columns the map does not name are still matched by their header.
            for (i, header) in headers.iter().enumerate() {
                if let Some(field) = field_for_header(entity, header)
                    && !columns.iter().any(|(f, c)| *f == field || *c == i)
                {
                    columns.push((field, i));
                }
            }
        }
        for group in entity.required() {
            if !group.iter().any(|f| columns.iter().any(|(c, _)| c == f)) {
                let names: Vec<&str> = group.iter().map(|f| f.name()).collect();
                return Err(format!(
                    "the file has no column for {} (its columns are: {}); name one in a map's [columns], e.g. {} = \"{}\"",
                    names.join(" or "),
                    headers.join(", "),
                    names[0],
                    headers.first().map_or("Column", String::as_str)
                ));
            }
        }
        let mut stages: Vec<(String, StageTarget)> = preset
            .as_ref()
            .map(|p| {
                p.stages
                    .iter()
                    .map(|(k, v)| (k.to_lowercase(), StageTarget::parse(v)))
                    .collect()
            })
            .unwrap_or_default();
        let mut defaults = preset.map(|p| p.defaults()).unwrap_or_default();
        if let Some(map) = map {
            for (source, target) in &map.stages {
                let key = source.trim().to_lowercase();
                stages.retain(|(k, _)| *k != key);
                stages.push((key, StageTarget::parse(target)));
            }
            let d = &map.defaults;
            defaults = Defaults {
                currency: d.currency.clone().or(defaults.currency),
                customer: d.customer.clone().or(defaults.customer),
                date_format: d.date_format.clone().or(defaults.date_format),
                stage: d.stage.clone().or(defaults.stage),
            };
        }
        columns.sort_by_key(|(f, _)| *f);
        Ok(Mapping {
            entity,
            format,
            columns,
            stages,
            defaults,
        })
    }
}

fn field_named(entity: Entity, name: &str) -> Result<Field, String> {
    let wanted = name.trim().to_lowercase();
    entity
        .fields()
        .iter()
        .copied()
        .find(|f| f.name() == wanted)
        .ok_or_else(|| {
            let names: Vec<&str> = entity.fields().iter().map(|f| f.name()).collect();
            format!(
                "the map's [columns] names '{name}', which {} do not have; they have: {}",
                entity.as_str(),
                names.join(", ")
            )
        })
}

/// The field a header names, by its name or a synonym.
fn field_for_header(entity: Entity, header: &str) -> Option<Field> {
    let key = squash(header);
    entity
        .fields()
        .iter()
        .copied()
        .find(|f| squash(f.name()) == key)
        .or_else(|| {
            entity
                .fields()
                .iter()
                .copied()
                .find(|f| f.synonyms(entity).iter().any(|s| squash(s) == key))
        })
}

/// A header compared loosely: lower case, without spaces, dashes, underscores or dots.
fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A vendor's export: the headers of each field (the first found is taken), its stage
/// values, its date format.
struct Preset {
    columns: &'static [(Field, &'static [&'static str])],
    stages: &'static [(&'static str, &'static str)],
    date_format: Option<&'static str>,
}

impl Preset {
    fn defaults(&self) -> Defaults {
        Defaults {
            date_format: self.date_format.map(str::to_string),
            ..Defaults::default()
        }
    }
}

/// The file's format: the preset whose headers it has (at least three of its columns,
/// among them the required ones).
fn detect(entity: Entity, headers: &[String]) -> Option<(Format, Preset)> {
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

fn preset(format: Format, entity: Entity) -> Option<Preset> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn vendor_exports_are_recognised_by_their_headers() {
        let pipedrive = headers(&[
            "Deal - Title",
            "Deal - Value",
            "Deal - Currency of value",
            "Organization",
            "Deal - Stage",
            "Deal - Status",
        ]);
        let m = Mapping::new(Entity::Deals, Format::Auto, None, &pipedrive).unwrap();
        assert_eq!(m.format, Format::Pipedrive);
        assert_eq!(m.column(Field::Customer), Some(3));
        assert_eq!(m.column(Field::Status), Some(5));

        let salesforce = headers(&[
            "Opportunity Name",
            "Account Name",
            "Stage",
            "Amount",
            "Close Date",
            "Created Date",
            "Probability (%)",
        ]);
        let m = Mapping::new(Entity::Deals, Format::Auto, None, &salesforce).unwrap();
        assert_eq!(m.format, Format::Salesforce);
        assert_eq!(m.stage_target("closed won"), Some(&StageTarget::Won));
        assert_eq!(m.defaults.date_format.as_deref(), Some("%m/%d/%Y"));

        let hubspot = headers(&[
            "Deal Name",
            "Deal Stage",
            "Amount",
            "Close Date",
            "Pipeline",
        ]);
        let m = Mapping::new(Entity::Deals, Format::Auto, None, &hubspot).unwrap();
        assert_eq!(m.format, Format::Hubspot);
        assert_eq!(m.stage_target("closedlost"), Some(&StageTarget::Lost));
    }

    #[test]
    fn a_plain_header_names_its_fields() {
        let plain = headers(&["Title", "Company", "Value", "Stage", "Close date", "Notes"]);
        let m = Mapping::new(Entity::Deals, Format::Auto, None, &plain).unwrap();
        assert_eq!(m.format, Format::Generic);
        assert_eq!(m.column(Field::Customer), Some(1));
        assert_eq!(m.column(Field::Amount), Some(2));
        assert_eq!(m.column(Field::ExpectedClose), Some(4));
    }

    #[test]
    fn the_map_of_the_issue_reads_as_written() {
        let text = r#"
[columns]            # SalesDesk field = source column
id = "Ref"                   # the source's own id: re-importing updates instead of duplicating
title = "Opportunity"
customer = "Company"
stage = "Phase"
amount = "Value"
created = "Opened"
closed = "Closed on"
owner = "Rep"
[stages]             # source value = a stage name, or "won" / "lost"
Prospect = "Lead"
"In talks" = "Qualified"
Signed = "won"
Dropped = "lost"
[defaults]
currency = "USD"
customer = "Unknown"         # for rows with no company
date_format = "%Y-%m-%d"     # chrono format; default: ISO dates, else refused with the line
"#;
        let map = MapFile::parse(text).unwrap();
        let file = headers(&[
            "Ref",
            "Opportunity",
            "Company",
            "Phase",
            "Value",
            "Opened",
            "Closed on",
            "Rep",
        ]);
        let m = Mapping::new(Entity::Deals, Format::Auto, Some(&map), &file).unwrap();
        assert_eq!(m.column(Field::Id), Some(0));
        assert_eq!(m.column(Field::Closed), Some(6));
        assert_eq!(
            m.stage_target("in talks"),
            Some(&StageTarget::Stage("Qualified".into()))
        );
        assert_eq!(m.stage_target("SIGNED"), Some(&StageTarget::Won));
        assert_eq!(m.defaults.customer.as_deref(), Some("Unknown"));
    }

    #[test]
    fn bad_maps_are_named() {
        let err = MapFile::parse("[columns]\ntitle = \"A\"\n[colums]\n").unwrap_err();
        assert!(
            err.starts_with("line 3, column 2: unknown field `colums`"),
            "{err}"
        );
        let file = headers(&["A", "B"]);
        let map = MapFile::parse("[columns]\ntitle = \"A\"\ncolour = \"B\"\n").unwrap();
        let err = Mapping::new(Entity::Deals, Format::Auto, Some(&map), &file).unwrap_err();
        assert!(
            err.contains("names 'colour', which deals do not have"),
            "{err}"
        );
        let map = MapFile::parse("[columns]\ntitle = \"Z\"\n").unwrap();
        let err = Mapping::new(Entity::Deals, Format::Auto, Some(&map), &file).unwrap_err();
        assert!(
            err.contains("column 'Z' (for title) is not in the file"),
            "{err}"
        );
        let err = Mapping::new(Entity::Deals, Format::Auto, None, &file).unwrap_err();
        assert!(err.starts_with("the file has no column for title"), "{err}");
    }
}
