-- Which of these ID numbers are already registered in the county, whatever the township.
-- SECURITY DEFINER so a township user's import can report a duplicate registered next door
-- (the unique key covers the county) without seeing that record: only the numbers come back.
CREATE FUNCTION yl_registered_ids(p_county text, p_ids text[]) RETURNS TABLE (id_number text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT e.id_number FROM elders e
   WHERE e.county_code = p_county AND p_county = left(current_setting('yinling.lo', true), 6) AND e.id_number = ANY (p_ids)
$$;
REVOKE ALL ON FUNCTION yl_registered_ids(text, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yl_registered_ids(text, text[]) TO yinling_app;
