import { clientKey } from './client-key';

describe('clientKey', () => {
  it('should keep an IPv4 address as it is', () => {
    expect(clientKey('198.51.100.7', 64)).toBe('198.51.100.7');
  });

  it('should count an IPv6 address by its /64', () => {
    const key = clientKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd', 64);
    expect(key).toBe('2001:db8:1:2:0:0:0:0/64');
    expect(clientKey('2001:db8:1:2::1', 64)).toBe(key);
    expect(clientKey('2001:0DB8:0001:0002:ffff:ffff:ffff:fffe', 64)).toBe(key);
    expect(clientKey('2001:db8:1:3::1', 64)).not.toBe(key);
  });

  it('should honour another prefix length, also one inside a group', () => {
    expect(clientKey('2001:db8:1:2::1', 48)).toBe('2001:db8:1:0:0:0:0:0/48');
    expect(clientKey('2001:db8:1:2ff::1', 56)).toBe('2001:db8:1:200:0:0:0:0/56');
    expect(clientKey('2001:db8:1:2::1', 128)).toBe('2001:db8:1:2:0:0:0:1/128');
  });

  it('should count an IPv4-mapped IPv6 address as the IPv4 address', () => {
    expect(clientKey('::ffff:198.51.100.7', 64)).toBe('198.51.100.7');
    expect(clientKey('::FFFF:c633:6407', 64)).toBe('198.51.100.7');
    // Other embeddings are IPv6 networks like any other.
    expect(clientKey('64:ff9b::198.51.100.7', 64)).toBe('64:ff9b:0:0:0:0:0:0/64');
  });

  it('should drop a zone and keep a value that is not an address, cut short', () => {
    expect(clientKey('fe80::1%eth0', 64)).toBe('fe80:0:0:0:0:0:0:0/64');
    expect(clientKey('::1', 64)).toBe('0:0:0:0:0:0:0:0/64');
    expect(clientKey('not-an-address', 64)).toBe('not-an-address');
    expect(clientKey('x'.repeat(100), 64)).toHaveLength(64);
  });
});
