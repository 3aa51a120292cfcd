import { describe, expect, it } from 'vitest';
import { inScope, parentCode, regionLevel, scopeOf, townshipKind, villageKind } from './scope.js';
import { checkChar, makeIdNumber, parseIdNumber } from './idnumber.js';
import { maskIdNumber, maskName, maskPhone } from './mask.js';
import { redact } from './audit.js';
import { iso } from './http.js';
import { countyToday } from './dates.js';
import { arr, compileSql, inlined, sql, toQuery } from './db.js';
import { PgDialect } from 'drizzle-orm/pg-core';

describe('region scope ranges', () => {
  it('covers exactly the region and what lies below it', () => {
    const t = scopeOf('370124001000');
    expect(t).toMatchObject({ lo: '370124001000', hi: '370124001999' });
    expect(inScope(t, '370124001205')).toBe(true);
    expect(inScope(t, '370124002001')).toBe(false);
    expect(inScope(t, '370124000000')).toBe(false);
    expect(scopeOf('370124000000')).toMatchObject({ lo: '370124000000', hi: '370124999999' });
    expect(scopeOf('370000000000')).toMatchObject({ lo: '370000000000', hi: '379999999999' });
    expect(scopeOf('370124001001')).toMatchObject({ lo: '370124001001', hi: '370124001001' });
  });
  it('derives level, parent and kinds from the code (GB/T 10114)', () => {
    expect([370000000000, 370100000000, 370124000000, 370124100000, 370124100201].map((c) => regionLevel(String(c)))).toEqual([1, 2, 3, 4, 5]);
    expect(parentCode('370124100201')).toBe('370124100000');
    expect(parentCode('370124100000')).toBe('370124000000');
    expect(parentCode('370000000000')).toBeNull();
    expect(townshipKind('370124001000')).toBe('street');
    expect(townshipKind('370124100000')).toBe('town');
    expect(townshipKind('370124200000')).toBe('township');
    expect(villageKind('370124100001')).toBe('community');
    expect(villageKind('370124100201')).toBe('village');
  });
});

describe('GB 11643 ID numbers', () => {
  it('accepts the standard vectors and derives birth date and sex', () => {
    expect(parseIdNumber('11010519491231002X')).toEqual({ ok: true, value: { idNumber: '11010519491231002X', birthDate: '1949-12-31', sex: 'F' } });
    expect(parseIdNumber('440524188001010014', '2026-11-22', 1800).ok).toBe(true);
    expect(parseIdNumber('440524188001010014')).toEqual({ ok: false, problem: 'birth_date' });
    expect(parseIdNumber('34052419800101001x')).toMatchObject({ ok: true, value: { idNumber: '34052419800101001X', sex: 'M' } });
  });
  it('rejects wrong check digits, impossible dates and bad formats', () => {
    expect(parseIdNumber('340524198001010013')).toEqual({ ok: false, problem: 'check_digit' });
    expect(parseIdNumber(`370124194502300${'01'}` + checkChar('37012419450230001'))).toEqual({ ok: false, problem: 'birth_date' });
    expect(parseIdNumber('12345')).toEqual({ ok: false, problem: 'format' });
    expect(parseIdNumber(makeIdNumber('370124', '2199-01-01', 1), '2026-11-22')).toEqual({ ok: false, problem: 'birth_date' });
  });
  it('converts 15-digit numbers', () => {
    expect(parseIdNumber('130503670401001')).toMatchObject({ ok: true, value: { idNumber: '130503196704010016', birthDate: '1967-04-01', sex: 'M' } });
    expect(parseIdNumber('130503671301001')).toEqual({ ok: false, problem: 'birth_date' });
  });
});

describe('masking and redaction', () => {
  it('masks personal data the way lists show it', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskName('张三丰')).toBe('张*丰');
    expect(maskName('李四')).toBe('李*');
  });
  it('never writes secrets into audit images', () => {
    expect(redact({ a: 1, password: 'x', nested: [{ passwordHash: 'y', ok: 2 }] })).toEqual({
      a: 1,
      password: '[redacted]',
      nested: [{ passwordHash: '[redacted]', ok: 2 }],
    });
  });
  it('presents PostgreSQL timestamps as ISO 8601', () => {
    expect(iso('2026-11-22 22:26:18.123+08')).toBe('2026-11-22T14:26:18.123Z');
    expect(iso('2026-11-22 14:26:18+00')).toBe('2026-11-22T14:26:18.000Z');
    expect(iso(null)).toBeNull();
  });
});

describe('Excel reading keeps Chinese text whole', () => {
  it('decodes characters split across stream chunks (exceljs #2063)', async () => {
    const { default: ExcelJS } = await import('./excel.js');
    const { Readable } = await import('node:stream');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名册');
    const line = '山东省济南市平阴县榆山街道东关社区幸福路老年人居住地址测试文字'.repeat(4);
    for (let i = 0; i < 3000; i++) ws.addRow([`${i}号`, `${line}${i}`]); // distinct strings: unpatched exceljs garbles ~47 of these
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(buf), { sharedStrings: 'cache', worksheets: 'emit' });
    let bad = 0;
    let rows = 0;
    for await (const sheet of reader)
      for await (const row of sheet) {
        rows++;
        if (String(row.getCell(2).value).includes('\uFFFD')) bad++;
      }
    expect(rows).toBe(3000);
    expect(bad).toBe(0);
  });
});

describe('the county date', () => {
  it("is the county's calendar day, not the process's: month ends included", () => {
    // 2026-01-31 16:30 UTC is already 1 February in Shanghai; 15:59 UTC is still 31 January.
    expect(countyToday(new Date('2026-01-31T16:30:00Z'), 'Asia/Shanghai')).toBe('2026-02-01');
    expect(countyToday(new Date('2026-01-31T15:59:59Z'), 'Asia/Shanghai')).toBe('2026-01-31');
    expect(countyToday(new Date('2026-12-31T16:00:00Z'), 'Asia/Shanghai')).toBe('2027-01-01');
    expect(countyToday(new Date('2026-01-31T16:30:00Z'), 'UTC')).toBe('2026-01-31');
    // Answers are kept for the second: the last millisecond of a day and the first of the next.
    expect(countyToday(new Date('2026-02-28T15:59:59.000Z'), 'Asia/Shanghai')).toBe('2026-02-28');
    expect(countyToday(new Date('2026-02-28T15:59:59.999Z'), 'Asia/Shanghai')).toBe('2026-02-28');
    expect(countyToday(new Date('2026-02-28T16:00:00.000Z'), 'Asia/Shanghai')).toBe('2026-03-01');
    expect(countyToday(new Date('2026-02-28T16:00:00.000Z'), 'UTC')).toBe('2026-02-28');
  });
});

describe('statement compiler (compileSql) against drizzle', () => {
  const drizzle = new PgDialect();
  it('builds the same text and parameters as drizzle for nested fragments, values, joins and sql.param', () => {
    const inner = sql`x.a = ${"it's"} and x.b = ${42}`;
    const qs = [
      sql`select 1`,
      sql`select ${null}::int, ${true}, ${1.5}, ${10n}::bigint`,
      sql`select * from t x where ${inner} and x.c = any (${arr(['a', 'b'])}::text[]) and ${sql.join([sql`p = ${1}`, sql`q = ${2}`], sql` or `)}`,
      sql`with u as (${sql`update t set v = ${'v'} where id = ${'i'} returning *`}) select ${sql.raw('u.id')} from u where ${undefined} true`,
    ];
    for (const q of qs) {
      const fast = compileSql(q);
      expect(fast).toBeDefined();
      expect(fast).toEqual({ sql: drizzle.sqlToQuery(q).sql, params: drizzle.sqlToQuery(q).params });
    }
  });
  it('leaves to drizzle what it does not handle, and the result is still drizzle’s', () => {
    const qs = [sql`select ${[1, 2]}`, sql`select ${new Date(0)}`, sql`select ${sql.placeholder('p')}`, sql`select ${sql`${'a'}`.inlineParams()}`];
    for (const q of qs) {
      expect(compileSql(q)).toBeUndefined();
      expect(toQuery(q)).toEqual(drizzle.sqlToQuery(q));
    }
  });
  it('inlines literals as drizzle does, quotes doubled, and refuses values that cannot be literals', () => {
    const q = sql`insert into t values (${"O'Brien"}, ${null}, ${3}, ${false}, ${sql`${'nested'}`})`;
    expect(inlined(q)).toBe(`insert into t values ('O''Brien', null, 3, false, 'nested')`);
    expect(inlined(q)).toBe(drizzle.sqlToQuery(sql`${q}`.inlineParams()).sql);
    expect(() => inlined(sql`select ${arr([1])}`)).toThrow(/cannot be inlined/);
    expect(() => inlined(sql`select ${Number.NaN}`)).toThrow(/cannot be inlined/);
  });
});
