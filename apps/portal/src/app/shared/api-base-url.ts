import { API_PREFIX } from '@account-recovery/contracts';

import { InjectionToken } from '@angular/core';

/**
 * Origin (and optional path prefix) of the REST API. The default, '', means the portal's
 * own origin: requests go to `/api/v1/...`, proxied to the API in development and by the
 * reverse proxy in production. A different origin also needs `connect-src` in the CSP.
 */
export const API_BASE_URL = new InjectionToken<string>('API_BASE_URL', {
  providedIn: 'root',
  factory: () => '',
});

/** Joins the configured base and a path from `API_PATHS`. */
export function apiUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${path}`;
}

/** True for requests addressed to our API (and so eligible for the Bearer header). */
export function isApiRequest(baseUrl: string, url: string): boolean {
  return url.startsWith(apiUrl(baseUrl, `${API_PREFIX}/`));
}
