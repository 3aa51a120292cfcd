/** Shapes of the facilities API (server/src/modules/facilities/facilities.schema.ts). */
export interface FacilityItem {
  id: string;
  name: string;
  kind: string;
  ownership: string;
  regionCode: string;
  regionName: string | null;
  townshipName: string | null;
  operatorName: string | null;
  functions: string[];
  status: string;
  openedOn: string | null;
  beds: number;
  nursingBeds: number;
  occupied: number;
  free: number;
  stars: number | null;
  admitsApplicants: boolean;
  affordable: boolean;
  smartCareHome: boolean;
}

export interface FacilityDetail extends FacilityItem {
  address: string | null;
  registeredOn: string | null;
  clinic: boolean;
  medicalPartner: string | null;
  medicalAgreementUntil: string | null;
  medicalLicensed: boolean;
  smartFire: boolean;
  smartGas: boolean;
  kitchenCamera: boolean;
  ratings: { id: string; stars: number; ratedOn: string; validUntil: string | null; note: string | null }[];
  occupancy: { month: string; beds: number; occupied: number }[];
  bedsByType: Record<string, number>;
}

export interface Bed {
  id: string;
  room: string;
  label: string;
  type: string;
  status: string;
  resident: { residentId: string; elderId: string; name: string; moveIn: string } | null;
}

export interface QueueEntry {
  applicationId: string;
  elderId: string;
  name: string;
  regionName: string | null;
  appliedOn: string;
  applicant: string;
  rank: number | null;
  standing: 'priority' | 'spare' | 'pending_assessment';
  classKey: string | null;
  reason: string;
  reasonEn: string;
  categories: string[];
  /** Null for an applicant outside the user's area (rank and masked name only). */
  age: number | null;
  ability: string | null;
  offer: { id: string; respondBy: string } | null;
  offerable: boolean;
}

export interface WaitingList {
  facilityId: string;
  facilityName: string;
  asOf: string;
  rule: { version: number; validFrom: string; note: string };
  beds: number;
  freeBeds: number;
  openOffers: number;
  entries: QueueEntry[];
}

export const MANAGER_ROLES = ['county_admin', 'township_staff'];
export const KINDS = [
  'county_center',
  'care_home',
  'township_center',
  'township_home',
  'daycare',
  'embedded_home',
  'happiness_home',
  'canteen',
  'assistive_rental',
  'senior_university',
] as const;
export const FUNCTIONS = ['full_care', 'day_care', 'home_visits', 'meals', 'medical', 'guidance', 'respite', 'rehab', 'learning', 'rental'] as const;
