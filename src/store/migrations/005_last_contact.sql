-- SalesDesk schema, version 5: each customer's last contact, kept as the activities change.
--
-- When a customer was last contacted (their latest done activity) decides when a revisit
-- is due, and `remind`, the Agenda, the Customers board and Reports all ask it of every
-- customer. Working it out from the activities each time reads every activity of the
-- book (tens of milliseconds at 100k deals, too slow for a shell prompt), so it is kept
-- here instead, by triggers, as derived data: it is never synced, never undone on its own
-- and always equal to
--
--     SELECT customer_id, max(done_at) FROM activities
--      WHERE customer_id IS NOT NULL AND done_at IS NOT NULL AND deleted_at IS NULL
--      GROUP BY customer_id
--
-- (`last_contact_is_what_the_activities_say` checks that after random writes.) A bulk
-- load drops the triggers with the indexes and fills the table once at the end.
CREATE TABLE customer_last_contact (
    customer_id TEXT PRIMARY KEY,
    at          INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO customer_last_contact (customer_id, at)
SELECT customer_id, max(done_at) FROM activities
 WHERE customer_id IS NOT NULL AND done_at IS NOT NULL AND deleted_at IS NULL
 GROUP BY customer_id;

-- A new done activity can only move a last contact later.
CREATE TRIGGER last_contact_ai AFTER INSERT ON activities
WHEN new.customer_id IS NOT NULL AND new.done_at IS NOT NULL AND new.deleted_at IS NULL
BEGIN
    INSERT INTO customer_last_contact (customer_id, at) VALUES (new.customer_id, new.done_at)
    ON CONFLICT (customer_id) DO UPDATE SET at = max(at, excluded.at);
END;

-- A change of customer, done time or deletion can move it either way, for the old
-- customer and the new one: both are worked out again from their activities (an index
-- lookup each, on activities_customer).
CREATE TRIGGER last_contact_au AFTER UPDATE OF customer_id, done_at, deleted_at ON activities
WHEN old.customer_id IS NOT NULL OR new.customer_id IS NOT NULL
BEGIN
    DELETE FROM customer_last_contact WHERE customer_id IN (old.customer_id, new.customer_id);
    INSERT INTO customer_last_contact (customer_id, at)
    SELECT customer_id, max(done_at) FROM activities
     WHERE customer_id IN (old.customer_id, new.customer_id)
       AND done_at IS NOT NULL AND deleted_at IS NULL
     GROUP BY customer_id;
END;

CREATE TRIGGER last_contact_ad AFTER DELETE ON activities
WHEN old.customer_id IS NOT NULL
BEGIN
    DELETE FROM customer_last_contact WHERE customer_id = old.customer_id;
    INSERT INTO customer_last_contact (customer_id, at)
    SELECT customer_id, max(done_at) FROM activities
     WHERE customer_id = old.customer_id AND done_at IS NOT NULL AND deleted_at IS NULL
     GROUP BY customer_id;
END;
