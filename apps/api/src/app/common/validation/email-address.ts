import { isEmail, ValidateBy, ValidationOptions } from 'class-validator';

import { fieldMessage } from './field-messages';

/**
 * An address as validator's `isEmail` (through class-validator) reads it, with the options the
 * API has always used: no display name, no IP-literal domain, no TLD required, UTF-8 local
 * parts allowed. Two additions:
 *
 * - `isEmail` counts bytes with `encodeURI`, which throws on a string that is not well-formed
 *   UTF-16 (a lone surrogate): the request would end in a 500, which no input may cause
 *   (docs/architecture.md §6), so a throw is a no.
 * - A quoted local part (`"jane doe"@example.com`) is refused. RFC 5321 allows it and
 *   validator accepts it, but the API once passed `"a@evil x"@corp.example` on and the SMTP
 *   relay refused it; a person's mailbox never needs quoting. Outside a quoted local part
 *   validator's grammar has no `"` at all, so any `"` means quoting.
 */
export function isEmailAddress(value: unknown): boolean {
  if (typeof value !== 'string' || value.includes('"')) return false;
  try {
    return isEmail(value, {
      allow_display_name: false,
      allow_ip_domain: false,
      require_tld: false,
    });
  } catch {
    return false;
  }
}

/** class-validator decorator for isEmailAddress. */
export function IsEmailAddress(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isEmail',
      validator: {
        validate: (value: unknown) => isEmailAddress(value),
        defaultMessage: fieldMessage('field.email'),
      },
    },
    options,
  );
}
