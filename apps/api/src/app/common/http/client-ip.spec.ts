import { isIP } from 'node:net';

import fc from 'fast-check';
import type { FastifyRequest } from 'fastify';

import { clientIp, fastifyTrustProxy, inetAddress } from './client-ip';

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

  it('should drop an IPv6 zone from a forwarded address and from the peer', () => {
    expect(clientIp(request('fe80::1%eth0', '10.0.0.2'))).toBe('fe80::1');
    expect(clientIp(request(undefined, 'fe80::2%eth0'))).toBe('fe80::2');
    expect(clientIp(request('not-an-ip', 'peer'))).toBeNull();
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

describe('inetAddress', () => {
  const zone = fc.stringMatching(/^[0-9a-zA-Z.:-]{1,16}$/);
  /** Addresses, zoned addresses, IPv4-mapped ones and anything else at all. */
  const anything = fc.oneof(
    fc.ipV4(),
    fc.ipV6(),
    fc.ipV4Extended(),
    fc.tuple(fc.ipV6(), zone).map(([address, name]) => `${address}%${name}`),
    fc.tuple(fc.ipV4(), zone).map(([address, name]) => `::ffff:${address}%${name}`),
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    fc.constantFrom(null, undefined, 42, {}),
  );

  it('should answer null or an address without a zone, and never throw', () => {
    fc.assert(
      fc.property(anything, (value) => {
        const address = inetAddress(value);
        if (address === null) return;
        expect(isIP(address)).not.toBe(0);
        expect(address).not.toContain('%');
      }),
      { numRuns: 2000 },
    );
  });

  it('should keep what an address is as it was: IPv6 and IPv4 unchanged, zones only dropped', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), zone, (address, name) => {
        expect(inetAddress(address)).toBe(address);
        if (isIP(address) === 6) expect(inetAddress(`${address}%${name}`)).toBe(address);
      }),
    );
  });

  it('should drop an IPv6 zone, which PostgreSQL inet refuses', () => {
    expect(inetAddress('fe80::1%eth0')).toBe('fe80::1');
    expect(inetAddress('fe80::1%2')).toBe('fe80::1');
    expect(inetAddress('::ffff:192.0.2.1%en0')).toBe('::ffff:192.0.2.1');
  });

  it('should keep an IPv4-mapped IPv6 address as written (the rate limits map it)', () => {
    expect(inetAddress('::ffff:192.0.2.1')).toBe('::ffff:192.0.2.1');
    expect(inetAddress('198.51.100.7')).toBe('198.51.100.7');
  });

  it('should answer null for anything that is not an address', () => {
    for (const value of ['', 'unknown', '198.51.100.7%eth0', '01.2.3.4', 'fe80::1%', null, 7]) {
      expect([value, inetAddress(value)]).toEqual([value, null]);
    }
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
