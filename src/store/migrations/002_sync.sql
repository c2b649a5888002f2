-- SalesDesk schema, version 2: team sync. See DESIGN.md §6.

-- Values this database set that a merge replaced with a teammate's: who, what, when.
-- Local to this database: merges never read it, and a team file carries it empty.
-- Resolution 'seen': the teammate had my value when they changed it (see field_base), so
-- there was nothing to decide; the entry is kept as history, already resolved.
-- The value columns have no type so that a value keeps its own (text, integer, real,
-- null) and can be written back exactly when the user restores it.
CREATE TABLE conflicts (
    id           INTEGER PRIMARY KEY,
    tbl          TEXT NOT NULL,
    row_id       TEXT NOT NULL,
    field        TEXT NOT NULL,
    mine_value,
    mine_hlc     TEXT NOT NULL,
    theirs_value,
    theirs_hlc   TEXT NOT NULL,
    their_site   TEXT NOT NULL,
    their_member TEXT,
    at           INTEGER NOT NULL,
    resolved_at  INTEGER,
    resolution   TEXT CHECK (resolution IN ('theirs', 'mine', 'seen'))
);
CREATE UNIQUE INDEX conflicts_once ON conflicts (tbl, row_id, field, mine_hlc, theirs_hlc);
CREATE INDEX conflicts_open ON conflicts (resolved_at, id);

-- Which member each site (one database) writes as, so that the site id at the end of a
-- clock names a person. Merged as a set; a site's member never changes.
CREATE TABLE sites (
    site_id   TEXT PRIMARY KEY,
    member_id TEXT NOT NULL
) WITHOUT ROWID;

-- For the latest local write of each field that replaced an earlier value: the clock of
-- the value it replaced. Merged along with the field's clock, so that a merge can tell a
-- teammate who changed my value after seeing it from one who never saw it (a conflict).
CREATE TABLE field_base (
    tbl    TEXT NOT NULL,
    row_id TEXT NOT NULL,
    field  TEXT NOT NULL,
    hlc    TEXT NOT NULL,
    base   TEXT NOT NULL,
    PRIMARY KEY (tbl, row_id, field)
) WITHOUT ROWID;

-- Every local write stamps field_clock with this site's clock; a merge stamps it with the
-- teammate's. Only the first kind records what it replaced.
CREATE TRIGGER field_clock_base AFTER UPDATE OF hlc ON field_clock
WHEN new.hlc <> old.hlc
 AND substr(new.hlc, -16) = (SELECT value FROM meta WHERE key = 'site_id')
BEGIN
    DELETE FROM field_base
     WHERE tbl = new.tbl AND row_id = new.row_id AND field = new.field;
    INSERT INTO field_base (tbl, row_id, field, hlc, base)
    VALUES (new.tbl, new.row_id, new.field, new.hlc, old.hlc);
END;
