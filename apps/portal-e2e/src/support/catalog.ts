import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { DEFAULT_LOCALE, type Locale } from '@account-recovery/contracts';

const WORKSPACE = join(__dirname, '../../../..');
const PORTAL_CATALOGS = join(WORKSPACE, 'apps/portal/src/locale');
const MAIL_CATALOGS = join(WORKSPACE, 'apps/api/src/assets/mail/i18n');

const portalCatalogs = new Map<Locale, Record<string, string>>();

/**
 * What the portal shows for message `id` in `locale`, from the same catalogs the build
 * inlines (apps/portal/src/locale), placeholders filled from `values` and whitespace folded
 * as a browser folds it: the suite finds controls by what a reader of that language sees.
 */
export function t(
  locale: Locale,
  id: string,
  values: Record<string, string | number> = {},
): string {
  let catalog = portalCatalogs.get(locale);
  if (catalog === undefined) {
    const file = locale === DEFAULT_LOCALE ? 'messages.json' : `messages.${locale}.json`;
    catalog = (
      JSON.parse(readFileSync(join(PORTAL_CATALOGS, file), 'utf8')) as {
        translations: Record<string, string>;
      }
    ).translations;
    portalCatalogs.set(locale, catalog);
  }
  const text = catalog[id];
  if (text === undefined) throw new Error(`the ${locale} catalog has no message ${id}`);
  return text
    .replace(/\{\$(\w+)\}/g, (_, name: string) => {
      if (!(name in values)) throw new Error(`message ${id} needs a value for ${name}`);
      return String(values[name]);
    })
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The subject of email `name` in `locale` as the API writes it (its catalogs are ICU, but no
 * subject has more than `{productName}`).
 */
export function mailSubject(
  locale: Locale,
  name: string,
  productName = 'Account Recovery',
): string {
  const catalog = JSON.parse(readFileSync(join(MAIL_CATALOGS, `${locale}.json`), 'utf8')) as Record<
    string,
    { subject: string }
  >;
  return catalog[name].subject.replaceAll('{productName}', productName);
}
