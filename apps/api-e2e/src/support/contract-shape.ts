import { ERROR_CODES } from '@account-recovery/contracts';

import type { RawResponse } from './raw-http';

/** Every code a client may see; INTERNAL_ERROR is what a 500 carries, and a 500 is a bug. */
const CONTRACT_CODES = new Set<string>(
  Object.values(ERROR_CODES).filter((code) => code !== ERROR_CODES.INTERNAL_ERROR),
);
const ERROR_KEYS = new Set(['statusCode', 'code', 'message', 'errors', 'rules']);

/**
 * What is wrong with an answer, measured against the contract: no 5xx but 503, and every
 * error a JSON `{ statusCode, code, message }` (+ `errors`, `rules`) with a contract code.
 * Empty when the answer keeps the contract.
 */
export function contractViolations(response: RawResponse): string[] {
  const { status } = response;
  if (status >= 500 && status !== 503) return [`status ${status}: ${response.text.slice(0, 300)}`];
  if (status < 400) return [];
  const problems: string[] = [];
  if (!/^application\/json/.test(String(response.headers['content-type'] ?? ''))) {
    problems.push(`content-type ${String(response.headers['content-type'])}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    return [
      ...problems,
      `status ${status} with a body that is not JSON: ${response.text.slice(0, 200)}`,
    ];
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return [...problems, `status ${status} with a body that is not an object`];
  }
  const error = body as Record<string, unknown>;
  if (error['statusCode'] !== status)
    problems.push(`statusCode ${String(error['statusCode'])} != ${status}`);
  if (typeof error['code'] !== 'string' || !CONTRACT_CODES.has(error['code'])) {
    problems.push(`code ${JSON.stringify(error['code'])} is not a contract code`);
  }
  if (typeof error['message'] !== 'string' || error['message'].trim() === '')
    problems.push('no message');
  const extra = Object.keys(error).filter((key) => !ERROR_KEYS.has(key));
  if (extra.length) problems.push(`keys outside the error shape: ${extra.join(', ')}`);
  if (status === 429 && response.headers['retry-after'] === undefined)
    problems.push('429 without Retry-After');
  return problems.map((problem) => `${problem} in ${response.text.slice(0, 300)}`);
}
