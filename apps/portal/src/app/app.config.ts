import { APP_BASE_HREF } from '@angular/common';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
  type ApplicationConfig,
} from '@angular/core';
import { provideRouter } from '@angular/router';

import { appRoutes } from './app.routes';
import { acceptLanguageInterceptor } from './locale/accept-language.interceptor';
import { ROUTE_BASE } from './locale/portal-locale';
import { bearerInterceptor } from './session/bearer.interceptor';

/** Every call to the API: the page's language, then the session (in this order). */
export const appInterceptors = [acceptLanguageInterceptor, bearerInterceptor];

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    provideHttpClient(withInterceptors(appInterceptors)),
    // Each language's build is served from /<locale>/ (its <base href>, where its scripts
    // are), but the addresses stay the same in every language: the emailed link and a
    // bookmark open in the reader's language, chosen by the server (docs/architecture.md §12).
    { provide: APP_BASE_HREF, useValue: ROUTE_BASE },
    provideRouter(appRoutes),
  ],
};
