import {
  ERROR_CODES,
  PASSWORD_RULES,
  type ErrorCode,
  type PasswordRule,
} from '@account-recovery/contracts';

import { HttpErrorResponse } from '@angular/common/http';

/** What a page needs to know about a failed API call, read defensively from the answer. */
export interface ApiFailure {
  /** HTTP status; 0 when the request never got an answer (offline, CORS, aborted). */
  status: number;
  code: ErrorCode | null;
  rules: PasswordRule[];
  /** Fields named in `errors` of a VALIDATION_FAILED answer. */
  fields: string[];
  /** Whole seconds from `Retry-After`, when the answer carried a usable one. */
  retryAfterSeconds: number | null;
}

const KNOWN_CODES = new Set<string>(Object.values(ERROR_CODES));
const KNOWN_RULES = new Set<string>(Object.values(PASSWORD_RULES));

export function toApiFailure(error: unknown, now: number = Date.now()): ApiFailure {
  if (!(error instanceof HttpErrorResponse)) {
    return { status: 0, code: null, rules: [], fields: [], retryAfterSeconds: null };
  }
  const body: unknown = error.error;
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const code =
    typeof record['code'] === 'string' && KNOWN_CODES.has(record['code']) ? record['code'] : null;
  const rules = Array.isArray(record['rules'])
    ? record['rules'].filter((rule): rule is PasswordRule => KNOWN_RULES.has(rule as string))
    : [];
  const errors = record['errors'];
  const fields = typeof errors === 'object' && errors !== null ? Object.keys(errors) : [];
  return {
    status: error.status,
    code: code as ErrorCode | null,
    rules,
    fields,
    retryAfterSeconds: parseRetryAfter(error.headers?.get('Retry-After') ?? null, now),
  };
}

/**
 * `Retry-After` is either delay-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Returns whole seconds, at least 1, or null when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.max(1, Number(trimmed));
  // An HTTP date names its day and month; a bare "-5" would otherwise parse as a year.
  const date = /[a-z]/i.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(date)) return null;
  return Math.max(1, Math.ceil((date - now) / 1000));
}
