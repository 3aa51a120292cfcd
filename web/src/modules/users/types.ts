import type { Role } from '../../kernel/types';

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  regionCode: string;
  regionName: string | null;
  providerId: string | null;
  phone: string | null;
  status: 'active' | 'disabled';
  locked: boolean;
  lastLoginAt: string | null;
  createdAt: string | null;
}

export const PROVIDER_ROLES: Role[] = ['provider_admin', 'caregiver'];
