import { DestroyRef, inject, InjectionToken, signal } from '@angular/core';
import { Router } from '@angular/router';

/** How long a result message stays before the page moves on to sign-in. */
export const AUTO_REDIRECT_DELAY_MS = new InjectionToken<number>('AUTO_REDIRECT_DELAY_MS', {
  providedIn: 'root',
  factory: () => 8000,
});

export interface AutoRedirect {
  /** True while the redirect is scheduled; the page says so and offers to stay. */
  readonly pending: () => boolean;
  readonly seconds: number;
  start(): void;
  /** Lets the person stay (WCAG 2.2.1: a time limit they can turn off). */
  cancel(): void;
}

/** A redirect after a delay, cancelled when the page goes away. Call in an injection context. */
export function autoRedirect(url: string): AutoRedirect {
  const router = inject(Router);
  const delayMs = inject(AUTO_REDIRECT_DELAY_MS);
  const pending = signal(false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cancel = (): void => {
    clearTimeout(timer);
    timer = undefined;
    pending.set(false);
  };
  inject(DestroyRef).onDestroy(cancel);
  return {
    pending: pending.asReadonly(),
    seconds: Math.round(delayMs / 1000),
    start: () => {
      cancel();
      pending.set(true);
      timer = setTimeout(() => {
        pending.set(false);
        void router.navigateByUrl(url);
      }, delayMs);
    },
    cancel,
  };
}
