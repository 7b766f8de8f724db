import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/**
 * A form's submit button: disabled with a spinner and its `[busyLabel]` content while a
 * request is in flight, its other content otherwise.
 */
@Component({
  selector: 'app-submit-button',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <button class="button" [class.button--danger]="danger()" type="submit" [disabled]="busy()">
      @if (busy()) {
        <span class="spinner" aria-hidden="true"></span>
        <ng-content select="[busyLabel]" />
      } @else {
        <ng-content />
      }
    </button>
  `,
  styles: `
    :host {
      display: block;
    }
    .button--danger,
    .button--danger:hover {
      background: var(--color-error);
      border-color: var(--color-error);
    }
  `,
})
export class SubmitButton {
  readonly busy = input(false);
  readonly danger = input(false);
}
