import type { FastifyRequest } from 'fastify';

import { clientIp, fastifyTrustProxy } from './client-ip';

/** What clientIp reads of a request: Fastify's `ip` and the socket's peer. */
function request(ip: string | undefined, peer: string | undefined): FastifyRequest {
  return { ip, raw: { socket: { remoteAddress: peer } } } as unknown as FastifyRequest;
}

describe('clientIp', () => {
  it('should keep an address Fastify took from a trusted X-Forwarded-For', () => {
    expect(clientIp(request('198.51.100.7', '10.0.0.2'))).toBe('198.51.100.7');
    expect(clientIp(request('2001:db8::1', '10.0.0.2'))).toBe('2001:db8::1');
  });

  it('should fall back to the peer for anything that is not an IP', () => {
    for (const forwarded of ['Call IT on +1-555-0100', '+1-555-0100', 'unknown', '', undefined]) {
      expect([forwarded, clientIp(request(forwarded, '10.0.0.2'))]).toEqual([
        forwarded,
        '10.0.0.2',
      ]);
    }
    expect(clientIp(request('not-an-ip', undefined))).toBeNull();
  });

  it('should read the forwarded chain once per request, however often it is asked', () => {
    let reads = 0;
    const once = {
      get ip() {
        reads += 1;
        return '198.51.100.9';
      },
      raw: { socket: { remoteAddress: '10.0.0.2' } },
    } as unknown as FastifyRequest;
    expect([clientIp(once), clientIp(once)]).toEqual(['198.51.100.9', '198.51.100.9']);
    expect(reads).toBe(1);
    expect(clientIp(request('198.51.100.10', '10.0.0.2'))).toBe('198.51.100.10');
  });
});

describe('fastifyTrustProxy', () => {
  it('should pass false and address lists through unchanged', () => {
    expect(fastifyTrustProxy(false)).toBe(false);
    expect(fastifyTrustProxy(['127.0.0.1', '10.0.0.0/8'])).toEqual(['127.0.0.1', '10.0.0.0/8']);
  });

  it('should turn a hop count into a function that trusts that many hops', () => {
    const trust = fastifyTrustProxy(2);
    expect(typeof trust).toBe('function');
    const trusts = trust as (address: string, hop: number) => boolean;
    expect([0, 1, 2, 3].map((hop) => trusts('203.0.113.1', hop))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });
});
