-- 0024 A caregiver (护理员) sees only the orders assigned to them, with their events and photos;
-- a provider's staff (provider_admin) keep seeing all of their provider's orders.
--
-- The session of a caregiver carries `yinling.caregiver` (the active caregiver record linked
-- to the signed-in user, or the nil uuid when there is none: then no order at all); for every
-- other session it is empty. A RESTRICTIVE policy on each per-order table adds to the provider
-- and region rules of 0010: on service_orders a setting compared to a column (the write path
-- pays one comparison), on the tables hanging off an order one probe of the order by its key,
-- and only for caregiver sessions. Accepting an order is the provider's (provider_admin), so
-- a caregiver never needs to see an order not yet assigned to them.
CREATE POLICY only_own_caregiver ON service_orders AS RESTRICTIVE FOR ALL
  USING (coalesce(current_setting('yinling.caregiver', true), '') = ''
         OR caregiver_id = nullif(current_setting('yinling.caregiver', true), '')::uuid);

CREATE POLICY only_own_caregiver ON service_order_events AS RESTRICTIVE FOR ALL
  USING (coalesce(current_setting('yinling.caregiver', true), '') = ''
         OR EXISTS (SELECT 1 FROM service_orders o WHERE o.id = service_order_events.order_id
                       AND o.caregiver_id = nullif(current_setting('yinling.caregiver', true), '')::uuid));

CREATE POLICY only_own_caregiver ON service_order_photos AS RESTRICTIVE FOR ALL
  USING (coalesce(current_setting('yinling.caregiver', true), '') = ''
         OR EXISTS (SELECT 1 FROM service_orders o WHERE o.id = service_order_photos.order_id
                       AND o.caregiver_id = nullif(current_setting('yinling.caregiver', true), '')::uuid));

CREATE POLICY only_own_caregiver ON service_complaints AS RESTRICTIVE FOR ALL
  USING (coalesce(current_setting('yinling.caregiver', true), '') = ''
         OR EXISTS (SELECT 1 FROM service_orders o WHERE o.id = service_complaints.order_id
                       AND o.caregiver_id = nullif(current_setting('yinling.caregiver', true), '')::uuid));

CREATE POLICY only_own_caregiver ON service_callbacks AS RESTRICTIVE FOR ALL
  USING (coalesce(current_setting('yinling.caregiver', true), '') = ''
         OR EXISTS (SELECT 1 FROM service_orders o WHERE o.id = service_callbacks.order_id
                       AND o.caregiver_id = nullif(current_setting('yinling.caregiver', true), '')::uuid));

CREATE POLICY only_own_caregiver ON settlement_lines AS RESTRICTIVE FOR ALL
  USING (coalesce(current_setting('yinling.caregiver', true), '') = ''
         OR EXISTS (SELECT 1 FROM service_orders o WHERE o.id = settlement_lines.order_id
                       AND o.caregiver_id = nullif(current_setting('yinling.caregiver', true), '')::uuid));
