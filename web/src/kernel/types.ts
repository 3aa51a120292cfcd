/** Shapes of the API answers shared by several modules (see server/src/modules/*\/*.schema.ts). */

export type Role = 'county_admin' | 'township_staff' | 'village_worker' | 'provider_admin' | 'caregiver' | 'assessor' | 'inspector' | 'volunteer' | 'family';

export interface Bilingual {
  zh: string;
  en: string;
}

export interface RegionRef {
  code: string;
  name: string;
  level: number;
}

export interface Me {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  roleLabel: Bilingual;
  regionCode: string;
  regionName: string;
  regionPath: RegionRef[];
  countyCode: string;
  providerId: string | null;
  mustChangePassword: boolean;
}

export interface Session {
  user: Me;
  csrfToken: string;
}

export interface ModuleInfo {
  key: string;
  zh: string;
  en: string;
  group: 'work' | 'admin' | string;
  status: 'ready' | 'planned' | string;
  note?: string;
}

export interface Meta {
  modules: ModuleInfo[];
  roles: ({ code: Role } & Bilingual)[];
  categories: ({ code: string } & Bilingual)[];
}

export interface Page<T> {
  items: T[];
  total: number;
  /** Set when counting stopped at the cap: show "total+". */
  totalCapped?: boolean;
  page: number;
  pageSize: number;
}

export interface Region {
  code: string;
  name: string;
  level: number;
  parentCode: string | null;
  countyCode: string;
  urbanRuralCode: string | null;
  kind: string | null;
  validFrom: string;
  validTo: string | null;
  childCount: number;
}

export interface RegionDetail extends Region {
  path: RegionRef[];
}

/** Level of a 12-digit statistical region code: 1 province … 5 village (as the server computes it). */
export function regionLevel(code: string): number {
  if (!/^\d{12}$/.test(code)) return 0;
  if (code.slice(2) === '0000000000') return 1;
  if (code.slice(4) === '00000000') return 2;
  if (code.slice(6) === '000000') return 3;
  if (code.slice(9) === '000') return 4;
  return 5;
}

/** Significant digits of a code at each level. */
export const SIGNIFICANT: Record<number, number> = { 1: 2, 2: 4, 3: 6, 4: 9, 5: 12 };
