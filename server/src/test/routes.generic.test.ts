import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../kernel/db.js';
import { defineRoute, IdParams } from '../kernel/http.js';
import { buildCounty, testApp, type TestApp, type TestCounty } from './harness.js';
import { checkRoutes } from './route-guards.js';

describe('every route in the OpenAPI document', () => {
  let t: TestApp;
  let county: TestCounty;
  beforeAll(async () => {
    t = await testApp();
    county = await buildCounty(t.db);
  });
  afterAll(() => t.close());

  it('asks for a session, keeps neighbours out, and never answers 5xx to bad input', async () => {
    const { problems, checked } = await checkRoutes(t.app, t.db, { county });
    expect(checked).toBeGreaterThan(15);
    expect(problems).toEqual([]);
    // Every route, many requests each: minutes on a busy machine.
  }, 900_000);
});

describe('the guard check itself', () => {
  let t: TestApp;
  let county: TestCounty;
  beforeAll(async () => {
    // Two deliberately broken routes: one reads past row-level security, one crashes.
    t = await testApp({
      beforeReady: (app) => {
        defineRoute(app, {
          method: 'GET',
          url: '/api/v1/leaky/:id',
          summary: 'leaks',
          tags: ['test'],
          roles: ['township_staff'],
          resource: 'elder',
          params: IdParams,
          // Steps out of the app role, as a careless handler might.
          handler: async ({ tx, params }) => {
            await tx.exec(sql`reset role`);
            return (await tx.one(sql`select id::text as id, name from elders where id = ${params.id}`)) ?? {};
          },
        });
        defineRoute(app, {
          method: 'POST',
          url: '/api/v1/crashy',
          summary: 'crashes',
          tags: ['test'],
          roles: ['county_admin'],
          handler: async () => {
            throw new Error('boom');
          },
        });
      },
    });
    county = await buildCounty(t.db);
  });
  afterAll(() => t.close());

  it('fails when a route leaks across townships or answers 5xx', async () => {
    const { problems } = await checkRoutes(t.app, t.db, { county, fuzzRuns: 3 });
    expect(problems.some((p) => p.route === 'GET /api/v1/leaky/{id}' && /neighbour .* got 200|saw/.test(p.problem))).toBe(true);
    expect(problems.some((p) => p.route === 'POST /api/v1/crashy' && /answered 500/.test(p.problem))).toBe(true);
  }, 900_000);
});
