import { buildResetPasswordLink } from './routes';

describe('buildResetPasswordLink', () => {
  it('should append the reset route and token to the portal base', () => {
    expect(buildResetPasswordLink('http://localhost:4200', 'abc_DEF-123')).toBe(
      'http://localhost:4200/reset-password/abc_DEF-123',
    );
  });

  it('should keep a path prefix of the base', () => {
    expect(buildResetPasswordLink('https://example.com/account', 't')).toBe(
      'https://example.com/account/reset-password/t',
    );
  });

  it('should reject a base that is not a URL', () => {
    expect(() => buildResetPasswordLink('not a url', 't')).toThrow();
  });
});
