import { PORTAL_ROUTES } from '@account-recovery/contracts';

/** The query parameter of the sign-in page that names where to go once signed in. */
export const RETURN_URL_PARAM = 'returnUrl';

/**
 * Where to go after signing in: a path of this portal, never another origin (`//evil.example`,
 * `/\evil.example` and `https://…` would make the sign-in page an open redirect).
 */
export function safeReturnUrl(value: string | null | undefined): string {
  const home = `/${PORTAL_ROUTES.home}`;
  if (typeof value !== 'string' || !value.startsWith('/')) return home;
  if (value.startsWith('//') || value.startsWith('/\\')) return home;
  // The sign-in page itself would only loop.
  if (value === `/${PORTAL_ROUTES.login}` || value.startsWith(`/${PORTAL_ROUTES.login}?`)) {
    return home;
  }
  return value;
}

/** `reason=reauth`: the page sent the person back because their sign-in was too old. */
export const SIGN_IN_REASON_PARAM = 'reason';
export const REAUTH_REASON = 'reauth';
