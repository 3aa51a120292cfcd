import { fmtCents } from '../../kernel/format';

export interface Order {
  id: string;
  no: string;
  regionCode: string;
  regionName: string | null;
  elderId: string;
  elderName: string;
  elderPhone: string | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
  itemId: string;
  itemName: string;
  category: string;
  unit: string;
  quantity: number;
  durationMin: number;
  amountCents: number;
  govCents: number;
  copayCents: number;
  entitlement: { budgetCents: number; usedBeforeCents: number; availableCents: number; sources: { name: string; explanation: string }[] };
  date: string;
  time: string;
  note: string | null;
  channel: 'family' | 'staff' | 'elder';
  createdByName: string | null;
  status: string;
  providerId: string | null;
  providerName: string | null;
  caregiverName: string | null;
  checkinAt: string | null;
  checkinDistanceM: number | null;
  checkoutAt: string | null;
  flags: { code: string; label: string; labelEn: string }[];
  workDone: string | null;
  rating: number | null;
  ratingComment: string | null;
  overdue: 'unaccepted' | 'late' | null;
  /** Sent back to staff by the overdue sweep (需重新派单). */
  escalatedAt: string | null;
  escalation: 'timeout' | 'no_provider' | null;
  cancelReason: string | null;
  photoIds: string[];
  events?: { at: string | null; kind: string; actorName: string | null; reason: string | null }[];
}

export interface Item {
  id: string;
  code: string;
  category: string;
  categoryName: string;
  name: string;
  unit: string;
  priceCents: number;
  durationMin: number;
  skill: string | null;
  description: string | null;
  active: boolean;
}

export interface Menu {
  items: Item[];
  categories: Record<string, { zh: string; en: string }>;
  skills: Record<string, string>;
}

export interface Quote {
  amountCents: number;
  govCents: number;
  copayCents: number;
  availableCents: number;
  entitlement: { budgetCents: number; sources: { name: string; explanation: string }[] };
}

export interface Settlement {
  id: string;
  providerId: string;
  providerName: string | null;
  month: string;
  status: string;
  orderCount: number;
  govCents: number;
  copayCents: number;
  heldCount: number;
  heldGovCents: number;
  heldCopayCents: number;
  approvedAt: string | null;
  approvedByName: string | null;
  lines?: {
    orderId: string;
    orderNo: string;
    date: string;
    elderName: string;
    itemName: string;
    amountCents: number;
    govCents: number;
    copayCents: number;
    held: boolean;
    holdReasons: { code: string; label: string; labelEn: string }[];
  }[];
  reconciliation?: { ok: boolean };
}

export interface Provider {
  id: string;
  name: string;
  regionCode: string;
  regionName: string | null;
  creditCode: string | null;
  kind: string;
  status: string;
  qualifications: string[];
  serviceRegions: string[];
  contractNo: string | null;
  contractFrom: string | null;
  contractTo: string | null;
  rating: number;
  creditStatus: string;
  creditReason: string | null;
  contactPhone: string | null;
  address: string | null;
  caregivers: number;
  evaluatedAt: string | null;
}

export interface Certificate {
  /** The certificate's type, e.g. 养老护理员职业技能等级证书（四级）, 健康证. */
  name: string;
  no?: string | null;
  validUntil?: string | null;
}

export interface Caregiver {
  id: string;
  providerId: string;
  name: string;
  phone: string | null;
  skills: string[];
  certificates: Certificate[];
  status: string;
  username: string | null;
  openOrders: number;
}

export interface Complaint {
  id: string;
  orderId: string;
  orderNo: string;
  elderName: string;
  itemName: string;
  providerName: string | null;
  kind: string;
  content: string;
  status: string;
  filedByName: string | null;
  filedAt: string | null;
  handlerName: string | null;
  resolution: string | null;
  closedAt: string | null;
}

export const CREDIT_COLORS: Record<string, string> = { good: 'green', watch: 'orange', red: 'red', black: '#000' };

/** ¥1,280.00 from cents (the platform's one money format, kernel/format.ts). */
export const yuan = fmtCents;

export const STATUS_COLORS: Record<string, string> = {
  pending: 'orange',
  dispatched: 'gold',
  refused: 'red',
  accepted: 'blue',
  in_service: 'processing',
  completed: 'green',
  cancelled: 'default',
};
