//! Custom fields: the fields a team adds to its deals, customers and contacts (a budget,
//! a contract date, a region code), defined per book, and the values records hold for
//! them.
//!
//! A definition's id is made of what never changes about it — its entity, its type and
//! its name in lower case ([`def_id`]) — so that the same field added on two machines is
//! one row, and a field deleted and added again with another type is another field: a
//! value is always read with the type it was written for. A value's id is its record's
//! and its field's ([`value_id`]), so two teammates filling in the same field of the same
//! record write one row, merged by its clock like a built-in field.
//!
//! Values are stored as text in one canonical form per type ([`FieldValue::stored`]):
//! the forms a teammate's file is checked against ([`check_stored`]) before it is merged.

use chrono::NaiveDate;

use super::limits::check_date;
use super::money::{Currency, Decimal, Money};
use super::time::parse_date;

/// The records custom fields belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    Deal,
    Customer,
    Contact,
}

impl Entity {
    pub const ALL: [Entity; 3] = [Entity::Deal, Entity::Customer, Entity::Contact];

    pub fn as_str(self) -> &'static str {
        match self {
            Entity::Deal => "deal",
            Entity::Customer => "customer",
            Entity::Contact => "contact",
        }
    }
}

impl std::str::FromStr for Entity {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let word = s.trim().to_lowercase();
        Entity::ALL
            .into_iter()
            .find(|e| e.as_str() == word || format!("{}s", e.as_str()) == word)
            .ok_or_else(|| format!("'{}' is not deal, customer or contact", s.trim()))
    }
}

/// What a custom field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldType {
    Text,
    Number,
    Money,
    Date,
    YesNo,
    /// One of the field's choices.
    Choice,
    /// Any number of the field's choices.
    MultiChoice,
}

impl FieldType {
    pub const ALL: [FieldType; 7] = [
        FieldType::Text,
        FieldType::Number,
        FieldType::Money,
        FieldType::Date,
        FieldType::YesNo,
        FieldType::Choice,
        FieldType::MultiChoice,
    ];

    /// The word stored in `field_defs.type` and in the definition's id.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::Text => "text",
            FieldType::Number => "number",
            FieldType::Money => "money",
            FieldType::Date => "date",
            FieldType::YesNo => "yesno",
            FieldType::Choice => "choice",
            FieldType::MultiChoice => "multichoice",
        }
    }

    /// The word people use: "yes/no", "multi-choice".
    pub fn label(self) -> &'static str {
        match self {
            FieldType::YesNo => "yes/no",
            FieldType::MultiChoice => "multi-choice",
            other => other.as_str(),
        }
    }

    /// The type as the interface names it, in its language ("yes/no", "是/否"); what is
    /// typed after `--type` stays [`FieldType::label`].
    pub fn shown(self) -> String {
        crate::i18n::message(&format!("field-type-{}", self.as_str()), &[])
    }

    /// Whether the field offers a list of choices.
    pub fn has_choices(self) -> bool {
        matches!(self, FieldType::Choice | FieldType::MultiChoice)
    }

    fn stored(word: &str) -> Option<FieldType> {
        FieldType::ALL.into_iter().find(|t| t.as_str() == word)
    }
}

impl std::str::FromStr for FieldType {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let word: String = s
            .trim()
            .to_lowercase()
            .chars()
            .filter(|c| !matches!(c, '/' | '-' | '_' | ' '))
            .collect();
        let found = match word.as_str() {
            "bool" | "boolean" | "yn" => Some(FieldType::YesNo),
            "multi" | "multiple" => Some(FieldType::MultiChoice),
            "amount" => Some(FieldType::Money),
            w => FieldType::stored(w),
        };
        found.ok_or_else(|| crate::t!("field-type-unknown", word = s.trim()))
    }
}

/// The longest field name, in characters: names are typed (`--set NAME=VALUE`), shown as
/// form labels and columns, and are part of ids.
pub const MAX_NAME_CHARS: usize = 40;

/// The most choices a field offers, and the longest one, in characters.
pub const MAX_CHOICES: usize = 100;
pub const MAX_CHOICE_CHARS: usize = 60;

/// The longest value a text field holds, in bytes: a line or a short paragraph. A larger
/// value in a teammate's file is refused by the merge.
pub const MAX_VALUE_BYTES: usize = 4096;

/// A field a book defines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDef {
    pub id: String,
    pub entity: Entity,
    pub name: String,
    pub kind: FieldType,
    pub choices: Vec<String>,
    pub required: bool,
    pub position: i64,
}

/// The id of a definition: `deal:number:budget`.
pub fn def_id(entity: Entity, kind: FieldType, name: &str) -> String {
    format!(
        "{}:{}:{}",
        entity.as_str(),
        kind.as_str(),
        name.trim().to_lowercase()
    )
}

/// The entity and type a definition's id says.
pub fn parse_def_id(id: &str) -> Option<(Entity, FieldType)> {
    let mut parts = id.splitn(3, ':');
    let first = parts.next()?;
    let entity = Entity::ALL.into_iter().find(|e| e.as_str() == first)?;
    let kind = FieldType::stored(parts.next()?)?;
    parts.next().filter(|n| !n.is_empty())?;
    Some((entity, kind))
}

/// The id of a record's value of a field.
pub fn value_id(record_id: &str, field_id: &str) -> String {
    format!("{record_id}/{field_id}")
}

/// Checks and trims a field's name.
pub fn check_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(crate::t!("field-needs-name"));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(crate::t!(
            "field-name-too-long",
            name = name,
            most = MAX_NAME_CHARS
        ));
    }
    if name.contains('=') || name.contains(',') {
        return Err(crate::t!("field-name-separators", name = name));
    }
    if name.chars().any(crate::text::is_unsafe) {
        return Err(crate::t!("field-name-controls"));
    }
    Ok(name.to_string())
}

/// Checks a new field's choices: a choice field needs at least one, other types none;
/// each is trimmed, non-empty, one line and unique (in any case).
pub fn check_choices(kind: FieldType, choices: &[String]) -> Result<Vec<String>, String> {
    let choices: Vec<String> = choices
        .iter()
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect();
    if !kind.has_choices() {
        return if choices.is_empty() {
            Ok(choices)
        } else {
            Err(crate::t!("field-no-choices", kind = kind.shown()))
        };
    }
    if choices.is_empty() {
        return Err(crate::t!("field-needs-choices", kind = kind.shown()));
    }
    if choices.len() > MAX_CHOICES {
        return Err(crate::t!("field-too-many-choices", most = MAX_CHOICES));
    }
    let mut seen = std::collections::HashSet::new();
    for c in &choices {
        if c.chars().count() > MAX_CHOICE_CHARS {
            return Err(crate::t!(
                "field-choice-too-long",
                choice = c,
                most = MAX_CHOICE_CHARS
            ));
        }
        if c.chars().any(crate::text::is_unsafe) {
            return Err(crate::t!("field-choice-controls"));
        }
        if !seen.insert(c.to_lowercase()) {
            return Err(crate::t!("field-choice-twice", choice = c));
        }
    }
    Ok(choices)
}

/// Choices as `field_defs.choices` holds them: one a line.
pub fn choices_stored(choices: &[String]) -> Option<String> {
    (!choices.is_empty()).then(|| choices.join("\n"))
}

pub fn choices_from_stored(stored: Option<&str>) -> Vec<String> {
    stored
        .map(|s| s.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

/// A value of a custom field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    Text(String),
    /// A finite number, in its canonical decimal form (`12.5`, `-3`).
    Number(String),
    Money(Money),
    Date(NaiveDate),
    YesNo(bool),
    Choice(String),
    /// The chosen choices, in the order the field lists them.
    Multi(Vec<String>),
}

/// What typed values are read with: today (for dates like `+2w`), the default currency
/// and the user's decimal separator.
#[derive(Debug, Clone)]
pub struct Typing {
    pub today: NaiveDate,
    pub currency: Currency,
    pub decimal: Decimal,
}

/// The largest number a number field holds: far beyond any count or measure, and short
/// enough to write out in full.
const MAX_NUMBER: f64 = 1e15;

/// A number as people write it: `12.5`, `-3`, `1,200.5` (or `1.200,5` with a decimal
/// comma). `None` when it is not one.
fn parse_number(text: &str, decimal: Decimal) -> Option<String> {
    let text = text.trim();
    let swapped: String = match decimal {
        Decimal::Point => text.to_string(),
        Decimal::Comma => text
            .chars()
            .map(|c| match c {
                '.' => ',',
                ',' => '.',
                c => c,
            })
            .collect(),
    };
    let plain: String = swapped.chars().filter(|c| *c != ',').collect();
    let well_formed = !plain.is_empty()
        && plain
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+'))
        && plain.chars().any(|c| c.is_ascii_digit());
    if !well_formed {
        return None;
    }
    let x: f64 = plain.parse().ok()?;
    canonical_number(x)
}

fn canonical_number(x: f64) -> Option<String> {
    if !x.is_finite() || x.abs() > MAX_NUMBER {
        return None;
    }
    // `-0` is 0.
    let x = if x == 0.0 { 0.0 } else { x };
    Some(format!("{x}"))
}

/// A yes/no as people write one (`yes`, `x`, `1`, `on`, `是` …).
pub(crate) fn parse_yes_no(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "on" | "是" | "x" => Some(true),
        "no" | "n" | "false" | "0" | "off" | "否" => Some(false),
        _ => None,
    }
}

/// The choice of `choices` that `text` names, in any case.
fn find_choice<'a>(choices: &'a [String], text: &str) -> Option<&'a String> {
    let wanted = text.trim().to_lowercase();
    choices.iter().find(|c| c.to_lowercase() == wanted)
}

impl FieldDef {
    /// Reads a value as a user typed it; an empty text clears the field (`None`). The
    /// error says what is wrong without the field's name, which the caller adds.
    pub fn parse(&self, input: &str, typing: &Typing) -> Result<Option<FieldValue>, String> {
        let text = input.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let value = match self.kind {
            FieldType::Text => {
                if text.len() > MAX_VALUE_BYTES {
                    return Err(crate::t!(
                        "field-text-too-long",
                        bytes = text.len(),
                        most = MAX_VALUE_BYTES
                    ));
                }
                if text.contains(['\n', '\r']) {
                    return Err(crate::t!("field-text-lines"));
                }
                FieldValue::Text(text.to_string())
            }
            FieldType::Number => FieldValue::Number(
                parse_number(text, typing.decimal)
                    .ok_or_else(|| crate::t!("field-not-a-number", text = text))?,
            ),
            FieldType::Money => FieldValue::Money(
                Money::parse_in(text, &typing.currency, typing.decimal)
                    .map_err(|e| e.to_string())?,
            ),
            FieldType::Date => {
                FieldValue::Date(parse_date(text, typing.today).map_err(|e| e.to_string())?)
            }
            FieldType::YesNo => FieldValue::YesNo(
                parse_yes_no(text).ok_or_else(|| crate::t!("field-not-yes-no", text = text))?,
            ),
            FieldType::Choice => FieldValue::Choice(
                find_choice(&self.choices, text)
                    .ok_or_else(|| self.not_a_choice(text))?
                    .clone(),
            ),
            FieldType::MultiChoice => {
                let mut picked = Vec::new();
                for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                    let choice =
                        find_choice(&self.choices, part).ok_or_else(|| self.not_a_choice(part))?;
                    picked.push(choice.clone());
                }
                if picked.is_empty() {
                    return Ok(None);
                }
                FieldValue::Multi(self.in_order(picked))
            }
        };
        Ok(Some(value))
    }

    fn not_a_choice(&self, text: &str) -> String {
        crate::t!(
            "field-not-a-choice",
            text = text,
            choices = self.choices.join(", ")
        )
    }

    /// Choices in the field's own order, each once.
    fn in_order(&self, picked: Vec<String>) -> Vec<String> {
        self.choices
            .iter()
            .filter(|c| picked.contains(c))
            .cloned()
            .collect()
    }

    /// Reads a stored value; `None` for one that is not of this field's form (a value a
    /// teammate's file cannot bring, as the merge checks it: treated as empty).
    pub fn read(&self, stored: &str) -> Option<FieldValue> {
        read_stored(self.kind, stored)
    }
}

fn read_stored(kind: FieldType, stored: &str) -> Option<FieldValue> {
    if stored.is_empty() || stored.len() > MAX_VALUE_BYTES {
        return None;
    }
    Some(match kind {
        FieldType::Text => FieldValue::Text(stored.to_string()),
        FieldType::Number => {
            let x: f64 = stored.parse().ok()?;
            FieldValue::Number(canonical_number(x)?)
        }
        FieldType::Money => {
            let (amount, code) = stored.split_once(' ')?;
            let currency = Currency::stored(code).ok()?;
            if !amount.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
                return None;
            }
            let money = Money::parse(amount, &currency).ok()?;
            super::limits::check_amount(money.minor).ok()?;
            FieldValue::Money(money)
        }
        FieldType::Date => {
            check_date(stored).ok()?;
            FieldValue::Date(NaiveDate::parse_from_str(stored, "%Y-%m-%d").ok()?)
        }
        FieldType::YesNo => match stored {
            "yes" => FieldValue::YesNo(true),
            "no" => FieldValue::YesNo(false),
            _ => return None,
        },
        FieldType::Choice => FieldValue::Choice(stored.to_string()),
        FieldType::MultiChoice => FieldValue::Multi(stored.lines().map(str::to_string).collect()),
    })
}

/// Checks a value as stored in a teammate's file for a field of `kind` whose choices (as
/// this database or the file holds them) are `choices`: the merge refuses what fails.
pub fn check_stored(kind: FieldType, choices: &[String], stored: &str) -> Result<(), String> {
    if stored.len() > MAX_VALUE_BYTES {
        return Err(crate::t!(
            "limit-text-too-long",
            bytes = stored.len(),
            most = MAX_VALUE_BYTES
        ));
    }
    let value = read_stored(kind, stored)
        .ok_or_else(|| crate::t!("field-not-a-value", kind = kind.shown()))?;
    if value.stored() != stored {
        return Err(crate::t!("field-not-stored-value", kind = kind.shown()));
    }
    let chosen: Vec<&String> = match &value {
        FieldValue::Choice(c) => vec![c],
        FieldValue::Multi(cs) => cs.iter().collect(),
        FieldValue::Text(t) if t.contains(['\n', '\r']) => {
            return Err(crate::t!("field-text-lines"));
        }
        _ => Vec::new(),
    };
    if let Some(c) = chosen.iter().find(|c| !choices.contains(c)) {
        return Err(crate::t!("field-not-its-choice", choice = c.as_str()));
    }
    Ok(())
}

impl FieldValue {
    /// The canonical text stored in `field_values.value`.
    pub fn stored(&self) -> String {
        match self {
            FieldValue::Text(t) | FieldValue::Number(t) | FieldValue::Choice(t) => t.clone(),
            // `12500.50 USD`: exact, and readable where it is searched.
            FieldValue::Money(m) => format!("{} {}", m.decimal_string(), m.currency.code()),
            FieldValue::Date(d) => d.format("%Y-%m-%d").to_string(),
            FieldValue::YesNo(b) => if *b { "yes" } else { "no" }.to_string(),
            FieldValue::Multi(cs) => cs.join("\n"),
        }
    }

    /// The value for people: `12,500.00 EUR`, `2026-12-01`, `yes`, `a, b`.
    pub fn display(&self) -> String {
        match self {
            FieldValue::Money(m) => m.to_string(),
            FieldValue::Multi(cs) => cs.join(", "),
            other => other.stored(),
        }
    }

    /// The value as a form shows it for editing: what [`FieldDef::parse`] reads back.
    pub fn editable(&self) -> String {
        match self {
            FieldValue::Money(m) => format!("{} {}", m.decimal_string(), m.currency.code()),
            other => other.display(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(kind: FieldType, choices: &[&str]) -> FieldDef {
        FieldDef {
            id: def_id(Entity::Deal, kind, "F"),
            entity: Entity::Deal,
            name: "F".into(),
            kind,
            choices: choices.iter().map(|c| c.to_string()).collect(),
            required: false,
            position: 0,
        }
    }

    fn typing() -> Typing {
        Typing {
            today: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            currency: Currency::eur(),
            decimal: Decimal::Point,
        }
    }

    fn parse(kind: FieldType, choices: &[&str], text: &str) -> Result<Option<FieldValue>, String> {
        def(kind, choices).parse(text, &typing())
    }

    #[test]
    fn a_number_is_read_as_people_write_it_and_refused_when_it_is_not_one() {
        assert_eq!(
            parse(FieldType::Number, &[], "1,200.50"),
            Ok(Some(FieldValue::Number("1200.5".into())))
        );
        assert_eq!(
            parse(FieldType::Number, &[], "-3"),
            Ok(Some(FieldValue::Number("-3".into())))
        );
        for bad in ["abc", "inf", "NaN", "1e400", "12 apples", "-", "1e20"] {
            assert!(parse(FieldType::Number, &[], bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse(FieldType::Number, &[], "abc").unwrap_err(),
            "'abc' is not a number"
        );
        let comma = Typing {
            decimal: Decimal::Comma,
            ..typing()
        };
        assert_eq!(
            def(FieldType::Number, &[]).parse("1.200,5", &comma),
            Ok(Some(FieldValue::Number("1200.5".into())))
        );
    }

    #[test]
    fn a_date_must_be_a_date_and_relative_dates_are_resolved() {
        assert_eq!(
            parse(FieldType::Date, &[], "+1w"),
            Ok(Some(FieldValue::Date(
                NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
            )))
        );
        let soon = parse(FieldType::Date, &[], "soon").unwrap_err();
        assert!(soon.contains("'soon' is not a date"), "{soon}");
    }

    #[test]
    fn money_uses_the_amount_rules() {
        let v = parse(FieldType::Money, &[], "12,500.50 USD")
            .unwrap()
            .unwrap();
        assert_eq!(v.stored(), "12500.50 USD");
        assert_eq!(v.display(), "12,500.50 USD");
        assert_eq!(
            parse(FieldType::Money, &[], "3万")
                .unwrap()
                .unwrap()
                .stored(),
            "30000.00 EUR"
        );
        assert!(parse(FieldType::Money, &[], "-5").is_err());
        assert!(parse(FieldType::Money, &[], "lots").is_err());
    }

    #[test]
    fn choices_must_be_on_the_list_and_keep_its_spelling_and_order() {
        let sizes = ["Small", "Medium", "Large"];
        assert_eq!(
            parse(FieldType::Choice, &sizes, "medium"),
            Ok(Some(FieldValue::Choice("Medium".into())))
        );
        assert_eq!(
            parse(FieldType::Choice, &sizes, "huge").unwrap_err(),
            "'huge' is not one of Small, Medium, Large"
        );
        assert_eq!(
            parse(FieldType::MultiChoice, &sizes, "large, small, LARGE"),
            Ok(Some(FieldValue::Multi(vec![
                "Small".into(),
                "Large".into()
            ])))
        );
        assert!(parse(FieldType::MultiChoice, &sizes, "small,huge").is_err());
    }

    #[test]
    fn yes_no_text_and_empty_input() {
        assert_eq!(
            parse(FieldType::YesNo, &[], "Yes"),
            Ok(Some(FieldValue::YesNo(true)))
        );
        assert_eq!(
            parse(FieldType::YesNo, &[], "否"),
            Ok(Some(FieldValue::YesNo(false)))
        );
        assert!(parse(FieldType::YesNo, &[], "maybe").is_err());
        assert_eq!(parse(FieldType::Text, &[], "  "), Ok(None));
        assert!(parse(FieldType::Text, &[], &"x".repeat(MAX_VALUE_BYTES + 1)).is_err());
    }

    #[test]
    fn stored_values_round_trip_and_foreign_ones_are_refused() {
        let sizes: Vec<String> = ["S", "M"].iter().map(|s| s.to_string()).collect();
        for (kind, text) in [
            (FieldType::Text, "hello"),
            (FieldType::Number, "12.5"),
            (FieldType::Money, "100.00 EUR"),
            (FieldType::Money, "100 JPY"),
            (FieldType::Date, "2026-12-01"),
            (FieldType::YesNo, "yes"),
            (FieldType::Choice, "M"),
            (FieldType::MultiChoice, "S\nM"),
        ] {
            assert_eq!(check_stored(kind, &sizes, text), Ok(()), "{kind:?}");
        }
        for (kind, text) in [
            (FieldType::Number, "abc"),
            (FieldType::Number, "12.50"),
            (FieldType::Money, "-5.00 EUR"),
            (FieldType::Money, "5"),
            (FieldType::Money, "100 EUR"),
            (FieldType::Money, "1,000.00 EUR"),
            (FieldType::Date, "soon"),
            (FieldType::YesNo, "maybe"),
            (FieldType::Choice, "XL"),
            (FieldType::MultiChoice, "S\nXL"),
        ] {
            assert!(check_stored(kind, &sizes, text).is_err(), "{kind:?} {text}");
        }
        let huge = "x".repeat(MAX_VALUE_BYTES + 1);
        assert!(check_stored(FieldType::Text, &[], &huge).is_err());
    }

    #[test]
    fn names_types_choices_and_ids() {
        assert_eq!(check_name("  Budget "), Ok("Budget".into()));
        assert!(check_name("").is_err());
        assert!(check_name("a=b").is_err());
        assert!(check_name(&"x".repeat(MAX_NAME_CHARS + 1)).is_err());
        assert_eq!("yes/no".parse::<FieldType>(), Ok(FieldType::YesNo));
        assert_eq!(
            "Multi-Choice".parse::<FieldType>(),
            Ok(FieldType::MultiChoice)
        );
        assert!("colour".parse::<FieldType>().is_err());
        assert!(check_choices(FieldType::Choice, &[]).is_err());
        assert!(check_choices(FieldType::Number, &["a".into()]).is_err());
        assert!(check_choices(FieldType::Choice, &["a".into(), "A".into()]).is_err());
        let id = def_id(Entity::Customer, FieldType::Date, " Renewal Date ");
        assert_eq!(id, "customer:date:renewal date");
        assert_eq!(parse_def_id(&id), Some((Entity::Customer, FieldType::Date)));
        assert_eq!(parse_def_id("deal:colour:x"), None);
        assert_eq!(parse_def_id("deal:text:"), None);
    }
}
