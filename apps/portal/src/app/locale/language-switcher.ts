import { isLocale, LOCALE_NAMES, PORTAL_ROUTES, type Locale } from '@account-recovery/contracts';

import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Router } from '@angular/router';

import { ResetTokenStore } from '../password-reset/reset-token-store';
import { CurrentUser } from '../session/current-user';
import { Session } from '../session/session';
import { SessionApi } from '../session/session-api';
import { LANGUAGE_OPTIONS, LOAD_PAGE, PORTAL_LOCALE, rememberLocale } from './portal-locale';

/**
 * The language menu in the page header. Each language is its own build, so switching loads
 * the page again in the chosen one, at the same address (docs/architecture.md §12). A reset
 * link in progress is carried over: its token lives in memory only, so the page reloads at
 * `/reset-password#<token>` and `main.ts` takes it out of the fragment again (a fragment is
 * never sent to a server, unlike the emailed link's path).
 *
 * Signed in, a reload would end the session (the access token is in memory only too), so
 * the choice is saved to the account instead (its emails follow at once) and remembered by
 * this browser for its next visit.
 */
@Component({
  selector: 'app-language-switcher',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <label class="language__label" for="language-select">
      <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
        <path
          fill="currentColor"
          d="M11.99 2C6.47 2 2 6.48 2 12s4.47 10 9.99 10C17.52 22 22 17.52 22 12S17.52 2 11.99 2zm6.93 6h-2.95c-.32-1.25-.78-2.45-1.38-3.56 1.84.63 3.37 1.91 4.33 3.56zM12 4.04c.83 1.2 1.48 2.53 1.91 3.96h-3.82c.43-1.43 1.08-2.76 1.91-3.96zM4.26 14C4.1 13.36 4 12.69 4 12s.1-1.36.26-2h3.38c-.08.66-.14 1.32-.14 2 0 .68.06 1.34.14 2H4.26zm.82 2h2.95c.32 1.25.78 2.45 1.38 3.56-1.84-.63-3.37-1.9-4.33-3.56zm2.95-8H5.08c.96-1.66 2.49-2.93 4.33-3.56C8.81 5.55 8.35 6.75 8.03 8zM12 19.96c-.83-1.2-1.48-2.53-1.91-3.96h3.82c-.43 1.43-1.08 2.76-1.91 3.96zM14.34 14H9.66c-.09-.66-.16-1.32-.16-2 0-.68.07-1.35.16-2h4.68c.09.65.16 1.32.16 2 0 .68-.07 1.34-.16 2zm.25 5.56c.6-1.11 1.06-2.31 1.38-3.56h2.95c-.96 1.65-2.49 2.93-4.33 3.56zM16.36 14c.08-.66.14-1.32.14-2 0-.68-.06-1.34-.14-2h3.38c.16.64.26 1.31.26 2s-.1 1.36-.26 2h-3.38z"
        />
      </svg>
      <span i18n="@@language.label">Language</span>
    </label>
    <select
      id="language-select"
      class="language__select"
      [disabled]="saving()"
      (change)="choose($event)"
    >
      @for (option of options; track option.code) {
        <option
          [value]="option.code"
          [attr.lang]="option.code"
          [selected]="option.code === current"
        >
          {{ option.name }}
        </option>
      }
    </select>
    <p class="language__status" role="status">{{ status() }}</p>
  `,
  host: { class: 'language' },
})
export class LanguageSwitcher {
  private readonly document = inject(DOCUMENT);
  private readonly loadPage = inject(LOAD_PAGE);
  private readonly router = inject(Router);
  private readonly session = inject(Session);
  private readonly sessionApi = inject(SessionApi);
  private readonly currentUser = inject(CurrentUser);
  private readonly resetToken = inject(ResetTokenStore);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly current = inject(PORTAL_LOCALE);
  protected readonly options = LANGUAGE_OPTIONS;
  protected readonly saving = signal(false);
  protected readonly status = signal('');

  protected choose(event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    if (!isLocale(value) || value === this.current) return;
    if (this.session.isSignedIn()) this.saveToAccount(value);
    else this.reloadIn(value);
  }

  private reloadIn(locale: Locale): void {
    rememberLocale(this.document, locale);
    const token = this.resetToken.current();
    const onResetPage = this.router.url.startsWith(`/${PORTAL_ROUTES.resetPassword}`);
    // The token rides in the fragment, which no request carries; main.ts takes it out again.
    const address =
      token !== null && onResetPage
        ? `/${PORTAL_ROUTES.resetPassword}#${encodeURIComponent(token)}`
        : this.router.url;
    this.loadPage(address);
  }

  private saveToAccount(locale: Locale): void {
    this.saving.set(true);
    this.status.set('');
    this.sessionApi
      .updateMe({ locale })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => {
          this.saving.set(false);
          rememberLocale(this.document, locale);
          // The account page shows the account's language: read it again.
          this.currentUser
            .load()
            .pipe(takeUntilDestroyed(this.destroyRef))
            .subscribe({ error: () => undefined });
          this.status.set(
            $localize`:@@language.savedToAccount:Saved. Language of your emails: ${LOCALE_NAMES[locale]}:language:. This browser opens the portal in it from your next visit.`,
          );
        },
        error: () => {
          this.saving.set(false);
          this.status.set(
            $localize`:@@language.saveFailed:Your language could not be saved. Try again in a moment.`,
          );
        },
      });
  }
}
