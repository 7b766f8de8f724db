import { EMAIL_MAX_LENGTH, PORTAL_ROUTES } from '@account-recovery/contracts';

import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  inject,
  Injector,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { RouterLink } from '@angular/router';

import { PasswordResetApi } from '../../password-reset/password-reset-api';
import { toApiFailure } from '../../shared/api-failure';
import { autoRedirect } from '../../shared/auto-redirect';
import { FIRST_INVALID_FIELD, focusAfterRender } from '../../shared/focus';
import { somethingWentWrongMessage, tooManyAttemptsMessage } from '../../shared/messages';

/** Same wording as the API's `FORGOT_PASSWORD_MESSAGE`, translatable; a spec keeps them equal. */
export const linkSentMessage = (): string =>
  $localize`:@@forgot.sent:If the email exists, a reset link has been sent.`;

@Component({
  selector: 'app-forgot-password-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, RouterLink],
  templateUrl: './forgot-password-page.html',
})
export class ForgotPasswordPage {
  private readonly api = inject(PasswordResetApi);
  private readonly destroyRef = inject(DestroyRef);
  private readonly injector = inject(Injector);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;

  protected readonly loginUrl = `/${PORTAL_ROUTES.login}`;
  protected readonly sentMessage = linkSentMessage();
  protected readonly redirect = autoRedirect(this.loginUrl);

  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email, Validators.maxLength(EMAIL_MAX_LENGTH)]],
  });

  protected readonly submitted = signal(false);
  protected readonly submitting = signal(false);
  protected readonly sent = signal(false);
  /** The API found the address malformed where our own check did not. */
  protected readonly rejectedEmail = signal<string | null>(null);
  protected readonly failure = signal<string | null>(null);

  protected emailError(): string | null {
    const control = this.form.controls.email;
    if (!control.touched && !this.submitted()) return null;
    if (control.hasError('required')) {
      return $localize`:@@forgot.emailRequired:Enter your email address.`;
    }
    if (control.hasError('maxlength')) {
      return $localize`:@@forgot.emailTooLong:This email address is too long.`;
    }
    if (control.hasError('email') || this.rejectedEmail() === control.value) {
      return $localize`:@@forgot.emailInvalid:Enter a valid email address, like name@example.com.`;
    }
    return null;
  }

  protected requestLink(): void {
    if (this.submitting()) return;
    this.submitted.set(true);
    this.failure.set(null);
    this.form.markAllAsTouched();
    if (this.form.invalid) {
      focusAfterRender(this.injector, this.host, FIRST_INVALID_FIELD);
      return;
    }
    const email = this.form.controls.email.value.trim();
    this.submitting.set(true);
    this.api
      .requestResetLink({ email })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => {
          this.submitting.set(false);
          this.sent.set(true);
          this.redirect.start();
          focusAfterRender(this.injector, this.host, '#forgot-result');
        },
        error: (error: unknown) => {
          this.submitting.set(false);
          const failure = toApiFailure(error);
          if (failure.status === 400) {
            this.rejectedEmail.set(this.form.controls.email.value);
            focusAfterRender(this.injector, this.host, FIRST_INVALID_FIELD);
            return;
          }
          this.failure.set(
            failure.status === 429
              ? tooManyAttemptsMessage(failure.retryAfterSeconds)
              : somethingWentWrongMessage(),
          );
          focusAfterRender(this.injector, this.host, '#forgot-result');
        },
      });
  }
}
