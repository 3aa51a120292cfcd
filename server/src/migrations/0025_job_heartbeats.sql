-- 0025 Work that outlives its request (a benefit run's compute, a roster import) carries a
-- heartbeat: the process doing it sets heartbeat_at every few seconds. A row left 'computing' /
-- 'running' whose heartbeat is stale belongs to a process that stopped: a run is resumed, an
-- import is marked failed (its writes are one transaction, so nothing was written). Rows from
-- before this migration have no heartbeat and count as stale. See docs/architecture.md.
ALTER TABLE import_jobs ADD COLUMN heartbeat_at timestamptz;
ALTER TABLE import_jobs ALTER COLUMN heartbeat_at SET DEFAULT now();
ALTER TABLE benefit_runs ADD COLUMN heartbeat_at timestamptz;
ALTER TABLE benefit_runs ALTER COLUMN heartbeat_at SET DEFAULT now();
CREATE INDEX import_jobs_running ON import_jobs (heartbeat_at) WHERE status = 'running';
