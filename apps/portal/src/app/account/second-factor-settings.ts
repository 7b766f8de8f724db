import { ERROR_CODES, type MfaStatus } from '@account-recovery/contracts';

import {
  ChangeDetectionStrategy,
  Component,
  computed,
  ElementRef,
  inject,
  Injector,
  input,
  output,
  signal,
} from '@angular/core';
import { Router } from '@angular/router';

import { SecondFactorForm, type CodeRejection } from '../second-factor/second-factor-form';
import { signInAgain } from '../session/sign-in-again';
import type { ApiFailure } from '../shared/api-failure';
import { describeFailure } from '../shared/error-description';
import { focusAfterRender } from '../shared/focus';
import { Notice } from '../shared/forms/notice';
import { submission } from '../shared/submission';
import { MfaApi } from './mfa-api';
import { RecoveryCodesPanel } from './recovery-codes-panel';
import { TotpEnrolment } from './totp-enrolment';

/** What the section shows: the status, or one of the changes, each a step of its own. */
type Mode = 'overview' | 'enrol' | 'regenerate' | 'remove' | 'new-codes';

/** A change confirmed with a current code: the words of its step. */
interface CodeConfirmation {
  title: string;
  lead: string;
  submitLabel: string;
  idPrefix: string;
  danger: boolean;
}

/** Few enough codes left that the page suggests a new set. */
const FEW_CODES_LEFT = 3;

/**
 * The account page's two-step verification: whether an authenticator is on and how many
 * recovery codes are left, adding one, new recovery codes and removal (both confirmed with a
 * current code). `changed` asks the page to read the status again.
 */
@Component({
  selector: 'app-second-factor-settings',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Notice, RecoveryCodesPanel, SecondFactorForm, TotpEnrolment],
  templateUrl: './second-factor-settings.html',
  styles: `
    :host {
      display: block;
      margin: 0 0 1.5rem;
      padding-block-start: 1.25rem;
      border-block-start: 1px solid var(--color-line);
    }
    .actions {
      display: grid;
      gap: 0.75rem;
    }
    .details__row {
      grid-template-columns: 8.5rem 1fr;
    }
  `,
})
export class SecondFactorSettings {
  private readonly api = inject(MfaApi);
  private readonly router = inject(Router);
  private readonly injector = inject(Injector);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
  private readonly reauthenticate = signInAgain();

  readonly status = input.required<MfaStatus>();
  readonly changed = output();

  protected readonly mode = signal<Mode>('overview');
  protected readonly sending = submission('#mfa-result');
  protected readonly codeRejection = signal<CodeRejection | null>(null);
  protected readonly newCodes = signal<readonly string[]>([]);
  /** What the last change did, said politely on the overview. */
  protected readonly outcome = signal<string | null>(null);
  protected readonly runningOut = computed(() => this.status().recoveryCodesLeft <= FEW_CODES_LEFT);
  private readonly confirmations: Record<'regenerate' | 'remove', CodeConfirmation> = {
    regenerate: {
      title: $localize`:@@mfa.regenerateTitle:Get new recovery codes`,
      lead: $localize`:@@mfa.regenerateLead:You will get ten new codes, and the codes you have now will stop working. To confirm, enter the code from your authenticator app.`,
      submitLabel: $localize`:@@mfa.regenerateSubmit:Get new codes`,
      idPrefix: 'regenerate',
      danger: false,
    },
    remove: {
      title: $localize`:@@mfa.removeTitle:Remove the authenticator?`,
      lead: $localize`:@@mfa.removeLead:Without it, your password alone signs you in, and anyone who can read your email can reset it. Your recovery codes stop working too. To confirm, enter the code from your authenticator app.`,
      submitLabel: $localize`:@@mfa.removeSubmit:Remove the authenticator`,
      idPrefix: 'remove',
      danger: true,
    },
  };
  protected readonly confirmation = computed(() => {
    const mode = this.mode();
    return mode === 'regenerate' || mode === 'remove' ? this.confirmations[mode] : null;
  });

  protected show(mode: Mode): void {
    this.sending.reset();
    this.codeRejection.set(null);
    if (mode !== 'overview') this.outcome.set(null);
    this.mode.set(mode);
    focusAfterRender(this.injector, this.host, 'h2');
  }

  protected enrolled(): void {
    this.outcome.set($localize`:@@mfa.enrolled:Two-step verification is on.`);
    this.show('overview');
    this.changed.emit();
  }

  protected confirmWithCode(code: string): void {
    if (this.mode() === 'regenerate') this.regenerate(code);
    else this.remove(code);
  }

  private regenerate(code: string): void {
    this.codeRejection.set(null);
    this.sending.send(
      this.api.regenerateRecoveryCodes({ code }),
      ({ recoveryCodes }) => {
        this.newCodes.set(recoveryCodes);
        this.show('new-codes');
        this.changed.emit();
      },
      (failure) => this.codeRefused(failure, code),
    );
  }

  protected codesSaved(): void {
    this.outcome.set(
      $localize`:@@mfa.regenerated:Your new recovery codes are ready; the old ones no longer work.`,
    );
    this.show('overview');
  }

  private remove(code: string): void {
    this.codeRejection.set(null);
    this.sending.send(
      this.api.removeFactor({ code }),
      () => {
        this.outcome.set(
          $localize`:@@mfa.removed:The authenticator is removed. Two-step verification is off.`,
        );
        this.show('overview');
        this.changed.emit();
      },
      (failure) => this.codeRefused(failure, code),
    );
  }

  private codeRefused(failure: ApiFailure, code: string): string | null {
    if (failure.code === ERROR_CODES.MFA_CODE_INVALID) {
      this.codeRejection.set({
        code,
        message: $localize`:@@mfa.codeWrong:This code is not right, or it was already used. Check it and try again.`,
      });
      this.sending.focusInvalidField();
      return null;
    }
    if (failure.code === ERROR_CODES.REAUTH_REQUIRED) {
      this.reauthenticate(this.router.url);
      return null;
    }
    if (failure.code === ERROR_CODES.MFA_NOT_ENROLLED) {
      this.show('overview');
      this.changed.emit();
      return null;
    }
    return describeFailure(failure);
  }
}
