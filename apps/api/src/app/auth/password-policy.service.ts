import {
  checkPasswordPolicy,
  PASSWORD_MAX_LENGTH,
  PASSWORD_RULES,
  PasswordPolicySummary,
  PasswordRule,
} from '@account-recovery/contracts';

import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

import { AppConfig } from '../config/app-config';
import { BreachedPasswords } from './breached-passwords';
import { commonPasswords } from './common-passwords';
import { PasswordHasher } from './password-hasher.service';
import { hashesWithinHistory, PasswordHistory } from './password-history';

/** Whose new password is judged: the rules read the address and the account's history. */
export interface PasswordSubject {
  email: string;
  userId: string;
}

/**
 * The password policy (NIST SP 800-63B-4; docs/architecture.md, "Sign-in and passwords"):
 * the shared rules of libs/contracts with the configured minimum length and the blocklist
 * only the server holds, then the account rules, reuse (PASSWORD_HISTORY) and the breach
 * corpus (PWNED_PASSWORDS_URL). Applied wherever a person chooses a password; existing
 * passwords are never re-judged at sign-in.
 */
@Injectable()
export class PasswordPolicy {
  private readonly common = new Set(
    commonPasswords().map((p) => p.normalize('NFKC').toLowerCase()),
  );
  private readonly productName: string;
  private readonly minLength: number;

  constructor(
    @Inject(ConfigService) config: ConfigService<AppConfig, true>,
    private readonly hasher: PasswordHasher,
    private readonly history: PasswordHistory,
    private readonly breached: BreachedPasswords,
  ) {
    this.productName = config.get('mail.productName', { infer: true });
    this.minLength = config.get('passwordRules', { infer: true }).minLength;
  }

  /** The length rules as the portal shows them (the validate response carries them). */
  summary(): PasswordPolicySummary {
    return { minLength: this.minLength, maxLength: PASSWORD_MAX_LENGTH };
  }

  /**
   * Every rule the password breaks for this account; empty when it is acceptable. The cheap
   * rules come first and, when one fails, the answer: a password that is too short or common
   * costs no bcrypt comparison and no request to the corpus.
   */
  async check(password: string, subject: PasswordSubject): Promise<PasswordRule[]> {
    const broken = checkPasswordPolicy(password, {
      minLength: this.minLength,
      email: subject.email,
      productName: this.productName,
      isCommon: (candidate) => this.common.has(candidate),
    });
    if (broken.length > 0) return broken;
    const [reused, breach] = await Promise.all([
      this.recentlyUsed(password, subject.userId),
      this.breached.check(password),
    ]);
    if (reused) broken.push(PASSWORD_RULES.RECENTLY_USED);
    if (breach === 'hit') broken.push(PASSWORD_RULES.BREACHED);
    return broken;
  }

  /**
   * Compares with the remembered hashes through PasswordHasher (its bounded queue on the
   * thread pool, its peppers and legacy scheme), one after the other: a reset holds at most
   * one place in the hashing queue, so a deep history slows that reset, not everyone's.
   */
  private async recentlyUsed(password: string, userId: string): Promise<boolean> {
    if (this.history.depth <= 0) return false;
    const stored = await this.history.load(userId);
    for (const hash of hashesWithinHistory(stored, this.history.depth)) {
      if (!this.hasher.canVerify(hash)) continue;
      if (await this.hasher.verify(password, hash)) return true;
    }
    return false;
  }
}
