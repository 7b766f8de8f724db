import type { ValidationArguments, ValidationOptions } from 'class-validator';

import { ApiMessage, FieldMessageKey, MessageValues } from '../../i18n/api-messages';

/** Starts a class-validator message that is a keyed message, not a sentence. */
const MARK = '\u0000api-message:';

/**
 * class-validator words a failed check as a string, when the check fails, inside the
 * validation pipe: the request's language is not known there. So each check's message is
 * a function that returns its catalog key and values (the field's name, the check's limits),
 * as JSON behind MARK; validationExceptionFactory reads them back and the exception filter
 * words them in the request's language. `$` is written as `\u0024`: class-validator replaces
 * `$property`, `$value` and `$constraint1` in whatever a message function returns.
 */
export function encodeFieldMessage(message: ApiMessage): string {
  return MARK + JSON.stringify(message).replace(/\$/g, '\\u0024');
}

/** The keyed message of a class-validator message, or null for a sentence. */
export function decodeFieldMessage(text: string): ApiMessage | null {
  if (!text.startsWith(MARK)) return null;
  return JSON.parse(text.slice(MARK.length)) as ApiMessage;
}

/**
 * A check's message as a key: `{field}` is the property's name, `values` reads the rest from
 * the check's constraints (`MaxLength(254)` → `{ max: 254 }`).
 */
export function fieldMessage(
  key: FieldMessageKey,
  values?: (constraints: readonly unknown[]) => MessageValues,
): (args: ValidationArguments) => string {
  return (args) =>
    encodeFieldMessage({
      key,
      values: { field: args.property, ...values?.(args.constraints ?? []) },
    });
}

/** `{ message }` for a class-validator decorator: {@link fieldMessage}. */
export function keyed(
  key: FieldMessageKey,
  values?: (constraints: readonly unknown[]) => MessageValues,
): ValidationOptions {
  return { message: fieldMessage(key, values) };
}
