/**
 * Errors that mean "the database is not reachable right now" rather than "this query is
 * wrong": refused or reset connections, pool timeouts, a server shutting down. They map to
 * 503 so clients retry, and readiness reports the same.
 */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);
// PostgreSQL SQLSTATE classes 08 (connection exception) and 57P (operator intervention).
const SQLSTATE_UNAVAILABLE = /^(08|57P)/;
const MESSAGE_UNAVAILABLE =
  /(timeout exceeded when trying to connect|Connection terminated|connection terminated|the database system is (starting up|shutting down)|Client has encountered a connection error)/;

export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth += 1) {
    const candidate = current as {
      code?: unknown;
      message?: unknown;
      driverError?: unknown;
      cause?: unknown;
    };
    if (typeof candidate.code === 'string') {
      if (NETWORK_CODES.has(candidate.code) || SQLSTATE_UNAVAILABLE.test(candidate.code))
        return true;
    }
    if (typeof candidate.message === 'string' && MESSAGE_UNAVAILABLE.test(candidate.message))
      return true;
    current = candidate.driverError ?? candidate.cause;
  }
  return false;
}
