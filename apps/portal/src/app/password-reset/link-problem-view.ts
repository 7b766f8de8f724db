import { ERROR_CODES, PORTAL_ROUTES } from '@account-recovery/contracts';

import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { RouterLink } from '@angular/router';

import type { LinkProblem } from './link-problem';

/** The reset page when its link leads nowhere: what happened, and the way to a new link. */
@Component({
  selector: 'app-link-problem-view',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink],
  template: `
    <div id="reset-result" class="result" role="alert" tabindex="-1">
      @switch (problem()) {
        @case (codes.TOKEN_EXPIRED) {
          <h1 id="reset-title" class="card__title" i18n="@@reset.expiredTitle">
            This link has expired
          </h1>
          <p i18n="@@reset.expiredBody">
            Reset links work for a short time only. Request a new link and use it soon after it
            arrives.
          </p>
        }
        @case (codes.TOKEN_USED) {
          <h1 id="reset-title" class="card__title" i18n="@@reset.usedTitle">
            This link has already been used
          </h1>
          <p i18n="@@reset.usedBody">
            Each link works once. If you have already chosen a new password, sign in with it;
            otherwise request a new link.
          </p>
        }
        @case ('closed') {
          <h1 id="reset-title" class="card__title" i18n="@@reset.closedTitle">
            This link no longer works
          </h1>
          <p i18n="@@reset.closedBody">
            After too many wrong codes we close a link, so that nobody can keep guessing with it,
            and we email the account's owner. It may also have expired or been replaced by a newer
            link. Request a new link, and have your authenticator app or a recovery code at hand.
          </p>
        }
        @default {
          <h1 id="reset-title" class="card__title" i18n="@@reset.invalidTitle">
            This link is not valid
          </h1>
          <p i18n="@@reset.invalidBody">
            The link may be incomplete, or a newer link has replaced it. Open the link from the
            latest email, or request a new one.
          </p>
        }
      }
    </div>
    <a class="button" [routerLink]="forgotPasswordUrl" i18n="@@reset.requestNewLink"
      >Request a new link</a
    >
  `,
})
export class LinkProblemView {
  readonly problem = input.required<LinkProblem>();
  protected readonly codes = ERROR_CODES;
  protected readonly forgotPasswordUrl = `/${PORTAL_ROUTES.forgotPassword}`;
}
