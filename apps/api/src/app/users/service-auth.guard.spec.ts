import { ExecutionContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { DataSource } from 'typeorm';

import { ApiException } from '../common/http/api-exception';
import { AppConfig } from '../config/app-config';
import { StaffCaller } from './api-caller';
import { RequireScope, ServiceAuthGuard } from './service-auth.guard';
import { ServiceClients } from './service-clients.service';
import { hashServiceKey } from './service-keys';
import { StaffSessions } from './staff-sessions';

const ENV_KEY = 'first-service-key-6d1f0a93c2';
const OTHER_ENV_KEY = 'second-service-key-b47e8815';
const MANAGED_KEY = 'arsk_managed-read-only-key-0123456789abcdefghijklmno';
const HELPDESK_TOKEN = 'helpdesk.session.token';
const HELPDESK: StaffCaller = {
  kind: 'staff',
  userId: 'u1',
  roles: ['helpdesk'],
  scopes: ['users:read', 'resets:write', 'mfa:write', 'events:read', 'reports:read'],
  actor: 'staff:u1',
};

class Routes {
  @RequireScope('users:read')
  read(): void {
    // a route that needs users:read
  }

  @RequireScope('users:write')
  write(): void {
    // a route that needs users:write
  }
}

/**
 * The guard with the real ServiceClients; the database behind it only knows one managed,
 * read-only client (looked up by the SHA-256 of its key, as the service does).
 */
function guard(envKeys: string[] = [ENV_KEY, OTHER_ENV_KEY]): ServiceAuthGuard {
  const database = {
    query: async (sql: string, params: unknown[]) =>
      sql.includes('FROM service_clients') && params[0] === hashServiceKey(MANAGED_KEY)
        ? [{ id: 'c1', name: 'reporting', scopes: ['users:read'], stale: false }]
        : [],
  } as unknown as DataSource;
  const config = new ConfigService({ auth: { serviceApiKeys: envKeys } }) as ConfigService<
    AppConfig,
    true
  >;
  // Sessions are StaffSessions' job (tested end to end in staff-access.e2e-spec.ts): here
  // one token is a help-desk session and every other is refused as StaffSessions would.
  const staff = {
    resolve: async (token: string) => {
      if (token === HELPDESK_TOKEN) return HELPDESK;
      throw ApiException.unauthorized();
    },
  } as unknown as StaffSessions;
  return new ServiceAuthGuard(new ServiceClients(database, config), staff, new Reflector());
}

/** The context Nest hands a guard for a request with these headers to this route. */
function request(
  headers: Record<string, string | string[]>,
  route: keyof Routes = 'read',
  into: Record<string, unknown> = {},
): ExecutionContext {
  // `into` is the request itself, so a test can read what the guard left on it.
  return new ExecutionContextHost(
    [Object.assign(into, { headers }), {}],
    Routes,
    Routes.prototype[route],
  );
}

async function outcome(
  subject: ServiceAuthGuard,
  headers: Record<string, string | string[]>,
  route: keyof Routes = 'read',
  into: Record<string, unknown> = {},
): Promise<unknown> {
  try {
    return await subject.canActivate(request(headers, route, into));
  } catch (error) {
    return error instanceof ApiException ? error.getResponse() : error;
  }
}

const UNAUTHORIZED = {
  statusCode: 401,
  code: 'UNAUTHORIZED',
  message: 'A valid X-API-Key is required.',
};

describe('ServiceAuthGuard', () => {
  const subject = guard();

  it('should let every key from SERVICE_API_KEYS through, on any route', async () => {
    await expect(outcome(subject, { 'x-api-key': ENV_KEY })).resolves.toBe(true);
    await expect(outcome(subject, { 'x-api-key': OTHER_ENV_KEY }, 'write')).resolves.toBe(true);
  });

  it('should refuse a prefix, a suffix or an extension of a key', async () => {
    for (const presented of [
      ENV_KEY.slice(0, -1),
      ENV_KEY.slice(0, 1),
      ENV_KEY.slice(1),
      `${ENV_KEY}x`,
      `x${ENV_KEY}`,
      `${ENV_KEY} `,
      `${ENV_KEY},${OTHER_ENV_KEY}`,
      ENV_KEY.toUpperCase(),
      MANAGED_KEY.slice(0, -1),
    ]) {
      await expect(outcome(subject, { 'x-api-key': presented })).resolves.toEqual(UNAUTHORIZED);
    }
  });

  it('should ask for a key or a session when the request has neither', async () => {
    await expect(outcome(subject, {})).resolves.toEqual({
      ...UNAUTHORIZED,
      message: 'An X-API-Key or a staff session (Bearer) is required.',
    });
  });

  it('should refuse an empty, repeated or oversized header', async () => {
    await expect(outcome(subject, { 'x-api-key': '' })).resolves.toEqual(UNAUTHORIZED);
    await expect(outcome(subject, { 'x-api-key': [ENV_KEY, ENV_KEY] })).resolves.toEqual(
      UNAUTHORIZED,
    );
    await expect(outcome(subject, { 'x-api-key': [ENV_KEY] })).resolves.toEqual(UNAUTHORIZED);
    await expect(
      outcome(guard(['k'.repeat(300)]), { 'x-api-key': 'k'.repeat(300) }),
    ).resolves.toEqual(UNAUTHORIZED);
  });

  it('should refuse the key in another header', async () => {
    await expect(outcome(subject, { authorization: `Bearer ${ENV_KEY}` })).resolves.toEqual({
      ...UNAUTHORIZED,
      message: 'Authentication required.',
    });
  });

  it('should admit a staff session to the scopes of its roles, with 403 for the others', async () => {
    const into: Record<string, unknown> = {};
    const bearer = { authorization: `Bearer ${HELPDESK_TOKEN}` };
    await expect(outcome(subject, bearer, 'read', into)).resolves.toBe(true);
    expect(into['caller']).toEqual(HELPDESK);
    expect(into['service']).toBeUndefined();
    await expect(outcome(subject, bearer, 'write')).resolves.toEqual({
      statusCode: 403,
      code: 'FORBIDDEN',
      message: 'Your roles do not include the users:write scope.',
    });
  });

  it('should let a present key decide, whatever session comes with it', async () => {
    const bearer = { authorization: `Bearer ${HELPDESK_TOKEN}` };
    await expect(outcome(subject, { ...bearer, 'x-api-key': 'wrong' })).resolves.toEqual(
      UNAUTHORIZED,
    );
    await expect(outcome(subject, { ...bearer, 'x-api-key': '' })).resolves.toEqual(UNAUTHORIZED);
  });

  it('should leave the service caller and its actor on the request', async () => {
    const into: Record<string, unknown> = {};
    await expect(outcome(subject, { 'x-api-key': MANAGED_KEY }, 'read', into)).resolves.toBe(true);
    expect(into['caller']).toEqual({
      kind: 'service',
      name: 'reporting',
      scopes: ['users:read'],
      actor: 'service:reporting',
    });
    // One place for the caller: the older `service` property is gone.
    expect(into['service']).toBeUndefined();
  });

  it('should refuse everything when no key is configured and none is managed', async () => {
    await expect(outcome(guard([]), { 'x-api-key': ENV_KEY })).resolves.toEqual(UNAUTHORIZED);
  });

  it('should admit a managed key to its scopes only, with 403 for the others', async () => {
    await expect(outcome(subject, { 'x-api-key': MANAGED_KEY })).resolves.toBe(true);
    await expect(outcome(subject, { 'x-api-key': MANAGED_KEY }, 'write')).resolves.toEqual({
      statusCode: 403,
      code: 'FORBIDDEN',
      message: 'This key lacks the users:write scope.',
    });
  });
});
