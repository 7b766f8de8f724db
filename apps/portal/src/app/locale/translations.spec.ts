import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { DEFAULT_LOCALE, LOCALES } from '@account-recovery/contracts';

import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';

/**
 * The portal's catalogs (src/locale): the source one that `nx run portal:extract-i18n` writes,
 * and one translation per locale. The build refuses a missing translation
 * (`i18nMissingTranslation: error`); this refuses what the build lets through: a source
 * catalog that is out of date with the code, extra ids, lost or invented placeholders, and
 * plurals that do not parse.
 */
const LOCALE_DIR = join(__dirname, '..', '..', 'locale');
const APP_DIR = join(__dirname, '..');

type Catalog = Record<string, string>;

function catalog(file: string): { locale: string; translations: Catalog } {
  return JSON.parse(readFileSync(join(LOCALE_DIR, file), 'utf8'));
}

const source = catalog('messages.json');
const translated = LOCALES.filter((locale) => locale !== DEFAULT_LOCALE);

/** `{$INTERPOLATION}`, `{$START_TAG_BDI}`…: what Angular puts back in place, sorted. */
function placeholders(text: string): string[] {
  return (text.match(/\{\$[A-Za-z0-9_]+\}/g) ?? []).sort();
}

/** An inner ICU message (`{VAR_PLURAL, plural, …}`): its variable, type and arguments. */
function icuShape(text: string): { variable: string; type: TYPE; args: Set<string> } | null {
  if (!/^\{VAR_[A-Z]+,/.test(text)) return null;
  const [root] = parse(text, { ignoreTag: true });
  if (root.type !== TYPE.plural && root.type !== TYPE.select) throw new Error('not a plural');
  const args = new Set<string>();
  const visit = (elements: MessageFormatElement[]): void => {
    for (const element of elements) {
      if (element.type === TYPE.argument) args.add(element.value);
      if (element.type === TYPE.plural || element.type === TYPE.select)
        for (const option of Object.values(element.options)) visit(option.value);
    }
  };
  visit([root]);
  if (!('other' in root.options)) throw new Error('no "other" case');
  return { variable: root.value, type: root.type, args };
}

/** Every id the code names: `i18n="@@id"`, `i18n-attr="@@id"`, `$localize\`:@@id:…\``. */
function idsInCode(dir: string): Set<string> {
  const ids = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || entry.name.endsWith('.spec.ts')) continue;
    if (!/\.(?:ts|html)$/.test(entry.name)) continue;
    const text = readFileSync(join(entry.parentPath, entry.name), 'utf8');
    for (const match of text.matchAll(/i18n(?:-[\w.-]+)?="[^"]*@@([\w.-]+)"|:@@([\w.-]+):/g))
      ids.add(match[1] ?? match[2]);
  }
  return ids;
}

describe('portal translations', () => {
  it('should have a source catalog that matches the code (run nx run portal:extract-i18n)', () => {
    const named = [...idsInCode(APP_DIR)].sort();
    const custom = Object.keys(source.translations)
      .filter((id) => !/^\d+$/.test(id))
      .sort();
    expect(custom).toEqual(named);
  });

  it('should have one translation file per translated locale, and nothing else', () => {
    const files = readdirSync(LOCALE_DIR).filter((file) => file.endsWith('.json'));
    expect(files.sort()).toEqual(
      ['messages.json', ...translated.map((locale) => `messages.${locale}.json`)].sort(),
    );
  });

  describe.each(translated)('%s', (locale) => {
    const target = catalog(`messages.${locale}.json`);

    it('should name its locale and translate exactly the source ids', () => {
      expect(target.locale).toBe(locale);
      expect(Object.keys(target.translations).sort()).toEqual(
        Object.keys(source.translations).sort(),
      );
    });

    it('should keep every placeholder and plural of the source', () => {
      const problems: string[] = [];
      for (const [id, text] of Object.entries(source.translations)) {
        const translation = target.translations[id] ?? '';
        if (translation.trim() === '') problems.push(`${id}: empty`);
        if (placeholders(translation).join() !== placeholders(text).join())
          problems.push(
            `${id}: placeholders ${placeholders(translation)} vs ${placeholders(text)}`,
          );
        try {
          const want = icuShape(text);
          const got = icuShape(translation);
          if (want === null) continue;
          if (got === null || got.variable !== want.variable || got.type !== want.type)
            problems.push(`${id}: not the same ICU message`);
          else
            for (const arg of got.args)
              if (!want.args.has(arg)) problems.push(`${id}: unknown argument ${arg}`);
        } catch (error) {
          problems.push(`${id}: ${(error as Error).message}`);
        }
      }
      expect(problems).toEqual([]);
    });
  });
});
