-- 0021 Room for an order's changes, and indexes that fit what the changes read. An order is written five times after it is placed. With
-- full pages each new row version goes to another page, so every change (even a rating, which
-- touches no indexed column) adds an entry to each of the table's indexes; with a fifth of each
-- page kept free, the changes that touch no indexed column stay on the page (heap-only tuples)
-- and add none. Pages written from now on keep the room; VACUUM FULL would repack old ones.
-- The (status, service_date) index goes: nothing searches by status alone (lists and sweeps go
-- by region, provider, caregiver, elder or the accept deadline), and every change of status
-- paid for it.
ALTER TABLE service_orders SET (fillfactor = 80);
DROP INDEX IF EXISTS service_orders_status;
-- A caregiver's visits of a day by status: picking the least loaded caregiver counts the
-- accepted and started visits of that day, and the caregiver's task list reads the day's
-- accepted, started and done ones; without the status the count walked every order of the day
-- (a meal round: dozens).
DROP INDEX IF EXISTS service_orders_caregiver;
CREATE INDEX service_orders_caregiver ON service_orders(caregiver_id, service_date, status);
