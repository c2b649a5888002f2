-- SalesDesk schema, version 1. See DESIGN.md §2.
-- Ids are UUIDv7 text; instants are unix milliseconds UTC; dates are YYYY-MM-DD text;
-- money is integer minor units plus an ISO 4217 code; deleted_at marks a tombstone.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE members (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    email      TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted_at INTEGER
);

CREATE TABLE stages (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    position    INTEGER NOT NULL,
    probability INTEGER NOT NULL CHECK (probability BETWEEN 0 AND 100),
    rot_days    INTEGER NOT NULL DEFAULT 14,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    deleted_at  INTEGER
);

CREATE TABLE customers (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL DEFAULT 'company' CHECK (kind IN ('company', 'person')),
    industry     TEXT,
    region       TEXT,
    tier         TEXT NOT NULL DEFAULT 'normal' CHECK (tier IN ('key', 'normal', 'low')),
    status       TEXT NOT NULL DEFAULT 'prospect'
                 CHECK (status IN ('prospect', 'active', 'at_risk', 'churned')),
    owner_id     TEXT,
    satisfaction INTEGER CHECK (satisfaction BETWEEN 1 AND 5),
    source       TEXT,
    website      TEXT,
    notes        TEXT,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    deleted_at   INTEGER
);
CREATE INDEX customers_status ON customers (status, name) WHERE deleted_at IS NULL;
CREATE INDEX customers_name ON customers (name COLLATE NOCASE);

CREATE TABLE contacts (
    id          TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    name        TEXT NOT NULL,
    title       TEXT,
    phone       TEXT,
    email       TEXT,
    is_primary  INTEGER NOT NULL DEFAULT 0,
    notes       TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    deleted_at  INTEGER
);
CREATE INDEX contacts_customer ON contacts (customer_id);

-- A set of tags per customer; the id is "<customer_id>:<lower-case tag>" so that the same
-- tag added on two machines is one row, and removing it is a tombstone.
CREATE TABLE customer_tags (
    id          TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    tag         TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    deleted_at  INTEGER
);
CREATE INDEX customer_tags_customer ON customer_tags (customer_id);

CREATE TABLE deals (
    id             TEXT PRIMARY KEY,
    title          TEXT NOT NULL,
    customer_id    TEXT NOT NULL REFERENCES customers (id),
    contact_id     TEXT REFERENCES contacts (id),
    stage_id       TEXT NOT NULL REFERENCES stages (id),
    status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'won', 'lost')),
    amount_minor   INTEGER NOT NULL DEFAULT 0 CHECK (amount_minor >= 0),
    currency       TEXT NOT NULL,
    expected_close TEXT,
    source         TEXT,
    owner_id       TEXT,
    lost_reason    TEXT,
    closed_at      INTEGER,
    position       REAL NOT NULL DEFAULT 0,
    notes          TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    deleted_at     INTEGER
);
-- The board reads one stage's open deals in card order, a window at a time.
CREATE INDEX deals_board ON deals (stage_id, position, id) WHERE status = 'open' AND deleted_at IS NULL;
CREATE INDEX deals_customer ON deals (customer_id, status);
CREATE INDEX deals_status_closed ON deals (status, closed_at);

-- History: one row per stage or status change. Append-only; an undone change is
-- tombstoned rather than removed so that sync can still union by id.
CREATE TABLE stage_changes (
    id            TEXT PRIMARY KEY,
    deal_id       TEXT NOT NULL REFERENCES deals (id),
    from_stage_id TEXT,
    to_stage_id   TEXT NOT NULL,
    from_status   TEXT,
    to_status     TEXT NOT NULL,
    at            INTEGER NOT NULL,
    by            TEXT,
    deleted_at    INTEGER
);
CREATE INDEX stage_changes_deal ON stage_changes (deal_id, at);

CREATE TABLE activities (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL
                CHECK (kind IN ('call', 'email', 'meeting', 'visit', 'task', 'note', 'complaint', 'service')),
    subject     TEXT NOT NULL,
    body        TEXT,
    deal_id     TEXT REFERENCES deals (id),
    customer_id TEXT REFERENCES customers (id),
    contact_id  TEXT REFERENCES contacts (id),
    due_at      INTEGER,
    done_at     INTEGER,
    outcome     TEXT,
    owner_id    TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    deleted_at  INTEGER
);
-- Open reminders by due time (agenda, status bar, a deal's next follow-up).
CREATE INDEX activities_open_due ON activities (due_at) WHERE done_at IS NULL AND deleted_at IS NULL;
CREATE INDEX activities_deal ON activities (deal_id, done_at);
CREATE INDEX activities_customer ON activities (customer_id, done_at);

-- The per-field hybrid logical clock that team sync merges on.
CREATE TABLE field_clock (
    tbl    TEXT NOT NULL,
    row_id TEXT NOT NULL,
    field  TEXT NOT NULL,
    hlc    TEXT NOT NULL,
    PRIMARY KEY (tbl, row_id, field)
) WITHOUT ROWID;

-- Global search. The trigram tokenizer matches any substring of three or more
-- characters, which gives prefix search ("acm") and substring search in Chinese,
-- Japanese and Korean names, where words are not separated by spaces. The rowid is the
-- source row's rowid times 4 plus a kind number, so triggers update it without a scan.
CREATE VIRTUAL TABLE search_index USING fts5 (
    kind UNINDEXED,
    row_id UNINDEXED,
    title,
    body,
    tokenize = 'trigram'
);

CREATE TRIGGER customers_ai AFTER INSERT ON customers WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO search_index (rowid, kind, row_id, title, body)
    VALUES (new.rowid * 4, 'customer', new.id, new.name,
            concat_ws(' ', new.industry, new.region, new.website, new.notes));
END;
CREATE TRIGGER customers_au AFTER UPDATE ON customers BEGIN
    DELETE FROM search_index WHERE rowid = old.rowid * 4;
    INSERT INTO search_index (rowid, kind, row_id, title, body)
    SELECT new.rowid * 4, 'customer', new.id, new.name,
           concat_ws(' ', new.industry, new.region, new.website, new.notes)
    WHERE new.deleted_at IS NULL;
END;

CREATE TRIGGER contacts_ai AFTER INSERT ON contacts WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO search_index (rowid, kind, row_id, title, body)
    VALUES (new.rowid * 4 + 1, 'contact', new.id, new.name,
            concat_ws(' ', new.email, new.phone, new.title));
END;
CREATE TRIGGER contacts_au AFTER UPDATE ON contacts BEGIN
    DELETE FROM search_index WHERE rowid = old.rowid * 4 + 1;
    INSERT INTO search_index (rowid, kind, row_id, title, body)
    SELECT new.rowid * 4 + 1, 'contact', new.id, new.name,
           concat_ws(' ', new.email, new.phone, new.title)
    WHERE new.deleted_at IS NULL;
END;

CREATE TRIGGER deals_ai AFTER INSERT ON deals WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO search_index (rowid, kind, row_id, title, body)
    VALUES (new.rowid * 4 + 2, 'deal', new.id, new.title, concat_ws(' ', new.source, new.notes));
END;
CREATE TRIGGER deals_au AFTER UPDATE OF title, source, notes, deleted_at ON deals BEGIN
    DELETE FROM search_index WHERE rowid = old.rowid * 4 + 2;
    INSERT INTO search_index (rowid, kind, row_id, title, body)
    SELECT new.rowid * 4 + 2, 'deal', new.id, new.title, concat_ws(' ', new.source, new.notes)
    WHERE new.deleted_at IS NULL;
END;

CREATE TRIGGER activities_ai AFTER INSERT ON activities WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO search_index (rowid, kind, row_id, title, body)
    VALUES (new.rowid * 4 + 3, 'activity', new.id, new.subject, concat_ws(' ', new.body, new.outcome));
END;
CREATE TRIGGER activities_au AFTER UPDATE OF subject, body, outcome, deleted_at ON activities BEGIN
    DELETE FROM search_index WHERE rowid = old.rowid * 4 + 3;
    INSERT INTO search_index (rowid, kind, row_id, title, body)
    SELECT new.rowid * 4 + 3, 'activity', new.id, new.subject, concat_ws(' ', new.body, new.outcome)
    WHERE new.deleted_at IS NULL;
END;
