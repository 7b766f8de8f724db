import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

/**
 * One form field: its label, an optional hint, the control (projected, marked
 * `appFieldControl`) and its errors, announced and linked to the control with
 * `aria-describedby`. Error ids are `<controlId>-error`, hint ids `<controlId>-hint`.
 */
@Component({
  selector: 'app-field',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'field' },
  template: `
    <label class="field__label" [for]="controlId()">{{ label() }}</label>
    @if (hint(); as hint) {
      <p class="field__hint" [id]="hintId()">{{ hint }}</p>
    }
    <ng-content />
    @if (errors().length > 0) {
      <div class="field__error" [id]="errorId()" role="alert">
        @for (error of errors(); track $index) {
          <p>{{ error }}</p>
        }
      </div>
    }
    <ng-content select="[appFieldAfter]" />
  `,
  styles: `
    .field__hint {
      margin: 0;
      font-size: 0.875rem;
      color: var(--color-muted);
    }
  `,
})
export class Field {
  readonly controlId = input.required<string>();
  readonly label = input.required<string>();
  readonly hint = input<string | null>(null);
  readonly errors = input<readonly string[]>([]);
  /** Ids of other elements that describe the control too (a checklist under it). */
  readonly alsoDescribedBy = input<string | null>(null);

  readonly errorId = computed(() => `${this.controlId()}-error`);
  readonly hintId = computed(() => `${this.controlId()}-hint`);
  readonly invalid = computed(() => this.errors().length > 0);
  readonly describedBy = computed(() => {
    const ids = [
      this.invalid() ? this.errorId() : null,
      this.hint() ? this.hintId() : null,
      this.alsoDescribedBy(),
    ].filter((id): id is string => id !== null);
    return ids.length > 0 ? ids.join(' ') : null;
  });
}
