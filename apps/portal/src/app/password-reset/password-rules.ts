import {
  checkPasswordPolicy,
  PASSWORD_RULES,
  type PasswordPolicySummary,
  type PasswordRule,
} from '@account-recovery/contracts';

import type { ValidatorFn } from '@angular/forms';

/** The rules only the API can judge: it knows the blocklist, the account and its history. */
export const SERVER_RULES = [
  PASSWORD_RULES.COMMON,
  PASSWORD_RULES.CONTAINS_EMAIL,
  PASSWORD_RULES.CONTAINS_PRODUCT_NAME,
  PASSWORD_RULES.RECENTLY_USED,
  PASSWORD_RULES.BREACHED,
] as const satisfies readonly PasswordRule[];

/**
 * `policy`: the length rules the page can judge as the person types, with the minimum the
 * server named in `validate` (read at each check, so it follows the answer once it comes).
 */
export function localPasswordPolicy(policy: () => PasswordPolicySummary): ValidatorFn {
  return (control) => {
    const value = control.value as string;
    const broken =
      value === '' ? [] : checkPasswordPolicy(value, { minLength: policy().minLength });
    return broken.length === 0 ? null : { policy: broken };
  };
}

export function ruleMessage(rule: PasswordRule, policy: PasswordPolicySummary): string {
  switch (rule) {
    case PASSWORD_RULES.TOO_SHORT:
      return $localize`:@@reset.ruleTooShort:Use at least ${policy.minLength}:min: characters.`;
    case PASSWORD_RULES.TOO_LONG:
      return $localize`:@@reset.ruleTooLong:Use at most ${policy.maxLength}:max: characters: shorten the password.`;
    case PASSWORD_RULES.COMMON:
      return $localize`:@@reset.ruleCommon:This password is too common. Choose one that is harder to guess.`;
    case PASSWORD_RULES.CONTAINS_EMAIL:
      return $localize`:@@reset.ruleContainsEmail:The password must not contain your email address.`;
    case PASSWORD_RULES.CONTAINS_PRODUCT_NAME:
      return $localize`:@@reset.ruleContainsProductName:The password must not contain the product name.`;
    case PASSWORD_RULES.RECENTLY_USED:
      return $localize`:@@reset.ruleRecentlyUsed:You have used this password recently. Choose one you have not used before.`;
    case PASSWORD_RULES.BREACHED:
      return $localize`:@@reset.ruleBreached:This password appears in a known data breach, so attackers try it. Choose a different one.`;
  }
}
