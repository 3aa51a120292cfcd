-- 0010 Home and community services (居家社区服务): the supplier catalogue (providers, their
-- caregivers), the service menu, orders with the entitlement split, dispatch, check-in/out,
-- photos, ratings, complaints, call-backs (回访) and monthly settlement per provider.
--
-- Visibility:
--  * staff see orders of elders in their region (orders carry the elder's region_code);
--  * provider users (yinling.provider set) see only their own provider's rows, wherever the
--    elder lives: a permissive policy on provider_id, and a RESTRICTIVE one that keeps a
--    provider user from seeing another provider's rows in its own township;
--  * family users (role yinling_family) see and write the orders of their linked elders.

-- The supplier catalogue (供应商库).
ALTER TABLE providers
  ADD COLUMN qualifications  text[] NOT NULL DEFAULT '{}',   -- 资质
  ADD COLUMN service_regions text[] COLLATE "C" NOT NULL DEFAULT '{}',  -- 服务区域 (township or village codes); empty = its own region
  ADD COLUMN contract_no     text,
  ADD COLUMN contract_from   date,
  ADD COLUMN contract_to     date,
  ADD COLUMN rating          numeric(3,2) NOT NULL DEFAULT 4.00 CHECK (rating BETWEEN 0 AND 5),
  ADD COLUMN credit_status   text NOT NULL DEFAULT 'good' CHECK (credit_status IN ('good','watch','red','black')),
  ADD COLUMN contact_phone   text,
  ADD COLUMN address         text,
  ADD COLUMN lat             double precision,
  ADD COLUMN lng             double precision,
  ADD COLUMN evaluated_at    timestamptz;

-- The upper end of a region code's range (a township covers its villages).
CREATE FUNCTION yl_region_hi(code text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN right(code, 10) = '0000000000' THEN left(code, 2) || '9999999999'
              WHEN right(code, 8) = '00000000' THEN left(code, 4) || '99999999'
              WHEN right(code, 6) = '000000' THEN left(code, 6) || '999999'
              WHEN right(code, 3) = '000' THEN left(code, 9) || '999'
              ELSE code END
$$;

-- True when one of the areas (or the provider's own region when none is listed) overlaps the
-- caller's range: a township's staff see the providers that serve their township.
CREATE FUNCTION yl_serves_scope(areas text[], own text) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
    SELECT 1 FROM unnest(CASE WHEN cardinality(areas) = 0 THEN ARRAY[own] ELSE areas END) AS a(code)
     WHERE a.code <= current_setting('yinling.hi', true) AND yl_region_hi(a.code) >= current_setting('yinling.lo', true))
$$;

-- True when a provider serves a given elder region.
CREATE FUNCTION yl_serves_region(areas text[], own text, region text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT EXISTS (
    SELECT 1 FROM unnest(CASE WHEN cardinality(areas) = 0 THEN ARRAY[own] ELSE areas END) AS a(code)
     WHERE region BETWEEN a.code AND yl_region_hi(a.code))
$$;

CREATE POLICY serves_read ON providers FOR SELECT USING (yl_serves_scope(service_regions, region_code));
CREATE POLICY own_provider ON providers FOR SELECT USING (id::text = current_setting('yinling.provider', true));
CREATE POLICY family_read ON providers FOR SELECT TO yinling_family USING (true);

-- Caregivers (护理员) of a provider, with skills and certificates.
CREATE TABLE caregivers (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  provider_id  uuid NOT NULL REFERENCES providers(id),
  county_code  text COLLATE "C" NOT NULL,
  region_code  text COLLATE "C" NOT NULL,            -- the provider's region
  user_id      uuid UNIQUE REFERENCES users(id),      -- the caregiver's sign-in, when they have one
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  phone        text,
  skills       text[] NOT NULL DEFAULT '{}',
  certificates jsonb NOT NULL DEFAULT '[]',           -- [{name, no, validUntil}]
  status       text NOT NULL DEFAULT 'active' CHECK (status IN ('active','inactive')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX caregivers_provider ON caregivers(provider_id);
CREATE INDEX caregivers_region ON caregivers(region_code);

-- The service menu (服务菜单, 十助) of a county.
CREATE TABLE service_items (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  county_code  text COLLATE "C" NOT NULL,
  region_code  text COLLATE "C" NOT NULL,             -- the county's code, padded
  code         text NOT NULL,
  category     text NOT NULL CHECK (category IN ('meal','bath','clean','walk','medical','emergency','chat','shopping','repair','care')),
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  unit         text NOT NULL,                         -- 次 / 小时 / 餐
  price_cents  int NOT NULL CHECK (price_cents BETWEEN 0 AND 10000000),
  duration_min int NOT NULL CHECK (duration_min BETWEEN 1 AND 1440),
  skill        text,                                  -- required caregiver skill
  description  text,
  active       boolean NOT NULL DEFAULT true,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (county_code, code)
);

CREATE TABLE settlements (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  county_code      text COLLATE "C" NOT NULL,
  region_code      text COLLATE "C" NOT NULL,         -- the provider's region
  provider_id      uuid NOT NULL REFERENCES providers(id),
  month            text NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  status           text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','approved')),
  order_count      int NOT NULL,
  gov_cents        bigint NOT NULL,                   -- payable by the government (held orders excluded)
  copay_cents      bigint NOT NULL,
  held_count       int NOT NULL,
  held_gov_cents   bigint NOT NULL,
  held_copay_cents bigint NOT NULL,
  created_by       uuid,
  created_at       timestamptz NOT NULL DEFAULT now(),
  approved_by      uuid,
  approved_by_name text,
  approved_at      timestamptz,
  UNIQUE (provider_id, month)
);

CREATE TABLE service_orders (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  no                 text NOT NULL UNIQUE,              -- 工单号
  county_code        text COLLATE "C" NOT NULL,
  region_code        text COLLATE "C" NOT NULL,         -- the elder's region at order time
  elder_id           uuid NOT NULL REFERENCES elders(id),
  -- What the caregiver needs on site, copied at order time (the elder's record is region-scoped).
  elder_name         text NOT NULL,
  elder_phone        text,
  address            text,
  lat                double precision,
  lng                double precision,
  item_id            uuid NOT NULL REFERENCES service_items(id),
  item_code          text NOT NULL,
  item_name          text NOT NULL,
  category           text NOT NULL,
  unit               text NOT NULL,
  skill              text,
  quantity           int NOT NULL CHECK (quantity BETWEEN 1 AND 20),
  duration_min       int NOT NULL,
  price_cents        int NOT NULL,
  amount_cents       int NOT NULL CHECK (amount_cents >= 0),
  gov_cents          int NOT NULL CHECK (gov_cents >= 0),
  copay_cents        int NOT NULL CHECK (copay_cents >= 0),
  entitlement        jsonb NOT NULL,                    -- budget, used before, sources with explanations
  service_date       date NOT NULL,
  service_time       text NOT NULL CHECK (service_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  note               text,
  channel            text NOT NULL CHECK (channel IN ('family','staff')),
  created_by         uuid,
  created_by_name    text,
  status             text NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending','dispatched','refused','accepted','in_service','completed','cancelled')),
  provider_id        uuid REFERENCES providers(id),
  caregiver_id       uuid REFERENCES caregivers(id),
  caregiver_name     text,
  dispatch_mode      text CHECK (dispatch_mode IN ('manual','auto')),
  dispatched_at      timestamptz,
  accept_deadline    timestamptz,
  accepted_at        timestamptz,
  refused_by         uuid[] NOT NULL DEFAULT '{}',
  checkin_at         timestamptz,
  checkin_lat        double precision,
  checkin_lng        double precision,
  checkin_distance_m int,
  checkout_at        timestamptz,
  checkout_lat       double precision,
  checkout_lng       double precision,
  checkout_distance_m int,
  flags              text[] NOT NULL DEFAULT '{}',      -- far_checkin, far_checkout, too_short, no_location
  work_done          text,
  service_notes      text,
  elder_confirmed_at timestamptz,
  rating             smallint CHECK (rating BETWEEN 1 AND 5),
  rating_comment     text,
  rated_at           timestamptz,
  rated_by_name      text,
  cancelled_at       timestamptz,
  cancel_reason      text,
  callback_at        timestamptz,
  settlement_id      uuid REFERENCES settlements(id),
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CHECK (gov_cents + copay_cents = amount_cents)
);
CREATE INDEX service_orders_region ON service_orders(region_code, service_date);
CREATE INDEX service_orders_provider ON service_orders(provider_id, status, service_date);
CREATE INDEX service_orders_elder_month ON service_orders(elder_id, service_date);
CREATE INDEX service_orders_caregiver ON service_orders(caregiver_id, service_date);
CREATE INDEX service_orders_status ON service_orders(status, service_date);

-- What happened to an order, in order (派单, 拒单 with reason, 接单, 签到, …).
CREATE TABLE service_order_events (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id    uuid NOT NULL REFERENCES service_orders(id),
  county_code text COLLATE "C" NOT NULL,
  region_code text COLLATE "C" NOT NULL,
  provider_id uuid,
  elder_id    uuid NOT NULL,
  at          timestamptz NOT NULL DEFAULT clock_timestamp(),
  actor_id    uuid,
  actor_name  text,
  kind        text NOT NULL,
  reason      text,
  data        jsonb
);
CREATE INDEX service_order_events_order ON service_order_events(order_id, at);

CREATE TABLE service_order_photos (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id    uuid NOT NULL REFERENCES service_orders(id),
  county_code text COLLATE "C" NOT NULL,
  region_code text COLLATE "C" NOT NULL,
  provider_id uuid,
  elder_id    uuid NOT NULL,
  mime        text NOT NULL CHECK (mime IN ('image/jpeg','image/png','image/webp')),
  size        int NOT NULL CHECK (size BETWEEN 1 AND 2097152),
  data        bytea NOT NULL,
  created_by  uuid,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX service_order_photos_order ON service_order_photos(order_id);

CREATE TABLE service_complaints (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id    uuid NOT NULL REFERENCES service_orders(id),
  county_code text COLLATE "C" NOT NULL,
  region_code text COLLATE "C" NOT NULL,
  provider_id uuid,
  elder_id    uuid NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('quality','attitude','late','absent','fee','other')),
  content     text NOT NULL CHECK (length(content) BETWEEN 1 AND 1000),
  status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open','handling','closed')),
  filed_by    uuid,
  filed_by_name text,
  filed_at    timestamptz NOT NULL DEFAULT now(),
  handler_name text,
  resolution  text,
  closed_at   timestamptz
);
CREATE INDEX service_complaints_region ON service_complaints(region_code, status);
CREATE INDEX service_complaints_order ON service_complaints(order_id);

-- Staff call back a sample of orders (回访).
CREATE TABLE service_callbacks (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id    uuid NOT NULL REFERENCES service_orders(id),
  county_code text COLLATE "C" NOT NULL,
  region_code text COLLATE "C" NOT NULL,
  provider_id uuid,
  called_by   uuid,
  called_by_name text,
  called_at   timestamptz NOT NULL DEFAULT now(),
  reached     boolean NOT NULL,
  satisfied   boolean,
  service_happened boolean,
  notes       text
);
CREATE INDEX service_callbacks_order ON service_callbacks(order_id);

-- A statement line per order of the provider's month: paid or held back with the reason.
CREATE TABLE settlement_lines (
  settlement_id uuid NOT NULL REFERENCES settlements(id),
  order_id      uuid NOT NULL REFERENCES service_orders(id),
  county_code   text COLLATE "C" NOT NULL,
  region_code   text COLLATE "C" NOT NULL,           -- the provider's region, like its settlement
  provider_id   uuid NOT NULL,
  order_no      text NOT NULL,
  service_date  date NOT NULL,
  elder_name    text NOT NULL,
  item_name     text NOT NULL,
  amount_cents  int NOT NULL,
  gov_cents     int NOT NULL,
  copay_cents   int NOT NULL,
  held          boolean NOT NULL,
  hold_reasons  text[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (settlement_id, order_id)
);

-- Staff of a provider's own region, and that provider's own users; restrictive below keeps
-- other providers out.
ALTER TABLE caregivers ENABLE ROW LEVEL SECURITY;
ALTER TABLE service_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE settlements ENABLE ROW LEVEL SECURITY;
ALTER TABLE settlement_lines ENABLE ROW LEVEL SECURITY;
ALTER TABLE service_orders ENABLE ROW LEVEL SECURITY;
ALTER TABLE service_order_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE service_order_photos ENABLE ROW LEVEL SECURITY;
ALTER TABLE service_complaints ENABLE ROW LEVEL SECURITY;
ALTER TABLE service_callbacks ENABLE ROW LEVEL SECURITY;

CREATE POLICY read_menu ON service_items FOR SELECT USING (yl_visible_region(region_code));
CREATE POLICY write_menu ON service_items FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
CREATE POLICY family_read ON service_items FOR SELECT TO yinling_family USING (true);

-- Provider-owned tables: by region for staff, by provider for provider users.
CREATE POLICY scope_all ON caregivers FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
CREATE POLICY provider_all ON caregivers FOR ALL USING (provider_id::text = current_setting('yinling.provider', true))
  WITH CHECK (provider_id::text = current_setting('yinling.provider', true));
CREATE POLICY scope_all ON settlements FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
CREATE POLICY provider_read ON settlements FOR SELECT USING (provider_id::text = current_setting('yinling.provider', true));
CREATE POLICY scope_all ON settlement_lines FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
CREATE POLICY provider_read ON settlement_lines FOR SELECT USING (provider_id::text = current_setting('yinling.provider', true));

-- Order tables: by the elder's region for staff, by provider for provider users.
CREATE POLICY scope_all ON service_orders FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
CREATE POLICY provider_all ON service_orders FOR ALL USING (provider_id::text = current_setting('yinling.provider', true))
  WITH CHECK (provider_id::text = current_setting('yinling.provider', true));
CREATE POLICY scope_all ON service_order_events FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
CREATE POLICY provider_all ON service_order_events FOR ALL USING (provider_id::text = current_setting('yinling.provider', true))
  WITH CHECK (provider_id::text = current_setting('yinling.provider', true));
CREATE POLICY scope_all ON service_order_photos FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
CREATE POLICY provider_all ON service_order_photos FOR ALL USING (provider_id::text = current_setting('yinling.provider', true))
  WITH CHECK (provider_id::text = current_setting('yinling.provider', true));
CREATE POLICY scope_all ON service_complaints FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
CREATE POLICY provider_all ON service_complaints FOR SELECT USING (provider_id::text = current_setting('yinling.provider', true));
CREATE POLICY scope_all ON service_callbacks FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));

-- A provider user never sees another provider's rows, even in its own township.
CREATE POLICY only_own_provider ON providers AS RESTRICTIVE FOR ALL
  USING (coalesce(current_setting('yinling.provider', true), '') = '' OR id::text = current_setting('yinling.provider', true));
CREATE POLICY only_own_provider ON caregivers AS RESTRICTIVE FOR ALL
  USING (coalesce(current_setting('yinling.provider', true), '') = '' OR provider_id::text = current_setting('yinling.provider', true));
CREATE POLICY only_own_provider ON settlements AS RESTRICTIVE FOR ALL
  USING (coalesce(current_setting('yinling.provider', true), '') = '' OR provider_id::text = current_setting('yinling.provider', true));
CREATE POLICY only_own_provider ON settlement_lines AS RESTRICTIVE FOR ALL
  USING (coalesce(current_setting('yinling.provider', true), '') = '' OR provider_id::text = current_setting('yinling.provider', true));
CREATE POLICY only_own_provider ON service_orders AS RESTRICTIVE FOR ALL
  USING (coalesce(current_setting('yinling.provider', true), '') = '' OR provider_id::text = current_setting('yinling.provider', true));
CREATE POLICY only_own_provider ON service_order_events AS RESTRICTIVE FOR ALL
  USING (coalesce(current_setting('yinling.provider', true), '') = '' OR provider_id::text = current_setting('yinling.provider', true));
CREATE POLICY only_own_provider ON service_order_photos AS RESTRICTIVE FOR ALL
  USING (coalesce(current_setting('yinling.provider', true), '') = '' OR provider_id::text = current_setting('yinling.provider', true));
CREATE POLICY only_own_provider ON service_complaints AS RESTRICTIVE FOR ALL
  USING (coalesce(current_setting('yinling.provider', true), '') = '' OR provider_id::text = current_setting('yinling.provider', true));
CREATE POLICY only_own_provider ON service_callbacks AS RESTRICTIVE FOR ALL
  USING (coalesce(current_setting('yinling.provider', true), '') = '' OR provider_id::text = current_setting('yinling.provider', true));

-- Family members: order for, follow, cancel, rate and complain about their linked elders' orders.
CREATE POLICY family_all ON service_orders FOR ALL TO yinling_family
  USING (elder_id = ANY (yl_family_elders())) WITH CHECK (elder_id = ANY (yl_family_elders()));
CREATE POLICY family_all ON service_order_events FOR ALL TO yinling_family
  USING (elder_id = ANY (yl_family_elders())) WITH CHECK (elder_id = ANY (yl_family_elders()));
CREATE POLICY family_read ON service_order_photos FOR SELECT TO yinling_family USING (elder_id = ANY (yl_family_elders()));
CREATE POLICY family_all ON service_complaints FOR ALL TO yinling_family
  USING (elder_id = ANY (yl_family_elders())) WITH CHECK (elder_id = ANY (yl_family_elders()));
GRANT INSERT, UPDATE ON service_orders, service_order_events, service_complaints TO yinling_family;

-- Dispatch needs each candidate provider's capacity (caregivers with the skill, open orders)
-- whatever region those caregivers and orders are in; only counts leave the function, and only
-- for providers of the caller's county that serve the given region.
CREATE FUNCTION yl_provider_capacity(p_region text, p_skill text)
RETURNS TABLE (provider_id uuid, caregivers int, open_orders int)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT p.id,
         (SELECT count(*)::int FROM caregivers c WHERE c.provider_id = p.id AND c.status = 'active' AND (p_skill IS NULL OR p_skill = ANY (c.skills))),
         (SELECT count(*)::int FROM service_orders o WHERE o.provider_id = p.id AND o.status IN ('dispatched','accepted','in_service'))
    FROM providers p
   WHERE p.county_code = left(p_region, 6)
     AND left(p_region, 6) = left(current_setting('yinling.lo', true), 6)
     AND yl_serves_region(p.service_regions, p.region_code, p_region)
$$;
REVOKE ALL ON FUNCTION yl_provider_capacity(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yl_provider_capacity(text, text) TO yinling_app;

-- Order numbers: a per-county daily counter would need a shared row; a sequence is enough.
CREATE SEQUENCE service_order_no;
GRANT USAGE ON SEQUENCE service_order_no TO yinling_family;

-- Family care beds (家庭养老床位): a disabled elder cared for at home by a care home (the
-- running provider), with a home-adaptation record and a care plan (services × times a month);
-- the plan's orders are ordinary service orders marked with the bed, settled monthly with the
-- provider like any other order.
CREATE TABLE family_beds (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  county_code    text COLLATE "C" NOT NULL,
  region_code    text COLLATE "C" NOT NULL,          -- the elder's region
  elder_id       uuid NOT NULL REFERENCES elders(id),
  elder_name     text NOT NULL,
  provider_id    uuid NOT NULL REFERENCES providers(id),
  assessment_id  uuid,
  ability_standard text NOT NULL,
  ability_level  smallint NOT NULL,
  enrolled_on    date NOT NULL,
  ended_on       date,
  end_reason     text,
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active','ended')),
  adaptation     jsonb NOT NULL DEFAULT '{"items":[]}',  -- 适老化改造记录
  created_by_name text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CHECK (ended_on IS NULL OR ended_on >= enrolled_on)
);
CREATE UNIQUE INDEX family_beds_one_active ON family_beds(elder_id) WHERE status = 'active';
CREATE INDEX family_beds_region ON family_beds(region_code);
CREATE INDEX family_beds_provider ON family_beds(provider_id);

CREATE TABLE family_bed_plan (
  bed_id          uuid NOT NULL REFERENCES family_beds(id),
  item_id         uuid NOT NULL REFERENCES service_items(id),
  county_code     text COLLATE "C" NOT NULL,
  region_code     text COLLATE "C" NOT NULL,
  provider_id     uuid NOT NULL,
  times_per_month smallint NOT NULL CHECK (times_per_month BETWEEN 1 AND 62),
  PRIMARY KEY (bed_id, item_id)
);

ALTER TABLE service_orders ADD COLUMN family_bed_id uuid REFERENCES family_beds(id);
CREATE INDEX service_orders_family_bed ON service_orders(family_bed_id, service_date) WHERE family_bed_id IS NOT NULL;

ALTER TABLE family_beds ENABLE ROW LEVEL SECURITY;
ALTER TABLE family_bed_plan ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_all ON family_beds FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
CREATE POLICY provider_read ON family_beds FOR SELECT USING (provider_id::text = current_setting('yinling.provider', true));
CREATE POLICY only_own_provider ON family_beds AS RESTRICTIVE FOR ALL
  USING (coalesce(current_setting('yinling.provider', true), '') = '' OR provider_id::text = current_setting('yinling.provider', true));
CREATE POLICY family_read ON family_beds FOR SELECT TO yinling_family USING (elder_id = ANY (yl_family_elders()));
CREATE POLICY scope_all ON family_bed_plan FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
CREATE POLICY provider_read ON family_bed_plan FOR SELECT USING (provider_id::text = current_setting('yinling.provider', true));
CREATE POLICY only_own_provider ON family_bed_plan AS RESTRICTIVE FOR ALL
  USING (coalesce(current_setting('yinling.provider', true), '') = '' OR provider_id::text = current_setting('yinling.provider', true));
