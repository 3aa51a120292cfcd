/**
 * The database: embedded PostgreSQL (PGlite) in a data folder by default, a real PostgreSQL
 * server when DATABASE_URL is set. Both run the same SQL through drizzle's drivers.
 *
 * Region scope is enforced by PostgreSQL row-level security (see migrations/0001 and
 * docs/architecture.md): `scoped()` opens a transaction as the non-owner role `yinling_app`
 * with the principal's region range in transaction-local settings, so every read, count and
 * write in that transaction is limited to the region whatever the query says. `system()`
 * runs as the owner and is for jobs, migrations and sign-in only.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { Param, Placeholder, sql, SQL, StringChunk } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import lockfile from 'proper-lockfile';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { migrate } from './migrate.js';
import type { RegionScope } from './scope.js';

export { sql, SQL };

export interface Executor {
  /** All rows of a query. */
  rows<T = Record<string, unknown>>(q: SQL): Promise<T[]>;
  /** The first row, or undefined. */
  one<T = Record<string, unknown>>(q: SQL): Promise<T | undefined>;
  /** Runs a statement and returns the number of rows it touched. */
  exec(q: SQL): Promise<number>;
  /**
   * Runs a write just before the transaction commits, in the same round trip as COMMIT on a
   * PostgreSQL server (audit rows). Its parameters may only be strings, numbers, booleans or
   * null: they are inlined as literals. Not available outside a transaction (`root`).
   */
  later(q: SQL): void;
  /**
   * The transaction's last statement: its rows, and the transaction is committed (with the
   * deferred writes queued so far) in the same round trip on a PostgreSQL server. A statement
   * after it runs in a new transaction, and so do deferred writes queued after it. Write the
   * statement so that what must commit with the change (its audit entry, its event) is part of
   * it. On PGlite, and outside a transaction, it is an ordinary statement.
   */
  last<T = Record<string, unknown>>(q: SQL): Promise<T[]>;
  /**
   * Runs `q` just before the next statement, in the same round trip on a PostgreSQL server: a
   * lock the next statement must find taken (its snapshot is taken after it). Its answer is
   * passed over; its parameters are inlined as literals, as with `later`.
   */
  ahead(q: SQL): void;
}

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  /** Owner connection: bypasses row-level security. Jobs, sign-in and migrations only. */
  system<T>(fn: (tx: Executor) => Promise<T>): Promise<T>;
  /** A transaction limited by row-level security to the scope of one principal. */
  scoped<T>(scope: RegionScope, fn: (tx: Executor) => Promise<T>): Promise<T>;
  /** Owner queries outside a transaction (cheap reads such as session lookup). */
  readonly root: Executor;
  /** Multi-statement SQL text as the owner (migrations, bulk scripts). */
  execScript(text: string): Promise<void>;
  /** COPY of CSV text into `target` ("table (col, …)") as the owner: bulk loads and baselines. */
  copyCsv(target: string, csv: string): Promise<void>;
  close(): Promise<void>;
}

interface Drizzleish {
  execute(q: SQL, last?: boolean, ahead?: SQL[]): Promise<{ rows: unknown[]; rowCount?: number | null; affectedRows?: number }>;
  /** The driver sends `ahead` statements in the same round trip (else they run one by one first). */
  pipelines?: boolean;
  transaction<T>(fn: (tx: Drizzleish) => Promise<T>): Promise<T>;
}

function executor(d: Pick<Drizzleish, 'execute' | 'pipelines'>, later?: SQL[]): Executor {
  const queued: SQL[] = [];
  const run = async (q: SQL, last?: boolean) => {
    const ahead = queued.splice(0);
    if (!d.pipelines) for (const a of ahead) await d.execute(a);
    return d.execute(q, last, d.pipelines ? ahead : undefined);
  };
  return {
    later(q: SQL) {
      if (!later) throw new Error('later() needs a transaction');
      later.push(q);
    },
    ahead(q: SQL) {
      queued.push(q);
    },
    async rows<T>(q: SQL) {
      return (await run(q)).rows as T[];
    },
    async one<T>(q: SQL) {
      return (await run(q)).rows[0] as T | undefined;
    },
    async exec(q: SQL) {
      const r = await run(q);
      return r.rowCount ?? r.affectedRows ?? 0;
    },
    async last<T>(q: SQL) {
      const r = await run(q, true);
      // The server's driver sent the deferred writes with COMMIT; elsewhere they are written now.
      if (later) for (const w of later.splice(0)) await d.execute(w);
      return r.rows as T[];
    },
  };
}

export const APP_ROLE = 'yinling_app';
export const FAMILY_ROLE = 'yinling_family';

/**
 * The planner's cost of a random page read in request transactions. PostgreSQL's default (4)
 * assumes spinning disks; with data in memory or on SSD, 1.1 lets it drive a filter from the
 * small side through an index (e.g. 特困 elders by category: 6 ms instead of a 60 ms scan of
 * every elder). Override with PG_RANDOM_PAGE_COST.
 */
const RANDOM_PAGE_COST = process.env.PG_RANDOM_PAGE_COST ?? '1.1';

function scopeStatement(scope: RegionScope): SQL {
  return sql`select set_config('role', ${scope.family ? FAMILY_ROLE : APP_ROLE}, true),
    set_config('yinling.lo', ${scope.lo}, true),
    set_config('yinling.hi', ${scope.hi}, true),
    set_config('yinling.user', ${scope.userId ?? ''}, true),
    set_config('yinling.provider', ${scope.providerId ?? ''}, true),
    set_config('yinling.caregiver', ${scope.caregiverId ?? ''}, true),
    set_config('random_page_cost', ${RANDOM_PAGE_COST}, true)`;
}

/** A statement a pipeline carries ahead of its query: text sent unnamed, or a statement the
 * connection keeps prepared (`name`), bound to `values`; `inline` is the same with the values
 * as literals, for a simple-protocol message. */
type Prelude = string | { name: string; text: string; values: string[]; inline: string };

const SCOPE_STATEMENT = 'yl_scope';
const scopePreludes = new Map<string, Prelude>();
/** The scope statement of a request transaction, kept per scope (a few hundred users at most):
 * prepared once per connection and bound to the scope's values, so that the server neither
 * parses nor plans it per transaction. */
function scopePrelude(scope: RegionScope): Prelude {
  const key = `${scope.family ? 1 : 0}|${scope.lo}|${scope.hi}|${scope.userId ?? ''}|${scope.providerId ?? ''}|${scope.caregiverId ?? ''}`;
  let t = scopePreludes.get(key);
  if (t === undefined) {
    if (scopePreludes.size >= 10_000) scopePreludes.clear();
    const q = toQuery(scopeStatement(scope));
    t = { name: SCOPE_STATEMENT, text: q.sql, values: q.params.map(String), inline: inlined(scopeStatement(scope)) };
    scopePreludes.set(key, t);
  }
  return t;
}

/** Runs `fn` in a drizzle transaction, then the statements it deferred with `later()`. */
async function inTransaction<T>(tx: Drizzleish, fn: (x: Executor) => Promise<T>): Promise<T> {
  const later: SQL[] = [];
  const out = await fn(executor(tx, later));
  for (const q of later) await tx.execute(q);
  return out;
}

const dialect = new PgDialect();

/** A literal of a value that `later()` may inline (standard_conforming_strings is on). */
function literal(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  if (typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) return String(v);
  throw new Error(`later(): parameter of type ${typeof v} cannot be inlined`);
}

/**
 * A statement as text and parameters, as drizzle's PgDialect would build it, for the shapes
 * this code base writes: text, nested `sql` fragments, scalar values and `sql.param`. It walks
 * the template once with string appends (drizzle's generic builder checks each part against
 * a dozen kinds and allocates a query object per part: a tenth of a request's CPU on a busy
 * route). Anything else (tables, columns, arrays spread into lists, placeholders, Dates,
 * inlined fragments) returns undefined, and the caller asks drizzle. With `inline`, values
 * become literals (see `literal`). YL_SQL_CHECK=1 compares every result with drizzle's.
 */
export function compileSql(q: SQL, inline = false): { sql: string; params: unknown[] } | undefined {
  const params: unknown[] = [];
  let text = '';
  const walk = (chunks: unknown[]): boolean => {
    for (const c of chunks) {
      let v: unknown;
      if (c instanceof StringChunk) {
        text += c.value.length === 1 ? c.value[0] : c.value.join('');
        continue;
      } else if (c instanceof SQL) {
        if ((c as unknown as { shouldInlineParams: boolean }).shouldInlineParams || !walk(c.queryChunks)) return false;
        continue;
      } else if (c instanceof Param) {
        if (c.value instanceof Placeholder) return false;
        v = c.value === null ? null : c.encoder.mapToDriverValue(c.value);
        if (v instanceof SQL) return false;
      } else if (c === undefined) {
        continue;
      } else if (c === null || typeof c === 'string' || typeof c === 'number' || typeof c === 'boolean' || typeof c === 'bigint') {
        v = c;
      } else {
        return false;
      }
      if (inline) text += literal(v);
      else text += '$' + params.push(v);
    }
    return true;
  };
  if (!walk([q])) return undefined;
  return { sql: text, params };
}

const CHECK_SQL = process.env.YL_SQL_CHECK === '1';

/** Text and parameters of a statement (see `compileSql`). */
export function toQuery(q: SQL): { sql: string; params: unknown[] } {
  const fast = compileSql(q);
  if (!fast) return dialect.sqlToQuery(q);
  if (CHECK_SQL) {
    const slow = dialect.sqlToQuery(q);
    if (slow.sql !== fast.sql || JSON.stringify(slow.params) !== JSON.stringify(fast.params))
      throw new Error(`compileSql differs from drizzle:\n${fast.sql}\n---\n${slow.sql}`);
  }
  return fast;
}

/** A statement as text with its parameters inlined as literals (standard_conforming_strings is on). */
export function inlined(q: SQL): string {
  const fast = compileSql(q, true);
  if (fast) {
    if (CHECK_SQL && fast.sql !== slowInlined(q)) throw new Error(`compileSql (inline) differs from drizzle:\n${fast.sql}`);
    return fast.sql;
  }
  return slowInlined(q);
}

function slowInlined(q: SQL): string {
  for (const v of dialect.sqlToQuery(q).params) literal(v);
  return dialect.sqlToQuery(sql`${q}`.inlineParams()).sql;
}

/** Dates, times and intervals (and their arrays) stay text, as with drizzle's own driver. */
const RAW_TYPES = new Set([1184, 1114, 1082, 1186, 1231, 1115, 1185, 1187, 1182]);
const PG_TYPES = { getTypeParser: (oid: number, format?: 'text' | 'binary') => (RAW_TYPES.has(oid) ? (v: string) => v : pg.types.getTypeParser(oid, format)) };
/** Statements a connection keeps prepared (parsed and planned once; each holds server memory); the rest are sent unnamed. */
const MAX_PREPARED = Number(process.env.PG_PREPARED_PER_CONNECTION ?? 100);

/**
 * A query that carries statements to run before it (BEGIN and the scope settings) and after it
 * (deferred writes and COMMIT) in the same message to the server: each of those is parsed,
 * bound and executed unnamed, the query itself as usual, with one Sync for all, so the server
 * answers the whole pipeline once. The other statements' own answers (completions, the scope's
 * row) are passed over; an error in any part fails the query (the server skips the rest up to
 * the Sync, so a COMMIT after a failed statement never runs), as it would a query alone.
 */
class PipelinedQuery extends (pg.Query as unknown as new (config: pg.QueryConfig) => PgQueryInternals) {
  /** Prelude statements whose completion has not arrived yet. */
  private pending = 0;
  /** The query's own completion has arrived: what completes now is the postlude. */
  private done = false;
  private ownName: string | undefined;
  constructor(
    config: pg.QueryConfig,
    private prelude: Prelude[],
    private postlude: string[] = [],
  ) {
    super(config);
    // After super(): a field initializer would otherwise reset what the base constructor set.
    this.ownName = config.name;
  }
  // The client records a statement as parsed when a ParseComplete arrives for the active query:
  // while the prelude's ParseCompletes arrive, the query shows no name.
  get name(): string | undefined {
    return this.pending > 0 ? undefined : this.ownName;
  }
  set name(v: string | undefined) {
    this.ownName = v;
  }
  requiresPreparation() {
    return true;
  }
  private send(connection: PgConnectionInternals, statements: Prelude[]) {
    for (const s of statements) {
      if (typeof s === 'string') {
        connection.parse({ text: s, name: '', types: [] });
        connection.bind({ portal: '', statement: '', values: [] });
      } else {
        // Parsed once per connection. The ParseComplete arrives while the prelude is pending (the
        // client does not see it), so the connection is told here: only BEGIN goes before it in
        // the pipeline, and a statement parsed stays parsed whatever fails after it.
        if (connection.parsedStatements[s.name] === undefined) {
          connection.parse({ text: s.text, name: s.name, types: [] });
          connection.parsedStatements[s.name] = s.text;
        }
        connection.bind({ portal: '', statement: s.name, values: s.values });
      }
      connection.execute({ portal: '' });
    }
  }
  prepare(connection: PgConnectionInternals) {
    this.send(connection, this.prelude);
    super.prepare(connection);
    this.pending = this.prelude.length;
  }
  // pg's Query executes the portal and sends Sync here: the postlude goes in between.
  _getRows(connection: PgConnectionInternals & { sync(): void }, rows?: number) {
    connection.execute({ portal: (this as unknown as { portal: string }).portal, rows } as never);
    this.send(connection, this.postlude);
    connection.sync();
  }
  handleDataRow(msg: unknown) {
    if (this.pending === 0 && !this.done) super.handleDataRow(msg);
  }
  handleCommandComplete(msg: unknown, connection: PgConnectionInternals) {
    if (this.pending > 0) this.pending -= 1;
    else if (!this.done) {
      this.done = true;
      super.handleCommandComplete(msg, connection);
    }
  }
  // A prelude that fails skips the query's Parse: forget it was sent, as the client does for a
  // query that fails (it could not see the name while the prelude was pending).
  handleError(err: unknown, connection: PgConnectionInternals) {
    if (this.pending > 0 && this.ownName) delete connection.submittedNamedStatements[this.ownName];
    super.handleError(err, connection);
  }
}
interface PgConnectionInternals {
  submittedNamedStatements: Record<string, string>;
  parsedStatements: Record<string, string>;
  parse(c: { text: string; name: string; types: unknown[] }): void;
  bind(c: { portal: string; statement: string; values: unknown[] }): void;
  execute(c: { portal: string }): void;
}
interface PgQueryInternals {
  prepare(connection: PgConnectionInternals): void;
  handleDataRow(msg: unknown): void;
  handleCommandComplete(msg: unknown, connection: PgConnectionInternals): void;
  handleError(err: unknown, connection: PgConnectionInternals): void;
}

/** Where a request transaction stands: BEGIN and the scope waiting for the first statement
 * (`prelude`), and the writes deferred to its commit. */
interface TxState {
  prelude: Prelude[] | null;
  readonly opening: Prelude[];
  later: SQL[];
}

const statementNames = new Map<string, string>();
/** A prepared statement's name: a hash of its text, kept per text (hashing a statement of a few
 * kB on every execution cost more than a map lookup). */
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    if (statementNames.size >= 5_000) statementNames.clear();
    statementNames.set(text, (name = 'yl_' + crypto.createHash('sha1').update(text).digest('base64url')));
  }
  return name;
}

/**
 * The driver of a request transaction: statements go straight to the pooled connection as
 * named prepared statements, so the server parses and plans a statement once per connection
 * (row-level security, the scope settings and the role are applied at execution). The first
 * statement carries BEGIN and the scope, a `last` statement the deferred writes and COMMIT:
 * one round trip each.
 */
function preparingDriver(c: pg.PoolClient, names: Set<string>, st: TxState): Pick<Drizzleish, 'execute' | 'pipelines'> {
  return {
    pipelines: true,
    async execute(q: SQL, last?: boolean, ahead?: SQL[]) {
      const { sql: text, params } = toQuery(q);
      const name = statementName(text);
      const named = names.has(name) || names.size < MAX_PREPARED;
      if (named) names.add(name);
      const config = { text, values: params, name: named ? name : undefined, types: PG_TYPES as never };
      const prelude = ahead?.length ? [...(st.prelude ?? []), ...ahead.map(inlined)] : st.prelude;
      st.prelude = null;
      const postlude = last ? [...st.later.splice(0).map(inlined), 'commit'] : [];
      const r =
        prelude || postlude.length
          ? await new Promise<pg.QueryResult>((resolve, reject) =>
              c.query(
                new PipelinedQuery(
                  { ...config, callback: (e: Error | null, res: pg.QueryResult) => (e ? reject(e) : resolve(res)) } as pg.QueryConfig,
                  prelude ?? [],
                  postlude,
                ) as never,
              ),
            )
          : await c.query(config);
      // Committed: whatever runs next opens a new transaction.
      if (last) st.prelude = st.opening;
      return { rows: r.rows, rowCount: r.rowCount };
    },
  };
}

/**
 * A region-scoped transaction on a PostgreSQL server in as few round trips as the work needs:
 * BEGIN and the scope settings go with the first statement, the deferred writes (audit) with
 * COMMIT, and COMMIT with a `last` statement. Each pooled connection keeps its own prepared
 * statements.
 */
function pgScoped(pool: pg.Pool) {
  const prepared = new WeakMap<pg.PoolClient, Set<string>>();
  return async <T>(scope: RegionScope, fn: (tx: Executor) => Promise<T>): Promise<T> => {
    const c = await pool.connect();
    let names = prepared.get(c);
    if (!names) prepared.set(c, (names = new Set()));
    const opening: Prelude[] = ['begin', scopePrelude(scope)];
    const st: TxState = { prelude: opening, opening, later: [] };
    const d = preparingDriver(c, names, st);
    let broken: Error | undefined;
    try {
      const out = await fn(executor(d, st.later));
      // No statement ran since BEGIN (or since a `last` committed): nothing is open, unless
      // deferred writes need a transaction now.
      const begin = st.prelude ?? [];
      if (begin.length && !st.later.length) return out;
      st.prelude = null;
      await c.query([...begin.map((b) => (typeof b === 'string' ? b : b.inline)), ...st.later.map(inlined), 'commit'].join(';\n'));
      return out;
    } catch (e) {
      // A connection that cannot even roll back is dropped from the pool, not reused.
      if (!st.prelude) await c.query('rollback').catch((r: Error) => (broken = r));
      throw e;
    } finally {
      c.release(broken);
    }
  };
}

function wrap(
  kind: Database['kind'],
  d: Drizzleish,
  execScript: (t: string) => Promise<void>,
  close: () => Promise<void>,
  copyCsv: Database['copyCsv'],
  scoped?: Database['scoped'],
): Database {
  return {
    kind,
    copyCsv,
    root: executor(d),
    system: (fn) => d.transaction((tx) => inTransaction(tx, fn)),
    scoped:
      scoped ??
      ((scope, fn) =>
        d.transaction(async (tx) => {
          await tx.execute(scopeStatement(scope));
          return inTransaction(tx, fn);
        })),
    execScript,
    close,
  };
}

export interface OpenOptions {
  databaseUrl?: string;
  /** PGlite data folder; undefined means in memory (tests). */
  dataDir?: string;
  timeZone?: string;
  /** Take the data-folder lock (the server does; one-off tools that run beside it must not). */
  lock?: boolean;
  log?: (msg: string) => void;
}

export class DataDirLockedError extends Error {}

/** Opens the database and brings its schema up to date. */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const tz = opts.timeZone ?? 'Asia/Shanghai';
  let db: Database;
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: Number(process.env.PG_POOL_SIZE ?? 10),
      // Literals inlined by `later()` rely on standard-conforming strings.
      options: `-c TimeZone=${tz} -c standard_conforming_strings=on`,
    });
    // An idle client that errors (server restart) must not crash the process.
    pool.on('error', (e) => opts.log?.(`postgres pool error: ${e.message}`));
    const d = drizzlePg({ client: pool }) as unknown as Drizzleish;
    db = wrap(
      'postgres',
      d,
      async (text) => {
        // One dedicated connection, so a failed script's open transaction is rolled back
        // before the connection goes back to the pool.
        const c = await pool.connect();
        try {
          await c.query(text);
        } catch (e) {
          await c.query('ROLLBACK').catch(() => {});
          throw e;
        } finally {
          c.release();
        }
      },
      () => pool.end(),
      async (target, csv) => {
        const c = await pool.connect();
        try {
          await pipeline(Readable.from([csv]), c.query(copyFrom(`COPY ${target} FROM STDIN WITH (FORMAT csv)`)));
        } finally {
          c.release();
        }
      },
      pgScoped(pool),
    );
  } else {
    let release: (() => Promise<void>) | undefined;
    if (opts.dataDir) {
      fs.mkdirSync(opts.dataDir, { recursive: true });
      if (opts.lock !== false) release = await lockDataDir(opts.dataDir);
    }
    const client = opts.dataDir ? new PGlite(path.resolve(opts.dataDir)) : new PGlite();
    await client.waitReady;
    await client.exec(`SET TIME ZONE '${tz.replace(/'/g, '')}'`);
    const d = drizzlePglite({ client }) as unknown as Drizzleish;
    db = wrap(
      'pglite',
      d,
      async (text) => {
        try {
          await client.exec(text);
        } catch (e) {
          await client.exec('ROLLBACK').catch(() => {});
          throw e;
        }
      },
      async () => {
        await client.close();
        await release?.();
      },
      async (target, csv) => {
        // PGlite reads COPY input from a Blob named /dev/blob.
        await client.query(`COPY ${target} FROM '/dev/blob' WITH (FORMAT csv)`, [], { blob: new Blob([csv]) });
      },
    );
  }
  await migrate(db, opts.log);
  return db;
}

/** PGlite has no lock of its own: two processes on one folder would corrupt it. The lock is
 * refreshed every 5 s; the holder's pid is kept beside it, so a lock left by a process that no
 * longer runs is taken over at once instead of after it goes stale. */
async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const lockfilePath = path.join(dir, 'yinling.lock');
  const pidFile = path.join(dir, 'yinling.pid');
  const take = () =>
    lockfile.lock(dir, {
      lockfilePath,
      stale: 15_000,
      update: 5_000,
      realpath: false,
      onCompromised: (err) => {
        console.error(`数据目录锁已失效，为保护数据立即退出 / data folder lock lost, exiting to protect the data: ${err.message}`);
        process.exit(75);
      },
    });
  let release: () => Promise<void>;
  try {
    release = await take();
  } catch (e) {
    if ((e as { code?: string }).code !== 'ELOCKED') throw e;
    const holder = Number(fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8') : NaN);
    if (!holder || isAlive(holder))
      throw new DataDirLockedError(
        `数据目录 ${dir} 已被另一个银龄进程使用${holder ? `（进程 ${holder}）` : ''}，请先停止它。\n` +
          `The data folder ${dir} is in use by another Yinling process${holder ? ` (pid ${holder})` : ''}; stop that one first (or set DATA_DIR to another folder).`,
      );
    fs.rmSync(lockfilePath, { recursive: true, force: true });
    release = await take();
  }
  fs.writeFileSync(pidFile, String(process.pid));
  return async () => {
    fs.rmSync(pidFile, { force: true });
    await release();
  };
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

/** Binds a JS array as ONE array parameter (drizzle's sql tag would otherwise spread it into
 * a list of parameters). Use with a cast: `unnest(${arr(ids)}::uuid[])`, `= any(${arr(codes)}::text[])`. */
export const arr = <T>(xs: readonly T[]) => sql.param(xs);

/**
 * `col` starts with `prefix`, written with the pattern operators (~>=~, ~<~) instead of LIKE:
 * they are leakproof, so under row-level security the planner may still use a
 * text_pattern_ops index (a LIKE is held back behind the policy and scans the table).
 */
export function startsWith(col: SQL, prefix: string): SQL {
  const cps = [...prefix];
  const last = cps.pop()!;
  const upper = cps.join('') + String.fromCodePoint(last.codePointAt(0)! + 1);
  return sql`(${col} ~>=~ ${prefix} and ${col} ~<~ ${upper})`;
}

/**
 * ANALYZE the tables that changed by more than a tenth since their last analysis — what
 * autovacuum does on a server, and PGlite lacks. Stale statistics make the planner misjudge the
 * region ranges of row-level security (see docs/architecture.md).
 */
export async function analyzeStale(db: Database): Promise<string[]> {
  const stale = await db.root.rows<{ t: string }>(sql`select relname as t from pg_stat_user_tables
    where n_live_tup + n_mod_since_analyze > 500 and (last_analyze is null and last_autoanalyze is null or n_mod_since_analyze > 0.1 * n_live_tup)`);
  if (stale.length) await db.execScript(stale.map((r) => `ANALYZE "${r.t.replace(/"/g, '')}";`).join('\n'));
  return stale.map((r) => r.t);
}

/**
 * VACUUM (ANALYZE) the tables whose dead rows passed autovacuum's default threshold (50 plus a
 * fifth of the live rows), where no autovacuum runs: PGlite, or a server with autovacuum off.
 * Orders change state five times in their life and each change leaves a dead row version; left
 * alone, lookups walk ever more of them (dispatch's open-order count grew from 0.45 to 0.85 ms
 * over 800 orders). One table at a time: VACUUM cannot run in a transaction.
 */
export async function vacuumStale(db: Database): Promise<string[]> {
  if (db.kind === 'postgres' && (await db.root.one<{ on: boolean }>(sql`select current_setting('autovacuum') = 'on' as on`))?.on) return [];
  const stale = await db.root.rows<{ t: string }>(sql`select relname as t from pg_stat_user_tables
    where n_dead_tup > 50 + 0.2 * n_live_tup order by n_dead_tup desc`);
  for (const { t } of stale) await db.execScript(`VACUUM (ANALYZE) "${t.replace(/"/g, '')}"`);
  return stale.map((r) => r.t);
}
