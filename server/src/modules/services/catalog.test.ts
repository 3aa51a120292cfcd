import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from '../../kernel/db.js';
import { countyToday } from '../../kernel/dates.js';
import { agentFor, buildCounty, buildElder, testApp, type TestApp, type TestCounty } from '../../test/harness.js';

vi.mock('../benefits/entitlement.js', () => ({
  serviceEntitlement: async (_tx: unknown, _elderId: string, date: string) => ({
    month: date.slice(0, 7),
    budgetCents: 10_000,
    sources: [{ benefitCode: 'purchased_services_80', name: '80周岁以上政府购买服务', amountCents: 10_000, explanation: '测试' }],
  }),
}));

type A = Awaited<ReturnType<typeof agentFor>>;

describe('supplier catalogue, staff order actions and the family page', () => {
  let t: TestApp;
  let c: TestCounty;
  let admin: A;
  let staffA: A;
  let staffB: A;
  let provA: A;
  let provB: A;
  let family: A;
  let item: string;
  let elder: string;

  beforeAll(async () => {
    t = await testApp();
    c = await buildCounty(t.db);
    admin = await agentFor(t.app, t.db, { role: 'county_admin', regionCode: c.county });
    staffA = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipA });
    staffB = await agentFor(t.app, t.db, { role: 'township_staff', regionCode: c.townshipB });
    provA = await agentFor(t.app, t.db, { role: 'provider_admin', regionCode: c.townshipA, providerId: c.providerA });
    provB = await agentFor(t.app, t.db, { role: 'provider_admin', regionCode: c.townshipB, providerId: c.providerB });
    family = await agentFor(t.app, t.db, { role: 'family', regionCode: c.villageA });
    elder = (await buildElder(t.db, { regionCode: c.villageA, name: '甲家老人' })).id;
    await t.db.root.exec(sql`insert into elder_contacts (elder_id, county_code, region_code, name, relation, phone, user_id)
      values (${elder}, ${c.county.slice(0, 6)}, ${c.villageA}, '甲女儿', '女儿', '13700001111', ${family.user.id})`);
  });
  afterAll(() => t.close());

  it('provider: a credit status change needs a reason, is audited with it and shown; contracts and areas are checked', async () => {
    const url = `/api/v1/services/providers/${c.providerA}`;
    const noReason = await admin.patch(url, { creditStatus: 'red' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error).toMatchObject({ code: 'REASON_REQUIRED', message: '调整信用状态须说明原因' });
    const ok = await admin.patch(url, { creditStatus: 'red', creditReason: '两起投诉逾期未整改', qualifications: ['养老服务备案', '食品经营许可'] });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await staffA.get(url)).json()).toMatchObject({
      creditStatus: 'red',
      creditReason: '两起投诉逾期未整改',
      qualifications: ['养老服务备案', '食品经营许可'],
    });
    const audit = await t.db.root.one<{ action: string; reason: string; before: { creditStatus: string } }>(
      sql`select action, reason, before from audit_log where entity = 'provider' and entity_id = ${c.providerA} order by at desc limit 1`,
    );
    expect(audit).toMatchObject({ action: 'credit', reason: '两起投诉逾期未整改', before: { creditStatus: 'good' } });
    // The same status again needs no reason; other edits keep the reason.
    expect((await admin.patch(url, { creditStatus: 'red', rating: 3.5 })).statusCode).toBe(200);
    expect((await admin.get(url)).json()).toMatchObject({ creditReason: '两起投诉逾期未整改', rating: 3.5 });

    // Contract dates: in one body (validation), and against the stored dates.
    const both = await admin.patch(url, { contractFrom: '2026-12-01', contractTo: '2026-01-01' });
    expect(both.statusCode).toBe(400);
    expect(both.json().error.code).toBe('VALIDATION');
    expect(JSON.stringify(both.json().error.details)).toContain('合同结束日期不能早于开始日期');
    expect((await admin.patch(url, { contractNo: 'HT-2026-01', contractFrom: '2026-01-01', contractTo: '2026-12-31' })).statusCode).toBe(200);
    const late = await admin.patch(url, { contractFrom: '2027-02-01' });
    expect(late.json().error).toMatchObject({ code: 'CONTRACT_DATES', message: '合同结束日期不能早于开始日期' });
    const area = await admin.patch(url, { serviceRegions: [c.townshipA, '110101001000'] });
    expect(area.json().error.code).toBe('AREA_OUTSIDE_COUNTY');
    expect((await admin.patch(url, { serviceRegions: [c.townshipA, c.villageB] })).statusCode).toBe(200);
    expect((await admin.patch(url, { creditStatus: 'purple', creditReason: 'x' })).statusCode).toBe(400);
    // The neighbouring township cannot edit it.
    expect((await staffB.patch(url, { creditStatus: 'black', creditReason: '冒充' })).statusCode).toBe(404);
    expect((await provA.patch(url, { creditStatus: 'good', creditReason: '自己改' })).statusCode).toBe(403);
    expect((await admin.patch(url, { creditStatus: 'good', creditReason: '已整改' })).statusCode).toBe(200);
  });

  it('menu: county staff add and edit items (price, active); township staff cannot; bad input is refused with a message', async () => {
    const bad = await admin.post('/api/v1/services/items', { code: 'M 1', category: 'meal', name: '', unit: '餐', priceCents: -1, durationMin: 0 });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .error.details.map((d: { path: string }) => d.path)
        .sort(),
    ).toEqual(['code', 'durationMin', 'name', 'priceCents']);
    const add = await admin.post('/api/v1/services/items', {
      code: 'ZC01',
      category: 'meal',
      name: '助餐配送',
      unit: '餐',
      priceCents: 1200,
      durationMin: 20,
      skill: 'meal',
    });
    expect(add.statusCode).toBe(200);
    item = add.json().id;
    expect(
      (await staffA.post('/api/v1/services/items', { code: 'ZC02', category: 'meal', name: '午餐', unit: '餐', priceCents: 1, durationMin: 1 })).statusCode,
    ).toBe(403);
    expect((await admin.patch(`/api/v1/services/items/${item}`, { priceCents: 1500, durationMin: 30 })).statusCode).toBe(200);
    const dup = await admin.post('/api/v1/services/items', { code: 'ZC01', category: 'meal', name: '重复', unit: '餐', priceCents: 1, durationMin: 1 });
    expect(dup.statusCode).toBe(409);
    expect((await staffA.get('/api/v1/services/items')).json().items).toMatchObject([{ code: 'ZC01', priceCents: 1500, durationMin: 30, active: true }]);
    expect((await admin.patch(`/api/v1/services/items/${item}`, { active: false })).statusCode).toBe(200);
    expect((await staffA.get('/api/v1/services/items')).json().items).toEqual([]);
    expect((await admin.get('/api/v1/services/items?all=true')).json().items).toMatchObject([{ code: 'ZC01', active: false }]);
    expect((await admin.patch(`/api/v1/services/items/${item}`, { active: true })).statusCode).toBe(200);
  });

  it('caregivers: staff and the own provider edit skills, certificates and status; neighbours and other providers get 404', async () => {
    const add = await staffA.post(`/api/v1/services/providers/${c.providerA}/caregivers`, {
      name: '王护理员',
      phone: '13911112222',
      skills: ['meal'],
      certificates: [{ name: '养老护理员职业技能等级证书（四级）', no: 'YL-001', validUntil: '2025-06-30' }],
    });
    expect(add.statusCode, add.body).toBe(200);
    const id = add.json().id;
    const url = `/api/v1/services/caregivers/${id}`;
    const badCert = await staffA.patch(url, { certificates: [{ name: '健康证', validUntil: '2026-13-40' }] });
    expect(badCert.statusCode).toBe(400);
    expect(badCert.json().error.details[0]).toMatchObject({ path: 'certificates.0.validUntil', message: '日期格式应为 YYYY-MM-DD' });
    expect((await staffA.patch(url, { skills: ['flying'] })).statusCode).toBe(400);
    expect((await staffA.patch(url, { status: 'retired' })).statusCode).toBe(400);

    const renew = [
      { name: '养老护理员职业技能等级证书（四级）', no: 'YL-001', validUntil: '2029-06-30' },
      { name: '健康证', no: 'JK-9', validUntil: '2027-01-31' },
    ];
    expect((await staffA.patch(url, { skills: ['meal', 'clean'], certificates: renew })).statusCode).toBe(200);
    expect((await provA.patch(url, { name: '王秀英' })).statusCode).toBe(200);
    const list = (await provA.get(`/api/v1/services/providers/${c.providerA}/caregivers`)).json().items;
    expect(list.find((x: { id: string }) => x.id === id)).toMatchObject({
      name: '王秀英',
      phone: '13911112222',
      skills: ['meal', 'clean'],
      certificates: renew,
      status: 'active',
    });
    // Staff see the phone masked (so an edit form sends a phone only when one is typed).
    const staffView = (await staffA.get(`/api/v1/services/providers/${c.providerA}/caregivers`)).json().items.find((x: { id: string }) => x.id === id);
    expect(staffView.phone).not.toBe('13911112222');
    const audit = await t.db.root.one<{ before: { skills: string[] }; after: { skills: string[] } }>(
      sql`select before, after from audit_log where entity = 'caregiver' and entity_id = ${id} and action = 'update' order by at limit 1`,
    );
    expect(audit).toMatchObject({ before: { skills: ['meal'] }, after: { skills: ['meal', 'clean'] } });

    expect((await staffB.patch(url, { status: 'inactive' })).statusCode).toBe(404);
    expect((await provB.patch(url, { status: 'inactive' })).statusCode).toBe(404);
    expect((await family.patch(url, { status: 'inactive' })).statusCode).toBe(403);
    expect((await admin.patch(url, { status: 'inactive' })).statusCode).toBe(200);
    expect((await admin.get(`/api/v1/services/providers/${c.providerA}`)).json().caregivers).toBe(0);
    expect((await admin.patch(url, { status: 'active' })).statusCode).toBe(200);
  });

  it('staff reschedule (the split is redone) and cancel with a reason; a started order answers why not', async () => {
    const place = (time: string) => staffA.post('/api/v1/services/orders', { elderId: elder, itemId: item, quantity: 5, date: countyToday(), time });
    const a = (await place('08:00')).json();
    const b = (await place('09:00')).json();
    expect(b).toMatchObject({ amountCents: 7500, govCents: 2500, copayCents: 5000 });
    const [y, m] = countyToday().split('-').map(Number);
    const next = `${m === 12 ? y + 1 : y}-${String((m % 12) + 1).padStart(2, '0')}-03`;
    const r = await staffA.post(`/api/v1/services/orders/${b.id}/reschedule`, { date: next, time: '10:30' });
    expect(r.statusCode, r.body).toBe(200);
    expect((await staffA.get(`/api/v1/services/orders/${b.id}`)).json()).toMatchObject({ date: next, time: '10:30', govCents: 7500, copayCents: 0 });
    const badTime = await staffA.post(`/api/v1/services/orders/${b.id}/reschedule`, { date: next, time: '25:00' });
    expect(badTime.json().error.details[0]).toMatchObject({ path: 'time', message: '时间格式应为 HH:MM' });
    expect((await staffB.post(`/api/v1/services/orders/${b.id}/reschedule`, { date: next, time: '11:00' })).statusCode).toBe(404);
    expect((await staffB.post(`/api/v1/services/orders/${b.id}/cancel`, { reason: '冒充' })).statusCode).toBe(404);

    const noReason = await staffA.post(`/api/v1/services/orders/${a.id}/cancel`, { reason: '  ' });
    expect(noReason.statusCode).toBe(400);
    const cancel = await staffA.post(`/api/v1/services/orders/${a.id}/cancel`, { reason: '老人住院' });
    expect(cancel.json()).toMatchObject({ status: 'cancelled' });
    expect((await staffA.get(`/api/v1/services/orders/${a.id}`)).json()).toMatchObject({ cancelReason: '老人住院' });

    // Started already: both answer 409 with the reason in words.
    await t.db.root.exec(sql`update service_orders set status = 'in_service', checkin_at = now() where id = ${b.id}`);
    const late = await staffA.post(`/api/v1/services/orders/${b.id}/reschedule`, { date: next, time: '11:00' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error).toMatchObject({ code: 'WRONG_STATE', message: '服务已开始或已结束，不能改期' });
    const late2 = await staffA.post(`/api/v1/services/orders/${b.id}/cancel`, { reason: '不要了' });
    expect(late2.json().error).toMatchObject({ code: 'WRONG_STATE', message: '服务已开始或已结束，不能取消' });
    await t.db.root.exec(sql`update service_orders set status = 'cancelled' where id = ${b.id}`);
  });

  it('the family sees the complaints about their elder and how each was handled, and the photos of a completed order', async () => {
    const o = (await family.post('/api/v1/services/orders', { elderId: elder, itemId: item, quantity: 1, date: countyToday(), time: '12:00' })).json();
    const cg = await t.db.root.one<{ id: string }>(sql`select id::text as id from caregivers where provider_id = ${c.providerA} and status = 'active' limit 1`);
    await t.db.root.exec(sql`update service_orders set status = 'completed', provider_id = ${c.providerA}, caregiver_id = ${cg!.id}, caregiver_name = '王秀英',
      checkin_at = now() - interval '1 hour', checkout_at = now() where id = ${o.id}`);
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32, 3)]);
    const ph = await t.db.root.one<{
      id: string;
    }>(sql`insert into service_order_photos (order_id, county_code, region_code, provider_id, elder_id, mime, size, data)
      values (${o.id}, ${c.county.slice(0, 6)}, ${c.villageA}, ${c.providerA}, ${elder}, 'image/png', ${png.length}, ${png}) returning id::text as id`);

    // Photos: in the family's list, and downloadable by the family; not by another family or the neighbour township.
    const mine = (await family.get('/api/v1/services/orders')).json().items.find((x: { id: string }) => x.id === o.id);
    expect(mine.photoIds).toEqual([ph!.id]);
    const img = await family.get(`/api/v1/services/orders/${o.id}/photos/${ph!.id}`);
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(img.rawPayload, png)).toBe(0);
    const stranger = await agentFor(t.app, t.db, { role: 'family', regionCode: c.villageA });
    expect((await stranger.get(`/api/v1/services/orders/${o.id}/photos/${ph!.id}`)).statusCode).toBe(404);
    expect((await staffB.get(`/api/v1/services/orders/${o.id}/photos/${ph!.id}`)).statusCode).toBe(404);
    // A staff list does not carry photo ids (the detail does).
    expect((await staffA.get('/api/v1/services/orders')).json().items.find((x: { id: string }) => x.id === o.id).photoIds).toEqual([]);

    // A complaint, handled by staff: the family sees the handling; another family sees nothing.
    const k = await family.post(`/api/v1/services/orders/${o.id}/complaints`, { kind: 'late', content: '迟到四十分钟' });
    expect(k.statusCode).toBe(200);
    expect((await family.get('/api/v1/services/complaints')).json().items).toMatchObject([{ id: k.json().id, status: 'open', resolution: null }]);
    expect(
      (await staffA.post(`/api/v1/services/complaints/${k.json().id}/handle`, { status: 'closed', resolution: '约谈机构，调整排班并致歉' })).statusCode,
    ).toBe(200);
    expect((await family.get('/api/v1/services/complaints')).json().items).toMatchObject([
      { id: k.json().id, orderNo: o.no, content: '迟到四十分钟', status: 'closed', resolution: '约谈机构，调整排班并致歉', handlerName: expect.any(String) },
    ]);
    expect((await stranger.get('/api/v1/services/complaints')).json().items).toEqual([]);
  });
});
