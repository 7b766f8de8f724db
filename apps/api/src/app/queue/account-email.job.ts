import type { Locale } from '@account-recovery/contracts';

import type { SecurityActor } from '../events/security-event-types';

/**
 * The one queue of emails to people. Every email is a job, so an SMTP outage delays
 * mail instead of losing it, and the HTTP request that caused it never waits for SMTP.
 */
export const ACCOUNT_EMAIL_QUEUE = 'account-email';

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  /** ISO 8601 */
  requestedAt: string;
  /**
   * Who asked, for the security events (docs/architecture.md §10): `service:<client name>`
   * for a service key, else the person (`self`). Absent in jobs queued before it existed.
   */
  actor?: SecurityActor;
  /**
   * The locale negotiated from the request's Accept-Language (docs/architecture.md §12): the
   * language of the email it causes when the person has none stored. Null when the header
   * named nothing the product speaks; absent in jobs queued before it existed (then
   * DEFAULT_LOCALE). A short code, never the header itself.
   */
  locale?: Locale | null;
}

/** The email template each kind of job ends in (for metrics and logs). */
export const TEMPLATE_OF = {
  'reset-request': 'reset-password',
  'forced-reset': 'reset-password',
  invitation: 'invitation',
  'password-changed': 'password-changed',
  'email-changed': 'email-changed',
  'mfa-changed': 'mfa-changed',
  'reset-locked': 'reset-locked',
} as const;

/** What happened to a person's second factor (the notice email says which). */
export type MfaChange = 'enabled' | 'disabled' | 'reset' | 'recovery-codes';

export type AccountEmailJob =
  /** Someone asked for a link by address; the worker decides whether anything is sent. */
  | ({
      kind: 'reset-request';
      /** As typed (validated). */
      email: string;
      /**
       * `normaliseEmail(email)`, as the API computed it: what the intake's mover compares
       * with `users.email` in SQL (queue/reset-intake.ts). Absent in jobs queued by versions
       * before it existed; the worker normalises `email` itself anyway.
       */
      address?: string;
    } & RequestMeta)
  /** A service forced a reset for a known user (help desk). */
  | ({ kind: 'forced-reset'; userId: string } & RequestMeta)
  | ({ kind: 'invitation'; userId: string } & RequestMeta)
  | ({ kind: 'password-changed'; userId: string } & RequestMeta)
  /** To the old address, which the user row no longer holds. */
  | ({ kind: 'email-changed'; userId: string; oldEmail: string; newEmail: string } & RequestMeta)
  | ({ kind: 'mfa-changed'; userId: string; change: MfaChange } & RequestMeta)
  /** Five wrong second-factor codes were shown with a reset link, which is now revoked. */
  | ({ kind: 'reset-locked'; userId: string } & RequestMeta);
