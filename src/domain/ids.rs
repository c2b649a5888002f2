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

/// The namespace of [`imported_id`]'s name-based UUIDs (a fixed random UUID).
const IMPORT_NAMESPACE: uuid::Uuid =
    uuid::Uuid::from_u128(0x6a3f_9d2e_51c4_4b8a_9e07_c2d1_f4a8_b613);

/// The id of a record imported from another program, from the id it has there: the same
/// source id always gives the same id, so importing a file again updates its rows instead
/// of adding them twice (and two teammates importing one file make the same rows). A full
/// UUID is kept as it is: an export of SalesDesk read back keeps its ids.
pub fn imported_id(table: &str, source: &str, source_id: &str) -> String {
    let source_id = source_id.trim();
    match uuid::Uuid::parse_str(source_id) {
        Ok(id) => id.hyphenated().to_string(),
        Err(_) => {
            let name = format!("{table}\u{1f}{source}\u{1f}{source_id}");
            uuid::Uuid::new_v5(&IMPORT_NAMESPACE, name.as_bytes())
                .hyphenated()
                .to_string()
        }
    }
}

/// The namespace of [`derived_id`]'s name-based UUIDs (a fixed random UUID).
const DERIVED_NAMESPACE: uuid::Uuid =
    uuid::Uuid::from_u128(0x1c5e_02b7_8d4f_4e6a_a3b1_57f0_9c2e_d864);

/// The id of a row that every database makes alike from the same facts (a deal sent on
/// from a deleted stage, after a merge): teammates who each make it make one row.
pub fn derived_id(name: &str) -> String {
    uuid::Uuid::new_v5(&DERIVED_NAMESPACE, name.as_bytes())
        .hyphenated()
        .to_string()
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

    #[test]
    fn imported_ids_are_stable_per_source() {
        let a = imported_id("deals", "pipedrive", "17");
        assert_eq!(a, imported_id("deals", "pipedrive", " 17 "));
        assert_ne!(a, imported_id("deals", "hubspot", "17"));
        assert_ne!(a, imported_id("customers", "pipedrive", "17"));
        assert!(looks_like_full_id(&a));
        let id = new_id();
        assert_eq!(imported_id("deals", "generic", &id.to_uppercase()), id);
    }
}
