import { PORTAL_ROUTES } from '@account-recovery/contracts';

import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  ViewEncapsulation,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NavigationEnd, Router, RouterLink, RouterOutlet } from '@angular/router';
import { filter, map } from 'rxjs';

import { CurrentUser } from '../session/current-user';
import { staffPaths } from './staff-paths';

/**
 * The frame of every staff page: the area's navigation, then the page. A member of staff
 * without a second factor of their own gets the way to the account page instead, as the API
 * would refuse every call (403 MFA_ENROLLMENT_REQUIRED). Its stylesheet holds what the staff
 * pages share, and loads with this chunk only.
 */
@Component({
  selector: 'app-staff-area',
  changeDetection: ChangeDetectionStrategy.OnPush,
  encapsulation: ViewEncapsulation.None,
  imports: [RouterLink, RouterOutlet],
  styleUrl: './staff.css',
  template: `
    <nav class="staff-nav" aria-label="Staff area" i18n-aria-label="@@staff.navLabel">
      <a
        [routerLink]="paths.people"
        class="staff-nav__link"
        [class.staff-nav__link--active]="section() === 'people'"
        [attr.aria-current]="section() === 'people' ? 'page' : null"
        i18n="@@staff.navPeople"
        >People</a
      >
      <a
        [routerLink]="paths.reports"
        class="staff-nav__link"
        [class.staff-nav__link--active]="section() === 'reports'"
        [attr.aria-current]="section() === 'reports' ? 'page' : null"
        i18n="@@staff.navReports"
        >Reports</a
      >
      <a [routerLink]="homePath" class="staff-nav__link" i18n="@@staff.navAccount">Your account</a>
    </nav>
    @if (needsFactor()) {
      <section class="card staff-card" aria-labelledby="staff-enrol-title">
        <h1 id="staff-enrol-title" class="card__title" tabindex="-1" i18n="@@staff.enrolTitle">
          Add two-step verification first
        </h1>
        <p i18n="@@staff.enrolLead">
          The staff area shows and changes other people's accounts, so it needs two-step
          verification on your own account. Add an authenticator on your account page, then sign in
          again with it.
        </p>
        <a class="button" [routerLink]="homePath" i18n="@@staff.enrolLink">Go to your account</a>
      </section>
    } @else {
      <router-outlet />
    }
  `,
})
export class StaffArea {
  private readonly user = inject(CurrentUser).user;
  private readonly router = inject(Router);
  private readonly url = toSignal(
    this.router.events.pipe(
      filter((event) => event instanceof NavigationEnd),
      map(() => this.router.url),
    ),
    { initialValue: this.router.url },
  );

  protected readonly paths = staffPaths;
  protected readonly homePath = `/${PORTAL_ROUTES.home}`;
  protected readonly needsFactor = computed(() => this.user()?.mfa.totp === false);
  /** The page of the navigation that is open (RouterLinkActive would add to the first load). */
  protected readonly section = computed(() => {
    const path = this.url().split(/[?#]/)[0];
    if (path === this.pathOf(this.paths.people)) return 'people';
    return path === this.pathOf(this.paths.reports) ? 'reports' : null;
  });

  private pathOf(commands: readonly string[]): string {
    return this.router.serializeUrl(this.router.createUrlTree([...commands]));
  }
}
