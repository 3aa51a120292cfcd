-- 0001 Foundation: regions, providers, users, sessions, audit log, county settings, and the
-- first cut of the elder registry that the demo county fills. Row-level security limits the
-- app role (yinling_app) to the caller's region range; the owner (jobs, sign-in) bypasses it.

DO $$ BEGIN
  CREATE ROLE yinling_app NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
DO $$ BEGIN
  EXECUTE format('GRANT yinling_app TO %I', current_user);
EXCEPTION WHEN others THEN NULL;
END $$;

-- True when a region code lies in the caller's range. Inlined by the planner, so the range
-- comparison uses the region_code indexes.
CREATE FUNCTION yl_in_scope(code text) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT code BETWEEN current_setting('yinling.lo', true) AND current_setting('yinling.hi', true)
$$;

-- True for the caller's region, what lies below it, and its ancestors (reference data such
-- as region names and county settings that a township user must read).
CREATE FUNCTION yl_visible_region(code text) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT code BETWEEN current_setting('yinling.lo', true) AND current_setting('yinling.hi', true)
      OR code IN (rpad(left(current_setting('yinling.lo', true), 2), 12, '0'),
                  rpad(left(current_setting('yinling.lo', true), 4), 12, '0'),
                  rpad(left(current_setting('yinling.lo', true), 6), 12, '0'),
                  rpad(left(current_setting('yinling.lo', true), 9), 12, '0'))
$$;

CREATE TABLE regions (
  code             text COLLATE "C" PRIMARY KEY CHECK (code ~ '^[0-9]{12}$'),
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  level            smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
  parent_code      text COLLATE "C" REFERENCES regions(code),
  county_code      text COLLATE "C" NOT NULL CHECK (county_code ~ '^[0-9]{6}$'),
  -- 城乡分类代码 of a village-level unit (111 主城区 … 220 村庄); null above village level.
  urban_rural_code text CHECK (urban_rural_code IN ('111','112','121','122','123','210','220')),
  valid_from       date NOT NULL DEFAULT DATE '2000-01-01',
  valid_to         date,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX regions_parent ON regions(parent_code);
CREATE INDEX regions_county_level ON regions(county_code, level);

CREATE TABLE county_settings (
  county_code text COLLATE "C" NOT NULL CHECK (county_code ~ '^[0-9]{6}$'),
  key         text NOT NULL,
  value       jsonb NOT NULL,
  valid_from  date NOT NULL DEFAULT DATE '2000-01-01',
  note        text,
  updated_by  uuid,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (county_code, key, valid_from)
);

CREATE TABLE providers (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  county_code text COLLATE "C" NOT NULL,
  region_code text COLLATE "C" NOT NULL REFERENCES regions(code),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  credit_code text,                           -- 统一社会信用代码
  kind        text NOT NULL DEFAULT 'home_care',
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active','suspended','closed')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX providers_region ON providers(region_code);

CREATE TABLE users (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username             text NOT NULL UNIQUE CHECK (username ~ '^[a-zA-Z0-9_.-]{3,40}$'),
  display_name         text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 60),
  password_hash        text NOT NULL,
  role                 text NOT NULL CHECK (role IN ('county_admin','township_staff','village_worker','provider_admin',
                                                     'caregiver','assessor','inspector','volunteer','family')),
  region_code          text COLLATE "C" NOT NULL REFERENCES regions(code),
  county_code          text COLLATE "C" NOT NULL,
  provider_id          uuid REFERENCES providers(id),
  phone                text,
  status               text NOT NULL DEFAULT 'active' CHECK (status IN ('active','disabled')),
  failed_logins        int NOT NULL DEFAULT 0,
  locked_until         timestamptz,
  must_change_password boolean NOT NULL DEFAULT false,
  password_changed_at  timestamptz NOT NULL DEFAULT now(),
  last_login_at        timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CHECK ((role IN ('provider_admin','caregiver')) = (provider_id IS NOT NULL))
);
CREATE INDEX users_region ON users(region_code);

CREATE TABLE sessions (
  id           text PRIMARY KEY,                 -- sha256 of the cookie token; the token itself is never stored
  user_id      uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  ip           text,
  user_agent   text
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Append-only, hash-chained per county. Writers insert rows with seq/hash empty, in the same
-- transaction as the change they record; the sealer (kernel/audit.ts) chains them in order.
CREATE TABLE audit_log (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  county_code text COLLATE "C" NOT NULL,
  seq         bigint,
  at          timestamptz NOT NULL DEFAULT clock_timestamp(),
  actor_id    uuid,
  actor_name  text,
  actor_role  text,
  action      text NOT NULL,
  entity      text NOT NULL,
  entity_id   text,
  region_code text COLLATE "C" NOT NULL,
  before      jsonb,
  after       jsonb,
  reason      text,
  ip          text,
  request_id  text,
  prev_hash   text,
  hash        text,
  UNIQUE (county_code, seq)
);
CREATE INDEX audit_log_region_at ON audit_log(region_code, at DESC);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_log_unsealed ON audit_log(county_code, at, id) WHERE seq IS NULL;

CREATE FUNCTION yl_audit_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.seq IS NOT NULL THEN
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER audit_log_immutable BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION yl_audit_immutable();

CREATE TABLE households (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  county_code text COLLATE "C" NOT NULL,
  region_code text COLLATE "C" NOT NULL REFERENCES regions(code),
  address     text,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX households_region ON households(region_code);

CREATE TABLE elders (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  county_code        text COLLATE "C" NOT NULL,
  region_code        text COLLATE "C" NOT NULL REFERENCES regions(code),  -- usual residence (village/community)
  hukou_region_code  text COLLATE "C",                                    -- household register
  id_number          text NOT NULL CHECK (id_number ~ '^[0-9]{17}[0-9X]$'),
  name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  name_pinyin        text,
  name_initials      text,
  sex                char(1) NOT NULL CHECK (sex IN ('M','F')),
  birth_date         date NOT NULL,
  phone              text,
  address            text,
  lat                double precision,
  lng                double precision,
  living_arrangement text CHECK (living_arrangement IN ('alone','spouse','children','spouse_children','others','institution')),
  household_id       uuid REFERENCES households(id),
  status             text NOT NULL DEFAULT 'active' CHECK (status IN ('active','deceased','moved_out')),
  death_date         date,
  moved_out_date     date,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (county_code, id_number)
);
CREATE INDEX elders_region ON elders(region_code);
CREATE INDEX elders_birth ON elders(county_code, birth_date);
CREATE INDEX elders_initials ON elders(name_initials text_pattern_ops);
CREATE INDEX elders_pinyin ON elders(name_pinyin text_pattern_ops);
CREATE INDEX elders_name ON elders(name text_pattern_ops);

CREATE TABLE elder_categories (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  elder_id    uuid NOT NULL REFERENCES elders(id) ON DELETE CASCADE,
  county_code text COLLATE "C" NOT NULL,
  region_code text COLLATE "C" NOT NULL,
  category    text NOT NULL,
  valid_from  date NOT NULL,
  valid_to    date,
  source_doc  text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX elder_categories_elder ON elder_categories(elder_id);
CREATE INDEX elder_categories_region_cat ON elder_categories(region_code, category);

-- Row-level security: one policy per region-owned table.
ALTER TABLE regions ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON regions FOR SELECT USING (yl_visible_region(code));
CREATE POLICY scope_write ON regions FOR INSERT WITH CHECK (yl_in_scope(code) AND yl_in_scope(parent_code));
CREATE POLICY scope_update ON regions FOR UPDATE USING (yl_in_scope(code)) WITH CHECK (yl_in_scope(code));
CREATE POLICY scope_delete ON regions FOR DELETE USING (yl_in_scope(code));

ALTER TABLE county_settings ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON county_settings FOR SELECT USING (yl_visible_region(rpad(county_code, 12, '0')));
CREATE POLICY scope_write ON county_settings FOR ALL USING (yl_in_scope(rpad(county_code, 12, '0'))) WITH CHECK (yl_in_scope(rpad(county_code, 12, '0')));

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_all ON users FOR ALL
  USING (yl_in_scope(region_code) OR id::text = current_setting('yinling.user', true))
  WITH CHECK (yl_in_scope(region_code) OR id::text = current_setting('yinling.user', true));

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON audit_log FOR SELECT USING (yl_in_scope(region_code));
CREATE POLICY append ON audit_log FOR INSERT WITH CHECK (true);

ALTER TABLE providers ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_all ON providers FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
ALTER TABLE households ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_all ON households FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
ALTER TABLE elders ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_all ON elders FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
ALTER TABLE elder_categories ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_all ON elder_categories FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
