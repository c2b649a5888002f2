-- SalesDesk schema: signed changes (issue #16). See src/store/signing.rs.
--
-- Each member's database holds an ed25519 key pair; the private key stays in `meta`
-- (which a team file never carries), the public key is the member's row here. Keys are
-- trusted on first use: the first key this database meets for a member is kept, and a
-- different one later is quarantined, not taken.
CREATE TABLE member_keys (
    member_id  TEXT PRIMARY KEY,
    public_key BLOB NOT NULL
) WITHOUT ROWID;

-- A site's mapping to its member (in `sites`), signed by that member. A site without one
-- is from before keys.
CREATE TABLE site_claims (
    site_id TEXT PRIMARY KEY,
    sig     BLOB NOT NULL
) WITHOUT ROWID;

-- The author's signature of each clock entry: over the team, the entry (table, row,
-- field or '*', clock), the clock it replaced (`field_base`), and the digests of the
-- values it stood for when signed (`vals`, see src/domain/sign.rs). One per entry, like
-- `field_clock`; `hlc` says which clock it signs, so a stale one is told apart.
CREATE TABLE signatures (
    tbl    TEXT NOT NULL,
    row_id TEXT NOT NULL,
    field  TEXT NOT NULL,
    hlc    TEXT NOT NULL,
    vals   BLOB NOT NULL,
    sig    BLOB NOT NULL,
    PRIMARY KEY (tbl, row_id, field)
) WITHOUT ROWID;
