import type { LoginResponse, MfaChallengeResponse } from '@account-recovery/contracts';

/** A sign-in answers with a session, or, for an account with a second factor, a challenge. */
export function isSecondFactorChallenge(answer: LoginResponse): answer is MfaChallengeResponse {
  return 'mfaRequired' in answer && answer.mfaRequired;
}
