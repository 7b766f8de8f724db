import { isIPv4, isIPv6 } from 'node:net';

/** Forwarded values that are not addresses are counted as they are, cut to this length. */
const MAX_OTHER_KEY_LENGTH = 64;

/**
 * The key a client's requests are counted under by the per-IP limits. An IPv4 address as it
 * is. An IPv6 address by its network: its first `ipv6PrefixBits` bits (64 by default), since
 * one subscriber or one cloud machine usually holds a whole /64, and counting each of its
 * 2^64 addresses apart would hand it that many budgets. An IPv4-mapped IPv6 address
 * (`::ffff:192.0.2.1`, how a dual-stack socket reports an IPv4 client) as the IPv4 address.
 */
export function clientKey(ip: string, ipv6PrefixBits: number): string {
  if (isIPv4(ip)) return ip;
  const address = ip.replace(/%.*$/, ''); // a zone (fe80::1%eth0) names a link, not a client
  if (!isIPv6(address)) return ip.slice(0, MAX_OTHER_KEY_LENGTH);
  const groups = ipv6Groups(address);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join('.');
  }
  const network = groups.map((group, i) => {
    const kept = Math.min(Math.max(ipv6PrefixBits - i * 16, 0), 16);
    return kept === 0 ? 0 : group & ((0xffff << (16 - kept)) & 0xffff);
  });
  return `${network.map((g) => g.toString(16)).join(':')}/${ipv6PrefixBits}`;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a dotted tail converted). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const parse = (part: string | undefined) =>
    part ? part.split(':').map((group) => parseInt(group, 16)) : [];
  const front = parse(head);
  const back = parse(tail);
  const zeros = tail === undefined ? [] : new Array<number>(8 - front.length - back.length).fill(0);
  return [...front, ...zeros, ...back];
}
