import type { ValidateResetTokenResponse } from '@account-recovery/contracts';

import { ResetPasswordPage } from '../app/pages/reset-password/reset-password-page';
import { setUpPortal } from './page-testing';

export const TOKEN = 'Abc_def-0123456789abcdefghijklmnopqrstuvwxy';
export const STRONG = 'correct horse battery staple';
/** Not the contract's default (15): the page must take the server's minimum. */
export const SERVER_MIN_LENGTH = 12;

/** `validate`'s answer for a good link; a second factor when `withFactor`. */
export function validAnswer({ withFactor = false } = {}): ValidateResetTokenResponse {
  return {
    valid: true,
    expiresAt: '2030-01-01T00:00:00.000Z',
    secondFactor: withFactor ? { methods: ['totp', 'recovery_code'] } : null,
    passwordPolicy: { minLength: SERVER_MIN_LENGTH, maxLength: 64 },
  };
}

/** The reset page opened from an emailed link, before `validate` has answered. */
export async function openFromEmailLink(options: Parameters<typeof setUpPortal>[0] = {}) {
  const portal = await setUpPortal(options);
  await portal.harness.navigateByUrl(`/reset-password/${TOKEN}`, ResetPasswordPage);
  return portal;
}
