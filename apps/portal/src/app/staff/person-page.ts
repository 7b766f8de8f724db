import {
  ERROR_CODES,
  STAFF_PERSON_ROUTE_PARAM,
  type UserResponse,
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
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { ActivatedRoute, RouterLink } from '@angular/router';
import type { Observable } from 'rxjs';

import { toApiFailure } from '../shared/api-failure';
import { focusAfterRender } from '../shared/focus';
import { Notice } from '../shared/forms/notice';
import { submission } from '../shared/submission';
import { ConfirmDialog } from './confirm-dialog';
import { EventTimeline } from './event-timeline';
import { PersonLanguage } from './person-language';
import { PersonStatus } from './person-status';
import { StaffApi } from './staff-api';
import { staffFailureHandler } from './staff-failure';
import { staffPaths } from './staff-paths';

/** What the help desk can do to an account, each after a confirmation step. */
export type StaffAction = 'reset-link' | 'end-sessions' | 'reset-factor';

const NOT_FOUND = {
  [ERROR_CODES.NOT_FOUND]: () =>
    $localize`:@@staff.personNotFound:There is no account with this id; it may have been deleted.`,
};

/**
 * One person: the status of their account, the help desk's actions (each confirmed in a
 * dialog; the outcome announced and the status read again) and the timeline of their events.
 */
@Component({
  selector: 'app-person-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ReactiveFormsModule,
    RouterLink,
    ConfirmDialog,
    EventTimeline,
    Notice,
    PersonLanguage,
    PersonStatus,
  ],
  templateUrl: './person-page.html',
})
export class PersonPage {
  private readonly api = inject(StaffApi);
  private readonly destroyRef = inject(DestroyRef);
  private readonly injector = inject(Injector);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
  private readonly failed = staffFailureHandler();

  protected readonly paths = staffPaths;
  protected readonly person = signal<UserResponse | null>(null);
  protected readonly loadFailure = signal<string | null>(null);
  /** The action whose confirmation is open. */
  protected readonly pending = signal<StaffAction | null>(null);
  protected readonly acting = submission('#action-dialog-result');
  /** What the last action did, said politely above the actions. */
  protected readonly outcome = signal<string | null>(null);
  protected readonly resetLinkOptions = inject(NonNullableFormBuilder).group({
    revokeSessions: [false],
  });

  protected readonly dialogTitle = computed(() => {
    switch (this.pending()) {
      case 'reset-link':
        return $localize`:@@staff.confirmResetLinkTitle:Send a reset link?`;
      case 'end-sessions':
        return $localize`:@@staff.confirmEndSessionsTitle:End all sessions?`;
      case 'reset-factor':
        return $localize`:@@staff.confirmResetFactorTitle:Reset two-step verification?`;
      default:
        return '';
    }
  });
  protected readonly dialogConfirmLabel = computed(() => {
    switch (this.pending()) {
      case 'reset-link':
        return $localize`:@@staff.confirmResetLink:Send the link`;
      case 'end-sessions':
        return $localize`:@@staff.confirmEndSessions:End the sessions`;
      case 'reset-factor':
        return $localize`:@@staff.confirmResetFactor:Reset two-step verification`;
      default:
        return '';
    }
  });

  constructor() {
    inject(ActivatedRoute)
      .paramMap.pipe(takeUntilDestroyed())
      .subscribe((params) => {
        this.person.set(null);
        this.outcome.set(null);
        this.load(params.get(STAFF_PERSON_ROUTE_PARAM) ?? '');
      });
  }

  protected load(id: string): void {
    this.loadFailure.set(null);
    this.api
      .person(id)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (person) => this.person.set(person),
        error: (error: unknown) => {
          const message = this.failed(toApiFailure(error), NOT_FOUND);
          if (message !== null) this.loadFailure.set(message);
        },
      });
  }

  /** Opens the confirmation of an action. */
  protected ask(action: StaffAction, dialog: ConfirmDialog): void {
    this.acting.reset();
    this.resetLinkOptions.reset();
    this.pending.set(action);
    dialog.open();
  }

  // The dialog and the timeline come from the template's references, not viewChild(): see
  // ConfirmDialog.
  protected confirm(dialog: ConfirmDialog, timeline: EventTimeline): void {
    const person = this.person();
    const action = this.pending();
    if (person === null || action === null || this.acting.busy()) return;
    this.acting.send<unknown>(
      this.request(action, person.id),
      () => {
        dialog.closeWithoutRestoringFocus();
        this.outcome.set(this.outcomeOf(action, person.email));
        focusAfterRender(this.injector, this.host, '#person-outcome');
        this.load(person.id);
        timeline.reload();
      },
      (failure) => {
        const message = this.failed(failure, NOT_FOUND);
        if (message === null) dialog.close();
        return message;
      },
    );
  }

  private request(action: StaffAction, id: string): Observable<unknown> {
    switch (action) {
      case 'reset-link':
        return this.api.sendResetLink(id, {
          revokeSessions: this.resetLinkOptions.controls.revokeSessions.value,
        });
      case 'end-sessions':
        return this.api.endSessions(id);
      case 'reset-factor':
        return this.api.resetSecondFactor(id);
    }
  }

  private outcomeOf(action: StaffAction, email: string): string {
    switch (action) {
      case 'reset-link':
        return this.resetLinkOptions.controls.revokeSessions.value
          ? $localize`:@@staff.resetLinkSentEnded:A reset link is on its way to ${email}:email:, and their sessions are ended.`
          : $localize`:@@staff.resetLinkSent:A reset link is on its way to ${email}:email:.`;
      case 'end-sessions':
        return $localize`:@@staff.sessionsEnded:Every session of ${email}:email: is ended; they must sign in again.`;
      case 'reset-factor':
        return $localize`:@@staff.factorReset:Two-step verification of ${email}:email: is off, and they were told by email. They can now reset their password with the email alone.`;
    }
  }
}
