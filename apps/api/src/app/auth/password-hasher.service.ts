import { normalisePassword } from '@account-recovery/contracts';

import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import * as bcrypt from 'bcrypt';

import { AppConfig } from '../config/app-config';

/**
 * bcrypt on the libuv thread pool (the async API: the sync one would block the event
 * loop for the whole hash). Passwords are NFKC-normalised before hashing and comparing,
 * so the same password typed on another keyboard still matches.
 */
@Injectable()
export class PasswordHasher {
  private readonly cost: number;
  private dummyHash: Promise<string> | null = null;

  constructor(@Inject(ConfigService) config: ConfigService<AppConfig, true>) {
    this.cost = config.get('auth.bcryptCost', { infer: true });
  }

  hash(password: string): Promise<string> {
    return bcrypt.hash(normalisePassword(password), this.cost);
  }

  verify(password: string, hash: string): Promise<boolean> {
    return bcrypt.compare(normalisePassword(password), hash);
  }

  /**
   * Spends the same time as a real comparison when there is no hash to compare with
   * (unknown address, no password yet), so timing does not tell whether an account exists.
   */
  async verifyAgainstNothing(password: string): Promise<false> {
    this.dummyHash ??= bcrypt.hash('timing-equaliser-not-a-password', this.cost);
    await bcrypt.compare(normalisePassword(password), await this.dummyHash);
    return false;
  }
}
