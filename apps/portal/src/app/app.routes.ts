import { PORTAL_ROUTES, RESET_TOKEN_ROUTE_PARAM } from '@account-recovery/contracts';

import type { Routes } from '@angular/router';

import { keepResetTokenAndDropItFromUrl } from './password-reset/reset-token-store';
import { signedInGuard } from './session/signed-in.guard';
import { staffGuard } from './staff/staff.guard';

export const appRoutes: Routes = [
  {
    path: PORTAL_ROUTES.home,
    pathMatch: 'full',
    canActivate: [signedInGuard],
    title: $localize`:@@home.pageTitle:Your account · Account Recovery`,
    loadComponent: () => import('./pages/home/home-page').then((m) => m.HomePage),
  },
  {
    path: PORTAL_ROUTES.login,
    title: $localize`:@@login.pageTitle:Sign in · Account Recovery`,
    loadComponent: () => import('./pages/login/login-page').then((m) => m.LoginPage),
  },
  {
    path: PORTAL_ROUTES.forgotPassword,
    title: $localize`:@@forgot.pageTitle:Forgot password · Account Recovery`,
    loadComponent: () =>
      import('./pages/forgot-password/forgot-password-page').then((m) => m.ForgotPasswordPage),
  },
  {
    // The emailed link. Only reached when main.ts did not strip the token first.
    path: `${PORTAL_ROUTES.resetPassword}/:${RESET_TOKEN_ROUTE_PARAM}`,
    redirectTo: keepResetTokenAndDropItFromUrl,
  },
  {
    path: PORTAL_ROUTES.resetPassword,
    title: $localize`:@@reset.pageTitle:Choose a new password · Account Recovery`,
    loadComponent: () =>
      import('./pages/reset-password/reset-password-page').then((m) => m.ResetPasswordPage),
  },
  {
    // A chunk of its own, matched only for staff: nobody else downloads it (or chart.js).
    path: PORTAL_ROUTES.staff,
    canMatch: [staffGuard],
    loadChildren: () => import('./staff/staff.routes').then((m) => m.staffRoutes),
  },
  { path: '**', redirectTo: `/${PORTAL_ROUTES.home}` },
];
