import { LOCALE_NAMES, PORTAL_ROUTES } from '@account-recovery/contracts';

import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Router, RouterLink } from '@angular/router';

import { SecondFactorSettings } from '../../account/second-factor-settings';
import { CurrentUser, isStaff } from '../../session/current-user';
import { Session } from '../../session/session';
import { toApiFailure } from '../../shared/api-failure';
import { Notice } from '../../shared/forms/notice';
import { somethingWentWrongMessage } from '../../shared/messages';

/** The signed-in home page: who is signed in, and their two-step verification. */
@Component({
  selector: 'app-home-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, Notice, SecondFactorSettings],
  templateUrl: './home-page.html',
  styles: `
    .home__staff {
      margin: 0 0 1.5rem;
      font-weight: 600;
    }
  `,
})
export class HomePage {
  private readonly currentUser = inject(CurrentUser);
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly user = this.currentUser.user;
  protected readonly isStaff = isStaff;
  protected readonly localeNames = LOCALE_NAMES;
  protected readonly staffPath = `/${PORTAL_ROUTES.staff}`;
  protected readonly loading = signal(true);
  protected readonly failure = signal<string | null>(null);

  constructor() {
    this.loadUser();
  }

  protected loadUser(): void {
    // A reload after a change keeps the page as it is; only the first load shows the spinner.
    if (this.user() === null) this.loading.set(true);
    this.failure.set(null);
    this.currentUser
      .load()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => this.loading.set(false),
        error: (error: unknown) => {
          this.loading.set(false);
          // A 401 has already signed out and left for the sign-in page (bearerInterceptor).
          if (toApiFailure(error).status === 401) return;
          this.failure.set(somethingWentWrongMessage());
        },
      });
  }

  protected signOut(): void {
    this.session.signOut();
    void this.router.navigateByUrl(`/${PORTAL_ROUTES.login}`);
  }
}
