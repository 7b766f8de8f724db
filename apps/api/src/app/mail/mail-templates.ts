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
  'reset-password': CommonMailContext & {
    link: string;
    expiresInMinutes: number;
    /** The 8-digit code for code recovery; null for a rendering without one. */
    code: string | null;
  };
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
  /** The second factor was added, removed, reset by the help desk, or its codes renewed. */
  'mfa-changed': CommonMailContext & {
    subject: string;
    changedAt: string;
    forgotPasswordLink: string;
    enabled: boolean;
    disabled: boolean;
    resetByHelpDesk: boolean;
    recoveryCodes: boolean;
  };
  /** Five wrong second-factor codes revoked a reset link. */
  'reset-locked': CommonMailContext & { forgotPasswordLink: string };
}

export type MailTemplateName = keyof MailContexts;

export const MAIL_SUBJECTS: { [K in MailTemplateName]: (ctx: MailContexts[K]) => string } = {
  'reset-password': (ctx) => `Reset your ${ctx.productName} password`,
  invitation: (ctx) => `Welcome to ${ctx.productName}: set your password`,
  'password-changed': (ctx) => `Your ${ctx.productName} password was changed`,
  'email-changed': (ctx) => `Your ${ctx.productName} sign-in email was changed`,
  'mfa-changed': (ctx) => ctx.subject,
  'reset-locked': (ctx) => `A ${ctx.productName} password reset was stopped`,
};

/** The subject of each second-factor notice (also its heading). */
export const MFA_CHANGE_SUBJECTS = {
  enabled: (product: string) => `An authenticator was added to your ${product} account`,
  disabled: (product: string) => `The authenticator was removed from your ${product} account`,
  reset: (product: string) => `Your help desk removed your ${product} authenticator`,
  'recovery-codes': (product: string) => `New ${product} recovery codes were made`,
} as const;

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
