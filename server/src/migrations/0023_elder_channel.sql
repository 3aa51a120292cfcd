-- 0023 An order the elder places on their own account (a contact 本人 linked to a family user,
-- POST /elders/:id/account) is recorded as channel 'elder', apart from orders by family members
-- and by staff on the elder's behalf. yl_self_elder(): the elder the signed-in family user is
-- (through a contact 本人), or NULL; family users cannot read contacts themselves.
ALTER TABLE service_orders DROP CONSTRAINT service_orders_channel_check;
ALTER TABLE service_orders ADD CONSTRAINT service_orders_channel_check CHECK (channel IN ('family','staff','elder'));

CREATE FUNCTION yl_self_elder() RETURNS uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT elder_id FROM elder_contacts
   WHERE user_id::text = current_setting('yinling.user', true) AND relation = '本人' AND user_id IS NOT NULL
   LIMIT 1
$$;
REVOKE ALL ON FUNCTION yl_self_elder() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION yl_self_elder() TO yinling_family;
