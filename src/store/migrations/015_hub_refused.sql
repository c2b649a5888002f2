-- SalesDesk schema, version 15: edits the team's PostgreSQL hub refused (issue #20).
--
-- A rep's edit of a record the server's row-level security does not let them write
-- (another rep's customer, or one reassigned away from them) stays in this database and
-- goes to the conflicts log, so that it is never silently dropped: `refused` says why
-- ('owner': the record belongs to another member; 'rights': the login may not write it),
-- and is NULL for the values a merge replaced. Such an entry has no teammate's value
-- (the server does not show it): `theirs_hlc` and `their_site` are empty.
ALTER TABLE conflicts ADD COLUMN refused TEXT CHECK (refused IN ('owner', 'rights'));
