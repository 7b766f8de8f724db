import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/**
 * A message about the page's last action. An error is an alert; anything else a polite
 * status. It can take focus (tabindex -1), so a page may move focus to it when it appears.
 */
@Component({
  selector: 'app-notice',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    tabindex: '-1',
    '[class]': "'notice notice--' + kind()",
    '[attr.role]': "kind() === 'error' ? 'alert' : 'status'",
  },
  template: '<ng-content />',
  styles: `
    :host {
      display: block;
    }
  `,
})
export class Notice {
  readonly kind = input<'error' | 'success' | 'info'>('error');
}
