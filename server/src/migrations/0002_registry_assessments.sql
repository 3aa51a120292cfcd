-- 0002 Elder registry (life events, contacts, imports) and ability assessments
-- (GB/T 42195-2022 and MZ/T 039-2013, stored as such: levels are never converted).

ALTER TABLE elders ADD COLUMN reassess_requested_at date;   -- 即时评估 trigger (life event)
ALTER TABLE elders ADD COLUMN moved_in_date date;
ALTER TABLE elders ADD COLUMN note text;

-- Every dated change in an elder's life, the feed other modules read (benefits stop and visits
-- end on event_date). kind: registered, death, move_out, move_in, residence_change,
-- category_start, category_end, health_change, correction.
CREATE TABLE elder_events (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  elder_id    uuid NOT NULL REFERENCES elders(id) ON DELETE CASCADE,
  county_code text COLLATE "C" NOT NULL,
  region_code text COLLATE "C" NOT NULL,
  kind        text NOT NULL,
  event_date  date NOT NULL,
  detail      jsonb NOT NULL DEFAULT '{}',
  source_doc  text,
  created_by  uuid,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX elder_events_elder ON elder_events(elder_id, event_date);
CREATE INDEX elder_events_region_date ON elder_events(region_code, event_date);

CREATE TABLE elder_contacts (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  elder_id    uuid NOT NULL REFERENCES elders(id) ON DELETE CASCADE,
  county_code text COLLATE "C" NOT NULL,
  region_code text COLLATE "C" NOT NULL,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  relation    text NOT NULL,
  phone       text,
  user_id     uuid REFERENCES users(id),   -- when the contact signs in as a family-member user
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX elder_contacts_elder ON elder_contacts(elder_id);
CREATE INDEX elder_contacts_user ON elder_contacts(user_id);

ALTER TABLE elder_categories ADD COLUMN end_reason text;

-- Import runs: the report survives the request; progress is reported while it runs.
CREATE TABLE import_jobs (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  county_code text COLLATE "C" NOT NULL,
  region_code text COLLATE "C" NOT NULL,
  user_id     uuid NOT NULL,
  kind        text NOT NULL,
  mode        text NOT NULL,
  file_name   text,
  status      text NOT NULL DEFAULT 'running' CHECK (status IN ('running','done','failed')),
  total       int NOT NULL DEFAULT 0,
  processed   int NOT NULL DEFAULT 0,
  report      jsonb,
  created_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);

CREATE TABLE assessments (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  elder_id           uuid NOT NULL REFERENCES elders(id) ON DELETE CASCADE,
  county_code        text COLLATE "C" NOT NULL,
  region_code        text COLLATE "C" NOT NULL,
  standard           text NOT NULL CHECK (standard IN ('GB/T 42195-2022','MZ/T 039-2013')),
  reason             text NOT NULL,              -- 首次评估 / 常规评估 / 即时评估 / 复评 / 其他
  reference_date     date NOT NULL,              -- 评估基准日期
  answers            jsonb NOT NULL,             -- item code → option code chosen
  annex              jsonb NOT NULL DEFAULT '{}',-- Annex A information (diagnoses, risk events, coma …)
  dimension_scores   jsonb,
  total              int,
  preliminary_level  smallint,
  applied_rules      jsonb,
  final_level        smallint,
  level_name         text,
  assessors          text[] NOT NULL DEFAULT '{}',
  status             text NOT NULL DEFAULT 'completed' CHECK (status IN ('draft','completed','void')),
  valid_until        date,
  created_by         uuid,
  created_at         timestamptz NOT NULL DEFAULT now(),
  void_reason        text
);
CREATE INDEX assessments_elder ON assessments(elder_id, reference_date DESC);
CREATE INDEX assessments_region_valid ON assessments(region_code, valid_until) WHERE status = 'completed';

-- The elder's current valid ability level and its standard: one query away for every module.
-- security_invoker: the view obeys the caller's row-level security (PostgreSQL 15+).
CREATE VIEW elder_current_ability WITH (security_invoker = true) AS
  SELECT DISTINCT ON (a.elder_id)
         a.elder_id, a.id AS assessment_id, a.standard, a.final_level, a.level_name, a.reference_date, a.valid_until, a.region_code
    FROM assessments a
   WHERE a.status = 'completed' AND (a.valid_until IS NULL OR a.valid_until >= current_date)
   ORDER BY a.elder_id, a.reference_date DESC, a.created_at DESC;

ALTER TABLE elder_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_all ON elder_events FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
ALTER TABLE elder_contacts ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_all ON elder_contacts FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
ALTER TABLE import_jobs ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_all ON import_jobs FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
ALTER TABLE assessments ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_all ON assessments FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));

INSERT INTO county_settings (county_code, key, value, note)
SELECT DISTINCT county_code, 'assessment.validityMonths', '12'::jsonb, '能力评估有效期（月），到期须常规评估 [C]'
  FROM regions WHERE level = 3
ON CONFLICT DO NOTHING;
