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
