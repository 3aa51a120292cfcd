/**
 * What an elder is entitled to in services, asked at order time by the home-services module.
 *
 * Contract (stable; the benefits engine fills it in): the service-type benefits (服务补贴,
 * government-purchased services for 80+, …) the elder qualifies for in the month of `date`
 * under the county's policy version in force, each with its monthly budget in cents. The
 * caller subtracts what orders of that month have already used and splits each new order into
 * the government part and the elder's co-pay.
 *
 * Until the benefits engine lands this answers "no entitlement" (every order is fully co-paid).
 */
import type { Executor } from '../../kernel/db.js';

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

export async function serviceEntitlement(_tx: Executor, _elderId: string, date: string): Promise<ServiceEntitlement> {
  return { month: date.slice(0, 7), budgetCents: 0, sources: [] };
}
