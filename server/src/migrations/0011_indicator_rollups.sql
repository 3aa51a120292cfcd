-- 0011 Indicator rollups: a per-county data version bumped by statement-level triggers on the
-- tables metrics read, and a cache of metric values keyed by (region, metric, date) valid for
-- one data version. A cached value is used only while the county's version is unchanged, so it
-- is always the value a computation from scratch would give (see modules/indicators/rollups.ts).

CREATE TABLE indicator_data_versions (
  county_code text COLLATE "C" PRIMARY KEY,
  region_code text COLLATE "C" NOT NULL,
  version     bigint NOT NULL DEFAULT 1
);
ALTER TABLE indicator_data_versions ENABLE ROW LEVEL SECURITY;
-- Read by anyone who sees the county (a township user sees its ancestors); written only by the
-- SECURITY DEFINER trigger function below.
CREATE POLICY scope_read ON indicator_data_versions FOR SELECT USING (yl_visible_region(region_code));

CREATE TABLE indicator_cache (
  county_code text COLLATE "C" NOT NULL,
  region_code text COLLATE "C" NOT NULL,
  metric      text NOT NULL,
  as_of       date NOT NULL,
  version     bigint NOT NULL,
  value       double precision,
  numerator   double precision,
  denominator double precision,
  computed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (region_code, metric, as_of)
);
ALTER TABLE indicator_cache ENABLE ROW LEVEL SECURITY;
-- Aggregates of a region are read and stored only by users whose scope covers that region.
CREATE POLICY scope_all ON indicator_cache FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));

-- One function for the three statement-level triggers of a tracked table: it bumps the version
-- of every county the statement's rows belong to (transition tables yl_new / yl_old).
CREATE FUNCTION yl_bump_indicator_version() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO indicator_data_versions AS v (county_code, region_code, version)
      SELECT DISTINCT left(n.county_code, 6), rpad(left(n.county_code, 6), 12, '0'), 1 FROM yl_new n
      ON CONFLICT (county_code) DO UPDATE SET version = v.version + 1;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO indicator_data_versions AS v (county_code, region_code, version)
      SELECT DISTINCT c, rpad(c, 12, '0'), 1 FROM (SELECT left(county_code, 6) AS c FROM yl_new UNION SELECT left(county_code, 6) FROM yl_old) x
      ON CONFLICT (county_code) DO UPDATE SET version = v.version + 1;
  ELSE
    INSERT INTO indicator_data_versions AS v (county_code, region_code, version)
      SELECT DISTINCT left(o.county_code, 6), rpad(left(o.county_code, 6), 12, '0'), 1 FROM yl_old o
      ON CONFLICT (county_code) DO UPDATE SET version = v.version + 1;
  END IF;
  RETURN NULL;
END $$;

-- Makes a table's writes invalidate cached metric values of its counties. The table needs a
-- county_code column. Other modules call this in their own migration for the tables their
-- metrics read, and list those tables in their MetricDef's `reads`.
CREATE FUNCTION yl_track_indicator_data(tbl regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('CREATE TRIGGER yl_indicator_version_ins AFTER INSERT ON %s REFERENCING NEW TABLE AS yl_new FOR EACH STATEMENT EXECUTE FUNCTION yl_bump_indicator_version()', tbl);
  EXECUTE format('CREATE TRIGGER yl_indicator_version_upd AFTER UPDATE ON %s REFERENCING OLD TABLE AS yl_old NEW TABLE AS yl_new FOR EACH STATEMENT EXECUTE FUNCTION yl_bump_indicator_version()', tbl);
  EXECUTE format('CREATE TRIGGER yl_indicator_version_del AFTER DELETE ON %s REFERENCING OLD TABLE AS yl_old FOR EACH STATEMENT EXECUTE FUNCTION yl_bump_indicator_version()', tbl);
END $$;

SELECT yl_track_indicator_data('elders');
SELECT yl_track_indicator_data('elder_categories');
SELECT yl_track_indicator_data('assessments');
SELECT yl_track_indicator_data('county_settings');
SELECT yl_track_indicator_data('regions');

INSERT INTO indicator_data_versions (county_code, region_code)
  SELECT DISTINCT county_code, rpad(county_code, 12, '0') FROM regions WHERE level >= 3
  ON CONFLICT DO NOTHING;
