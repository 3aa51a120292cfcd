-- 0013 Family care beds (家庭养老床位): the orders generated from a bed's care plan.
--
-- Each generated order names its plan slot: the month, the plan item and the visit's ordinal in
-- that month ('2026-11:<item uuid>:3'). A bed holds each slot at most once, so generating a month
-- twice, or by two people at once, creates every planned visit exactly once. A visit cancelled
-- because the plan was reduced gives its slot back (plan_slot set to null); a visit cancelled for
-- any other reason keeps it, and is not generated again.
ALTER TABLE service_orders ADD COLUMN plan_slot text COLLATE "C";
ALTER TABLE service_orders ADD CONSTRAINT service_orders_plan_slot_bed CHECK (plan_slot IS NULL OR family_bed_id IS NOT NULL);
CREATE UNIQUE INDEX service_orders_plan_slot ON service_orders (family_bed_id, plan_slot) WHERE plan_slot IS NOT NULL;
