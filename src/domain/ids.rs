//! Record ids: UUIDv7 text, so ids sort by creation time and never collide between
//! teammates' databases. People see a *short id*: the last eight hex digits, which come
//! from the random part of the UUID (the leading digits are a timestamp and repeat).

/// A new UUIDv7 in its hyphenated lower-case form.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().hyphenated().to_string()
}

/// Length of a short id.
pub const SHORT_LEN: usize = 8;

/// The short id shown in lists: the last eight hex digits.
pub fn short_id(id: &str) -> &str {
    let start = id.len().saturating_sub(SHORT_LEN);
    id.get(start..).unwrap_or(id)
}

/// Whether `text` could be a short id (eight hex digits).
pub fn looks_like_short_id(text: &str) -> bool {
    text.len() == SHORT_LEN && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether `text` is a full UUID.
pub fn looks_like_full_id(text: &str) -> bool {
    uuid::Uuid::parse_str(text).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_ids_come_from_the_random_tail() {
        let id = new_id();
        assert_eq!(id.len(), 36);
        assert!(looks_like_full_id(&id));
        assert!(looks_like_short_id(short_id(&id)));
        assert!(id.ends_with(short_id(&id)));
        assert!(!looks_like_short_id("acme1234"));
    }
}
