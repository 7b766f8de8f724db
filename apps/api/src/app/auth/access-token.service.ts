import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';

import { AppConfig } from '../config/app-config';

/**
 * How the session was opened (RFC 8176 values): `pwd` the password alone, `mfa` the
 * password and then a second factor (POST /v1/auth/login/mfa). Staff routes want `mfa`:
 * a password-only session stays password-only after its owner enrols a factor in it, so
 * "has a factor now" does not say "signed in with it" (docs/architecture.md, "Staff").
 */
export type AuthMethod = 'pwd' | 'mfa';

/** Claims of our access tokens. */
export interface AccessTokenClaims {
  sub: string;
  /**
   * The user's session version when the token was issued: the later of
   * `password_changed_at` and `sessions_revoked_at`, in epoch ms (0 for neither). A token
   * whose value is below the stored one predates a reset or a revocation. Milliseconds,
   * because `iat` has only seconds and a sign-in can follow a reset within one.
   */
  sv: number;
  /**
   * How the sign-in was proved. Absent in tokens issued before the claim existed: those
   * count as `pwd`, so they never reach a staff route.
   */
  amr?: AuthMethod[];
  /** Issued at (seconds), set by the signer: how recent the sign-in is. */
  iat?: number;
}

/** Whether the session was opened with a second factor (see `AuthMethod`). */
export function signedInWithSecondFactor(claims: AccessTokenClaims): boolean {
  return Array.isArray(claims.amr) && claims.amr.includes('mfa');
}

/** See `AccessTokenClaims.sv`. */
export function sessionVersion(user: {
  passwordChangedAt: Date | null;
  sessionsRevokedAt: Date | null;
}): number {
  return Math.max(user.passwordChangedAt?.getTime() ?? 0, user.sessionsRevokedAt?.getTime() ?? 0);
}

@Injectable()
export class AccessTokens {
  readonly ttlSeconds: number;

  constructor(
    private readonly jwt: JwtService,
    @Inject(ConfigService) config: ConfigService<AppConfig, true>,
  ) {
    this.ttlSeconds = config.get('auth.accessTokenTtlSeconds', { infer: true });
  }

  sign(userId: string, version: number, amr: AuthMethod[]): Promise<string> {
    const claims: AccessTokenClaims = { sub: userId, sv: version, amr };
    return this.jwt.signAsync(claims, { expiresIn: this.ttlSeconds });
  }

  /** The claims of a valid, unexpired token, or null. */
  async verify(token: string): Promise<AccessTokenClaims | null> {
    try {
      const claims = await this.jwt.verifyAsync<AccessTokenClaims>(token, {
        algorithms: ['HS256'],
      });
      return typeof claims.sub === 'string' && typeof claims.sv === 'number' ? claims : null;
    } catch {
      return null;
    }
  }
}
