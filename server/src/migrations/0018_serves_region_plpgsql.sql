-- 0018 Whether a provider serves a region (yl_serves_region, yl_serves_scope: dispatch's
-- candidates and the providers' row-level security) was a SQL function whose body, an EXISTS
-- over the service areas, PostgreSQL cannot inline: it planned the body again in every
-- statement (0.1 ms a provider; most of a dispatch's 0.9 ms). The same tests as PL/pgSQL loops
-- keep no plan at all and cost microseconds. A NULL list of areas serves nothing, as before.
CREATE OR REPLACE FUNCTION yl_serves_region(areas text[], own text, region text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  a text;
BEGIN
  IF areas IS NULL THEN RETURN false; END IF;
  IF cardinality(areas) = 0 THEN RETURN region BETWEEN own AND yl_region_hi(own); END IF;
  FOREACH a IN ARRAY areas LOOP
    IF region BETWEEN a AND yl_region_hi(a) THEN RETURN true; END IF;
  END LOOP;
  RETURN false;
END $$;

CREATE OR REPLACE FUNCTION yl_serves_scope(areas text[], own text) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
DECLARE
  a text;
  lo text := current_setting('yinling.lo', true);
  hi text := current_setting('yinling.hi', true);
BEGIN
  IF areas IS NULL THEN RETURN false; END IF;
  IF cardinality(areas) = 0 THEN RETURN own <= hi AND yl_region_hi(own) >= lo; END IF;
  FOREACH a IN ARRAY areas LOOP
    IF a <= hi AND yl_region_hi(a) >= lo THEN RETURN true; END IF;
  END LOOP;
  RETURN false;
END $$;

-- The providers that can take an order, with their caregivers and open orders: as a SQL function
-- with SECURITY DEFINER it was planned on every call (0.2 ms of its 0.4 ms); in PL/pgSQL its
-- query keeps its plan for the connection.
CREATE OR REPLACE FUNCTION yl_provider_capacity(p_region text, p_skill text)
RETURNS TABLE (provider_id uuid, caregivers int, open_orders int)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
BEGIN
  RETURN QUERY
  SELECT p.id,
         (SELECT count(*)::int FROM caregivers c WHERE c.provider_id = p.id AND c.status = 'active' AND (p_skill IS NULL OR p_skill = ANY (c.skills))),
         (SELECT count(*)::int FROM service_orders o WHERE o.provider_id = p.id AND o.status IN ('dispatched','accepted','in_service'))
    FROM providers p
   WHERE p.county_code = left(p_region, 6)
     AND left(p_region, 6) = left(current_setting('yinling.lo', true), 6)
     AND yl_serves_region(p.service_regions, p.region_code, p_region);
END $$;
