import createClient, { type Client } from 'openapi-fetch';

import type { paths } from './schema';

export type AccountRecoveryClient = Client<paths>;

export interface ClientOptions {
  /** Origin of the service, e.g. `https://accounts.example.com` (paths start with /api). */
  baseUrl: string;
  /** A service key (`npm run client:create`) for the `/api/v1/users` endpoints. */
  apiKey?: string;
  /** A signed-in user's access token, for `/api/v1/auth/me`. */
  accessToken?: string;
  /** Another fetch (tests, proxies). */
  fetch?: typeof globalThis.fetch;
}

/**
 * A typed client for the account-recovery REST API: paths, bodies, answers and error
 * shapes all come from the committed OpenAPI document (apps/api/openapi.json).
 */
export function createAccountRecoveryClient(options: ClientOptions): AccountRecoveryClient {
  const headers: Record<string, string> = {};
  if (options.apiKey) headers['x-api-key'] = options.apiKey;
  if (options.accessToken) headers['authorization'] = `Bearer ${options.accessToken}`;
  return createClient<paths>({ baseUrl: options.baseUrl, headers, fetch: options.fetch });
}
