import { SERVER_URL_ENV, startDatabaseServer } from '@account-recovery/testing';

/**
 * Runs once, in the runner process, before any worker starts: the PostgreSQL server
 * (DATABASE_URL, else an embedded one). Workers inherit its URL through the environment and
 * each creates a database of its own on it. The returned function is the global teardown.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const server = await startDatabaseServer();
  process.env[SERVER_URL_ENV] = server.url;
  return server.stop;
}
