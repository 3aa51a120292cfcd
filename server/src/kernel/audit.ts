/**
 * Audit log: every write and every reveal of unmasked personal data. Rows are inserted in the
 * writer's own transaction (so an audit row exists exactly when the change committed) without
 * a hash; `sealAudit` then chains them per county in commit order under an advisory lock:
 * hash = sha256(prev_hash ‖ every column of the entry). `verifyAudit` recomputes the chain, so
 * an edited, deleted or reordered row is detected; checkpoints of the chain's head, signed and
 * kept outside the database (audit-anchor.ts), catch the removal of the newest entries. The app
 * role cannot update or delete rows, and a trigger refuses changes to sealed rows even for the
 * owner.
 */
import crypto from 'node:crypto';
import { arr, sql, SQL, type Database, type Executor } from './db.js';

export interface AuditEntry {
  action: string;
  entity: string;
  entityId?: string | null;
  regionCode: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

export interface AuditActor {
  id: string | null;
  name: string | null;
  role: string | null;
  ip?: string | null;
  requestId?: string | null;
}

const SECRET_KEYS = /password|token|secret|hash/i;

/** Drops secrets from a before/after image, whatever the nesting. */
export function redact(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(redact);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = SECRET_KEYS.test(k) ? '[redacted]' : redact(x);
    return out;
  }
  return v;
}

export async function writeAudit(tx: Executor, actor: AuditActor, e: AuditEntry): Promise<void> {
  const before = e.before === undefined ? null : JSON.stringify(redact(e.before));
  const after = e.after === undefined ? null : JSON.stringify(redact(e.after));
  // Written with the commit (one round trip less on a server); a rolled-back change leaves none.
  tx.later(sql`insert into audit_log
      (county_code, actor_id, actor_name, actor_role, action, entity, entity_id, region_code, before, after, reason, ip, request_id)
    values (${e.regionCode.slice(0, 6)}, ${actor.id}, ${actor.name}, ${actor.role}, ${e.action}, ${e.entity}, ${e.entityId ?? null},
            ${e.regionCode}, ${before}::jsonb, ${after}::jsonb, ${e.reason ?? null}, ${actor.ip ?? null}, ${actor.requestId ?? null})`);
}

/** An audit entry written by the statement that makes the change (see `Executor.last`). */
export interface StatementAudit extends Omit<AuditEntry, 'entityId' | 'regionCode'> {
  /** The changed rows (a CTE's name): one entry for each, none when nothing changed. */
  from: SQL;
  /** The entity's id and region, as SQL over `from`'s columns. */
  entityId: SQL;
  regionCode: SQL;
}

/** `insert into audit_log … select … from <rows>`, to put in a statement as a CTE. */
export function auditInsertSql(actor: AuditActor, e: StatementAudit): SQL {
  // An image may be a jsonb expression over the changed rows (what the statement itself works out).
  const image = (v: unknown) => (v instanceof SQL ? v : sql`${v === undefined ? null : JSON.stringify(redact(v))}::jsonb`);
  return sql`insert into audit_log
      (county_code, actor_id, actor_name, actor_role, action, entity, entity_id, region_code, before, after, reason, ip, request_id)
    select left(${e.regionCode}, 6), ${actor.id}::uuid, ${actor.name}::text, ${actor.role}::text, ${e.action}::text, ${e.entity}::text, ${e.entityId},
           ${e.regionCode}, ${image(e.before)}, ${image(e.after)}, ${e.reason ?? null}::text, ${actor.ip ?? null}::text, ${actor.requestId ?? null}::text
      from ${e.from}`;
}

/**
 * What the hash covers, column by column, as the text the database gives (so sealing and
 * verifying hash the same bytes). Version 2 is every column of `audit_log` except the chain's
 * own `prev_hash` and `hash` (checked against the previous entry instead); a test compares
 * this list with the table's columns, so a column added later cannot be left out silently:
 * it needs a hash version 3 here (entries sealed before keep verifying with their version).
 */
export const AUDIT_HASHED_COLUMNS = {
  id: sql`id::text`,
  county_code: sql`county_code`,
  seq: sql`seq::text`,
  at: sql`to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`,
  actor_id: sql`actor_id::text`,
  actor_name: sql`actor_name`,
  actor_role: sql`actor_role`,
  action: sql`action`,
  entity: sql`entity`,
  entity_id: sql`entity_id`,
  region_code: sql`region_code`,
  before: sql`before::text`,
  after: sql`after::text`,
  reason: sql`reason`,
  ip: sql`ip`,
  request_id: sql`request_id`,
  hash_version: sql`hash_version::text`,
} as const;
/** The columns that make the chain itself. */
export const AUDIT_CHAIN_COLUMNS = ['prev_hash', 'hash'] as const;
/** The version the sealer writes. */
export const AUDIT_HASH_VERSION = 2;

type HashedColumn = keyof typeof AUDIT_HASHED_COLUMNS;
type ChainRow = Record<HashedColumn, string | null> & { prev_hash: string | null; hash: string | null };

const CHAIN_COLUMNS = sql.join([...Object.entries(AUDIT_HASHED_COLUMNS).map(([k, v]) => sql`${v} as ${sql.identifier(k)}`), sql`prev_hash, hash`], sql`, `);

/** Version 1 (entries sealed before migration 0026): the fields of the first release. */
function rowHashV1(prev: string, r: ChainRow): string {
  const fields = [r.id, r.county_code, r.seq, r.at, r.actor_id, r.action, r.entity, r.entity_id, r.region_code, r.before, r.after, r.reason];
  return sha256(prev + '\n' + JSON.stringify(fields));
}

/** Version 2: every hashed column by name, in the order of `AUDIT_HASHED_COLUMNS`. */
function rowHashV2(prev: string, r: ChainRow): string {
  const fields: Record<string, string | null> = {};
  for (const k of Object.keys(AUDIT_HASHED_COLUMNS) as HashedColumn[]) fields[k] = r[k];
  return sha256(prev + '\n' + JSON.stringify(fields));
}

function rowHash(prev: string, r: ChainRow): string | null {
  if (r.hash_version === '1') return rowHashV1(prev, r);
  if (r.hash_version === '2') return rowHashV2(prev, r);
  return null;
}

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

const GENESIS = '0'.repeat(64);

/** Chains unsealed rows. Safe to run from several processes: one seals at a time.
 * `hashVersion` is for tests that make entries as a release before 0026 sealed them. */
export async function sealAudit(db: Database, batch = 5000, hashVersion: 1 | 2 = AUDIT_HASH_VERSION): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await db.system(async (tx) => {
      await tx.exec(sql`select pg_advisory_xact_lock(7212027)`);
      const rows = await tx.rows<ChainRow>(sql`select ${CHAIN_COLUMNS} from audit_log where seq is null order by county_code, at, id limit ${batch}`);
      if (rows.length === 0) return 0;
      const heads = new Map<string, { seq: number; hash: string }>();
      for (const county of new Set(rows.map((r) => r.county_code!))) {
        const h = await tx.one<{ seq: string; hash: string }>(
          sql`select seq::text as seq, hash from audit_log where county_code = ${county} and seq is not null order by audit_log.seq desc limit 1`,
        );
        heads.set(county, h ? { seq: Number(h.seq), hash: h.hash } : { seq: 0, hash: GENESIS });
      }
      const ids: string[] = [];
      const seqs: number[] = [];
      const prevs: string[] = [];
      const hashes: string[] = [];
      for (const r of rows) {
        const head = heads.get(r.county_code!)!;
        const seq = head.seq + 1;
        const hash = rowHash(head.hash, { ...r, seq: String(seq), hash_version: String(hashVersion) })!;
        ids.push(r.id!);
        seqs.push(seq);
        prevs.push(head.hash);
        hashes.push(hash);
        heads.set(r.county_code!, { seq, hash });
      }
      await tx.exec(sql`update audit_log a set seq = v.seq, prev_hash = v.prev, hash = v.hash, hash_version = ${hashVersion}
        from (select unnest(${arr(ids)}::uuid[]) as id, unnest(${arr(seqs)}::bigint[]) as seq,
                     unnest(${arr(prevs)}::text[]) as prev, unnest(${arr(hashes)}::text[]) as hash) v
        where a.id = v.id`);
      return rows.length;
    });
    total += n;
    if (n < batch) return total;
  }
}

export interface VerifyResult {
  countyCode: string;
  checked: number;
  ok: boolean;
  firstBadSeq?: number;
  problem?: string;
  pending?: number;
}

/** Recomputes every county's chain (or one county's) over the sealed entries. Entries not yet
 * sealed (the server seals every 2 s) are counted in `pending`. The chain alone cannot tell
 * that its newest entries were removed: see audit-anchor.ts for the checkpoints that do. */
export async function verifyAudit(x: Executor, countyCode?: string): Promise<VerifyResult[]> {
  const counties = countyCode ? [countyCode] : (await x.rows<{ c: string }>(sql`select distinct county_code as c from audit_log order by 1`)).map((r) => r.c);
  const results: VerifyResult[] = [];
  for (const county of counties) {
    let prev = GENESIS;
    let expected = 1;
    let checked = 0;
    let version = 1;
    let bad: VerifyResult | undefined;
    const page = 10_000;
    outer: for (let from = 0; ; from += page) {
      const rows = await x.rows<ChainRow>(
        sql`select ${CHAIN_COLUMNS} from audit_log where county_code = ${county} and seq > ${from} and seq <= ${from + page} order by audit_log.seq`,
      );
      for (const r of rows) {
        const seq = Number(r.seq);
        if (seq !== expected) {
          bad = { countyCode: county, checked, ok: false, firstBadSeq: expected, problem: `missing entry #${expected}` };
          break outer;
        }
        // A chain goes from version 1 to 2 once and never back: an entry "downgraded" to
        // version 1 would otherwise leave its actor, address and request unchecked.
        const v = Number(r.hash_version);
        if (r.prev_hash !== prev || v < version || rowHash(prev, r) !== r.hash) {
          bad = { countyCode: county, checked, ok: false, firstBadSeq: seq, problem: `entry #${seq} was altered` };
          break outer;
        }
        version = v;
        prev = r.hash!;
        expected++;
        checked++;
      }
      if (rows.length < page) break;
    }
    const pending = (await x.one<{ n: number }>(sql`select count(*)::int as n from audit_log where county_code = ${county} and seq is null`))?.n ?? 0;
    results.push({ ...(bad ?? { countyCode: county, checked, ok: true }), pending });
  }
  return results;
}
