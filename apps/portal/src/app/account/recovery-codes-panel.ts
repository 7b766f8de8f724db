import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, input, output, signal } from '@angular/core';

/** The text file's name and first lines: what the codes are, for whoever finds the file. */
const FILE_NAME = 'account-recovery-codes.txt';

/**
 * New recovery codes, shown once: copy them, download them as a text file, and say they are
 * saved before the page moves on (the API never shows them again).
 */
@Component({
  selector: 'app-recovery-codes-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './recovery-codes-panel.html',
  styles: `
    .recovery-codes {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr));
      gap: 0.5rem;
      margin: 0 0 1rem;
      padding: 0.75rem;
      font-family: ui-monospace, 'Liberation Mono', monospace;
      font-size: 1.0625rem;
      list-style: none;
      background: var(--color-page);
      border-radius: var(--radius);
    }
    .actions {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr));
      gap: 0.75rem;
      margin-bottom: 0.75rem;
    }
    .copy-status {
      min-height: 1.5em;
      margin: 0 0 1rem;
      color: var(--color-muted);
    }
  `,
})
export class RecoveryCodesPanel {
  private readonly document = inject(DOCUMENT);

  readonly codes = input.required<readonly string[]>();
  readonly saved = output();

  /** Said in a live region: the result of the last copy or download. */
  protected readonly actionStatus = signal('');

  protected async copyCodes(): Promise<void> {
    try {
      await this.document.defaultView?.navigator.clipboard.writeText(this.codes().join('\n'));
      this.actionStatus.set($localize`:@@codes.copied:The codes are copied.`);
    } catch {
      this.actionStatus.set(
        $localize`:@@codes.copyFailed:Copying is not available here. Download the codes, or select and copy them.`,
      );
    }
  }

  protected downloadCodes(): void {
    const header = $localize`:@@codes.fileHeader:Account Recovery: recovery codes. Each code works once.`;
    const blob = new Blob([`${header}\n\n${this.codes().join('\n')}\n`], {
      type: 'text/plain;charset=utf-8',
    });
    const url = URL.createObjectURL(blob);
    const link = this.document.createElement('a');
    link.href = url;
    link.download = FILE_NAME;
    link.click();
    // After the click has started the download; revoking at once may cancel it.
    setTimeout(() => URL.revokeObjectURL(url));
    this.actionStatus.set(
      $localize`:@@codes.downloaded:The codes are downloaded as ${FILE_NAME}:file:.`,
    );
  }
}
