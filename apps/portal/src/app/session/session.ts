import type { SessionTokens } from '@account-recovery/contracts';

import { computed, Injectable, signal } from '@angular/core';

/** setTimeout takes a signed 32-bit delay; longer ones would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * The signed-in state. The access token lives in this signal and nowhere else: not in
 * localStorage, sessionStorage or a cookie, so a reload signs the person out.
 */
@Injectable({ providedIn: 'root' })
export class Session {
  private readonly token = signal<string | null>(null);
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;

  readonly accessToken = this.token.asReadonly();
  readonly isSignedIn = computed(() => this.token() !== null);

  signIn(response: SessionTokens): void {
    clearTimeout(this.expiryTimer);
    this.token.set(response.accessToken);
    // Drop the token when it expires rather than keep sending a dead one.
    this.expiryTimer = setTimeout(
      () => this.signOut(),
      Math.min(Math.max(response.expiresIn, 0) * 1000, MAX_TIMER_MS),
    );
  }

  signOut(): void {
    clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    this.token.set(null);
  }
}
