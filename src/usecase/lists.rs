//! The book's lists of lost reasons and sources: add and delete an entry, one change each.

use crate::domain::book_list::BookList;
use crate::store::{Store, StoreError, Table, Undo, Write, lists};

type Result<T> = std::result::Result<T, StoreError>;

/// Adds `name` to `list` (or brings a deleted entry of that name back, renamed to the case
/// given). An entry already there is refused.
pub fn add(store: &mut Store, list: BookList, name: &str) -> Result<Undo> {
    let name = list.check_name(name).map_err(StoreError::Invalid)?;
    let id = list.entry_id(&name);
    let label = crate::t!(
        "undo-add-list-entry",
        list = list.label(),
        name = name.as_str()
    );
    match lists::state(store.conn(), &id)? {
        Some(false) => Err(StoreError::Invalid(crate::t!(
            "list-entry-exists",
            name = name.as_str(),
            list = list.label()
        ))),
        Some(true) => store.apply(
            &label,
            vec![
                Write::update(Table::ListItems, id)
                    .set("name", name.clone())
                    .set("deleted_at", None::<i64>),
            ],
        ),
        None => {
            let position = lists::next_position(store.conn(), list)?;
            store.apply(
                &label,
                vec![
                    Write::insert(Table::ListItems, id)
                        .set("list", list.as_str().to_string())
                        .set("name", name.clone())
                        .set("position", position),
                ],
            )
        }
    }
}

/// Removes `name` (any case) from `list`. Deals that name it keep their text.
pub fn delete(store: &mut Store, list: BookList, name: &str) -> Result<Undo> {
    let id = list.entry_id(name);
    match lists::state(store.conn(), &id)? {
        Some(false) => {
            let now = store.now_millis();
            store.apply(
                &crate::t!(
                    "undo-delete-list-entry",
                    list = list.label(),
                    name = name.trim()
                ),
                vec![Write::update(Table::ListItems, id).set("deleted_at", now)],
            )
        }
        _ => Err(StoreError::NotFound {
            what: list.label().to_string(),
            reference: name.trim().to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::memory_store;

    #[test]
    fn entries_are_added_once_deleted_and_added_back() {
        let mut store = memory_store();
        add(&mut store, BookList::LostReason, "Price").unwrap();
        add(&mut store, BookList::LostReason, "Timing").unwrap();
        add(&mut store, BookList::Source, "Price").unwrap();
        assert_eq!(
            add(&mut store, BookList::LostReason, " price ")
                .unwrap_err()
                .to_string(),
            "'price' is already a lost reason"
        );
        assert!(add(&mut store, BookList::Source, "").is_err());
        let names = |store: &Store| lists::names(store.conn(), BookList::LostReason).unwrap();
        assert_eq!(names(&store), ["Price", "Timing"]);
        let undo = delete(&mut store, BookList::LostReason, "PRICE").unwrap();
        assert_eq!(names(&store), ["Timing"]);
        assert!(delete(&mut store, BookList::LostReason, "price").is_err());
        store.undo(&undo).unwrap();
        assert_eq!(names(&store), ["Price", "Timing"]);
        delete(&mut store, BookList::LostReason, "price").unwrap();
        add(&mut store, BookList::LostReason, "PRICE").unwrap();
        assert_eq!(names(&store), ["PRICE", "Timing"]);
        assert_eq!(
            lists::names(store.conn(), BookList::Source).unwrap(),
            ["Price"]
        );
    }
}
