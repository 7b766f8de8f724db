import { DestroyRef, ElementRef, inject, Injector, signal, type Signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { AbstractControl } from '@angular/forms';
import type { Observable } from 'rxjs';

import { toApiFailure, type ApiFailure } from './api-failure';
import { FIRST_INVALID_FIELD, focusAfterRender } from './focus';

export interface Submission {
  /** True after the first attempt: from then on every field shows its errors. */
  readonly submitted: Signal<boolean>;
  /** True while a request is in flight; a second submit is ignored meanwhile. */
  readonly busy: Signal<boolean>;
  /** The message of the page's notice, or null. */
  readonly failure: Signal<string | null>;
  /**
   * Starts an attempt: false (and focus on the first invalid field) when one is in flight or
   * the form, or a check of the page's own (`stillInvalid`), says it is not ready to send.
   */
  begin(form: AbstractControl, stillInvalid?: boolean): boolean;
  /**
   * Sends the request. `failed` returns the notice's message (shown and focused), or null
   * when it dealt with the failure itself (a field error, a step change).
   */
  send<T>(
    request: Observable<T>,
    succeeded: (answer: T) => void,
    failed: (failure: ApiFailure) => string | null,
  ): void;
  /** Shows a message in the notice and moves focus there. */
  fail(message: string): void;
  /** Moves focus to the first field marked invalid (after the API refused a value). */
  focusInvalidField(): void;
  /** Forgets the attempt: a fresh form, no notice. */
  reset(): void;
}

/**
 * The start and the end of every submit handler, in one place: the double-submit guard, the
 * touched state, focus on the first error or on the notice. Call in an injection context;
 * `noticeSelector` finds the page's notice (`#login-result`).
 */
export function submission(noticeSelector: string): Submission {
  const destroyRef = inject(DestroyRef);
  const injector = inject(Injector);
  const host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
  const submitted = signal(false);
  const busy = signal(false);
  const failure = signal<string | null>(null);

  const fail = (message: string): void => {
    failure.set(message);
    focusAfterRender(injector, host, noticeSelector);
  };

  return {
    submitted: submitted.asReadonly(),
    busy: busy.asReadonly(),
    failure: failure.asReadonly(),
    begin(form, stillInvalid = false) {
      if (busy()) return false;
      submitted.set(true);
      failure.set(null);
      form.markAllAsTouched();
      if (form.invalid || stillInvalid) {
        focusAfterRender(injector, host, FIRST_INVALID_FIELD);
        return false;
      }
      return true;
    },
    send(request, succeeded, failed) {
      busy.set(true);
      request.pipe(takeUntilDestroyed(destroyRef)).subscribe({
        next: (answer) => {
          busy.set(false);
          succeeded(answer);
        },
        error: (error: unknown) => {
          busy.set(false);
          const message = failed(toApiFailure(error));
          if (message !== null) fail(message);
        },
      });
    },
    fail,
    focusInvalidField: () => focusAfterRender(injector, host, FIRST_INVALID_FIELD),
    reset() {
      submitted.set(false);
      failure.set(null);
    },
  };
}
