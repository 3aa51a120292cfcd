/**
 * Anchors of the audit chain. The hash chain (audit.ts) shows an edited, reordered or removed
 * entry in the middle, but whoever can write the table can also cut off its newest entries,
 * and the shorter chain is still a valid chain. So the server writes checkpoints of each
 * county's head — (county, seq, hash, time) signed with HMAC-SHA256 — to an append-only file
 * outside the database (`DATA_DIR/audit-checkpoints.jsonl`), with a key the database role
 * cannot read: `AUDIT_KEY` from the environment, else `DATA_DIR/audit-key` (created at first
 * start, mode 0600; it stays in the data folder with PostgreSQL too). `verifyAnchored` checks
 * the chain, every checkpoint's signature, and that every checkpointed (seq, hash) is still in
 * the table: entries deleted from the tail show as the missing range up to the last checkpoint.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { arr, sql, type Database, type Executor } from './db.js';
import { verifyAudit, type VerifyResult } from './audit.js';

export const CHECKPOINT_FILE = 'audit-checkpoints.jsonl';
export const KEY_FILE = 'audit-key';

export interface AuditAnchor {
  key: Buffer;
  /** Where the key came from, for the start-up log (never the key itself). */
  keySource: 'AUDIT_KEY' | string;
  file: string;
}

export interface Checkpoint {
  county: string;
  seq: number;
  hash: string;
  at: string;
  mac: string;
}

/**
 * The anchor of a data folder. `create` (the server at start) makes the key file when there is
 * neither `AUDIT_KEY` nor a key file; without it (verification) a missing key gives null.
 */
export function openAuditAnchor(o: { AUDIT_KEY?: string; DATA_DIR: string }, create: boolean): AuditAnchor | null {
  const file = path.join(o.DATA_DIR, CHECKPOINT_FILE);
  if (o.AUDIT_KEY) return { key: Buffer.from(o.AUDIT_KEY, 'utf8'), keySource: 'AUDIT_KEY', file };
  const keyFile = path.join(o.DATA_DIR, KEY_FILE);
  if (!fs.existsSync(keyFile)) {
    if (!create) return null;
    fs.mkdirSync(o.DATA_DIR, { recursive: true });
    try {
      // 'wx': two processes starting at once on one folder keep the first key.
      fs.writeFileSync(keyFile, crypto.randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as { code?: string }).code !== 'EEXIST') throw e;
    }
  }
  const key = fs.readFileSync(keyFile, 'utf8').trim();
  if (key.length < 32) throw new Error(`审计密钥文件 ${keyFile} 无效 / the audit key file ${keyFile} is too short`);
  return { key: Buffer.from(key, 'utf8'), keySource: keyFile, file };
}

function mac(key: Buffer, c: Omit<Checkpoint, 'mac'>): string {
  return crypto.createHmac('sha256', key).update(`yinling-audit-checkpoint\n${c.county}\n${c.seq}\n${c.hash}\n${c.at}`).digest('hex');
}

export function signCheckpoint(key: Buffer, c: Omit<Checkpoint, 'mac'>): Checkpoint {
  return { ...c, mac: mac(key, c) };
}

export function checkpointValid(key: Buffer, c: Checkpoint): boolean {
  const want = Buffer.from(mac(key, c), 'hex');
  const got = Buffer.from(typeof c.mac === 'string' ? c.mac : '', 'hex');
  return got.length === want.length && crypto.timingSafeEqual(got, want);
}

/** The lines of the checkpoint file, parsed; a line that is not a checkpoint is `null`. */
export function readCheckpoints(file: string): (Checkpoint | null)[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      try {
        const c = JSON.parse(l) as Checkpoint;
        const ok = typeof c.county === 'string' && Number.isSafeInteger(c.seq) && typeof c.hash === 'string' && typeof c.at === 'string';
        return ok ? c : null;
      } catch {
        return null;
      }
    });
}

/** Each county's newest sealed entry, found through the (county_code, seq) index. */
async function heads(x: Executor): Promise<{ county: string; seq: number; hash: string }[]> {
  return x.rows(sql`with recursive c as (
      select min(county_code) as k from audit_log where seq is not null
      union all
      select (select min(county_code) from audit_log where county_code > c.k and seq is not null) from c where c.k is not null)
    select c.k as county, h.seq::int as seq, h.hash from c
      cross join lateral (select seq, hash from audit_log where county_code = c.k and seq is not null order by seq desc limit 1) h
     where c.k is not null`);
}

/**
 * Writes a checkpoint for each county whose head moved since its last one (the background job
 * calls it after sealing). Returns what it wrote. A head behind its last checkpoint means the
 * tail was cut: that is for verification to report; the new head is checkpointed all the same.
 */
export class AuditCheckpointer {
  private last: Map<string, { seq: number; hash: string }> | null = null;
  constructor(
    private readonly anchor: AuditAnchor,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async run(db: Database): Promise<Checkpoint[]> {
    if (!this.last) {
      this.last = new Map();
      for (const c of readCheckpoints(this.anchor.file)) if (c) this.last.set(c.county, { seq: c.seq, hash: c.hash });
    }
    const written: Checkpoint[] = [];
    for (const h of await heads(db.root)) {
      const l = this.last.get(h.county);
      if (l && l.seq === h.seq && l.hash === h.hash) continue;
      written.push(signCheckpoint(this.anchor.key, { county: h.county, seq: h.seq, hash: h.hash, at: this.now().toISOString() }));
    }
    if (written.length) {
      fs.mkdirSync(path.dirname(this.anchor.file), { recursive: true });
      // One write of whole lines on a file opened for appending.
      fs.appendFileSync(this.anchor.file, written.map((c) => JSON.stringify(c) + '\n').join(''), { mode: 0o600 });
      for (const c of written) this.last.set(c.county, { seq: c.seq, hash: c.hash });
    }
    return written;
  }
}

export interface AnchoredResult extends VerifyResult {
  /** Checkpoints of this county found valid and still matching the table. */
  checkpoints: number;
  /** Entries a checkpoint vouches for that are no longer in the table (deleted from the tail). */
  missing?: { from: number; to: number };
}

/**
 * The chain of every county (or one) and its checkpoints. A county fails when its chain is
 * broken, when a checkpoint's signature is wrong, when a checkpointed entry has another hash
 * now, or when checkpointed entries are gone. Lines that are not checkpoints, or checkpoints
 * signed with another key, fail the whole file (reported on every county asked for).
 */
export async function verifyAnchored(x: Executor, anchor: AuditAnchor | null, file: string, countyCode?: string): Promise<AnchoredResult[]> {
  const chains = new Map((await verifyAudit(x, countyCode)).map((r) => [r.countyCode, r]));
  const forged: number[] = [];
  const byCounty = new Map<string, Checkpoint[]>();
  readCheckpoints(file).forEach((c, i) => {
    if (!c || !anchor || !checkpointValid(anchor.key, c)) return void forged.push(i + 1);
    if (countyCode && c.county !== countyCode) return;
    byCounty.set(c.county, [...(byCounty.get(c.county) ?? []), c]);
  });
  const results: AnchoredResult[] = [];
  for (const county of [...new Set([...chains.keys(), ...byCounty.keys()])].sort()) {
    const chain = chains.get(county) ?? { countyCode: county, checked: 0, ok: true, pending: 0 };
    const problems: string[] = chain.problem ? [chain.problem] : [];
    const bad: number[] = chain.firstBadSeq ? [chain.firstBadSeq] : [];
    const r: AnchoredResult = { ...chain, checkpoints: 0 };
    const cps = byCounty.get(county) ?? [];
    const found = new Map<number, string>();
    for (let i = 0; i < cps.length; i += 10_000) {
      const seqs = cps.slice(i, i + 10_000).map((c) => c.seq);
      const rows = await x.rows<{ seq: number; hash: string }>(
        sql`select seq::int as seq, hash from audit_log where county_code = ${county} and seq = any(${arr(seqs)}::bigint[])`,
      );
      for (const row of rows) found.set(row.seq, row.hash);
    }
    const head = (await x.one<{ seq: number | null }>(sql`select max(seq)::int as seq from audit_log where county_code = ${county}`))?.seq ?? 0;
    let top: Checkpoint | undefined;
    for (const c of cps) {
      const h = found.get(c.seq);
      if (h === c.hash) r.checkpoints++;
      else if (h !== undefined && !bad.includes(c.seq)) {
        problems.push(`entry #${c.seq} differs from its checkpoint of ${c.at}`);
        bad.push(c.seq);
      }
      if (!top || c.seq > top.seq) top = c;
    }
    if (top && top.seq > head) {
      r.missing = { from: head + 1, to: top.seq };
      const which = head + 1 === top.seq ? `entry #${top.seq} is missing` : `entries #${head + 1}–#${top.seq} are missing`;
      problems.push(`${which} (deleted from the tail; checkpoint of ${top.at})`);
      bad.push(head + 1);
    }
    if (forged.length)
      problems.push(
        anchor
          ? `checkpoint file line ${forged.slice(0, 5).join(', ')}${forged.length > 5 ? ' …' : ''} is not a checkpoint signed with this key`
          : 'checkpoints present but no audit key (AUDIT_KEY or the data folder key file) to check them',
      );
    if (problems.length) Object.assign(r, { ok: false, problem: problems.join('; '), firstBadSeq: bad.length ? Math.min(...bad) : undefined });
    results.push(r);
  }
  return results;
}
