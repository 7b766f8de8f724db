import { Directive, inject } from '@angular/core';

import { Field } from './field';

/** The control of an `app-field`: takes its id, `aria-invalid` and `aria-describedby`. */
@Directive({
  selector: '[appFieldControl]',
  host: {
    '[id]': 'field.controlId()',
    '[attr.aria-invalid]': "field.invalid() ? 'true' : null",
    '[attr.aria-describedby]': 'field.describedBy()',
  },
})
export class FieldControl {
  protected readonly field = inject(Field);
}
