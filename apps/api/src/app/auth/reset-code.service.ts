import { normaliseEmail, ResetCodeResponse } from '@account-recovery/contracts';

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { queryRows } from '../database/query-rows';
import { Metrics } from '../metrics/metrics.service';
import { MfaErrors } from '../mfa/mfa-errors';
import { MfaKeys } from '../mfa/mfa-keys';
import { MAX_CODE_ATTEMPTS, normaliseResetCode } from '../mfa/one-time-codes';
import { generateRawToken, hashToken } from './reset-token.crypto';

/**
 * Code exchanges one address gets in 24 hours, over all its requests: with three emails an
 * hour allowed, five tries a code alone would let a patient guesser try 360 a day.
 */
const MAX_CODE_ATTEMPTS_PER_DAY = 10;

/**
 * Code recovery (DESIGN §4.1): the 8-digit code of a reset email, typed on another device
 * with the address, is exchanged for a reset token of that request. The whole decision is
 * the database function `redeem_reset_code` (migration AddResetCodes): one statement for
 * every outcome, each one writing its try, so a wrong code, an unknown address
 * and a dead request cost the same and answer the same CODE_INVALID.
 */
@Injectable()
export class ResetCodes {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: MfaKeys,
    private readonly metrics: Metrics,
  ) {}

  async redeem(email: string, typedCode: string): Promise<ResetCodeResponse> {
    const code = normaliseResetCode(typedCode);
    // A malformed code depends on the input only, not on any account: refused at once.
    if (code === null) throw MfaErrors.resetCodeInvalid();
    const token = generateRawToken();
    const address = normaliseEmail(email);
    const [row] = await queryRows<{ outcome: 'redeemed' | 'invalid' }>(
      this.dataSource,
      `SELECT redeem_reset_code($1, $2, $3, $4, $5, $6) AS outcome`,
      [
        address,
        this.keys.hashAddress(address),
        this.keys.hashResetCode(code),
        hashToken(token),
        MAX_CODE_ATTEMPTS,
        MAX_CODE_ATTEMPTS_PER_DAY,
      ],
    );
    this.metrics.resetCodes.inc({ outcome: row?.outcome ?? 'invalid' });
    if (row?.outcome !== 'redeemed') throw MfaErrors.resetCodeInvalid();
    return { token };
  }
}
