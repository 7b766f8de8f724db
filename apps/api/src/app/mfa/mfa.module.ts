import { Module } from '@nestjs/common';

import { MfaChallenges } from './mfa-challenges';
import { MfaEnrolment } from './mfa-enrolment.service';
import { MfaKeys } from './mfa-keys';
import { ResetSecondFactor } from './reset-second-factor';
import { SecondFactors } from './second-factor.service';

/**
 * The second factor's services. Its HTTP routes are in AuthModule (MfaController needs the
 * session) and UsersModule (the help desk's reset), which both import this.
 */
@Module({
  providers: [MfaKeys, SecondFactors, MfaEnrolment, MfaChallenges, ResetSecondFactor],
  exports: [MfaKeys, SecondFactors, MfaEnrolment, MfaChallenges, ResetSecondFactor],
})
export class MfaModule {}
