-- SalesDesk schema: custom fields on deals, customers and contacts.
--
-- A definition's id is "<entity>:<type>:<lower-case name>" (see `domain::field`): the
-- same field added on two machines is one row, and a field's type never changes (a name
-- deleted and added again with another type is another field). Deleting a field is a
-- tombstone; the values stay, so undoing the delete or adding the field again brings
-- them back.
CREATE TABLE field_defs (
    id         TEXT PRIMARY KEY,
    entity     TEXT NOT NULL CHECK (entity IN ('deal', 'customer', 'contact')),
    name       TEXT NOT NULL,
    type       TEXT NOT NULL,
    -- The choices of a choice or multi-choice field, one a line.
    choices    TEXT,
    required   INTEGER NOT NULL DEFAULT 0,
    position   INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted_at INTEGER
);

-- One row per record and field, its id "<record id>/<field id>", so a value merges by
-- its own clock like a built-in column. `value` is the canonical text of its type; NULL
-- is a cleared value.
CREATE TABLE field_values (
    id         TEXT PRIMARY KEY,
    field_id   TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    value      TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted_at INTEGER
);

-- A record's values (a deal's detail, a form), and the records with a value
-- (`deal list --where Budget=5000`: an index probe, not a scan of every value).
CREATE INDEX field_values_record ON field_values (record_id);
CREATE INDEX field_values_match ON field_values (field_id, value COLLATE NOCASE)
    WHERE value IS NOT NULL;
