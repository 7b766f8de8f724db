import { checkPasswordPolicy, PasswordRule } from '@account-recovery/contracts';

import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

import { AppConfig } from '../config/app-config';
import { commonPasswords } from './common-passwords';

/** The shared policy (libs/contracts) plus what only the server holds: the blocklist. */
@Injectable()
export class PasswordPolicy {
  private readonly common = new Set(
    commonPasswords().map((p) => p.normalize('NFKC').toLowerCase()),
  );
  private readonly productName: string;

  constructor(@Inject(ConfigService) config: ConfigService<AppConfig, true>) {
    this.productName = config.get('mail.productName', { infer: true });
  }

  /** Every rule the password breaks for this account; empty when it is acceptable. */
  check(password: string, email: string): PasswordRule[] {
    return checkPasswordPolicy(password, {
      email,
      productName: this.productName,
      isCommon: (candidate) => this.common.has(candidate),
    });
  }
}
