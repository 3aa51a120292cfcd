import { sql, startsWith, type Executor } from '../../kernel/db.js';
import { scopeOf } from '../../kernel/scope.js';

export interface AssessmentRow {
  id: string;
  elder_id: string;
  region_code: string;
  standard: string;
  reason: string;
  reference_date: string;
  answers: Record<string, string>;
  annex: Record<string, unknown>;
  dimension_scores: unknown;
  total: number | null;
  preliminary_level: number;
  applied_rules: unknown;
  final_level: number;
  level_name: string;
  assessors: string[];
  status: string;
  valid_until: string | null;
  created_at: string;
  void_reason: string | null;
}

const COLS = sql`id::text as id, elder_id::text as elder_id, region_code, standard, reason, reference_date::text as reference_date, answers, annex,
  dimension_scores, total, preliminary_level::int as preliminary_level, applied_rules, final_level::int as final_level, level_name, assessors, status,
  valid_until::text as valid_until, created_at::text as created_at, void_reason`;

export const DUE_KINDS = ['immediate', 'overdue', 'due_soon', 'never', 'no_valid_80'] as const;
export type DueKind = (typeof DUE_KINDS)[number];

export const assessmentsRepo = {
  /** The region of the account that recorded the assessment (null when not visible) and the county's name. */
  recorder: (tx: Executor, id: string) =>
    tx.one<{ level: number | null; name: string | null; county: string | null }>(sql`select r.level::int as level, r.name, c.name as county
      from assessments a left join users u on u.id = a.created_by left join regions r on r.code = u.region_code
        left join regions c on c.code = rpad(a.county_code, 12, '0')
     where a.id = ${id}`),
  insert: (
    tx: Executor,
    a: {
      elderId: string;
      regionCode: string;
      standard: string;
      reason: string;
      referenceDate: string;
      answers: unknown;
      annex: unknown;
      dimensions: unknown;
      total: number | null;
      preliminaryLevel: number;
      appliedRules: unknown;
      finalLevel: number;
      levelName: string;
      assessors: string[];
      validUntil: string;
      userId: string;
    },
  ) =>
    tx.one<{ id: string }>(sql`insert into assessments (elder_id, county_code, region_code, standard, reason, reference_date, answers, annex,
        dimension_scores, total, preliminary_level, applied_rules, final_level, level_name, assessors, valid_until, created_by)
      values (${a.elderId}, ${a.regionCode.slice(0, 6)}, ${a.regionCode}, ${a.standard}, ${a.reason}, ${a.referenceDate}, ${JSON.stringify(a.answers)}::jsonb,
        ${JSON.stringify(a.annex)}::jsonb, ${JSON.stringify(a.dimensions)}::jsonb, ${a.total}, ${a.preliminaryLevel}, ${JSON.stringify(a.appliedRules)}::jsonb,
        ${a.finalLevel}, ${a.levelName}, ${sql.param(a.assessors)}::text[], ${a.validUntil}, ${a.userId})
      returning id::text as id`),

  get: (tx: Executor, id: string) => tx.one<AssessmentRow>(sql`select ${COLS} from assessments where id = ${id}`),
  ofElder: (tx: Executor, elderId: string) =>
    tx.rows<AssessmentRow>(sql`select ${COLS} from assessments where elder_id = ${elderId} order by reference_date desc, created_at desc`),
  void: (tx: Executor, id: string, reason: string) =>
    tx.exec(sql`update assessments set status = 'void', void_reason = ${reason} where id = ${id} and status = 'completed'`),

  /** Elders by assessment status; `kind` narrows to one list. */
  async due(tx: Executor, f: { regionCode?: string; kind?: DueKind; q?: string; limit: number; offset: number }) {
    const parts = [sql`e.status = 'active'`];
    if (f.q) {
      const q = f.q.toLowerCase();
      parts.push(/^[a-z]+$/.test(q) ? sql`(${startsWith(sql`e.name_initials`, q)} or ${startsWith(sql`e.name_pinyin`, q)})` : startsWith(sql`e.name`, f.q));
    }
    if (f.regionCode) {
      const s = scopeOf(f.regionCode);
      parts.push(sql`e.region_code between ${s.lo} and ${s.hi}`);
    }
    const base = sql`select e.id::text as id, e.name, e.sex, extract(year from age(current_date, e.birth_date))::int as age, e.region_code,
        v.name as region_name, t.name as township_name, e.name_pinyin, la.id::text as assessment_id, la.standard, la.final_level::int as final_level,
        la.reference_date::text as reference_date, la.valid_until::text as valid_until, e.reassess_requested_at::text as reassess_requested_at,
        case
          when e.reassess_requested_at is not null and (la.reference_date is null or la.reference_date < e.reassess_requested_at) then 'immediate'
          when la.id is null then 'never'
          when la.valid_until < current_date then 'overdue'
          when la.valid_until < current_date + 30 then 'due_soon'
          else 'valid' end as due_status
      from elders e
      left join regions v on v.code = e.region_code
      left join regions t on t.code = rpad(left(e.region_code, 9), 12, '0')
      -- The latest completed assessment of every elder, set-wise (one sort, one hash join) rather than a lookup per elder.
      left join (select distinct on (a.elder_id) a.elder_id, a.id, a.standard, a.final_level, a.reference_date, a.valid_until from assessments a
                  where a.status = 'completed' order by a.elder_id, a.reference_date desc, a.created_at desc) la on la.elder_id = e.id
      where ${sql.join(parts, sql` and `)}`;
    const kind =
      f.kind === 'no_valid_80'
        ? sql`due_status in ('never', 'overdue', 'immediate') and age >= 80`
        : f.kind
          ? sql`due_status = ${f.kind}`
          : sql`due_status <> 'valid'`;
    const rows = await tx.rows<{
      id: string;
      name: string;
      sex: string;
      age: number;
      region_code: string;
      region_name: string | null;
      township_name: string | null;
      assessment_id: string | null;
      standard: string | null;
      final_level: number | null;
      reference_date: string | null;
      valid_until: string | null;
      reassess_requested_at: string | null;
      due_status: string;
      total: number;
    }>(sql`select *, count(*) over()::int as total from (${base}) d where ${kind}
            order by case due_status when 'immediate' then 0 when 'overdue' then 1 when 'never' then 2 else 3 end, region_code, name_pinyin
            limit ${f.limit} offset ${f.offset}`);
    return { rows, total: rows[0]?.total ?? 0 };
  },
};
