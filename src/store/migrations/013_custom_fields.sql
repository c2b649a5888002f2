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

-- Custom field values are searched with their record (`/`): a deal's, customer's or
-- contact's document in the search index ends with the values of its live fields. The
-- records' triggers are made again with them, and a value or a field that changes
-- indexes its records again.
DROP TRIGGER customers_ai;
CREATE TRIGGER customers_ai AFTER INSERT ON customers WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO search_index (rowid, kind, row_id, title, body)
    VALUES (new.rowid * 4, 'customer', new.id, new.name,
            concat_ws(' ', new.industry, new.region, new.website, new.notes,
                      (SELECT group_concat(v.value, ' ') FROM field_values v
                       JOIN field_defs f ON f.id = v.field_id
                      WHERE v.record_id = new.id AND v.value IS NOT NULL
                        AND v.deleted_at IS NULL AND f.deleted_at IS NULL)));
END;
DROP TRIGGER customers_au;
CREATE TRIGGER customers_au AFTER UPDATE OF name, industry, region, website, notes, deleted_at
ON customers BEGIN
    DELETE FROM search_index WHERE rowid = old.rowid * 4;
    INSERT INTO search_index (rowid, kind, row_id, title, body)
    SELECT new.rowid * 4, 'customer', new.id, new.name,
           concat_ws(' ', new.industry, new.region, new.website, new.notes,
                      (SELECT group_concat(v.value, ' ') FROM field_values v
                       JOIN field_defs f ON f.id = v.field_id
                      WHERE v.record_id = new.id AND v.value IS NOT NULL
                        AND v.deleted_at IS NULL AND f.deleted_at IS NULL))
    WHERE new.deleted_at IS NULL;
END;
DROP TRIGGER contacts_ai;
CREATE TRIGGER contacts_ai AFTER INSERT ON contacts WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO search_index (rowid, kind, row_id, title, body)
    VALUES (new.rowid * 4 + 1, 'contact', new.id, new.name,
            concat_ws(' ', new.email, new.phone, new.title,
                      (SELECT group_concat(v.value, ' ') FROM field_values v
                       JOIN field_defs f ON f.id = v.field_id
                      WHERE v.record_id = new.id AND v.value IS NOT NULL
                        AND v.deleted_at IS NULL AND f.deleted_at IS NULL)));
END;
DROP TRIGGER contacts_au;
CREATE TRIGGER contacts_au AFTER UPDATE
ON contacts BEGIN
    DELETE FROM search_index WHERE rowid = old.rowid * 4 + 1;
    INSERT INTO search_index (rowid, kind, row_id, title, body)
    SELECT new.rowid * 4 + 1, 'contact', new.id, new.name,
           concat_ws(' ', new.email, new.phone, new.title,
                      (SELECT group_concat(v.value, ' ') FROM field_values v
                       JOIN field_defs f ON f.id = v.field_id
                      WHERE v.record_id = new.id AND v.value IS NOT NULL
                        AND v.deleted_at IS NULL AND f.deleted_at IS NULL))
    WHERE new.deleted_at IS NULL;
END;
DROP TRIGGER deals_ai;
CREATE TRIGGER deals_ai AFTER INSERT ON deals WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO search_index (rowid, kind, row_id, title, body)
    VALUES (new.rowid * 4 + 2, 'deal', new.id, new.title,
            concat_ws(' ', new.source, new.notes,
                      (SELECT group_concat(v.value, ' ') FROM field_values v
                       JOIN field_defs f ON f.id = v.field_id
                      WHERE v.record_id = new.id AND v.value IS NOT NULL
                        AND v.deleted_at IS NULL AND f.deleted_at IS NULL)));
END;
DROP TRIGGER deals_au;
CREATE TRIGGER deals_au AFTER UPDATE OF title, source, notes, deleted_at
ON deals BEGIN
    DELETE FROM search_index WHERE rowid = old.rowid * 4 + 2;
    INSERT INTO search_index (rowid, kind, row_id, title, body)
    SELECT new.rowid * 4 + 2, 'deal', new.id, new.title,
           concat_ws(' ', new.source, new.notes,
                      (SELECT group_concat(v.value, ' ') FROM field_values v
                       JOIN field_defs f ON f.id = v.field_id
                      WHERE v.record_id = new.id AND v.value IS NOT NULL
                        AND v.deleted_at IS NULL AND f.deleted_at IS NULL))
    WHERE new.deleted_at IS NULL;
END;
CREATE TRIGGER field_values_search_ai AFTER INSERT ON field_values BEGIN
    DELETE FROM search_index
     WHERE rowid IN (SELECT x.rowid * 4 FROM customers x WHERE x.id IN (new.record_id));
    INSERT INTO search_index (rowid, kind, row_id, title, body)
    SELECT x.rowid * 4, 'customer', x.id, x.name,
           concat_ws(' ', x.industry, x.region, x.website, x.notes, (SELECT group_concat(v.value, ' ') FROM field_values v
                     JOIN field_defs f ON f.id = v.field_id
                    WHERE v.record_id = x.id AND v.value IS NOT NULL
                      AND v.deleted_at IS NULL AND f.deleted_at IS NULL))
      FROM customers x WHERE x.id IN (new.record_id) AND x.deleted_at IS NULL;
    DELETE FROM search_index
     WHERE rowid IN (SELECT x.rowid * 4 + 1 FROM contacts x WHERE x.id IN (new.record_id));
    INSERT INTO search_index (rowid, kind, row_id, title, body)
    SELECT x.rowid * 4 + 1, 'contact', x.id, x.name,
           concat_ws(' ', x.email, x.phone, x.title, (SELECT group_concat(v.value, ' ') FROM field_values v
                     JOIN field_defs f ON f.id = v.field_id
                    WHERE v.record_id = x.id AND v.value IS NOT NULL
                      AND v.deleted_at IS NULL AND f.deleted_at IS NULL))
      FROM contacts x WHERE x.id IN (new.record_id) AND x.deleted_at IS NULL;
    DELETE FROM search_index
     WHERE rowid IN (SELECT x.rowid * 4 + 2 FROM deals x WHERE x.id IN (new.record_id));
    INSERT INTO search_index (rowid, kind, row_id, title, body)
    SELECT x.rowid * 4 + 2, 'deal', x.id, x.title,
           concat_ws(' ', x.source, x.notes, (SELECT group_concat(v.value, ' ') FROM field_values v
                     JOIN field_defs f ON f.id = v.field_id
                    WHERE v.record_id = x.id AND v.value IS NOT NULL
                      AND v.deleted_at IS NULL AND f.deleted_at IS NULL))
      FROM deals x WHERE x.id IN (new.record_id) AND x.deleted_at IS NULL;
END;
CREATE TRIGGER field_values_search_au AFTER UPDATE OF value, deleted_at ON field_values BEGIN
    DELETE FROM search_index
     WHERE rowid IN (SELECT x.rowid * 4 FROM customers x WHERE x.id IN (new.record_id));
    INSERT INTO search_index (rowid, kind, row_id, title, body)
    SELECT x.rowid * 4, 'customer', x.id, x.name,
           concat_ws(' ', x.industry, x.region, x.website, x.notes, (SELECT group_concat(v.value, ' ') FROM field_values v
                     JOIN field_defs f ON f.id = v.field_id
                    WHERE v.record_id = x.id AND v.value IS NOT NULL
                      AND v.deleted_at IS NULL AND f.deleted_at IS NULL))
      FROM customers x WHERE x.id IN (new.record_id) AND x.deleted_at IS NULL;
    DELETE FROM search_index
     WHERE rowid IN (SELECT x.rowid * 4 + 1 FROM contacts x WHERE x.id IN (new.record_id));
    INSERT INTO search_index (rowid, kind, row_id, title, body)
    SELECT x.rowid * 4 + 1, 'contact', x.id, x.name,
           concat_ws(' ', x.email, x.phone, x.title, (SELECT group_concat(v.value, ' ') FROM field_values v
                     JOIN field_defs f ON f.id = v.field_id
                    WHERE v.record_id = x.id AND v.value IS NOT NULL
                      AND v.deleted_at IS NULL AND f.deleted_at IS NULL))
      FROM contacts x WHERE x.id IN (new.record_id) AND x.deleted_at IS NULL;
    DELETE FROM search_index
     WHERE rowid IN (SELECT x.rowid * 4 + 2 FROM deals x WHERE x.id IN (new.record_id));
    INSERT INTO search_index (rowid, kind, row_id, title, body)
    SELECT x.rowid * 4 + 2, 'deal', x.id, x.title,
           concat_ws(' ', x.source, x.notes, (SELECT group_concat(v.value, ' ') FROM field_values v
                     JOIN field_defs f ON f.id = v.field_id
                    WHERE v.record_id = x.id AND v.value IS NOT NULL
                      AND v.deleted_at IS NULL AND f.deleted_at IS NULL))
      FROM deals x WHERE x.id IN (new.record_id) AND x.deleted_at IS NULL;
END;
CREATE TRIGGER field_defs_search_au AFTER UPDATE OF deleted_at ON field_defs BEGIN
    DELETE FROM search_index
     WHERE rowid IN (SELECT x.rowid * 4 FROM customers x WHERE x.id IN (SELECT record_id FROM field_values WHERE field_id = new.id));
    INSERT INTO search_index (rowid, kind, row_id, title, body)
    SELECT x.rowid * 4, 'customer', x.id, x.name,
           concat_ws(' ', x.industry, x.region, x.website, x.notes, (SELECT group_concat(v.value, ' ') FROM field_values v
                     JOIN field_defs f ON f.id = v.field_id
                    WHERE v.record_id = x.id AND v.value IS NOT NULL
                      AND v.deleted_at IS NULL AND f.deleted_at IS NULL))
      FROM customers x WHERE x.id IN (SELECT record_id FROM field_values WHERE field_id = new.id) AND x.deleted_at IS NULL;
    DELETE FROM search_index
     WHERE rowid IN (SELECT x.rowid * 4 + 1 FROM contacts x WHERE x.id IN (SELECT record_id FROM field_values WHERE field_id = new.id));
    INSERT INTO search_index (rowid, kind, row_id, title, body)
    SELECT x.rowid * 4 + 1, 'contact', x.id, x.name,
           concat_ws(' ', x.email, x.phone, x.title, (SELECT group_concat(v.value, ' ') FROM field_values v
                     JOIN field_defs f ON f.id = v.field_id
                    WHERE v.record_id = x.id AND v.value IS NOT NULL
                      AND v.deleted_at IS NULL AND f.deleted_at IS NULL))
      FROM contacts x WHERE x.id IN (SELECT record_id FROM field_values WHERE field_id = new.id) AND x.deleted_at IS NULL;
    DELETE FROM search_index
     WHERE rowid IN (SELECT x.rowid * 4 + 2 FROM deals x WHERE x.id IN (SELECT record_id FROM field_values WHERE field_id = new.id));
    INSERT INTO search_index (rowid, kind, row_id, title, body)
    SELECT x.rowid * 4 + 2, 'deal', x.id, x.title,
           concat_ws(' ', x.source, x.notes, (SELECT group_concat(v.value, ' ') FROM field_values v
                     JOIN field_defs f ON f.id = v.field_id
                    WHERE v.record_id = x.id AND v.value IS NOT NULL
                      AND v.deleted_at IS NULL AND f.deleted_at IS NULL))
      FROM deals x WHERE x.id IN (SELECT record_id FROM field_values WHERE field_id = new.id) AND x.deleted_at IS NULL;
END;
