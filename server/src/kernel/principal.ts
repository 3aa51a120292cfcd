import type { Role } from './roles.js';
import { NO_CAREGIVER, NO_REGION, scopeOf, type RegionScope } from './scope.js';

/** Who is calling: the signed-in user with the region their access is bound to. */
export interface Principal {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  regionCode: string;
  countyCode: string;
  providerId: string | null;
  /** A caregiver's active caregiver record (role caregiver only). */
  caregiverId?: string | null;
  sessionId: string;
  csrfToken: string;
  mustChangePassword: boolean;
}

export function principalScope(p: Principal): RegionScope {
  if (p.role === 'family') return { ...NO_REGION, userId: p.userId, family: true };
  const caregiverId = p.role === 'caregiver' ? (p.caregiverId ?? NO_CAREGIVER) : undefined;
  return scopeOf(p.regionCode, { userId: p.userId, providerId: p.providerId ?? undefined, caregiverId });
}
