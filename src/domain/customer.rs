//! Customers: the long-lived relationships, kept apart from the deals that sell to them.

use serde::{Deserialize, Serialize};

use super::time::{Millis, days_between};

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal, { $($variant:ident => $text:literal / $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stored and machine-readable form.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The form shown to people, in the interface's language (`$label` in
            /// English; the catalogue key is `enum-<Type>-<stored form>`).
            pub fn label(self) -> String {
                crate::i18n::message(&self.label_key(), &[])
            }

            /// The catalogue key of [`Self::label`].
            pub fn label_key(self) -> String {
                format!("enum-{}-{}", stringify!($name), self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let wanted = s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == wanted)
                    .ok_or_else(|| {
                        let all: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                        crate::t!(
                            "error-not-one-of",
                            value = s.trim(),
                            what = crate::i18n::noun($what),
                            all = all.join(", ")
                        )
                    })
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use text_enum;

text_enum!(
    /// How important a customer is; sets how often they should be visited.
    Tier, "tier", { Key => "key" / "Key", Normal => "normal" / "Normal", Low => "low" / "Low" }
);

text_enum!(
    /// Where a relationship stands.
    CustomerStatus, "customer status", {
        Prospect => "prospect" / "Prospect",
        Active => "active" / "Active",
        AtRisk => "at_risk" / "At risk",
        Churned => "churned" / "Churned",
    }
);

text_enum!(
    CustomerKind, "customer kind", { Company => "company" / "Company", Person => "person" / "Person" }
);

/// Days between contacts before a revisit is due, per tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Cadence {
    pub key: i64,
    pub normal: i64,
    pub low: i64,
}

impl Default for Cadence {
    fn default() -> Self {
        Cadence {
            key: 14,
            normal: 30,
            low: 90,
        }
    }
}

impl Cadence {
    pub fn days(&self, tier: Tier) -> i64 {
        match tier {
            Tier::Key => self.key,
            Tier::Normal => self.normal,
            Tier::Low => self.low,
        }
    }

    /// The shortest cadence of any tier: nobody contacted more recently than this ago can
    /// be due a revisit, whatever their tier.
    pub fn shortest(&self) -> i64 {
        self.key.min(self.normal).min(self.low)
    }
}

/// A customer as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Customer {
    pub id: String,
    pub name: String,
    pub kind: CustomerKind,
    pub industry: Option<String>,
    pub region: Option<String>,
    pub tier: Tier,
    pub status: CustomerStatus,
    pub owner_id: Option<String>,
    pub satisfaction: Option<i64>,
    pub source: Option<String>,
    pub website: Option<String>,
    pub notes: Option<String>,
    pub created_at: Millis,
    pub updated_at: Millis,
}

/// When the next revisit is due: the last contact (or, never contacted, the day the
/// customer was added) plus the tier's cadence.
pub fn revisit_due_at(
    last_contact: Option<Millis>,
    created_at: Millis,
    tier: Tier,
    cadence: &Cadence,
) -> Millis {
    last_contact.unwrap_or(created_at) + cadence.days(tier) * 86_400_000
}

/// Whether a revisit is due: no contact for longer than the tier's cadence. Churned
/// customers are not chased.
pub fn is_revisit_due(
    status: CustomerStatus,
    last_contact: Option<Millis>,
    created_at: Millis,
    tier: Tier,
    cadence: &Cadence,
    now: Millis,
) -> bool {
    status != CustomerStatus::Churned
        && now > revisit_due_at(last_contact, created_at, tier, cadence)
}

/// Whole days since the last contact, if there was one.
pub fn days_since_contact(last_contact: Option<Millis>, now: Millis) -> Option<i64> {
    last_contact.map(|t| days_between(t, now))
}

/// Satisfaction is 1–5.
pub fn validate_satisfaction(value: i64) -> Result<i64, String> {
    if (1..=5).contains(&value) {
        Ok(value)
    } else {
        Err(format!("satisfaction {value} is out of range; use 1 to 5"))
    }
}

/// A light check of an email address: something@domain.tld, no spaces.
pub fn validate_email(email: &str) -> Result<(), String> {
    let e = email.trim();
    let bad = || crate::t!("error-not-an-email", email = e);
    let (local, domain) = e.split_once('@').ok_or_else(bad)?;
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !domain.contains("..");
    if local.is_empty() || !domain_ok || e.chars().any(char::is_whitespace) {
        return Err(bad());
    }
    Ok(())
}

/// A light check of a phone number: digits with the usual punctuation, 5–20 digits.
pub fn validate_phone(phone: &str) -> Result<(), String> {
    let p = phone.trim();
    let digits = p.chars().filter(char::is_ascii_digit).count();
    let allowed = p
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().x/".contains(c));
    if allowed && (5..=20).contains(&digits) {
        Ok(())
    } else {
        Err(crate::t!("error-not-a-phone", phone = p))
    }
}

/// Tags are trimmed, non-empty and at most 40 characters.
pub fn normalize_tag(tag: &str) -> Result<String, String> {
    let t = tag.trim();
    if t.is_empty() {
        return Err(crate::t!("tag-empty"));
    }
    if t.chars().count() > 40 {
        return Err(crate::t!("tag-too-long", tag = t, most = 40));
    }
    Ok(t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;

    #[test]
    fn revisit_uses_tier_cadence() {
        let c = Cadence::default();
        let now = 100 * DAY;
        let last = Some(now - 15 * DAY);
        assert!(is_revisit_due(
            CustomerStatus::Active,
            last,
            0,
            Tier::Key,
            &c,
            now
        ));
        assert!(!is_revisit_due(
            CustomerStatus::Active,
            last,
            0,
            Tier::Normal,
            &c,
            now
        ));
        assert!(!is_revisit_due(
            CustomerStatus::Churned,
            last,
            0,
            Tier::Key,
            &c,
            now
        ));
        // Never contacted: counts from creation.
        assert!(!is_revisit_due(
            CustomerStatus::Prospect,
            None,
            now - 10 * DAY,
            Tier::Key,
            &c,
            now
        ));
        assert!(is_revisit_due(
            CustomerStatus::Prospect,
            None,
            now - 91 * DAY,
            Tier::Low,
            &c,
            now
        ));
        assert_eq!(days_since_contact(last, now), Some(15));
    }

    #[test]
    fn parses_enums_with_helpful_errors() {
        assert_eq!(
            "at risk".parse::<CustomerStatus>().unwrap(),
            CustomerStatus::AtRisk
        );
        assert_eq!("KEY".parse::<Tier>().unwrap(), Tier::Key);
        let err = "gold".parse::<Tier>().unwrap_err();
        assert_eq!(err, "'gold' is not a tier; use one of key, normal, low");
    }

    #[test]
    fn contact_checks() {
        assert!(validate_email("bob@example.com").is_ok());
        assert!(validate_email("bob@").is_err());
        assert!(validate_email("bob@example").is_err());
        assert!(validate_email("b ob@example.com").is_err());
        assert!(validate_phone("+49 (30) 123-4567").is_ok());
        assert!(validate_phone("call me").is_err());
        assert!(validate_satisfaction(6).is_err());
        assert!(normalize_tag("  ").is_err());
    }
}
