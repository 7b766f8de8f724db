import { ValidateBy, ValidationOptions } from 'class-validator';

/*
 * The address syntax of validator's isEmail (13.x) with the options the API has always used
 * (no display name, no IP-literal domain, no TLD required, UTF-8 local parts allowed), done
 * without its per-call costs: two option merges, and two `encodeURI(...).split(...)` byte
 * counts that allocate an array per character. On forgot-password, the endpoint floods aim
 * at, that was ~10 µs of API CPU per request. email-address.spec.ts checks this function
 * against validator's on a large random corpus; the one intended difference is that a
 * string that is not well-formed UTF-16 (a lone surrogate) is refused here, where
 * validator's byte count throws (and the request would have ended in a 500).
 *
 * The other difference: a quoted local part (`"jane doe"@example.com`) is refused. RFC 5321
 * allows it, but the API passed `"a@evil x"@corp.example` on and the SMTP relay refused it;
 * a person's mailbox never needs quoting.
 *
 * The regular expressions are validator's own.
 */

const MAX_ADDRESS_LENGTH = 254;
const MAX_LOCAL_PART_BYTES = 64;
const MAX_DOMAIN_BYTES = 254;
const MAX_LABEL_LENGTH = 63;

const LOCAL_ATOM = /^[a-z\d!#$%&'*+\-/=?^_`{|}~\u00A1-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF]+$/i;
const LABEL = /^[a-z\u00a1-\uffff0-9-]+$/i;
const FULLWIDTH = /[\uff01-\uff5e]/;
const DIGITS = /^\d+$/;
/** A surrogate that is not half of a pair: the string is not well-formed UTF-16. */
const LONE_SURROGATE = /\p{Cs}/u;

export function isEmailAddress(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > MAX_ADDRESS_LENGTH) return false;
  if (LONE_SURROGATE.test(value)) return false;
  const at = value.lastIndexOf('@');
  if (at < 0) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (utf8Length(local) > MAX_LOCAL_PART_BYTES || utf8Length(domain) > MAX_DOMAIN_BYTES) {
    return false;
  }
  if (!isDomain(domain)) return false;
  // No quoted local part: LOCAL_ATOM has no '"', so `"…"@…` fails below.
  return local.split('.').every((atom) => LOCAL_ATOM.test(atom));
}

/** validator's isFQDN without a required TLD: labels of letters, digits and hyphens. */
function isDomain(domain: string): boolean {
  const labels = domain.split('.');
  if (DIGITS.test(labels[labels.length - 1])) return false;
  return labels.every(
    (label) =>
      label.length <= MAX_LABEL_LENGTH &&
      LABEL.test(label) &&
      !FULLWIDTH.test(label) &&
      label[0] !== '-' &&
      label[label.length - 1] !== '-',
  );
}

/** UTF-8 length of a well-formed string, without encoding it. */
function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) continue;
    if (unit < 0x800) bytes += 1;
    else if (unit >= 0xd800 && unit <= 0xdbff) {
      bytes += 2; // a surrogate pair: 4 bytes for its 2 units
      i++;
    } else bytes += 2;
  }
  return bytes;
}

/** class-validator decorator for isEmailAddress. */
export function IsEmailAddress(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isEmail',
      validator: {
        validate: (value: unknown) => isEmailAddress(value),
        defaultMessage: () => '$property must be an email address',
      },
    },
    options,
  );
}
