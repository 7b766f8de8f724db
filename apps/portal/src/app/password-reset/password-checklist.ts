import {
  PASSWORD_RULES,
  passwordLength,
  type PasswordPolicySummary,
  type PasswordRule,
} from '@account-recovery/contracts';

import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

/** met / not met; `unknown` until there is something to judge (for the API's rules, a submit). */
type CheckState = 'met' | 'unmet' | 'unknown';

interface Check {
  key: string;
  state: CheckState;
  text: string;
}

/**
 * Every rule a new password must meet, as a list under the field: the lengths judged while
 * the person types, the API's rules (common, containing the address or product name, recently
 * used, breached) marked as checked on submit and turned red when the API names them.
 */
@Component({
  selector: 'app-password-checklist',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <ul class="checklist" [id]="listId()" data-testid="password-policy">
      @for (check of checks(); track check.key) {
        <li class="checklist__item" [attr.data-state]="check.state">
          <span class="checklist__icon" aria-hidden="true"></span>
          <span class="visually-hidden">{{ stateLabel(check.state) }}</span>
          <span>{{ check.text }}</span>
        </li>
      }
    </ul>
  `,
})
export class PasswordChecklist {
  readonly listId = input.required<string>();
  readonly password = input.required<string>();
  readonly policy = input.required<PasswordPolicySummary>();
  /** The rules the API named for this very password; null when it has not judged it. */
  readonly serverRules = input<readonly PasswordRule[] | null>(null);

  protected readonly checks = computed((): Check[] => {
    const password = this.password();
    const { minLength, maxLength } = this.policy();
    const length = passwordLength(password);
    const live = (ok: boolean): CheckState => (password === '' ? 'unknown' : ok ? 'met' : 'unmet');
    const server = this.serverRules() ?? [];
    const judged = (...rules: PasswordRule[]): CheckState =>
      rules.some((rule) => server.includes(rule)) ? 'unmet' : 'unknown';
    return [
      {
        key: 'min',
        state: live(length >= minLength),
        text: $localize`:@@reset.checkMinLength:At least ${minLength}:min: characters`,
      },
      {
        key: 'max',
        // The policy's byte bound never bites below this count (4 bytes per character at most).
        state: live(length <= maxLength),
        text: $localize`:@@reset.checkMaxLength:At most ${maxLength}:max: characters, in any script (accents, Cyrillic, emoji count one each)`,
      },
      {
        key: 'common',
        state: judged(PASSWORD_RULES.COMMON),
        text: $localize`:@@reset.checkCommon:Not a commonly used password (checked when you submit)`,
      },
      {
        key: 'contains',
        state: judged(PASSWORD_RULES.CONTAINS_EMAIL, PASSWORD_RULES.CONTAINS_PRODUCT_NAME),
        text: $localize`:@@reset.checkContains:Does not contain your email address or the product name (checked when you submit)`,
      },
      {
        key: 'recent',
        state: judged(PASSWORD_RULES.RECENTLY_USED),
        text: $localize`:@@reset.checkRecent:Not one of your recent passwords (checked when you submit)`,
      },
      {
        key: 'breached',
        state: judged(PASSWORD_RULES.BREACHED),
        text: $localize`:@@reset.checkBreached:Not known from a data breach (checked when you submit)`,
      },
    ];
  });

  protected stateLabel(state: CheckState): string {
    switch (state) {
      case 'met':
        return $localize`:@@reset.checkMet:Met:`;
      case 'unmet':
        return $localize`:@@reset.checkUnmet:Not met:`;
      case 'unknown':
        return $localize`:@@reset.checkUnknown:Not checked yet:`;
    }
  }
}
