import type { AbstractControl } from '@angular/forms';

/** A control's errors are shown once it was left or the form submitted, not while typing. */
export function showsErrors(control: AbstractControl, submitted: boolean): boolean {
  return control.touched || submitted;
}

/** The one wording of an email field's errors; `rejected` is a value the API refused. */
export function emailErrors(
  control: AbstractControl<string>,
  submitted: boolean,
  rejected: string | null = null,
): string[] {
  if (!showsErrors(control, submitted)) return [];
  if (control.hasError('required')) {
    return [$localize`:@@common.emailRequired:Enter your email address.`];
  }
  if (control.hasError('maxlength')) {
    return [$localize`:@@common.emailTooLong:This email address is too long.`];
  }
  if (control.invalid || (rejected !== null && rejected === control.value)) {
    return [$localize`:@@common.emailInvalid:Enter a valid email address, like name@example.com.`];
  }
  return [];
}
