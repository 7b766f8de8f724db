import { PORTAL_ROUTES, type MeResponse } from '@account-recovery/contracts';

import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Router } from '@angular/router';

import { Session } from '../../session/session';
import { SessionApi } from '../../session/session-api';
import { toApiFailure } from '../../shared/api-failure';
import { somethingWentWrongMessage } from '../../shared/messages';

@Component({
  selector: 'app-home-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './home-page.html',
})
export class HomePage {
  private readonly api = inject(SessionApi);
  private readonly session = inject(Session);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly loading = signal(true);
  protected readonly user = signal<MeResponse | null>(null);
  protected readonly failure = signal<string | null>(null);

  constructor() {
    this.loadUser();
  }

  protected loadUser(): void {
    this.loading.set(true);
    this.failure.set(null);
    this.api
      .me()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (user) => {
          this.loading.set(false);
          this.user.set(user);
        },
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
