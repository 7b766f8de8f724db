import { SERVER_URL_ENV, startDatabaseServer } from './database-server';

declare global {
  var __E2E_DATABASE_STOP__: (() => Promise<void>) | undefined;
}

/** Runs once before all test files; the URL reaches the test workers through the environment. */
export default async function globalSetup(): Promise<void> {
  const server = await startDatabaseServer();
  process.env[SERVER_URL_ENV] = server.url;
  globalThis.__E2E_DATABASE_STOP__ = server.stop;
}
