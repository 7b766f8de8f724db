import { type Locale, type UserResponse } from '@account-recovery/contracts';

import {
  ChangeDetectionStrategy,
  Component,
  inject,
  input,
  output,
  signal,
  type OnChanges,
} from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';

import { LANGUAGE_OPTIONS } from '../locale/portal-locale';
import { Notice } from '../shared/forms/notice';
import { submission } from '../shared/submission';
import { StaffApi } from './staff-api';
import { staffFailureHandler } from './staff-failure';

/**
 * The language of a person's emails, as the help desk sets it for someone who cannot read
 * the one they get (`PATCH /v1/users/{id}`, `locale`; docs/architecture.md §12). "Not
 * chosen" clears it: the emails then follow the language of each request.
 */
@Component({
  selector: 'app-person-language',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, Notice],
  template: `
    <form class="person-language" [formGroup]="form" (ngSubmit)="save()">
      <label class="field__label" for="person-language" i18n="@@staff.languageLabel">
        Language of their emails
      </label>
      <div class="person-language__row">
        <select id="person-language" class="language__select" formControlName="locale">
          <option value="" i18n="@@staff.languageNone">Not chosen: the language they ask in</option>
          @for (option of options; track option.code) {
            <option [value]="option.code" [attr.lang]="option.code">{{ option.name }}</option>
          }
        </select>
        <button
          type="submit"
          class="button button--secondary"
          [disabled]="saving.busy()"
          i18n="@@staff.languageSave"
        >
          Save language
        </button>
      </div>
      @if (saving.failure(); as message) {
        <app-notice id="person-language-result">{{ message }}</app-notice>
      } @else if (saved()) {
        <p class="person-language__saved" role="status" i18n="@@staff.languageSaved">
          Saved. Their next emails come in this language.
        </p>
      }
    </form>
  `,
})
export class PersonLanguage implements OnChanges {
  private readonly api = inject(StaffApi);
  private readonly failed = staffFailureHandler();

  readonly person = input.required<UserResponse>();
  /** The person changed: the page reads them (and their timeline) again. */
  readonly changed = output<void>();

  protected readonly options = LANGUAGE_OPTIONS;
  protected readonly form = inject(NonNullableFormBuilder).group({ locale: '' as Locale | '' });
  protected readonly saving = submission('#person-language-result');
  protected readonly saved = signal(false);

  // Not effect(): the staff pages leave @angular/core's shared chunk as it is (README).
  ngOnChanges(): void {
    this.form.controls.locale.setValue(this.person().locale ?? '');
  }

  protected save(): void {
    if (!this.saving.begin(this.form)) return;
    this.saved.set(false);
    const value = this.form.controls.locale.value;
    this.saving.send(
      this.api.updatePerson(this.person().id, { locale: value === '' ? null : value }),
      () => {
        this.saved.set(true);
        this.changed.emit();
      },
      (failure) => this.failed(failure),
    );
  }
}
