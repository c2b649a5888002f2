-- SalesDesk team hub, server schema version 4: the hub vouches for who wrote what (issue #20).
--
-- A team file can be rewritten by anyone with the folder, so its readers verify each
-- clock's ed25519 signature (local migration 010). A hub authenticates every login, so it
-- can refuse a false author itself, once, when the write arrives, instead of every reader
-- verifying every signature (650k of them in a first join of a 100k-deal team). From
-- this version clients take the hub's word for authorship:
--
-- * a row write (through `push` or straight through psql) may bring only later clocks
--   of the writing login's own sites, and may change a value, or what a write replaced
--   (its base), only with such a clock. A new row must be made under the login's own
--   row clock; in an updated row, any other change of a clock (a teammate's later value
--   merged from a team file or before the hub was restored from a backup, a clock put
--   back or dropped) is not taken, and the rest of the row is. An admin, who makes and
--   moves whole teams with everyone's history, may bring anyone's;
-- * the sequence number is the hub's to give, whoever writes;
-- * a site, a public key or a site's claim is added only for a member the login syncs as
--   (or by an admin), so nobody can speak for a teammate's site or key first;
-- * `pushed_by` is the login that last wrote the row's values, set by the hub: a login
--   cannot set it, nor move it by re-sending a row unchanged.
--
-- `push` adds the set entries before the rows (a member's first push brings its site),
-- and leaves out what a login may not add instead of failing the whole push.

CREATE FUNCTION salesdesk.may_speak_for(member text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT salesdesk.my_kind() = 'admin' OR salesdesk.is_mine(member)
$$;

-- Whether `hlc` is a clock of one of the calling login's own sites (a clock ends with its
-- site's id, 16 characters).
CREATE FUNCTION salesdesk.is_my_clock(hlc text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT EXISTS (SELECT 1 FROM salesdesk.sites s
                     JOIN salesdesk.member_logins l ON l.member_id = s.member_id
                    WHERE s.site_id = right(hlc, 16) AND l.login = session_user)
$$;

CREATE FUNCTION salesdesk.vouch() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    k text;
    unclocked text;
BEGIN
    -- The sequence number is the hub's to give: a write that sets one of its own (a
    -- number far ahead would send every client back to the start, as after a restore
    -- from a backup; one behind would hide the change) gets the next one instead.
    IF TG_OP = 'INSERT' OR NEW.seq IS DISTINCT FROM OLD.seq THEN
        NEW.seq := nextval('salesdesk.change_seq');
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.data = OLD.data AND NEW.clocks = OLD.clocks
       AND NEW.bases = OLD.bases THEN
        -- Sent again unchanged, or given a new sequence number (`owner_moved`).
        NEW.pushed_by := OLD.pushed_by;
        RETURN NEW;
    END IF;
    NEW.pushed_by := session_user;
    -- Inside this function `current_user` is the schema's owner, who made the team: an
    -- admin, told apart without a query (a team's first push brings every row).
    IF session_user = current_user OR salesdesk.my_kind() = 'admin' THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF EXISTS (SELECT 1 FROM salesdesk.rows r
                    WHERE r.tbl = NEW.tbl AND r.row_id = NEW.row_id) THEN
            -- An upsert of a row the hub has: its update is checked, by this trigger too.
            RETURN NEW;
        END IF;
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
        RETURN NEW;
    END IF;
    -- Every clock entry the update changes, adds or drops must be a later clock of this
    -- login's own. Any other is not taken: a teammate's later write of a field, which
    -- this login merged from elsewhere, is theirs to bring; the hub keeps its own value,
    -- clock and base of that field and takes the rest of the row, so that this login's
    -- own edits of the record are not held back. The row's own clock (`*`, stamped when
    -- it was made) is never another's to change. (Clocks compare byte by byte, as
    -- SQLite compares them.)
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
CREATE TRIGGER vouch BEFORE INSERT OR UPDATE ON salesdesk.rows
    FOR EACH ROW EXECUTE FUNCTION salesdesk.vouch();

ALTER TABLE salesdesk.sites ENABLE ROW LEVEL SECURITY;
CREATE POLICY read ON salesdesk.sites FOR SELECT USING (true);
CREATE POLICY add ON salesdesk.sites FOR INSERT
    WITH CHECK (salesdesk.may_speak_for(member_id));

ALTER TABLE salesdesk.member_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY read ON salesdesk.member_keys FOR SELECT USING (true);
CREATE POLICY add ON salesdesk.member_keys FOR INSERT
    WITH CHECK (salesdesk.may_speak_for(member_id));

ALTER TABLE salesdesk.site_claims ENABLE ROW LEVEL SECURITY;
CREATE POLICY read ON salesdesk.site_claims FOR SELECT USING (true);
CREATE POLICY add ON salesdesk.site_claims FOR INSERT
    WITH CHECK (salesdesk.may_speak_for((SELECT s.member_id FROM salesdesk.sites s
                                          WHERE s.site_id = site_claims.site_id)));

CREATE OR REPLACE FUNCTION salesdesk.push(
    cursor_seq bigint, first_call boolean,
    tbls text[], ids text[], datas jsonb[], clockss jsonb[], basess jsonb[], sigss jsonb[],
    site_ids text[], site_members text[], key_members text[], keys bytea[],
    claim_sites text[], claim_sigs bytea[],
    OUT overtaken boolean, OUT newer boolean, OUT last_seq bigint, OUT refused integer[])
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
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
               ON CONFLICT DO NOTHING RETURNING seq)
    SELECT greatest(last_seq, coalesce(max(seq), 0)) INTO last_seq FROM a;
    WITH b AS (INSERT INTO salesdesk.member_keys (member_id, public_key)
               SELECT u.member_id, u.public_key
                 FROM unnest(key_members, keys) AS u (member_id, public_key)
                WHERE salesdesk.may_speak_for(u.member_id)
               ON CONFLICT DO NOTHING RETURNING seq)
    SELECT greatest(last_seq, coalesce(max(seq), 0)) INTO last_seq FROM b;
    WITH c AS (INSERT INTO salesdesk.site_claims (site_id, sig)
               SELECT u.site_id, u.sig FROM unnest(claim_sites, claim_sigs) AS u (site_id, sig)
                WHERE salesdesk.may_speak_for((SELECT s.member_id FROM salesdesk.sites s
                                                WHERE s.site_id = u.site_id))
               ON CONFLICT DO NOTHING RETURNING seq)
    SELECT greatest(last_seq, coalesce(max(seq), 0)) INTO last_seq FROM c;
    FOR t IN SELECT u.tbl FROM unnest(tbls) WITH ORDINALITY AS u (tbl, n)
              GROUP BY u.tbl ORDER BY min(u.n) LOOP
        BEGIN
            WITH up AS (
                INSERT INTO salesdesk.rows (tbl, row_id, data, clocks, bases, sigs)
                SELECT u.tbl, u.row_id, u.data, u.clocks, u.bases, u.sigs
                  FROM unnest(tbls, ids, datas, clockss, basess, sigss)
                       AS u (tbl, row_id, data, clocks, bases, sigs)
                 WHERE u.tbl = t
                ON CONFLICT (tbl, row_id) DO UPDATE
                   SET data = excluded.data, clocks = excluded.clocks,
                       bases = excluded.bases, sigs = excluded.sigs,
                       seq = nextval('salesdesk.change_seq')
                RETURNING seq)
            SELECT greatest(last_seq, coalesce(max(seq), 0)) INTO last_seq FROM up;
        EXCEPTION WHEN insufficient_privilege THEN
            -- Some row of this table is not the member's to write: one by one.
            FOR i IN SELECT u.n FROM unnest(tbls) WITH ORDINALITY AS u (tbl, n)
                      WHERE u.tbl = t ORDER BY u.n LOOP
                BEGIN
                    INSERT INTO salesdesk.rows (tbl, row_id, data, clocks, bases, sigs)
                    VALUES (tbls[i], ids[i], datas[i], clockss[i], basess[i], sigss[i])
                    ON CONFLICT (tbl, row_id) DO UPDATE
                       SET data = excluded.data, clocks = excluded.clocks,
                           bases = excluded.bases, sigs = excluded.sigs,
                           seq = nextval('salesdesk.change_seq')
                    RETURNING seq INTO s;
                    last_seq := greatest(last_seq, s);
                EXCEPTION WHEN insufficient_privilege THEN
                    refused := refused || i;
                END;
            END LOOP;
        END;
    END LOOP;
END
$$;

-- Row-level security, decided once per statement instead of once per row. The policies
-- of version 2 called `my_kind()` and `rep_may_see(…)` for every row a query looked at;
-- as SECURITY DEFINER functions they cannot be inlined, so a rep's first pull of a
-- 100k-deal team ran one to three lookups per row of 650k, over a minute. Now the
-- caller's kind and the ids of what a rep may see are each worked out once, in a
-- sub-select the planner runs before the rows and hashes: the rules of `rep_may_see`,
-- as sets.

-- The member ids the calling login syncs as.
CREATE FUNCTION salesdesk.my_member_ids() RETURNS SETOF text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT member_id FROM salesdesk.member_logins WHERE login = session_user
$$;

-- The customers the calling login's members own.
CREATE FUNCTION salesdesk.my_customer_ids() RETURNS SETOF text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT r.row_id FROM salesdesk.rows r
     WHERE r.tbl = 'customers'
       AND r.owner_id IN (SELECT member_id FROM salesdesk.member_logins
                           WHERE login = session_user)
$$;

-- The deals the calling login's members own, or whose customer they own.
CREATE FUNCTION salesdesk.my_deal_ids() RETURNS SETOF text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT r.row_id FROM salesdesk.rows r
     WHERE r.tbl = 'deals'
       AND (r.owner_id IN (SELECT member_id FROM salesdesk.member_logins
                            WHERE login = session_user)
            OR r.customer_id IN (SELECT salesdesk.my_customer_ids()))
$$;

-- The contacts of the customers the calling login's members own.
CREATE FUNCTION salesdesk.my_contact_ids() RETURNS SETOF text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT r.row_id FROM salesdesk.rows r
     WHERE r.tbl = 'contacts' AND r.customer_id IN (SELECT salesdesk.my_customer_ids())
$$;

-- Without a WITH CHECK of their own, the policies check what a write leaves by the same
-- rule as what it may touch.
DROP POLICY everything ON salesdesk.rows;
DROP POLICY own_book ON salesdesk.rows;
CREATE POLICY everything ON salesdesk.rows
    USING ((SELECT salesdesk.my_kind()) IN ('manager', 'admin'));
CREATE POLICY own_book ON salesdesk.rows
    USING ((SELECT salesdesk.my_kind()) = 'rep' AND (
        tbl IN ('members', 'pipelines', 'stages', 'list_items', 'field_defs')
        OR (tbl IN ('customers', 'deals', 'activities')
            AND owner_id IN (SELECT salesdesk.my_member_ids()))
        OR (tbl IN ('deals', 'contacts', 'customer_tags', 'activities')
            AND customer_id IN (SELECT salesdesk.my_customer_ids()))
        OR (tbl IN ('activities', 'stage_changes')
            AND deal_id IN (SELECT salesdesk.my_deal_ids()))
        OR (tbl = 'field_values'
            AND (record_id IN (SELECT salesdesk.my_customer_ids())
                 OR record_id IN (SELECT salesdesk.my_deal_ids())
                 OR record_id IN (SELECT salesdesk.my_contact_ids())))));
