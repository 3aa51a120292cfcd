-- 0006 Plans and their indicators (规划指标): a county's plan made from a seed template or from
-- scratch; hand-entered values for indicators the platform cannot compute.
CREATE TABLE plans (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  county_code  text COLLATE "C" NOT NULL,
  region_code  text COLLATE "C" NOT NULL REFERENCES regions(code),
  title        text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  template     text,
  period_start int NOT NULL,
  period_end   int NOT NULL CHECK (period_end >= period_start),
  target_year  int NOT NULL,
  created_by   uuid,
  created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE plan_indicators (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  plan_id       uuid NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  county_code   text COLLATE "C" NOT NULL,
  region_code   text COLLATE "C" NOT NULL,
  sort          int NOT NULL,
  name          text NOT NULL,
  metric        text,
  comparator    text NOT NULL CHECK (comparator IN ('>=', '<=', '=', 'grow')),
  target        double precision,
  unit          text NOT NULL DEFAULT '%',
  binding       boolean NOT NULL DEFAULT false,
  baseline      double precision,
  baseline_year int
);
CREATE INDEX plan_indicators_plan ON plan_indicators(plan_id, sort);

CREATE TABLE indicator_values (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  indicator_id uuid NOT NULL REFERENCES plan_indicators(id) ON DELETE CASCADE,
  county_code  text COLLATE "C" NOT NULL,
  region_code  text COLLATE "C" NOT NULL,
  value        double precision NOT NULL,
  as_of        date NOT NULL,
  source_note  text NOT NULL,
  entered_by   uuid,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX indicator_values_indicator ON indicator_values(indicator_id, as_of DESC);

ALTER TABLE plans ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON plans FOR SELECT USING (yl_visible_region(region_code));
CREATE POLICY scope_write ON plans FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
ALTER TABLE plan_indicators ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON plan_indicators FOR SELECT USING (yl_visible_region(region_code));
CREATE POLICY scope_write ON plan_indicators FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
ALTER TABLE indicator_values ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON indicator_values FOR SELECT USING (yl_visible_region(region_code));
CREATE POLICY scope_write ON indicator_values FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
