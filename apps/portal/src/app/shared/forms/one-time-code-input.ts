import { Directive, input } from '@angular/core';

/**
 * The attributes of a code input. `digits`: a code from an authenticator or an email
 * (numeric keypad, the phone's autofill of codes from messages); `recovery`: a recovery code
 * of letters and digits. Both left to right in any locale, never spell-checked.
 */
@Directive({
  selector: 'input[appOneTimeCode]',
  host: {
    type: 'text',
    dir: 'ltr',
    spellcheck: 'false',
    '[attr.inputmode]': "kind() === 'digits' ? 'numeric' : 'text'",
    '[attr.autocomplete]': "kind() === 'digits' ? 'one-time-code' : 'off'",
    '[attr.autocapitalize]': "kind() === 'digits' ? 'off' : 'characters'",
  },
})
export class OneTimeCodeInput {
  readonly kind = input<'digits' | 'recovery'>('digits', { alias: 'appOneTimeCode' });
}
