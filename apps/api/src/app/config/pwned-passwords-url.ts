import { isIP } from 'node:net';

/** What parsing PWNED_PASSWORDS_URL gives: the base without trailing slashes, or problems. */
export interface PwnedPasswordsUrlResult {
  url: string | null;
  problems: string[];
}

const NAME = 'PWNED_PASSWORDS_URL';

/**
 * PWNED_PASSWORDS_URL: the base of a Have I Been Pwned compatible range API; the breach check
 * asks `${base}/range/ABCDE`, so the base carries no query or fragment. No user name or
 * password in it: the URL is configuration that may be printed, and a credential there would
 * travel with every request.
 *
 * In production the base must use https, except on a loopback or private-network address
 * written as an IP (a mirror inside an air-gapped site often has no certificate). What plain
 * http exposes is not the password: only five hex characters of its SHA-1 leave, which
 * hundreds of passwords share. It is the answer's integrity: whoever can alter it can mark
 * every password breached (resets refused) or none (the check silently weaker). On an
 * address inside the site's own network that is the operator's call; a host name is not
 * accepted over http because nothing here can tell where it will resolve.
 * ALLOW_INSECURE_LOCAL_TRIAL lifts the rule, as it does for PORTAL_URL.
 * Messages name the variable, never its value (docs/architecture.md, "Security rules and
 * where they live").
 */
export function parsePwnedPasswordsUrl(
  raw: string | undefined,
  production: boolean,
  insecureLocalTrial: boolean,
): PwnedPasswordsUrlResult {
  if (raw === undefined) return { url: null, problems: [] };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { url: null, problems: [`${NAME} must be a URL`] };
  }
  const problems: string[] = [];
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push(`${NAME} must use http: or https:`);
  }
  if (url.username !== '' || url.password !== '') {
    problems.push(`${NAME} must not contain a user name or password`);
  }
  if (url.search !== '' || url.hash !== '' || raw.includes('?') || raw.includes('#')) {
    problems.push(`${NAME} must be a base URL without a query or fragment (/range/ is appended)`);
  }
  if (
    production &&
    !insecureLocalTrial &&
    url.protocol === 'http:' &&
    !isLocalAddress(url.hostname)
  ) {
    problems.push(
      `${NAME} must use https in production (http only for a loopback or private IP address)`,
    );
  }
  if (problems.length > 0) return { url: null, problems };
  return { url: url.href.replace(/\/+$/, ''), problems };
}

/** Loopback, or an IP address of a private network (RFC 1918, RFC 4193 unique local). */
export function isLocalAddress(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost') return true;
  const version = isIP(host);
  if (version === 4) {
    const [a, b] = host.split('.').map(Number);
    return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  }
  if (version === 6) return host === '::1' || /^f[cd][0-9a-f]{2}:/.test(host);
  return false;
}
