//! Which column of a file is which SalesDesk field: a map file written by the user
//! (TOML), a preset for the exports of Pipedrive, HubSpot and Salesforce, or a header row
//! that already names the fields. The result, a [`Mapping`], is checked against the
//! file's header before any row is read: a map naming a column the file lacks, or a file
//! lacking a required column, is refused up front.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::Deserialize;

mod presets;
use presets::{detect, preset};

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
                Pipeline,
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
                StageHistory,
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
                Tags,
            ],
            Entity::Contacts => &[
                Id, Name, FirstName, LastName, Customer, JobTitle, Phone, Email, Notes, Primary,
            ],
            Entity::Activities => &[
                Id, Kind, Subject, Body, Deal, Customer, Contact, Due, Done, Outcome, Owner,
                Created,
            ],
        }
    }

    /// The columns an export of this kind writes that an import does not read back, as
    /// they are worked out from the rest (squashed, see `squash`).
    pub fn derived(self) -> &'static [&'static str] {
        match self {
            Entity::Deals => &[
                "probability",
                "weightedamount",
                "nextfollowup",
                "lastactivity",
            ],
            Entity::Customers => &["lastcontact", "nextreminder", "opendeals", "lifetimevalue"],
            Entity::Contacts | Entity::Activities => &[],
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
    /// The pipeline a deal's stage names are of (else they are looked up in every one).
    Pipeline,
    Stage,
    /// A deal's stage history, a step a line (`2026-11-30 14:30:00 open Proposal`): what
    /// an export of deals writes, so that importing it back keeps the stage conversion.
    StageHistory,
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
    /// A customer's tags, separated by commas.
    Tags,
    JobTitle,
    Phone,
    Email,
    /// Whether a contact is its customer's primary one.
    Primary,
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
            Pipeline => "pipeline",
            Stage => "stage",
            StageHistory => "stage_history",
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
            Tags => "tags",
            JobTitle => "job_title",
            Phone => "phone",
            Email => "email",
            Primary => "primary",
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

    /// The headers of `headers` that no field reads: not mapped, not a custom field of
    /// `custom` (its records' custom field names), and not one of the columns an export
    /// derives ([`Entity::derived`]). An import says so, rather than drop them unseen.
    pub fn unread(&self, headers: &[String], custom: &[&str]) -> Vec<String> {
        headers
            .iter()
            .enumerate()
            .filter(|(i, h)| {
                let h = h.trim();
                !h.is_empty()
                    && !self.columns.iter().any(|(_, c)| c == i)
                    && !custom.iter().any(|c| c.trim().eq_ignore_ascii_case(h))
                    && !self.entity.derived().contains(&squash(h).as_str())
            })
            .map(|(_, h)| crate::text::truncate(h.trim(), 60))
            .collect()
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
                    crate::t!(
                        "import-map-column-missing",
                        column = column,
                        field = name,
                        columns = headers.join(", ")
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
                return Err(crate::t!(
                    "import-no-column-for",
                    fields = names.join(" / "),
                    columns = headers.join(", "),
                    field = names[0],
                    header = headers.first().map_or("Column", String::as_str)
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
            crate::t!(
                "import-map-unknown-field",
                field = name,
                records = crate::i18n::noun(entity.as_str()),
                fields = names.join(", ")
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

#[cfg(test)]
mod tests;
