/**
 * What an elder is entitled to in services, asked at order time by the home-services module.
 *
 * Contract (stable; the benefits engine fills it in): the service-type benefits (服务补贴,
 * government-purchased services for 80+, …) the elder qualifies for in the month of `date`
 * under the county's policy version in force, each with its monthly budget in cents. The
 * caller subtracts what orders of that month have already used and splits each new order into
 * the government part and the elder's co-pay.
 *
 * Computed live with the same SQL as the monthly run (engine.ts), limited to this one elder and
 * to the benefits paid as services, so the order screen and the run never disagree.
 */
import { sql, type Executor, type SQL } from '../../kernel/db.js';
import { linesQuery, monthStart } from './engine.js';
import { explainLine, type LineFacts } from './explain.js';
import { policyFor, type PolicyRow } from './policies.js';

export interface EntitlementSource {
  /** Benefit type code, e.g. `service_subsidy`, `purchased_services_80`. */
  benefitCode: string;
  name: string;
  /** Monthly budget in cents (分). */
  amountCents: number;
  /** Why: the rule version and the facts, in Chinese, e.g. "年龄85周岁（2025-06-01）…". */
  explanation: string;
}

export interface ServiceEntitlement {
  /** YYYY-MM of `date`. */
  month: string;
  /** Sum of the sources' budgets for the month, in cents. */
  budgetCents: number;
  sources: EntitlementSource[];
}

/**
 * The query behind `serviceEntitlement` for a known policy, to run as a scalar json column of
 * any statement (`rows`), and how to read its answer (`read`). None when the policy pays no
 * service benefit. The cohort is the elder's region, or any range that holds it (the elder's
 * county when the region is not known yet: the query is narrowed to the one elder anyway).
 */
export function entitlementQuery(
  policy: PolicyRow,
  elderId: string,
  date: string,
  cohort: { lo: string; hi: string },
): { rows: SQL; read(rows: EntitlementRow[]): ServiceEntitlement } | null {
  const month = monthStart(date);
  const services = policy.rules.benefits.filter((b) => b.payment === 'service');
  if (!services.length) return null;
  const rules = {
    ...policy.rules,
    benefits: services,
    exclusions: policy.rules.exclusions.filter((x) => x.benefits.every((c) => services.some((b) => b.code === c))),
  };
  return {
    rows: sql`coalesce((select json_agg(x order by x.benefit_code) from (select q.benefit_code, q.amount_cents, q.tier, q.facts
      from (${linesQuery(rules, month, { ...cohort, where: sql`e.id = ${elderId}` })}) q) x), '[]')`,
    read(rows) {
      const sources = rows.map((r) => {
        const rule = services.find((b) => b.code === r.benefit_code);
        return {
          benefitCode: r.benefit_code,
          name: rule?.name ?? r.benefit_code,
          amountCents: r.amount_cents,
          explanation: explainLine({
            rule,
            tier: r.tier,
            amountCents: r.amount_cents,
            facts: r.facts,
            policy: { name: policy.name, version: policy.version, effectiveFrom: policy.effective_from },
            kind: 'regular',
            forMonth: month,
          }),
        };
      });
      return { month: date.slice(0, 7), budgetCents: sources.reduce((a, x) => a + x.amountCents, 0), sources };
    },
  };
}

export interface EntitlementRow {
  benefit_code: string;
  amount_cents: number;
  tier: string;
  facts: LineFacts;
}

/** `elder`: the elder's county and region when the caller has already read them (one query less). */
export async function serviceEntitlement(
  tx: Executor,
  elderId: string,
  date: string,
  elder?: { county_code: string; region_code: string },
  /** A scalar the caller also needs, read in the same statement (one round trip less); `also`
   * is undefined when the elder has no service benefit this month (nothing was queried). */
  alsoSelect?: SQL,
  /** The policy in force in the month when the caller has already read it (`policyRefSql`, `policyByRef`; null: none). */
  known?: { policy: PolicyRow | null },
): Promise<ServiceEntitlement & { also?: unknown }> {
  const month = monthStart(date);
  const none = { month: date.slice(0, 7), budgetCents: 0, sources: [] };
  const e = elder ?? (await tx.one<{ county_code: string; region_code: string }>(sql`select county_code, region_code from elders where id = ${elderId}`));
  if (!e) return none;
  const policy = known ? known.policy : await policyFor(tx, e.county_code, month);
  const q = policy && entitlementQuery(policy, elderId, date, { lo: e.region_code, hi: e.region_code });
  if (!q) return none;
  const out = await tx.one<{ rows: EntitlementRow[]; also: unknown }>(sql`select ${q.rows} as rows, ${alsoSelect ?? sql`null`} as also`);
  return { ...q.read(out!.rows), also: out!.also };
}
