-- 0019 The distance of a check-in or check-out from the elder's address, in metres, computed by
-- the statement that records the visit (one statement, no read before it): the great-circle
-- distance on the mean Earth radius (haversine), the same formula as services/split.ts
-- `distanceMetres`, which ranks providers for dispatch. A SQL function the planner inlines.
CREATE OR REPLACE FUNCTION yl_distance_m(lat1 float8, lng1 float8, lat2 float8, lng2 float8) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT 2 * 6371008.8 * asin(least(1, sqrt(sin(radians(lat2 - lat1) / 2) ^ 2 + cos(radians(lat1)) * cos(radians(lat2)) * sin(radians(lng2 - lng1) / 2) ^ 2)))
$$;
