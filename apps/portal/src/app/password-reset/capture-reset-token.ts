import { PORTAL_ROUTES } from '@account-recovery/contracts';

/** The parts of `window` the capture touches; tests pass a fake. */
export interface CaptureWindow {
  readonly location: Pick<Location, 'pathname' | 'hash'>;
  readonly history: Pick<History, 'replaceState' | 'state'>;
}

/**
 * Runs in `main.ts` before Angular boots: when the page was opened at
 * `<routeBase>reset-password/<token>` (the emailed link) or `<routeBase>reset-password#<token>`
 * (the language menu's reload), replaces the address with `<routeBase>reset-password` (dropping
 * any query and fragment too) and returns the token, so that nothing loaded afterwards (the
 * router, lazy chunks, their Referer, the history entry, a screenshot of the address bar)
 * sees it. Returns null for every other address and leaves it alone. `routeBase` is the
 * router's `APP_BASE_HREF`.
 */
export function captureResetTokenFromUrl(win: CaptureWindow, routeBase: string): string | null {
  // The routes' base, not the document's: a language's build has <base href="/<locale>/"> for
  // its files while its routes stay at the same addresses in every language.
  const page = `${routeBase.replace(/\/?$/, '/')}${PORTAL_ROUTES.resetPassword}`;
  const path = win.location.pathname;
  // The language menu reloads a reset in progress as `/reset-password#<token>`: a fragment is
  // never sent to a server, so the token stays out of request lines and their logs.
  const fragment = win.location.hash.slice(1);
  if (path === page && fragment !== '') {
    win.history.replaceState(win.history.state, '', page);
    return decodeToken(fragment);
  }
  if (!path.startsWith(`${page}/`)) return null;
  win.history.replaceState(win.history.state, '', page);
  const segment = path.slice(page.length + 1).split('/')[0] ?? '';
  return segment === '' ? null : decodeToken(segment);
}

function decodeToken(escaped: string): string {
  try {
    return decodeURIComponent(escaped);
  } catch {
    // Malformed escapes: still a (bad) token; the API will call it invalid.
    return escaped;
  }
}
