/** Who may use the benefits routes, by role; region checks are in the services and row-level security. */
export const ADMIN = ['county_admin'] as const;
export const STAFF = ['county_admin', 'township_staff'] as const;
export const READERS = ['county_admin', 'township_staff', 'village_worker'] as const;
