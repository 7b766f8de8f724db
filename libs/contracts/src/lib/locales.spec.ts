import fc from 'fast-check';

import {
  DEFAULT_LOCALE,
  isLocale,
  isRtl,
  LOCALES,
  lookupLocale,
  negotiateLocale,
  parseAcceptLanguage,
  portalLocaleFor,
} from './locales';

describe('LOCALES', () => {
  it('should hold the default and mark only Arabic right to left', () => {
    expect(LOCALES).toContain(DEFAULT_LOCALE);
    expect(LOCALES.filter(isRtl)).toEqual(['ar']);
  });

  it('should tell supported codes from anything else', () => {
    expect(isLocale('de')).toBe(true);
    for (const other of ['DE', 'de-DE', 'pt', '', null, 1]) expect(isLocale(other)).toBe(false);
  });
});

describe('parseAcceptLanguage', () => {
  it('should order ranges by weight and keep the order of equal weights', () => {
    expect(parseAcceptLanguage('fr;q=0.5, de-CH, en;q=0.8, ja')).toEqual([
      { range: 'de-ch', q: 1 },
      { range: 'ja', q: 1 },
      { range: 'en', q: 0.8 },
      { range: 'fr', q: 0.5 },
    ]);
  });

  it('should skip malformed elements and keep the rest', () => {
    expect(parseAcceptLanguage('en;q=2, de;q=abc, 12, fr ; q = 0.7 , ,es;level=1')).toEqual([
      { range: 'es', q: 1 },
      { range: 'fr', q: 0.7 },
    ]);
  });
});

describe('lookupLocale', () => {
  it.each([
    ['de-CH-1996, en;q=0.5', 'de'],
    ['zh-Hant-CN-x-private1, ja;q=0.1', 'ja'],
    ['en-x-foo', 'en'],
    ['FR-ca', 'fr'],
    ['pt-BR, es-419;q=0.9, en;q=0.8', 'es'],
    ['ar-EG,ar;q=0.9,en-US;q=0.8', 'ar'],
    ['en;q=0.2, ja;q=0.9', 'ja'],
    ['*, fr;q=0.5', 'fr'],
    ['de-AT, de;q=0, en;q=0.1', 'en'],
  ])('should answer %s with %s', (header, expected) => {
    expect(lookupLocale(header, LOCALES)).toBe(expected);
  });

  it.each([null, undefined, '', '*', 'pt-BR, zh', 'en;q=0', 'x-klingon', ';;;,,,'])(
    'should find nothing in %p',
    (header) => {
      expect(lookupLocale(header, LOCALES)).toBeNull();
    },
  );

  it('should answer the supported spelling of a tag whatever the case', () => {
    expect(lookupLocale('EN-gb', ['en-GB', 'en'])).toBe('en-GB');
  });

  it('should look at no more than 32 ranges', () => {
    const header = [...Array.from({ length: 32 }, () => 'pt'), 'de'].join(',');
    expect(lookupLocale(header, LOCALES)).toBeNull();
  });
});

describe('negotiateLocale', () => {
  const supported = fc.subarray([...LOCALES], { minLength: 1 });
  const headers = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc
      .array(
        fc.tuple(
          fc.oneof(fc.constantFrom(...LOCALES, '*', 'de-CH', 'ar-SA', 'pt'), fc.string()),
          fc.option(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.string())),
        ),
      )
      .map((parts) =>
        parts.map(([range, q]) => (q === null ? range : `${range};q=${String(q)}`)).join(','),
      ),
  );

  it('should never throw and always answer a supported locale, whatever the header', () => {
    fc.assert(
      fc.property(fc.option(headers), supported, (header, tags) => {
        expect(tags).toContain(negotiateLocale(header, tags));
      }),
    );
  });

  it('should answer a locale the header names first, unweighted, whatever follows', () => {
    // Without weights after it: a later `;q=0` for the same locale would refuse it.
    const unweighted = fc.string().filter((rest) => !rest.includes(';'));
    fc.assert(
      fc.property(fc.constantFrom(...LOCALES), unweighted, (locale, rest) => {
        expect(negotiateLocale(`${locale},${rest}`, LOCALES)).toBe(locale);
      }),
    );
  });

  it('should never answer a locale refused with q=0 unless it is the fallback', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LOCALES), headers, (locale, rest) => {
        const answer = negotiateLocale(`${locale};q=0,${rest}`, LOCALES, DEFAULT_LOCALE);
        if (answer === locale) expect(locale).toBe(DEFAULT_LOCALE);
      }),
    );
  });

  it('should answer the fallback when nothing matches', () => {
    expect(negotiateLocale('pt-BR', LOCALES, 'fr')).toBe('fr');
    expect(negotiateLocale(null, LOCALES)).toBe('en');
  });
});

describe('portalLocaleFor', () => {
  it('should take the switcher cookie first, then Accept-Language, then the fallback', () => {
    expect(
      portalLocaleFor({
        cookie: 'a=1; locale=de; account_recovery_locale=ar; b=2',
        acceptLanguage: 'de',
      }),
    ).toBe('ar');
    expect(
      portalLocaleFor({ cookie: 'account_recovery_locale=pt', acceptLanguage: 'fr-CA,fr;q=0.9' }),
    ).toBe('fr');
    expect(portalLocaleFor({ cookie: 'locale=ja', acceptLanguage: 'it' })).toBe('en');
    expect(portalLocaleFor({ acceptLanguage: 'it' }, 'es')).toBe('es');
    expect(portalLocaleFor({})).toBe(DEFAULT_LOCALE);
  });

  it('should answer a supported locale for any cookie and header', () => {
    fc.assert(
      fc.property(fc.option(fc.string()), fc.option(fc.string()), (cookie, acceptLanguage) => {
        expect(isLocale(portalLocaleFor({ cookie, acceptLanguage }))).toBe(true);
      }),
    );
  });
});
