/**
 * The languages the product speaks (emails now, the portal next), shared by API and portal.
 * Adding one: its code here, and its catalog (docs/architecture.md, "Locales").
 */
export const LOCALES = ['en', 'de', 'fr', 'es', 'ja', 'ar'] as const;
export type Locale = (typeof LOCALES)[number];

/**
 * Each language in itself, as a language menu lists it: a person who cannot read the page
 * they are on must still find their own language.
 */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = {
  en: 'English',
  de: 'Deutsch',
  fr: 'Français',
  es: 'Español',
  ja: '日本語',
  ar: 'العربية',
};

/** What `DEFAULT_LOCALE` falls back to when it is not configured. */
export const DEFAULT_LOCALE: Locale = 'en';

/** Written right to left: `dir="rtl"` on what shows them. */
export const RTL_LOCALES: ReadonlySet<Locale> = new Set<Locale>(['ar']);

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export function isRtl(locale: Locale): boolean {
  return RTL_LOCALES.has(locale);
}

/** Past this many ranges a header is ignored from there on: the work per request is bounded. */
const MAX_RANGES = 32;
/** RFC 4647 §2.1 language-range (the wildcard apart). */
const LANGUAGE_RANGE = /^[a-z]{1,8}(?:-[a-z0-9]{1,8})*$/i;
/** RFC 9110 §12.4.2 qvalue. */
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

interface WeightedRange {
  range: string;
  q: number;
}

/**
 * The ranges of an `Accept-Language` value (RFC 9110 §12.5.4), lower-cased, best first
 * (equal weights keep their order). Malformed elements are skipped, not fatal: a browser's
 * header is all we have, and a typo in one range should not lose the others.
 */
export function parseAcceptLanguage(header: string | null | undefined): WeightedRange[] {
  if (typeof header !== 'string') return [];
  const ranges: WeightedRange[] = [];
  for (const element of header.split(',').slice(0, MAX_RANGES)) {
    const [rawRange, ...params] = element.split(';').map((part) => part.trim());
    const range = rawRange.toLowerCase();
    if (range !== '*' && !LANGUAGE_RANGE.test(range)) continue;
    let q = 1;
    let valid = true;
    for (const param of params) {
      const match = /^q\s*=\s*(.*)$/i.exec(param);
      if (!match) continue; // an extension parameter: not ours to judge
      if (!QVALUE.test(match[1])) valid = false;
      else q = Number(match[1]);
    }
    if (valid) ranges.push({ range, q });
  }
  // Array.prototype.sort is stable: equal weights keep the header's order.
  return ranges.sort((a, b) => b.q - a.q);
}

/**
 * RFC 4647 §3.4 lookup over the ranges of an `Accept-Language` value: for each range, best
 * weight first, the range itself, then shorter and shorter prefixes of it (`de-CH-1996`,
 * `de-CH`, `de`; a single-letter subtag goes with what follows it), against the supported
 * tags, case-insensitively. The wildcard matches nothing here (lookup leaves it to the
 * default), and a tag the header names with `q=0` is never chosen. Null when nothing
 * matches: the caller decides what comes next (a user's locale, `DEFAULT_LOCALE`).
 *
 * Written here rather than taken from `@formatjs/intl-localematcher`: that library matches
 * a list of tags but does not read q-values, which is most of this; the truncation is a
 * few lines, and the contracts stay free of dependencies the portal would also ship.
 */
export function lookupLocale<L extends string>(
  acceptLanguage: string | null | undefined,
  supported: readonly L[],
): L | null {
  const ranges = parseAcceptLanguage(acceptLanguage);
  const refused = new Set(ranges.filter((r) => r.q === 0).map((r) => r.range));
  const byLowerCase = new Map(supported.map((tag) => [tag.toLowerCase(), tag] as const));
  for (const { range, q } of ranges) {
    if (q === 0 || range === '*') continue;
    const subtags = range.split('-');
    while (subtags.length > 0) {
      const candidate = subtags.join('-');
      const tag = byLowerCase.get(candidate);
      if (tag !== undefined && !refused.has(candidate)) return tag;
      subtags.pop();
      if (subtags.length > 0 && subtags[subtags.length - 1].length === 1) subtags.pop();
    }
  }
  return null;
}

/** {@link lookupLocale}, else `fallback` (the first supported tag unless given). */
export function negotiateLocale<L extends string>(
  acceptLanguage: string | null | undefined,
  supported: readonly L[],
  fallback: L | undefined = supported[0],
): L {
  if (fallback === undefined) throw new RangeError('negotiateLocale: no supported locale');
  return lookupLocale(acceptLanguage, supported) ?? fallback;
}

/**
 * The cookie the portal's language menu writes and the static server reads. Named for the
 * product rather than a bare `locale`, which another application on a parent domain could
 * also set and send along.
 */
export const LOCALE_COOKIE = 'account_recovery_locale';

/** The value of `name` in a `Cookie` header (RFC 6265 §5.4), or null. */
function cookieValue(cookieHeader: string | null | undefined, name: string): string | null {
  if (typeof cookieHeader !== 'string') return null;
  for (const pair of cookieHeader.split(';')) {
    const separator = pair.indexOf('=');
    if (separator > 0 && pair.slice(0, separator).trim() === name) {
      return pair.slice(separator + 1).trim();
    }
  }
  return null;
}

/**
 * The language of the portal page a request gets (docs/architecture.md, "Locales"): the
 * switcher's cookie when it names a supported locale, else the best match of the browser's
 * `Accept-Language`, else `fallback`. The address itself never carries a language, so the
 * emailed link opens in the reader's language whoever sent it.
 */
export function portalLocaleFor(
  request: { cookie?: string | null; acceptLanguage?: string | null },
  fallback: Locale = DEFAULT_LOCALE,
): Locale {
  const chosen = cookieValue(request.cookie, LOCALE_COOKIE);
  if (isLocale(chosen)) return chosen;
  return negotiateLocale(request.acceptLanguage, LOCALES, fallback);
}
