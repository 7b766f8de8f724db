/**
 * The transactional emails and the data each one needs.
 *
 * One entry per template: the key is the file name under `assets/mail/templates` (HTML) and
 * `assets/mail/text` (plain text), the value is the context both are rendered with. The
 * templates run in Handlebars strict mode, so a field missing here fails the send instead of
 * printing an empty string.
 */

/** Fields every email shows: branding, support contact, greeting and where the request came from. */
export interface CommonMailContext {
  productName: string;
  supportEmail: string;
  /** Display name of the person; `null` greets without a name. Escaped in HTML. */
  recipientName: string | null;
  /** Human-readable UTC time of the request, see {@link formatMailTimestamp}. */
  requestedAt: string;
  /** Client IP of the request; `null` when it was not recorded. */
  requestIp: string | null;
}

export interface MailContexts {
  /** A person asked for a reset link (or a help desk forced one). */
  'reset-password': CommonMailContext & { link: string; expiresInMinutes: number };
  /** An account was created for the person: set-your-password link with a longer TTL. */
  invitation: CommonMailContext & {
    link: string;
    expiresInMinutes: number;
    /** The TTL in words, e.g. "72 hours". */
    expiresInText: string;
  };
  /** Notice after a successful reset, with a link to ask for a new reset if it wasn't them. */
  'password-changed': CommonMailContext & { changedAt: string; forgotPasswordLink: string };
  /** Sent to the old address after a service changed the account's email. */
  'email-changed': CommonMailContext & { changedAt: string; newEmail: string };
}

export type MailTemplateName = keyof MailContexts;

export const MAIL_SUBJECTS: { [K in MailTemplateName]: (ctx: MailContexts[K]) => string } = {
  'reset-password': (ctx) => `Reset your ${ctx.productName} password`,
  invitation: (ctx) => `Welcome to ${ctx.productName}: set your password`,
  'password-changed': (ctx) => `Your ${ctx.productName} password was changed`,
  'email-changed': (ctx) => `Your ${ctx.productName} sign-in email was changed`,
};

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/**
 * Formats a moment the way the emails show it, independent of the server's locale and time
 * zone: `"14 March 2025 at 09:05 UTC"`.
 */
export function formatMailTimestamp(date: Date): string {
  if (Number.isNaN(date.getTime())) {
    throw new RangeError('formatMailTimestamp: invalid date');
  }
  const hours = String(date.getUTCHours()).padStart(2, '0');
  const minutes = String(date.getUTCMinutes()).padStart(2, '0');
  const month = MONTHS[date.getUTCMonth()];
  return `${date.getUTCDate()} ${month} ${date.getUTCFullYear()} at ${hours}:${minutes} UTC`;
}
