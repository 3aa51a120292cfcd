import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { sql } from '../../kernel/db.js';
import { AppError } from '../../kernel/errors.js';
import { defineRoute, IdParams, Ok, Page } from '../../kernel/http.js';
import { STAFF, type Role } from '../../kernel/roles.js';
import { RegionCode } from '../accounts/accounts.schema.js';
import {
  acceptOffer,
  createRule,
  declineOffer,
  fileApplication,
  listRules,
  loadOffer,
  makeOffer,
  presentOffer,
  waitingList,
  publicWaitingList,
  publication,
  withdrawApplication,
} from './admissions.service.js';
import { DEFAULT_RULE } from './admission.rules.js';
import {
  AcceptBody,
  AddBedsBody,
  ApplicationBody,
  BedItem,
  CompoundBody,
  CompoundItem,
  CoverageView,
  CreateFacilityBody,
  FacilityDetail,
  FacilityItem,
  FacilityListQuery,
  MoveInBody,
  MoveOutBody,
  OfferBody,
  OfferView,
  PublicWaitingLists,
  RatingBody,
  ResidentItem,
  RuleCreateBody,
  RuleView,
  UpdateFacilityBody,
  WaitingList,
} from './facilities.schema.js';
import {
  addBeds,
  addRating,
  coverage,
  createCompound,
  createFacility,
  facilityDetail,
  listBeds,
  listCompounds,
  listFacilities,
  listResidents,
  loadWritableFacility,
  moveIn,
  moveOut,
  today,
  updateFacility,
} from './facilities.service.js';

const READERS: Role[] = [...STAFF, 'inspector', 'assessor', 'provider_admin'];
const MANAGERS: Role[] = ['county_admin', 'township_staff'];
const TAG = ['facilities'];

export function facilityRoutes(app: FastifyInstance) {
  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/facilities',
    summary: '养老服务设施名录（按区划、类型、状态筛选，含床位与入住数）',
    tags: TAG,
    roles: READERS,
    query: FacilityListQuery,
    response: Page(FacilityItem),
    handler: async ({ tx, query }) => listFacilities(tx, query),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/facilities',
    summary: '登记养老服务设施',
    tags: TAG,
    roles: MANAGERS,
    body: CreateFacilityBody,
    example: {
      regionCode: '370124001000',
      name: '示例街道综合养老服务中心',
      kind: 'township_center',
      ownership: 'public',
      openedOn: '2024-01-01',
      functions: ['day_care'],
    },
    response: FacilityDetail,
    handler: async ({ tx, body, audit }) => {
      const id = await createFacility(tx, body);
      const d = await facilityDetail(tx, id);
      await audit({ action: 'create', entity: 'facility', entityId: id, regionCode: body.regionCode, after: body });
      return d;
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/facilities/coverage',
    summary: '按乡镇（街道）的设施类型、功能与村（社区）覆盖',
    tags: TAG,
    roles: READERS,
    query: z.object({ regionCode: RegionCode.optional() }),
    response: CoverageView,
    handler: async ({ tx, query, principal }) => coverage(tx, query.regionCode ?? principal.regionCode),
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/facilities/:id',
    summary: '设施详情：功能、医养结合、智慧化标识、星级记录、床位与近12个月入住率',
    tags: TAG,
    roles: READERS,
    resource: 'facility',
    params: IdParams,
    response: FacilityDetail,
    handler: async ({ tx, params }) => facilityDetail(tx, params.id),
  });

  defineRoute(app, {
    method: 'PATCH',
    url: '/api/v1/facilities/:id',
    summary: '修改设施信息、状态与标识',
    tags: TAG,
    roles: MANAGERS,
    resource: 'facility',
    params: IdParams,
    body: UpdateFacilityBody,
    example: { smartFire: true },
    response: FacilityDetail,
    handler: async ({ tx, params, body, audit }) => {
      const before = await loadWritableFacility(tx, params.id);
      await updateFacility(tx, params.id, body);
      await audit({ action: 'update', entity: 'facility', entityId: params.id, regionCode: before.region_code, after: body });
      return facilityDetail(tx, params.id);
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/facilities/:id/beds',
    summary: '床位（按房间）与当前入住老人',
    tags: TAG,
    roles: READERS,
    resource: 'facility',
    params: IdParams,
    response: z.object({ items: z.array(BedItem) }),
    handler: async ({ tx, params }) => ({ items: await listBeds(tx, params.id) }),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/facilities/:id/beds',
    summary: '新增床位（一个房间的若干床位）',
    tags: TAG,
    roles: MANAGERS,
    resource: 'facility',
    params: IdParams,
    body: AddBedsBody,
    example: { room: '101', labels: ['1', '2'], type: 'nursing' },
    response: z.object({ added: z.number().int() }),
    handler: async ({ tx, params, body, audit }) => {
      const { facility, added } = await addBeds(tx, params.id, body);
      await audit({ action: 'add_beds', entity: 'facility', entityId: params.id, regionCode: facility.region_code, after: body });
      return { added };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/facilities/:id/ratings',
    summary: '记录星级评定结果（GB/T 37276）',
    tags: TAG,
    roles: ['county_admin'],
    resource: 'facility',
    params: IdParams,
    body: RatingBody,
    example: { stars: 3, ratedOn: '2025-06-01', validUntil: '2028-05-31' },
    response: z.object({ id: z.string() }),
    handler: async ({ tx, params, body, audit }) => {
      const { facility, id } = await addRating(tx, params.id, body);
      await audit({ action: 'rate', entity: 'facility', entityId: params.id, regionCode: facility.region_code, after: body });
      return { id };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/facilities/:id/residents',
    summary: '入住老人（当前或全部）',
    tags: TAG,
    roles: READERS,
    resource: 'facility',
    params: IdParams,
    query: z.object({ all: z.enum(['true', 'false']).optional() }),
    response: z.object({ items: z.array(ResidentItem) }),
    handler: async ({ tx, params, query }) => ({ items: await listResidents(tx, params.id, query.all !== 'true') }),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/facilities/:id/residents',
    summary: '办理入住（直接入住，不经轮候；分配空余床位）',
    tags: TAG,
    roles: MANAGERS,
    resource: 'facility',
    params: IdParams,
    body: MoveInBody,
    example: { elderId: '00000000-0000-4000-8000-000000000000' },
    response: z.object({ residentId: z.string(), bedId: z.string() }),
    handler: async ({ tx, params, body, audit }) => {
      const r = await moveIn(tx, params.id, body);
      await audit({ action: 'move_in', entity: 'facility', entityId: params.id, regionCode: r.facility.region_code, after: { ...body, bedId: r.bedId } });
      return { residentId: r.residentId, bedId: r.bedId };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/facility-residents/:id/move-out',
    summary: '办理退住（释放床位）',
    tags: TAG,
    roles: MANAGERS,
    resource: 'resident',
    params: IdParams,
    body: MoveOutBody,
    example: { moveOut: '2026-01-10', reason: '回家居住' },
    response: Ok,
    handler: async ({ tx, params, body, audit }) => {
      const r = await moveOut(tx, params.id, body.moveOut, body.reason);
      await audit({ action: 'move_out', entity: 'facility_resident', entityId: params.id, regionCode: r.region_code, after: body });
      return { ok: true as const };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/residential-compounds',
    summary: '住宅小区配建养老服务设施面积（新建≥20㎡/百户，老旧≥15㎡/百户）',
    tags: TAG,
    roles: READERS,
    query: z.object({ regionCode: RegionCode.optional() }),
    response: z.object({ items: z.array(CompoundItem) }),
    handler: async ({ tx, query }) => ({ items: await listCompounds(tx, query.regionCode) }),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/residential-compounds',
    summary: '登记住宅小区及其养老服务设施面积',
    tags: TAG,
    roles: MANAGERS,
    body: CompoundBody,
    example: { regionCode: '370124001001', name: '示例小区', kind: 'new', households: 800, facilityAreaM2: 200, assessedOn: '2025-06-01' },
    response: z.object({ id: z.string() }),
    handler: async ({ tx, body, audit }) => {
      const id = await createCompound(tx, body);
      await audit({ action: 'create', entity: 'residential_compound', entityId: id, regionCode: body.regionCode, after: body });
      return { id };
    },
  });

  // ---- Admissions ----

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/admission-rules',
    summary: '入住轮候规则（各版本；最后一条为默认规则）',
    tags: TAG,
    roles: READERS,
    response: z.object({ items: z.array(RuleView) }),
    handler: async ({ tx, principal }) => ({ items: await listRules(tx, principal.countyCode) }),
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/admission-rules',
    summary: '发布新版入住轮候规则（自生效日起用于排序）',
    tags: TAG,
    roles: ['county_admin'],
    body: RuleCreateBody,
    example: { validFrom: '2026-01-01', note: '示例规则', body: DEFAULT_RULE.body },
    response: z.object({ version: z.number().int() }),
    handler: async ({ tx, body, principal, audit }) => {
      const version = await createRule(tx, principal.countyCode, principal.userId, body);
      await audit({ action: 'create', entity: 'admission_rule', entityId: String(version), regionCode: principal.countyCode.padEnd(12, '0'), after: body });
      return { version };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/admissions',
    summary: '提交公办养老机构入住申请（老人、家属或村（社区）工作人员代办）',
    tags: TAG,
    roles: STAFF,
    body: ApplicationBody,
    example: { elderId: '00000000-0000-4000-8000-000000000000', facilityId: '00000000-0000-4000-8000-000000000001', applicant: 'village_worker' },
    response: z.object({ id: z.string() }),
    handler: async ({ tx, body, principal, audit }) => {
      const r = await fileApplication(tx, principal.userId, body);
      await audit({ action: 'apply', entity: 'admission_application', entityId: r.id, regionCode: r.regionCode, after: body });
      return { id: r.id };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/admissions/:id/withdraw',
    summary: '撤回入住申请',
    tags: TAG,
    roles: STAFF,
    resource: 'application',
    params: IdParams,
    response: Ok,
    handler: async ({ tx, params, audit }) => {
      const a = await withdrawApplication(tx, params.id);
      await audit({ action: 'withdraw', entity: 'admission_application', entityId: params.id, regionCode: a.region_code });
      return { ok: true as const };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/facilities/:id/waiting-list',
    summary: '轮候名单：按现行规则实时排序，显示名次、所属优先类别与依据',
    tags: TAG,
    roles: READERS,
    resource: 'facility',
    params: IdParams,
    response: WaitingList,
    handler: async ({ tx, params }) => (await waitingList(tx, params.id)).view,
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/facilities/:id/offers',
    summary: '发出入住通知（默认给名单中下一位可入住者；限期答复）',
    tags: TAG,
    roles: MANAGERS,
    resource: 'facility',
    params: IdParams,
    body: OfferBody,
    example: {},
    response: OfferView,
    handler: async ({ tx, params, body, audit }) => {
      await loadWritableFacility(tx, params.id);
      const o = await makeOffer(tx, params.id, body.applicationId);
      await audit({
        action: 'offer',
        entity: 'admission_offer',
        entityId: o.id,
        regionCode: o.facility.region_code,
        after: { applicationId: o.entry.applicationId, rank: o.entry.rank, reason: o.entry.reason, ruleVersion: o.ruleVersion, respondBy: o.respondBy },
      });
      return presentOffer(await loadOffer(tx, o.id));
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/admission-offers/:id/accept',
    summary: '接受入住通知：分配床位并办理入住（同一床位绝不重复分配）',
    tags: TAG,
    roles: MANAGERS,
    resource: 'offer',
    params: IdParams,
    body: AcceptBody,
    example: {},
    response: OfferView.extend({ residentId: z.string() }),
    handler: async ({ tx, params, body, audit }) => {
      const r = await acceptOffer(tx, params.id, body.moveIn);
      await audit({
        action: 'accept',
        entity: 'admission_offer',
        entityId: params.id,
        regionCode: r.offer.region_code,
        after: { bedId: r.bedId, elderId: r.elderId },
      });
      return { ...presentOffer(r.offer), residentId: r.residentId };
    },
  });

  defineRoute(app, {
    method: 'POST',
    url: '/api/v1/admission-offers/:id/decline',
    summary: '放弃入住通知：通知顺延给名单中的下一位',
    tags: TAG,
    roles: MANAGERS,
    resource: 'offer',
    params: IdParams,
    response: z.object({ declined: OfferView, next: OfferView.nullable() }),
    handler: async ({ tx, params, audit }) => {
      const o = await declineOffer(tx, params.id);
      await audit({ action: 'decline', entity: 'admission_offer', entityId: params.id, regionCode: o.region_code });
      // The bed moves on to the next applicant, if the rule lets anyone have it now.
      let next = null;
      try {
        const n = await makeOffer(tx, o.facility_id);
        await audit({
          action: 'offer',
          entity: 'admission_offer',
          entityId: n.id,
          regionCode: n.facility.region_code,
          after: { rank: n.entry.rank, reason: n.entry.reason },
        });
        next = presentOffer(await loadOffer(tx, n.id));
      } catch (e) {
        if (!(e instanceof AppError) || e.status !== 409) throw e;
      }
      return { declined: presentOffer(o), next };
    },
  });

  defineRoute(app, {
    method: 'GET',
    url: '/api/v1/public/waiting-lists',
    summary: '公示：本县公办养老机构的轮候名单（排名、脱敏姓名、乡镇、优先类别、申请日期；不含类别、年龄、村）',
    tags: TAG,
    roles: 'public',
    rateLimit: 120,
    query: z.object({ county: z.string().regex(/^\d{6}$/, '县级代码为6位数字 / a county code has 6 digits') }),
    response: PublicWaitingLists,
    handler: async ({ db, query }) =>
      db.system(async (tx) => {
        // The published list is the whole list: read as the county, every name masked.
        const lo = query.county.padEnd(12, '0');
        const hi = query.county + '999999';
        await tx.exec(sql`select set_config('yinling.lo', ${lo}, true), set_config('yinling.hi', ${hi}, true)`);
        const homes = await tx.rows<{ id: string }>(sql`select id::text as id from facilities
          where county_code = ${query.county} and admits_applicants and status <> 'closed' order by region_code, name limit 100`);
        const lists = [];
        for (const h of homes) lists.push(await publicWaitingList(tx, h.id));
        return { asOf: today(), ...(await publication(tx, query.county)), homes: lists };
      }),
  });
}
