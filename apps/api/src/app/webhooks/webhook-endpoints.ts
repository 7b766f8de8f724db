import { WebhookEndpoint } from '../config/app-config';
import {
  decodeSecret,
  MAX_SECRET_BYTES,
  MIN_SECRET_BYTES,
  SECRET_PREFIX,
} from './webhook-signature';

const VARIABLE = 'WEBHOOK_ENDPOINTS';
/** The secret of the specification's published example: public, so never a real one. */
const PUBLISHED_EXAMPLE_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * `WEBHOOK_ENDPOINTS`: comma-separated `URL=whsec_<base64>` entries. The split is on the
 * last `=whsec_` of an entry, so a URL may carry `=` in its query; it must not carry a
 * comma (percent-encode it as %2C). Problems name the entry by position, never its value.
 * In production an endpoint must use https unless it is on this host (loopback): the
 * bodies carry email addresses, and a signature proves who sent them but hides nothing.
 */
export function parseWebhookEndpoints(
  raw: string | undefined,
  production: boolean,
): { endpoints: WebhookEndpoint[]; problems: string[] } {
  const endpoints: WebhookEndpoint[] = [];
  const problems: string[] = [];
  const entries = (raw ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  entries.forEach((entry, index) => {
    const which = `${VARIABLE} entry ${index + 1}`;
    const split = entry.lastIndexOf(`=${SECRET_PREFIX}`);
    if (split <= 0) {
      problems.push(`${which} must be URL=${SECRET_PREFIX}<base64 secret>`);
      return;
    }
    const secret = entry.slice(split + 1);
    let url: URL;
    try {
      url = new URL(entry.slice(0, split).trim());
    } catch {
      problems.push(`${which} must start with a URL`);
      return;
    }
    const before = problems.length;
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      problems.push(`${which} must use http: or https:`);
    } else if (production && url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
      problems.push(`${which} must use https in production (http only for localhost)`);
    }
    if (url.username || url.password) {
      problems.push(`${which} must not carry credentials in the URL; the signature authenticates`);
    }
    if (!decodeSecret(secret)) {
      problems.push(
        `${which} needs a ${SECRET_PREFIX} secret of ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} bytes in base64`,
      );
    } else if (production && secret === PUBLISHED_EXAMPLE_SECRET) {
      problems.push(`${which} uses the published example secret; generate a random one`);
    }
    if (endpoints.some((endpoint) => endpoint.url === url.href)) {
      problems.push(`${which} repeats an earlier endpoint`);
    }
    if (problems.length === before) endpoints.push({ url: url.href, secret });
  });
  return { endpoints, problems };
}

/** Scheme, host and port: enough to tell endpoints apart in logs without a path that may be secret. */
export function endpointOrigin(url: string): string {
  return new URL(url).origin;
}
