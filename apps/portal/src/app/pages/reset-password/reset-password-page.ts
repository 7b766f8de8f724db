import {
  checkPasswordPolicy,
  ERROR_CODES,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PASSWORD_RULES,
  passwordLength,
  PORTAL_ROUTES,
  type PasswordRule,
  type TokenErrorCode,
} from '@account-recovery/contracts';

import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  ElementRef,
  inject,
  Injector,
  signal,
} from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import {
  NonNullableFormBuilder,
  ReactiveFormsModule,
  Validators,
  type ValidatorFn,
} from '@angular/forms';
import { RouterLink } from '@angular/router';

import { PasswordResetApi } from '../../password-reset/password-reset-api';
import { ResetTokenStore } from '../../password-reset/reset-token-store';
import { toApiFailure, type ApiFailure } from '../../shared/api-failure';
import { autoRedirect } from '../../shared/auto-redirect';
import { FIRST_INVALID_FIELD, focusAfterRender } from '../../shared/focus';
import { somethingWentWrongMessage, tooManyAttemptsMessage } from '../../shared/messages';

type Step = 'checking' | 'unavailable' | 'link-error' | 'ready' | 'done';
/** met / not met; `unknown` until there is something to judge (or, for COMMON, a submit). */
type CheckState = 'met' | 'unmet' | 'unknown';

/** Local part of the policy: length in characters of any script (the blocklist is the API's). */
const passwordPolicy: ValidatorFn = (control) => {
  const value = control.value as string;
  const broken = value === '' ? [] : checkPasswordPolicy(value);
  return broken.length === 0 ? null : { policy: broken };
};

const passwordsMatch: ValidatorFn = (group) => {
  const confirmation = group.get('confirmPassword')?.value as string;
  return confirmation !== '' && confirmation !== group.get('newPassword')?.value
    ? { mismatch: true }
    : null;
};

const TOKEN_ERRORS: readonly string[] = [
  ERROR_CODES.TOKEN_INVALID,
  ERROR_CODES.TOKEN_EXPIRED,
  ERROR_CODES.TOKEN_USED,
];

function ruleMessage(rule: PasswordRule): string {
  switch (rule) {
    case PASSWORD_RULES.TOO_SHORT:
      return $localize`:@@reset.ruleTooShort:Use at least ${PASSWORD_MIN_LENGTH}:min: characters.`;
    case PASSWORD_RULES.TOO_LONG:
      return $localize`:@@reset.ruleTooLong:Use at most ${PASSWORD_MAX_LENGTH}:max: characters: shorten the password.`;
    case PASSWORD_RULES.COMMON:
      return $localize`:@@reset.ruleCommon:This password is too common. Choose one that is harder to guess.`;
    case PASSWORD_RULES.CONTAINS_EMAIL:
      return $localize`:@@reset.ruleContainsEmail:The password must not contain your email address.`;
    case PASSWORD_RULES.CONTAINS_PRODUCT_NAME:
      return $localize`:@@reset.ruleContainsProductName:The password must not contain the product name.`;
  }
}

@Component({
  selector: 'app-reset-password-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, RouterLink],
  templateUrl: './reset-password-page.html',
})
export class ResetPasswordPage {
  private readonly api = inject(PasswordResetApi);
  private readonly tokens = inject(ResetTokenStore);
  private readonly destroyRef = inject(DestroyRef);
  private readonly injector = inject(Injector);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;

  protected readonly loginUrl = `/${PORTAL_ROUTES.login}`;
  protected readonly forgotPasswordUrl = `/${PORTAL_ROUTES.forgotPassword}`;
  protected readonly minLength = PASSWORD_MIN_LENGTH;
  protected readonly maxLength = PASSWORD_MAX_LENGTH;
  protected readonly errorCodes = ERROR_CODES;
  protected readonly redirect = autoRedirect(this.loginUrl);
  protected readonly labels = {
    showNew: $localize`:@@reset.showNewPassword:Show new password`,
    hideNew: $localize`:@@reset.hideNewPassword:Hide new password`,
    showConfirm: $localize`:@@reset.showConfirmPassword:Show confirmation`,
    hideConfirm: $localize`:@@reset.hideConfirmPassword:Hide confirmation`,
  };

  protected readonly step = signal<Step>('checking');
  protected readonly linkError = signal<TokenErrorCode>(ERROR_CODES.TOKEN_INVALID);
  protected readonly submitted = signal(false);
  protected readonly submitting = signal(false);
  protected readonly failure = signal<string | null>(null);
  protected readonly showNew = signal(false);
  protected readonly showConfirm = signal(false);

  protected readonly form = inject(NonNullableFormBuilder).group(
    {
      newPassword: ['', [Validators.required, passwordPolicy]],
      confirmPassword: ['', Validators.required],
    },
    { validators: passwordsMatch },
  );

  private readonly newPassword = toSignal(this.form.controls.newPassword.valueChanges, {
    initialValue: '',
  });
  /** The API's verdict on the password it was sent; it lapses once the password changes. */
  private readonly rejected = signal<{ password: string; rules: PasswordRule[] } | null>(null);
  private readonly serverRules = computed(() => {
    const rejected = this.rejected();
    return rejected !== null && rejected.password === this.newPassword() ? rejected.rules : null;
  });

  protected readonly checks = computed(() => {
    const password = this.newPassword();
    const judge = (ok: boolean): CheckState => (password === '' ? 'unknown' : ok ? 'met' : 'unmet');
    return {
      minLength: judge(passwordLength(password) >= PASSWORD_MIN_LENGTH),
      // The policy's byte bound never bites below this count (4 bytes per character at most).
      maxLength: judge(passwordLength(password) <= PASSWORD_MAX_LENGTH),
      common: (this.serverRules()?.includes(PASSWORD_RULES.COMMON)
        ? 'unmet'
        : 'unknown') as CheckState,
    };
  });

  constructor() {
    // The token left the address bar in main.ts (or in the route's redirect) before this
    // page was even loaded; a page without one (a reload, a bookmark) has nothing to check.
    if (this.tokens.current() === null) {
      this.showLinkError(ERROR_CODES.TOKEN_INVALID, false);
    } else {
      this.checkLink();
    }
  }

  protected checkLink(): void {
    const token = this.tokens.current();
    if (token === null) {
      this.showLinkError(ERROR_CODES.TOKEN_INVALID);
      return;
    }
    this.step.set('checking');
    this.failure.set(null);
    this.api
      .validateToken({ token })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => this.step.set('ready'),
        error: (error: unknown) => {
          const failure = toApiFailure(error);
          // The body holds nothing but the token: any other 400 is about the token too.
          const linkError =
            this.linkErrorOf(failure) ??
            (failure.status === 400 ? ERROR_CODES.TOKEN_INVALID : null);
          if (linkError !== null) {
            this.showLinkError(linkError);
            return;
          }
          this.failure.set(
            failure.status === 429
              ? tooManyAttemptsMessage(failure.retryAfterSeconds)
              : somethingWentWrongMessage(),
          );
          this.step.set('unavailable');
          focusAfterRender(this.injector, this.host, '#reset-result');
        },
      });
  }

  protected checkStateLabel(state: CheckState): string {
    switch (state) {
      case 'met':
        return $localize`:@@reset.checkMet:Met:`;
      case 'unmet':
        return $localize`:@@reset.checkUnmet:Not met:`;
      case 'unknown':
        return $localize`:@@reset.checkUnknown:Not checked yet:`;
    }
  }

  protected newPasswordErrors(): string[] {
    const control = this.form.controls.newPassword;
    if (!control.touched && !this.submitted()) return [];
    if (control.hasError('required')) {
      return [$localize`:@@reset.newPasswordRequired:Enter a new password.`];
    }
    const local = (control.getError('policy') as PasswordRule[] | null) ?? [];
    const server = this.serverRules();
    if (server !== null && server.length === 0) {
      return [
        $localize`:@@reset.passwordRejected:This password cannot be used. Choose a different one.`,
      ];
    }
    return [...new Set([...local, ...(server ?? [])])].map(ruleMessage);
  }

  protected confirmError(): string | null {
    const control = this.form.controls.confirmPassword;
    if (!control.touched && !this.submitted()) return null;
    if (control.hasError('required')) {
      return $localize`:@@reset.confirmRequired:Enter the new password again.`;
    }
    return this.form.hasError('mismatch')
      ? $localize`:@@reset.mismatch:The passwords do not match.`
      : null;
  }

  protected setPassword(): void {
    if (this.submitting()) return;
    this.submitted.set(true);
    this.failure.set(null);
    this.form.markAllAsTouched();
    if (this.form.invalid || this.serverRules() !== null) {
      focusAfterRender(this.injector, this.host, FIRST_INVALID_FIELD);
      return;
    }
    const token = this.tokens.current();
    if (token === null) {
      this.showLinkError(ERROR_CODES.TOKEN_INVALID);
      return;
    }
    const newPassword = this.form.controls.newPassword.value;
    this.submitting.set(true);
    this.api
      .resetPassword({ token, newPassword })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => {
          this.submitting.set(false);
          this.tokens.clear();
          this.form.reset();
          this.step.set('done');
          this.redirect.start();
          focusAfterRender(this.injector, this.host, '#reset-result');
        },
        error: (error: unknown) => {
          this.submitting.set(false);
          const failure = toApiFailure(error);
          const linkError = this.linkErrorOf(failure);
          if (linkError !== null) {
            this.showLinkError(linkError);
          } else if (
            failure.code === ERROR_CODES.PASSWORD_POLICY ||
            (failure.status === 400 && failure.fields.includes('newPassword'))
          ) {
            this.rejected.set({ password: newPassword, rules: failure.rules });
            focusAfterRender(this.injector, this.host, FIRST_INVALID_FIELD);
          } else {
            this.failure.set(
              failure.status === 429
                ? tooManyAttemptsMessage(failure.retryAfterSeconds)
                : somethingWentWrongMessage(),
            );
            focusAfterRender(this.injector, this.host, '#reset-result');
          }
        },
      });
  }

  /** Token codes, and a request the API refused because of the token's shape, mean a bad link. */
  private linkErrorOf(failure: ApiFailure): TokenErrorCode | null {
    if (failure.code !== null && TOKEN_ERRORS.includes(failure.code)) {
      return failure.code as TokenErrorCode;
    }
    return failure.code === ERROR_CODES.VALIDATION_FAILED && failure.fields.includes('token')
      ? ERROR_CODES.TOKEN_INVALID
      : null;
  }

  private showLinkError(code: TokenErrorCode, moveFocus = true): void {
    this.tokens.clear();
    this.linkError.set(code);
    this.step.set('link-error');
    if (moveFocus) focusAfterRender(this.injector, this.host, '#reset-result');
  }
}
