//! Lists the team keeps in the book: the lost reasons the lost picker offers and the deal
//! sources forms suggest. Free text stays allowed wherever they are offered.

/// Which list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookList {
    LostReason,
    Source,
}

impl BookList {
    /// The word stored in `list_items.list`.
    pub fn as_str(self) -> &'static str {
        match self {
            BookList::LostReason => "lost_reason",
            BookList::Source => "source",
        }
    }

    /// "lost reason", "source": for messages, in the interface's language.
    pub fn label(self) -> String {
        match self {
            BookList::LostReason => crate::t!("book-list-lost-reason"),
            BookList::Source => crate::t!("book-list-source"),
        }
    }

    /// The id of an entry: the same name (in any case) added on two machines is one row.
    pub fn entry_id(self, name: &str) -> String {
        format!("{}:{}", self.as_str(), name.trim().to_lowercase())
    }

    /// Checks and trims an entry's name.
    pub fn check_name(self, name: &str) -> Result<String, String> {
        let name = name.trim();
        if name.is_empty() {
            Err(crate::t!("book-list-needs-name", list = self.label()))
        } else {
            Ok(name.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_one_row_in_any_case() {
        assert_eq!(
            BookList::LostReason.entry_id(" Price "),
            BookList::LostReason.entry_id("price")
        );
        assert_ne!(
            BookList::LostReason.entry_id("price"),
            BookList::Source.entry_id("price")
        );
        assert_eq!(
            BookList::Source.check_name("  "),
            Err("a source needs a name".to_string())
        );
    }
}
