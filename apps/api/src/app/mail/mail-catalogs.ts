import { join } from 'node:path';

import { Locale } from '@account-recovery/contracts';

import { Catalog, MessageCatalogs, catalogProblems as problemsOf } from '../i18n/message-catalogs';

export { elementsOf, flattenCatalog, REFERENCE_LOCALE } from '../i18n/message-catalogs';
export type { Catalog } from '../i18n/message-catalogs';

/** The markup a message may carry, as ICU tags: `<b>…</b>`, `<support>…</support>`, `<ltr>…</ltr>`. */
export const MESSAGE_TAGS = ['b', 'support', 'ltr'] as const;

const MAIL_RULES = { name: 'Mail', tags: MESSAGE_TAGS };

/**
 * The translations of the emails: one JSON file per locale in `assets/mail/i18n`, read and
 * checked at start-up by the loader the API's messages share (i18n/message-catalogs.ts).
 */
export class MailCatalogs extends MessageCatalogs {
  /** Reads and checks `<mailDir>/i18n/*.json`: exactly one per supported locale. */
  static load(mailDir: string): MailCatalogs {
    return new MailCatalogs(MessageCatalogs.read(join(mailDir, 'i18n'), MAIL_RULES), MAIL_RULES);
  }
}

/** Everything wrong with a set of mail catalogs (empty: none); the tags are MESSAGE_TAGS. */
export function catalogProblems(catalogs: ReadonlyMap<Locale, Catalog>): string[] {
  return problemsOf(catalogs, MESSAGE_TAGS);
}
