import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { ReactiveFormsModule, type FormControl } from '@angular/forms';

import { Field } from './field';
import { FieldControl } from './field-control';
import { OneTimeCodeInput } from './one-time-code-input';

/** A field for a code a person types: from an authenticator, an email, or a recovery code. */
@Component({
  selector: 'app-code-field',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, Field, FieldControl, OneTimeCodeInput],
  template: `
    <app-field [controlId]="controlId()" [label]="label()" [hint]="hint()" [errors]="errors()">
      <input
        appFieldControl
        [appOneTimeCode]="kind()"
        class="field__input"
        [formControl]="control()"
        [attr.maxlength]="maxLength()"
        required
      />
    </app-field>
  `,
})
export class CodeField {
  readonly controlId = input.required<string>();
  readonly label = input.required<string>();
  readonly hint = input<string | null>(null);
  readonly control = input.required<FormControl<string>>();
  readonly errors = input<readonly string[]>([]);
  readonly kind = input<'digits' | 'recovery'>('digits');
  /** Room for the spaces and dashes people paste with a code. */
  readonly maxLength = input.required<number>();
}
