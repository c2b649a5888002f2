-- SalesDesk schema, version 9: indexes that let the Reports read deals without their rows.
--
-- Reports read every deal: the open ones (forecast and pipeline, grouped by stage,
-- currency and month of expected close), the closed ones (win rate, cycle, lost reasons,
-- repurchase) and the deleted ones (whose stage history does not count). Reading the
-- deal rows, titles and notes and all, was about half of a report's time at 100k deals;
-- these partial indexes hold just what each part reads, in the order the open pipeline
-- groups by, so SQLite groups it without sorting (issue 17).
CREATE INDEX deals_report_open
    ON deals (stage_id, currency, expected_close, amount_minor, customer_id, status, deleted_at)
    WHERE status = 'open' AND deleted_at IS NULL;
CREATE INDEX deals_report_closed
    ON deals (status, closed_at, currency, amount_minor, created_at, customer_id, lost_reason,
              deleted_at)
    WHERE status IN ('won', 'lost') AND deleted_at IS NULL;
CREATE INDEX deals_deleted ON deals (deleted_at, id) WHERE deleted_at IS NOT NULL;
