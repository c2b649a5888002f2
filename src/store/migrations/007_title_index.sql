-- SalesDesk schema, version 7: deal titles indexed without case.
--
-- A deal is named by its title (any case) on the command line, and shell completion
-- offers the titles that start with what was typed. Both read `title COLLATE NOCASE`:
-- `=` for a reference, `LIKE 'ab%'` for a completion (SQLite's LIKE optimisation uses a
-- NOCASE index). Without this index each was a scan of every deal (about 0.1 s at 100k
-- deals). Customers have had an index on their name since version 1. `deleted_at` and
-- `customer_id` make it covering for completion, which groups deals by title and counts
-- them without reading their rows.
CREATE INDEX deals_title ON deals (title COLLATE NOCASE, deleted_at, customer_id);
