-- SalesDesk team hub, server schema version 5: a new sequence number for every row and
-- set entry written, whoever writes it; no signatures; the catalogs read by name.
--
-- Sequence numbers. A pull asks for the rows numbered past its cursor, so every write of
-- a row must give it a new number, and numbers must become visible in the order they
-- were given (a cursor past a number never comes back for it). Until now a row's number
-- came from the column's default, from `push`'s `SET seq = nextval(…)`, and from the
-- `vouch` trigger; a row mended by hand in psql without a new `seq` kept its old number,
-- so no client, its cursor past that number, ever pulled the change; and a set entry
-- (a site, a key, a site's claim) took whatever number its writer gave it: a rep's
-- entry numbered a little ahead made teammates' cursors pass the next rows written,
-- unseen, and one numbered far ahead sent every member back to the start at every sync.
-- From this version:
--
-- * the hub numbers whatever is written, whatever the statement set `seq` to: the
--   `vouch` trigger every row inserted or updated, the `numbered` trigger every set
--   entry. The columns have no default, and `push` and `owner_moved` no longer set
--   them. No row or entry is written without a new number of its own. Numbers may be
--   skipped, which no cursor minds: the proposed insert of an upsert of a row the hub
--   has draws one before PostgreSQL finds the row and writes the update (numbered
--   again) instead, and the numbers of a write rolled back are never given again
--   (when row-level security refuses a row of a table's batch, `push` writes that
--   table's rows again one by one).
-- * every statement that writes or deletes rows or set entries first takes the hub's
--   write lock (the advisory lock `push` has always taken, held to the end of the
--   transaction), before its first row is locked or numbered. Numbers are drawn only
--   under that lock and the lock is let go only when the transaction has committed or
--   rolled back, so transactions that write commit in the order of their numbers: a
--   pull that sees a number sees every smaller one that will ever be committed. This
--   held before only for `push`; now it holds for a hand-made statement too. A row an
--   upsert found cannot be deleted before the upsert writes it either. (Not every
--   hand-made transaction is safe from a deadlock: one that locks a row without the
--   write lock, by SELECT … FOR UPDATE or FOR SHARE, and writes afterwards may wait
--   for the lock while a push holding it waits for that row. PostgreSQL then ends one
--   of the two, rolled back whole: a push fails and is made again at the next sync.
--   Take the lock first, or write first. An open transaction that wrote holds every
--   member's push back until it ends: keep hand-made transactions short, and see
--   `idle_in_transaction_session_timeout` in the README.)
--
-- Signatures. A hub vouches for authorship itself (version 4) and no client reads a
-- hub row's signatures, yet every push still read them from the client's database and
-- sent them (385 MB for a team moved from a signed 100k-deal team file). `push` no
-- longer takes them and the hub no longer keeps them. A SalesDesk of version 4 that
-- still calls the old `push` is told to upgrade.
--
-- Catalogs. The functions that run as the schema's owner (SECURITY DEFINER) searched
-- `pg_catalog` only, and PostgreSQL then looks for a table named without its schema in
-- the caller's temporary schema first: a rep's temporary table named `pg_namespace`
-- made `my_kind()` call them an admin. Every such function of the schema now searches
-- `pg_catalog, pg_temp` (the temporary schema last), and those made here name the
-- catalogs with their schema.
--
-- Rows' makers, keys and clocks. Each of these let a rep past the rows that are theirs:
--
-- * `claim_member` trusted the login that last pushed a member's record (`pushed_by`),
--   which any rep becomes by editing that shared record with a later clock of their own:
--   a rep then claimed a member who had left, been removed or not yet claimed their id,
--   and read and wrote that member's book. A row now keeps the login that made it
--   (`made_by`, set once by `vouch`, nobody's to change), and only the maker of a
--   member's record may claim that member.
-- * A row's key (`tbl`, `row_id`) is the schema's owner's alone to change: `vouch`
--   compared values and clocks only, and credited a renamed row to its last pusher.
-- * A customer, a contact and a deal never share an id: a field value names its record
--   by id alone, so a rep's deal with a teammate's customer's id showed the rep that
--   customer's field values.
-- * Every clock a rep or a manager brings is written as clients write clocks
--   (`0001764072000000-00000-0123456789abcdef`), its time no later than the hub's now
--   plus the day a client allows a teammate's clock when merging: a clock from the far
--   future would win every later write of its field.

CREATE FUNCTION salesdesk.take_write_lock() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    -- The same number as `WRITE_LOCK` in the client and as `push` takes.
    PERFORM pg_catalog.pg_advisory_xact_lock(6493730954064953345);
    RETURN NULL;
END
$$;
CREATE TRIGGER write_lock BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON salesdesk.rows
    FOR EACH STATEMENT EXECUTE FUNCTION salesdesk.take_write_lock();
CREATE TRIGGER write_lock BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON salesdesk.sites
    FOR EACH STATEMENT EXECUTE FUNCTION salesdesk.take_write_lock();
CREATE TRIGGER write_lock BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON salesdesk.member_keys
    FOR EACH STATEMENT EXECUTE FUNCTION salesdesk.take_write_lock();
CREATE TRIGGER write_lock BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON salesdesk.site_claims
    FOR EACH STATEMENT EXECUTE FUNCTION salesdesk.take_write_lock();

-- A set entry's number is the hub's to give, as a row's is: a writer's own is replaced.
CREATE FUNCTION salesdesk.number_entry() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    NEW.seq := pg_catalog.nextval('salesdesk.change_seq');
    RETURN NEW;
END
$$;
ALTER TABLE salesdesk.sites ALTER COLUMN seq DROP DEFAULT;
ALTER TABLE salesdesk.member_keys ALTER COLUMN seq DROP DEFAULT;
ALTER TABLE salesdesk.site_claims ALTER COLUMN seq DROP DEFAULT;
CREATE TRIGGER numbered BEFORE INSERT OR UPDATE ON salesdesk.sites
    FOR EACH ROW EXECUTE FUNCTION salesdesk.number_entry();
CREATE TRIGGER numbered BEFORE INSERT OR UPDATE ON salesdesk.member_keys
    FOR EACH ROW EXECUTE FUNCTION salesdesk.number_entry();
CREATE TRIGGER numbered BEFORE INSERT OR UPDATE ON salesdesk.site_claims
    FOR EACH ROW EXECUTE FUNCTION salesdesk.number_entry();

ALTER TABLE salesdesk.rows ALTER COLUMN seq DROP DEFAULT;
-- Dropping a column rewrites nothing: the space the signatures took comes back as rows
-- are written again, or at once with VACUUM FULL salesdesk.rows.
ALTER TABLE salesdesk.rows DROP COLUMN sigs;

-- The login that made a row: set by `vouch` when the row is inserted, kept from then on.
-- The rows made before this version take the login that last pushed them, the closest
-- the hub knows; only a member's record is asked for (by `claim_member`), so only those
-- are filled, which rewrites no other row. The triggers are off meanwhile, so that the
-- rows keep their numbers and nobody's pull brings them again.
ALTER TABLE salesdesk.rows ADD COLUMN made_by text;
ALTER TABLE salesdesk.rows DISABLE TRIGGER USER;
UPDATE salesdesk.rows SET made_by = pushed_by WHERE tbl = 'members';
ALTER TABLE salesdesk.rows ENABLE TRIGGER USER;

-- A customer, a contact and a deal never share an id: a field value names its record by
-- id alone, and the hub shows a rep the values of the records the rep may see. A row that
-- takes another's id fails on this index, and `push` refuses it alone, as it refuses a
-- row `vouch` or the policies refuse (a query of the table per row, in `vouch`, would
-- cost each row a probe the planner may make a scan of the table). (SalesDesk
-- makes every id a UUID; a hub where two such records already share one, which only a
-- hand-made row can do, is not upgraded until its admin deletes or renames one of them:
-- PostgreSQL names the id.)
CREATE UNIQUE INDEX rows_record_key ON salesdesk.rows (row_id)
    WHERE tbl IN ('customers', 'contacts', 'deals');

-- Whether `hlc` is a clock as clients write it, its time no later than the hub's now plus
-- the day a client allows a teammate's clock (`MAX_CLOCK_DRIFT_MS`). Without settings of
-- its own, so that `vouch`'s queries inline it and it runs with their search path (a SET
-- makes every call a call: a rep's 20k-row insert of 8 clocks a row took 3.0 s instead
-- of 2.7, and an edit of each row 2.8 s instead of 1.8).
CREATE FUNCTION salesdesk.is_sane_clock(hlc text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    -- The time is read only from a clock of the right form (CASE, unlike AND, decides
    -- the order): another would fail the cast, and with it the whole push.
    SELECT CASE WHEN hlc ~ '^[0-9]{16}-[0-9]{5}-[0-9a-f]{16}$'
                THEN left(hlc, 16)::bigint
                     <= (extract(epoch FROM now()) * 1000)::bigint + 24 * 60 * 60 * 1000
                ELSE false END
$$;

CREATE OR REPLACE FUNCTION salesdesk.vouch() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    k text;
    unclocked text;
BEGIN
    -- The sequence number is the hub's to give, for every row written, whoever writes
    -- it and whatever the statement set it to (a number far ahead would send every
    -- client back to the start, as after a restore from a backup; one behind, or the
    -- old one kept, would hide the change). The statement took the write lock before
    -- its first row. (The proposed insert of an upsert of a row the hub has draws one
    -- too, which is skipped: its update is what is written, numbered again.)
    NEW.seq := nextval('salesdesk.change_seq');
    -- Who made a row is set once, whoever writes it later (`claim_member` asks for it).
    IF TG_OP = 'INSERT' THEN
        NEW.made_by := session_user;
    ELSE
        NEW.made_by := OLD.made_by;
        -- A row's key is its own: renamed, a teammate's row would pass as the writer's
        -- (or the writer's as a teammate's). Only the schema's owner mends keys by hand.
        IF (NEW.tbl, NEW.row_id) IS DISTINCT FROM (OLD.tbl, OLD.row_id)
           AND session_user <> current_user THEN
            RAISE EXCEPTION 'the key of % % is not to change', OLD.tbl, OLD.row_id
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.data = OLD.data AND NEW.clocks = OLD.clocks
       AND NEW.bases = OLD.bases THEN
        -- Sent again unchanged, or numbered again (`owner_moved`).
        NEW.pushed_by := OLD.pushed_by;
        RETURN NEW;
    END IF;
    NEW.pushed_by := session_user;
    -- Inside this function `current_user` is the schema's owner, who made the team: an
    -- admin, told apart without a query (a team's first push brings every row). Other
    -- admins are asked for below, after the cheaper test of an upsert's proposed insert.
    IF session_user = current_user THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        -- The proposed insert of an upsert of a row the hub has: its update, checked by
        -- this trigger too, is what is written (or, without ON CONFLICT, this row is
        -- refused as a duplicate). The row cannot be gone before the conflict is
        -- found: a DELETE waits for the write lock this statement holds, and the lock
        -- taken here refuses a row deleted after a REPEATABLE READ transaction began.
        PERFORM 1 FROM salesdesk.rows r WHERE r.tbl = NEW.tbl AND r.row_id = NEW.row_id
            FOR KEY SHARE;
        IF FOUND THEN
            RETURN NEW;
        END IF;
    END IF;
    IF salesdesk.my_kind() = 'admin' THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        -- A new row is its maker's: its own clock (`*`) must be this login's. A
        -- teammate's later value of one of its fields, which this login merged from
        -- elsewhere (a team file, or before the hub was restored from a backup), stays
        -- under the row's clock, as this login's, until the teammate brings their own.
        IF NOT salesdesk.is_my_clock(NEW.clocks ->> '*') THEN
            RAISE EXCEPTION 'the clock of % % names a site that is not this login''s',
                            NEW.tbl, NEW.row_id
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        FOR k IN SELECT c.key FROM jsonb_each_text(NEW.clocks) AS c
                  WHERE NOT salesdesk.is_my_clock(c.value) LOOP
            NEW.clocks := NEW.clocks - k;
            NEW.bases := NEW.bases - k;
        END LOOP;
        SELECT c.key INTO k FROM jsonb_each_text(NEW.clocks) AS c
         WHERE NOT salesdesk.is_sane_clock(c.value) LIMIT 1;
        IF k IS NOT NULL THEN
            RAISE EXCEPTION 'the clock of % in % % is not a clock of now',
                            k, NEW.tbl, NEW.row_id
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END IF;
    -- Every clock entry the update changes, adds or drops must be a later clock of this
    -- login's own. Any other is not taken: a teammate's later write of a field, which
    -- this login merged from elsewhere, is theirs to bring; the hub keeps its own value,
    -- clock and base of that field and takes the rest of the row, so that this login's
    -- own edits of the record are not held back. The row's own clock (`*`, stamped when
    -- it was made) is never another's to change. (Clocks compare byte by byte, as
    -- SQLite compares them.) A clock of this login's that is not a clock of now (see
    -- `is_sane_clock`) refuses the row.
    SELECT keys.k INTO k
      FROM (SELECT jsonb_object_keys(NEW.clocks) AS k) AS keys
     WHERE (NEW.clocks ->> keys.k) IS DISTINCT FROM (OLD.clocks ->> keys.k)
       AND salesdesk.is_my_clock(NEW.clocks ->> keys.k)
       AND NOT salesdesk.is_sane_clock(NEW.clocks ->> keys.k)
     LIMIT 1;
    IF k IS NOT NULL THEN
        RAISE EXCEPTION 'the clock of % in % % is not a clock of now', k, NEW.tbl, NEW.row_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    FOR k IN SELECT keys.k
               FROM (SELECT jsonb_object_keys(NEW.clocks) AS k
                     UNION SELECT jsonb_object_keys(OLD.clocks)) AS keys
              WHERE (NEW.clocks ->> keys.k) IS DISTINCT FROM (OLD.clocks ->> keys.k)
                AND NOT ((NEW.clocks ->> keys.k) COLLATE "C"
                             > coalesce(OLD.clocks ->> keys.k, '') COLLATE "C"
                         AND salesdesk.is_my_clock(NEW.clocks ->> keys.k)) LOOP
        IF k = '*' THEN
            RAISE EXCEPTION 'the clock of % % names a site that is not this login''s',
                            NEW.tbl, NEW.row_id
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        NEW.data := CASE WHEN OLD.data ? k THEN jsonb_set(NEW.data, ARRAY[k], OLD.data -> k)
                         ELSE NEW.data - k END;
        NEW.clocks := CASE WHEN OLD.clocks ? k
                           THEN jsonb_set(NEW.clocks, ARRAY[k], OLD.clocks -> k)
                           ELSE NEW.clocks - k END;
        NEW.bases := CASE WHEN OLD.bases ? k THEN jsonb_set(NEW.bases, ARRAY[k], OLD.bases -> k)
                          ELSE NEW.bases - k END;
    END LOOP;
    -- What a write replaced (its base, which decides whether a teammate is told of a
    -- conflict) travels only with a clock of this write.
    FOR k IN SELECT keys.k
               FROM (SELECT jsonb_object_keys(NEW.bases) AS k
                     UNION SELECT jsonb_object_keys(OLD.bases)) AS keys
              WHERE (NEW.bases -> keys.k) IS DISTINCT FROM (OLD.bases -> keys.k)
                AND (NEW.clocks ->> keys.k) IS NOT DISTINCT FROM (OLD.clocks ->> keys.k) LOOP
        NEW.bases := CASE WHEN OLD.bases ? k THEN jsonb_set(NEW.bases, ARRAY[k], OLD.bases -> k)
                          ELSE NEW.bases - k END;
    END LOOP;
    -- A value is a field's and its clock is the later of the field's and the row's.
    SELECT f INTO unclocked
      FROM (SELECT jsonb_object_keys(NEW.data) AS f
            UNION SELECT jsonb_object_keys(OLD.data)) AS fields
     WHERE (NEW.data -> f) IS DISTINCT FROM (OLD.data -> f)
       AND (greatest(NEW.clocks ->> f COLLATE "C", NEW.clocks ->> '*' COLLATE "C")
            > greatest(OLD.clocks ->> f COLLATE "C", OLD.clocks ->> '*' COLLATE "C"))
           IS NOT TRUE
     LIMIT 1;
    IF unclocked IS NOT NULL THEN
        RAISE EXCEPTION 'the value of % in % % changed without a new clock',
                        unclocked, NEW.tbl, NEW.row_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;

-- Reassigning a customer or a deal moves its visibility (version 2): the rows that hang
-- on it are written again, unchanged, so that `vouch` numbers them anew and the new
-- owner's next pull brings them.
CREATE OR REPLACE FUNCTION salesdesk.owner_moved() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NEW.tbl = 'customers' THEN
        UPDATE salesdesk.rows SET seq = seq
         WHERE customer_id = NEW.row_id AND tbl <> 'customers';
        UPDATE salesdesk.rows SET seq = seq
         WHERE tbl = 'field_values'
           AND (record_id = NEW.row_id
                OR record_id IN (SELECT row_id FROM salesdesk.rows
                                  WHERE tbl IN ('contacts', 'deals')
                                    AND customer_id = NEW.row_id));
        UPDATE salesdesk.rows SET seq = seq
         WHERE tbl IN ('stage_changes', 'activities')
           AND deal_id IN (SELECT row_id FROM salesdesk.rows
                            WHERE tbl = 'deals' AND customer_id = NEW.row_id);
    ELSIF NEW.tbl = 'deals' THEN
        UPDATE salesdesk.rows SET seq = seq
         WHERE (tbl IN ('stage_changes', 'activities') AND deal_id = NEW.row_id)
            OR (tbl = 'field_values' AND record_id = NEW.row_id);
    END IF;
    RETURN NULL;
END
$$;

-- The `push` of version 4, with the signatures, which a SalesDesk connected before the
-- upgrade still calls: told what its version check would have said.
CREATE OR REPLACE FUNCTION salesdesk.push(
    cursor_seq bigint, first_call boolean,
    tbls text[], ids text[], datas jsonb[], clockss jsonb[], basess jsonb[], sigss jsonb[],
    site_ids text[], site_members text[], key_members text[], keys bytea[],
    claim_sites text[], claim_sigs bytea[],
    OUT overtaken boolean, OUT newer boolean, OUT last_seq bigint, OUT refused integer[])
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'the team database was set up by a newer SalesDesk (server schema version 5; this one knows up to 4); upgrade SalesDesk to sync with it'
        USING ERRCODE = 'feature_not_supported';
END
$$;

-- As in version 4, without the signatures, without numbering rows (`vouch` does), and
-- adding only the set entries the hub lacks (an entry it has, proposed again at every
-- push, would otherwise draw a number from the `numbered` trigger for nothing).
CREATE FUNCTION salesdesk.push(
    cursor_seq bigint, first_call boolean,
    tbls text[], ids text[], datas jsonb[], clockss jsonb[], basess jsonb[],
    site_ids text[], site_members text[], key_members text[], keys bytea[],
    claim_sites text[], claim_sigs bytea[],
    OUT overtaken boolean, OUT newer boolean, OUT last_seq bigint, OUT refused integer[])
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    t text;
    i integer;
    s bigint;
BEGIN
    overtaken := false;
    newer := false;
    last_seq := 0;
    refused := '{}';
    PERFORM pg_advisory_xact_lock(6493730954064953345);
    IF first_call THEN
        IF EXISTS (SELECT 1 FROM salesdesk.rows r
                     JOIN unnest(tbls, ids) AS p (tbl, row_id)
                       ON r.tbl = p.tbl AND r.row_id = p.row_id
                    WHERE r.seq > cursor_seq) THEN
            overtaken := true;
            RETURN;
        END IF;
        newer := EXISTS (SELECT 1 FROM salesdesk.rows WHERE seq > cursor_seq)
              OR EXISTS (SELECT 1 FROM salesdesk.sites WHERE seq > cursor_seq)
              OR EXISTS (SELECT 1 FROM salesdesk.member_keys WHERE seq > cursor_seq)
              OR EXISTS (SELECT 1 FROM salesdesk.site_claims WHERE seq > cursor_seq);
    END IF;
    -- The sets first, each only what this login may speak for: a member's rows need its
    -- site on the hub, and a teammate's site or key the hub lacks is theirs to bring.
    WITH a AS (INSERT INTO salesdesk.sites (site_id, member_id)
               SELECT u.site_id, u.member_id
                 FROM unnest(site_ids, site_members) AS u (site_id, member_id)
                WHERE salesdesk.may_speak_for(u.member_id)
                  AND NOT EXISTS (SELECT 1 FROM salesdesk.sites x WHERE x.site_id = u.site_id)
               ON CONFLICT DO NOTHING RETURNING seq)
    SELECT greatest(last_seq, coalesce(max(seq), 0)) INTO last_seq FROM a;
    WITH b AS (INSERT INTO salesdesk.member_keys (member_id, public_key)
               SELECT u.member_id, u.public_key
                 FROM unnest(key_members, keys) AS u (member_id, public_key)
                WHERE salesdesk.may_speak_for(u.member_id)
                  AND NOT EXISTS (SELECT 1 FROM salesdesk.member_keys x
                                   WHERE x.member_id = u.member_id)
               ON CONFLICT DO NOTHING RETURNING seq)
    SELECT greatest(last_seq, coalesce(max(seq), 0)) INTO last_seq FROM b;
    WITH c AS (INSERT INTO salesdesk.site_claims (site_id, sig)
               SELECT u.site_id, u.sig FROM unnest(claim_sites, claim_sigs) AS u (site_id, sig)
                WHERE salesdesk.may_speak_for((SELECT s.member_id FROM salesdesk.sites s
                                                WHERE s.site_id = u.site_id))
                  AND NOT EXISTS (SELECT 1 FROM salesdesk.site_claims x
                                   WHERE x.site_id = u.site_id)
               ON CONFLICT DO NOTHING RETURNING seq)
    SELECT greatest(last_seq, coalesce(max(seq), 0)) INTO last_seq FROM c;
    FOR t IN SELECT u.tbl FROM unnest(tbls) WITH ORDINALITY AS u (tbl, n)
              GROUP BY u.tbl ORDER BY min(u.n) LOOP
        BEGIN
            WITH up AS (
                INSERT INTO salesdesk.rows (tbl, row_id, data, clocks, bases)
                SELECT u.tbl, u.row_id, u.data, u.clocks, u.bases
                  FROM unnest(tbls, ids, datas, clockss, basess)
                       AS u (tbl, row_id, data, clocks, bases)
                 WHERE u.tbl = t
                ON CONFLICT (tbl, row_id) DO UPDATE
                   SET data = excluded.data, clocks = excluded.clocks, bases = excluded.bases
                RETURNING seq)
            SELECT greatest(last_seq, coalesce(max(seq), 0)) INTO last_seq FROM up;
        EXCEPTION WHEN insufficient_privilege OR unique_violation THEN
            -- Some row of this table is not the member's to write, or takes another
            -- record's id: one by one.
            FOR i IN SELECT u.n FROM unnest(tbls) WITH ORDINALITY AS u (tbl, n)
                      WHERE u.tbl = t ORDER BY u.n LOOP
                BEGIN
                    INSERT INTO salesdesk.rows (tbl, row_id, data, clocks, bases)
                    VALUES (tbls[i], ids[i], datas[i], clockss[i], basess[i])
                    ON CONFLICT (tbl, row_id) DO UPDATE
                       SET data = excluded.data, clocks = excluded.clocks,
                           bases = excluded.bases
                    RETURNING seq INTO s;
                    last_seq := greatest(last_seq, s);
                EXCEPTION WHEN insufficient_privilege OR unique_violation THEN
                    refused := refused || i;
                END;
            END LOOP;
        END;
    END LOOP;
END
$$;

-- The catalogs, named with their schema (see above): who owns the schema is an admin;
-- `members` lists them; `leave` keeps them; `add_member` makes a login that no role has.
CREATE OR REPLACE FUNCTION salesdesk.my_kind() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT CASE
        WHEN session_user = (SELECT pg_catalog.pg_get_userbyid(n.nspowner)
                               FROM pg_catalog.pg_namespace n
                              WHERE n.nspname = 'salesdesk') THEN 'admin'
        ELSE (SELECT m.kind FROM salesdesk.team_members m WHERE m.login = session_user)
    END
$$;

CREATE OR REPLACE FUNCTION salesdesk.members()
RETURNS TABLE (login text, kind text, member_ids text[])
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT m.login, m.kind,
           coalesce((SELECT array_agg(l.member_id ORDER BY l.member_id)
                       FROM salesdesk.member_logins l WHERE l.login = m.login), '{}')
      FROM salesdesk.team_members m
    UNION ALL
    SELECT pg_catalog.pg_get_userbyid(n.nspowner), 'admin',
           coalesce((SELECT array_agg(l.member_id ORDER BY l.member_id)
                       FROM salesdesk.member_logins l
                      WHERE l.login = pg_catalog.pg_get_userbyid(n.nspowner)), '{}')
      FROM pg_catalog.pg_namespace n
     WHERE n.nspname = 'salesdesk'
       AND NOT EXISTS (SELECT 1 FROM salesdesk.team_members m
                        WHERE m.login = pg_catalog.pg_get_userbyid(n.nspowner))
    ORDER BY 1
$$;

CREATE OR REPLACE FUNCTION salesdesk.leave(member text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    me text := session_user;
BEGIN
    DELETE FROM salesdesk.member_logins l WHERE l.member_id = member AND l.login = me;
    IF EXISTS (SELECT 1 FROM salesdesk.member_logins l WHERE l.login = me)
       OR me = (SELECT pg_catalog.pg_get_userbyid(n.nspowner) FROM pg_catalog.pg_namespace n
                 WHERE n.nspname = 'salesdesk') THEN
        RETURN;
    END IF;
    DELETE FROM salesdesk.team_members m WHERE m.login = me;
    EXECUTE format('REVOKE ALL ON salesdesk.rows, salesdesk.sites, salesdesk.member_keys,
                    salesdesk.site_claims, salesdesk.meta, salesdesk.team_members FROM %I', me);
    EXECUTE format('REVOKE ALL ON SEQUENCE salesdesk.change_seq FROM %I', me);
    EXECUTE format('REVOKE ALL ON SCHEMA salesdesk FROM %I', me);
    BEGIN
        EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM %I', current_database(), me);
    EXCEPTION WHEN insufficient_privilege THEN
        NULL;
    END;
END
$$;

CREATE OR REPLACE FUNCTION salesdesk.add_member(login text, kind text, password text,
                                                member text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM salesdesk.require_admin();
    IF kind NOT IN ('rep', 'manager', 'admin') THEN
        RAISE EXCEPTION 'a role is rep, manager or admin, not %', kind;
    END IF;
    IF EXISTS (SELECT 1 FROM salesdesk.team_members m WHERE m.login = add_member.login) THEN
        RAISE EXCEPTION '% is already a member of the team', login;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = add_member.login) THEN
        EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', login, password);
    ELSE
        EXECUTE format('ALTER ROLE %I LOGIN', login);
    END IF;
    BEGIN
        EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), login);
    EXCEPTION WHEN insufficient_privilege THEN
        -- Not the database's owner: CONNECT is then the DBA's to give (PUBLIC has it
        -- unless revoked).
        NULL;
    END;
    EXECUTE format('GRANT USAGE ON SCHEMA salesdesk TO %I', login);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE ON salesdesk.rows, salesdesk.sites,
                    salesdesk.member_keys, salesdesk.site_claims TO %I', login);
    EXECUTE format('GRANT SELECT ON salesdesk.meta, salesdesk.team_members TO %I', login);
    EXECUTE format('GRANT USAGE ON SEQUENCE salesdesk.change_seq TO %I', login);
    INSERT INTO salesdesk.team_members (login, kind) VALUES (login, kind);
    IF member IS NOT NULL THEN
        IF EXISTS (SELECT 1 FROM salesdesk.member_logins l
                    WHERE l.member_id = member AND l.login <> add_member.login) THEN
            RAISE EXCEPTION 'that member already syncs through another login';
        END IF;
        INSERT INTO salesdesk.member_logins (member_id, login) VALUES (member, login)
        ON CONFLICT (member_id) DO NOTHING;
    END IF;
END
$$;

-- Claims `member` for the calling login, as in version 2, but only a member whose record
-- this login made, or whose record the hub lacks: the last to push a member's record may
-- be any teammate who edited it.
CREATE OR REPLACE FUNCTION salesdesk.claim_member(member text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    holder text;
BEGIN
    SELECT l.login INTO holder FROM salesdesk.member_logins l WHERE l.member_id = member;
    IF holder = session_user THEN
        RETURN;
    END IF;
    IF holder IS NOT NULL OR EXISTS (SELECT 1 FROM salesdesk.rows r
                                      WHERE r.tbl = 'members' AND r.row_id = member
                                        AND r.made_by IS DISTINCT FROM session_user) THEN
        RAISE EXCEPTION 'this database''s member already syncs through another login'
            USING HINT = 'each person joins with their own login';
    END IF;
    INSERT INTO salesdesk.member_logins (member_id, login) VALUES (member, session_user);
END
$$;

-- Last, after every function this version makes: every function of the schema that
-- runs as its owner looks in the caller's temporary schema last, not first.
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
              WHERE p.prosecdef AND p.pronamespace = 'salesdesk'::regnamespace LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = pg_catalog, pg_temp', f);
    END LOOP;
END
$$;
