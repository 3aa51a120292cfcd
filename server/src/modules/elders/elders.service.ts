/** Registry use cases: register, correct, life events, categories. Rules live here once. */
import { pinyin } from 'pinyin-pro';
import { sql, type Executor } from '../../kernel/db.js';
import { AppError, badRequest, conflict, notFound } from '../../kernel/errors.js';
import { parseIdNumber, type IdProblem } from '../../kernel/idnumber.js';
import { countyToday } from '../../kernel/dates.js';
import { maskIdNumber, maskName } from '../../kernel/mask.js';
import type { Principal } from '../../kernel/principal.js';
import { getSetting } from '../../kernel/settings.js';
import { regionLevel } from '../../kernel/scope.js';
import { regionsRepo } from '../regions/index.js';
import { eldersRepo } from './elders.repository.js';
import { registryRepo } from './elders.registry.repository.js';
import type { z } from 'zod';
import type { CreateElderBody, EventBody, UpdateElderBody } from './elders.schema.js';

export const ID_PROBLEMS: Record<IdProblem, { zh: string; en: string }> = {
  format: { zh: '身份证号格式不正确（18位，末位可为X；或15位旧号）', en: 'the ID number must have 18 characters (last may be X) or be an old 15-digit number' },
  check_digit: { zh: '身份证号校验位错误', en: 'the ID number check digit is wrong' },
  birth_date: { zh: '身份证号中的出生日期不存在或不合理', en: 'the birth date in the ID number is impossible' },
  province: { zh: '身份证号地址码无效', en: 'the ID number address code is invalid' },
};

/** Today in the county (the database session uses the same zone for current_date). */
export const today = (): string => countyToday();

export function ageAt(birthDate: string, at: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = at.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export function namePinyin(name: string): { full: string; initials: string } {
  const parts = pinyin(name, { toneType: 'none', type: 'array', surname: 'head' }).map((p) => p.replace('ü', 'v').toLowerCase());
  return { full: parts.join(''), initials: parts.map((p) => p[0] ?? '').join('') };
}

/** Checks an ID number and the elder's age; returns birth date and sex derived from it. */
export async function checkIdentity(tx: Executor, countyCode: string, idNumber: string, at = today()) {
  const minYear = await getSetting(tx, countyCode, 'registry.minBirthYear');
  const p = parseIdNumber(idNumber, at, minYear);
  if (!p.ok) throw badRequest('INVALID_ID_NUMBER', ID_PROBLEMS[p.problem].zh, ID_PROBLEMS[p.problem].en, { field: 'idNumber', problem: p.problem });
  const minAge = await getSetting(tx, countyCode, 'registry.minAge');
  if (ageAt(p.value.birthDate, at) < minAge)
    throw badRequest('TOO_YOUNG', `登记对象须年满${minAge}周岁`, `elders must be at least ${minAge} years old`, { field: 'idNumber' });
  return p.value;
}

export async function checkVillage(tx: Executor, code: string) {
  const r = await regionsRepo.get(tx, code);
  if (!r || regionLevel(code) !== 5)
    throw badRequest('UNKNOWN_VILLAGE', `村（社区）代码 ${code} 不存在或不在您的辖区`, `village/community ${code} does not exist or is outside your area`, {
      field: 'regionCode',
    });
  return r;
}

export async function createElder(tx: Executor, p: Principal, b: z.infer<typeof CreateElderBody>) {
  await checkVillage(tx, b.regionCode);
  const county = b.regionCode.slice(0, 6);
  const id = await checkIdentity(tx, county, b.idNumber);
  const dupe = await tx.one<{ id: string }>(sql`select id::text as id from elders where county_code = ${county} and id_number = ${id.idNumber}`);
  if (dupe) throw conflict('DUPLICATE_ID', '该身份证号已登记', 'this ID number is already registered', { elderId: dupe.id });
  const likely = await registryRepo.likelyDuplicates(tx, county, b.name, id.birthDate, id.idNumber);
  if (likely.length && !b.confirmDuplicate)
    throw conflict(
      'LIKELY_DUPLICATE',
      '发现姓名和出生日期相同的老年人，请核实后确认登记',
      'an elder with the same name and birth date exists; check, then confirm',
      {
        matches: likely.map((m) => ({
          id: m.id,
          idNumber: maskIdNumber(m.id_number),
          regionCode: m.region_code,
          regionName: m.region_name,
          townshipName: m.township_name,
          name: maskName(b.name),
        })),
      },
    );
  const py = namePinyin(b.name);
  for (const c of b.categories)
    if (c.validFrom < id.birthDate) throw badRequest('BAD_DATE', '类别起始日期早于出生日期', 'a category cannot start before birth', { field: 'categories' });
  try {
    const row = await registryRepo.insertElder(tx, {
      countyCode: county,
      regionCode: b.regionCode,
      hukouRegionCode: b.hukouRegionCode ?? null,
      idNumber: id.idNumber,
      name: b.name,
      namePinyin: py.full,
      nameInitials: py.initials,
      sex: id.sex,
      birthDate: id.birthDate,
      phone: b.phone ?? null,
      address: b.address ?? null,
      lat: b.lat ?? null,
      lng: b.lng ?? null,
      livingArrangement: b.livingArrangement ?? null,
    });
    for (const c of b.categories) await registryRepo.insertCategory(tx, row!.id, b.regionCode, c);
    for (const c of b.contacts) await registryRepo.insertContact(tx, row!.id, b.regionCode, c);
    await registryRepo.insertEvent(tx, { elderId: row!.id, regionCode: b.regionCode, kind: 'registered', date: today(), userId: p.userId });
    return row!.id;
  } catch (e) {
    // Registered in a township the user cannot see: the unique key still tells.
    if ((e as { cause?: { code?: string } }).cause?.code === '23505')
      throw conflict(
        'DUPLICATE_ID',
        '该身份证号已在本县其他乡镇登记，请联系县级管理员办理迁移',
        'this ID number is registered in another township of the county; ask the county admin to transfer the record',
      );
    throw e;
  }
}

export async function loadElder(tx: Executor, id: string) {
  const e = await eldersRepo.get(tx, id);
  if (!e) throw notFound('老年人', 'elder');
  return e;
}

export async function updateElder(tx: Executor, id: string, b: z.infer<typeof UpdateElderBody>) {
  const fields: Record<string, unknown> = { ...b };
  if (b.name) {
    const py = namePinyin(b.name);
    fields.namePinyin = py.full;
    fields.nameInitials = py.initials;
  }
  await registryRepo.update(tx, id, fields);
}

/** A dated life event: status, dates and categories follow, other modules read the event. */
export async function recordEvent(tx: Executor, p: Principal, id: string, b: z.infer<typeof EventBody>) {
  const e = await loadElder(tx, id);
  if (b.date > today()) throw badRequest('FUTURE_DATE', '事件日期不能晚于今天', 'the event date cannot be in the future', { field: 'date' });
  if (b.date < e.birth_date) throw badRequest('BAD_DATE', '事件日期早于出生日期', 'the event date is before birth', { field: 'date' });
  const alive = e.status === 'active';
  const wrongState = (zh: string, en: string) => new AppError(409, 'WRONG_STATE', zh, en);
  switch (b.kind) {
    case 'death':
      if (e.status === 'deceased') throw wrongState('该老年人已登记死亡', 'this elder is already recorded as deceased');
      await registryRepo.setStatus(tx, id, { status: 'deceased', deathDate: b.date });
      await registryRepo.endAllCategories(tx, id, b.date, '死亡');
      break;
    case 'move_out':
      if (!alive) throw wrongState('只有在册老年人可迁出', 'only a registered, living elder can move out');
      await registryRepo.setStatus(tx, id, { status: 'moved_out', movedOutDate: b.date });
      await registryRepo.endAllCategories(tx, id, b.date, '迁出');
      break;
    case 'move_in':
      if (e.status !== 'moved_out') throw wrongState('只有已迁出的老年人可迁回', 'only an elder who moved out can move back in');
      await registryRepo.setStatus(tx, id, { status: 'active', movedInDate: b.date });
      break;
    case 'residence_change': {
      if (!alive) throw wrongState('只有在册老年人可变更居住地', 'only a registered, living elder can change residence');
      if (!b.regionCode) throw badRequest('REGION_REQUIRED', '请填写新的居住村（社区）', 'give the new village/community', { field: 'regionCode' });
      if (b.regionCode === e.region_code) throw badRequest('SAME_REGION', '新居住地与原居住地相同', 'the new residence is the same as the old one');
      await checkVillage(tx, b.regionCode);
      await registryRepo.moveResidence(tx, id, b.regionCode);
      break;
    }
    case 'health_change':
      if (!alive) throw wrongState('只有在册老年人可申请即时评估', 'only a registered, living elder can be reassessed');
      await registryRepo.requestReassessment(tx, id, b.date);
      break;
  }
  const region = b.kind === 'residence_change' ? b.regionCode! : e.region_code;
  await registryRepo.insertEvent(tx, {
    elderId: id,
    regionCode: region,
    kind: b.kind,
    date: b.date,
    detail: { note: b.note ?? null, from: b.kind === 'residence_change' ? e.region_code : undefined, to: b.regionCode },
    sourceDoc: b.sourceDoc,
    userId: p.userId,
  });
  return { before: e, region };
}

export async function addCategory(tx: Executor, p: Principal, id: string, c: { category: string; validFrom: string; sourceDoc?: string | null }) {
  const e = await loadElder(tx, id);
  if (e.status !== 'active') throw new AppError(409, 'WRONG_STATE', '只有在册老年人可新增类别', 'only a registered, living elder can get a category');
  if (await registryRepo.openCategory(tx, id, c.category))
    throw conflict('CATEGORY_OPEN', '该类别已在有效期内，请先结束原记录', 'this category is already open; end it first');
  if (c.validFrom < e.birth_date) throw badRequest('BAD_DATE', '类别起始日期早于出生日期', 'a category cannot start before birth');
  const row = await registryRepo.insertCategory(tx, id, e.region_code, c);
  await registryRepo.insertEvent(tx, {
    elderId: id,
    regionCode: e.region_code,
    kind: 'category_start',
    date: c.validFrom,
    detail: { category: c.category },
    sourceDoc: c.sourceDoc,
    userId: p.userId,
  });
  return { elder: e, categoryId: row!.id };
}

export async function endCategory(tx: Executor, p: Principal, id: string, categoryId: string, validTo: string, reason: string) {
  const e = await loadElder(tx, id);
  const ended = await registryRepo.endCategory(tx, id, categoryId, validTo, reason);
  if (!ended)
    throw badRequest('CANNOT_END', '类别不存在、已结束，或结束日期早于起始日期', 'the category does not exist, has ended, or would end before it started');
  await registryRepo.insertEvent(tx, {
    elderId: id,
    regionCode: e.region_code,
    kind: 'category_end',
    date: validTo,
    detail: { category: ended.category, reason },
    userId: p.userId,
  });
  return { elder: e, ended };
}
