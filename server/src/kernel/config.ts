import path from 'node:path';
import { z } from 'zod';

/** Process configuration, read once from the environment. Everything has a working default
 * so that `npm start` on a fresh machine needs nothing set. */
const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('127.0.0.1'),
  /** Folder of the embedded PostgreSQL (PGlite). Ignored when DATABASE_URL is set. */
  DATA_DIR: z.string().default(path.resolve('data')),
  /** postgres://… of a real PostgreSQL server (15 or newer). Unset: embedded PGlite. */
  DATABASE_URL: z.string().optional(),
  /** Size of the demo county loaded on first start; 0 loads no demo. */
  DEMO_ELDERS: z.coerce.number().int().min(0).default(100_000),
  DEMO_SEED: z.coerce.number().int().default(20260101),
  /** Time zone of the county: month boundaries and dates are computed in it. */
  COUNTY_TZ: z.string().default('Asia/Shanghai'),
  SESSION_HOURS: z.coerce.number().positive().default(12),
  /** Sign-in attempts per minute from one address (on top of the per-account lockout). */
  LOGIN_RATE_PER_MIN: z.coerce.number().int().positive().default(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Set behind TLS so the session cookie carries `Secure`. */
  COOKIE_SECURE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  WEB_DIST: z.string().default(path.resolve('web/dist')),
  /** Key that signs the audit chain's checkpoints (32+ characters). Unset: a key file made in
   * DATA_DIR at first start (mode 0600; with DATABASE_URL too). Keep it away from the database. */
  AUDIT_KEY: z.string().min(32, 'AUDIT_KEY needs at least 32 characters').optional(),
  /** Seconds between checkpoints of the audit chain's head (one only when the head moved). */
  AUDIT_CHECKPOINT_SECONDS: z.coerce.number().int().min(1).default(60),
});

export type Config = z.infer<typeof Env>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`配置错误 / invalid configuration:\n${lines}`);
  }
  return { ...parsed.data, ...overrides };
}
