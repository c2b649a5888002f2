-- SalesDesk team hub, server schema version 3: a sync in two round trips, cursors checked
-- against the server, members who leave (issue #20).
--
-- `push` does a whole push in one statement: it takes the write lock, refuses (writing
-- nothing) when a row it carries changed on the hub after the client's cursor, upserts
-- the rows table by table (in the order the client sends them, so that row-level
-- security finds a deal before its stage changes) and adds the set entries the hub lacks.
-- It runs as the caller, so row-level security applies: a row the policies refuse is left
-- out and its index returned, and the rest are written.

-- The newest sequence number handed out: a client whose cursor is past it syncs with a
-- hub restored from an older backup.
CREATE FUNCTION salesdesk.high_water() RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM salesdesk.change_seq
$$;

CREATE FUNCTION salesdesk.push(
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
                       seq = nextval('salesdesk.change_seq'), pushed_by = session_user
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
                           seq = nextval('salesdesk.change_seq'), pushed_by = session_user
                    RETURNING seq INTO s;
                    last_seq := greatest(last_seq, s);
                EXCEPTION WHEN insufficient_privilege THEN
                    refused := refused || i;
                END;
            END LOOP;
        END;
    END LOOP;
    WITH a AS (INSERT INTO salesdesk.sites (site_id, member_id)
               SELECT * FROM unnest(site_ids, site_members)
               ON CONFLICT DO NOTHING RETURNING seq),
         b AS (INSERT INTO salesdesk.member_keys (member_id, public_key)
               SELECT * FROM unnest(key_members, keys)
               ON CONFLICT DO NOTHING RETURNING seq),
         c AS (INSERT INTO salesdesk.site_claims (site_id, sig)
               SELECT * FROM unnest(claim_sites, claim_sigs)
               ON CONFLICT DO NOTHING RETURNING seq)
    SELECT greatest(last_seq, coalesce(max(seq), 0)) INTO last_seq
      FROM (SELECT seq FROM a UNION ALL SELECT seq FROM b UNION ALL SELECT seq FROM c) x;
END
$$;

-- The team's members as an admin or `team status` lists them: each login, what it may
-- do, and the local member ids it syncs as.
CREATE FUNCTION salesdesk.members()
RETURNS TABLE (login text, kind text, member_ids text[])
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT m.login, m.kind,
           coalesce((SELECT array_agg(l.member_id ORDER BY l.member_id)
                       FROM salesdesk.member_logins l WHERE l.login = m.login), '{}')
      FROM salesdesk.team_members m
    UNION ALL
    SELECT pg_get_userbyid(n.nspowner), 'admin',
           coalesce((SELECT array_agg(l.member_id ORDER BY l.member_id)
                       FROM salesdesk.member_logins l
                      WHERE l.login = pg_get_userbyid(n.nspowner)), '{}')
      FROM pg_namespace n
     WHERE n.nspname = 'salesdesk'
       AND NOT EXISTS (SELECT 1 FROM salesdesk.team_members m
                        WHERE m.login = pg_get_userbyid(n.nspowner))
    ORDER BY 1
$$;

-- `team leave`: the calling login gives up the member id it synced this database as;
-- a login left with none no longer counts as a member and loses its grants, so that an
-- admin can drop it. (The schema's owner stays: it owns the team.)
CREATE FUNCTION salesdesk.leave(member text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    me text := session_user;
BEGIN
    DELETE FROM salesdesk.member_logins l WHERE l.member_id = member AND l.login = me;
    IF EXISTS (SELECT 1 FROM salesdesk.member_logins l WHERE l.login = me)
       OR me = (SELECT pg_get_userbyid(nspowner) FROM pg_namespace
                 WHERE nspname = 'salesdesk') THEN
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
