-- 0007 Family members (老年人家属) see only the elders they are linked to as a contact, not a
-- region. They work as their own database role so these policies cost staff queries nothing.
DO $$ BEGIN
  CREATE ROLE yinling_family NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
DO $$ BEGIN
  EXECUTE format('GRANT yinling_family TO %I', current_user);
EXCEPTION WHEN others THEN NULL;
END $$;

-- The elders linked to the calling user. SECURITY DEFINER: elder_contacts itself is region-scoped.
CREATE FUNCTION yl_family_elders() RETURNS uuid[] LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT coalesce(array_agg(elder_id), '{}') FROM elder_contacts WHERE user_id::text = current_setting('yinling.user', true)
$$;
REVOKE ALL ON FUNCTION yl_family_elders() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yl_family_elders() TO yinling_family;

CREATE POLICY family_read ON elders FOR SELECT TO yinling_family USING (id = ANY (yl_family_elders()));
CREATE POLICY family_read ON elder_categories FOR SELECT TO yinling_family USING (elder_id = ANY (yl_family_elders()));
CREATE POLICY family_read ON assessments FOR SELECT TO yinling_family USING (elder_id = ANY (yl_family_elders()));
-- Region names are public reference data.
CREATE POLICY family_read ON regions FOR SELECT TO yinling_family USING (true);
