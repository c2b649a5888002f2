//! Money as an integer count of minor units plus an ISO 4217 currency code.
//!
//! Amounts are never floats: `12,500.50 EUR` is `1250050` cents of `EUR`. Parsing is
//! strict and says what was wrong, because a mistyped amount in a pipeline is worse
//! than a refused one.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A three-letter ISO 4217 code, upper case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency(String);

impl Currency {
    /// The euro, the default currency of a new configuration.
    pub fn eur() -> Currency {
        Currency("EUR".to_string())
    }

    /// Digits after the decimal point for this currency (ISO 4217 minor unit).
    pub fn minor_digits(&self) -> u32 {
        match self.0.as_str() {
            "JPY" | "KRW" | "VND" | "CLP" | "ISK" | "UGX" | "PYG" | "XAF" | "XOF" => 0,
            "BHD" | "KWD" | "OMR" | "JOD" | "TND" | "IQD" | "LYD" => 3,
            _ => 2,
        }
    }

    pub fn code(&self) -> &str {
        &self.0
    }
}

impl Currency {
    /// A code as a record already holds it: any three letters. Earlier versions took any
    /// such code, and a teammate's may still, so a book keeps opening with one that ISO
    /// 4217 does not know; what is typed or imported is checked ([`FromStr`]).
    pub fn stored(code: &str) -> Result<Currency, MoneyError> {
        let code = code.trim().to_ascii_uppercase();
        if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(Currency(code))
        } else {
            Err(MoneyError::BadCurrency(code))
        }
    }

    /// Whether ISO 4217 lists `code` (upper case), current or superseded (a book may
    /// hold deals in kuna or leva from before the euro).
    fn is_iso(code: &str) -> bool {
        iso_currency::Currency::from_code(code).is_some()
    }

    /// Codes close to a mistyped three-letter one, for the error message: what people
    /// write instead of the code (RMB for CNY), then the ISO codes with two neighbouring
    /// letters swapped or one letter off; at most three.
    fn suggestions(code: &str) -> Vec<String> {
        const INSTEAD: [(&str, &str); 5] = [
            ("RMB", "CNY"),
            ("NTD", "TWD"),
            ("UKP", "GBP"),
            ("STG", "GBP"),
            ("YEN", "JPY"),
        ];
        let mut found: Vec<String> = INSTEAD
            .iter()
            .filter(|(typed, _)| *typed == code)
            .map(|(_, iso)| iso.to_string())
            .collect();
        let letters: Vec<u8> = code.bytes().collect();
        let mut near: Vec<Vec<u8>> = Vec::new();
        for i in 0..letters.len().saturating_sub(1) {
            let mut v = letters.clone();
            v.swap(i, i + 1);
            near.push(v);
        }
        // The first two letters are mostly the country's (ISO 3166): a wrong last letter
        // is the likeliest slip, so its neighbours come first.
        for i in (0..letters.len()).rev() {
            for c in b'A'..=b'Z' {
                let mut v = letters.clone();
                v[i] = c;
                near.push(v);
            }
        }
        for v in near {
            let candidate = String::from_utf8_lossy(&v).into_owned();
            if candidate != code && Self::is_iso(&candidate) && !found.contains(&candidate) {
                found.push(candidate);
            }
        }
        found.truncate(3);
        found
    }
}

/// Parses what a person or a file gives as a currency: a three-letter ISO 4217 code, any
/// case. A code ISO 4217 does not list is refused with the close ones that it does.
impl FromStr for Currency {
    type Err = MoneyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let typed = s.trim();
        let code = typed.to_ascii_uppercase();
        if !(code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())) {
            return Err(MoneyError::BadCurrency(typed.to_string()));
        }
        if Currency::is_iso(&code) {
            return Ok(Currency(code));
        }
        let suggestions = Currency::suggestions(&code);
        Err(if suggestions.is_empty() {
            MoneyError::NotIso(code)
        } else {
            MoneyError::UnknownCurrency {
                code,
                suggestions: suggestions.join(", "),
            }
        })
    }
}

impl TryFrom<String> for Currency {
    type Error = MoneyError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.0
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("{}", crate::t!("err-MoneyError-Empty"))]
    Empty,
    #[error("{}", crate::t!("err-MoneyError-Negative", arg0 = .0.as_str()))]
    Negative(String),
    #[error("{}", crate::t!("err-MoneyError-NotANumber", arg0 = .0.to_string()))]
    NotANumber(String),
    #[error("{}", crate::t!("err-MoneyError-NotACommaNumber", arg0 = .0.to_string()))]
    NotACommaNumber(String),
    #[error("{}", crate::t!("err-MoneyError-TooPrecise", input = .input.to_string(), digits = .digits.to_string(), currency = .currency.to_string()))]
    TooPrecise {
        input: String,
        digits: u32,
        currency: String,
    },
    #[error("{}", crate::t!("err-MoneyError-TooLarge", arg0 = .0.to_string()))]
    TooLarge(String),
    #[error("{}", crate::t!("err-MoneyError-BadCurrency", arg0 = .0.to_string()))]
    BadCurrency(String),
    #[error("{}", crate::t!("err-MoneyError-NotIso", arg0 = .0.to_string()))]
    NotIso(String),
    #[error("{}", crate::t!("err-MoneyError-UnknownCurrency", code = .code.to_string(), suggestions = .suggestions.to_string()))]
    UnknownCurrency { code: String, suggestions: String },
    #[error("{}", crate::t!("err-MoneyError-BadGrouping", input = .input.to_string(), example = .example.to_string()))]
    BadGrouping {
        input: String,
        example: &'static str,
    },
}

/// How amounts are written where the user is: `12,500.50` (a decimal point, as in
/// English and Chinese) or `12.500,50` (a decimal comma, as in German, French or
/// Spanish). Only what is typed follows it; files and `--json` keep the point.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decimal {
    #[default]
    #[serde(rename = ".")]
    Point,
    #[serde(rename = ",")]
    Comma,
}

impl Decimal {
    /// The separator of a POSIX locale name (`de_DE.UTF-8`, `fr_FR`, `C`): a comma for
    /// the languages that write one, else a point.
    pub fn of_locale(locale: &str) -> Decimal {
        // Languages whose CLDR decimal separator is a comma.
        const COMMA: &[&str] = &[
            "af", "az", "be", "bg", "bs", "ca", "cs", "da", "de", "el", "es", "et", "eu", "fi",
            "fo", "fr", "gl", "hr", "hu", "hy", "id", "is", "it", "ka", "kk", "ky", "lt", "lv",
            "mk", "mn", "nb", "nl", "nn", "no", "pl", "pt", "ro", "ru", "sk", "sl", "sq", "sr",
            "sv", "tr", "uk", "uz", "vi",
        ];
        let language = locale
            .split(['_', '.', '@', '-'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if COMMA.contains(&language.as_str()) {
            Decimal::Comma
        } else {
            Decimal::Point
        }
    }
}

/// Chinese counting units after a number: `12万` is 120,000, `1.2亿` 120,000,000.
const CHINESE_UNITS: [(char, u32); 3] = [('万', 4), ('萬', 4), ('亿', 8)];

/// An amount of one currency.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Self {
        Money { minor, currency }
    }

    pub fn zero(currency: Currency) -> Self {
        Money { minor: 0, currency }
    }

    /// Parses `12500`, `12,500.50`, `12500 EUR` or `EUR 12500`, with a decimal point. A
    /// currency written in the text wins over `default_currency`.
    pub fn parse(input: &str, default_currency: &Currency) -> Result<Money, MoneyError> {
        Money::parse_in(input, default_currency, Decimal::Point)
    }

    /// Parses an amount as the user writes it: [`Money::parse`]'s forms with the
    /// `decimal` separator of their locale (`12.500,50 EUR` with [`Decimal::Comma`]), and
    /// in any locale a Chinese unit (`12万`, `1.2万`, `3亿`) and `元` for yuan
    /// (`12万元` is 120,000 CNY).
    pub fn parse_in(
        input: &str,
        default_currency: &Currency,
        decimal: Decimal,
    ) -> Result<Money, MoneyError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(MoneyError::Empty);
        }
        // `12 万` and `12 万元` are written with a space as often as without.
        let compact: String;
        let text = if text.contains([' ', '\u{3000}']) {
            compact = ["万", "萬", "亿", "元"]
                .iter()
                .fold(text.to_string(), |t, unit| {
                    t.replace(&format!(" {unit}"), unit)
                        .replace(&format!("\u{3000}{unit}"), unit)
                });
            compact.as_str()
        } else {
            text
        };
        let mut currency = default_currency.clone();
        let yuan = text.strip_suffix('元').map(str::trim_end);
        if yuan.is_some() {
            currency = Currency("CNY".into());
        }
        let mut number = yuan.unwrap_or(text);
        let parts: Vec<&str> = text.split_whitespace().collect();
        if parts.len() == 2 {
            let (a, b) = (parts[0], parts[1]);
            if a.chars().all(|c| c.is_ascii_alphabetic()) {
                currency = a.parse()?;
                number = b;
            } else if b.chars().all(|c| c.is_ascii_alphabetic()) {
                currency = b.parse()?;
                number = a;
            } else {
                return Err(MoneyError::NotANumber(text.to_string()));
            }
        } else if parts.len() > 2 {
            return Err(MoneyError::NotANumber(text.to_string()));
        }
        if yuan.is_some() && currency.code() != "CNY" {
            return Err(MoneyError::NotANumber(text.to_string()));
        }
        // `12万`: the unit moves the decimal point, so it is read as that many more
        // decimal places (12万 with 2 digits is 12 × 10⁶ minor units).
        let (number, shift) = match CHINESE_UNITS
            .iter()
            .find_map(|(unit, zeros)| Some((number.strip_suffix(*unit)?, *zeros)))
        {
            Some((n, zeros)) => (n.trim_end(), zeros),
            None => (number, 0),
        };
        // A decimal comma is read by swapping the two marks: 12.500,50 is 12,500.50.
        let swapped: String;
        let number = match decimal {
            Decimal::Point => number,
            Decimal::Comma => {
                swapped = number
                    .chars()
                    .map(|c| match c {
                        '.' => ',',
                        ',' => '.',
                        c => c,
                    })
                    .collect();
                &swapped
            }
        };
        let digits = currency.minor_digits();
        let minor =
            parse_decimal(number, digits + shift, text, &currency).map_err(|e| match e {
                MoneyError::TooPrecise {
                    input, currency, ..
                } => MoneyError::TooPrecise {
                    input,
                    digits,
                    currency,
                },
                MoneyError::NotANumber(input) if decimal == Decimal::Comma => {
                    MoneyError::NotACommaNumber(input)
                }
                MoneyError::BadGrouping { input, .. } if decimal == Decimal::Comma => {
                    MoneyError::BadGrouping {
                        input,
                        example: "12.500",
                    }
                }
                e => e,
            })?;
        Ok(Money { minor, currency })
    }

    /// `12,500.50` — grouped, with the currency's minor digits, no currency code.
    pub fn format_amount(&self) -> String {
        format_minor(self.minor, self.currency.minor_digits(), true)
    }

    /// `12500.50` — plain decimal string for machine output.
    pub fn decimal_string(&self) -> String {
        format_minor(self.minor, self.currency.minor_digits(), false)
    }

    /// `12.5k EUR` style for narrow cards and column headers (`¥12.5k` in Chinese).
    pub fn format_short(&self) -> String {
        with_currency(
            short_number(self.minor, self.currency.minor_digits()),
            &self.currency,
        )
    }
}

/// An amount with its currency as people read it: `12,500.00 EUR`; in the Chinese
/// interface yuan are written the Chinese way, `¥12,500.00`.
fn with_currency(number: String, currency: &Currency) -> String {
    if currency.code() == "CNY" && crate::i18n::current() == crate::i18n::Lang::ZhCn {
        format!("¥{number}")
    } else {
        format!("{number} {currency}")
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&with_currency(self.format_amount(), &self.currency))
    }
}

/// A sum of amounts of one currency. Each amount fits in 64 bits; a sum of many need not
/// (a team file may carry amounts near the limit), so sums are 128-bit and never wrap.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Total {
    pub minor: i128,
    pub currency: Currency,
}

impl Total {
    pub fn new(minor: i128, currency: Currency) -> Self {
        Total { minor, currency }
    }

    /// `12500.50` — plain decimal string for machine output.
    pub fn decimal_string(&self) -> String {
        format_wide_minor(self.minor, self.currency.minor_digits(), false)
    }

    /// `12.5k EUR` style for narrow cards and column headers (`¥12.5k` in Chinese).
    pub fn format_short(&self) -> String {
        with_currency(
            short_wide_number(self.minor, self.currency.minor_digits()),
            &self.currency,
        )
    }
}

impl fmt::Display for Total {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&with_currency(
            format_wide_minor(self.minor, self.currency.minor_digits(), true),
            &self.currency,
        ))
    }
}

fn parse_decimal(
    number: &str,
    digits: u32,
    whole_input: &str,
    currency: &Currency,
) -> Result<i64, MoneyError> {
    if number.starts_with('-') {
        return Err(MoneyError::Negative(whole_input.to_string()));
    }
    let number = number.strip_prefix('+').unwrap_or(number);
    let (int_part, frac_part) = match number.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (number, None),
    };
    let bad = || MoneyError::NotANumber(whole_input.to_string());
    if int_part.is_empty() && frac_part.is_none_or(str::is_empty) {
        return Err(bad());
    }
    if !int_part.chars().all(|c| c.is_ascii_digit() || c == ',') {
        return Err(bad());
    }
    if int_part.contains(',') {
        let groups: Vec<&str> = int_part.split(',').collect();
        let first_ok = (1..=3).contains(&groups[0].len());
        let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
        if !first_ok || !rest_ok {
            return Err(MoneyError::BadGrouping {
                input: whole_input.to_string(),
                example: "12,500",
            });
        }
    }
    let digits_only: String = int_part.chars().filter(|c| *c != ',').collect();
    let frac = frac_part.unwrap_or("");
    if !frac.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let frac_trimmed = frac.trim_end_matches('0');
    if frac_trimmed.len() > digits as usize {
        return Err(MoneyError::TooPrecise {
            input: whole_input.to_string(),
            digits,
            currency: currency.to_string(),
        });
    }
    let too_large = || MoneyError::TooLarge(whole_input.to_string());
    let whole: i64 = if digits_only.is_empty() {
        0
    } else {
        digits_only.parse().map_err(|_| too_large())?
    };
    let mut frac_value: i64 = 0;
    for i in 0..digits as usize {
        let d = frac_trimmed
            .as_bytes()
            .get(i)
            .map_or(0, |b| i64::from(b - b'0'));
        frac_value = frac_value * 10 + d;
    }
    whole
        .checked_mul(10_i64.pow(digits))
        .and_then(|w| w.checked_add(frac_value))
        // Keep far from i64::MAX so sums of many deals cannot overflow.
        .filter(|v| *v <= 1_000_000_000_000_000)
        .ok_or_else(too_large)
}

fn group_thousands(n: u128) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Formats a minor-unit count; `grouped` adds thousands separators.
pub fn format_minor(minor: i64, digits: u32, grouped: bool) -> String {
    format_wide_minor(i128::from(minor), digits, grouped)
}

/// [`format_minor`] for a sum of amounts, which may not fit in 64 bits.
pub fn format_wide_minor(minor: i128, digits: u32, grouped: bool) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    let scale = 10_u128.pow(digits);
    let whole = abs / scale;
    let frac = abs % scale;
    let whole_text = if grouped {
        group_thousands(whole)
    } else {
        whole.to_string()
    };
    if digits == 0 {
        format!("{sign}{whole_text}")
    } else {
        format!("{sign}{whole_text}.{frac:0width$}", width = digits as usize)
    }
}

/// `950`, `12.5k`, `1.2M` — an amount in as few characters as is honest.
pub fn short_number(minor: i64, digits: u32) -> String {
    short_wide_number(i128::from(minor), digits)
}

/// [`short_number`] for a sum of amounts, which may not fit in 64 bits.
pub fn short_wide_number(minor: i128, digits: u32) -> String {
    let value = minor as f64 / 10_f64.powi(digits as i32);
    let abs = value.abs();
    if abs >= 1_000_000_000.0 {
        format!("{:.1}B", value / 1_000_000_000.0)
    } else if abs >= 1_000_000.0 {
        format!("{:.1}M", value / 1_000_000.0)
    } else if abs >= 10_000.0 {
        format!("{:.0}k", value / 1_000.0)
    } else if abs >= 1_000.0 {
        format!("{:.1}k", value / 1_000.0)
    } else {
        format!("{value:.0}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur() -> Currency {
        "EUR".parse().unwrap()
    }

    #[test]
    fn parses_plain_grouped_and_with_currency() {
        assert_eq!(Money::parse("12500", &eur()).unwrap().minor, 1_250_000);
        assert_eq!(Money::parse("12,500.50", &eur()).unwrap().minor, 1_250_050);
        let m = Money::parse("12500 USD", &eur()).unwrap();
        assert_eq!((m.minor, m.currency.code()), (1_250_000, "USD"));
        let m = Money::parse("gbp 3.5", &eur()).unwrap();
        assert_eq!((m.minor, m.currency.code()), (350, "GBP"));
        assert_eq!(Money::parse("0", &eur()).unwrap().minor, 0);
        assert_eq!(Money::parse(".5", &eur()).unwrap().minor, 50);
    }

    #[test]
    fn a_decimal_comma_reads_where_the_locale_writes_one() {
        let comma = |t: &str| Money::parse_in(t, &eur(), Decimal::Comma);
        assert_eq!(comma("12.500,50").unwrap().minor, 1_250_050);
        assert_eq!(comma("12500,5 EUR").unwrap().minor, 1_250_050);
        assert_eq!(comma("12,5").unwrap().minor, 1_250);
        assert_eq!(comma("12.500").unwrap().minor, 1_250_000);
        // The same text means something else with a decimal point, so it is never guessed.
        assert_eq!(Money::parse("12.500", &eur()).unwrap().minor, 1_250);
        assert!(matches!(
            comma("12.50,5"),
            Err(MoneyError::BadGrouping {
                example: "12.500",
                ..
            })
        ));
        let err = comma("12,500.50").unwrap_err().to_string();
        assert!(err.contains("12.500,50"), "{err}");
        assert_eq!(Decimal::of_locale("de_DE.UTF-8"), Decimal::Comma);
        assert_eq!(Decimal::of_locale("fr"), Decimal::Comma);
        assert_eq!(Decimal::of_locale("en_US.UTF-8"), Decimal::Point);
        assert_eq!(Decimal::of_locale("zh_CN.UTF-8"), Decimal::Point);
        assert_eq!(Decimal::of_locale("C"), Decimal::Point);
    }

    #[test]
    fn chinese_units_and_yuan() {
        let cny: Currency = "CNY".parse().unwrap();
        let point = |t: &str| Money::parse(t, &cny).unwrap();
        assert_eq!(point("12万").minor, 12_000_000);
        assert_eq!(point("1.2万").minor, 1_200_000);
        assert_eq!(point("1.2345万").minor, 1_234_500);
        assert_eq!(point("3亿").minor, 30_000_000_000);
        assert_eq!(point("12 万").minor, 12_000_000);
        // 元 is the yuan, whatever the default currency.
        let yuan = Money::parse("12万元", &eur()).unwrap();
        assert_eq!((yuan.minor, yuan.currency.code()), (12_000_000, "CNY"));
        assert_eq!(Money::parse("88元", &eur()).unwrap().minor, 8_800);
        // A unit keeps the currency's precision: 1.0000001万 is 10,000.001.
        assert!(matches!(
            Money::parse("1.0000001万", &cny),
            Err(MoneyError::TooPrecise { digits: 2, .. })
        ));
        assert!(Money::parse("12万元 EUR", &cny).is_err());
        assert!(Money::parse("万", &cny).is_err());
        assert!(matches!(
            Money::parse("99999999亿", &cny),
            Err(MoneyError::TooLarge(_))
        ));
        // A comma locale reads 1,2万 as 12,000.
        assert_eq!(
            Money::parse_in("1,2万", &cny, Decimal::Comma)
                .unwrap()
                .minor,
            1_200_000
        );
    }

    #[test]
    fn currencies_are_iso_4217_codes() {
        assert_eq!("cny".parse::<Currency>().unwrap().code(), "CNY");
        assert_eq!(" usd ".parse::<Currency>().unwrap().code(), "USD");
        // Superseded codes stay: a book may hold deals from before the euro.
        assert!("HRK".parse::<Currency>().is_ok());
        assert_eq!(
            "XYZ".parse::<Currency>().unwrap_err().to_string(),
            "currency 'XYZ' is not an ISO 4217 code; use one such as EUR, USD or CNY"
        );
        assert_eq!(
            "eur0".parse::<Currency>().unwrap_err(),
            MoneyError::BadCurrency("eur0".into())
        );
        assert!(matches!(
            Money::parse("12000 XYZ", &eur()),
            Err(MoneyError::NotIso(code)) if code == "XYZ"
        ));
    }

    #[test]
    fn a_mistyped_currency_gets_the_close_codes() {
        let suggested = |code: &str| match code.parse::<Currency>() {
            Err(MoneyError::UnknownCurrency { suggestions, .. }) => suggestions,
            other => panic!("{code}: {other:?}"),
        };
        assert_eq!(suggested("rmb"), "CNY, RUB");
        assert!(suggested("UER").starts_with("EUR,"), "{}", suggested("UER"));
        assert_eq!(suggested("USS"), "USD, USN, UZS");
        assert_eq!(
            "EUE".parse::<Currency>().unwrap_err().to_string(),
            "currency 'EUE' is not an ISO 4217 code; did you mean EUR?"
        );
    }

    #[test]
    fn a_stored_code_is_read_even_when_iso_does_not_know_it() {
        assert_eq!(Currency::stored("XYZ").unwrap().code(), "XYZ");
        assert!(Currency::stored("EURO").is_err());
    }

    #[test]
    fn zero_decimal_currencies_use_whole_units() {
        let m = Money::parse("1,000 JPY", &eur()).unwrap();
        assert_eq!(m.minor, 1000);
        assert_eq!(m.to_string(), "1,000 JPY");
        assert!(matches!(
            Money::parse("10.5 JPY", &eur()),
            Err(MoneyError::TooPrecise { .. })
        ));
    }

    #[test]
    fn rejects_bad_amounts_with_a_reason() {
        let err = Money::parse("12,5x", &eur()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "amount '12,5x' is not a number (use digits, an optional '.' and ',' between thousands, e.g. 12,500.50)"
        );
        assert!(matches!(
            Money::parse("-3", &eur()),
            Err(MoneyError::Negative(_))
        ));
        assert!(
            Money::parse("-3", &eur())
                .unwrap_err()
                .to_string()
                .contains("negative")
        );
        assert!(matches!(
            Money::parse("1e9999", &eur()),
            Err(MoneyError::NotANumber(_))
        ));
        assert!(matches!(
            Money::parse("99999999999999999999", &eur()),
            Err(MoneyError::TooLarge(_))
        ));
        assert!(matches!(
            Money::parse("1,00", &eur()),
            Err(MoneyError::BadGrouping { .. })
        ));
        assert!(matches!(
            Money::parse("10 EURO", &eur()),
            Err(MoneyError::BadCurrency(_))
        ));
        assert!(matches!(Money::parse("  ", &eur()), Err(MoneyError::Empty)));
        assert!(matches!(
            Money::parse("1.234", &eur()),
            Err(MoneyError::TooPrecise { .. })
        ));
    }

    #[test]
    fn yuan_read_the_chinese_way_in_the_chinese_interface() {
        use crate::i18n::{Lang, use_in_thread};
        let cny: Currency = "CNY".parse().unwrap();
        let m = Money::new(1_250_050, cny.clone());
        use_in_thread(Lang::ZhCn);
        let (zh, zh_short, zh_eur) = (
            m.to_string(),
            m.format_short(),
            Money::new(100, eur()).to_string(),
        );
        use_in_thread(Lang::En);
        assert_eq!(zh, "¥12,500.50");
        assert_eq!(zh_short, "¥13k");
        assert_eq!(m.format_short(), "13k CNY");
        assert_eq!(zh_eur, "1.00 EUR");
        assert_eq!(m.to_string(), "12,500.50 CNY");
        assert_eq!(
            m.decimal_string(),
            "12500.50",
            "machines read the same in any language"
        );
    }

    #[test]
    fn formats_for_people_and_machines() {
        let m = Money::new(1_250_050, eur());
        assert_eq!(m.to_string(), "12,500.50 EUR");
        assert_eq!(m.decimal_string(), "12500.50");
        assert_eq!(m.format_short(), "13k EUR");
        assert_eq!(short_number(123_456, 2), "1.2k");
        assert_eq!(short_number(250_000_000, 2), "2.5M");
        assert_eq!(short_number(95_000, 2), "950");
    }
}
