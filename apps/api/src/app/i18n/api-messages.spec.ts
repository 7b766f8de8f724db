import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Locale, LOCALES } from '@account-recovery/contracts';

import { ApiMessageKey, ApiMessages, resolveApiMessagesDir } from './api-messages';
import { elementsOf } from './message-catalogs';

const DIR = resolveApiMessagesDir();
const messages = ApiMessages.load(DIR);
const KEYS = messages.keys() as ApiMessageKey[];

/** A value for every argument any message uses (a number where a plural reads it). */
const SAMPLE: Record<string, string | number> = {
  field: 'displayName',
  other: 'since',
  values: 'en, de, fr',
  min: 1,
  max: 254,
  scope: 'users:write',
  checks: 'queue, schema',
  interval: 'day',
};

describe('the API message catalogs', () => {
  it('should be one file per supported locale under assets/api/i18n, and load', () => {
    expect(DIR).toMatch(/assets[/\\]api[/\\]i18n$/);
    expect(KEYS.length).toBeGreaterThan(50);
  });

  it('should know a value for every argument a message uses', () => {
    const args = new Set(KEYS.flatMap((key) => elementsOf(messages.message('en', key)).args));
    expect([...args].filter((arg) => !(arg in SAMPLE))).toEqual([]);
  });

  describe.each(LOCALES)('%s', (locale) => {
    it.each(KEYS)('should render %s whole', (key) => {
      const text = messages.text(locale, key, SAMPLE);
      expect(text.trim().length).toBeGreaterThan(3);
      // Nothing left unformatted: no ICU argument, no stray "undefined".
      expect(text).not.toMatch(/[{}]|undefined|\[object/);
      for (const arg of elementsOf(messages.message('en', key)).args) {
        if (arg !== 'min' && arg !== 'max' && arg !== 'interval') {
          expect(text).toContain(String(SAMPLE[arg]));
        }
      }
      if (locale !== 'en') expect(text).not.toBe(messages.text('en', key, SAMPLE));
    });
  });

  it('should keep the English the API has always answered', () => {
    const en = (key: ApiMessageKey, values = {}) => messages.render('en', { key, values });
    expect(en('link.expired')).toBe('This link has expired.');
    expect(en('request.invalid')).toBe('The request is not valid.');
    expect(en('auth.key-lacks-scope', { scope: 'users:read' })).toBe(
      'This key lacks the users:read scope.',
    );
    expect(en('field.max-length', { field: 'email', max: 254 })).toBe(
      'email must be shorter than or equal to 254 characters',
    );
    expect(en('field.min-length', { field: 'newPassword', min: 1 })).toBe(
      'newPassword must be longer than or equal to 1 characters',
    );
    expect(en('field.report-too-long', { interval: 'hour', max: 744 })).toBe(
      'a report by hour spans at most 744 hours',
    );
  });

  it('should word counts with the plural rules of each locale', () => {
    const length = (locale: Locale, max: number) =>
      messages.render(locale, { key: 'field.max-length', values: { field: 'code', max } });
    expect(length('fr', 1)).toBe('«\u00a0code\u00a0» doit comporter au plus 1 caractère');
    expect(length('es', 32)).toBe('«code» debe tener como máximo 32 caracteres');
    expect(length('ar', 2)).toBe('يجب ألا يزيد طول «code» على حرفين');
    expect(length('ar', 254)).toBe('يجب ألا يزيد طول «code» على 254 حرفًا');
    expect(length('ar', 100)).toBe('يجب ألا يزيد طول «code» على 100 حرف');
  });
});

describe('a broken API catalog', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'api-i18n-'));
    cpSync(DIR, dir, { recursive: true });
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Rewrites `<locale>.json` in the copy. */
  function edit(locale: Locale, change: (catalog: Record<string, Record<string, string>>) => void) {
    const file = join(dir, `${locale}.json`);
    const catalog = JSON.parse(readFileSync(file, 'utf-8')) as Record<
      string,
      Record<string, string>
    >;
    change(catalog);
    writeFileSync(file, JSON.stringify(catalog));
  }

  it('should load as it ships', () => {
    expect(() => ApiMessages.load(dir)).not.toThrow();
  });

  it.each([
    [
      'a missing key',
      (c: Record<string, Record<string, string>>) => delete c['link']['used'],
      /de: missing "link.used"/,
    ],
    [
      'an extra key',
      (c: Record<string, Record<string, string>>) => (c['link']['gone'] = 'Weg.'),
      /de: "link.gone" is not in en/,
    ],
    [
      'another argument',
      (c: Record<string, Record<string, string>>) =>
        (c['auth']['key-lacks-scope'] = 'Diesem Schlüssel fehlt {bereich}.'),
      /de: "auth.key-lacks-scope" uses \{bereich\}, en \{scope\}/,
    ],
    [
      'a message that does not parse',
      (c: Record<string, Record<string, string>>) => (c['link']['used'] = 'Bereits {verwendet'),
      /de: "link.used" does not parse/,
    ],
    [
      'a tag (JSON carries plain text)',
      (c: Record<string, Record<string, string>>) => (c['link']['used'] = '<b>Verwendet</b>.'),
      /de: "link.used" uses the unknown tag <b>/,
    ],
  ])('should refuse to load with %s, naming it', (_, change, problem) => {
    edit('de', change);
    expect(() => ApiMessages.load(dir)).toThrow(problem);
  });

  it('should refuse to load without a catalog for every locale', () => {
    rmSync(join(dir, 'ja.json'));
    expect(() => ApiMessages.load(dir)).toThrow(
      /API catalogs: .* has ar, de, en, es, fr; the supported/,
    );
  });
});
