import { PORTAL_ROUTES, RESET_TOKEN_ROUTE_PARAM } from '@account-recovery/contracts';

import { inject, Injectable, InjectionToken, signal } from '@angular/core';
import type { RedirectFunction } from '@angular/router';

/** The token `main.ts` took out of the address before bootstrap (null when there was none). */
export const CAPTURED_RESET_TOKEN = new InjectionToken<string | null>('CAPTURED_RESET_TOKEN', {
  providedIn: 'root',
  factory: () => null,
});

/** Holds the reset token in memory between leaving the address bar and its use. */
@Injectable({ providedIn: 'root' })
export class ResetTokenStore {
  private readonly token = signal<string | null>(inject(CAPTURED_RESET_TOKEN));

  readonly current = this.token.asReadonly();

  keep(token: string): void {
    this.token.set(token);
  }

  clear(): void {
    this.token.set(null);
  }
}

/**
 * `redirectTo` of `reset-password/:token`, for navigations `main.ts` did not see (a link
 * inside the app). It runs before guards and before the page's chunk loads: it keeps the
 * token and rewrites the address to `/reset-password`, so the tokened URL never reaches the
 * browser history (the initial navigation replaces the entry, later ones never write it).
 */
export const keepResetTokenAndDropItFromUrl: RedirectFunction = ({ params }) => {
  const token: unknown = params[RESET_TOKEN_ROUTE_PARAM];
  if (typeof token === 'string' && token !== '') inject(ResetTokenStore).keep(token);
  return `/${PORTAL_ROUTES.resetPassword}`;
};
