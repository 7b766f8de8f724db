import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { ApiProcess } from '@account-recovery/testing';

const COMMITTED = resolve(__dirname, '../../api/openapi.json');

/** Key order made canonical, so the comparison and the committed file are stable. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/**
 * The OpenAPI document other services build against is committed (apps/api/openapi.json)
 * and the typed client in libs/api-client is generated from it. This fails when the
 * running API no longer matches it: run `npm run openapi` and commit the result.
 */
describe('OpenAPI document', () => {
  let api: ApiProcess;

  beforeAll(async () => {
    api = await ApiProcess.start({ SMTP_URL: 'smtp://127.0.0.1:9' });
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('should match the committed apps/api/openapi.json', async () => {
    const served = await api.get('/api/docs-json');
    expect(served.status).toBe(200);
    const document = canonical(served.body);
    if (process.env['UPDATE_OPENAPI'] === '1') {
      writeFileSync(COMMITTED, `${JSON.stringify(document, null, 2)}\n`);
    }
    expect(document).toEqual(JSON.parse(readFileSync(COMMITTED, 'utf8')));
  });

  it('should document security and error answers on every operation', async () => {
    const doc = (await api.get('/api/docs-json')).body as {
      paths: Record<
        string,
        Record<string, { security?: unknown[]; responses: Record<string, unknown> }>
      >;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['api-key', 'bearer']);
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const statuses = Object.keys(operation.responses);
        expect({ path, method, success: statuses.some((s) => s.startsWith('2')) }).toEqual({
          path,
          method,
          success: true,
        });
        if (path.startsWith('/api/v1/')) {
          expect({ path, method, errors: statuses.some((s) => /^[45]/.test(s)) }).toEqual({
            path,
            method,
            errors: true,
          });
        }
        // The service API: a service's key or a staff member's session (either one).
        if (path.startsWith('/api/v1/users')) {
          expect({ path, method, security: operation.security }).toEqual({
            path,
            method,
            security: [{ bearer: [] }, { 'api-key': [] }],
          });
        }
      }
    }
  });
});
