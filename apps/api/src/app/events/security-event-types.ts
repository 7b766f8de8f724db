/**
 * Every kind of security event (docs/architecture.md §10) and what its `details` may hold. Facts
 * only: never a token, code, password, secret or hash (SecurityEvents.record refuses keys
 * that look like one, as webhooks do).
 */
export const SECURITY_EVENT_TYPES = [
  // Recovery
  'reset.requested', // a request for an address with an account
  'reset.requested_unknown', // requests for addresses without one: counted, never stored
  'reset.forced', // a service or staff member sent a link (help desk)
  'reset.email_sent',
  'reset.email_suppressed', // a limit held the email back: details.reason
  'reset.link_validated',
  'reset.code_failed', // a wrong emailed 8-digit code
  'reset.code_redeemed',
  'reset.completed',
  'reset.failed', // details.code: the contract code of the refusal
  // Sign-in
  'signin.succeeded',
  'signin.failed',
  'account.throttled',
  'account.locked',
  'sessions.revoked',
  // Second factor
  'mfa.enabled',
  'mfa.disabled',
  'mfa.reset',
  'mfa.failed',
  'mfa.recovery_code_used',
  'mfa.recovery_codes_regenerated',
  // Accounts
  'user.created',
  'user.changed',
  'user.deleted',
  'user.role_granted',
  'user.role_revoked',
] as const;
export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

/** Who did it: the person, a service by its client name, a staff member by user id, or us. */
export type SecurityActor = 'self' | 'system' | `service:${string}` | `staff:${string}`;

type Scalar = string | number | boolean | null;

export interface SecurityEvent {
  type: SecurityEventType;
  userId: string | null;
  actor: SecurityActor;
  ip: string | null;
  userAgent: string | null;
  details?: Record<string, Scalar>;
}
