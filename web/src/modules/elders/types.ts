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
}

export interface ElderDetail extends ElderListItem {
  birthDate: string;
  address: string | null;
  livingArrangement: string | null;
  hukouRegionCode: string | null;
  deathDate: string | null;
  masked: boolean;
}

export const AGE_BANDS = ['60-69', '70-79', '80-89', '90-99', '100+'] as const;
export const STATUSES = ['active', 'deceased', 'moved_out'] as const;
export const STATUS_COLORS: Record<string, string> = { active: 'green', deceased: 'default', moved_out: 'orange' };
