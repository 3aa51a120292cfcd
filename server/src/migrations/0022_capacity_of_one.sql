-- 0022 A manual dispatch names its provider: counting the caregivers and open orders of every
-- provider serving the region (most of the dispatch statement's time) only to keep one row is
-- waste. yl_provider_capacity takes the provider asked about (NULL: all, as before); the rest
-- of the function is unchanged (0018).
DROP FUNCTION yl_provider_capacity(text, text);
CREATE FUNCTION yl_provider_capacity(p_region text, p_skill text, p_provider uuid DEFAULT NULL)
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
     AND (p_provider IS NULL OR p.id = p_provider)
     AND yl_serves_region(p.service_regions, p.region_code, p_region);
END $$;
REVOKE ALL ON FUNCTION yl_provider_capacity(text, text, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yl_provider_capacity(text, text, uuid) TO yinling_app;
