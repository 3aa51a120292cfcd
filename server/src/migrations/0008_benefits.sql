-- 0008 Benefits (基本养老服务清单与补贴): versioned policy sets as data, applications, monthly
-- runs with township review and county approval, payment lines (one per elder, benefit and
-- month, enforced here), payment attempts and bank files, back-pay and recovery.

-- A policy set version. Rules (benefit types, eligibility, tiers, exclusions) are one JSON
-- document validated by the application (modules/benefits/rules.ts). A published version is
-- never edited: a change is a new version with its own effective month.
CREATE TABLE benefit_policies (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  county_code    text COLLATE "C" NOT NULL,
  region_code    text COLLATE "C" NOT NULL REFERENCES regions(code),
  policy_key     text NOT NULL CHECK (policy_key ~ '^[a-z0-9_-]{1,40}$'),  -- the policy set this is a version of
  version        int NOT NULL CHECK (version >= 1),
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  status         text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','published','retired')),
  active         boolean NOT NULL DEFAULT false,   -- the set the county's monthly runs use
  effective_from date NOT NULL CHECK (extract(day from effective_from) = 1),
  source_note    text,
  rules          jsonb NOT NULL,
  created_by     uuid,
  created_at     timestamptz NOT NULL DEFAULT now(),
  published_by   uuid,
  published_at   timestamptz,
  UNIQUE (county_code, policy_key, version)
);

CREATE TABLE benefit_applications (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  county_code     text COLLATE "C" NOT NULL,
  region_code     text COLLATE "C" NOT NULL,
  elder_id        uuid NOT NULL REFERENCES elders(id) ON DELETE CASCADE,
  benefit_code    text NOT NULL,
  applied_on      date NOT NULL,
  status          text NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted','township_approved','approved','refused','withdrawn')),
  note            text,
  created_by      uuid,
  created_at      timestamptz NOT NULL DEFAULT now(),
  reviewed_by     uuid,
  reviewed_at     timestamptz,
  decided_by      uuid,
  decided_at      timestamptz,
  refusal_reason  text,
  CHECK (status <> 'refused' OR refusal_reason IS NOT NULL)
);
CREATE INDEX benefit_applications_elder ON benefit_applications(elder_id, benefit_code);
CREATE INDEX benefit_applications_region ON benefit_applications(region_code, status);
-- At most one open or approved application per elder and benefit.
CREATE UNIQUE INDEX benefit_applications_one_live ON benefit_applications(elder_id, benefit_code)
  WHERE status IN ('submitted','township_approved','approved');

CREATE TABLE benefit_application_docs (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  application_id uuid NOT NULL REFERENCES benefit_applications(id) ON DELETE CASCADE,
  county_code    text COLLATE "C" NOT NULL,
  region_code    text COLLATE "C" NOT NULL,
  filename       text NOT NULL,
  mime           text NOT NULL,
  size_bytes     int NOT NULL CHECK (size_bytes <= 5242880),
  content        bytea NOT NULL,
  created_by     uuid,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX benefit_application_docs_app ON benefit_application_docs(application_id);

-- Where an elder's money goes (the bank file needs it).
CREATE TABLE elder_bank_accounts (
  elder_id     uuid PRIMARY KEY REFERENCES elders(id) ON DELETE CASCADE,
  county_code  text COLLATE "C" NOT NULL,
  region_code  text COLLATE "C" NOT NULL,
  bank_code    text NOT NULL CHECK (bank_code ~ '^[A-Z0-9]{2,12}$'),
  bank_name    text NOT NULL,
  account_no   text NOT NULL CHECK (account_no ~ '^[0-9]{10,30}$'),
  holder_name  text NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now()
);

-- One monthly run per county and month.
CREATE TABLE benefit_runs (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  county_code   text COLLATE "C" NOT NULL,
  region_code   text COLLATE "C" NOT NULL REFERENCES regions(code),
  month         date NOT NULL CHECK (extract(day from month) = 1),
  policy_id     uuid NOT NULL REFERENCES benefit_policies(id),
  status        text NOT NULL DEFAULT 'computing' CHECK (status IN ('computing','computed','approved')),
  progress      int NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  computed_by   uuid,
  computed_at   timestamptz,
  approved_by   uuid,
  approved_at   timestamptz,
  summary       jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (county_code, month)
);

CREATE TABLE benefit_run_reviews (
  run_id        uuid NOT NULL REFERENCES benefit_runs(id) ON DELETE CASCADE,
  county_code   text COLLATE "C" NOT NULL,
  region_code   text COLLATE "C" NOT NULL,  -- the township reviewed
  status        text NOT NULL CHECK (status IN ('confirmed','returned')),
  note          text,
  reviewed_by   uuid NOT NULL,
  reviewed_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, region_code)
);

-- An entitlement: one line per elder, benefit and month it is for. A line computed in one run
-- is never recomputed; back-pay lines are lines for earlier months paid in a later run.
CREATE TABLE benefit_lines (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  county_code    text COLLATE "C" NOT NULL,
  region_code    text COLLATE "C" NOT NULL,   -- the elder's village at computation
  elder_id       uuid NOT NULL REFERENCES elders(id) ON DELETE CASCADE,
  benefit_code   text NOT NULL,
  for_month      date NOT NULL,
  run_id         uuid NOT NULL REFERENCES benefit_runs(id),
  kind           text NOT NULL CHECK (kind IN ('regular','backpay')),
  payment        text NOT NULL CHECK (payment IN ('cash','service')),
  amount_cents   int NOT NULL CHECK (amount_cents >= 0),
  policy_id      uuid NOT NULL REFERENCES benefit_policies(id),
  tier           text NOT NULL,
  facts          jsonb NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (elder_id, benefit_code, for_month)
);
CREATE INDEX benefit_lines_run ON benefit_lines(run_id, region_code);
CREATE INDEX benefit_lines_region_month ON benefit_lines(region_code, for_month);

-- Payment attempts: the bank file of a run lists its attempts; a failed attempt is attempted
-- again in the next run (one attempt per line and run).
CREATE TABLE benefit_payments (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  county_code   text COLLATE "C" NOT NULL,
  region_code   text COLLATE "C" NOT NULL,
  run_id        uuid NOT NULL REFERENCES benefit_runs(id),
  line_id       uuid NOT NULL REFERENCES benefit_lines(id) ON DELETE CASCADE,
  attempt       int NOT NULL DEFAULT 1,
  amount_cents  int NOT NULL,
  status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','paid','failed')),
  fail_reason   text,
  bank_ref      text,
  settled_at    timestamptz,
  UNIQUE (run_id, line_id)
);
CREATE INDEX benefit_payments_line ON benefit_payments(line_id);
CREATE INDEX benefit_payments_run ON benefit_payments(run_id, region_code);
CREATE INDEX benefit_payments_failed ON benefit_payments(county_code) WHERE status = 'failed';

-- Recovery (追回) of a month paid after the entitlement had ended (a death reported late).
CREATE TABLE benefit_recoveries (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  county_code   text COLLATE "C" NOT NULL,
  region_code   text COLLATE "C" NOT NULL,
  line_id       uuid NOT NULL UNIQUE REFERENCES benefit_lines(id) ON DELETE CASCADE,
  elder_id      uuid NOT NULL,
  amount_cents  int NOT NULL CHECK (amount_cents > 0),
  reason        text NOT NULL,
  status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open','settled','waived')),
  found_in_run  uuid REFERENCES benefit_runs(id),
  settled_by    uuid,
  settled_at    timestamptz,
  settle_note   text,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX benefit_recoveries_region ON benefit_recoveries(region_code, status);

-- Approved runs are locked: their lines cannot be deleted (and the app role cannot update lines at all).
CREATE FUNCTION yl_benefit_lines_locked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM benefit_runs r WHERE r.id = OLD.run_id AND r.status = 'approved') THEN
    RAISE EXCEPTION '已审批的发放批次已锁定 / an approved benefit run is locked' USING ERRCODE = 'check_violation';
  END IF;
  RETURN OLD;
END $$;
CREATE TRIGGER benefit_lines_locked BEFORE DELETE ON benefit_lines FOR EACH ROW EXECUTE FUNCTION yl_benefit_lines_locked();

ALTER TABLE benefit_policies ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON benefit_policies FOR SELECT USING (yl_visible_region(region_code));
CREATE POLICY scope_write ON benefit_policies FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
ALTER TABLE benefit_runs ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_read ON benefit_runs FOR SELECT USING (yl_visible_region(region_code));
CREATE POLICY scope_write ON benefit_runs FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
ALTER TABLE benefit_applications ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_all ON benefit_applications FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
ALTER TABLE benefit_application_docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_all ON benefit_application_docs FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
ALTER TABLE elder_bank_accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_all ON elder_bank_accounts FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
ALTER TABLE benefit_run_reviews ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_all ON benefit_run_reviews FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
ALTER TABLE benefit_lines ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_all ON benefit_lines FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
ALTER TABLE benefit_payments ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_all ON benefit_payments FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));
ALTER TABLE benefit_recoveries ENABLE ROW LEVEL SECURITY;
CREATE POLICY scope_all ON benefit_recoveries FOR ALL USING (yl_in_scope(region_code)) WITH CHECK (yl_in_scope(region_code));

-- Family members see their linked elders' benefit history.
CREATE POLICY family_read ON benefit_lines FOR SELECT TO yinling_family USING (elder_id = ANY (yl_family_elders()));
-- The service entitlement at order time (a family member orders for a parent) reads the policy
-- in force and the parent's approved applications.
CREATE POLICY family_read ON benefit_policies FOR SELECT TO yinling_family USING (status = 'published');
CREATE POLICY family_read ON benefit_applications FOR SELECT TO yinling_family USING (elder_id = ANY (yl_family_elders()));
