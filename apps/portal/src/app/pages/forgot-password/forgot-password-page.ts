import { EMAIL_MAX_LENGTH, PORTAL_ROUTES } from '@account-recovery/contracts';

import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  inject,
  Injector,
  signal,
} from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { RouterLink } from '@angular/router';

import { PasswordResetApi } from '../../password-reset/password-reset-api';
import { describeFailure } from '../../shared/error-description';
import { focusAfterRender } from '../../shared/focus';
import { EmailField } from '../../shared/forms/email-field';
import { emailErrors } from '../../shared/forms/form-errors';
import { Notice } from '../../shared/forms/notice';
import { SubmitButton } from '../../shared/forms/submit-button';
import { submission } from '../../shared/submission';
import { ResetCodeForm } from './reset-code-form';

/** Same wording as the API's `FORGOT_PASSWORD_MESSAGE`, translatable; a spec keeps them equal. */
export const linkSentMessage = (): string =>
  $localize`:@@forgot.sent:If the email exists, a reset link has been sent.`;

type Step = 'request' | 'sent' | 'code';

@Component({
  selector: 'app-forgot-password-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, RouterLink, EmailField, Notice, ResetCodeForm, SubmitButton],
  templateUrl: './forgot-password-page.html',
})
export class ForgotPasswordPage {
  private readonly api = inject(PasswordResetApi);
  private readonly injector = inject(Injector);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;

  protected readonly loginUrl = `/${PORTAL_ROUTES.login}`;
  protected readonly sentMessage = linkSentMessage();

  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email, Validators.maxLength(EMAIL_MAX_LENGTH)]],
  });

  protected readonly sending = submission('#forgot-result');
  protected readonly step = signal<Step>('request');
  /** The address the request went out for, kept for the code form. */
  protected readonly sentTo = signal('');
  /** The API found the address malformed where our own check did not. */
  private readonly rejectedEmail = signal<string | null>(null);

  protected emailErrors(): string[] {
    return emailErrors(this.form.controls.email, this.sending.submitted(), this.rejectedEmail());
  }

  protected requestLink(): void {
    if (!this.sending.begin(this.form)) return;
    const email = this.form.controls.email.value.trim();
    this.sending.send(
      this.api.requestResetLink({ email }),
      () => {
        this.sentTo.set(email);
        this.step.set('sent');
        focusAfterRender(this.injector, this.host, '#forgot-result');
      },
      (failure) => {
        if (failure.status === 400) {
          this.rejectedEmail.set(this.form.controls.email.value);
          this.sending.focusInvalidField();
          return null;
        }
        return describeFailure(failure);
      },
    );
  }

  /** For the person who reads the email on another device: the code instead of the link. */
  protected enterCode(): void {
    this.step.set('code');
    focusAfterRender(this.injector, this.host, '#forgot-title');
  }
}
