-- SalesDesk team hub, server schema version 1 (DESIGN §8). Everything lives in the schema
-- `salesdesk`, which `salesdesk team init postgres://…` creates.
--
-- A team's data is kept as whole rows of the local tables, each with its per-field clocks:
-- the hub is a team file in PostgreSQL. Clients merge; the server only stores what they
-- push and hands out what changed since a cursor. Every write takes the next value of one
-- sequence, and writers take one lock (an advisory lock) for their transaction, so
-- sequence numbers become visible in order and a reader's cursor never skips a write.

CREATE TABLE salesdesk.meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);

CREATE SEQUENCE salesdesk.change_seq;

-- One row of a local table (`tbl`, e.g. 'deals'): `data` its columns but `id`, `clocks`
-- its field_clock entries (field or '*' → clock), `bases` what its local writes replaced
-- (field → [clock, base]), `sigs` its authors' signatures (field → [clock, vals, sig],
-- hex). The owner, customer and deal it belongs to are kept apart for row-level security.
CREATE TABLE salesdesk.rows (
    tbl         text   NOT NULL,
    row_id      text   NOT NULL,
    data        jsonb  NOT NULL,
    clocks      jsonb  NOT NULL,
    bases       jsonb  NOT NULL DEFAULT '{}',
    sigs        jsonb  NOT NULL DEFAULT '{}',
    seq         bigint NOT NULL DEFAULT nextval('salesdesk.change_seq'),
    owner_id    text GENERATED ALWAYS AS (data ->> 'owner_id') STORED,
    customer_id text GENERATED ALWAYS AS (data ->> 'customer_id') STORED,
    deal_id     text GENERATED ALWAYS AS (data ->> 'deal_id') STORED,
    PRIMARY KEY (tbl, row_id)
);
CREATE INDEX rows_seq ON salesdesk.rows (seq);
CREATE INDEX rows_owner ON salesdesk.rows (owner_id);
CREATE INDEX rows_customer ON salesdesk.rows (customer_id);

-- Sets, merged by union: which member each site writes as, members' public keys, and
-- sites' signed claims (see the local migration 010).
CREATE TABLE salesdesk.sites (
    site_id   text   PRIMARY KEY,
    member_id text   NOT NULL,
    seq       bigint NOT NULL DEFAULT nextval('salesdesk.change_seq')
);
CREATE TABLE salesdesk.member_keys (
    member_id  text   PRIMARY KEY,
    public_key bytea  NOT NULL,
    seq        bigint NOT NULL DEFAULT nextval('salesdesk.change_seq')
);
CREATE TABLE salesdesk.site_claims (
    site_id text   PRIMARY KEY,
    sig     bytea  NOT NULL,
    seq     bigint NOT NULL DEFAULT nextval('salesdesk.change_seq')
);
CREATE INDEX sites_seq ON salesdesk.sites (seq);
CREATE INDEX member_keys_seq ON salesdesk.member_keys (seq);
CREATE INDEX site_claims_seq ON salesdesk.site_claims (seq);
