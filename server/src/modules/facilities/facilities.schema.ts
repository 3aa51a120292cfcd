import { z } from 'zod';
import { RegionCode } from '../accounts/accounts.schema.js';
import { RuleBody } from './admission.rules.js';

export const IsoDate = z.iso.date('日期格式须为 YYYY-MM-DD / write dates as YYYY-MM-DD');

/** Facility kinds of DOMAIN.md's four-level network, each at one level. */
export const FACILITY_KINDS = {
  county_center: { zh: '县级综合养老服务中心', en: 'County comprehensive centre', level: 3 },
  care_home: { zh: '养老机构', en: 'Care home', level: 4 },
  township_center: { zh: '镇（街道）综合养老服务中心', en: 'Township comprehensive centre', level: 4 },
  township_home: { zh: '乡镇敬老院', en: 'Township public home (敬老院)', level: 4 },
  daycare: { zh: '社区日间照料中心', en: 'Community day-care centre', level: 5 },
  embedded_home: { zh: '社区嵌入式养老院', en: 'Community-embedded care home', level: 5 },
  happiness_home: { zh: '农村幸福院（互助养老）', en: 'Rural happiness home / mutual-aid site', level: 5 },
  canteen: { zh: '老年助餐点（孝善食堂）', en: 'Elder canteen / meal point', level: 5 },
  assistive_rental: { zh: '康复辅助器具租赁点', en: 'Assistive-device rental point', level: 4 },
  senior_university: { zh: '老年大学（学习点）', en: 'Senior university / learning point', level: 4 },
} as const;
export type FacilityKind = keyof typeof FACILITY_KINDS;
export const KIND_CODES = Object.keys(FACILITY_KINDS) as [FacilityKind, ...FacilityKind[]];

/** 养老机构 in the indicators' sense: residential care homes, township 敬老院 included. */
export const INSTITUTION_KINDS: FacilityKind[] = ['county_center', 'care_home', 'township_home', 'embedded_home'];
/** Community-level sites counted by the community coverage indicators. */
export const COMMUNITY_KINDS: FacilityKind[] = ['daycare', 'embedded_home', 'happiness_home', 'canteen'];

export const FUNCTIONS = {
  full_care: { zh: '全托', en: 'Residential care' },
  day_care: { zh: '日托', en: 'Day care' },
  home_visits: { zh: '上门服务', en: 'Home visits' },
  meals: { zh: '助餐', en: 'Meals' },
  medical: { zh: '医养结合', en: 'Medical care' },
  guidance: { zh: '对下指导', en: 'Guides lower levels' },
  respite: { zh: '喘息服务', en: 'Respite care' },
  rehab: { zh: '康复护理', en: 'Rehabilitation' },
  learning: { zh: '老年教育', en: 'Senior education' },
  rental: { zh: '辅具租赁', en: 'Assistive-device rental' },
} as const;
export const FUNCTION_CODES = Object.keys(FUNCTIONS) as [keyof typeof FUNCTIONS, ...(keyof typeof FUNCTIONS)[]];

export const OWNERSHIP = { public: '公办', private: '民办', public_private: '公建民营' } as const;
export const BED_TYPES = { general: '普通床位', nursing: '护理型床位', dementia: '认知障碍照护床位', hospice: '安宁疗护床位' } as const;
/** Nursing-type (护理型) beds in the indicators: nursing, dementia-care and hospice beds. */
export const NURSING_TYPES = ['nursing', 'dementia', 'hospice'];

const Flags = {
  clinic: z.boolean().optional(),
  medicalPartner: z.string().trim().max(200).nullable().optional(),
  medicalAgreementUntil: IsoDate.nullable().optional(),
  medicalLicensed: z.boolean().optional(),
  smartFire: z.boolean().optional(),
  smartGas: z.boolean().optional(),
  kitchenCamera: z.boolean().optional(),
  smartCareHome: z.boolean().optional(),
  affordable: z.boolean().optional(),
  admitsApplicants: z.boolean().optional(),
};

export const CreateFacilityBody = z.object({
  regionCode: RegionCode,
  name: z.string().trim().min(1).max(200),
  kind: z.enum(KIND_CODES),
  ownership: z.enum(['public', 'private', 'public_private']),
  operatorProviderId: z.uuid().nullable().optional(),
  operatorName: z.string().trim().max(200).nullable().optional(),
  functions: z.array(z.enum(FUNCTION_CODES)).max(20).default([]),
  address: z.string().trim().max(300).nullable().optional(),
  lng: z.number().min(-180).max(180).nullable().optional(),
  lat: z.number().min(-90).max(90).nullable().optional(),
  openedOn: IsoDate.nullable().optional(),
  registeredOn: IsoDate.nullable().optional(),
  status: z.enum(['planned', 'operating', 'suspended', 'closed']).default('operating'),
  ...Flags,
});

export const UpdateFacilityBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    ownership: z.enum(['public', 'private', 'public_private']),
    operatorName: z.string().trim().max(200).nullable(),
    functions: z.array(z.enum(FUNCTION_CODES)).max(20),
    address: z.string().trim().max(300).nullable(),
    openedOn: IsoDate.nullable(),
    registeredOn: IsoDate.nullable(),
    status: z.enum(['planned', 'operating', 'suspended', 'closed']),
    statusSince: IsoDate,
    ...Flags,
  })
  .partial();

export const FacilityListQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  regionCode: RegionCode.optional(),
  kind: z.enum(KIND_CODES).optional(),
  status: z.enum(['planned', 'operating', 'suspended', 'closed']).optional(),
  admits: z.enum(['true', 'false']).optional(),
  q: z.string().trim().max(40).optional(),
});

export const FacilityItem = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  ownership: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  townshipName: z.string().nullable(),
  operatorName: z.string().nullable(),
  functions: z.array(z.string()),
  status: z.string(),
  openedOn: z.string().nullable(),
  beds: z.number().int(),
  nursingBeds: z.number().int(),
  occupied: z.number().int(),
  free: z.number().int(),
  stars: z.number().int().nullable(),
  admitsApplicants: z.boolean(),
  affordable: z.boolean(),
  smartCareHome: z.boolean(),
});

export const FacilityDetail = FacilityItem.extend({
  operatorProviderId: z.string().nullable(),
  address: z.string().nullable(),
  lng: z.number().nullable(),
  lat: z.number().nullable(),
  registeredOn: z.string().nullable(),
  statusSince: z.string().nullable(),
  clinic: z.boolean(),
  medicalPartner: z.string().nullable(),
  medicalAgreementUntil: z.string().nullable(),
  medicalLicensed: z.boolean(),
  smartFire: z.boolean(),
  smartGas: z.boolean(),
  kitchenCamera: z.boolean(),
  ratings: z.array(z.object({ id: z.string(), stars: z.number().int(), ratedOn: z.string(), validUntil: z.string().nullable(), note: z.string().nullable() })),
  occupancy: z.array(z.object({ month: z.string(), beds: z.number().int(), occupied: z.number().int() })),
  bedsByType: z.record(z.string(), z.number().int()),
});

export const AddBedsBody = z.object({
  room: z.string().trim().min(1).max(40),
  labels: z.array(z.string().trim().min(1).max(40)).min(1).max(50),
  type: z.enum(['general', 'nursing', 'dementia', 'hospice']),
  addedOn: IsoDate.optional(),
});

export const BedItem = z.object({
  id: z.string(),
  room: z.string(),
  label: z.string(),
  type: z.string(),
  status: z.string(),
  addedOn: z.string(),
  resident: z.object({ residentId: z.string(), elderId: z.string(), name: z.string(), moveIn: z.string() }).nullable(),
});

export const RatingBody = z.object({
  stars: z.number().int().min(1).max(5),
  ratedOn: IsoDate,
  validUntil: IsoDate.nullable().optional(),
  note: z.string().trim().max(500).nullable().optional(),
});

export const MoveInBody = z.object({ elderId: z.uuid(), bedId: z.uuid().optional(), moveIn: IsoDate.optional() });
export const MoveOutBody = z.object({ moveOut: IsoDate, reason: z.string().trim().min(1).max(200) });

export const ResidentItem = z.object({
  id: z.string(),
  elderId: z.string(),
  name: z.string(),
  idNumber: z.string().nullable(),
  age: z.number().int(),
  bedId: z.string().nullable(),
  bedLabel: z.string().nullable(),
  moveIn: z.string(),
  moveOut: z.string().nullable(),
  ability: z.string().nullable(),
});

export const CompoundBody = z.object({
  regionCode: RegionCode,
  name: z.string().trim().min(1).max(200),
  kind: z.enum(['new', 'old']),
  households: z.number().int().min(1).max(1_000_000),
  facilityAreaM2: z.number().min(0).max(1_000_000),
  assessedOn: IsoDate,
});
export const CompoundItem = z.object({
  id: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  name: z.string(),
  kind: z.string(),
  households: z.number().int(),
  facilityAreaM2: z.number(),
  per100: z.number(),
  required: z.number(),
  compliant: z.boolean(),
  assessedOn: z.string(),
});

export const ApplicationBody = z.object({
  elderId: z.uuid(),
  facilityId: z.uuid(),
  applicant: z.enum(['elder', 'family', 'village_worker']),
  applicantName: z.string().trim().max(60).nullable().optional(),
  appliedOn: IsoDate.optional(),
  note: z.string().trim().max(500).nullable().optional(),
});

export const QueueEntry = z.object({
  applicationId: z.string(),
  elderId: z.string(),
  name: z.string(),
  regionName: z.string().nullable(),
  appliedOn: z.string(),
  applicant: z.string(),
  rank: z.number().int().nullable(),
  standing: z.enum(['priority', 'spare', 'pending_assessment']),
  classKey: z.string().nullable(),
  reason: z.string(),
  reasonEn: z.string(),
  categories: z.array(z.string()),
  /** Null for an applicant outside the caller's area (rank and masked name only). */
  age: z.number().int().nullable(),
  ability: z.string().nullable(),
  offer: z.object({ id: z.string(), respondBy: z.string() }).nullable(),
  offerable: z.boolean(),
});

export const WaitingList = z.object({
  facilityId: z.string(),
  facilityName: z.string(),
  asOf: z.string(),
  rule: z.object({ version: z.number().int(), validFrom: z.string(), note: z.string() }),
  beds: z.number().int(),
  freeBeds: z.number().int(),
  openOffers: z.number().int(),
  entries: z.array(QueueEntry),
});

/** The 公示 of one home: nothing that tells an applicant's categories, age or village. */
export const PublicWaitingList = z.object({
  facilityId: z.string(),
  facilityName: z.string(),
  asOf: z.string(),
  rule: z.object({
    version: z.number().int(),
    validFrom: z.string(),
    classes: z.array(z.object({ label: z.string(), labelEn: z.string(), text: z.string(), textEn: z.string() })),
  }),
  beds: z.number().int(),
  freeBeds: z.number().int(),
  entries: z.array(
    z.object({
      rank: z.number().int().nullable(),
      name: z.string(),
      township: z.string().nullable(),
      /** Neutral label of the priority class: 一类, 二类, …, 其他, 待评估. */
      priorityClass: z.string(),
      priorityClassEn: z.string(),
      appliedOn: z.string(),
    }),
  ),
});
export const PublicWaitingLists = z.object({
  asOf: z.string(),
  county: z.object({ code: z.string(), name: z.string() }),
  authority: z.string(),
  period: z.object({ from: z.string(), to: z.string() }),
  supervisionPhone: z.string(),
  homes: z.array(PublicWaitingList),
});

export const OfferBody = z.object({ applicationId: z.uuid().optional() });
export const OfferView = z.object({
  id: z.string(),
  applicationId: z.string(),
  rank: z.number().int(),
  rankClass: z.string(),
  ruleVersion: z.number().int(),
  offeredOn: z.string(),
  respondBy: z.string(),
  status: z.string(),
  bedId: z.string().nullable(),
});
export const AcceptBody = z.object({ moveIn: IsoDate.optional() });

export const RuleCreateBody = z.object({ validFrom: IsoDate, note: z.string().trim().min(1).max(500), body: RuleBody });
export const RuleView = z.object({ version: z.number().int(), validFrom: z.string(), note: z.string(), body: RuleBody });

export const CoverageView = z.object({
  kinds: z.array(z.string()),
  functions: z.array(z.string()),
  townships: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      kinds: z.record(z.string(), z.number().int()),
      functions: z.array(z.string()),
      villages: z.number().int(),
      villagesCovered: z.number().int(),
      beds: z.number().int(),
      occupied: z.number().int(),
    }),
  ),
});
