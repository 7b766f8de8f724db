import { isIP, isIPv6 } from 'node:net';

import type { FastifyRequest } from 'fastify';

import type { TrustProxySetting } from '../../config/trust-proxy';

/** Fastify's `trustProxy` option: who may set X-Forwarded-For (see config/trust-proxy.ts). */
export type FastifyTrustProxy = false | string[] | ((address: string, hop: number) => boolean);

/**
 * TRUST_PROXY as Fastify's `trustProxy` option. A hop count becomes a function: Fastify 5
 * reads a bare number as "trust nobody" (it cannot check the peer), which would silently
 * count every client behind the proxy as the proxy.
 */
export function fastifyTrustProxy(setting: TrustProxySetting): FastifyTrustProxy {
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return setting;
}

/** Each request's answer, read once: the rate-limit guard and the handler both ask. */
const answers = new WeakMap<FastifyRequest, string | null>();

/**
 * The client's address for rate limits, the token row (an `inet` column) and the
 * "requested from" line of emails. Fastify takes it from X-Forwarded-For behind a trusted
 * proxy without checking that it is an address at all: a forwarded `Call IT on +1-555-0100`
 * would get a rate budget of its own and break the email job. Anything that is not an IP is
 * replaced by the socket's peer, the one address nobody can forge; either one goes through
 * `inetAddress`, so what is returned is always something PostgreSQL's `inet` takes. Fastify's `request.ip`
 * walks the forwarded chain again on every read (proxy-addr parses each hop with ipaddr.js),
 * so the answer is kept per request.
 */
export function clientIp(request: FastifyRequest): string | null {
  let ip = answers.get(request);
  if (ip === undefined) {
    ip = readClientIp(request);
    answers.set(request, ip);
  }
  return ip;
}

function readClientIp(request: FastifyRequest): string | null {
  return inetAddress(request.ip) ?? inetAddress(request.raw.socket?.remoteAddress);
}

/**
 * An address as the `inet` columns take it (security_events.ip, password_reset_tokens.
 * requested_ip), or null when `value` is not an IP at all. Node's `isIP` also accepts an
 * IPv6 zone (`fe80::1%eth0`, the sender's own interface name), which `inet` refuses: a
 * forwarded zone failed the request's INSERT with 500 and, queued, failed the email job on
 * every retry. The zone is dropped: it names a link on the sender's host, not a client,
 * and the rate limits ignore it too (client-key.ts). An IPv4-mapped address
 * (`::ffff:192.0.2.1`) is kept as written; `inet` takes it and the rate limits count it as
 * the IPv4 address. Every value written to an `inet` column goes through here
 * (docs/architecture.md §10), jobs queued before this check included. Never throws.
 */
export function inetAddress(value: unknown): string | null {
  if (typeof value !== 'string' || isIP(value) === 0) return null;
  if (!isIPv6(value)) return value;
  const zone = value.indexOf('%');
  const address = zone === -1 ? value : value.slice(0, zone);
  return isIPv6(address) ? address : null;
}
