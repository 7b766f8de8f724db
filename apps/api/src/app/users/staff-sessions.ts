import { ERROR_CODES, scopesOfRoles } from '@account-recovery/contracts';

import { HttpStatus, Injectable } from '@nestjs/common';

import { signedInWithSecondFactor } from '../auth/access-token.service';
import { SessionService } from '../auth/session.service';
import { ApiException } from '../common/http/api-exception';
import { SecondFactors } from '../mfa/second-factor.service';
import { StaffCaller } from './api-caller';

/**
 * A bearer session as a caller of the service API (docs/architecture.md §11). Roles
 * and the factor are read from the database on every request, so a revoked role or a
 * removed factor takes effect at once, not when the token expires.
 */
@Injectable()
export class StaffSessions {
  constructor(
    private readonly sessions: SessionService,
    private readonly factors: SecondFactors,
  ) {}

  /**
   * The staff member behind a bearer token. 401 for a token that is invalid, expired or
   * older than the last reset or revocation; 403 FORBIDDEN for a person without a role;
   * 403 MFA_ENROLLMENT_REQUIRED for staff without a confirmed factor; 401 REAUTH_REQUIRED
   * for staff whose session was opened with the password alone.
   */
  async resolve(bearer: string): Promise<StaffCaller> {
    const { user, claims } = await this.sessions.authenticate(bearer);
    if (user.roles.length === 0) {
      throw new ApiException(HttpStatus.FORBIDDEN, ERROR_CODES.FORBIDDEN, 'auth.staff-only');
    }
    if (!(await this.factors.status(user.id)).totp) {
      throw new ApiException(
        HttpStatus.FORBIDDEN,
        ERROR_CODES.MFA_ENROLLMENT_REQUIRED,
        'auth.staff-second-factor-required',
      );
    }
    // Enrolling from a password-only session does not upgrade that session: sign in again.
    if (!signedInWithSecondFactor(claims)) {
      throw new ApiException(
        HttpStatus.UNAUTHORIZED,
        ERROR_CODES.REAUTH_REQUIRED,
        'auth.staff-reauth-required',
      );
    }
    return {
      kind: 'staff',
      userId: user.id,
      roles: user.roles,
      scopes: scopesOfRoles(user.roles),
      actor: `staff:${user.id}`,
    };
  }
}
