import './app/bootstrap/threadpool';
// TypeORM loads its driver by name; importing it here keeps `pg` in the bundle's package.json.
import 'pg';
// Swagger UI's assets are served through it; listed here so the bundle's package.json has it.
import '@fastify/static';

import { startHttpApi } from './app/bootstrap/http-api';
import { startWorker } from './app/bootstrap/worker-process';
import { ConfigError } from './app/config/config-error';
import { loadConfig } from './app/config/load-config';

/** One build, one entry point: PROCESS_ROLE picks what this process runs. */
async function bootstrap(): Promise<void> {
  const config = loadConfig();
  if (config.process.role === 'worker') await startWorker(config);
  else await startHttpApi(config);
}

bootstrap().catch((error: unknown) => {
  // A configuration error names the variables; anything else prints its stack.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
