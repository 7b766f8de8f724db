/** Machine-readable error codes carried in the `code` field of every error answer. */
export const ERROR_CODES = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  TOKEN_INVALID: 'TOKEN_INVALID',
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  TOKEN_USED: 'TOKEN_USED',
  PASSWORD_POLICY: 'PASSWORD_POLICY',
  /** A reset of an account with a second factor, without a code. */
  SECOND_FACTOR_REQUIRED: 'SECOND_FACTOR_REQUIRED',
  /** A wrong, reused or malformed authenticator or recovery code. */
  MFA_CODE_INVALID: 'MFA_CODE_INVALID',
  /** The emailed 8-digit code: wrong, unknown address or dead request, alike. */
  CODE_INVALID: 'CODE_INVALID',
  /** A sign-in challenge expired, used, or ended by five wrong codes. */
  CHALLENGE_INVALID: 'CHALLENGE_INVALID',
  /** Adding a factor needs a sign-in of the last ten minutes. */
  REAUTH_REQUIRED: 'REAUTH_REQUIRED',
  /** The account already has an authenticator. */
  MFA_ALREADY_ENROLLED: 'MFA_ALREADY_ENROLLED',
  /** The account has no authenticator (or none pending, for a confirmation). */
  MFA_NOT_ENROLLED: 'MFA_NOT_ENROLLED',
  /** A staff member without a confirmed second factor: enrol one before using the staff API. */
  MFA_ENROLLMENT_REQUIRED: 'MFA_ENROLLMENT_REQUIRED',
  /**
   * An account with a staff role, acted on by a service key or the help desk: only an
   * administrator (or the operator's CLI) may reset, end, change or delete staff accounts.
   */
  STAFF_ACCOUNT_PROTECTED: 'STAFF_ACCOUNT_PROTECTED',
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  EMAIL_TAKEN: 'EMAIL_TAKEN',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  RATE_LIMITED: 'RATE_LIMITED',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL_ERROR: 'INTERNAL_ERROR',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** The token codes the reset page turns into "expired", "already used" or "invalid". */
export type TokenErrorCode =
  | typeof ERROR_CODES.TOKEN_INVALID
  | typeof ERROR_CODES.TOKEN_EXPIRED
  | typeof ERROR_CODES.TOKEN_USED;
