-- 0014 The overdue-order sweep (超时未接单 → action) and the supplier catalogue's credit reason.
--
-- A dispatched order not accepted by its accept_deadline is handled once by the sweep
-- (services/sweep.ts): an auto-dispatched order goes to the next best provider; otherwise, or
-- when no provider is left, it goes back to staff (status 'refused') marked as escalated
-- (需重新派单) until someone dispatches or cancels it.
ALTER TABLE service_orders
  ADD COLUMN escalated_at timestamptz,
  ADD COLUMN escalation   text CHECK (escalation IN ('timeout', 'no_provider'));

-- What the sweep looks for every minute: few rows, found without a scan.
CREATE INDEX service_orders_accept_deadline ON service_orders(accept_deadline) WHERE status = 'dispatched';
CREATE INDEX service_orders_escalated ON service_orders(region_code) WHERE escalated_at IS NOT NULL;

-- Why a provider's credit status (信用状态) was last changed; the change itself is audited.
ALTER TABLE providers ADD COLUMN credit_reason text CHECK (length(credit_reason) <= 200);
