-- SalesDesk schema, version 3: indexes that keep the Agenda and the Reports within the
-- budgets of DESIGN §7 at 100k deals, and a search trigger that fires only when what it
-- indexes changes. Indexes only; no data changes.
--
-- Most are partial indexes that also list the columns their own WHERE tests (always
-- NULL, or always 'open'): SQLite counts an index as covering only when it holds every
-- column the query names, the filter's too, and otherwise reads each row.

-- A customer's last contact (revisits due, in the Agenda, the Reports and `remind`): the
-- newest done activity, one seek per customer, without reading the activity rows.
CREATE INDEX activities_customer_done ON activities (customer_id, done_at, deleted_at)
    WHERE done_at IS NOT NULL AND deleted_at IS NULL;

-- Reminders due (the status bar, the Agenda, `remind`): the open ones in time order with
-- what the live-reminder filter reads, and a probe each into the live deals and the
-- deleted customers, all from indexes alone.
-- (Lists of reminders read `activities_open_due` of version 1, in time order.)
CREATE INDEX activities_open_live
    ON activities (due_at, owner_id, deal_id, customer_id, done_at, deleted_at)
    WHERE done_at IS NULL AND deleted_at IS NULL;
CREATE INDEX deals_live_not_lost ON deals (id, deleted_at, status)
    WHERE deleted_at IS NULL AND status != 'lost';
CREATE INDEX customers_deleted ON customers (id, deleted_at) WHERE deleted_at IS NOT NULL;

-- Whether a deal has a next step (the Agenda's "No next step"): one probe per deal.
CREATE INDEX activities_deal_scheduled ON activities (deal_id, done_at, due_at, deleted_at)
    WHERE done_at IS NULL AND due_at IS NOT NULL AND deleted_at IS NULL;

-- Open deals longest untouched first (the Agenda's "No next step"), read in order so
-- that the section's first rows come without sorting every open deal.
CREATE INDEX deals_open_untouched ON deals (updated_at, id, owner_id, status, deleted_at)
    WHERE status = 'open' AND deleted_at IS NULL;

-- Board column headers (count and totals per currency) from the index alone.
CREATE INDEX deals_open_totals
    ON deals (stage_id, currency, amount_minor, owner_id, status, deleted_at)
    WHERE status = 'open' AND deleted_at IS NULL;

-- A card's place in its column ("mine" filter included) from the index alone.
DROP INDEX deals_board;
CREATE INDEX deals_board ON deals (stage_id, position, id, owner_id, status, deleted_at)
    WHERE status = 'open' AND deleted_at IS NULL;

-- The funnel and time in stage read all live history deal by deal in time order, and a
-- deal's detail its own: both from the index alone.
DROP INDEX stage_changes_deal;
CREATE INDEX stage_changes_deal ON stage_changes (deal_id, at, to_stage_id, to_status, deleted_at);

-- Customers per status and tier, with satisfaction (Reports), from the index alone.
CREATE INDEX customers_groups ON customers (status, tier, satisfaction, deleted_at)
    WHERE deleted_at IS NULL;

-- Version 1 reindexed a customer on every update, a status move or a satisfaction
-- score too; now only when an indexed column or the tombstone changes.
DROP TRIGGER customers_au;
CREATE TRIGGER customers_au AFTER UPDATE OF name, industry, region, website, notes, deleted_at
ON customers BEGIN
    DELETE FROM search_index WHERE rowid = old.rowid * 4;
    INSERT INTO search_index (rowid, kind, row_id, title, body)
    SELECT new.rowid * 4, 'customer', new.id, new.name,
           concat_ws(' ', new.industry, new.region, new.website, new.notes)
    WHERE new.deleted_at IS NULL;
END;
