//! Contacts as vCards: read from what phones and mail programs export (vCard 2.1 and 3.0
//! from Android, iOS and Outlook, 4.0 from Google and newer programs), written as vCard
//! 4.0 (RFC 6350).
//!
//! Written here rather than with a crate: the crates that parse vCard read 4.0 only, or
//! do not decode the quoted-printable, charset-tagged lines Android still writes, and a
//! contact import needs little of vCard (names, organisation, title, phones, emails,
//! notes, UID). The reader is tolerant of what it does not use and strict on size.

use std::fmt::Write as _;

use super::records::{ContactRecord, RowError};
use crate::domain::customer::{validate_email, validate_phone};

/// The most cards one file may hold, and the longest line, before it is taken for
/// something other than an address book.
const MAX_CARDS: usize = 1_000_000;
const MAX_LINE: usize = 1 << 20;

/// One card's properties we use.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Card {
    line: u64,
    uid: Option<String>,
    formatted: Option<String>,
    structured: Option<String>,
    org: Option<String>,
    title: Option<String>,
    emails: Vec<String>,
    phones: Vec<(bool, String)>,
    note: Option<String>,
}

/// Reads every card of a vCard file as a contact record; a card that cannot be one (no
/// name, no organisation and no default customer, a bad email) is an error at its line.
pub fn read(
    text: &str,
    default_customer: Option<&str>,
) -> Result<Vec<Result<ContactRecord, RowError>>, String> {
    let text = text.trim_start_matches('\u{feff}');
    if !text
        .trim_start()
        .to_ascii_uppercase()
        .starts_with("BEGIN:VCARD")
    {
        return Err(crate::t!("vcard-not-vcard"));
    }
    let mut cards = Vec::new();
    let mut card: Option<Card> = None;
    let mut unclosed: Vec<u64> = Vec::new();
    for (line_no, line) in unfold(text) {
        if line.len() > MAX_LINE {
            return Err(crate::t!(
                "vcard-line-too-long",
                line = line_no,
                kb = line.len() / 1024
            ));
        }
        let Some((head, value)) = line.split_once(':') else {
            continue;
        };
        let mut params = head.split(';');
        let name = params.next().unwrap_or("").trim();
        // Grouped properties (`item1.EMAIL`) are read as the property itself.
        let name = name.rsplit('.').next().unwrap_or(name).to_ascii_uppercase();
        let params: Vec<String> = params.map(str::to_ascii_uppercase).collect();
        let value = decode(value, &params);
        match name.as_str() {
            "BEGIN" if value.eq_ignore_ascii_case("VCARD") => {
                if let Some(open) = &card {
                    unclosed.push(open.line);
                }
                card = Some(Card {
                    line: line_no,
                    ..Card::default()
                });
            }
            "END" if value.eq_ignore_ascii_case("VCARD") => {
                if let Some(done) = card.take() {
                    cards.push(done);
                    if cards.len() > MAX_CARDS {
                        return Err(crate::t!("vcard-too-many-cards", most = MAX_CARDS));
                    }
                }
            }
            _ => {
                let Some(c) = card.as_mut() else { continue };
                let text = unescape(&value);
                let set = |slot: &mut Option<String>| {
                    if slot.is_none() && !text.trim().is_empty() {
                        *slot = Some(text.trim().to_string());
                    }
                };
                match name.as_str() {
                    "UID" => set(&mut c.uid),
                    "FN" => set(&mut c.formatted),
                    "N" => {
                        // family;given;additional;prefixes;suffixes → "given family".
                        let parts = split_unescaped(&value, ';');
                        let get = |i: usize| parts.get(i).map(|p| unescape(p)).unwrap_or_default();
                        let joined = [get(3), get(1), get(2), get(0), get(4)]
                            .into_iter()
                            .filter(|p| !p.trim().is_empty())
                            .collect::<Vec<_>>()
                            .join(" ");
                        if c.structured.is_none() && !joined.is_empty() {
                            c.structured = Some(joined);
                        }
                    }
                    "ORG" => {
                        let first = split_unescaped(&value, ';')
                            .first()
                            .map(|o| unescape(o))
                            .unwrap_or_default();
                        if c.org.is_none() && !first.trim().is_empty() {
                            c.org = Some(first.trim().to_string());
                        }
                    }
                    "TITLE" => set(&mut c.title),
                    "NOTE" => set(&mut c.note),
                    "EMAIL" if !text.trim().is_empty() => c.emails.push(text.trim().to_string()),
                    "TEL" if !text.trim().is_empty() => {
                        let number = text.trim().trim_start_matches("tel:").to_string();
                        let preferred = params.iter().any(|p| {
                            p.contains("PREF") || p.contains("WORK") || p.contains("CELL")
                        });
                        c.phones.push((preferred, number));
                    }
                    _ => {}
                }
            }
        }
    }
    if let Some(open) = &card {
        unclosed.push(open.line);
    }
    let mut out: Vec<Result<ContactRecord, RowError>> = cards
        .into_iter()
        .map(|c| contact(c, default_customer))
        .collect();
    // A card cut off (no END:VCARD) is said, not dropped without a word.
    out.extend(unclosed.into_iter().map(|line| {
        Err(RowError {
            line,
            column: None,
            message: crate::t!("vcard-no-end"),
        })
    }));
    Ok(out)
}

fn contact(c: Card, default_customer: Option<&str>) -> Result<ContactRecord, RowError> {
    let error = |column: &str, message: String| RowError {
        line: c.line,
        column: Some(column.to_string()),
        message,
    };
    let name = c
        .formatted
        .clone()
        .or(c.structured.clone())
        .ok_or_else(|| error("FN", crate::t!("vcard-no-name")))?;
    let customer = c
        .org
        .clone()
        .or(default_customer.map(str::to_string))
        .ok_or_else(|| {
            error(
                "ORG",
                format!("{name} has no organisation (ORG); a contact belongs to a customer: give --customer"),
            )
        })?;
    let email = c.emails.first().cloned();
    if let Some(e) = &email {
        validate_email(e).map_err(|m| error("EMAIL", m))?;
    }
    let mut phones = c.phones.clone();
    phones.sort_by_key(|(preferred, _)| !preferred);
    let phone = phones.into_iter().map(|(_, p)| p).next();
    if let Some(p) = &phone {
        validate_phone(p).map_err(|m| error("TEL", m))?;
    }
    Ok(ContactRecord {
        custom: Vec::new(),
        line: c.line,
        source_id: c.uid.clone(),
        name,
        customer,
        title: c.title.clone(),
        phone,
        email,
        notes: c.note.clone(),
        primary: None,
    })
}

/// The logical lines of a vCard with the line each starts on: folded lines (a line break
/// then a space or tab) joined, and quoted-printable soft breaks (`=` at the end of a
/// line, as vCard 2.1 writes) joined too.
fn unfold(text: &str) -> Vec<(u64, String)> {
    let mut out: Vec<(u64, String)> = Vec::new();
    let mut soft_break = false;
    for (i, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let continues = raw.starts_with([' ', '\t']);
        match out.last_mut() {
            Some((_, last)) if continues => last.push_str(&raw[1..]),
            Some((_, last)) if soft_break => last.push_str(raw),
            _ => out.push((i as u64 + 1, raw.to_string())),
        }
        soft_break = out.last().is_some_and(|(_, l)| {
            l.ends_with('=') && l.to_ascii_uppercase().contains("QUOTED-PRINTABLE")
        });
        if soft_break && let Some((_, last)) = out.last_mut() {
            last.pop();
        }
    }
    out
}

/// Decodes a value that its parameters say is quoted-printable, in the charset they name
/// (UTF-8 when none is named).
fn decode(value: &str, params: &[String]) -> String {
    if !params.iter().any(|p| p.contains("QUOTED-PRINTABLE")) {
        return value.to_string();
    }
    let mut bytes = Vec::with_capacity(value.len());
    let raw = value.as_bytes();
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'='
            && let Some(hex) = value.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            bytes.push(b);
            i += 3;
            continue;
        }
        bytes.push(raw[i]);
        i += 1;
    }
    let charset = params
        .iter()
        .find_map(|p| p.strip_prefix("CHARSET="))
        .and_then(|c| encoding_rs::Encoding::for_label(c.as_bytes()))
        .unwrap_or(encoding_rs::UTF_8);
    charset.decode(&bytes).0.into_owned()
}

/// Splits at `sep` where it is not escaped with a backslash.
fn split_unescaped(value: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in value.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            c if c == sep && !escaped => {
                parts.push(&value[start..i]);
                start = i + c.len_utf8();
            }
            _ => escaped = false,
        }
    }
    parts.push(&value[start..]);
    parts
}

/// RFC 6350 text escapes: `\n`, `\,`, `\;`, `\\`.
fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line, folded at 75 octets without splitting a character.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// A contact to write.
pub struct Contact<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub customer: &'a str,
    pub title: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
    pub notes: Option<&'a str>,
}

/// Writes contacts as vCard 4.0, the customer as the organisation.
pub fn write(contacts: &[Contact<'_>]) -> String {
    let mut out = String::new();
    for c in contacts {
        line(&mut out, "BEGIN:VCARD");
        line(&mut out, "VERSION:4.0");
        line(&mut out, &format!("UID:urn:uuid:{}", c.id));
        line(&mut out, &format!("FN:{}", escape(c.name)));
        // N is family;given: a name is split at its last space, as most address books
        // do; a one-word (or CJK) name is all family name.
        let (given, family) = c
            .name
            .trim()
            .rsplit_once(' ')
            .unwrap_or(("", c.name.trim()));
        line(
            &mut out,
            &format!("N:{};{};;;", escape(family), escape(given)),
        );
        line(&mut out, &format!("ORG:{}", escape(c.customer)));
        let mut optional = |prop: &str, value: Option<&str>| {
            if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
                let mut content = String::new();
                let _ = write!(content, "{prop}:{}", escape(v));
                line(&mut out, &content);
            }
        };
        optional("TITLE", c.title);
        optional("EMAIL;TYPE=work", c.email);
        optional("TEL;VALUE=text;TYPE=work", c.phone);
        optional("NOTE", c.notes);
        line(&mut out, "END:VCARD");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn android_and_ios_cards_are_read() {
        let v21 = "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E6=9D=8E;=E4=BC=9F;;;\r\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E6=9D=8E=E4=BC=9F\r\nORG:ACME\r\nTEL;CELL:+86 138 0000 0000\r\nEND:VCARD\r\n";
        let v30 = "BEGIN:VCARD\nVERSION:3.0\nN:Doe;Jane;;;\nFN:Jane Doe\nORG:Globex\\, Inc.;Sales\nTITLE:Head of\n  Purchasing\nitem1.EMAIL;type=INTERNET;type=pref:jane@globex.example\nTEL;type=HOME:+1 555 0100\nTEL;type=WORK:+1 555 0199\nNOTE:met at\\nthe fair\nEND:VCARD\n";
        let cards = read(&format!("{v21}{v30}"), None).unwrap();
        let li = cards[0].as_ref().unwrap();
        assert_eq!((li.name.as_str(), li.customer.as_str()), ("李伟", "ACME"));
        assert_eq!(li.phone.as_deref(), Some("+86 138 0000 0000"));
        let jane = cards[1].as_ref().unwrap();
        assert_eq!(jane.customer, "Globex, Inc.");
        assert_eq!(jane.title.as_deref(), Some("Head of Purchasing"));
        assert_eq!(jane.email.as_deref(), Some("jane@globex.example"));
        assert_eq!(
            jane.phone.as_deref(),
            Some("+1 555 0199"),
            "the work number first"
        );
        assert_eq!(jane.notes.as_deref(), Some("met at\nthe fair"));
        assert_eq!(jane.line, 8, "the line its BEGIN is on");
    }

    #[test]
    fn written_cards_read_back() {
        let contacts = [Contact {
            id: "0190f1c2-0000-7000-8000-000000000001",
            name: "Wei Li",
            customer: "华为技术有限公司, 深圳; 总部",
            title: Some("CTO"),
            phone: Some("+86 755 2878 0808"),
            email: Some("wei.li@huawei.example"),
            notes: Some("Prefers WeChat.\nMet in Shenzhen; twice."),
        }];
        let text = write(&contacts);
        assert!(text.lines().all(|l| l.len() <= 75), "{text}");
        let back = read(&text, None).unwrap();
        let c = back[0].as_ref().unwrap();
        assert_eq!(c.name, "Wei Li");
        assert_eq!(c.customer, "华为技术有限公司, 深圳; 总部");
        assert_eq!(
            c.notes.as_deref(),
            Some("Prefers WeChat.\nMet in Shenzhen; twice.")
        );
        assert_eq!(
            c.source_id.as_deref(),
            Some("urn:uuid:0190f1c2-0000-7000-8000-000000000001")
        );

        // A second, independent parser reads the same card.
        let parser = ical::VcardParser::new(std::io::BufReader::new(text.as_bytes()));
        let cards: Vec<_> = parser.collect::<Result<_, _>>().unwrap();
        let prop = |name: &str| {
            cards[0]
                .properties
                .iter()
                .find(|p| p.name == name)
                .and_then(|p| p.value.clone())
        };
        assert_eq!(prop("VERSION").as_deref(), Some("4.0"));
        assert_eq!(prop("FN").as_deref(), Some("Wei Li"));
        assert_eq!(
            prop("ORG").as_deref(),
            Some("华为技术有限公司\\, 深圳\\; 总部")
        );
        assert_eq!(prop("EMAIL").as_deref(), Some("wei.li@huawei.example"));
    }

    #[test]
    fn bad_cards_are_named() {
        assert!(
            read("Name,Email\n", None)
                .unwrap_err()
                .contains("not a vCard file")
        );
        let cards = read(
            "BEGIN:VCARD\nFN:No Org\nEND:VCARD\nBEGIN:VCARD\nFN:X\nORG:Y\nEMAIL:nope\nEND:VCARD\n",
            None,
        )
        .unwrap();
        assert!(
            cards[0]
                .as_ref()
                .unwrap_err()
                .to_string()
                .starts_with("line 1, column 'ORG': No Org has no organisation")
        );
        assert!(
            cards[1]
                .as_ref()
                .unwrap_err()
                .to_string()
                .starts_with("line 4, column 'EMAIL'")
        );
        let cut = read("BEGIN:VCARD\nFN:A\nORG:B\nBEGIN:VCARD\nFN:C\nORG:D\n", None).unwrap();
        let errors: Vec<String> = cut
            .iter()
            .filter_map(|c| c.as_ref().err().map(ToString::to_string))
            .collect();
        assert_eq!(
            errors,
            [
                "line 1: the card has no END:VCARD; the file may be cut off",
                "line 4: the card has no END:VCARD; the file may be cut off"
            ]
        );
        let with_default = read("BEGIN:VCARD\nFN:No Org\nEND:VCARD\n", Some("Unknown")).unwrap();
        assert_eq!(with_default[0].as_ref().unwrap().customer, "Unknown");
    }
}
