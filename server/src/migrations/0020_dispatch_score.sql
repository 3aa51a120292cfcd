-- 0020 A provider's score for an order, lower is better: the distance in km (10 when unknown),
-- twice its open orders per caregiver with the skill, and three times what its rating lacks of 5.
-- Computed with the candidates (dispatch's list, automatic dispatch, and the statement that
-- records a manual dispatch with the score of the provider chosen), so every place agrees.
CREATE OR REPLACE FUNCTION yl_dispatch_score(distance_km float8, open_orders int, caregivers int, rating float8) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT round((coalesce(distance_km, 10) + 2 * open_orders::float8 / greatest(1, caregivers) + 3 * (5 - rating))::numeric, 2)::float8
$$;
