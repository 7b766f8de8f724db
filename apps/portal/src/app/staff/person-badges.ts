import type { UserResponse } from '@account-recovery/contracts';

import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

interface Badge {
  text: string;
  tone: 'alert' | 'warn' | 'neutral' | 'good';
}

/** What stands out about an account, in words (never colour alone): a short list of badges. */
export function badgesOf(person: UserResponse): Badge[] {
  const { signIn, secondFactor } = person.lockout;
  const badges: Badge[] = [];
  if (signIn.state === 'locked' || secondFactor.state === 'locked') {
    badges.push({ text: $localize`:@@staff.badgeLocked:Locked`, tone: 'alert' });
  } else if (signIn.state === 'throttled' || secondFactor.state === 'throttled') {
    badges.push({ text: $localize`:@@staff.badgeThrottled:Throttled`, tone: 'warn' });
  }
  if (!person.hasPassword) {
    badges.push({ text: $localize`:@@staff.badgeNoPassword:No password yet`, tone: 'neutral' });
  }
  badges.push(
    person.hasSecondFactor
      ? { text: $localize`:@@staff.badgeFactor:Two-step on`, tone: 'good' }
      : { text: $localize`:@@staff.badgeNoFactor:Two-step off`, tone: 'neutral' },
  );
  if (person.roles.length > 0) {
    badges.push({ text: $localize`:@@staff.badgeStaff:Staff`, tone: 'neutral' });
  }
  return badges;
}

@Component({
  selector: 'app-person-badges',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <ul class="badges">
      @for (badge of badges(); track badge.text) {
        <li class="badge" [class]="'badge--' + badge.tone">{{ badge.text }}</li>
      }
    </ul>
  `,
})
export class PersonBadges {
  readonly person = input.required<UserResponse>();

  protected readonly badges = computed(() => badgesOf(this.person()));
}
