import { afterNextRender, type Injector } from '@angular/core';

/**
 * Moves focus once the next render has put the element on the page: the message that
 * appears after a request, or the first field marked `aria-invalid` after a failed submit.
 * The target needs `tabindex="-1"` unless it is a form control.
 */
export function focusAfterRender(injector: Injector, host: HTMLElement, selector: string): void {
  afterNextRender(() => host.querySelector<HTMLElement>(selector)?.focus(), { injector });
}

export const FIRST_INVALID_FIELD = '[aria-invalid="true"]';
