//! Global search over customers, contacts, deals and activities.
//!
//! The index uses SQLite's trigram tokenizer, so any run of three or more characters
//! matches anywhere in a word: `acm` finds ACME, `华为技` finds 上海华为技术有限公司. Shorter
//! terms (two CJK characters are a whole word) cannot use the index: alongside a longer
//! term they filter its matches; on their own they match titles (names, deal titles,
//! subjects) anywhere, newest first, scanning only until the page is full — what a person
//! typing the first letters of a name wants, and fast. User text never reaches the FTS
//! query syntax unquoted, so `"`, `*`, `-`, `NEAR` and parentheses are searched for
//! literally.

use rusqlite::{Connection, params_from_iter, types::Value};

use super::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HitKind {
    Deal,
    Customer,
    Contact,
    Activity,
}

impl HitKind {
    fn parse(s: &str) -> Option<HitKind> {
        Some(match s {
            "deal" => HitKind::Deal,
            "customer" => HitKind::Customer,
            "contact" => HitKind::Contact,
            "activity" => HitKind::Activity,
            _ => return None,
        })
    }

    /// One hit's kind, for a table row: "Deal", "Activity".
    pub fn singular(self) -> &'static str {
        match self {
            HitKind::Deal => "Deal",
            HitKind::Customer => "Customer",
            HitKind::Contact => "Contact",
            HitKind::Activity => "Activity",
        }
    }

    /// The heading of this kind's results, in the interface's language.
    pub fn label(self) -> String {
        match self {
            HitKind::Deal => crate::t!("search-kind-deals"),
            HitKind::Customer => crate::t!("search-kind-customers"),
            HitKind::Contact => crate::t!("search-kind-contacts"),
            HitKind::Activity => crate::t!("search-kind-activities"),
        }
    }
}

/// The triggers that keep the index up to date row by row (migrations 001, 003 and 013).
pub(crate) const TRIGGERS: [&str; 11] = [
    "customers_ai",
    "customers_au",
    "contacts_ai",
    "contacts_au",
    "deals_ai",
    "deals_au",
    "activities_ai",
    "activities_au",
    "field_values_search_ai",
    "field_values_search_au",
    "field_defs_search_au",
];

/// What the triggers index for each live row, kind by kind: the rowid (the source rowid
/// times 4 plus the kind's number), the kind, the id, the title and the body. It must say
/// what the triggers say; `a_filled_index_is_what_the_triggers_make` checks that it does.
/// Customers, contacts and deals end with the values of their live custom fields.
const DOCUMENTS: [&str; 4] = [
    "SELECT x.rowid * 4, 'customer', x.id, x.name,
            concat_ws(' ', x.industry, x.region, x.website, x.notes, (CUSTOM))
       FROM customers x WHERE x.deleted_at IS NULL",
    "SELECT x.rowid * 4 + 1, 'contact', x.id, x.name,
            concat_ws(' ', x.email, x.phone, x.title, (CUSTOM))
       FROM contacts x WHERE x.deleted_at IS NULL",
    "SELECT x.rowid * 4 + 2, 'deal', x.id, x.title, concat_ws(' ', x.source, x.notes, (CUSTOM))
       FROM deals x WHERE x.deleted_at IS NULL",
    "SELECT rowid * 4 + 3, 'activity', id, subject, concat_ws(' ', body, outcome)
       FROM activities WHERE deleted_at IS NULL",
];

/// The values of the live custom fields of record `x`, as the triggers index them.
const CUSTOM_VALUES: &str = "SELECT group_concat(v.value, ' ') FROM field_values v
      JOIN field_defs f ON f.id = v.field_id
     WHERE v.record_id = x.id AND v.value IS NOT NULL
       AND v.deleted_at IS NULL AND f.deleted_at IS NULL";

/// Empties the index, for a bulk load that writes its rows without the triggers.
pub(crate) fn clear_index(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM search_index", [])?;
    Ok(())
}

/// How much FTS5 gathers in memory before it writes a segment of the index: its default
/// (1 MiB) for everyday writes, and more while [`fill_index`] indexes a whole book, so
/// that it writes a few large segments rather than hundreds of small ones to merge.
/// (The setting is kept in the index's own config table.)
const DEFAULT_HASH_BYTES: i64 = 1024 * 1024;
const BULK_HASH_BYTES: i64 = 64 * 1024 * 1024;

/// Indexes every live row at once, as the triggers would one by one, one statement per
/// kind.
pub(crate) fn fill_index(conn: &Connection) -> Result<()> {
    let set_hashsize = |bytes: i64| {
        conn.execute(
            "INSERT INTO search_index (search_index, rank) VALUES ('hashsize', ?1)",
            [bytes],
        )
    };
    set_hashsize(BULK_HASH_BYTES)?;
    for documents in DOCUMENTS {
        let documents = documents.replace("CUSTOM", CUSTOM_VALUES);
        conn.execute(
            &format!("INSERT INTO search_index (rowid, kind, row_id, title, body) {documents}"),
            [],
        )?;
    }
    set_hashsize(DEFAULT_HASH_BYTES)?;
    Ok(())
}

/// One search result.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Hit {
    pub kind: HitKind,
    pub id: String,
    pub title: String,
    pub detail: String,
    /// Whether the title (name, deal title, subject) matched, not just the body.
    pub title_match: bool,
}

/// Quotes a term as an FTS5 string so that no character in it is an operator.
fn fts_string(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

/// Escapes LIKE wildcards; used with `ESCAPE '\'`.
pub(crate) fn like_pattern(term: &str) -> String {
    let escaped = term
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// Searches for records containing every term of `text`; best first: title matches
/// before body matches, then recent before old. At most `limit` results. When every
/// term is shorter than three characters, only titles are searched (see the module).
/// The longest search text read, in characters, and the most terms.
const MAX_QUERY_CHARS: usize = 200;
const MAX_TERMS: usize = 16;

/// The terms of a search text. What a person types is short; a pasted page (or a
/// hostile argument) would make SQLite refuse the LIKE pattern as too complex. The first
/// terms up to the limit are searched.
fn terms_of(text: &str) -> Vec<&str> {
    let text = match text.char_indices().nth(MAX_QUERY_CHARS) {
        Some((cut, _)) => &text[..cut],
        None => text,
    };
    text.split_whitespace().take(MAX_TERMS).collect()
}

pub fn search(conn: &Connection, text: &str, limit: usize) -> Result<Vec<Hit>> {
    let terms = terms_of(text);
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let (long, short): (Vec<&str>, Vec<&str>) = terms.iter().partition(|t| t.chars().count() >= 3);
    if long.is_empty() {
        return search_titles(conn, &short, limit);
    }
    let query: Vec<String> = long.iter().map(|t| fts_string(t)).collect();
    let mut args = vec![Value::Text(query.join(" "))];
    let mut conditions = vec!["search_index MATCH ?1".to_string()];
    for term in &short {
        args.push(Value::Text(like_pattern(term)));
        let n = args.len();
        conditions.push(format!(
            "(title LIKE ?{n} ESCAPE '\\' OR body LIKE ?{n} ESCAPE '\\')"
        ));
    }
    // Title matches rank first: every term must appear in the title.
    let title_checks: Vec<String> = terms
        .iter()
        .map(|t| {
            args.push(Value::Text(like_pattern(t)));
            format!("title LIKE ?{} ESCAPE '\\'", args.len())
        })
        .collect();
    args.push(Value::Integer(limit as i64));
    let sql = format!(
        "SELECT kind, row_id, title, coalesce(body, ''), ({title}) AS in_title
           FROM search_index
          WHERE {conds}
          ORDER BY in_title DESC, rowid / 4 DESC
          LIMIT ?{limit_arg}",
        title = title_checks.join(" AND "),
        conds = conditions.join(" AND "),
        limit_arg = args.len(),
    );
    collect_hits(conn, &sql, args)
}

/// A deal or customer a reminder can be about, as the reminder form offers it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Subject {
    pub kind: HitKind,
    pub name: String,
    pub id: String,
}

/// What a reminder can be about, for the field that names it as it is typed: the open
/// deals (of live customers) and the live customers whose title or name contains every
/// term of `text` ([`crate::text::contains_terms`]); alphabetically, at most `limit`.
pub fn subjects(conn: &Connection, text: &str, limit: usize) -> Result<Vec<Subject>> {
    // The titles' index is named: SQLite would rather seek the open deals on `status`
    // and sort all 57k of them (at 100k deals) than walk the titles in order and stop.
    // It walks the customers' name index on its own.
    let deals = names_matching(
        conn,
        "SELECT d.title, d.id FROM deals d INDEXED BY deals_title
           JOIN customers c ON c.id = d.customer_id
          WHERE {matches} AND d.deleted_at IS NULL AND d.status = 'open'
            AND c.deleted_at IS NULL
          ORDER BY d.title COLLATE NOCASE",
        "d.title",
        text,
        limit,
    )?;
    let customers = names_matching(
        conn,
        "SELECT name, id FROM customers
          WHERE {matches} AND deleted_at IS NULL ORDER BY name COLLATE NOCASE",
        "name",
        text,
        limit,
    )?;
    let mut found: Vec<Subject> = deals
        .into_iter()
        .map(|(name, id)| Subject {
            kind: HitKind::Deal,
            name,
            id,
        })
        .chain(customers.into_iter().map(|(name, id)| Subject {
            kind: HitKind::Customer,
            name,
            id,
        }))
        .collect();
    // SQLite's NOCASE order, which cut each list at `limit`: ASCII folded, the rest by
    // its bytes. Another order could put a name past the cut ahead of one before it.
    found.sort_by_cached_key(|s| (s.name.to_ascii_lowercase(), s.kind, s.id.clone()));
    found.truncate(limit);
    Ok(found)
}

/// The first `limit` rows `sql` reads (a name and an id, in its order) whose name
/// contains every term of `typed`, case ignored: a form field's suggestions as it is
/// typed. `sql` reads a name index and has `{matches}` where a `LIKE` per term on
/// `column` goes, so SQLite skips the names that cannot match and the read stops when
/// the page is full; when nothing matches, every name is read once (6 ms for 100k deal
/// titles). LIKE folds ASCII case only, so a term with another cased letter is not
/// given to it, and Rust's test decides every name.
pub(crate) fn names_matching(
    conn: &Connection,
    sql: &str,
    column: &str,
    typed: &str,
    limit: usize,
) -> Result<Vec<(String, String)>> {
    let terms = terms_of(typed);
    if terms.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let folds_like_sqlite = |t: &str| {
        t.chars()
            .all(|c| c.is_ascii() || !(c.is_lowercase() || c.is_uppercase()))
    };
    let args: Vec<Value> = terms
        .iter()
        .filter(|t| folds_like_sqlite(t))
        .map(|t| Value::Text(like_pattern(t)))
        .collect();
    let matches: Vec<String> = (1..=args.len())
        .map(|n| format!("{column} LIKE ?{n} ESCAPE '\\'"))
        .chain(std::iter::once("true".to_string()))
        .collect();
    let mut stmt = conn.prepare_cached(&sql.replace("{matches}", &matches.join(" AND ")))?;
    let mut rows = stmt.query(params_from_iter(&args))?;
    let mut found = Vec::new();
    while found.len() < limit
        && let Some(row) = rows.next()?
    {
        let name: String = row.get(0)?;
        if crate::text::contains_terms(&name, typed) {
            found.push((name, row.get(1)?));
        }
    }
    Ok(found)
}

/// Only short terms: titles containing every one, newest first. In rowid order the scan
/// stops as soon as `limit` rows match, instead of ranking every row of the index.
///
/// The rows are read from the index's own copy of its documents, the `search_index_content`
/// table FTS5 keeps for an index that stores its content (columns `c0`…`c3` are `kind`,
/// `row_id`, `title`, `body`; `id` is the rowid): a plain table scan. Scanned through the
/// index itself, FTS5 looks each row up in that table by rowid, one at a time, which
/// made a rare two-character term (it reads most of the book's 330k documents) take
/// 11-17 ms at 100k deals instead of about one.
/// `two_character_terms_find_what_the_index_itself_finds` checks that both ways agree.
fn search_titles(conn: &Connection, terms: &[&str], limit: usize) -> Result<Vec<Hit>> {
    collect_hits(
        conn,
        &titles_sql(terms.len(), TITLES_FROM_CONTENT),
        titles_args(terms, limit),
    )
}

/// The rows of the index as [`search_titles`] reads them, and as FTS5 shows them.
const TITLES_FROM_CONTENT: &str =
    "SELECT c0, c1, c2, coalesce(c3, ''), true, id AS n FROM search_index_content";
#[cfg(test)]
const TITLES_FROM_INDEX: &str =
    "SELECT kind AS c0, row_id AS c1, title AS c2, coalesce(body, ''), true, rowid AS n
       FROM search_index";

/// The query of [`search_titles`] over `rows`, for `terms` terms (parameters: their
/// patterns, then the limit).
fn titles_sql(terms: usize, rows: &str) -> String {
    let conditions: Vec<String> = (1..=terms)
        .map(|n| format!("c2 LIKE ?{n} ESCAPE '\\'"))
        .collect();
    format!(
        "SELECT * FROM ({rows}) WHERE {} ORDER BY n DESC LIMIT ?{}",
        conditions.join(" AND "),
        terms + 1
    )
}

fn titles_args(terms: &[&str], limit: usize) -> Vec<Value> {
    let mut args: Vec<Value> = terms.iter().map(|t| Value::Text(like_pattern(t))).collect();
    args.push(Value::Integer(limit as i64));
    args
}

/// Runs a search query whose columns are kind, id, title, body and whether the title
/// matched.
fn collect_hits(conn: &Connection, sql: &str, args: Vec<Value>) -> Result<Vec<Hit>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params_from_iter(args), |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, bool>(4)?,
        ))
    })?;
    let mut hits = Vec::new();
    for row in rows {
        let (kind, id, title, body, title_match) = row?;
        if let Some(kind) = HitKind::parse(&kind) {
            hits.push(Hit {
                kind,
                id,
                title,
                detail: body,
                title_match,
            });
        }
    }
    Ok(hits)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two-character terms read the index's stored documents directly; FTS5 shows the
    /// same rows through the index itself. Both ways give the same hits, in the same
    /// order, after edits and deletions too.
    #[test]
    fn two_character_terms_find_what_the_index_itself_finds() {
        let mut store = crate::store::test_support::memory_store();
        crate::demo::generate(&mut store, None).unwrap();
        // A deleted deal leaves the index; a renamed customer changes there.
        store
            .conn()
            .execute_batch(
                "UPDATE deals SET deleted_at = 1 WHERE id = (SELECT min(id) FROM deals);
                 UPDATE customers SET name = 'Glacier Works' WHERE id = (SELECT max(id) FROM customers);",
            )
            .unwrap();
        let conn = store.conn();
        let mut found = 0;
        for terms in [
            vec!["gl"],
            vec!["Ac"],
            vec!["e", "n"],
            vec!["华为"],
            vec!["zq"],
            vec!["%"],
        ] {
            for limit in [3, 50, 1000] {
                let direct = search_titles(conn, &terms, limit).unwrap();
                let through_index = collect_hits(
                    conn,
                    &titles_sql(terms.len(), TITLES_FROM_INDEX),
                    titles_args(&terms, limit),
                )
                .unwrap();
                assert_eq!(direct, through_index, "{terms:?} {limit}");
                found += direct.len();
            }
        }
        assert!(found > 0, "some terms are found");
        let glacier = search(conn, "Gl", 1000).unwrap();
        assert!(glacier.iter().any(|h| h.title == "Glacier Works"));
    }
}
