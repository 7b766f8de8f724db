import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { Locale } from '@account-recovery/contracts';

// Types only: the English catalog names the keys, so a key that is not in it does not compile.
import type EnglishCatalog from '../../assets/api/i18n/en.json';
import { MessageCatalogs } from './message-catalogs';

/** The dotted keys of a nested catalog: `{ a: { b: "…" } }` → `"a.b"`. */
type KeysOf<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : KeysOf<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** A message of the API's catalogs (`assets/api/i18n/en.json`). */
export type ApiMessageKey = KeysOf<typeof EnglishCatalog>;
/** The messages of one field of a VALIDATION_FAILED answer's `errors`. */
export type FieldMessageKey = Extract<ApiMessageKey, `field.${string}`>;

export type MessageValues = Readonly<Record<string, string | number>>;

/**
 * What an error says, before it is said in a language: the key of a message and the values of
 * its arguments. Thrown errors carry this, not a sentence; the exception filter words it in the
 * language of the request (docs/architecture.md §12).
 */
export interface ApiMessage {
  readonly key: ApiMessageKey;
  readonly values?: MessageValues;
}

/** Plain text, as JSON carries it: no tags. */
const API_RULES = { name: 'API', tags: [] };

/** The API's error messages: one ICU catalog per locale in `assets/api/i18n`. */
export class ApiMessages extends MessageCatalogs {
  /** Reads and checks `<dir>/*.json` (throws on any problem: see MessageCatalogs). */
  static load(dir: string = resolveApiMessagesDir()): ApiMessages {
    return new ApiMessages(MessageCatalogs.read(dir, API_RULES), API_RULES);
  }

  /** The message in `locale`, its arguments filled in. */
  render(locale: Locale, message: ApiMessage): string {
    return this.text(locale, message.key, message.values);
  }
}

/**
 * Where the catalogs are at run time: `assets/api/i18n` next to the bundle (the build copies
 * `src/assets`), or next to the sources when tests run them through ts-jest.
 */
export function resolveApiMessagesDir(): string {
  const candidates = [
    join(__dirname, 'assets', 'api', 'i18n'),
    join(__dirname, '..', '..', 'assets', 'api', 'i18n'),
  ];
  const found = candidates.find((dir) => existsSync(join(dir, 'en.json')));
  if (!found) throw new Error('API message catalogs not found next to the application bundle');
  return found;
}

let shared: ApiMessages | null = null;

/**
 * The catalogs, read once per process. Shared rather than injected: errors are made where no
 * Nest provider reaches (Fastify's content-type parser and server options, static factories
 * of ApiException). Start-up reads them first (configureHttp, the worker), so a broken catalog
 * stops the process before it answers anything.
 */
export function apiMessages(): ApiMessages {
  shared ??= ApiMessages.load();
  return shared;
}
