import { isIP } from 'node:net';

/**
 * Which proxies may tell the API the client's address (X-Forwarded-For):
 * - `false`: none; the client is the socket's peer.
 * - a hop count `n`: the `n` nearest hops are proxies. Safe only where nothing but those
 *   proxies can reach the API's port.
 * - a list of addresses and CIDR ranges (and proxy-addr's names `loopback`, `linklocal`,
 *   `uniquelocal`): only a peer in the list is believed, hop by hop.
 * Never "everyone": with that, any client names its own address and gets a fresh rate budget
 * per request.
 */
export type TrustProxySetting = false | number | string[];

const VARIABLE = 'TRUST_PROXY';
const MAX_HOPS = 10;
/** Ranges proxy-addr knows by name. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const INSTEAD =
  'set the number of proxies in front of the API (e.g. 1) or their addresses (e.g. 10.0.0.0/8,127.0.0.1)';

/** Parses TRUST_PROXY; problems name the entry by position, never its value. */
export function parseTrustProxy(raw: string | undefined): {
  setting: TrustProxySetting;
  problems: string[];
} {
  const value = (raw ?? '').trim().toLowerCase();
  if (['', 'false', 'no', 'off', '0'].includes(value)) return { setting: false, problems: [] };
  if (['true', 'yes', 'on', '*', 'all'].includes(value)) {
    return {
      setting: false,
      problems: [`${VARIABLE}=true would let every client choose its own address; ${INSTEAD}`],
    };
  }
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return hops <= MAX_HOPS
      ? { setting: hops, problems: [] }
      : { setting: false, problems: [`${VARIABLE} must be a hop count from 1 to ${MAX_HOPS}`] };
  }
  const problems: string[] = [];
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  entries.forEach((entry, index) => {
    const problem = entryProblem(entry);
    if (problem) problems.push(`${VARIABLE} entry ${index + 1} ${problem}`);
  });
  return problems.length > 0 ? { setting: false, problems } : { setting: entries, problems };
}

function entryProblem(entry: string): string | null {
  if (NAMED_RANGES.has(entry)) return null;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) {
    return `must be an IP address, a CIDR range (address/prefix) or one of ${[...NAMED_RANGES].join(', ')}`;
  }
  if (prefix === undefined) return null;
  const bits = family === 4 ? 32 : 128;
  if (!/^\d+$/.test(prefix) || Number(prefix) > bits) {
    return `has a prefix length that is not 0 to ${bits}`;
  }
  if (Number(prefix) === 0) return `trusts every address; ${INSTEAD}`;
  return null;
}
