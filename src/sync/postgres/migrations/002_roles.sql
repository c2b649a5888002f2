-- SalesDesk team hub, server schema version 2: roles that PostgreSQL enforces (issue #20).
--
-- Each member is a login role. `team_members` says what each login may do: a rep reads
-- and writes the customers they own, those customers' contacts, tags, deals and
-- activities, deals and activities they own, the custom field values of all those, and
-- every shared definition (members, pipelines, stages, lists, custom field definitions);
-- a manager reads and writes everything; an admin also adds
-- and removes members and changes roles. Whoever owns the schema (who ran `team init`)
-- is an admin, and as the tables' owner is not subject to row-level security.
--
-- A login syncs as one or more local members (a person's several databases): the first
-- sync of a database claims its member id for the login (`claim_member`). Row-level
-- security decides on the row's owner, customer and deal columns, through functions that
-- run as the schema's owner, so that the checks can read rows the caller may not.

CREATE TABLE salesdesk.team_members (
    login text PRIMARY KEY,
    kind  text NOT NULL CHECK (kind IN ('rep', 'manager', 'admin'))
);

CREATE TABLE salesdesk.member_logins (
    member_id text PRIMARY KEY,
    login     text NOT NULL
);

-- Who pushed each row last, so that a member id is claimed only by whoever wrote it.
ALTER TABLE salesdesk.rows ADD COLUMN pushed_by text NOT NULL DEFAULT session_user;
CREATE INDEX rows_deal ON salesdesk.rows (deal_id);
-- A custom field's value belongs to its record (a customer, contact or deal).
ALTER TABLE salesdesk.rows
    ADD COLUMN record_id text GENERATED ALWAYS AS (data ->> 'record_id') STORED;
CREATE INDEX rows_record ON salesdesk.rows (record_id);

CREATE FUNCTION salesdesk.my_kind() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT CASE
        WHEN session_user = (SELECT pg_get_userbyid(nspowner) FROM pg_namespace
                              WHERE nspname = 'salesdesk') THEN 'admin'
        ELSE (SELECT kind FROM salesdesk.team_members WHERE login = session_user)
    END
$$;

CREATE FUNCTION salesdesk.is_mine(owner text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT EXISTS (SELECT 1 FROM salesdesk.member_logins
                    WHERE member_id = owner AND login = session_user)
$$;

CREATE FUNCTION salesdesk.customer_is_mine(customer text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT EXISTS (SELECT 1 FROM salesdesk.rows r
                     JOIN salesdesk.member_logins l ON l.member_id = r.owner_id
                    WHERE r.tbl = 'customers' AND r.row_id = customer
                      AND l.login = session_user)
$$;

CREATE FUNCTION salesdesk.deal_is_mine(deal text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT EXISTS (SELECT 1 FROM salesdesk.rows r
                    WHERE r.tbl = 'deals' AND r.row_id = deal
                      AND (salesdesk.is_mine(r.owner_id)
                           OR salesdesk.customer_is_mine(r.customer_id)))
$$;

-- Whether a rep may read and write the row: the table's name, then its owner, customer,
-- deal and (for a custom field's value) record columns.
CREATE FUNCTION salesdesk.rep_may_see(t text, owner text, customer text, deal text,
                                      record text)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT CASE
        WHEN t IN ('members', 'pipelines', 'stages', 'list_items', 'field_defs') THEN true
        WHEN t = 'field_values' THEN
            salesdesk.customer_is_mine(record) OR salesdesk.deal_is_mine(record)
            OR EXISTS (SELECT 1 FROM salesdesk.rows c
                        WHERE c.tbl = 'contacts' AND c.row_id = record
                          AND salesdesk.customer_is_mine(c.customer_id))
        WHEN t = 'customers' THEN salesdesk.is_mine(owner)
        WHEN t = 'deals' THEN salesdesk.is_mine(owner) OR salesdesk.customer_is_mine(customer)
        WHEN t IN ('contacts', 'customer_tags') THEN salesdesk.customer_is_mine(customer)
        WHEN t = 'activities' THEN salesdesk.is_mine(owner)
                                   OR salesdesk.customer_is_mine(customer)
                                   OR salesdesk.deal_is_mine(deal)
        WHEN t = 'stage_changes' THEN salesdesk.deal_is_mine(deal)
        ELSE false
    END
$$;

ALTER TABLE salesdesk.rows ENABLE ROW LEVEL SECURITY;
CREATE POLICY everything ON salesdesk.rows
    USING (salesdesk.my_kind() IN ('manager', 'admin'))
    WITH CHECK (salesdesk.my_kind() IN ('manager', 'admin'));
CREATE POLICY own_book ON salesdesk.rows
    USING (salesdesk.my_kind() = 'rep'
           AND salesdesk.rep_may_see(tbl, owner_id, customer_id, deal_id, record_id))
    WITH CHECK (salesdesk.my_kind() = 'rep'
                AND salesdesk.rep_may_see(tbl, owner_id, customer_id, deal_id, record_id));

-- Reassigning a customer (or a deal, or moving a deal to another customer) moves its
-- visibility: the rows that hang on it take new sequence numbers, so that the new
-- owner's next pull brings them although that pull's cursor is past them.
CREATE FUNCTION salesdesk.owner_moved() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    IF NEW.tbl = 'customers' THEN
        UPDATE salesdesk.rows SET seq = nextval('salesdesk.change_seq')
         WHERE customer_id = NEW.row_id AND tbl <> 'customers';
        UPDATE salesdesk.rows SET seq = nextval('salesdesk.change_seq')
         WHERE tbl = 'field_values'
           AND (record_id = NEW.row_id
                OR record_id IN (SELECT row_id FROM salesdesk.rows
                                  WHERE tbl IN ('contacts', 'deals')
                                    AND customer_id = NEW.row_id));
        UPDATE salesdesk.rows SET seq = nextval('salesdesk.change_seq')
         WHERE tbl IN ('stage_changes', 'activities')
           AND deal_id IN (SELECT row_id FROM salesdesk.rows
                            WHERE tbl = 'deals' AND customer_id = NEW.row_id);
    ELSIF NEW.tbl = 'deals' THEN
        UPDATE salesdesk.rows SET seq = nextval('salesdesk.change_seq')
         WHERE (tbl IN ('stage_changes', 'activities') AND deal_id = NEW.row_id)
            OR (tbl = 'field_values' AND record_id = NEW.row_id);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER owner_moved AFTER UPDATE ON salesdesk.rows
    FOR EACH ROW
    WHEN (NEW.tbl IN ('customers', 'deals')
          AND (OLD.owner_id IS DISTINCT FROM NEW.owner_id
               OR OLD.customer_id IS DISTINCT FROM NEW.customer_id))
    EXECUTE FUNCTION salesdesk.owner_moved();

-- Claims `member` for the calling login: refused when another login has it, or when its
-- member record was pushed by another login.
CREATE FUNCTION salesdesk.claim_member(member text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    holder text;
BEGIN
    SELECT login INTO holder FROM salesdesk.member_logins WHERE member_id = member;
    IF holder = session_user THEN
        RETURN;
    END IF;
    IF holder IS NOT NULL OR EXISTS (SELECT 1 FROM salesdesk.rows
                                      WHERE tbl = 'members' AND row_id = member
                                        AND pushed_by <> session_user) THEN
        RAISE EXCEPTION 'this database''s member already syncs through another login'
            USING HINT = 'each person joins with their own login';
    END IF;
    INSERT INTO salesdesk.member_logins (member_id, login) VALUES (member, session_user);
END
$$;

CREATE FUNCTION salesdesk.require_admin() RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    IF salesdesk.my_kind() IS DISTINCT FROM 'admin' THEN
        RAISE EXCEPTION 'only an admin of the team may manage its members';
    END IF;
END
$$;

-- Adds a member: makes the login (with `password`, when it does not exist yet) and gives
-- it what syncing needs. Run by an admin; the schema's owner must be allowed to create
-- roles (CREATEROLE).
-- With `member`, the login is bound to that member id at once: a teammate whose member
-- record reached the hub through someone else (`team move-to`) cannot claim it themself.
CREATE FUNCTION salesdesk.add_member(login text, kind text, password text, member text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    PERFORM salesdesk.require_admin();
    IF kind NOT IN ('rep', 'manager', 'admin') THEN
        RAISE EXCEPTION 'a role is rep, manager or admin, not %', kind;
    END IF;
    IF EXISTS (SELECT 1 FROM salesdesk.team_members m WHERE m.login = add_member.login) THEN
        RAISE EXCEPTION '% is already a member of the team', login;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login) THEN
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

CREATE FUNCTION salesdesk.set_role(login text, kind text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    PERFORM salesdesk.require_admin();
    IF kind NOT IN ('rep', 'manager', 'admin') THEN
        RAISE EXCEPTION 'a role is rep, manager or admin, not %', kind;
    END IF;
    UPDATE salesdesk.team_members m SET kind = set_role.kind WHERE m.login = set_role.login;
    IF NOT FOUND THEN
        RAISE EXCEPTION '% is not a member of the team', login;
    END IF;
END
$$;

-- Removes a member: their login loses its grants and can no longer log in; their rows
-- stay (a manager reassigns their customers).
CREATE FUNCTION salesdesk.remove_member(login text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
    PERFORM salesdesk.require_admin();
    DELETE FROM salesdesk.team_members m WHERE m.login = remove_member.login;
    IF NOT FOUND THEN
        RAISE EXCEPTION '% is not a member of the team', login;
    END IF;
    DELETE FROM salesdesk.member_logins l WHERE l.login = remove_member.login;
    EXECUTE format('REVOKE ALL ON salesdesk.rows, salesdesk.sites, salesdesk.member_keys,
                    salesdesk.site_claims, salesdesk.meta, salesdesk.team_members FROM %I', login);
    EXECUTE format('REVOKE ALL ON SEQUENCE salesdesk.change_seq FROM %I', login);
    EXECUTE format('REVOKE ALL ON SCHEMA salesdesk FROM %I', login);
    EXECUTE format('ALTER ROLE %I NOLOGIN', login);
END
$$;
