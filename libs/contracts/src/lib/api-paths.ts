/** REST paths of the v1 API, relative to the server's origin. */
export const API_PREFIX = '/api';
export const API_VERSION = 'v1';

export const API_PATHS = {
  forgotPassword: '/api/v1/auth/forgot-password',
  validateResetToken: '/api/v1/auth/reset-password/validate',
  resetPassword: '/api/v1/auth/reset-password',
  resetPasswordCode: '/api/v1/auth/reset-password/code',
  login: '/api/v1/auth/login',
  loginMfa: '/api/v1/auth/login/mfa',
  mfaTotp: '/api/v1/auth/mfa/totp',
  mfaTotpConfirm: '/api/v1/auth/mfa/totp/confirm',
  mfaRecoveryCodes: '/api/v1/auth/mfa/recovery-codes',
  mfa: '/api/v1/auth/mfa',
  me: '/api/v1/auth/me',
  users: '/api/v1/users',
  events: '/api/v1/events',
  recoveryReport: '/api/v1/reports/recovery',
  healthLive: '/api/health/live',
  healthReady: '/api/health/ready',
} as const;
