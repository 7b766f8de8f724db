import { ERROR_CODES, type TotpEnrolmentResponse } from '@account-recovery/contracts';

import { DOCUMENT } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  inject,
  Injector,
  output,
  signal,
} from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router } from '@angular/router';

import { digitsCode, tidyDigits, TOTP_CODE_LENGTH } from '../second-factor/one-time-codes';
import { signInAgain } from '../session/sign-in-again';
import { describeFailure } from '../shared/error-description';
import { focusAfterRender } from '../shared/focus';
import { CodeField } from '../shared/forms/code-field';
import { showsErrors } from '../shared/forms/form-errors';
import { Notice } from '../shared/forms/notice';
import { SubmitButton } from '../shared/forms/submit-button';
import { submission } from '../shared/submission';
import { MfaApi } from './mfa-api';
import { qrCodeImage } from './qr-code';
import { RecoveryCodesPanel } from './recovery-codes-panel';

type Step = 'starting' | 'scan' | 'codes';

/** The key in groups of four, as authenticator apps print it; they ignore the spaces. */
export function groupKey(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * Adding an authenticator: a pending factor from the API, its QR code and key, a code from the
 * app to turn it on, then the recovery codes, shown once. `finished` when they are saved (or
 * when the API says the account already has one); `cancelled` before the factor is on.
 */
@Component({
  selector: 'app-totp-enrolment',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, CodeField, Notice, RecoveryCodesPanel, SubmitButton],
  templateUrl: './totp-enrolment.html',
  styles: `
    .qr {
      display: block;
      width: 12rem;
      max-width: 100%;
      height: auto;
      margin: 0.5rem 0;
      image-rendering: pixelated;
    }
    .key {
      display: inline-block;
      margin-inline-end: 0.75rem;
      font-family: ui-monospace, 'Liberation Mono', monospace;
      font-size: 1.0625rem;
      overflow-wrap: anywhere;
    }
    .steps {
      display: grid;
      gap: 1rem;
      margin: 0 0 1.25rem;
      padding-inline-start: 1.25rem;
    }
  `,
})
export class TotpEnrolment {
  private readonly api = inject(MfaApi);
  private readonly document = inject(DOCUMENT);
  private readonly router = inject(Router);
  private readonly injector = inject(Injector);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
  private readonly reauthenticate = signInAgain();

  readonly finished = output();
  readonly cancelled = output();

  protected readonly step = signal<Step>('starting');
  protected readonly enrolment = signal<TotpEnrolmentResponse | null>(null);
  protected readonly qrCode = signal<string | null>(null);
  protected readonly recoveryCodes = signal<readonly string[]>([]);
  protected readonly keyStatus = signal('');
  protected readonly sending = submission('#enrol-result');
  protected readonly rejectedCode = signal<string | null>(null);
  protected readonly form = inject(NonNullableFormBuilder).group({
    code: ['', [Validators.required, digitsCode(TOTP_CODE_LENGTH)]],
  });
  protected readonly groupKey = groupKey;

  constructor() {
    this.start();
  }

  protected start(): void {
    this.step.set('starting');
    this.sending.send(
      this.api.startTotp(),
      (enrolment) => {
        this.enrolment.set(enrolment);
        this.form.reset();
        this.sending.reset();
        this.step.set('scan');
        focusAfterRender(this.injector, this.host, '#enrol-title');
        qrCodeImage(enrolment.otpauthUri).then(
          (image) => this.qrCode.set(image),
          // The key below the picture still works; the person types it in.
          () => this.qrCode.set(null),
        );
      },
      (failure) => {
        if (failure.code === ERROR_CODES.REAUTH_REQUIRED) {
          this.reauthenticate(this.router.url);
          return null;
        }
        if (failure.code === ERROR_CODES.MFA_ALREADY_ENROLLED) {
          this.finished.emit();
          return null;
        }
        return describeFailure(failure);
      },
    );
  }

  protected codeErrors(): string[] {
    const control = this.form.controls.code;
    if (this.rejectedCode() !== null && this.rejectedCode() === control.value) {
      return [
        $localize`:@@enrol.codeWrong:This code is not right. Enter the code the app shows now; it changes every 30 seconds.`,
      ];
    }
    if (!showsErrors(control, this.sending.submitted())) return [];
    if (control.hasError('required')) {
      return [$localize`:@@enrol.codeRequired:Enter the code from your authenticator app.`];
    }
    return control.invalid ? [$localize`:@@enrol.codeInvalid:The code has 6 digits.`] : [];
  }

  protected async copyKey(secret: string): Promise<void> {
    try {
      await this.document.defaultView?.navigator.clipboard.writeText(secret);
      this.keyStatus.set($localize`:@@enrol.keyCopied:The key is copied.`);
    } catch {
      this.keyStatus.set($localize`:@@enrol.keyCopyFailed:Copying is not available here.`);
    }
  }

  protected confirm(): void {
    this.rejectedCode.set(null);
    if (!this.sending.begin(this.form)) return;
    const code = this.form.controls.code.value;
    this.sending.send(
      this.api.confirmTotp({ code: tidyDigits(code) }),
      ({ recoveryCodes }) => {
        this.recoveryCodes.set(recoveryCodes);
        this.step.set('codes');
        focusAfterRender(this.injector, this.host, '#codes-title');
      },
      (failure) => {
        if (failure.code === ERROR_CODES.MFA_CODE_INVALID) {
          this.rejectedCode.set(code);
          this.sending.focusInvalidField();
          return null;
        }
        if (failure.code === ERROR_CODES.MFA_NOT_ENROLLED) {
          return $localize`:@@enrol.expired:This setup has expired. Start again to get a new key.`;
        }
        return describeFailure(failure);
      },
    );
  }
}
