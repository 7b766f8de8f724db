import { ApiProcess } from '@account-recovery/testing';

import { createEmptyDatabase, runCli } from './support/cli-process';
import { ROUTES } from './support/service-api';

/**
 * Production runs migrations as a step of their own (DB_MIGRATE_ON_START=false). A process
 * started on a database that step has not reached must not look ready: it would take traffic
 * and fail every request.
 */
describe('readiness on a database without the migrations', () => {
  let database: Awaited<ReturnType<typeof createEmptyDatabase>>;
  let api: ApiProcess;

  beforeAll(async () => {
    database = await createEmptyDatabase();
    api = await ApiProcess.start(
      { DB_MIGRATE_ON_START: 'false' },
      { databaseUrl: database.url, waitFor: 'live' },
    );
  });

  afterAll(async () => {
    await api?.stop();
    await database?.drop();
  });

  it('should answer 503 naming the schema until the migrate step has run, then 200', async () => {
    const before = await api.get(ROUTES.ready);
    expect(before.status).toBe(503);
    expect(before.body).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      checks: { database: 'up', schema: 'down' },
    });

    const migrated = await runCli(['migrate'], { NODE_ENV: 'test', DATABASE_URL: database.url });
    expect(migrated.code).toBe(0);

    const after = await api.get(ROUTES.ready);
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ details: { schema: { status: 'up' } } });
  });
});
