import {
  LoginResponse,
  MeResponse,
  normaliseEmail,
  PASSWORD_MAX_BYTES,
  passwordByteLength,
} from '@account-recovery/contracts';

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';

import { ApiException } from '../common/http/api-exception';
import { User } from '../users/user.entity';
import { AccessTokens, sessionVersion } from './access-token.service';
import { isLoginBlocked } from './login-throttle';
import { PasswordHasher } from './password-hasher.service';

/** Sign-in and "who am I". */
@Injectable()
export class SessionService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly hasher: PasswordHasher,
    private readonly tokens: AccessTokens,
  ) {}

  /**
   * One answer for unknown address, no password yet, wrong password and a throttled
   * account, and one bcrypt comparison in each case, so neither the body nor the timing
   * tells them apart.
   */
  async login(email: string, password: string): Promise<LoginResponse> {
    const user = await this.users
      .createQueryBuilder('user')
      .addSelect(['user.passwordHash', 'user.failedLoginCount', 'user.lastFailedLoginAt'])
      .where('user.email = :email', { email: normaliseEmail(email) })
      .getOne();
    const blocked = user
      ? isLoginBlocked(user.failedLoginCount, user.lastFailedLoginAt, new Date())
      : false;
    // No acceptable password is longer: refused without spending more than the usual work.
    const tooLong = passwordByteLength(password) > PASSWORD_MAX_BYTES;
    if (!user?.passwordHash || blocked || tooLong) {
      await this.hasher.verifyAgainstNothing(password);
      throw ApiException.invalidCredentials();
    }
    // Counted before the comparison, atomically: parallel guesses cannot all pass the
    // throttle on the same reading. A success below clears the count again.
    await this.users.query(
      `UPDATE users SET failed_login_count = failed_login_count + 1, last_failed_login_at = now() WHERE id = $1`,
      [user.id],
    );
    if (!(await this.hasher.verify(password, user.passwordHash)))
      throw ApiException.invalidCredentials();
    await this.hasher.rehashIfNeeded(user.id, password, user.passwordHash);
    await this.users.query(
      `UPDATE users SET failed_login_count = 0, last_failed_login_at = NULL WHERE id = $1`,
      [user.id],
    );
    return {
      accessToken: await this.tokens.sign(user.id, sessionVersion(user)),
      tokenType: 'Bearer',
      expiresIn: this.tokens.ttlSeconds,
    };
  }

  /** The user behind a bearer token, refusing tokens issued before the last password change. */
  async me(bearer: string | null): Promise<MeResponse> {
    const claims = bearer ? await this.tokens.verify(bearer) : null;
    if (!claims) throw ApiException.unauthorized();
    const user = await this.users.findOneBy({ id: claims.sub });
    if (!user || sessionVersion(user) > claims.sv) throw ApiException.unauthorized();
    return { id: user.id, email: user.email, displayName: user.displayName };
  }
}
