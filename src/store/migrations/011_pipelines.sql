-- SalesDesk schema, version 11: pipelines, each with its own ordered stages.
--
-- A book has one or more pipelines (a team selling new business and renewals through
-- different steps). Every stage belongs to one; the stages a book already has become the
-- "Sales" pipeline, with nothing moved. Its id is fixed, like the default stages' ids, so
-- that every teammate's database (and the team file, which is migrated the same way)
-- holds the same row without having to sync it.
--
-- A deal's pipeline is its stage's: it is not stored a second time on the deal, where
-- per-field merging could leave the two disagreeing.
--
-- `moved_to` on a deleted stage names the stage that took its deals. A teammate who had
-- not yet seen the delete may move a deal into the old stage; after a merge such a deal
-- is sent on along `moved_to`, so no deal is left in a stage that no longer exists.
CREATE TABLE pipelines (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    position   INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted_at INTEGER
);

INSERT INTO pipelines (id, name, position, created_at, updated_at)
VALUES ('pipeline-sales', 'Sales', 0, 0, 0);

-- SQLite cannot add a REFERENCES column with a default; the merge checks the reference.
ALTER TABLE stages ADD COLUMN pipeline_id TEXT NOT NULL DEFAULT 'pipeline-sales';
ALTER TABLE stages ADD COLUMN moved_to TEXT;

CREATE INDEX stages_pipeline ON stages (pipeline_id, position) WHERE deleted_at IS NULL;

-- Lists the team keeps in the book rather than in each person's config: the lost reasons
-- the lost picker offers and the sources deal forms suggest (free text stays allowed).
-- The id is "<list>:<lower-case name>", so the same entry added on two machines is one
-- row; removing it is a tombstone, and adding it again brings the row back.
CREATE TABLE list_items (
    id         TEXT PRIMARY KEY,
    list       TEXT NOT NULL CHECK (list IN ('lost_reason', 'source')),
    name       TEXT NOT NULL,
    position   INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted_at INTEGER
);
