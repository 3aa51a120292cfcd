/** Policy sets and their versions; the basic service list published from the same data. */
import { sql, type Executor, type SQL } from '../../kernel/db.js';
import { badRequest, conflict, notFound } from '../../kernel/errors.js';
import { describeCondition, PolicyRules, yuan, type BenefitRule } from './rules.js';

export interface PolicyRow {
  id: string;
  county_code: string;
  region_code: string;
  policy_key: string;
  version: number;
  name: string;
  status: 'draft' | 'published' | 'retired';
  active: boolean;
  effective_from: string;
  source_note: string | null;
  rules: PolicyRules;
  published_at: string | null;
  created_at: string;
}

const COLS = sql`id::text as id, county_code, region_code, policy_key, version, name, status, active, effective_from::text as effective_from,
  source_note, rules, published_at::text as published_at, created_at::text as created_at`;

export async function listPolicies(tx: Executor, county: string): Promise<PolicyRow[]> {
  return tx.rows<PolicyRow>(sql`select ${COLS} from benefit_policies where county_code = ${county} order by policy_key, version desc`);
}

export async function getPolicy(tx: Executor, id: string): Promise<PolicyRow> {
  const p = await tx.one<PolicyRow>(sql`select ${COLS} from benefit_policies where id = ${id}`);
  if (!p) throw notFound('补贴政策', 'policy');
  return p;
}

/** The version of the county's active set in force in `month` (YYYY-MM-01), or of `policyKey`. */
export async function policyFor(tx: Executor, county: string, month: string, policyKey?: string): Promise<PolicyRow | undefined> {
  return tx.one<PolicyRow>(sql`select ${COLS} from benefit_policies
     where county_code = ${county} and status = 'published' and effective_from <= ${month}::date
       and ${policyKey ? sql`policy_key = ${policyKey}` : sql`active`}
     order by effective_from desc, version desc limit 1`);
}

/** Which version `policyFor` would return (no policy key), as a scalar json column of an enclosing
 * query (the county given as SQL, e.g. a column): its id and row version (xmin), for `policyByRef`. */
export const policyRefSql = (county: SQL, month: string) => sql`(select json_build_object('id', id::text, 'v', xmin::text) from benefit_policies
     where county_code = ${county} and status = 'published' and effective_from <= ${month}::date and active
     order by effective_from desc, version desc limit 1)`;

export interface PolicyRef {
  id: string;
  v: string;
}

/** Policies read by `policyByRef`, by id and row version: any change to the row makes a new key. */
const byRef = new Map<string, PolicyRow>();

/**
 * The policy a `policyRefSql` column named, from memory when this process has read that row
 * version before. Rules are a large document, and every order reads the policy in force: a
 * published version is never edited, and any update of the row (retired, made inactive) changes
 * its xmin, so a cached copy is never stale. Callers must not modify what they get.
 */
export async function policyByRef(tx: Executor, ref: PolicyRef | null): Promise<PolicyRow | null> {
  if (!ref) return null;
  const key = `${ref.id}:${ref.v}`;
  const hit = byRef.get(key);
  if (hit) return hit;
  const p = await tx.one<PolicyRow & { v: string }>(sql`select ${COLS}, xmin::text as v from benefit_policies where id = ${ref.id}`);
  if (!p) return null;
  const { v, ...row } = p;
  if (v === ref.v) {
    if (byRef.size >= 1000) byRef.clear();
    byRef.set(key, row);
  }
  return row;
}

export async function requirePolicyFor(tx: Executor, county: string, month: string, policyKey?: string): Promise<PolicyRow> {
  const p = await policyFor(tx, county, month, policyKey);
  if (!p)
    throw badRequest(
      'NO_POLICY',
      `${month.slice(0, 7)} 没有生效的补贴政策：请先发布政策并设为本县执行`,
      `no published, active policy is in force in ${month.slice(0, 7)}: publish one and make it active first`,
    );
  return p;
}

export interface NewPolicy {
  policyKey: string;
  name: string;
  effectiveFrom: string;
  sourceNote?: string | null;
  rules: unknown;
}

export async function createDraft(tx: Executor, county: string, userId: string, p: NewPolicy): Promise<string> {
  const rules = PolicyRules.parse(p.rules);
  const next = await tx.one<{ v: number }>(
    sql`select coalesce(max(version), 0)::int + 1 as v from benefit_policies where county_code = ${county} and policy_key = ${p.policyKey}`,
  );
  const row = await tx.one<{
    id: string;
  }>(sql`insert into benefit_policies (county_code, region_code, policy_key, version, name, effective_from, source_note, rules, created_by)
    values (${county}, ${county.padEnd(12, '0')}, ${p.policyKey}, ${next!.v}, ${p.name}, ${p.effectiveFrom}, ${p.sourceNote ?? null}, ${JSON.stringify(rules)}::jsonb, ${userId})
    returning id::text as id`);
  return row!.id;
}

export async function updateDraft(tx: Executor, id: string, p: Partial<NewPolicy>): Promise<void> {
  const cur = await getPolicy(tx, id);
  if (cur.status !== 'draft')
    throw conflict('POLICY_PUBLISHED', '已发布的政策版本不能修改，请另存为新版本', 'a published version cannot be edited; save it as a new version');
  const rules = p.rules === undefined ? cur.rules : PolicyRules.parse(p.rules);
  await tx.exec(sql`update benefit_policies set name = ${p.name ?? cur.name}, effective_from = ${p.effectiveFrom ?? cur.effective_from},
      source_note = ${p.sourceNote === undefined ? cur.source_note : p.sourceNote}, rules = ${JSON.stringify(rules)}::jsonb where id = ${id}`);
}

/**
 * Publishing fixes a version. It may not take effect in a month whose run is already approved:
 * a new version never rewrites months already paid.
 */
export async function publish(tx: Executor, id: string, userId: string): Promise<void> {
  const cur = await getPolicy(tx, id);
  if (cur.status !== 'draft') throw conflict('POLICY_PUBLISHED', '该版本已发布', 'this version is already published');
  const paid = await tx.one<{ m: string }>(sql`select max(month)::text as m from benefit_runs where county_code = ${cur.county_code} and status = 'approved'`);
  if (paid?.m && cur.effective_from <= paid.m)
    throw conflict(
      'MONTH_ALREADY_PAID',
      `${paid.m.slice(0, 7)} 的发放已审批，新版本最早只能从其后一个月起生效`,
      `the run of ${paid.m.slice(0, 7)} is approved; a new version can take effect from the month after at the earliest`,
    );
  await tx.exec(sql`update benefit_policies set status = 'published', published_by = ${userId}, published_at = now() where id = ${id}`);
}

/** Makes a policy set (all its versions) the one the county's runs use. */
export async function activate(tx: Executor, id: string): Promise<void> {
  const cur = await getPolicy(tx, id);
  if (cur.status !== 'published') throw conflict('POLICY_DRAFT', '只能将已发布的政策设为执行', 'only a published policy can be made active');
  await tx.exec(sql`update benefit_policies set active = (policy_key = ${cur.policy_key}) where county_code = ${cur.county_code}`);
}

/** The basic service list (基本养老服务清单) from a policy version. */
export interface ServiceListItem {
  code: string;
  name: string;
  who: string;
  what: string;
  standard: string;
  payment: string;
  application: string;
  responsible: string;
}

export function serviceList(rules: PolicyRules): ServiceListItem[] {
  return rules.benefits.map((b: BenefitRule) => ({
    code: b.code,
    name: b.name,
    who: describeCondition(b.eligibility),
    what: b.content,
    standard: b.tiers.map((t) => `${t.label}${describeWhen(t.when)}：${yuan(t.amountCents)}元/月`).join('；'),
    payment: b.payment === 'cash' ? '按月发放至本人账户' : '按月计入服务额度，下单时抵扣',
    application: b.needsApplication ? '需本人或家属申请，镇（街道）初审、县民政局审批，自申请当月起享受' : '无需申请，系统按条件自动认定',
    responsible: b.responsible,
  }));
}

function describeWhen(c: Record<string, unknown>): string {
  return Object.keys(c).length ? `（${describeCondition(c as never)}）` : '';
}
