import type { ThrottleStatus, UserResponse } from '@account-recovery/contracts';

import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  LOCALE_ID,
} from '@angular/core';

import { formatInstant } from './formatting';

/** What one throttle holds against the account: nothing, a wait until an instant, or a lock. */
@Component({
  selector: 'app-throttle-state',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @switch (status().state) {
      @case ('locked') {
        <strong class="badge badge--alert" i18n="@@staff.stateLocked">Locked</strong>
        <span i18n="@@staff.stateLockedDetail">
          after {{ status().failures }} failures in a row</span
        >
      }
      @case ('throttled') {
        <strong class="badge badge--warn" i18n="@@staff.stateThrottled">Throttled</strong>
        <span i18n="@@staff.stateThrottledDetail">
          after {{ status().failures }} failures in a row</span
        >
        @if (status().until; as until) {
          <span i18n="@@staff.stateThrottledUntil"
            >; next attempt from <time [attr.datetime]="until">{{ untilText() }}</time></span
          >
        }
      }
      @default {
        <span i18n="@@staff.stateOk">Normal</span>
        @if (status().failures > 0) {
          <span i18n="@@staff.stateOkFailures">
            ({status().failures, plural,
              =1 {1 recent failure}
              other {{{ status().failures }} recent failures}

            })
          </span>
        }
      }
    }
  `,
})
export class ThrottleState {
  private readonly locale = inject(LOCALE_ID);

  readonly status = input.required<ThrottleStatus>();

  protected readonly untilText = computed(() => {
    const until = this.status().until;
    return until === null ? '' : formatInstant(until, this.locale);
  });
}

/**
 * What the help desk needs to know about an account: whether a password is set, the second
 * factor, what the sign-in and code throttles hold (and until when), and when sessions were
 * last ended.
 */
@Component({
  selector: 'app-person-status',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ThrottleState],
  template: `
    @if (person(); as p) {
      <dl class="details staff-details" data-testid="person-status">
        <div class="details__row">
          <dt i18n="@@staff.statusName">Name</dt>
          <dd>
            <bdi>{{ p.displayName ?? '—' }}</bdi>
          </dd>
        </div>
        <div class="details__row">
          <dt i18n="@@common.emailLabel">Email</dt>
          <dd>
            <bdi>{{ p.email }}</bdi>
          </dd>
        </div>
        <div class="details__row">
          <dt i18n="@@staff.statusPassword">Password</dt>
          <dd>
            @if (!p.hasPassword) {
              <span i18n="@@staff.passwordNotSet">Not set yet</span>
            } @else if (p.passwordChangedAt; as changed) {
              <span i18n="@@staff.passwordSetOn"
                >Set, last changed <time [attr.datetime]="changed">{{ when(changed) }}</time></span
              >
            } @else {
              <span i18n="@@staff.passwordSet">Set</span>
            }
          </dd>
        </div>
        <div class="details__row">
          <dt i18n="@@staff.statusFactor">Two-step verification</dt>
          <dd>
            @if (p.hasSecondFactor) {
              <span i18n="@@staff.factorOn">On (authenticator and recovery codes)</span>
            } @else {
              <span i18n="@@staff.factorOff">Off</span>
            }
          </dd>
        </div>
        <div class="details__row">
          <dt i18n="@@staff.statusSignIn">Sign-in</dt>
          <dd data-testid="sign-in-state">
            <app-throttle-state [status]="p.lockout.signIn" />
          </dd>
        </div>
        <div class="details__row">
          <dt i18n="@@staff.statusCodes">Two-step codes</dt>
          <dd data-testid="second-factor-state">
            <app-throttle-state [status]="p.lockout.secondFactor" />
          </dd>
        </div>
        <div class="details__row">
          <dt i18n="@@staff.statusSessions">Sessions ended</dt>
          <dd>
            @if (p.sessionsRevokedAt; as revoked) {
              <time [attr.datetime]="revoked">{{ when(revoked) }}</time>
            } @else {
              <span i18n="@@staff.sessionsNever">Never</span>
            }
          </dd>
        </div>
        @if (p.roles.length > 0) {
          <div class="details__row">
            <dt i18n="@@staff.statusRoles">Staff roles</dt>
            <dd>{{ p.roles.join(', ') }}</dd>
          </div>
        }
      </dl>
    }
  `,
})
export class PersonStatus {
  private readonly locale = inject(LOCALE_ID);

  readonly person = input.required<UserResponse>();

  protected when(iso: string): string {
    return formatInstant(iso, this.locale);
  }
}
