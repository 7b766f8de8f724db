import {
  ERROR_CODES,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PORTAL_ROUTES,
  type PasswordPolicySummary,
  type PasswordRule,
  type ResetPasswordRequest,
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

import { linkProblemOf, type LinkProblem } from '../../password-reset/link-problem';
import { LinkProblemView } from '../../password-reset/link-problem-view';
import { PasswordChecklist } from '../../password-reset/password-checklist';
import { PasswordResetApi } from '../../password-reset/password-reset-api';
import { localPasswordPolicy, ruleMessage } from '../../password-reset/password-rules';
import { ResetTokenStore } from '../../password-reset/reset-token-store';
import { SecondFactorForm, type CodeRejection } from '../../second-factor/second-factor-form';
import { toApiFailure, type ApiFailure } from '../../shared/api-failure';
import { autoRedirect } from '../../shared/auto-redirect';
import { describeFailure } from '../../shared/error-description';
import { focusAfterRender } from '../../shared/focus';
import { Field } from '../../shared/forms/field';
import { showsErrors } from '../../shared/forms/form-errors';
import { Notice } from '../../shared/forms/notice';
import { PasswordInput } from '../../shared/forms/password-input';
import { SubmitButton } from '../../shared/forms/submit-button';
import { submission } from '../../shared/submission';

type Step = 'checking' | 'unavailable' | 'link-problem' | 'second-factor' | 'password' | 'done';

const passwordsMatch: ValidatorFn = (group) => {
  const confirmation = group.get('confirmPassword')?.value as string;
  return confirmation !== '' && confirmation !== group.get('newPassword')?.value
    ? { mismatch: true }
    : null;
};

/**
 * The emailed link's page: check the link, ask for the second factor when the account has
 * one, then for the new password. A refused code brings the code step back; the link stays
 * usable until the API closes it after five wrong codes.
 */
@Component({
  selector: 'app-reset-password-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    RouterLink,
    Field,
    LinkProblemView,
    Notice,
    PasswordChecklist,
    PasswordInput,
    SecondFactorForm,
    SubmitButton,
  ],
  templateUrl: './reset-password-page.html',
})
export class ResetPasswordPage {
  private readonly api = inject(PasswordResetApi);
  private readonly tokens = inject(ResetTokenStore);
  private readonly destroyRef = inject(DestroyRef);
  private readonly injector = inject(Injector);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;

  protected readonly loginUrl = `/${PORTAL_ROUTES.login}`;
  protected readonly redirect = autoRedirect(this.loginUrl);
  protected readonly continueLabel = $localize`:@@reset.codeContinue:Continue`;

  protected readonly step = signal<Step>('checking');
  protected readonly linkProblem = signal<LinkProblem>(ERROR_CODES.TOKEN_INVALID);
  protected readonly sending = submission('#reset-result');
  /** The server's length rules, from `validate`; the contract's defaults until it answers. */
  protected readonly policy = signal<PasswordPolicySummary>({
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
  });
  protected readonly codeRejection = signal<CodeRejection | null>(null);
  /** The second factor's code for the reset request; null when none is needed or known. */
  private readonly factorCode = signal<string | null>(null);
  /** Wrong codes tried with this link: a link that then turns invalid was closed for them. */
  private wrongCodes = 0;
  /** True when the code step came back after a refused reset: a new code resends it. */
  private passwordChosen = false;

  protected readonly form = inject(NonNullableFormBuilder).group(
    {
      newPassword: ['', [Validators.required, localPasswordPolicy(() => this.policy())]],
      confirmPassword: ['', Validators.required],
    },
    { validators: passwordsMatch },
  );

  protected readonly newPassword = toSignal(this.form.controls.newPassword.valueChanges, {
    initialValue: '',
  });
  /** The API's verdict on the password it was sent; it lapses once the password changes. */
  private readonly rejected = signal<{ password: string; rules: PasswordRule[] } | null>(null);
  protected readonly serverRules = computed(() => {
    const rejected = this.rejected();
    return rejected !== null && rejected.password === this.newPassword() ? rejected.rules : null;
  });

  constructor() {
    // The token left the address bar in main.ts (or in the route's redirect) before this
    // page was even loaded; a page without one (a reload, a bookmark) has nothing to check.
    if (this.tokens.current() === null) {
      this.showLinkProblem(ERROR_CODES.TOKEN_INVALID, false);
    } else {
      this.checkLink();
    }
  }

  protected checkLink(): void {
    const token = this.tokens.current();
    if (token === null) {
      this.showLinkProblem(ERROR_CODES.TOKEN_INVALID);
      return;
    }
    const retrying = this.step() === 'unavailable';
    this.step.set('checking');
    this.sending.reset();
    this.api
      .validateToken({ token })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (answer) => {
          this.policy.set(answer.passwordPolicy);
          this.form.controls.newPassword.updateValueAndValidity();
          this.goTo(answer.secondFactor === null ? 'password' : 'second-factor', retrying);
        },
        error: (error: unknown) => {
          const failure = toApiFailure(error);
          // The body holds nothing but the token: any other 400 is about the token too.
          const problem =
            linkProblemOf(failure) ?? (failure.status === 400 ? ERROR_CODES.TOKEN_INVALID : null);
          if (problem !== null) {
            this.showLinkProblem(problem);
            return;
          }
          this.step.set('unavailable');
          this.sending.fail(describeFailure(failure));
        },
      });
  }

  protected newPasswordErrors(): string[] {
    const control = this.form.controls.newPassword;
    if (!showsErrors(control, this.sending.submitted())) return [];
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
    return [...new Set([...local, ...(server ?? [])])].map((rule) =>
      ruleMessage(rule, this.policy()),
    );
  }

  protected confirmErrors(): string[] {
    const control = this.form.controls.confirmPassword;
    if (!showsErrors(control, this.sending.submitted())) return [];
    if (control.hasError('required')) {
      return [$localize`:@@reset.confirmRequired:Enter the new password again.`];
    }
    return this.form.hasError('mismatch')
      ? [$localize`:@@reset.mismatch:The passwords do not match.`]
      : [];
  }

  /** The code step's answer: on to the password, or straight to the reset it was missing. */
  protected useCode(code: string): void {
    this.factorCode.set(code);
    this.codeRejection.set(null);
    if (this.passwordChosen) {
      this.sendReset();
    } else {
      this.goTo('password', true);
    }
  }

  protected setPassword(): void {
    if (!this.sending.begin(this.form, this.serverRules() !== null)) return;
    this.sendReset();
  }

  private sendReset(): void {
    const token = this.tokens.current();
    if (token === null) {
      this.showLinkProblem(ERROR_CODES.TOKEN_INVALID);
      return;
    }
    const newPassword = this.form.controls.newPassword.value;
    const code = this.factorCode();
    const body: ResetPasswordRequest = { token, newPassword };
    if (code !== null) body.secondFactor = { code };
    this.passwordChosen = true;
    this.sending.send(
      this.api.resetPassword(body),
      () => {
        this.tokens.clear();
        this.form.reset();
        this.step.set('done');
        this.redirect.start();
        focusAfterRender(this.injector, this.host, '#reset-result');
      },
      (failure) => this.resetRefused(failure, newPassword, code),
    );
  }

  /** Puts the page where the person can act on the refusal; returns a notice, or null. */
  private resetRefused(
    failure: ApiFailure,
    newPassword: string,
    code: string | null,
  ): string | null {
    const problem = linkProblemOf(failure);
    if (problem !== null) {
      this.showLinkProblem(
        problem === ERROR_CODES.TOKEN_INVALID && this.wrongCodes > 0 ? 'closed' : problem,
      );
      return null;
    }
    if (failure.code === ERROR_CODES.MFA_CODE_INVALID && code !== null) {
      this.wrongCodes += 1;
      this.factorCode.set(null);
      this.codeRejection.set({
        code,
        message: /^\d+$/.test(code)
          ? $localize`:@@reset.codeWrong:This code is not right, or it was already used. Enter the code your app shows now.`
          : $localize`:@@reset.recoveryCodeWrong:This recovery code is not right, or it was already used. Try another of your saved codes.`,
      });
      this.goTo('second-factor', true, '[aria-invalid="true"]');
      return null;
    }
    if (failure.code === ERROR_CODES.SECOND_FACTOR_REQUIRED) {
      this.factorCode.set(null);
      this.goTo('second-factor', true);
      return $localize`:@@reset.codeNeeded:Your account has two-step verification: enter a code to continue.`;
    }
    if (
      failure.code === ERROR_CODES.PASSWORD_POLICY ||
      (failure.status === 400 && failure.fields.includes('newPassword'))
    ) {
      this.rejected.set({ password: newPassword, rules: failure.rules });
      this.passwordChosen = false;
      this.step.set('password');
      this.sending.focusInvalidField();
      return null;
    }
    return describeFailure(failure);
  }

  private goTo(step: Step, moveFocus: boolean, focusTarget = '#reset-title'): void {
    this.step.set(step);
    if (moveFocus) focusAfterRender(this.injector, this.host, focusTarget);
  }

  private showLinkProblem(problem: LinkProblem, moveFocus = true): void {
    this.tokens.clear();
    this.linkProblem.set(problem);
    this.goTo('link-problem', moveFocus, '#reset-result');
  }
}
