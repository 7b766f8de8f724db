import { Locale } from '@account-recovery/contracts';

/**
 * The transactional emails and the data each one needs.
 *
 * One entry per template: the key is the file name under `assets/mail/templates` (HTML) and
 * `assets/mail/text` (plain text), the value is the context both are rendered with. The
 * templates run in Handlebars strict mode, so a field missing here fails the send instead of
 * printing an empty string. Their words come from the catalog of the context's `locale`
 * (`assets/mail/i18n`, docs/architecture.md §12).
 */

/** Fields every email shows: branding, support contact, greeting and where the request came from. */
export interface CommonMailContext {
  /** The language of the email: the person's, else their request's, else DEFAULT_LOCALE. */
  locale: Locale;
  productName: string;
  supportEmail: string;
  /** Display name of the person; `null` greets without a name. Escaped in HTML. */
  recipientName: string | null;
  /** Time of the request in the email's locale, see {@link formatMailTimestamp}. */
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
  invitation: CommonMailContext & { link: string; expiresInMinutes: number };
  /** Notice after a successful reset, with a link to ask for a new reset if it wasn't them. */
  'password-changed': CommonMailContext & { changedAt: string; forgotPasswordLink: string };
  /** Sent to the old address after a service changed the account's email. */
  'email-changed': CommonMailContext & { changedAt: string; newEmail: string };
  /** The second factor was added, removed, reset by the help desk, or its codes renewed. */
  'mfa-changed': CommonMailContext & {
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

/**
 * What the templates are rendered with: the context, and what MailComposer formats from it
 * in its locale (a plural needs the value, which a template's messages never format).
 */
export type RenderedMailContext<K extends MailTemplateName> = MailContexts[K] & {
  /** `expiresInMinutes` in words, "15 minutes", "3 days". */
  expiresIn?: string;
};

/** The catalog key of each email's subject. */
export const MAIL_SUBJECT_KEYS: { [K in MailTemplateName]: (ctx: MailContexts[K]) => string } = {
  'reset-password': () => 'reset-password.subject',
  invitation: () => 'invitation.subject',
  'password-changed': () => 'password-changed.subject',
  'email-changed': () => 'email-changed.subject',
  'mfa-changed': (ctx) => {
    const change = ctx.enabled
      ? 'enabled'
      : ctx.disabled
        ? 'disabled'
        : ctx.resetByHelpDesk
          ? 'reset'
          : 'recovery-codes';
    return `mfa-changed.subject.${change}`;
  },
  'reset-locked': () => 'reset-locked.subject',
};

const TIMESTAMP_FORMATS = new Map<Locale, Intl.DateTimeFormat>();

/**
 * Formats a moment the way the emails show it: in the email's locale, in UTC and saying so,
 * with a 24-hour clock, whatever the server's locale and time zone:
 * `"March 14, 2025 at 09:05 UTC"`, `"14. März 2025 um 09:05 UTC"`.
 */
export function formatMailTimestamp(date: Date, locale: Locale): string {
  if (Number.isNaN(date.getTime())) {
    throw new RangeError('formatMailTimestamp: invalid date');
  }
  let format = TIMESTAMP_FORMATS.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone: 'UTC',
      timeZoneName: 'short',
    });
    TIMESTAMP_FORMATS.set(locale, format);
  }
  return format.format(date);
}
