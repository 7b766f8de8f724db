import { assertPublishable } from './webhook-events';

describe('assertPublishable', () => {
  it('should let account facts through', () => {
    expect(() =>
      assertPublishable({ email: 'a@example.com', displayName: null, sessionsRevoked: true }),
    ).not.toThrow();
  });

  it.each([
    'token',
    'resetToken',
    'password',
    'newPassword',
    'passwordHash',
    'hash',
    'apiKey',
    'secret',
  ])('should refuse a %s key, whatever its value', (key) => {
    expect(() => assertPublishable({ [key]: 'x' })).toThrow('must not carry');
  });

  it('should refuse a userId in data and nested values', () => {
    expect(() => assertPublishable({ userId: 'u' })).toThrow('userId');
    expect(() => assertPublishable({ meta: { token: 'x' } })).toThrow('string, number, boolean');
  });
});
