import { ExecutionContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';

import { ApiException } from '../common/http/api-exception';
import { AppConfig } from '../config/app-config';
import { ServiceApiKeyGuard } from './service-api-key.guard';

const FIRST_KEY = 'first-service-key-6d1f0a93c2';
const SECOND_KEY = 'second-service-key-b47e8815';

function guardWith(keys: string[]): ServiceApiKeyGuard {
  return new ServiceApiKeyGuard(
    new ConfigService({ auth: { serviceApiKeys: keys } }) as ConfigService<AppConfig, true>,
  );
}

/** The context Nest hands a guard for an HTTP request with these headers. */
function requestWith(headers: Record<string, string | string[]>): ExecutionContext {
  return new ExecutionContextHost([{ headers }, {}]);
}

function outcome(guard: ServiceApiKeyGuard, headers: Record<string, string | string[]>): unknown {
  try {
    return guard.canActivate(requestWith(headers));
  } catch (error) {
    return error instanceof ApiException ? error.getResponse() : error;
  }
}

const REFUSED = {
  statusCode: 401,
  code: 'UNAUTHORIZED',
  message: 'A valid X-API-Key is required.',
};

describe('ServiceApiKeyGuard', () => {
  const guard = guardWith([FIRST_KEY, SECOND_KEY]);

  it('should let every configured key through', () => {
    expect(outcome(guard, { 'x-api-key': FIRST_KEY })).toBe(true);
    expect(outcome(guard, { 'x-api-key': SECOND_KEY })).toBe(true);
  });

  it('should refuse a prefix, a suffix or an extension of a key', () => {
    for (const presented of [
      FIRST_KEY.slice(0, -1),
      FIRST_KEY.slice(0, 1),
      FIRST_KEY.slice(1),
      `${FIRST_KEY}x`,
      `x${FIRST_KEY}`,
      `${FIRST_KEY} `,
      `${FIRST_KEY},${SECOND_KEY}`,
      FIRST_KEY.toUpperCase(),
    ]) {
      expect([presented, outcome(guard, { 'x-api-key': presented })]).toEqual([presented, REFUSED]);
    }
  });

  it('should refuse a missing, empty or repeated header', () => {
    expect(outcome(guard, {})).toEqual(REFUSED);
    expect(outcome(guard, { 'x-api-key': '' })).toEqual(REFUSED);
    expect(outcome(guard, { 'x-api-key': [FIRST_KEY, FIRST_KEY] })).toEqual(REFUSED);
    expect(outcome(guard, { 'x-api-key': [FIRST_KEY] })).toEqual(REFUSED);
  });

  it('should refuse the key in another header', () => {
    expect(outcome(guard, { authorization: `Bearer ${FIRST_KEY}` })).toEqual(REFUSED);
  });

  it('should refuse everything, the empty string too, when no key is configured', () => {
    const closed = guardWith([]);
    expect(outcome(closed, { 'x-api-key': FIRST_KEY })).toEqual(REFUSED);
    expect(outcome(closed, { 'x-api-key': '' })).toEqual(REFUSED);
  });
});
