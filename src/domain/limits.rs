//! The bounds every stored value keeps, whoever wrote it: this machine (the single write
//! path checks them) or a teammate (the team-file merge checks every incoming row against
//! them and quarantines what breaks them). One set of numbers, so that nothing an honest
//! teammate can save is refused by another's merge.

use chrono::NaiveDate;

use super::time::Millis;

/// Names, titles, subjects, emails, phone numbers, tags, ids: one line of text. Far more
/// than anyone types; a 30 MB "title" is an attack, not a name.
pub const MAX_SHORT_TEXT_BYTES: usize = 64 * 1024;

/// Notes, bodies, outcomes, lost reasons: as much as one imported spreadsheet cell may
/// hold (`MAX_CELL_BYTES` of the spreadsheet reader).
pub const MAX_LONG_TEXT_BYTES: usize = 1 << 20;

/// The largest amount in minor units, as [`crate::domain::money::Money::parse`] accepts:
/// far from `i64::MAX`, so that sums of millions of deals cannot overflow.
pub const MAX_AMOUNT_MINOR: i64 = 1_000_000_000_000_000;

/// The instants a record may carry: years 1 to 9999, what dates can show.
pub const MIN_INSTANT: Millis = -62_135_596_800_000;
pub const MAX_INSTANT: Millis = 253_402_300_799_999;

/// The longest id: a UUID is 36 bytes; a tag's id is its customer's id, a colon and the
/// tag (at most 40 characters of up to 4 bytes each).
pub const MAX_ID_BYTES: usize = 256;

/// Whether `text` may be stored in a field holding at most `max` bytes.
pub fn check_text(text: &str, max: usize) -> Result<(), String> {
    if text.len() > max {
        return Err(crate::t!(
            "limit-text-too-long",
            bytes = text.len(),
            most = max
        ));
    }
    Ok(())
}

/// Whether `id` is a record id: non-empty, bounded, and printable (no controls, no bidi
/// overrides: ids are shown and typed).
pub fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err(crate::t!("limit-id-empty"));
    }
    if id.len() > MAX_ID_BYTES {
        return Err(crate::t!(
            "limit-id-too-long",
            bytes = id.len(),
            most = MAX_ID_BYTES
        ));
    }
    // Ids SalesDesk makes are plain ASCII: no need to look at them character by character.
    if id.bytes().all(|b| b.is_ascii_graphic()) {
        return Ok(());
    }
    let hidden = |c: char| {
        c.is_control()
            || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{061C}' | '\u{FEFF}')
    };
    if id.chars().any(hidden) {
        return Err(crate::t!("limit-id-controls"));
    }
    Ok(())
}

pub fn check_amount(minor: i64) -> Result<(), String> {
    if (0..=MAX_AMOUNT_MINOR).contains(&minor) {
        Ok(())
    } else {
        Err(crate::t!(
            "limit-amount",
            amount = minor.to_string(),
            most = MAX_AMOUNT_MINOR.to_string()
        ))
    }
}

pub fn check_instant(ms: Millis) -> Result<(), String> {
    if (MIN_INSTANT..=MAX_INSTANT).contains(&ms) {
        Ok(())
    } else {
        Err(crate::t!("limit-instant", ms = ms.to_string()))
    }
}

/// A calendar date as stored: exactly `YYYY-MM-DD`, a real day.
pub fn check_date(text: &str) -> Result<(), String> {
    let well_formed = text.len() == 10
        && NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .is_ok_and(|d| d.format("%Y-%m-%d").to_string() == text);
    if well_formed {
        Ok(())
    } else {
        Err(crate::t!("limit-date"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_hold_at_their_edges() {
        assert!(check_amount(0).is_ok());
        assert!(check_amount(MAX_AMOUNT_MINOR).is_ok());
        assert!(check_amount(-5).is_err());
        assert!(check_amount(MAX_AMOUNT_MINOR + 1).is_err());
        assert!(check_amount(i64::MAX).is_err());
        assert!(check_instant(0).is_ok());
        assert!(check_instant(MAX_INSTANT + 1).is_err());
        assert!(check_instant(i64::MIN).is_err());
        assert!(check_text(&"x".repeat(MAX_SHORT_TEXT_BYTES), MAX_SHORT_TEXT_BYTES).is_ok());
        assert!(check_text(&"x".repeat(MAX_SHORT_TEXT_BYTES + 1), MAX_SHORT_TEXT_BYTES).is_err());
    }

    #[test]
    fn dates_and_ids_are_exact() {
        assert!(check_date("2026-11-25").is_ok());
        for bad in [
            "2026-02-30",
            "2026-1-5",
            "26-11-25",
            "2026-11-25 ",
            "tomorrow",
            "",
        ] {
            assert!(check_date(bad).is_err(), "{bad}");
        }
        assert!(check_id("0193a1b2-0000-7000-8000-000000000000").is_ok());
        assert!(check_id("stage-lead").is_ok());
        assert!(check_id("c1:at risk").is_ok());
        for bad in ["", "a\u{1b}]0;x", "a\u{202e}b", "a\nb"] {
            assert!(check_id(bad).is_err(), "{bad:?}");
        }
        assert!(check_id(&"a".repeat(MAX_ID_BYTES + 1)).is_err());
    }
}
