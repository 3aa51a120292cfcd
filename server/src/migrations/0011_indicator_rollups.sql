-- 0011 Indicator rollups: data versions per township (and per county for county-wide data) bumped
-- by statement-level triggers on the tables metrics read, and a cache of metric values keyed by
-- (region, metric, date) valid for one version token. A cached value is used only while the data
-- of its region is unchanged, so it is always the value a computation from scratch would give
-- (see modules/indicators/rollups.ts).

-- One row per township (unit = its 9-digit prefix) for tables whose rows carry a region, and one
-- per county (unit = '') for county-wide data (settings, the region tree). A value for a region
-- is valid for the sum of the versions of the units that overlap it: versions only grow, so any
-- committed write to an overlapping unit changes the sum.
CREATE TABLE indicator_data_versions (
  county_code text COLLATE "C" NOT NULL,
  unit        text COLLATE "C" NOT NULL,
  region_code text COLLATE "C" NOT NULL,
  version     bigint NOT NULL DEFAULT 1,
  PRIMARY KEY (county_code, unit)
);
ALTER TABLE indicator_data_versions ENABLE ROW LEVEL SECURITY;
-- Read by anyone who sees the region (a township user also sees the county row); written only by
-- the SECURITY DEFINER trigger function below.
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
-- of every township (TG_ARGV[0] = 'region': rows carry region_code) or county ('county') the
-- statement's rows belong to (transition tables yl_new / yl_old).
CREATE FUNCTION yl_bump_indicator_version() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
  IF TG_ARGV[0] = 'region' THEN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO indicator_data_versions AS v (county_code, unit, region_code, version)
        SELECT DISTINCT left(county_code, 6), left(region_code, 9), rpad(left(region_code, 9), 12, '0'), 1 FROM yl_new
        ON CONFLICT (county_code, unit) DO UPDATE SET version = v.version + 1;
    ELSIF TG_OP = 'UPDATE' THEN
      INSERT INTO indicator_data_versions AS v (county_code, unit, region_code, version)
        SELECT DISTINCT c, u, rpad(u, 12, '0'), 1
          FROM (SELECT left(county_code, 6) AS c, left(region_code, 9) AS u FROM yl_new UNION SELECT left(county_code, 6), left(region_code, 9) FROM yl_old) x
        ON CONFLICT (county_code, unit) DO UPDATE SET version = v.version + 1;
    ELSE
      INSERT INTO indicator_data_versions AS v (county_code, unit, region_code, version)
        SELECT DISTINCT left(county_code, 6), left(region_code, 9), rpad(left(region_code, 9), 12, '0'), 1 FROM yl_old
        ON CONFLICT (county_code, unit) DO UPDATE SET version = v.version + 1;
    END IF;
  ELSE
    IF TG_OP = 'INSERT' THEN
      INSERT INTO indicator_data_versions AS v (county_code, unit, region_code, version)
        SELECT DISTINCT left(county_code, 6), '', rpad(left(county_code, 6), 12, '0'), 1 FROM yl_new
        ON CONFLICT (county_code, unit) DO UPDATE SET version = v.version + 1;
    ELSIF TG_OP = 'UPDATE' THEN
      INSERT INTO indicator_data_versions AS v (county_code, unit, region_code, version)
        SELECT DISTINCT c, '', rpad(c, 12, '0'), 1 FROM (SELECT left(county_code, 6) AS c FROM yl_new UNION SELECT left(county_code, 6) FROM yl_old) x
        ON CONFLICT (county_code, unit) DO UPDATE SET version = v.version + 1;
    ELSE
      INSERT INTO indicator_data_versions AS v (county_code, unit, region_code, version)
        SELECT DISTINCT left(county_code, 6), '', rpad(left(county_code, 6), 12, '0'), 1 FROM yl_old
        ON CONFLICT (county_code, unit) DO UPDATE SET version = v.version + 1;
    END IF;
  END IF;
  RETURN NULL;
END $$;

-- Makes a table's writes invalidate cached metric values of the townships (per_region: the table
-- has county_code and region_code) or counties (county_code only) they touch. Other modules call
-- this in their own migration for the tables their metrics read, and list them in `reads`.
CREATE FUNCTION yl_track_indicator_data(tbl regclass, per_region boolean DEFAULT true) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  arg text := CASE WHEN per_region THEN 'region' ELSE 'county' END;
BEGIN
  -- Every township that already has rows gets its version row: parts of figures are summed over
  -- the townships listed here.
  IF per_region THEN
    EXECUTE format('INSERT INTO indicator_data_versions (county_code, unit, region_code)
      SELECT DISTINCT left(county_code, 6), left(region_code, 9), rpad(left(region_code, 9), 12, ''0'') FROM %s ON CONFLICT DO NOTHING', tbl);
  ELSE
    EXECUTE format('INSERT INTO indicator_data_versions (county_code, unit, region_code)
      SELECT DISTINCT left(county_code, 6), '''', rpad(left(county_code, 6), 12, ''0'') FROM %s ON CONFLICT DO NOTHING', tbl);
  END IF;
  EXECUTE format('CREATE TRIGGER yl_indicator_version_ins AFTER INSERT ON %s REFERENCING NEW TABLE AS yl_new FOR EACH STATEMENT EXECUTE FUNCTION yl_bump_indicator_version(%L)', tbl, arg);
  EXECUTE format('CREATE TRIGGER yl_indicator_version_upd AFTER UPDATE ON %s REFERENCING OLD TABLE AS yl_old NEW TABLE AS yl_new FOR EACH STATEMENT EXECUTE FUNCTION yl_bump_indicator_version(%L)', tbl, arg);
  EXECUTE format('CREATE TRIGGER yl_indicator_version_del AFTER DELETE ON %s REFERENCING OLD TABLE AS yl_old FOR EACH STATEMENT EXECUTE FUNCTION yl_bump_indicator_version(%L)', tbl, arg);
END $$;

SELECT yl_track_indicator_data('elders');
SELECT yl_track_indicator_data('elder_categories');
SELECT yl_track_indicator_data('assessments');
SELECT yl_track_indicator_data('county_settings', false);
SELECT yl_track_indicator_data('regions', false);

-- Additive parts of a figure by township (unit = the 9-digit prefix; region_code = the unit
-- padded, so the county's own prefix …000 is the part of rows coded at county level). The figure
-- of a county or township is combined from its parts; a write recomputes only its township's.
CREATE TABLE indicator_parts (
  county_code text COLLATE "C" NOT NULL,
  region_code text COLLATE "C" NOT NULL,
  metric      text NOT NULL,
  as_of       date NOT NULL,
  version     bigint NOT NULL,
  numerator   double precision NOT NULL,
  denominator double precision NOT NULL,
  PRIMARY KEY (region_code, metric, as_of)
);
ALTER TABLE indicator_parts ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_all ON indicator_parts FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
