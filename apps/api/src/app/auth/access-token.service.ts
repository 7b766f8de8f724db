import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';

import { AppConfig } from '../config/app-config';

/** Claims of our access tokens. */
export interface AccessTokenClaims {
  sub: string;
  /**
   * The user's `password_changed_at` (epoch ms, 0 for none) when the token was issued.
   * A token whose value is older than the stored one predates a password change.
   * Milliseconds, because `iat` has only seconds and a login can follow a reset within one.
   */
  pwd: number;
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

  sign(userId: string, passwordChangedAt: Date | null): Promise<string> {
    const claims: AccessTokenClaims = { sub: userId, pwd: passwordChangedAt?.getTime() ?? 0 };
    return this.jwt.signAsync(claims, { expiresIn: this.ttlSeconds });
  }

  /** The claims of a valid, unexpired token, or null. */
  async verify(token: string): Promise<AccessTokenClaims | null> {
    try {
      const claims = await this.jwt.verifyAsync<AccessTokenClaims>(token, {
        algorithms: ['HS256'],
      });
      return typeof claims.sub === 'string' && typeof claims.pwd === 'number' ? claims : null;
    } catch {
      return null;
    }
  }
}
