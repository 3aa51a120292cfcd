-- 0009 Facilities, beds, residents and admissions (机构床位与入住轮候): the four-level network's
-- facilities with their functions and designations, beds by room, residents with move-in and
-- move-out dates (the table the benefits engine joins for operating subsidies), residential
-- compounds (配建养老设施面积), and public care-home admission: versioned ranking rules,
-- applications, offers. A facility's region is the area it serves: the county centre sits at the
-- county code, township centres and homes at the township, community sites at their village.
CREATE TABLE facilities (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  county_code            text COLLATE "C" NOT NULL,
  region_code            text COLLATE "C" NOT NULL REFERENCES regions(code),
  name                   text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind                   text NOT NULL CHECK (kind IN ('county_center','care_home','township_center','township_home','daycare',
                                                       'embedded_home','happiness_home','canteen','assistive_rental','senior_university')),
  ownership              text NOT NULL CHECK (ownership IN ('public','private','public_private')),
  operator_provider_id   uuid REFERENCES providers(id),
  operator_name          text CHECK (length(operator_name) <= 200),
  functions              text[] NOT NULL DEFAULT '{}',
  address                text CHECK (length(address) <= 300),
  lng                    double precision CHECK (lng BETWEEN -180 AND 180),
  lat                    double precision CHECK (lat BETWEEN -90 AND 90),
  opened_on              date,                 -- null while planned
  registered_on          date,                 -- 备案/登记
  status                 text NOT NULL DEFAULT 'operating' CHECK (status IN ('planned','operating','suspended','closed')),
  status_since           date,
  clinic                 boolean NOT NULL DEFAULT false,     -- 内设医疗机构
  medical_partner        text CHECK (length(medical_partner) <= 200),
  medical_agreement_until date,
  medical_licensed       boolean NOT NULL DEFAULT false,     -- 医养结合机构 (both licences)
  smart_fire             boolean NOT NULL DEFAULT false,
  smart_gas              boolean NOT NULL DEFAULT false,
  kitchen_camera         boolean NOT NULL DEFAULT false,
  smart_care_home        boolean NOT NULL DEFAULT false,     -- 智慧养老院
  affordable             boolean NOT NULL DEFAULT false,     -- 普惠型
  admits_applicants      boolean NOT NULL DEFAULT false,     -- public home admitting by waiting list
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  CHECK (status = 'planned' OR opened_on IS NOT NULL)
);
CREATE INDEX facilities_region ON facilities(region_code);
CREATE INDEX facilities_county_kind ON facilities(county_code, kind);

CREATE TABLE facility_star_ratings (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  facility_id  uuid NOT NULL REFERENCES facilities(id) ON DELETE CASCADE,
  county_code  text COLLATE "C" NOT NULL,
  region_code  text COLLATE "C" NOT NULL,
  stars        smallint NOT NULL CHECK (stars BETWEEN 1 AND 5),
  rated_on     date NOT NULL,
  valid_until  date,
  note         text CHECK (length(note) <= 500),
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX facility_star_ratings_facility ON facility_star_ratings(facility_id, rated_on DESC);

CREATE TABLE beds (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  facility_id  uuid NOT NULL REFERENCES facilities(id) ON DELETE CASCADE,
  county_code  text COLLATE "C" NOT NULL,
  region_code  text COLLATE "C" NOT NULL,
  room         text NOT NULL CHECK (length(room) BETWEEN 1 AND 40),
  label        text NOT NULL CHECK (length(label) BETWEEN 1 AND 40),
  type         text NOT NULL CHECK (type IN ('general','nursing','dementia','hospice')),
  status       text NOT NULL DEFAULT 'free' CHECK (status IN ('free','occupied','maintenance')),
  added_on     date NOT NULL,
  removed_on   date,
  UNIQUE (facility_id, room, label)
);
CREATE INDEX beds_facility ON beds(facility_id, status);
CREATE INDEX beds_region ON beds(region_code);

-- Residents (入住老人): what the benefits engine joins (elder_id, facility_id, bed_id,
-- move_in, move_out, region_code of the facility, county_code) for monthly operating subsidies.
CREATE TABLE facility_residents (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  elder_id      uuid NOT NULL REFERENCES elders(id),
  facility_id   uuid NOT NULL REFERENCES facilities(id),
  bed_id        uuid REFERENCES beds(id),
  county_code   text COLLATE "C" NOT NULL,
  region_code   text COLLATE "C" NOT NULL,
  move_in       date NOT NULL,
  move_out      date,
  move_out_reason text CHECK (length(move_out_reason) <= 200),
  application_id uuid,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (move_out IS NULL OR move_out >= move_in)
);
-- A bed holds one resident at a time, and an elder lives in one place: the database says so.
CREATE UNIQUE INDEX facility_residents_bed_active ON facility_residents(bed_id) WHERE move_out IS NULL AND bed_id IS NOT NULL;
CREATE UNIQUE INDEX facility_residents_elder_active ON facility_residents(elder_id) WHERE move_out IS NULL;
CREATE INDEX facility_residents_facility ON facility_residents(facility_id, move_in);
CREATE INDEX facility_residents_region ON facility_residents(region_code);

CREATE TABLE residential_compounds (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  county_code      text COLLATE "C" NOT NULL,
  region_code      text COLLATE "C" NOT NULL REFERENCES regions(code),
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind             text NOT NULL CHECK (kind IN ('new','old')),     -- 新建 / 老旧
  households       int NOT NULL CHECK (households > 0),
  facility_area_m2 numeric(10,2) NOT NULL CHECK (facility_area_m2 >= 0),
  assessed_on      date NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX residential_compounds_region ON residential_compounds(region_code);

-- Admission ranking rules (入住评估与轮候规则), versioned per county. The rule body is data:
-- priority classes, each a list of condition groups (all groups must hold; any condition of a group).
CREATE TABLE admission_rules (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  county_code text COLLATE "C" NOT NULL,
  region_code text COLLATE "C" NOT NULL,
  version     int NOT NULL,
  valid_from  date NOT NULL,
  body        jsonb NOT NULL,
  note        text NOT NULL CHECK (length(note) BETWEEN 1 AND 500),
  created_by  uuid,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (county_code, version)
);

CREATE TABLE admission_applications (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  elder_id      uuid NOT NULL REFERENCES elders(id),
  facility_id   uuid NOT NULL REFERENCES facilities(id),
  county_code   text COLLATE "C" NOT NULL,
  region_code   text COLLATE "C" NOT NULL,            -- the elder's region
  applicant     text NOT NULL CHECK (applicant IN ('elder','family','village_worker')),
  applicant_name text CHECK (length(applicant_name) <= 60),
  applied_on    date NOT NULL,
  status        text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting','offered','admitted','withdrawn','declined','lapsed')),
  note          text CHECK (length(note) <= 500),
  closed_on     date,
  created_by    uuid,
  created_at    timestamptz NOT NULL DEFAULT now()
);
-- One open application per elder and home.
CREATE UNIQUE INDEX admission_applications_open ON admission_applications(elder_id, facility_id) WHERE status IN ('waiting','offered');
CREATE INDEX admission_applications_facility ON admission_applications(facility_id, status);
CREATE INDEX admission_applications_region ON admission_applications(region_code);

CREATE TABLE admission_offers (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  application_id uuid NOT NULL REFERENCES admission_applications(id),
  facility_id    uuid NOT NULL REFERENCES facilities(id),
  county_code    text COLLATE "C" NOT NULL,
  region_code    text COLLATE "C" NOT NULL,           -- the facility's region
  rank           int NOT NULL,
  rank_class     text NOT NULL,
  rule_version   int NOT NULL,
  offered_on     date NOT NULL,
  respond_by     date NOT NULL,
  status         text NOT NULL DEFAULT 'open' CHECK (status IN ('open','accepted','declined','expired')),
  responded_at   timestamptz,
  bed_id         uuid REFERENCES beds(id),
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX admission_offers_open ON admission_offers(application_id) WHERE status = 'open';
CREATE INDEX admission_offers_facility ON admission_offers(facility_id, status);

-- Facilities are read by their region, what lies below it and its ancestors' users (a village
-- worker applies to the county centre and the township home); written only inside the scope.
ALTER TABLE facilities ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON facilities FOR SELECT USING (yl_visible_region(region_code));
CREATE POLICY scope_write ON facilities FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
ALTER TABLE facility_star_ratings ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON facility_star_ratings FOR SELECT USING (yl_visible_region(region_code));
CREATE POLICY scope_write ON facility_star_ratings FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
ALTER TABLE beds ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON beds FOR SELECT USING (yl_visible_region(region_code));
CREATE POLICY scope_write ON beds FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
ALTER TABLE facility_residents ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_all ON facility_residents FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
ALTER TABLE residential_compounds ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_all ON residential_compounds FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
ALTER TABLE admission_rules ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON admission_rules FOR SELECT USING (yl_visible_region(region_code));
CREATE POLICY scope_write ON admission_rules FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
ALTER TABLE admission_applications ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_all ON admission_applications FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
ALTER TABLE admission_offers ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_all ON admission_offers FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));

-- The waiting list of one home with everything ranking needs, taken live at p_at: the applicant's
-- categories and current ability, whoever can see the home (its list is published; the names
-- outside the caller's own region are masked by the caller). SECURITY DEFINER because the
-- applicants live all over the county; it answers nothing for a home the caller cannot see.
CREATE FUNCTION yl_admission_queue(p_facility uuid, p_at date)
RETURNS TABLE (application_id uuid, elder_id uuid, elder_name text, elder_region text, region_name text, applied_on date,
               created_at timestamptz, status text, applicant text, categories text[], age int,
               standard text, ability_level int, in_scope boolean, offer_id uuid, offer_respond_by date)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT a.id, e.id, e.name, e.region_code, r.name, a.applied_on, a.created_at, a.status, a.applicant,
         coalesce((SELECT array_agg(c.category ORDER BY c.category) FROM elder_categories c
                    WHERE c.elder_id = e.id AND c.valid_from <= p_at AND (c.valid_to IS NULL OR c.valid_to >= p_at)), '{}'),
         extract(year from age(p_at, e.birth_date))::int,
         ab.standard, ab.final_level,
         a.region_code BETWEEN current_setting('yinling.lo', true) AND current_setting('yinling.hi', true),
         o.id, o.respond_by
    FROM admission_applications a
    JOIN elders e ON e.id = a.elder_id
    LEFT JOIN regions r ON r.code = e.region_code
    LEFT JOIN LATERAL (SELECT s.standard, s.final_level FROM assessments s
                        WHERE s.elder_id = e.id AND s.status = 'completed' AND s.reference_date <= p_at
                          AND (s.valid_until IS NULL OR s.valid_until >= p_at)
                        ORDER BY s.reference_date DESC, s.created_at DESC LIMIT 1) ab ON true
    LEFT JOIN admission_offers o ON o.application_id = a.id AND o.status = 'open' AND o.respond_by >= p_at
   WHERE a.facility_id = p_facility AND a.status IN ('waiting','offered')
     AND EXISTS (SELECT 1 FROM facilities f WHERE f.id = p_facility AND yl_visible_region(f.region_code))
     -- an application whose offer was declined or ran out has left the list
     AND NOT EXISTS (SELECT 1 FROM admission_offers x WHERE x.application_id = a.id
                      AND (x.status IN ('declined','expired') OR (x.status = 'open' AND x.respond_by < p_at)))
     AND e.status = 'active'
$$;
REVOKE ALL ON FUNCTION yl_admission_queue(uuid, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yl_admission_queue(uuid, date) TO yinling_app;
