import {
  EMAIL_MAX_LENGTH,
  ERROR_CODES,
  PORTAL_ROUTES,
  type MfaChallengeResponse,
  type SessionTokens,
} from '@account-recovery/contracts';

import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  inject,
  Injector,
  signal,
} from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';

import { SecondFactorForm, type CodeRejection } from '../../second-factor/second-factor-form';
import {
  REAUTH_REASON,
  RETURN_URL_PARAM,
  safeReturnUrl,
  SIGN_IN_REASON_PARAM,
} from '../../session/return-url';
import { Session } from '../../session/session';
import { SessionApi } from '../../session/session-api';
import { isSecondFactorChallenge } from '../../session/sign-in-answer';
import { describeFailure, isOutage } from '../../shared/error-description';
import { focusAfterRender } from '../../shared/focus';
import { EmailField } from '../../shared/forms/email-field';
import { Field } from '../../shared/forms/field';
import { emailErrors, showsErrors } from '../../shared/forms/form-errors';
import { Notice } from '../../shared/forms/notice';
import { PasswordInput } from '../../shared/forms/password-input';
import { SubmitButton } from '../../shared/forms/submit-button';
import { submission } from '../../shared/submission';

/** Step one asks for the password; step two, for accounts with a factor, for a code. */
@Component({
  selector: 'app-login-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    RouterLink,
    EmailField,
    Field,
    Notice,
    PasswordInput,
    SecondFactorForm,
    SubmitButton,
  ],
  templateUrl: './login-page.html',
})
export class LoginPage {
  private readonly api = inject(SessionApi);
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  private readonly injector = inject(Injector);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
  private readonly query = inject(ActivatedRoute).snapshot.queryParamMap;
  private readonly returnUrl = safeReturnUrl(this.query.get(RETURN_URL_PARAM));

  protected readonly forgotPasswordUrl = `/${PORTAL_ROUTES.forgotPassword}`;
  protected readonly mustSignInAgain = this.query.get(SIGN_IN_REASON_PARAM) === REAUTH_REASON;
  protected readonly verifyLabel = $localize`:@@login.verify:Verify and sign in`;

  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email, Validators.maxLength(EMAIL_MAX_LENGTH)]],
    password: ['', Validators.required],
  });

  protected readonly sending = submission('#login-result');
  /** The second step's challenge; null on the first step. */
  protected readonly challenge = signal<MfaChallengeResponse | null>(null);
  protected readonly codeRejection = signal<CodeRejection | null>(null);

  protected emailErrors(): string[] {
    return emailErrors(this.form.controls.email, this.sending.submitted());
  }

  protected passwordErrors(): string[] {
    const control = this.form.controls.password;
    return showsErrors(control, this.sending.submitted()) && control.hasError('required')
      ? [$localize`:@@login.passwordRequired:Enter your password.`]
      : [];
  }

  protected signIn(): void {
    if (!this.sending.begin(this.form)) return;
    const { email, password } = this.form.getRawValue();
    this.sending.send(
      this.api.login({ email: email.trim(), password }),
      (answer) => {
        if (!isSecondFactorChallenge(answer)) {
          this.finish(answer);
          return;
        }
        this.codeRejection.set(null);
        this.challenge.set(answer);
        focusAfterRender(this.injector, this.host, '#login-title');
      },
      // One message for every answer about the credentials (401, 429, 400), so the page
      // never tells which addresses have accounts. Only an outage, which says nothing
      // about the account, gets its own words.
      (failure) =>
        isOutage(failure)
          ? $localize`:@@login.unavailable:Sign-in is not available right now. Please try again in a moment.`
          : $localize`:@@login.failed:Email or password is incorrect.`,
    );
  }

  protected verifyCode(code: string): void {
    const challenge = this.challenge();
    if (challenge === null || this.sending.busy()) return;
    this.codeRejection.set(null);
    this.sending.send(
      this.api.loginSecondFactor({ challengeToken: challenge.challengeToken, code }),
      (tokens) => this.finish(tokens),
      (failure) => {
        if (failure.code === ERROR_CODES.MFA_CODE_INVALID) {
          this.codeRejection.set({
            code,
            message: $localize`:@@login.codeWrong:This code is not right, or it was already used. Check it and try again.`,
          });
          focusAfterRender(this.injector, this.host, '[aria-invalid="true"]');
          return null;
        }
        if (failure.code === ERROR_CODES.CHALLENGE_INVALID) {
          this.startOver();
          return $localize`:@@login.challengeEnded:Your sign-in timed out or had too many wrong codes. Enter your password again.`;
        }
        return describeFailure(failure);
      },
    );
  }

  /** Back to the first step, for another account or after the challenge ended. */
  protected startOver(): void {
    this.challenge.set(null);
    this.codeRejection.set(null);
    this.form.controls.password.reset();
    this.sending.reset();
    focusAfterRender(this.injector, this.host, '#login-title');
  }

  private finish(tokens: SessionTokens): void {
    this.session.signIn(tokens);
    void this.router.navigateByUrl(this.returnUrl);
  }
}
