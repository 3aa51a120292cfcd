import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from '../../kernel/db.js';
import { countyToday } from '../../kernel/dates.js';
import { agentFor, buildCounty, buildElder, testApp, type TestApp, type TestCounty } from '../../test/harness.js';
import { sweepOverdueOrders } from './sweep.js';

vi.mock('../benefits/entitlement.js', () => ({
  serviceEntitlement: async (_tx: unknown, _elderId: string, date: string) => ({ month: date.slice(0, 7), budgetCents: 0, sources: [] }),
}));

describe('the overdue sweep (超时未接单 → action)', () => {
  let t: TestApp;
  let c: TestCounty;
  let staff: Awaited<ReturnType<typeof agentFor>>;
  let provA: Awaited<ReturnType<typeof agentFor>>;
  let elder: string;
  let item: string;
  let slot = 0;

  beforeAll(async () => {
    t = await testApp();
    c = await buildCounty(t.db);
    const admin = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
    staff = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipA });
    provA = await agentFor(t.app, t.db, { role: 'provider_admin', regionCode: c.townshipA, providerId: c.providerA });
    // A is nearer the elder than B; B serves township A too.
    await t.db.root.exec(sql`update providers set lat = 36.301, lng = 116.451 where id = ${c.providerA}`);
    await t.db.root.exec(
      sql`update providers set lat = 36.4, lng = 116.6, service_regions = ${`{${c.townshipA},${c.townshipB}}`}::text[] where id = ${c.providerB}`,
    );
    item = (
      await admin.post('/api/v1/services/items', {
        code: 'SW01',
        category: 'clean',
        name: '居室保洁',
        unit: '次',
        priceCents: 5000,
        durationMin: 60,
        skill: 'clean',
      })
    ).json().id;
    for (const p of [c.providerA, c.providerB])
      expect((await admin.post(`/api/v1/services/providers/${p}/caregivers`, { name: '保洁员', skills: ['clean'] })).statusCode).toBe(200);
    elder = (await buildElder(t.db, { regionCode: c.villageA, name: '超时老人' })).id;
    await t.db.root.exec(sql`update elders set lat = 36.3, lng = 116.45 where id = ${elder}`);
  });
  afterAll(() => t.close());

  /** A new order dispatched (manually to `providerId`, or automatically), already past its deadline. */
  async function overdue(mode: 'manual' | 'auto', providerId = c.providerA) {
    const time = `${String(7 + Math.floor(slot / 2)).padStart(2, '0')}:${slot++ % 2 ? '30' : '00'}`;
    const o = await staff.post('/api/v1/services/orders', { elderId: elder, itemId: item, quantity: 1, date: countyToday(), time });
    expect(o.statusCode, o.body).toBe(200);
    const d = await staff.post(`/api/v1/services/orders/${o.json().id}/dispatch`, mode === 'auto' ? { mode } : { mode, providerId });
    expect(d.statusCode, d.body).toBe(200);
    await t.db.root.exec(sql`update service_orders set accept_deadline = now() - interval '1 minute' where id = ${o.json().id}`);
    return o.json().id as string;
  }
  const row = (id: string) =>
    t.db.root.one<{ status: string; provider_id: string | null; refused_by: string[]; escalation: string | null; dispatch_mode: string }>(
      sql`select status, provider_id::text as provider_id, refused_by::text[] as refused_by, escalation, dispatch_mode from service_orders where id = ${id}`,
    );
  const kinds = async (id: string) =>
    (await t.db.root.rows<{ kind: string }>(sql`select kind from service_order_events where order_id = ${id} order by at`)).map((e) => e.kind);

  it('an auto-dispatched order is dispatched again to the next best provider; when none is left it goes back to staff', async () => {
    const id = await overdue('auto');
    expect((await row(id))!.provider_id).toBe(c.providerA);
    const notYet = await overdue('auto');
    await t.db.root.exec(sql`update service_orders set accept_deadline = now() + interval '10 minutes' where id = ${notYet}`);

    const r = await sweepOverdueOrders(t.db);
    expect(r).toMatchObject({ timedOut: 1, redispatched: 1, escalated: 0, failed: [] });
    expect(await row(id)).toMatchObject({ status: 'dispatched', provider_id: c.providerB, refused_by: [c.providerA], escalation: null });
    expect(await kinds(id)).toEqual(['created', 'dispatched', 'timeout', 'dispatched']);
    expect((await row(notYet))!.status).toBe('dispatched');
    // Provider A no longer sees it; the timeout is in the order's history with the reason.
    expect((await provA.get(`/api/v1/services/orders/${id}`)).statusCode).toBe(404);
    const detail = (await staff.get(`/api/v1/services/orders/${id}`)).json();
    expect(detail.events.find((e: { kind: string }) => e.kind === 'timeout')).toMatchObject({ reason: '超时未接单', actorName: '系统（超时处理）' });
    const audit = await t.db.root.rows<{ action: string; actor_role: string; reason: string | null }>(
      sql`select action, actor_role, reason from audit_log where entity = 'service_order' and entity_id = ${id} and actor_id is null order by at`,
    );
    expect(audit).toEqual([
      { action: 'timeout', actor_role: 'system', reason: '超时未接单' },
      { action: 'dispatch', actor_role: 'system', reason: null },
    ]);

    // B lets it run out too: nobody is left, so it is back with staff.
    await t.db.root.exec(sql`update service_orders set accept_deadline = now() - interval '1 minute' where id = ${id}`);
    expect(await sweepOverdueOrders(t.db)).toMatchObject({ timedOut: 1, redispatched: 0, escalated: 1 });
    expect(await row(id)).toMatchObject({ status: 'refused', escalation: 'no_provider' });
    expect((await row(id))!.refused_by.sort()).toEqual([c.providerA, c.providerB].sort());
    const esc = (await staff.get('/api/v1/services/orders?escalated=true')).json().items;
    expect(esc.map((o: { id: string; escalation: string }) => [o.id, o.escalation])).toEqual([[id, 'no_provider']]);
    // Nothing more happens to it on the next sweep.
    expect(await sweepOverdueOrders(t.db)).toMatchObject({ timedOut: 0 });
    for (const o of [id, notYet]) await staff.post(`/api/v1/services/orders/${o}/cancel`, { reason: '测试' });
  });

  it('a manually dispatched order goes back to staff (需重新派单) until it is dispatched again', async () => {
    const id = await overdue('manual');
    expect(await sweepOverdueOrders(t.db)).toMatchObject({ timedOut: 1, redispatched: 0, escalated: 1 });
    expect(await row(id)).toMatchObject({ status: 'refused', provider_id: c.providerA, refused_by: [c.providerA], escalation: 'timeout' });
    const listed = (await staff.get('/api/v1/services/orders?escalated=true')).json().items;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id, status: 'refused', escalation: 'timeout' });
    expect(listed[0].escalatedAt).toBeTruthy();
    // The provider that let it run out cannot get it back; another can.
    const again = await staff.post(`/api/v1/services/orders/${id}/dispatch`, { mode: 'manual', providerId: c.providerA });
    expect(again.json().error.code).toBe('PROVIDER_NOT_ELIGIBLE');
    expect((await staff.post(`/api/v1/services/orders/${id}/dispatch`, { mode: 'manual', providerId: c.providerB })).statusCode).toBe(200);
    expect((await row(id))!.escalation).toBeNull();
    expect((await staff.get('/api/v1/services/orders?escalated=true')).json().items).toEqual([]);
    // The escalated filter is scoped like every list: the neighbouring township sees none of it.
    const staffB = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipB });
    await t.db.root.exec(sql`update service_orders set status = 'refused', escalated_at = now(), escalation = 'timeout' where id = ${id}`);
    expect((await staffB.get('/api/v1/services/orders?escalated=true')).json().items).toEqual([]);
    expect((await staff.get('/api/v1/services/orders?escalated=true')).json().items).toHaveLength(1);
    await staff.post(`/api/v1/services/orders/${id}/cancel`, { reason: '测试' });
    expect((await staff.get('/api/v1/services/orders?escalated=true')).json().items).toEqual([]);
  });

  it('two sweeps at once handle each order exactly once', async () => {
    const ids = [await overdue('auto'), await overdue('manual'), await overdue('auto'), await overdue('manual'), await overdue('auto')];
    const [a, b] = await Promise.all([sweepOverdueOrders(t.db), sweepOverdueOrders(t.db)]);
    expect(a.failed).toEqual([]);
    expect(b.failed).toEqual([]);
    expect(a.timedOut + b.timedOut).toBe(5);
    expect(a.redispatched + b.redispatched).toBe(3);
    expect(a.escalated + b.escalated).toBe(2);
    for (const id of ids) {
      const k = await kinds(id);
      expect(k.filter((x) => x === 'timeout')).toHaveLength(1);
      const o = (await row(id))!;
      if (o.dispatch_mode === 'auto') expect(o).toMatchObject({ status: 'dispatched', provider_id: c.providerB, refused_by: [c.providerA] });
      else expect(o).toMatchObject({ status: 'refused', escalation: 'timeout', refused_by: [c.providerA] });
    }
    const audits = await t.db.root.one<{ n: number }>(
      sql`select count(*)::int as n from audit_log where action = 'timeout' and entity_id = any (${`{${ids.join(',')}}`}::text[])`,
    );
    expect(audits!.n).toBe(5);
  });
});
