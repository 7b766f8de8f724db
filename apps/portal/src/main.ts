import { bootstrapApplication } from '@angular/platform-browser';

import { App } from './app/app';
import { appConfig } from './app/app.config';
import { applyDocumentLocale, buildLocale, ROUTE_BASE } from './app/locale/portal-locale';
import { captureResetTokenFromUrl } from './app/password-reset/capture-reset-token';
import { CAPTURED_RESET_TOKEN } from './app/password-reset/reset-token-store';

// First thing on the page: take a reset token out of the address before the router, any lazy
// chunk or any request can see it (docs/architecture.md §6). It stays in memory only.
const resetToken = captureResetTokenFromUrl(window, ROUTE_BASE);

// The build's language on <html> (lang for screen readers and fonts, dir for Arabic) before
// the first render, so a right-to-left page never flashes left to right.
applyDocumentLocale(document, buildLocale());

bootstrapApplication(App, {
  providers: [...appConfig.providers, { provide: CAPTURED_RESET_TOKEN, useValue: resetToken }],
}).catch((error: unknown) => console.error(error));
