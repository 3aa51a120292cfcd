/**
 * Plain-SQL migrations, numbered and append-only (server/src/migrations/NNNN_name.sql). The
 * same files run on PGlite and on PostgreSQL 15+. A migration already applied whose file has
 * changed stops the start: fix it with a new migration instead.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { Database } from './db.js';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../migrations');

export function migrationFiles(): { name: string; text: string; checksum: string }[] {
  return fs
    .readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .sort()
    .map((name) => {
      const text = fs.readFileSync(path.join(MIGRATIONS_DIR, name), 'utf8');
      return { name, text, checksum: crypto.createHash('sha256').update(text).digest('hex') };
    });
}

export async function migrate(db: Database, log?: (m: string) => void): Promise<void> {
  await db.execScript(`CREATE TABLE IF NOT EXISTS yl_migrations (
    name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const files = migrationFiles();
  // Several API processes may start at once against one server: one migrates, the others wait.
  await db.system(async (tx) => {
    await tx.exec(sql`select pg_advisory_xact_lock(7212026)`);
    const done = new Map((await tx.rows<{ name: string; checksum: string }>(sql`select name, checksum from yl_migrations`)).map((r) => [r.name, r.checksum]));
    for (const f of files) {
      const had = done.get(f.name);
      if (had && had !== f.checksum)
        throw new Error(`迁移文件 ${f.name} 已执行但内容被修改 / migration ${f.name} was applied but its file has changed; migrations are append-only`);
    }
  });
  for (const f of files) {
    const applied = await db.root.one(sql`select 1 as x from yl_migrations where name = ${f.name}`);
    if (applied) continue;
    // Each file runs in one transaction together with its bookkeeping row, which is written
    // first: a second process racing for the same file fails on the key and finds it done.
    try {
      await db.execScript(
        `BEGIN;\nSELECT pg_advisory_xact_lock(7212026);\nINSERT INTO yl_migrations(name, checksum) VALUES ('${f.name}', '${f.checksum}');\n${f.text}\n;\nCOMMIT;`,
      );
    } catch (e) {
      if (await db.root.one(sql`select 1 as x from yl_migrations where name = ${f.name}`)) continue;
      throw new Error(`迁移 ${f.name} 失败 / migration ${f.name} failed: ${(e as Error).message}`);
    }
    log?.(`migrated ${f.name}`);
  }
  await db.execScript(GRANTS);
}

/** Run after every migration: the app role may use every table, but never rewrite the audit log. */
const GRANTS = `
GRANT USAGE ON SCHEMA public TO yinling_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO yinling_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO yinling_app;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM yinling_app;
REVOKE UPDATE, TRUNCATE ON benefit_lines FROM yinling_app; -- a computed entitlement is never rewritten (deleting one of an approved run is refused by a trigger)
REVOKE ALL ON sessions, yl_migrations FROM yinling_app;
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'yinling_family') THEN
    GRANT USAGE ON SCHEMA public TO yinling_family;
    GRANT SELECT ON ALL TABLES IN SCHEMA public TO yinling_family;
    GRANT INSERT ON audit_log TO yinling_family;
    GRANT UPDATE ON users TO yinling_family; -- their own row only (policy): password changes
    REVOKE ALL ON sessions, yl_migrations FROM yinling_family;
  END IF;
END $$;
`;
