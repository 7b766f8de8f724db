import { PORTAL_ROUTES, STAFF_ROUTES } from '@account-recovery/contracts';

/** Router commands for the staff area's pages, from the route constants. */
export const staffPaths = {
  people: ['/', PORTAL_ROUTES.staff],
  reports: ['/', PORTAL_ROUTES.staff, STAFF_ROUTES.reports],
  person: (id: string): string[] => ['/', PORTAL_ROUTES.staff, STAFF_ROUTES.person, id],
} as const;
