import { Matches } from './validators';

/**
 * Rejects control characters (Cc: CR, LF, NUL, …), invisible format characters (Cf:
 * bidirectional overrides such as U+202E, zero-width spaces, the BOM) and the Unicode line
 * separators. Anything that may reach an email header or a person's screen (addresses,
 * display names) must be one clean line that reads the way it is stored.
 */
export const NO_CONTROL_CHARACTERS = /^[^\p{Cc}\p{Cf}\u2028\u2029]*$/u;

export function NoControlCharacters(): PropertyDecorator {
  return Matches(NO_CONTROL_CHARACTERS, 'field.no-control-characters');
}
