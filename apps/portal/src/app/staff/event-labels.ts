/**
 * The words for each security event type of the API (docs/architecture.md §10) and for who
 * did it. A type this portal does not know yet shows as it is.
 */
const EVENT_LABELS: Readonly<Record<string, () => string>> = {
  'reset.requested': () => $localize`:@@event.resetRequested:Asked for a reset link`,
  'reset.requested_unknown': () =>
    $localize`:@@event.resetRequestedUnknown:Reset asked for an address without an account`,
  'reset.forced': () => $localize`:@@event.resetForced:Reset link sent by the help desk`,
  'reset.email_sent': () => $localize`:@@event.resetEmailSent:Reset email sent`,
  'reset.email_suppressed': () => $localize`:@@event.resetEmailSuppressed:Reset email held back`,
  'reset.link_validated': () => $localize`:@@event.resetLinkValidated:Reset link opened`,
  'reset.code_failed': () => $localize`:@@event.resetCodeFailed:Wrong code from the reset email`,
  'reset.code_redeemed': () => $localize`:@@event.resetCodeRedeemed:Code from the reset email used`,
  'reset.completed': () => $localize`:@@event.resetCompleted:Password reset`,
  'reset.failed': () => $localize`:@@event.resetFailed:Password reset refused`,
  'signin.succeeded': () => $localize`:@@event.signinSucceeded:Signed in`,
  'signin.failed': () => $localize`:@@event.signinFailed:Sign-in with a wrong password`,
  'account.throttled': () => $localize`:@@event.accountThrottled:Sign-in throttled`,
  'account.locked': () => $localize`:@@event.accountLocked:Sign-in locked`,
  'sessions.revoked': () => $localize`:@@event.sessionsRevoked:Sessions ended`,
  'mfa.enabled': () => $localize`:@@event.mfaEnabled:Authenticator added`,
  'mfa.disabled': () => $localize`:@@event.mfaDisabled:Authenticator removed`,
  'mfa.reset': () => $localize`:@@event.mfaReset:Two-step verification reset by the help desk`,
  'mfa.failed': () => $localize`:@@event.mfaFailed:Wrong two-step code`,
  'mfa.recovery_code_used': () => $localize`:@@event.mfaRecoveryCodeUsed:Recovery code used`,
  'mfa.recovery_codes_regenerated': () =>
    $localize`:@@event.mfaRecoveryCodesRegenerated:New recovery codes made`,
  'user.created': () => $localize`:@@event.userCreated:Account created`,
  'user.changed': () => $localize`:@@event.userChanged:Account details changed`,
  'user.deleted': () => $localize`:@@event.userDeleted:Account deleted`,
  'user.role_granted': () => $localize`:@@event.userRoleGranted:Staff role granted`,
  'user.role_revoked': () => $localize`:@@event.userRoleRevoked:Staff role taken away`,
};

export function eventLabel(type: string): string {
  return EVENT_LABELS[type]?.() ?? type;
}

/** `self`, `system`, `service:<client name>` or `staff:<user id>`, in words. */
export function actorLabel(actor: string, viewerId: string | null): string {
  if (actor === 'self') return $localize`:@@event.actorSelf:the person`;
  if (actor === 'system') return $localize`:@@event.actorSystem:the system`;
  if (actor.startsWith('service:')) {
    const name = actor.slice('service:'.length);
    return $localize`:@@event.actorService:the service ${name}:name:`;
  }
  if (actor.startsWith('staff:')) {
    return actor.slice('staff:'.length) === viewerId
      ? $localize`:@@event.actorYou:you`
      : $localize`:@@event.actorStaff:a member of staff`;
  }
  return actor;
}

/** The facts of `details` (a reason, a code, a count) as `key: value` pairs. */
export function detailsText(details: Readonly<Record<string, unknown>>): string {
  return Object.entries(details)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([key, value]) => `${key}: ${String(value)}`)
    .join(', ');
}
