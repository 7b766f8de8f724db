import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { ReactiveFormsModule, type FormControl } from '@angular/forms';

import { Field } from './field';
import { FieldControl } from './field-control';

/** A password control with a show/hide toggle, inside an `app-field`. */
@Component({
  selector: 'app-password-input',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, FieldControl],
  host: { class: 'field__control' },
  template: `
    <input
      appFieldControl
      class="field__input"
      [type]="shown() ? 'text' : 'password'"
      [formControl]="control()"
      [attr.autocomplete]="autocomplete()"
      spellcheck="false"
      required
    />
    <button
      type="button"
      class="field__toggle"
      [attr.aria-controls]="field.controlId()"
      [attr.aria-label]="shown() ? hideLabel() : showLabel()"
      (click)="shown.set(!shown())"
    >
      @if (shown()) {
        <span i18n="@@common.hide">Hide</span>
      } @else {
        <span i18n="@@common.show">Show</span>
      }
    </button>
  `,
  styles: `
    :host {
      display: block;
    }
  `,
})
export class PasswordInput {
  protected readonly field = inject(Field);

  readonly control = input.required<FormControl<string>>();
  readonly autocomplete = input.required<'current-password' | 'new-password'>();
  /** Names the toggle for a screen reader: "Show password", "Show new password"… */
  readonly showLabel = input.required<string>();
  readonly hideLabel = input.required<string>();

  protected readonly shown = signal(false);
}
