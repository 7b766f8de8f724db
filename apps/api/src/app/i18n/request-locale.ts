import type { IncomingHttpHeaders } from 'node:http';

import { Locale, LOCALES, lookupLocale } from '@account-recovery/contracts';

import type { FastifyReply } from 'fastify';

/**
 * The language to answer a request in: its Accept-Language negotiated against LOCALES
 * (RFC 4647 lookup with q-values; at most 32 ranges are read, so a long header costs no more
 * than a short one), else `fallback` (DEFAULT_LOCALE). A repeated header that Node could not
 * join, or none, is the fallback.
 */
export function requestLocale(headers: IncomingHttpHeaders | undefined, fallback: Locale): Locale {
  return headerLocale(headers) ?? fallback;
}

/**
 * The locale a request's Accept-Language names among LOCALES, or null: what a job carries
 * (RequestMeta.locale), so that a person's stored locale can still come first.
 */
export function headerLocale(headers: IncomingHttpHeaders | undefined): Locale | null {
  const header = headers?.['accept-language'];
  return lookupLocale(typeof header === 'string' ? header : null, LOCALES);
}

/** `Vary` already naming Accept-Language (or everything). */
const VARIES_ON_LANGUAGE = /(?:^|,)\s*(?:accept-language|\*)\s*(?:,|$)/i;

/**
 * Labels an answer worded for the request's language: `Content-Language` (the negotiated
 * locale, never the header's own text) and `Accept-Language` added to `Vary`, so a cache that
 * may keep the answer (a framework error sent before `Cache-Control: no-store` is set) keys it
 * by language. Content-Language is a CORS-safelisted response header: the portal reads it.
 */
export function sayLanguage(reply: FastifyReply, locale: Locale): void {
  void reply.header('content-language', locale);
  const vary = reply.getHeader('vary');
  const current = Array.isArray(vary) ? vary.join(', ') : vary === undefined ? '' : String(vary);
  if (!current) void reply.header('vary', 'Accept-Language');
  else if (!VARIES_ON_LANGUAGE.test(current))
    void reply.header('vary', `${current}, Accept-Language`);
}
