-- SalesDesk schema, version 5: the quarantine. See src/store/quarantine.rs.
--
-- What a merge refused from a teammate's team file: a row that breaks the rules (a
-- negative amount, a 30 MB title, a stage that does not exist, a clock from the far
-- future), a site or member claim the file cannot make. Who (the site whose clock the row
-- carries, and the member that site writes as), what (table, row, field; '' for the whole
-- row) and why. Local to this database like `conflicts`: a team file carries it empty.
-- `skipped` is 0 for what was merged but is worth knowing (a second device of a member).
CREATE TABLE quarantine (
    id       INTEGER PRIMARY KEY,
    site     TEXT NOT NULL,
    member   TEXT,
    tbl      TEXT NOT NULL,
    row_id   TEXT NOT NULL,
    field    TEXT NOT NULL,
    reason   TEXT NOT NULL,
    skipped  INTEGER NOT NULL DEFAULT 1,
    first_at INTEGER NOT NULL,
    last_at  INTEGER NOT NULL,
    times    INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX quarantine_once ON quarantine (tbl, row_id, field, reason);
CREATE INDEX quarantine_recent ON quarantine (last_at);
