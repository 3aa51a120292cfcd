/**
 * The overdue sweep (超时未接单 → action), run every minute by the server (main.ts): each
 * dispatched order past its `accept_deadline` gets a 'timeout' event and its provider goes into
 * `refused_by`; an auto-dispatched order is then dispatched again to the next best candidate
 * (the ranking of orders.service.ts), otherwise — or when no provider is left — it goes back to
 * staff (status 'refused', marked escalated: 需重新派单).
 *
 * Each order is handled in its own transaction, scoped to its county like a county user's
 * request (row-level security, the capacity function), and starts with one conditional UPDATE:
 * two sweeps running at once handle an order exactly once.
 */
import { writeAudit, type AuditActor } from '../../kernel/audit.js';
import { sql, type Database } from '../../kernel/db.js';
import { AppError } from '../../kernel/errors.js';
import { scopeOf } from '../../kernel/scope.js';
import { dispatchOrder, escalateOrder, timeOutOrder, TIMEOUT_REASON, NO_PROVIDER_REASON, type Actor } from './orders.service.js';

const ACTOR: Actor = { userId: null, displayName: '系统（超时处理）' };
const AUDIT_ACTOR: AuditActor = { id: null, name: ACTOR.displayName, role: 'system' };

export interface SweepResult {
  /** Orders this sweep timed out (an order another sweep got first is not counted). */
  timedOut: number;
  /** Of those, dispatched again automatically. */
  redispatched: number;
  /** Of those, back to staff (manual dispatch, or no provider left). */
  escalated: number;
  failed: { orderId: string; error: string }[];
}

/** Handles every dispatched order past its accept deadline; `limit` bounds one run. */
export async function sweepOverdueOrders(db: Database, o: { limit?: number } = {}): Promise<SweepResult> {
  const due = await db.root.rows<{ id: string; county_code: string; provider_id: string }>(
    sql`select id::text as id, county_code, provider_id::text as provider_id from service_orders
      where status = 'dispatched' and accept_deadline < now() order by accept_deadline limit ${o.limit ?? 500}`,
  );
  const out: SweepResult = { timedOut: 0, redispatched: 0, escalated: 0, failed: [] };
  for (const d of due) {
    try {
      const r = await db.scoped(scopeOf(d.county_code.padEnd(12, '0')), async (tx) => {
        const t = await timeOutOrder(tx, ACTOR, d.id, d.provider_id);
        if (!t) return null; // accepted, refused, re-dispatched or swept by someone else meanwhile
        const entry = (action: string, after: unknown, reason: string | null = null) =>
          writeAudit(tx, AUDIT_ACTOR, { action, entity: 'service_order', entityId: t.id, regionCode: t.region_code, after, reason });
        await entry('timeout', { providerId: d.provider_id, dispatchMode: t.dispatch_mode }, TIMEOUT_REASON);
        if (t.dispatch_mode !== 'auto') return 'escalated' as const;
        try {
          const next = await dispatchOrder(tx, ACTOR, t.id, { mode: 'auto' });
          await entry('dispatch', { mode: 'auto', providerId: next.provider.providerId, score: next.provider.score, after: 'timeout' });
          return 'redispatched' as const;
        } catch (e) {
          if (!(e instanceof AppError) || e.code !== 'NO_PROVIDER') throw e;
          await escalateOrder(tx, ACTOR, t.id);
          await entry('escalate', { escalation: 'no_provider' }, NO_PROVIDER_REASON);
          return 'escalated' as const;
        }
      });
      if (!r) continue;
      out.timedOut++;
      out[r]++;
    } catch (e) {
      out.failed.push({ orderId: d.id, error: (e as Error).message });
    }
  }
  return out;
}
