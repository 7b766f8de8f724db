import { AccountLockout } from '@account-recovery/contracts';

import { ApiProperty } from '@nestjs/swagger';

import { ThrottleStatusDto } from './throttle-status.dto';

/** What the throttles hold against an account: what the help desk needs to know. */
export class AccountLockoutDto implements AccountLockout {
  @ApiProperty({ type: ThrottleStatusDto, description: 'Passwords tried at sign-in' })
  signIn!: ThrottleStatusDto;

  @ApiProperty({
    type: ThrottleStatusDto,
    description: 'Codes tried against the confirmed authenticator, on every channel together',
  })
  secondFactor!: ThrottleStatusDto;
}
