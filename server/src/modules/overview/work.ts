/**
 * 工作台 work list: what waits for the signed-in user, per role, counted within their scope
 * (row-level security and the same conditions as the lists the counts link to), each with the
 * link to that list filtered (the web lists read these query parameters).
 */
import { sql, type Executor, type SQL } from '../../kernel/db.js';
import type { Principal } from '../../kernel/principal.js';
import { scopeOf } from '../../kernel/scope.js';
import { assessmentsRepo } from '../assessments/index.js';
import { ORDER_FROM, ORDER_SELECT } from '../services/index.js';

export const WORK_KEYS = [
  'applications_review',
  'applications_decide',
  'runs_review',
  'runs_approve',
  'assessments_immediate',
  'assessments_overdue',
  'orders_escalated',
  'orders_to_accept',
  'orders_unaccepted',
  'orders_late',
  'complaints_open',
] as const;
export type WorkKey = (typeof WORK_KEYS)[number];

export interface WorkItem {
  key: WorkKey;
  count: number;
  /** The web page that lists these items, filtered. */
  link: string;
}

const LINKS: Record<WorkKey, string> = {
  applications_review: '/m/benefits?tab=applications&status=submitted',
  applications_decide: '/m/benefits?tab=applications&status=township_approved',
  runs_review: '/m/benefits?tab=runs',
  runs_approve: '/m/benefits?tab=runs',
  assessments_immediate: '/m/elders?tab=due&kind=immediate',
  assessments_overdue: '/m/elders?tab=due&kind=overdue',
  orders_escalated: '/m/services?escalated=true',
  orders_to_accept: '/m/services?status=dispatched',
  orders_unaccepted: '/m/services?overdue=unaccepted',
  orders_late: '/m/services?overdue=late',
  complaints_open: '/m/services?tab=complaints&status=open',
};

/** What each role works on (alarms and visits have no module yet). */
const BY_ROLE: Partial<Record<Principal['role'], WorkKey[]>> = {
  county_admin: [
    'applications_decide',
    'runs_approve',
    'assessments_immediate',
    'assessments_overdue',
    'orders_escalated',
    'orders_unaccepted',
    'complaints_open',
  ],
  township_staff: [
    'applications_review',
    'runs_review',
    'assessments_immediate',
    'assessments_overdue',
    'orders_escalated',
    'orders_unaccepted',
    'complaints_open',
  ],
  village_worker: ['assessments_immediate', 'assessments_overdue', 'orders_late', 'complaints_open'],
  provider_admin: ['orders_to_accept', 'orders_unaccepted', 'orders_late', 'complaints_open'],
  caregiver: ['orders_late'],
};

export const roleHasWork = (role: Principal['role']) => !!BY_ROLE[role];

const n = async (tx: Executor, q: SQL) => (await tx.one<{ n: number }>(q))?.n ?? 0;

/** Orders counted as the order list counts them (same select, so the same `overdue` timers). */
const orders = (tx: Executor, p: Principal, cond: SQL, overdue?: 'unaccepted' | 'late') => {
  const mine = p.role === 'caregiver' ? sql`and o.caregiver_id = (select id from caregivers where user_id = ${p.userId} and status = 'active')` : sql``;
  return n(
    tx,
    sql`select count(*)::int as n from (select ${ORDER_SELECT} from ${ORDER_FROM} where ${cond} ${mine}) x
      ${overdue ? sql`where overdue = ${overdue}` : sql``}`,
  );
};

async function count(tx: Executor, p: Principal, key: WorkKey): Promise<number> {
  switch (key) {
    case 'applications_review':
      return n(tx, sql`select count(*)::int as n from benefit_applications where status = 'submitted'`);
    case 'applications_decide':
      return n(tx, sql`select count(*)::int as n from benefit_applications where status = 'township_approved'`);
    case 'runs_approve':
      return n(tx, sql`select count(*)::int as n from benefit_runs where county_code = ${p.countyCode} and status = 'computed'`);
    case 'runs_review': {
      // Computed runs with lines in the user's township that the township has not confirmed.
      const s = scopeOf(p.regionCode.slice(0, 9).padEnd(12, '0'));
      return n(
        tx,
        sql`select count(*)::int as n from benefit_runs r where r.county_code = ${p.countyCode} and r.status = 'computed'
          and exists (select 1 from benefit_lines l where l.run_id = r.id and l.region_code between ${s.lo} and ${s.hi})
          and not exists (select 1 from benefit_run_reviews v where v.run_id = r.id and v.region_code = ${s.lo} and v.status = 'confirmed')`,
      );
    }
    case 'assessments_immediate':
    case 'assessments_overdue': {
      const r = await assessmentsRepo.due(tx, { kind: key === 'assessments_immediate' ? 'immediate' : 'overdue', limit: 1, offset: 0 });
      return r.total;
    }
    case 'orders_escalated':
      return orders(tx, p, sql`o.escalated_at is not null and o.status in ('pending', 'refused')`);
    case 'orders_to_accept':
      return orders(tx, p, sql`o.status = 'dispatched'`);
    case 'orders_unaccepted':
      return orders(tx, p, sql`o.status = 'dispatched'`, 'unaccepted');
    case 'orders_late':
      return orders(tx, p, sql`o.status = 'accepted'`, 'late');
    case 'complaints_open':
      return n(tx, sql`select count(*)::int as n from service_complaints where status = 'open'`);
  }
}

export async function workList(tx: Executor, p: Principal): Promise<WorkItem[]> {
  const out: WorkItem[] = [];
  for (const key of BY_ROLE[p.role] ?? []) out.push({ key, count: await count(tx, p, key), link: LINKS[key] });
  return out;
}
