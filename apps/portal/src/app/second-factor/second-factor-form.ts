import {
  ChangeDetectionStrategy,
  Component,
  computed,
  ElementRef,
  inject,
  Injector,
  input,
  linkedSignal,
  output,
  signal,
} from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';

import { FIRST_INVALID_FIELD, focusAfterRender } from '../shared/focus';
import { CodeField } from '../shared/forms/code-field';
import { showsErrors } from '../shared/forms/form-errors';
import { SubmitButton } from '../shared/forms/submit-button';
import {
  digitsCode,
  recoveryCode,
  tidyDigits,
  tidyRecoveryCode,
  TOTP_CODE_LENGTH,
} from './one-time-codes';

/** The API's verdict on a code it was sent; shown until the person edits the field. */
export interface CodeRejection {
  code: string;
  message: string;
}

/**
 * Asks for a second factor: the authenticator's code, or, a click away, a recovery code.
 * It checks the shape and emits the tidied code; the page sends it and passes back any
 * rejection. Used by the sign-in's second step and the reset page's code step.
 */
@Component({
  selector: 'app-second-factor-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, CodeField, SubmitButton],
  templateUrl: './second-factor-form.html',
  styles: `
    .second-factor__switch {
      justify-self: start;
    }
  `,
})
export class SecondFactorForm {
  private readonly injector = inject(Injector);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;

  /** Prefix of the control ids (`login` → `login-totp-code`), unique on the page. */
  readonly idPrefix = input.required<string>();
  readonly submitLabel = input.required<string>();
  readonly busy = input(false);
  /** For a submit that takes something away (removing the factor). */
  readonly danger = input(false);
  readonly rejection = input<CodeRejection | null>(null);
  readonly codeEntered = output<string>();

  protected readonly labels = {
    totp: $localize`:@@secondFactor.totpLabel:Authentication code`,
    totpHint: $localize`:@@secondFactor.totpHint:The 6-digit code your authenticator app shows now.`,
    recovery: $localize`:@@secondFactor.recoveryLabel:Recovery code`,
    recoveryHint: $localize`:@@secondFactor.recoveryHint:One of the codes you saved when you added the authenticator, like ABCDE-23456. Each works once.`,
  };
  /**
   * A rejected recovery code brings the form back on the recovery code (a page may rebuild
   * it on the way back to its code step); otherwise the person's last choice holds.
   */
  protected readonly useRecoveryCode = linkedSignal<CodeRejection | null, boolean>({
    source: this.rejection,
    computation: (rejection, previous) =>
      rejection !== null ? !/^\d+$/.test(rejection.code) : (previous?.value ?? false),
  });
  protected readonly submitted = signal(false);
  protected readonly form = inject(NonNullableFormBuilder).group({
    totp: ['', [Validators.required, digitsCode(TOTP_CODE_LENGTH)]],
    recovery: ['', [Validators.required, recoveryCode]],
  });

  private readonly value = toSignal(this.form.valueChanges, { initialValue: this.form.value });
  /** Set by typing; a new rejection from the page clears it. */
  private readonly rejectionDismissed = linkedSignal({
    source: this.rejection,
    computation: () => false,
  });

  constructor() {
    this.form.valueChanges
      .pipe(takeUntilDestroyed())
      .subscribe(() => this.rejectionDismissed.set(true));
  }
  private readonly currentCode = computed(() => {
    const { totp = '', recovery = '' } = this.value();
    return this.useRecoveryCode() ? tidyRecoveryCode(recovery) : tidyDigits(totp);
  });

  /** A method, not a computed: the touched state it reads is not a signal. */
  protected errors(): string[] {
    const control = this.useRecoveryCode() ? this.form.controls.recovery : this.form.controls.totp;
    const rejection = this.rejection();
    if (rejection !== null && !this.rejectionDismissed()) return [rejection.message];
    if (!showsErrors(control, this.submitted())) return [];
    if (this.useRecoveryCode()) {
      return control.hasError('required')
        ? [$localize`:@@secondFactor.recoveryRequired:Enter one of your recovery codes.`]
        : control.invalid
          ? [
              $localize`:@@secondFactor.recoveryInvalid:A recovery code has 10 letters and digits, like ABCDE-23456.`,
            ]
          : [];
    }
    return control.hasError('required')
      ? [$localize`:@@secondFactor.totpRequired:Enter the code from your authenticator app.`]
      : control.invalid
        ? [$localize`:@@secondFactor.totpInvalid:The code has 6 digits.`]
        : [];
  }

  protected switchMethod(): void {
    this.useRecoveryCode.set(!this.useRecoveryCode());
    this.submitted.set(false);
    focusAfterRender(this.injector, this.host, 'input');
  }

  protected sendCode(): void {
    if (this.busy()) return;
    this.submitted.set(true);
    const control = this.useRecoveryCode() ? this.form.controls.recovery : this.form.controls.totp;
    control.markAsTouched();
    if (control.invalid) {
      focusAfterRender(this.injector, this.host, FIRST_INVALID_FIELD);
      return;
    }
    this.codeEntered.emit(this.currentCode());
  }
}
