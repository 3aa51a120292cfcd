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
  channel: 'family' | 'staff';
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
  regionName: string | null;
  qualifications: string[];
  serviceRegions: string[];
  contractNo: string | null;
  contractFrom: string | null;
  contractTo: string | null;
  rating: number;
  creditStatus: string;
  contactPhone: string | null;
  caregivers: number;
}

export const yuan = (cents: number | null | undefined) => (cents == null ? '—' : `¥${(cents / 100).toFixed(2)}`);

export const STATUS_COLORS: Record<string, string> = {
  pending: 'orange',
  dispatched: 'gold',
  refused: 'red',
  accepted: 'blue',
  in_service: 'processing',
  completed: 'green',
  cancelled: 'default',
};
