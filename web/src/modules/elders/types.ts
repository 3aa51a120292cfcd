/** Shapes of the elders API (server/src/modules/elders/elders.schema.ts, assessments.schema.ts). */
import type { Role } from '../../kernel/types';

export interface Ability {
  standard: string;
  level: number;
  levelName: string;
  validUntil: string | null;
}

export interface ElderListItem {
  id: string;
  name: string;
  idNumber: string | null;
  sex: 'M' | 'F';
  age: number;
  regionCode: string;
  regionName: string | null;
  townshipName: string | null;
  phone: string | null;
  status: string;
  categories: string[];
  ability: Ability | null;
}

export interface CategoryRecord {
  id: string;
  category: string;
  validFrom: string;
  validTo: string | null;
  sourceDoc: string | null;
  endReason: string | null;
}

export interface Contact {
  id: string;
  name: string;
  relation: string;
  phone: string | null;
  hasAccount: boolean;
}

export interface ElderDetail extends ElderListItem {
  birthDate: string;
  address: string | null;
  livingArrangement: string | null;
  hukouRegionCode: string | null;
  deathDate: string | null;
  masked: boolean;
  categoryRecords: CategoryRecord[];
  contacts: Contact[];
}

export interface HistoryItem {
  at: string | null;
  date: string | null;
  kind: string;
  source: 'event' | 'audit';
  detail: unknown;
  actorName: string | null;
}

export interface RowError {
  row: number;
  column: string;
  message: string;
  messageEn: string;
}

export interface ImportReport {
  mode: string;
  total: number;
  imported: number;
  rejected: number;
  committed: boolean;
  errors: RowError[];
}

export interface ImportJob {
  id: string;
  kind: string;
  mode: string;
  fileName: string | null;
  status: 'running' | 'done' | 'failed';
  total: number;
  processed: number;
  report: (ImportReport & { error?: string }) | null;
}

export interface DueItem {
  elderId: string;
  name: string;
  sex: string;
  age: number;
  regionCode: string;
  regionName: string | null;
  townshipName: string | null;
  standard: string | null;
  finalLevel: number | null;
  referenceDate: string | null;
  validUntil: string | null;
  reassessRequestedAt: string | null;
  dueStatus: string;
}

/** A 409 LIKELY_DUPLICATE lists these (masked). */
export interface DuplicateMatch {
  id: string;
  idNumber: string | null;
  regionCode: string;
  name: string;
}

/** Mobile (11 digits) or landline, as the server checks it. */
export const PHONE = /^(1\d{10}|0\d{2,3}-?\d{7,8})$/;

export const AGE_BANDS = ['60-69', '70-79', '80-89', '90-99', '100+'] as const;
export const STATUSES = ['active', 'deceased', 'moved_out'] as const;
export const STATUS_COLORS: Record<string, string> = { active: 'green', deceased: 'default', moved_out: 'orange' };
export const LIVING_CODES = ['alone', 'spouse', 'children', 'spouse_children', 'others', 'institution'] as const;
export const EVENT_KINDS = ['death', 'move_out', 'move_in', 'residence_change', 'health_change'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
export const DUE_KINDS = ['immediate', 'overdue', 'due_soon', 'never', 'no_valid_80'] as const;
export const DUE_COLORS: Record<string, string> = { immediate: 'magenta', overdue: 'red', due_soon: 'orange', never: 'default', valid: 'green' };
export const ABILITY_LEVELS = [0, 1, 2, 3, 4] as const;
export const STANDARD_CODES = ['GB/T 42195-2022', 'MZ/T 039-2013'] as const;

/** Who may register and change records (server: STAFF), and who may record assessments. */
export const WRITER_ROLES: Role[] = ['county_admin', 'township_staff', 'village_worker'];
export const ASSESSOR_ROLES: Role[] = [...WRITER_ROLES, 'assessor'];
