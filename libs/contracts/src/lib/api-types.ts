import type { ErrorCode } from './error-codes';
import type { Locale } from './locales';
import type { PasswordRule } from './password-policy';

/** Request and response bodies of the v1 REST API. */

export interface ForgotPasswordRequest {
  email: string;
}

export interface MessageResponse {
  message: string;
}

export const FORGOT_PASSWORD_MESSAGE = 'If the email exists, a reset link has been sent.';
export const RESET_PASSWORD_MESSAGE = 'Password reset successful';

export interface ValidateResetTokenRequest {
  token: string;
}

/** How a person proves a second factor: an authenticator's code, or one recovery code. */
export const SECOND_FACTOR_METHODS = ['totp', 'recovery_code'] as const;
export type SecondFactorMethod = (typeof SECOND_FACTOR_METHODS)[number];

/** What the holder of a link must show besides it; null when the account has no factor. */
export interface SecondFactorRequirement {
  methods: SecondFactorMethod[];
}

/** The length rules the server applies (PASSWORD_MIN_LENGTH), for the portal's checklist. */
export interface PasswordPolicySummary {
  minLength: number;
  maxLength: number;
}

export interface ValidateResetTokenResponse {
  valid: true;
  /** ISO 8601 */
  expiresAt: string;
  secondFactor: SecondFactorRequirement | null;
  passwordPolicy: PasswordPolicySummary;
}

/** A code from the authenticator (6 digits) or a recovery code (10 characters). */
export interface SecondFactorProof {
  code: string;
}

export interface ResetPasswordRequest {
  token: string;
  newPassword: string;
  /** Required when `validate` named a second factor. */
  secondFactor?: SecondFactorProof;
}

/** The 8-digit code of a reset email, exchanged for that request's reset token. */
export interface ResetCodeRequest {
  email: string;
  code: string;
}

export interface ResetCodeResponse {
  /** A reset token for the request; its emailed link stops working. */
  token: string;
}

export interface LoginRequest {
  email: string;
  password: string;
}

export interface SessionTokens {
  accessToken: string;
  tokenType: 'Bearer';
  /** seconds */
  expiresIn: number;
}

/** A correct password of an account with a second factor: the factor comes next. */
export interface MfaChallengeResponse {
  mfaRequired: true;
  /** For `POST /v1/auth/login/mfa`; five minutes, five wrong codes. */
  challengeToken: string;
  methods: SecondFactorMethod[];
}

export type LoginResponse = SessionTokens | MfaChallengeResponse;

export interface LoginMfaRequest {
  challengeToken: string;
  code: string;
}

export interface MfaStatus {
  totp: boolean;
  recoveryCodesLeft: number;
}

export interface MeResponse {
  id: string;
  email: string;
  displayName: string | null;
  /** The language of the person's emails (and, later, of the portal); null: not chosen. */
  locale: Locale | null;
  /** Staff roles; empty for everyone else. Granted only by the operator CLI (`user:grant`). */
  roles: StaffRole[];
  mfa: MfaStatus;
}

/** A pending authenticator: active once a code from it is confirmed. */
export interface TotpEnrolmentResponse {
  /** Base32, for typing into an authenticator by hand. */
  secret: string;
  /** `otpauth://totp/...`, the content of the QR code. */
  otpauthUri: string;
}

export interface MfaCodeRequest {
  code: string;
}

export interface RecoveryCodesResponse {
  /** Ten codes, shown once; each signs in or resets once. */
  recoveryCodes: string[];
}

export interface CreateUserRequest {
  email: string;
  displayName?: string;
  locale?: Locale;
}

/** `PATCH /v1/auth/me`: what a person may change of their own account; null clears. */
export interface UpdateMeRequest {
  displayName?: string | null;
  locale?: Locale | null;
}

export interface UserResponse {
  id: string;
  email: string;
  displayName: string | null;
  /** The language of the person's emails; null: their request's, else DEFAULT_LOCALE. */
  locale: Locale | null;
  hasPassword: boolean;
  passwordChangedAt: string | null;
  /** Staff roles; empty for everyone else. */
  roles: StaffRole[];
  /** A confirmed authenticator (recovery codes come with it). */
  hasSecondFactor: boolean;
  /** Sessions issued before this instant no longer work (reset, revocation, help desk). */
  sessionsRevokedAt: string | null;
  /** What the throttles hold against the account now: what the help desk needs to know. */
  lockout: AccountLockout;
  createdAt: string;
  updatedAt: string;
}

/** `ok`: nothing held; `throttled`: waits between attempts until `until`; `locked`: only the help desk or a reset lifts it. */
export type LockState = 'ok' | 'throttled' | 'locked';

export interface ThrottleStatus {
  state: LockState;
  /** Consecutive failures counted against the account. */
  failures: number;
  /** When the next attempt is admitted; null when `ok` or `locked`. */
  until: string | null;
}

export interface AccountLockout {
  signIn: ThrottleStatus;
  secondFactor: ThrottleStatus;
}

/** `GET /v1/users?query=`: a page of people whose address or name starts with the query. */
export interface UsersPage {
  items: UserResponse[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** `limit` of `GET /v1/users?query=`: users per page. */
export const USERS_PAGE_LIMIT = { default: 20, max: 100 } as const;

export interface ErrorResponse {
  statusCode: number;
  code: ErrorCode;
  message: string;
  /** field → messages, for VALIDATION_FAILED */
  errors?: Record<string, string[]>;
  /** the rules broken, for PASSWORD_POLICY */
  rules?: PasswordRule[];
}

/** What a service may do with its key (`X-API-Key`). */
export const SERVICE_SCOPES = [
  'users:read',
  'users:write',
  'resets:write',
  'mfa:write',
  'events:read',
  'reports:read',
] as const;
export type ServiceScope = (typeof SERVICE_SCOPES)[number];

/** Roles that make a person staff: their session then reaches the service API. */
export const STAFF_ROLES = ['helpdesk', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/**
 * What each role may do on the service API, in the scopes a service key would need. The
 * help desk acts on people who are locked out and reads the audit trail; it cannot create,
 * rename or delete accounts. An admin may do everything a key may.
 */
export const STAFF_ROLE_SCOPES: Readonly<Record<StaffRole, readonly ServiceScope[]>> = {
  helpdesk: ['users:read', 'resets:write', 'mfa:write', 'events:read', 'reports:read'],
  admin: SERVICE_SCOPES,
};

/** The scopes a set of roles grants together. */
export function scopesOfRoles(roles: readonly StaffRole[]): ServiceScope[] {
  return SERVICE_SCOPES.filter((scope) =>
    roles.some((role) => STAFF_ROLE_SCOPES[role].includes(scope)),
  );
}

export interface UpdateUserRequest {
  email?: string;
  displayName?: string | null;
  locale?: Locale | null;
}

export interface ForceResetRequest {
  /** End the user's current sessions at once (their access tokens stop working). */
  revokeSessions?: boolean;
}
