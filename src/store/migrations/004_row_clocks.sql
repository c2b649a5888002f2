-- SalesDesk schema, version 4: one clock per inserted row.
--
-- An insert now stamps a single `field_clock` entry for the whole row, under the field
-- '*'; an update still stamps each field it writes. A field's clock is the later of its
-- own entry and its row's. Rows written before this version keep their entries per field,
-- which mean the same thing under that rule, so no data changes. The version still goes
-- up: a SalesDesk of version 3 would not understand a row clock in a team file, and it
-- refuses a file of a newer version.
--
-- What a local write replaced (`field_base`) is now the field's clock by that rule. The
-- first write of a field after its insert creates the field's entry instead of updating
-- it, so it needs a trigger of its own.
--
-- And a run of local writes to one field between syncs now keeps the base of its first
-- write: the value from elsewhere that the run replaced. Version 2 recorded each write's
-- immediate predecessor, so after two edits of a field the base was my own first edit,
-- and a teammate whose value I had seen and replaced was told it was a conflict.
DROP TRIGGER field_clock_base;

CREATE TRIGGER field_clock_base AFTER UPDATE OF hlc ON field_clock
WHEN new.hlc <> old.hlc
 AND new.field <> '*'
 AND substr(new.hlc, -16) = (SELECT value FROM meta WHERE key = 'site_id')
BEGIN
    INSERT INTO field_base (tbl, row_id, field, hlc, base)
    SELECT new.tbl, new.row_id, new.field, new.hlc,
           CASE WHEN substr(p.prev, -16) = (SELECT value FROM meta WHERE key = 'site_id')
                THEN coalesce((SELECT b.base FROM field_base b
                                WHERE b.tbl = new.tbl AND b.row_id = new.row_id
                                  AND b.field = new.field AND b.hlc = p.prev), p.prev)
                ELSE p.prev
           END
      FROM (SELECT max(old.hlc, coalesce((SELECT r.hlc FROM field_clock r
                                           WHERE r.tbl = new.tbl AND r.row_id = new.row_id
                                             AND r.field = '*'), '')) AS prev) AS p
     WHERE true
    ON CONFLICT (tbl, row_id, field) DO UPDATE SET hlc = excluded.hlc, base = excluded.base;
END;

CREATE TRIGGER field_clock_base_first AFTER INSERT ON field_clock
WHEN new.field <> '*'
 AND substr(new.hlc, -16) = (SELECT value FROM meta WHERE key = 'site_id')
BEGIN
    DELETE FROM field_base
     WHERE tbl = new.tbl AND row_id = new.row_id AND field = new.field;
    INSERT INTO field_base (tbl, row_id, field, hlc, base)
    SELECT new.tbl, new.row_id, new.field, new.hlc, r.hlc
      FROM field_clock r
     WHERE r.tbl = new.tbl AND r.row_id = new.row_id AND r.field = '*'
       AND r.hlc < new.hlc;
END;
