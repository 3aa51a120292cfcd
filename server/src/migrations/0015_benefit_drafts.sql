-- 0015 Benefit drafts: the lines of a month kept up to date as the registry changes, so that a
-- preview reads ready totals instead of computing every elder's eligibility (see
-- modules/benefits/drafts.ts). A draft is exactly what the engine's query would give from
-- scratch: it is rebuilt when its policy version or the region tree changes, and otherwise
-- recomputed for the elders whose facts were written since it was last brought up to date.

-- Elders whose facts were written, with the writing transaction's id. A draft keeps the
-- snapshot it last read these rows with: a row is reflected in it exactly when its transaction
-- is visible in that snapshot (pg_visible_in_snapshot), whatever order transactions commit in,
-- and rows below every draft's snapshot xmin are of no further use.
CREATE TABLE benefit_dirty (
  county_code text COLLATE "C" NOT NULL,
  elder_id    uuid NOT NULL,
  xid         xid8 NOT NULL DEFAULT pg_current_xact_id()
);
CREATE INDEX benefit_dirty_county_xid ON benefit_dirty (county_code, xid);
-- Written only by the trigger function below (SECURITY DEFINER) and read by the draft refresh
-- (owner): no policy, so request transactions see nothing.
ALTER TABLE benefit_dirty ENABLE ROW LEVEL SECURITY;

CREATE FUNCTION yl_benefit_dirty() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  IF TG_ARGV[0] = 'id' THEN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      INSERT INTO benefit_dirty (county_code, elder_id) SELECT DISTINCT left(county_code, 6), id FROM yl_new;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      INSERT INTO benefit_dirty (county_code, elder_id) SELECT DISTINCT left(county_code, 6), id FROM yl_old;
    END IF;
  ELSE
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      INSERT INTO benefit_dirty (county_code, elder_id) SELECT DISTINCT left(county_code, 6), elder_id FROM yl_new;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      INSERT INTO benefit_dirty (county_code, elder_id) SELECT DISTINCT left(county_code, 6), elder_id FROM yl_old;
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION yl_track_benefit_facts(tbl regclass, id_col text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('CREATE TRIGGER yl_benefit_dirty_ins AFTER INSERT ON %s REFERENCING NEW TABLE AS yl_new FOR EACH STATEMENT EXECUTE FUNCTION yl_benefit_dirty(%L)', tbl, id_col);
  EXECUTE format('CREATE TRIGGER yl_benefit_dirty_upd AFTER UPDATE ON %s REFERENCING OLD TABLE AS yl_old NEW TABLE AS yl_new FOR EACH STATEMENT EXECUTE FUNCTION yl_benefit_dirty(%L)', tbl, id_col);
  EXECUTE format('CREATE TRIGGER yl_benefit_dirty_del AFTER DELETE ON %s REFERENCING OLD TABLE AS yl_old FOR EACH STATEMENT EXECUTE FUNCTION yl_benefit_dirty(%L)', tbl, id_col);
END $$;

-- The tables the engine reads facts from (engine.ts linesQuery).
SELECT yl_track_benefit_facts('elders', 'id');
SELECT yl_track_benefit_facts('elder_categories', 'elder_id');
SELECT yl_track_benefit_facts('assessments', 'elder_id');
SELECT yl_track_benefit_facts('benefit_applications', 'elder_id');
SELECT yl_track_benefit_facts('facility_residents', 'elder_id');

-- A version of the paid lines (benefit_lines), bumped by every statement that writes them (runs,
-- back-pay, discards — rare): drafts then compare themselves with the previous month afresh.
-- One row, not per month: a statement trigger without transition tables costs next to nothing.
CREATE TABLE benefit_lines_version (
  one     boolean PRIMARY KEY DEFAULT true CHECK (one),
  version bigint NOT NULL DEFAULT 0
);
INSERT INTO benefit_lines_version DEFAULT VALUES;
ALTER TABLE benefit_lines_version ENABLE ROW LEVEL SECURITY;

CREATE FUNCTION yl_bump_benefit_lines() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  UPDATE benefit_lines_version SET version = version + 1;
  RETURN NULL;
END $$;
CREATE TRIGGER yl_benefit_lines_changed AFTER INSERT OR UPDATE OR DELETE ON benefit_lines FOR EACH STATEMENT EXECUTE FUNCTION yl_bump_benefit_lines();

-- One draft per county and month: what it reflects.
CREATE TABLE benefit_drafts (
  county_code    text COLLATE "C" NOT NULL,
  region_code    text COLLATE "C" NOT NULL,        -- the county, padded (scope)
  for_month      date NOT NULL,
  policy_id      uuid NOT NULL REFERENCES benefit_policies(id),
  region_version bigint NOT NULL,                  -- county-wide data version (regions, settings) at build
  prev_version   bigint NOT NULL,                  -- benefit_lines_version at last refresh
  seen_snapshot  pg_snapshot NOT NULL,             -- benefit_dirty rows visible in it are reflected
  built_at       timestamptz NOT NULL DEFAULT now(),
  refreshed_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (county_code, for_month)
);

-- The month's lines as the engine computes them now (same columns as its query).
CREATE TABLE benefit_draft_lines (
  county_code  text COLLATE "C" NOT NULL,
  for_month    date NOT NULL,
  elder_id     uuid NOT NULL,
  benefit_code text NOT NULL,
  region_code  text COLLATE "C" NOT NULL,
  payment      text NOT NULL,
  amount_cents integer NOT NULL,
  tier         text,
  facts        jsonb,
  PRIMARY KEY (county_code, for_month, elder_id, benefit_code)
);
CREATE INDEX benefit_draft_lines_region ON benefit_draft_lines (county_code, for_month, region_code);

-- The differences against the previous month's paid lines (added / stopped / changed amount).
CREATE TABLE benefit_draft_changes (
  county_code  text COLLATE "C" NOT NULL,
  for_month    date NOT NULL,
  elder_id     uuid NOT NULL,
  benefit_code text NOT NULL,
  region_code  text COLLATE "C" NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('added', 'stopped', 'changed')),
  before       integer,
  after        integer,
  pf           jsonb,
  qf           jsonb,
  ptier        text,
  qtier        text,
  PRIMARY KEY (county_code, for_month, elder_id, benefit_code)
);
CREATE INDEX benefit_draft_changes_list ON benefit_draft_changes (county_code, for_month, kind, elder_id, benefit_code);

-- Totals by township (9-digit prefix) and benefit; benefit_code '' is the township's own row
-- (all its lines, distinct elders, and its counts of changes).
CREATE TABLE benefit_draft_totals (
  county_code  text COLLATE "C" NOT NULL,
  for_month    date NOT NULL,
  township     text COLLATE "C" NOT NULL,
  region_code  text COLLATE "C" NOT NULL,          -- the township, padded (scope)
  benefit_code text NOT NULL,
  lines        integer NOT NULL,
  cents        bigint NOT NULL,
  elders       integer NOT NULL DEFAULT 0,
  added        integer NOT NULL DEFAULT 0,
  stopped      integer NOT NULL DEFAULT 0,
  changed      integer NOT NULL DEFAULT 0,
  PRIMARY KEY (county_code, for_month, township, benefit_code)
);

ALTER TABLE benefit_drafts ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON benefit_drafts FOR SELECT USING (yl_visible_region(region_code));
ALTER TABLE benefit_draft_lines ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON benefit_draft_lines FOR SELECT USING (yl_in_scope(region_code));
ALTER TABLE benefit_draft_changes ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON benefit_draft_changes FOR SELECT USING (yl_in_scope(region_code));
ALTER TABLE benefit_draft_totals ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON benefit_draft_totals FOR SELECT USING (yl_in_scope(region_code));

-- Whether the draft of a county's month is current for `p_policy`: built under that policy
-- version and the county-wide data as they are, compared with the paid lines as they are, and
-- no fact written since its refresh. A preview uses the draft only then.
CREATE FUNCTION yl_benefit_draft_current(p_county text, p_month date, p_policy uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT EXISTS (
    SELECT 1 FROM benefit_drafts d
     WHERE d.county_code = p_county AND d.for_month = p_month AND d.policy_id = p_policy
       AND d.region_version = coalesce((SELECT v.version FROM indicator_data_versions v WHERE v.county_code = p_county AND v.unit = ''), 0)
       AND d.prev_version = (SELECT l.version FROM benefit_lines_version l)
       AND NOT EXISTS (SELECT 1 FROM benefit_dirty x WHERE x.county_code = p_county AND x.xid >= pg_snapshot_xmin(d.seen_snapshot)
                          AND NOT pg_visible_in_snapshot(x.xid, d.seen_snapshot)))
$$;

-- A run's back-pay lines (its regular lines get their payments as they are written).
CREATE INDEX benefit_lines_run_backpay ON benefit_lines (run_id) WHERE kind = 'backpay';
