import { safeReturnUrl } from './return-url';

describe('safeReturnUrl', () => {
  it('should keep a path of the portal', () => {
    expect(safeReturnUrl('/')).toBe('/');
    expect(safeReturnUrl('/account?tab=2')).toBe('/account?tab=2');
  });

  it.each([
    null,
    undefined,
    '',
    'account',
    '//evil.example',
    '/\\evil.example',
    'https://evil.example',
    'javascript:alert(1)',
    '/login',
    '/login?returnUrl=%2F',
  ])('should go home instead of %p', (value) => {
    expect(safeReturnUrl(value)).toBe('/');
  });
});
