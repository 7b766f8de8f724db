// globalSetup is loaded outside Jest's resolver, where tsconfig path aliases do not apply.
// eslint-disable-next-line @nx/enforce-module-boundaries
import {
  SERVER_URL_ENV,
  startDatabaseServer,
} from '../../../../libs/testing/src/lib/database-server';

declare global {
  var __E2E_DATABASE_STOP__: (() => Promise<void>) | undefined;
}

/** Runs once before all test files; the URL reaches the test workers through the environment. */
export default async function globalSetup(): Promise<void> {
  const server = await startDatabaseServer();
  process.env[SERVER_URL_ENV] = server.url;
  globalThis.__E2E_DATABASE_STOP__ = server.stop;
}
