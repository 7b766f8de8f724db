import type { ErrorCode } from './error-codes';
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

export interface ValidateResetTokenResponse {
  valid: true;
  /** ISO 8601 */
  expiresAt: string;
}

export interface ResetPasswordRequest {
  token: string;
  newPassword: string;
}

export interface LoginRequest {
  email: string;
  password: string;
}

export interface LoginResponse {
  accessToken: string;
  tokenType: 'Bearer';
  /** seconds */
  expiresIn: number;
}

export interface MeResponse {
  id: string;
  email: string;
  displayName: string | null;
}

export interface CreateUserRequest {
  email: string;
  displayName?: string;
}

export interface UserResponse {
  id: string;
  email: string;
  displayName: string | null;
  hasPassword: boolean;
  passwordChangedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

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
export const SERVICE_SCOPES = ['users:read', 'users:write', 'resets:write'] as const;
export type ServiceScope = (typeof SERVICE_SCOPES)[number];

export interface UpdateUserRequest {
  email?: string;
  displayName?: string | null;
}

export interface ForceResetRequest {
  /** End the user's current sessions at once (their access tokens stop working). */
  revokeSessions?: boolean;
}
