import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentFor, buildCounty, testApp, type TestApp, type TestCounty } from '../../test/harness.js';

let t: TestApp;
let c: TestCounty;
beforeAll(async () => {
  t = await testApp();
  c = await buildCounty(t.db);
});
afterAll(async () => {
  await t.close();
});

const modules = async (o: Parameters<typeof agentFor>[2]) => {
  const a = await agentFor(t.app, t.db, o);
  const r = await a.get('/api/v1/meta/modules');
  expect(r.statusCode).toBe(200);
  return r.json().modules as { key: string; status: string }[];
};

describe('navigation catalogue', () => {
  it("gives modules still being built (建设中) to the county admin only: other roles see what they can use (a caregiver's menu: e2e/tables)", async () => {
    const admin = await modules({ role: 'county_admin', regionCode: c.county });
    expect(admin.some((m) => m.status === 'planned')).toBe(true);
    for (const role of ['village_worker', 'township_staff', 'assessor', 'inspector'] as const) {
      const mods = await modules({ role, regionCode: role === 'village_worker' ? c.villageA : c.townshipA });
      expect(mods.filter((m) => m.status !== 'ready')).toEqual([]);
    }
  });
});
