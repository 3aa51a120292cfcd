/**
 * Sessions: a random token in an httpOnly, SameSite=Strict cookie; the database keeps only its
 * SHA-256. Each session also has a CSRF token the web client sends in `x-csrf-token` on writes.
 * Lookups are cached for a few seconds per process, by the token itself (hashing it on every
 * request cost more than the lookup); logout and password changes drop the entry, and other
 * processes see the change within the cache time.
 */
import crypto from 'node:crypto';
import { sql, type Database } from './db.js';
import type { Principal } from './principal.js';
import type { Role } from './roles.js';

export const SESSION_COOKIE = 'yl_sid';
const CACHE_MS = 5_000;

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const token = () => crypto.randomBytes(32).toString('base64url');

interface Cached {
  p: Principal | null;
  until: number;
}

export class SessionStore {
  private cache = new Map<string, Cached>();
  constructor(
    private db: Database,
    private hours: number,
  ) {}

  async create(userId: string, ip: string, userAgent: string | undefined): Promise<{ token: string; csrf: string; expiresAt: Date }> {
    const t = token();
    const csrf = token();
    const expiresAt = new Date(Date.now() + this.hours * 3600_000);
    await this.db.root.exec(sql`insert into sessions (id, user_id, csrf_token, expires_at, ip, user_agent)
      values (${sha256(t)}, ${userId}, ${csrf}, ${expiresAt.toISOString()}, ${ip}, ${userAgent?.slice(0, 300) ?? null})`);
    // Opportunistic cleanup keeps the table small without a scheduler.
    if (Math.random() < 0.02) await this.db.root.exec(sql`delete from sessions where expires_at < now()`);
    return { token: t, csrf, expiresAt };
  }

  async lookup(t: string): Promise<Principal | null> {
    const hit = this.cache.get(t);
    const now = Date.now();
    if (hit && hit.until > now) return hit.p;
    const id = sha256(t);
    const row = await this.db.root.one<{
      user_id: string;
      username: string;
      display_name: string;
      role: Role;
      region_code: string;
      county_code: string;
      provider_id: string | null;
      caregiver_id: string | null;
      csrf_token: string;
      must_change_password: boolean;
    }>(sql`select s.user_id, u.username, u.display_name, u.role, u.region_code, u.county_code, u.provider_id::text as provider_id,
                  case when u.role = 'caregiver' then (select c.id::text from caregivers c where c.user_id = u.id and c.status = 'active') end as caregiver_id,
                  s.csrf_token, u.must_change_password
             from sessions s join users u on u.id = s.user_id
            where s.id = ${id} and s.expires_at > now() and u.status = 'active'`);
    const p: Principal | null = row
      ? {
          userId: row.user_id,
          username: row.username,
          displayName: row.display_name,
          role: row.role,
          regionCode: row.region_code,
          countyCode: row.county_code,
          providerId: row.provider_id,
          caregiverId: row.caregiver_id,
          sessionId: id,
          csrfToken: row.csrf_token,
          mustChangePassword: row.must_change_password,
        }
      : null;
    if (this.cache.size > 50_000) this.cache.clear();
    this.cache.set(t, { p, until: now + CACHE_MS });
    return p;
  }

  async destroy(sessionId: string): Promise<void> {
    for (const [k, v] of this.cache) if (v.p?.sessionId === sessionId) this.cache.delete(k);
    await this.db.root.exec(sql`delete from sessions where id = ${sessionId}`);
  }

  /** Ends every session of a user (password change, disable), keeping `except` if given. */
  async destroyUser(userId: string, except?: string): Promise<void> {
    for (const [k, v] of this.cache) if (v.p?.userId === userId && v.p.sessionId !== except) this.cache.delete(k);
    await this.db.root.exec(sql`delete from sessions where user_id = ${userId} and id <> ${except ?? ''}`);
  }

  /** Forget cached principals of a user whose role, region or status changed. */
  forgetUser(userId: string): void {
    for (const [k, v] of this.cache) if (v.p?.userId === userId) this.cache.delete(k);
  }
}
