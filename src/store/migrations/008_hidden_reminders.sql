-- SalesDesk schema, version 8: the open reminders that do not count, kept as the data
-- changes.
--
-- An open reminder (scheduled, not done, not deleted) counts unless its deal is lost,
-- deleted or missing, or its customer is deleted. `remind --count`, run by a shell prompt
-- on every line, counted the live ones by probing each open reminder's deal and customer:
-- 13k probes at 100k deals, most of its time. Hidden reminders are few, so the count is
-- now every open reminder in the range (from the `activities_open_live` index alone)
-- minus the hidden ones in it, from this table. It is derived data, kept by triggers,
-- never synced nor undone on its own, and always equal to
--
--     SELECT a.id, a.due_at, a.owner_id FROM activities a
--      WHERE a.done_at IS NULL AND a.due_at IS NOT NULL AND a.deleted_at IS NULL
--        AND ((a.deal_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM deals d
--               WHERE d.id = a.deal_id AND d.deleted_at IS NULL AND d.status != 'lost'))
--             OR EXISTS (SELECT 1 FROM customers c
--               WHERE c.id = a.customer_id AND c.deleted_at IS NOT NULL))
--
-- (`hidden_reminders_are_what_the_rows_say` checks that after random writes.) Each trigger
-- works out again the reminders of the row that changed, by that rule. A bulk load drops
-- the triggers with the indexes and fills the table once at the end.
CREATE TABLE reminder_hidden (
    activity_id TEXT PRIMARY KEY,
    due_at      INTEGER NOT NULL,
    owner_id    TEXT
) WITHOUT ROWID;

INSERT INTO reminder_hidden (activity_id, due_at, owner_id)
SELECT a.id, a.due_at, a.owner_id FROM activities a
 WHERE a.done_at IS NULL AND a.due_at IS NOT NULL AND a.deleted_at IS NULL
   AND ((a.deal_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM deals d
          WHERE d.id = a.deal_id AND d.deleted_at IS NULL AND d.status != 'lost'))
        OR EXISTS (SELECT 1 FROM customers c
          WHERE c.id = a.customer_id AND c.deleted_at IS NOT NULL));

CREATE TRIGGER reminder_hidden_ai AFTER INSERT ON activities
WHEN new.done_at IS NULL AND new.due_at IS NOT NULL AND new.deleted_at IS NULL
BEGIN
    INSERT OR REPLACE INTO reminder_hidden (activity_id, due_at, owner_id)
    SELECT new.id, new.due_at, new.owner_id
     WHERE (new.deal_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM deals d
             WHERE d.id = new.deal_id AND d.deleted_at IS NULL AND d.status != 'lost'))
        OR EXISTS (SELECT 1 FROM customers c
             WHERE c.id = new.customer_id AND c.deleted_at IS NOT NULL);
END;

CREATE TRIGGER reminder_hidden_au
AFTER UPDATE OF id, done_at, due_at, deleted_at, deal_id, customer_id, owner_id ON activities
BEGIN
    DELETE FROM reminder_hidden WHERE activity_id IN (old.id, new.id);
    INSERT INTO reminder_hidden (activity_id, due_at, owner_id)
    SELECT new.id, new.due_at, new.owner_id
     WHERE new.done_at IS NULL AND new.due_at IS NOT NULL AND new.deleted_at IS NULL
       AND ((new.deal_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM deals d
              WHERE d.id = new.deal_id AND d.deleted_at IS NULL AND d.status != 'lost'))
            OR EXISTS (SELECT 1 FROM customers c
              WHERE c.id = new.customer_id AND c.deleted_at IS NOT NULL));
END;

CREATE TRIGGER reminder_hidden_ad AFTER DELETE ON activities
BEGIN
    DELETE FROM reminder_hidden WHERE activity_id = old.id;
END;

-- A deal's status or tombstone (or its existence) decides for its reminders: they are
-- worked out again (an index lookup on activities_deal).
CREATE TRIGGER reminder_hidden_deal_ai AFTER INSERT ON deals
BEGIN
    DELETE FROM reminder_hidden
     WHERE activity_id IN (SELECT id FROM activities WHERE deal_id = new.id);
    INSERT INTO reminder_hidden (activity_id, due_at, owner_id)
    SELECT a.id, a.due_at, a.owner_id FROM activities a
     WHERE a.deal_id = new.id
       AND a.done_at IS NULL AND a.due_at IS NOT NULL AND a.deleted_at IS NULL
       AND ((new.deleted_at IS NOT NULL OR new.status = 'lost')
            OR EXISTS (SELECT 1 FROM customers c
              WHERE c.id = a.customer_id AND c.deleted_at IS NOT NULL));
END;

CREATE TRIGGER reminder_hidden_deal_au AFTER UPDATE OF id, status, deleted_at ON deals
BEGIN
    DELETE FROM reminder_hidden
     WHERE activity_id IN (SELECT id FROM activities WHERE deal_id IN (old.id, new.id));
    INSERT INTO reminder_hidden (activity_id, due_at, owner_id)
    SELECT a.id, a.due_at, a.owner_id FROM activities a
     WHERE a.deal_id IN (old.id, new.id)
       AND a.done_at IS NULL AND a.due_at IS NOT NULL AND a.deleted_at IS NULL
       AND (NOT EXISTS (SELECT 1 FROM deals d
              WHERE d.id = a.deal_id AND d.deleted_at IS NULL AND d.status != 'lost')
            OR EXISTS (SELECT 1 FROM customers c
              WHERE c.id = a.customer_id AND c.deleted_at IS NOT NULL));
END;

CREATE TRIGGER reminder_hidden_deal_ad AFTER DELETE ON deals
BEGIN
    INSERT OR REPLACE INTO reminder_hidden (activity_id, due_at, owner_id)
    SELECT a.id, a.due_at, a.owner_id FROM activities a
     WHERE a.deal_id = old.id
       AND a.done_at IS NULL AND a.due_at IS NOT NULL AND a.deleted_at IS NULL;
END;

-- A customer's tombstone (or existence) decides for the reminders it holds directly.
CREATE TRIGGER reminder_hidden_customer_ai AFTER INSERT ON customers
WHEN new.deleted_at IS NOT NULL
BEGIN
    INSERT OR REPLACE INTO reminder_hidden (activity_id, due_at, owner_id)
    SELECT a.id, a.due_at, a.owner_id FROM activities a
     WHERE a.customer_id = new.id
       AND a.done_at IS NULL AND a.due_at IS NOT NULL AND a.deleted_at IS NULL;
END;

CREATE TRIGGER reminder_hidden_customer_au AFTER UPDATE OF id, deleted_at ON customers
BEGIN
    DELETE FROM reminder_hidden
     WHERE activity_id IN (SELECT id FROM activities WHERE customer_id IN (old.id, new.id));
    INSERT INTO reminder_hidden (activity_id, due_at, owner_id)
    SELECT a.id, a.due_at, a.owner_id FROM activities a
     WHERE a.customer_id IN (old.id, new.id)
       AND a.done_at IS NULL AND a.due_at IS NOT NULL AND a.deleted_at IS NULL
       AND ((a.deal_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM deals d
              WHERE d.id = a.deal_id AND d.deleted_at IS NULL AND d.status != 'lost'))
            OR EXISTS (SELECT 1 FROM customers c
              WHERE c.id = a.customer_id AND c.deleted_at IS NOT NULL));
END;

CREATE TRIGGER reminder_hidden_customer_ad AFTER DELETE ON customers
BEGIN
    DELETE FROM reminder_hidden
     WHERE activity_id IN (SELECT id FROM activities WHERE customer_id = old.id);
    INSERT INTO reminder_hidden (activity_id, due_at, owner_id)
    SELECT a.id, a.due_at, a.owner_id FROM activities a
     WHERE a.customer_id = old.id
       AND a.done_at IS NULL AND a.due_at IS NOT NULL AND a.deleted_at IS NULL
       AND a.deal_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM deals d
              WHERE d.id = a.deal_id AND d.deleted_at IS NULL AND d.status != 'lost');
END;
