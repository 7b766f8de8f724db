import { Matches } from 'class-validator';

/**
 * Rejects CR, LF, NUL and the other C0/C1 controls. Anything that may reach an email
 * header (addresses, display names) must be one clean line.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f-\u009f]*$/;

export function NoControlCharacters(): PropertyDecorator {
  return Matches(NO_CONTROL_CHARACTERS, {
    message: '$property must not contain control characters',
  });
}
