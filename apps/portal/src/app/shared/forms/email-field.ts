import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { ReactiveFormsModule, type FormControl } from '@angular/forms';

import { Field } from './field';
import { FieldControl } from './field-control';

/** An email address field: label, the input and its errors (worded by `emailErrors`). */
@Component({
  selector: 'app-email-field',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, Field, FieldControl],
  template: `
    <app-field
      [controlId]="controlId()"
      label="Email"
      i18n-label="@@common.emailLabel"
      [errors]="errors()"
    >
      <input
        appFieldControl
        class="field__input"
        type="email"
        [formControl]="control()"
        [attr.autocomplete]="autocomplete()"
        spellcheck="false"
        required
      />
    </app-field>
  `,
})
export class EmailField {
  readonly controlId = input.required<string>();
  readonly control = input.required<FormControl<string>>();
  readonly errors = input<readonly string[]>([]);
  /** `username` on a sign-in form (password managers pair it), `email` elsewhere. */
  readonly autocomplete = input<'username' | 'email'>('email');
}
