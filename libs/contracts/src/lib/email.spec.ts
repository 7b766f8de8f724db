import { normaliseEmail } from './email';

describe('normaliseEmail', () => {
  it('should trim, fold case and apply NFKC', () => {
    expect(normaliseEmail(' User@Example.COM ')).toBe('user@example.com');
    // Fullwidth letters fold to ASCII under NFKC.
    expect(normaliseEmail('ｕｓｅｒ@example.com')).toBe('user@example.com');
  });
});
