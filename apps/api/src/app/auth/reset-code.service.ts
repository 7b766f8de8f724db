import { normaliseEmail, ResetCodeResponse } from '@account-recovery/contracts';

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { inetAddress } from '../common/http/client-ip';
import { queryRows } from '../database/query-rows';
import { originOf } from '../events/event-context';
import { Metrics } from '../metrics/metrics.service';
import { MfaErrors } from '../mfa/mfa-errors';
import { MfaKeys } from '../mfa/mfa-keys';
import { MAX_CODE_ATTEMPTS, normaliseResetCode } from '../mfa/one-time-codes';
import { RequestMeta } from '../queue/account-email.job';
import { generateRawToken, hashToken } from './reset-token.crypto';

/**
 * Code exchanges one address gets in 24 hours, over all its requests: with three emails an
 * hour allowed, five tries a code alone would let a patient guesser try 360 a day.
 */
const MAX_CODE_ATTEMPTS_PER_DAY = 10;

/**
 * The exchange and its security event in one statement, one transaction. Every exchange
 * writes exactly one event, `reset.code_redeemed` or `reset.code_failed`, for an unknown
 * address too (no user, no address): an event only for known addresses would be a write
 * only there, and the exchange would no longer take the same time for both
 * (docs/architecture.md §10; reset-code-timing e2e).
 */
const REDEEM_SQL = `
  WITH r AS MATERIALIZED (
    SELECT redeem_reset_code($1, $2, $3, $4, $5, $6) AS outcome
  ), recorded AS (
    INSERT INTO security_events (type, user_id, actor, ip, user_agent)
    SELECT CASE WHEN r.outcome = 'redeemed' THEN 'reset.code_redeemed'
                ELSE 'reset.code_failed' END,
           (SELECT u.id FROM users u WHERE u.email = $1::text), $7, $8::inet, $9
      FROM r
  )
  SELECT outcome FROM r`;

/**
 * Code recovery (docs/architecture.md §9): the 8-digit code of a reset email, typed on another device
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

  async redeem(email: string, typedCode: string, meta?: RequestMeta): Promise<ResetCodeResponse> {
    const code = normaliseResetCode(typedCode);
    // A malformed code depends on the input only, not on any account: refused at once.
    if (code === null) throw MfaErrors.resetCodeInvalid();
    const token = generateRawToken();
    const address = normaliseEmail(email);
    const origin = originOf(meta);
    const [row] = await queryRows<{ outcome: 'redeemed' | 'invalid' }>(
      this.dataSource,
      REDEEM_SQL,
      [
        address,
        this.keys.hashAddress(address),
        this.keys.hashResetCode(code),
        hashToken(token),
        MAX_CODE_ATTEMPTS,
        MAX_CODE_ATTEMPTS_PER_DAY,
        origin.actor,
        inetAddress(origin.ip),
        origin.userAgent,
      ],
    );
    this.metrics.resetCodes.inc({ outcome: row?.outcome ?? 'invalid' });
    if (row?.outcome !== 'redeemed') throw MfaErrors.resetCodeInvalid();
    return { token };
  }
}
