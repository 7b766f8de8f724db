/** The pg-boss queue of flush jobs: "deliver this user's pending events to this endpoint". */
export const WEBHOOK_QUEUE = 'webhook';

export const WEBHOOK_EVENT_TYPES = [
  'user.invited',
  'password.reset_requested_by_service',
  'password.changed',
  'user.deleted',
  'user.email_changed',
  'user.mfa_enabled',
  'user.mfa_disabled',
  'user.mfa_reset',
  'user.mfa_recovery_codes_regenerated',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

type Scalar = string | number | boolean | null;

/**
 * What each event says besides the user id. Facts about the account only: never a token,
 * a password or a hash (publish() refuses keys that look like one).
 */
export interface WebhookEventData {
  'user.invited': { email: string; displayName?: string | null };
  'password.reset_requested_by_service': { email: string; sessionsRevoked?: boolean };
  'password.changed': { email: string };
  'user.deleted': { email?: string };
  /** `email` is the new address, as in every other event; `previousEmail` the one it replaced. */
  'user.email_changed': { email: string; previousEmail: string };
  'user.mfa_enabled': { email: string };
  'user.mfa_disabled': { email: string };
  /** A help desk removed the factor (DELETE /v1/users/{id}/mfa). */
  'user.mfa_reset': { email: string };
  'user.mfa_recovery_codes_regenerated': { email: string };
}

/** The JSON body of a delivery, in this key order. */
export interface WebhookPayload {
  type: WebhookEventType;
  /** ISO 8601: when the change happened (the same on every attempt). */
  timestamp: string;
  data: { userId: string } & Record<string, Scalar | undefined>;
}

/** A flush job: the endpoint URL as configured (normalised) and the user. */
export interface WebhookFlushJob {
  endpoint: string;
  userId: string;
}

/** Keys that must never reach a receiver, whatever a caller passes. */
const SECRET_LIKE_KEY = /pass(word)?|token|hash|secret|key|otp|code/i;

/** Throws when `data` has a key that could carry a secret, or a nested value. */
export function assertPublishable(data: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(data)) {
    if (SECRET_LIKE_KEY.test(key)) {
      throw new Error(`webhook data must not carry "${key}": no tokens, passwords or hashes`);
    }
    if (key === 'userId') throw new Error('webhook data gets userId from publish(), not data');
    if (value !== null && typeof value === 'object') {
      throw new Error(`webhook data "${key}" must be a string, number, boolean or null`);
    }
  }
}
