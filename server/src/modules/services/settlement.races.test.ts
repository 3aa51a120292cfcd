/**
 * Races on a provider's monthly statement (issue 20 item 3): N identical requests at once through
 * the app — one builds, rebuilds or approves, the rest get 409 with both languages; one statement
 * survives and one audit entry is written. Real overlap on PostgreSQL, one after another on PGlite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from '../../kernel/db.js';
import { agentFor, buildCounty, testApp, type TestApp } from '../../test/harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => t?.close());

const fire = (n: number, f: () => Promise<LightMyRequestResponse>) => Promise.all(Array.from({ length: n }, f));

function oneWinner(rs: LightMyRequestResponse[]) {
  const codes = rs.map((r) => r.statusCode);
  expect(codes.filter((c) => c === 200).length, rs.map((r) => r.body).join('\n')).toBe(1);
  expect(
    codes.filter((c) => c !== 200).every((c) => c === 409),
    codes.join(','),
  ).toBe(true);
  for (const r of rs.filter((x) => x.statusCode !== 200)) {
    expect(r.json().error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(r.json().error.messageEn).toMatch(/[a-z]/);
  }
  return rs.find((r) => r.statusCode === 200)!;
}

const audits = async (id: string, action: string) =>
  (await t.db.root.one<{ n: number }>(sql`select count(*)::int as n from audit_log where entity = 'settlement' and entity_id = ${id} and action = ${action}`))!
    .n;

describe('a provider month has one statement', () => {
  it('30 parallel builds: one 200, the rest 409 naming it; 20 parallel rebuilds of that draft: one; 20 parallel approvals: one', async () => {
    const c = await buildCounty(t.db);
    const admin = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
    const month = '2026-09';
    const statements = () =>
      t.db.root.rows<{ id: string; status: string }>(
        sql`select id::text as id, status from settlements where provider_id = ${c.providerA} and month = ${month}`,
      );

    const built = oneWinner(await fire(30, () => admin.post('/api/v1/services/settlements', { providerId: c.providerA, month })));
    const id = built.json().id as string;
    expect(await statements()).toEqual([{ id, status: 'draft' }]);
    expect(await audits(id, 'settle')).toBe(1);
    const again = await admin.post('/api/v1/services/settlements', { providerId: c.providerA, month });
    expect(again.json().error).toMatchObject({ code: 'STATEMENT_EXISTS', details: { id } });

    // Rebuilding names the draft it replaces: the first replaces it, the others find a newer one.
    const rebuilt = oneWinner(await fire(20, () => admin.post('/api/v1/services/settlements', { providerId: c.providerA, month, replaces: id })));
    const id2 = rebuilt.json().id as string;
    expect(id2).not.toBe(id);
    expect(await statements()).toEqual([{ id: id2, status: 'draft' }]);
    expect(await audits(id2, 'settle')).toBe(1);

    oneWinner(await fire(20, () => admin.post(`/api/v1/services/settlements/${id2}/approve`, {})));
    expect(await statements()).toEqual([{ id: id2, status: 'approved' }]);
    expect(await audits(id2, 'approve')).toBe(1);
    const locked = await admin.post('/api/v1/services/settlements', { providerId: c.providerA, month, replaces: id2 });
    expect(locked.json().error.code).toBe('APPROVED');
  });
});
