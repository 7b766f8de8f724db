import { EMAIL_MAX_LENGTH, ERROR_CODES, PORTAL_ROUTES } from '@account-recovery/contracts';

import {
  ChangeDetectionStrategy,
  Component,
  inject,
  input,
  signal,
  type OnInit,
} from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router } from '@angular/router';

import { PasswordResetApi } from '../../password-reset/password-reset-api';
import { ResetTokenStore } from '../../password-reset/reset-token-store';
import { digitsCode, RESET_CODE_LENGTH, tidyDigits } from '../../second-factor/one-time-codes';
import { describeFailure } from '../../shared/error-description';
import { CodeField } from '../../shared/forms/code-field';
import { EmailField } from '../../shared/forms/email-field';
import { emailErrors, showsErrors } from '../../shared/forms/form-errors';
import { Notice } from '../../shared/forms/notice';
import { SubmitButton } from '../../shared/forms/submit-button';
import { submission } from '../../shared/submission';

/**
 * The code of a reset email, for the person who reads mail on another device: traded for the
 * request's reset token, which goes to the same store as an emailed link's, then to the reset
 * page. A wrong code, an unknown address and a dead request get the same words.
 */
@Component({
  selector: 'app-reset-code-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, CodeField, EmailField, Notice, SubmitButton],
  templateUrl: './reset-code-form.html',
})
export class ResetCodeForm implements OnInit {
  private readonly api = inject(PasswordResetApi);
  private readonly tokens = inject(ResetTokenStore);
  private readonly router = inject(Router);

  /** The address of the forgot-password form, so it need not be typed twice. */
  readonly email = input('');

  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email, Validators.maxLength(EMAIL_MAX_LENGTH)]],
    code: ['', [Validators.required, digitsCode(RESET_CODE_LENGTH)]],
  });
  protected readonly sending = submission('#reset-code-result');
  /** The code the API refused, for as long as it stands in the field. */
  private readonly rejectedCode = signal<string | null>(null);

  ngOnInit(): void {
    this.form.controls.email.setValue(this.email());
  }

  protected emailErrors(): string[] {
    return emailErrors(this.form.controls.email, this.sending.submitted());
  }

  protected codeErrors(): string[] {
    const control = this.form.controls.code;
    if (this.rejectedCode() !== null && this.rejectedCode() === control.value) {
      return [
        $localize`:@@resetCode.wrong:This code is wrong or has expired. Check the latest email, or request a new link.`,
      ];
    }
    if (!showsErrors(control, this.sending.submitted())) return [];
    if (control.hasError('required')) {
      return [$localize`:@@resetCode.required:Enter the code from the email.`];
    }
    return control.invalid ? [$localize`:@@resetCode.invalid:The code has 8 digits.`] : [];
  }

  protected useCode(): void {
    this.rejectedCode.set(null);
    if (!this.sending.begin(this.form)) return;
    const { email, code } = this.form.getRawValue();
    this.sending.send(
      this.api.exchangeCode({ email: email.trim(), code: tidyDigits(code) }),
      ({ token }) => {
        this.tokens.keep(token);
        void this.router.navigateByUrl(`/${PORTAL_ROUTES.resetPassword}`);
      },
      (failure) => {
        // A malformed address is the only thing a 400 may single out; anything else about
        // the pair is CODE_INVALID, in the same words whether or not the address has an account.
        if (failure.code === ERROR_CODES.CODE_INVALID || failure.status === 400) {
          this.rejectedCode.set(code);
          this.sending.focusInvalidField();
          return null;
        }
        return describeFailure(failure);
      },
    );
  }
}
