/** Server errors placed on form fields. */
import type { FormInstance } from 'antd';
import type { ApiError } from '../../kernel/api';

/** Puts the server's field problems next to the fields named in `known` (top-level names);
 * returns false when some problem has no field to go to (the caller then shows the error). */
export function placeFieldErrors(form: FormInstance, err: ApiError, lang: string, known: readonly string[]): boolean {
  const en = lang.startsWith('en');
  const fields = err.problems.map((p) => ({
    name: p.path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)),
    errors: [en ? p.messageEn : p.message],
  }));
  const field = (err.details as { field?: string } | undefined)?.field;
  if (!fields.length && field) fields.push({ name: [field], errors: [err.text(lang)] });
  const placed = fields.filter((f) => known.includes(String(f.name[0])));
  if (placed.length) form.setFields(placed);
  return placed.length > 0 && placed.length === fields.length;
}
