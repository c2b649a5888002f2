-- SalesDesk schema, version 14: the Won and Lost columns read from an index alone.
--
-- The Won and Lost columns of the Pipeline board, per pipeline and owner: their header
-- totals, their windows (newest first) and a deal's place in them read every closed
-- deal's row for its stage, owner, currency and amount (43k rows in the 100k demo book,
-- 90 ms to show the closed columns). The report's index of closed deals (migration 009)
-- now also holds the id, stage and owner, so these read the index alone, and so does a
-- report of one pipeline.
DROP INDEX deals_report_closed;
CREATE INDEX deals_report_closed
    ON deals (status, closed_at, id, currency, amount_minor, created_at, customer_id,
              lost_reason, stage_id, owner_id, deleted_at)
    WHERE status IN ('won', 'lost') AND deleted_at IS NULL;
