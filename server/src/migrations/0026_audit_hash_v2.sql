-- Audit hash version 2 covers every column of an entry; version 1 (the entries sealed before
-- this migration) left out actor_name, actor_role, ip and request_id. Existing rows read as
-- version 1 through the column's constant default (no table rewrite, so the append-only
-- trigger does not fire); the sealer writes 2 on every entry it seals from now on, and a
-- chain never goes back from 2 to 1 (kernel/audit.ts).
ALTER TABLE audit_log ADD COLUMN hash_version smallint NOT NULL DEFAULT 1;
ALTER TABLE audit_log ALTER COLUMN hash_version SET DEFAULT 2;
