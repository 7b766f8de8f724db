import type { HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';

import { API_BASE_URL, isApiRequest } from '../shared/api-base-url';
import { PORTAL_LOCALE } from './portal-locale';

/**
 * Tells the API which language the page is in, so that what a request causes (the reset
 * email of someone who has not chosen a language for their account, an error message)
 * comes in the language the person is reading, not in whatever the browser lists first.
 */
export const acceptLanguageInterceptor: HttpInterceptorFn = (request, next) => {
  if (!isApiRequest(inject(API_BASE_URL), request.url)) return next(request);
  return next(request.clone({ setHeaders: { 'Accept-Language': inject(PORTAL_LOCALE) } }));
};
