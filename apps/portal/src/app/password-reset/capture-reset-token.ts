import { PORTAL_ROUTES } from '@account-recovery/contracts';

/** The parts of `window` the capture touches; tests pass a fake. */
export interface CaptureWindow {
  readonly location: Pick<Location, 'pathname'>;
  readonly history: Pick<History, 'replaceState' | 'state'>;
}

/**
 * Runs in `main.ts` before Angular boots: when the page was opened at
 * `<routeBase>reset-password/<token>`, replaces the address with `<routeBase>reset-password` (dropping
 * any query and fragment too) and returns the token, so that nothing loaded afterwards (the
 * router, lazy chunks, their Referer, the history entry, a screenshot of the address bar)
 * sees it. Returns null for every other address and leaves it alone. `routeBase` is the
 * router's `APP_BASE_HREF`.
 */
export function captureResetTokenFromUrl(win: CaptureWindow, routeBase: string): string | null {
  // The routes' base, not the document's: a language's build has <base href="/<locale>/"> for
  // its files while its routes stay at the same addresses in every language.
  const basePath = routeBase.replace(/\/?$/, '/');
  const routePrefix = `${basePath}${PORTAL_ROUTES.resetPassword}/`;
  const path = win.location.pathname;
  if (!path.startsWith(routePrefix)) return null;
  win.history.replaceState(win.history.state, '', `${basePath}${PORTAL_ROUTES.resetPassword}`);
  const segment = path.slice(routePrefix.length).split('/')[0] ?? '';
  if (segment === '') return null;
  try {
    return decodeURIComponent(segment);
  } catch {
    // Malformed escapes: still a (bad) token; the API will call it invalid.
    return segment;
  }
}
