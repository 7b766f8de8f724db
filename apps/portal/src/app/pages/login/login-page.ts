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
import { Router, RouterLink } from '@angular/router';

import { Session } from '../../session/session';
import { SessionApi } from '../../session/session-api';
import { toApiFailure } from '../../shared/api-failure';
import { FIRST_INVALID_FIELD, focusAfterRender } from '../../shared/focus';

@Component({
  selector: 'app-login-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, RouterLink],
  templateUrl: './login-page.html',
})
export class LoginPage {
  private readonly api = inject(SessionApi);
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);
  private readonly injector = inject(Injector);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;

  protected readonly forgotPasswordUrl = `/${PORTAL_ROUTES.forgotPassword}`;
  protected readonly showPasswordLabel = $localize`:@@login.showPassword:Show password`;
  protected readonly hidePasswordLabel = $localize`:@@login.hidePassword:Hide password`;

  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email, Validators.maxLength(EMAIL_MAX_LENGTH)]],
    password: ['', Validators.required],
  });

  protected readonly submitted = signal(false);
  protected readonly submitting = signal(false);
  protected readonly showPassword = signal(false);
  protected readonly failure = signal<string | null>(null);

  protected emailError(): string | null {
    const control = this.form.controls.email;
    if (!control.touched && !this.submitted()) return null;
    if (control.hasError('required')) {
      return $localize`:@@login.emailRequired:Enter your email address.`;
    }
    if (control.invalid) {
      return $localize`:@@login.emailInvalid:Enter a valid email address, like name@example.com.`;
    }
    return null;
  }

  protected passwordError(): string | null {
    const control = this.form.controls.password;
    if (!control.touched && !this.submitted()) return null;
    return control.hasError('required')
      ? $localize`:@@login.passwordRequired:Enter your password.`
      : null;
  }

  protected signIn(): void {
    if (this.submitting()) return;
    this.submitted.set(true);
    this.failure.set(null);
    this.form.markAllAsTouched();
    if (this.form.invalid) {
      focusAfterRender(this.injector, this.host, FIRST_INVALID_FIELD);
      return;
    }
    const { email, password } = this.form.getRawValue();
    this.submitting.set(true);
    this.api
      .login({ email: email.trim(), password })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (response) => {
          this.session.signIn(response);
          void this.router.navigateByUrl(`/${PORTAL_ROUTES.home}`);
        },
        error: (error: unknown) => {
          this.submitting.set(false);
          const { status } = toApiFailure(error);
          // One message for every answer about the credentials (401, 429, 400), so the page
          // never tells which addresses have accounts. Only an outage, which says nothing
          // about the account, gets its own words.
          this.failure.set(
            status === 0 || status >= 500
              ? $localize`:@@login.unavailable:Sign-in is not available right now. Please try again in a moment.`
              : $localize`:@@login.failed:Email or password is incorrect.`,
          );
          focusAfterRender(this.injector, this.host, '#login-result');
        },
      });
  }
}
