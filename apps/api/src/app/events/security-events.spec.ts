import { originOf, SYSTEM_ORIGIN } from './event-context';
import { assertRecordable } from './security-events.service';

describe('assertRecordable', () => {
  it('should accept facts: counts, reasons, flags and a contract error code', () => {
    expect(() =>
      assertRecordable({ count: 3, reason: 'rate_limited', mfa: true, code: 'PASSWORD_POLICY' }),
    ).not.toThrow();
  });

  it.each([
    ['token', 'abc'],
    ['newPassword', 'x'],
    ['codeHash', 'f00'],
    ['totpSecret', 'JBSW'],
    ['apiKey', 'k'],
    ['otp', '123456'],
  ])('should refuse a secret-like key %s', (key, value) => {
    expect(() => assertRecordable({ [key]: value })).toThrow(key);
  });

  it('should refuse a one-time code under `code`, which only names contract errors', () => {
    expect(() => assertRecordable({ code: '12345678' })).toThrow('code');
  });

  it('should refuse nested values, where a secret could hide', () => {
    expect(() => assertRecordable({ request: { body: 'x' } })).toThrow('request');
  });
});

describe('originOf', () => {
  it("should take the request's actor, address and agent", () => {
    expect(
      originOf({ ip: '203.0.113.9', userAgent: 'ua', requestedAt: '', actor: 'service:crm' }),
    ).toEqual({ actor: 'service:crm', ip: '203.0.113.9', userAgent: 'ua' });
  });

  it('should call a job queued before actors existed the person', () => {
    expect(originOf({ ip: null, userAgent: null, requestedAt: '' }).actor).toBe('self');
    expect(SYSTEM_ORIGIN.actor).toBe('system');
  });
});
