import { LockState, ThrottleStatus } from '@account-recovery/contracts';

import { ApiProperty } from '@nestjs/swagger';

const LOCK_STATES: readonly LockState[] = ['ok', 'throttled', 'locked'];

/** What one throttle (sign-in, second factor) holds against an account now. */
export class ThrottleStatusDto implements ThrottleStatus {
  @ApiProperty({
    enum: LOCK_STATES,
    example: 'ok',
    description:
      '`ok`: nothing held; `throttled`: attempts wait until `until`; `locked`: only a password reset (sign-in) or the help desk removing the factor (second factor) lifts it',
  })
  state!: LockState;

  @ApiProperty({ type: 'integer', minimum: 0, example: 0, description: 'Consecutive failures' })
  failures!: number;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the next attempt is admitted; null when `ok` or `locked`',
  })
  until!: string | null;
}
