import { isIP } from 'node:net';

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
 * replaced by the socket's peer, the one address nobody can forge. Fastify's `request.ip`
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
  const forwarded = request.ip;
  if (forwarded && isIP(forwarded) !== 0) return forwarded;
  return request.raw.socket?.remoteAddress ?? null;
}
