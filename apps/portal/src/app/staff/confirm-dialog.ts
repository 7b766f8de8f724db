import { DOCUMENT } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  inject,
  input,
  output,
} from '@angular/core';

import { Notice } from '../shared/forms/notice';

/**
 * A confirmation step as a modal `<dialog>`: the title, what will happen (projected), any
 * failure, and two buttons; Cancel has the focus first. Escape or Cancel closes it, and focus
 * goes back to the control that opened it. While a request is in flight it stays open.
 */
@Component({
  selector: 'app-confirm-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Notice],
  template: `
    <dialog
      class="dialog"
      [attr.aria-labelledby]="dialogId() + '-title'"
      [attr.aria-describedby]="dialogId() + '-lead'"
      (cancel)="refuseWhileBusy($event)"
      (close)="restoreFocus()"
    >
      <h2 [id]="dialogId() + '-title'" class="section__title">{{ title() }}</h2>
      <div [id]="dialogId() + '-lead'" class="dialog__lead"><ng-content /></div>
      <ng-content select="[dialogOptions]" />
      @if (failure(); as message) {
        <app-notice [id]="dialogId() + '-result'">{{ message }}</app-notice>
      }
      <div class="dialog__actions">
        <button
          type="button"
          class="button button--secondary"
          autofocus
          [disabled]="busy()"
          (click)="close()"
          i18n="@@staff.dialogCancel"
        >
          Cancel
        </button>
        <button
          type="button"
          class="button"
          [class.button--danger]="danger()"
          [disabled]="busy()"
          (click)="confirmed.emit()"
        >
          @if (busy()) {
            <span class="spinner" aria-hidden="true"></span>
          }
          {{ confirmLabel() }}
        </button>
      </div>
    </dialog>
  `,
})
export class ConfirmDialog {
  private readonly document = inject(DOCUMENT);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
  private opener: HTMLElement | null = null;

  /** Prefix of the ids inside (`<id>-title`, `<id>-lead`, `<id>-result`). */
  readonly dialogId = input.required<string>();
  readonly title = input.required<string>();
  readonly confirmLabel = input.required<string>();
  readonly danger = input(false);
  readonly busy = input(false);
  readonly failure = input<string | null>(null);
  readonly confirmed = output();

  open(): void {
    const active = this.document.activeElement;
    this.opener = active instanceof HTMLElement ? active : null;
    const dialog = this.dialog();
    if (dialog !== null && !dialog.open) dialog.showModal();
  }

  close(): void {
    const dialog = this.dialog();
    if (dialog?.open) dialog.close();
  }

  /** Closing with focus left where the page wants it (the outcome), not on the opener. */
  closeWithoutRestoringFocus(): void {
    this.opener = null;
    this.close();
  }

  // A query of the host's DOM rather than viewChild(): signal queries are code only these
  // pages would add to the chunk every page loads.
  private dialog(): HTMLDialogElement | null {
    return this.host.querySelector('dialog');
  }

  protected refuseWhileBusy(event: Event): void {
    if (this.busy()) event.preventDefault();
  }

  protected restoreFocus(): void {
    const opener = this.opener;
    this.opener = null;
    if (opener?.isConnected) opener.focus();
  }
}
