import { NO_CONTROL_CHARACTERS } from './no-control-characters';

describe('NO_CONTROL_CHARACTERS', () => {
  it('should accept ordinary text, accents and emoji', () => {
    for (const ok of ['jane.doe@example.com', 'Zoë Ångström', 'José 🙂', '山田 太郎']) {
      expect(NO_CONTROL_CHARACTERS.test(ok)).toBe(true);
    }
  });

  it('should refuse CR/LF, NUL, bidi overrides, zero-width characters and line separators', () => {
    for (const bad of [
      'a\r\nBcc: x',
      'a\u0000b',
      '\u202Emoc.elpmaxe@x',
      'ad\u200Bmin',
      '\uFEFFx',
      'a\u2028b',
      'a\u0085b',
    ]) {
      expect(NO_CONTROL_CHARACTERS.test(bad)).toBe(false);
    }
  });
});
