import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { Locale, LOCALES } from '@account-recovery/contracts';

import { MessageFormatElement, parse, TYPE } from '@formatjs/icu-messageformat-parser';
import { IntlMessageFormat } from 'intl-messageformat';

/** The catalog every other one is compared with. */
export const REFERENCE_LOCALE: Locale = 'en';

/** Key → ICU message, the JSON's nesting flattened to dotted keys (`reset-password.title`). */
export type Catalog = ReadonlyMap<string, string>;

/** What a set of catalogs is called in errors, and the ICU tags its messages may use. */
export interface CatalogRules {
  /** "Mail", "API": the start of every error about these catalogs. */
  name: string;
  tags: readonly string[];
}

/**
 * One set of translations: one JSON file per locale in a directory, ICU MessageFormat
 * (docs/architecture.md §12). The emails have one (MailCatalogs), the API's error messages
 * another (ApiMessages). Read and checked once at start-up, so a catalog that lacks a key,
 * has one too many, names other arguments than the reference or does not parse stops the
 * process (and `npm test`) instead of failing one email or one answer later.
 */
export class MessageCatalogs {
  private readonly formats = new Map<string, IntlMessageFormat>();

  protected constructor(
    private readonly catalogs: ReadonlyMap<Locale, Catalog>,
    private readonly rules: CatalogRules,
  ) {}

  /** Reads and checks `<dir>/*.json`: exactly one per supported locale. */
  protected static read(dir: string, rules: CatalogRules): ReadonlyMap<Locale, Catalog> {
    const files = readdirSync(dir).filter((file) => file.endsWith('.json'));
    const found = files.map((file) => file.slice(0, -'.json'.length)).sort();
    const expected = [...LOCALES].sort();
    if (found.join() !== expected.join()) {
      throw new Error(
        `${rules.name} catalogs: ${dir} has ${found.join(', ')}; the supported locales are ${expected.join(', ')}`,
      );
    }
    const catalogs = new Map<Locale, Catalog>();
    for (const locale of LOCALES) {
      const json: unknown = JSON.parse(readFileSync(join(dir, `${locale}.json`), 'utf-8'));
      catalogs.set(locale, flattenCatalog(json, `${rules.name} catalog ${locale}`));
    }
    const problems = catalogProblems(catalogs, rules.tags);
    if (problems.length > 0) throw new Error(`${rules.name} catalogs:\n  ${problems.join('\n  ')}`);
    return catalogs;
  }

  /** Every key, as the reference catalog has them (the others have the same: checked). */
  keys(): string[] {
    return [...(this.catalogs.get(REFERENCE_LOCALE)?.keys() ?? [])];
  }

  /** The ICU message of `key` (throws on an unknown key: a typo in a template or in code). */
  message(locale: Locale, key: string): string {
    const message = this.catalogs.get(locale)?.get(key);
    if (message === undefined) {
      throw new Error(`${this.rules.name} catalog ${locale} has no message "${key}"`);
    }
    return message;
  }

  /** The message's syntax tree (mail templates turn it into Handlebars, see message-source.ts). */
  ast(locale: Locale, key: string): MessageFormatElement[] {
    return this.format(locale, key).getAst();
  }

  /**
   * The message formatted with `values`, plurals and all, as plain text: for what code
   * formats (subjects, durations, API messages). Tags keep their text and lose their markup.
   */
  text(
    locale: Locale,
    key: string,
    values: Readonly<Record<string, string | number>> = {},
  ): string {
    const tags = Object.fromEntries(
      this.rules.tags.map((tag) => [tag, (chunks: string[]) => chunks.join('')]),
    );
    const result = this.format(locale, key).format<string>({ ...values, ...tags });
    return Array.isArray(result) ? result.join('') : String(result);
  }

  private format(locale: Locale, key: string): IntlMessageFormat {
    const id = `${locale}\u0000${key}`;
    let format = this.formats.get(id);
    if (!format) {
      format = new IntlMessageFormat(this.message(locale, key), locale);
      this.formats.set(id, format);
    }
    return format;
  }
}

/** `{ a: { b: "…" } }` → `a.b` → `"…"`; anything but objects and strings is refused. */
export function flattenCatalog(json: unknown, name: string, prefix = ''): Map<string, string> {
  const flat = new Map<string, string>();
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new Error(`${name}: ${prefix || 'the file'} must be an object`);
  }
  for (const [key, value] of Object.entries(json)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') flat.set(path, value);
    else for (const entry of flattenCatalog(value, name, path)) flat.set(...entry);
  }
  return flat;
}

/**
 * The argument names a message uses (`{productName}`, `{count, plural, …}`) and the tags it
 * uses, each sorted. Arguments must match the reference's; tags may differ (Arabic wraps an
 * address in `<ltr>`), but only known tags.
 */
export function elementsOf(message: string): { args: string[]; tags: string[] } {
  const args = new Set<string>();
  const tags = new Set<string>();
  const visit = (elements: MessageFormatElement[]): void => {
    for (const element of elements) {
      if (element.type === TYPE.tag) {
        tags.add(element.value);
        visit(element.children);
      } else if (element.type === TYPE.plural || element.type === TYPE.select) {
        args.add(element.value);
        for (const option of Object.values(element.options)) visit(option.value);
      } else if (element.type !== TYPE.literal && element.type !== TYPE.pound) {
        args.add(element.value);
      }
    }
  };
  visit(parse(message));
  return { args: [...args].sort(), tags: [...tags].sort() };
}

/** Everything wrong with a set of catalogs, compared with the reference (empty: none). */
export function catalogProblems(
  catalogs: ReadonlyMap<Locale, Catalog>,
  knownTags: readonly string[],
): string[] {
  const problems: string[] = [];
  const reference = catalogs.get(REFERENCE_LOCALE);
  if (!reference) return [`no ${REFERENCE_LOCALE} catalog`];
  const known = new Set<string>(knownTags);
  const referenceArgs = new Map<string, string>();
  // The reference first: every other catalog is compared with its arguments.
  const ordered = [...catalogs].sort(([a], [b]) =>
    a === REFERENCE_LOCALE ? -1 : b === REFERENCE_LOCALE ? 1 : 0,
  );
  for (const [locale, catalog] of ordered) {
    for (const key of reference.keys())
      if (!catalog.has(key)) problems.push(`${locale}: missing "${key}"`);
    for (const [key, message] of catalog) {
      if (!reference.has(key)) {
        problems.push(`${locale}: "${key}" is not in ${REFERENCE_LOCALE}`);
        continue;
      }
      let elements: { args: string[]; tags: string[] };
      try {
        elements = elementsOf(message);
      } catch (error) {
        problems.push(`${locale}: "${key}" does not parse (${(error as Error).message})`);
        continue;
      }
      const args = elements.args.join(', ');
      if (locale === REFERENCE_LOCALE) referenceArgs.set(key, args);
      else if (referenceArgs.has(key) && referenceArgs.get(key) !== args) {
        problems.push(
          `${locale}: "${key}" uses {${args}}, ${REFERENCE_LOCALE} {${referenceArgs.get(key)}}`,
        );
      }
      for (const tag of elements.tags.filter((name) => !known.has(name)))
        problems.push(`${locale}: "${key}" uses the unknown tag <${tag}>`);
    }
  }
  return problems;
}
