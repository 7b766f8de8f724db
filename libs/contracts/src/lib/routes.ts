/**
 * Portal route paths. The API builds the emailed links from these same constants,
 * so the link in an email and the Angular route it opens cannot drift apart.
 */
export const PORTAL_ROUTES = {
  home: '',
  login: 'login',
  forgotPassword: 'forgot-password',
  /** `/reset-password/:token` opens the page; the page then replaces the URL with `/reset-password`. */
  resetPassword: 'reset-password',
  /** The staff area (a lazy chunk, only for staff); its pages are `STAFF_ROUTES` below it. */
  staff: 'admin',
} as const;

/** The staff area's pages, below `PORTAL_ROUTES.staff`: people search is its own start. */
export const STAFF_ROUTES = {
  people: '',
  /** `people/:id`: one person's status, events and the help desk's actions. */
  person: 'people',
  reports: 'reports',
} as const;

export const STAFF_PERSON_ROUTE_PARAM = 'id';

export const RESET_TOKEN_ROUTE_PARAM = 'token';

/**
 * The link a person receives by email. Built with the URL API from the configured portal
 * base, never from a request's Host header. Keeps any path prefix of the base
 * (`https://example.com/account/` → `https://example.com/account/reset-password/…`).
 */
export function buildResetPasswordLink(portalUrl: string, token: string): string {
  const base = new URL(portalUrl);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  return new URL(`${PORTAL_ROUTES.resetPassword}/${encodeURIComponent(token)}`, base).toString();
}
