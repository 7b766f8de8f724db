import {
  DEFAULT_LOCALE,
  isLocale,
  isRtl,
  LOCALE_COOKIE,
  LOCALE_NAMES,
  LOCALES,
  type Locale,
} from '@account-recovery/contracts';

import { DOCUMENT } from '@angular/common';
import { inject, InjectionToken } from '@angular/core';

/**
 * The language this build of the portal is in. Each locale is its own build (Angular's
 * `localize`, docs/architecture.md §12): the build writes its code into `$localize.locale`;
 * an unlocalized development build has none and is English, the source language.
 */
export function buildLocale(): Locale {
  const locale: unknown = typeof $localize === 'undefined' ? undefined : $localize.locale;
  return isLocale(locale) ? locale : DEFAULT_LOCALE;
}

/**
 * Where the routes start (the router's `APP_BASE_HREF`), in every language: each language's
 * build has `<base href="/<locale>/">` for its files, but `/login` and the emailed
 * `/reset-password/<token>` are the same addresses in all of them.
 */
export const ROUTE_BASE = '/';

/** Every language as a menu lists it: its code and its name in itself. */
export const LANGUAGE_OPTIONS: readonly { code: Locale; name: string }[] = LOCALES.map((code) => ({
  code,
  name: LOCALE_NAMES[code],
}));

export const PORTAL_LOCALE = new InjectionToken<Locale>('PORTAL_LOCALE', {
  providedIn: 'root',
  factory: buildLocale,
});

/** `lang` and `dir` of the whole page, before anything renders (Arabic reads right to left). */
export function applyDocumentLocale(document: Document, locale: Locale): void {
  document.documentElement.lang = locale;
  document.documentElement.dir = isRtl(locale) ? 'rtl' : 'ltr';
}

/** A year: the choice outlives the session, like a browser's own language setting. */
const COOKIE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

/**
 * Remembers a language for this browser in the cookie the static server reads before it
 * picks which build's `index.html` to answer with (nginx, `npm start`, the browser suite).
 * It is a preference, not a secret, and must reach the server on the very first request of
 * the next visit, so a cookie and not the in-memory state the session uses.
 */
export function rememberLocale(document: Document, locale: Locale): void {
  const secure = document.location.protocol === 'https:' ? '; Secure' : '';
  // eslint-disable-next-line no-restricted-properties -- a language preference, no secret
  document.cookie = `${LOCALE_COOKIE}=${locale}; Path=/; Max-Age=${COOKIE_MAX_AGE_SECONDS}; SameSite=Lax${secure}`;
}

/**
 * Loads the page again at `address` (same origin), replacing the current history entry: how
 * the language menu gets the other language's build. Written as replaceState + reload rather
 * than `location.replace`, which would not reload when only the fragment differs (a reset in
 * progress is carried in the fragment). A token in the seam for specs: jsdom cannot navigate.
 */
export const LOAD_PAGE = new InjectionToken<(address: string) => void>('LOAD_PAGE', {
  providedIn: 'root',
  factory: () => {
    const { history, location } = inject(DOCUMENT).defaultView ?? window;
    return (address) => {
      history.replaceState(history.state, '', address);
      location.reload();
    };
  },
});
