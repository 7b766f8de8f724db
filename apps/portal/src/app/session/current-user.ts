import type { MeResponse } from '@account-recovery/contracts';

import { computed, inject, Injectable, signal } from '@angular/core';
import { tap, type Observable } from 'rxjs';

import { Session } from './session';
import { SessionApi } from './session-api';

/** Help desk or administrator: someone the staff area is for. */
export function isStaff(user: MeResponse): boolean {
  return user.roles.length > 0;
}

/**
 * The signed-in person, from `GET /me`. What it read belongs to the session that read it:
 * after a sign-out, or a sign-in as someone else, it is gone without anyone clearing it.
 */
@Injectable({ providedIn: 'root' })
export class CurrentUser {
  private readonly session = inject(Session);
  private readonly api = inject(SessionApi);
  private readonly loaded = signal<{ token: string; user: MeResponse } | null>(null);

  readonly user = computed(() => {
    const loaded = this.loaded();
    return loaded !== null && loaded.token === this.session.accessToken() ? loaded.user : null;
  });

  /** Reads `/me` (again, after a change to the account) and keeps the answer. */
  load(): Observable<MeResponse> {
    const token = this.session.accessToken();
    return this.api.me().pipe(
      tap((user) => {
        if (token !== null) this.loaded.set({ token, user });
      }),
    );
  }
}
