/** Masks for personal data shown in lists. Unmasked values are only returned by reveal
 * endpoints, which write an audit entry with the reason. */
export const maskIdNumber = (v: string | null | undefined) =>
  v ? (v.length === 18 ? `${v.slice(0, 6)}********${v.slice(14)}` : v.replace(/.(?=.{4})/g, '*')) : null;
export const maskPhone = (v: string | null | undefined) => (v ? v.replace(/^(\d{3})\d+(\d{4})$/, '$1****$2') : null);
/** 张三丰 → 张*丰, 李四 → 李*. */
export const maskName = (v: string | null | undefined) => (v ? (v.length <= 2 ? v[0] + '*' : v[0] + '*'.repeat(v.length - 2) + v.at(-1)) : null);
export const maskAddress = (v: string | null | undefined) => (v ? (v.length > 6 ? v.slice(0, 6) + '****' : '****') : null);
