import './app/bootstrap/threadpool';
// TypeORM loads its driver by name; importing it here keeps `pg` in the bundle's package.json.
import 'pg';
// Swagger UI's assets are served through it; listed here so the bundle's package.json has it.
import '@fastify/static';

import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';

import { AppModule } from './app/app.module';
import { configureApp } from './app/bootstrap/configure-app';
import { databaseFor } from './app/bootstrap/database-for';
import { requestId } from './app/bootstrap/logger-options';
import { CONTRACT_ERROR_SERVER_OPTIONS } from './app/common/http/framework-errors';
import { ConfigError } from './app/config/config-error';
import { loadConfig } from './app/config/load-config';

/** 16 kB is far above any legitimate body of this API and far below anything abusive. */
const BODY_LIMIT_BYTES = 16 * 1024;

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const database = await databaseFor(config);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(config, database.url),
    new FastifyAdapter({
      ...CONTRACT_ERROR_SERVER_OPTIONS,
      bodyLimit: BODY_LIMIT_BYTES,
      trustProxy: config.http.trustProxy,
      genReqId: requestId,
      requestIdHeader: false,
    }),
    // JSON only: Nest's default body parsers add form bodies, which any website can post
    // without a CORS preflight. Fastify's own JSON parser stays.
    { bufferLogs: true, bodyParser: false },
  );
  const logger = app.get(Logger);
  app.useLogger(logger);
  await configureApp(app, config);
  stopGracefullyOn(
    ['SIGTERM', 'SIGINT'],
    (message) => logger.log(message, 'Shutdown'),
    async () => {
      await app.close();
      await database.stop();
    },
  );
  await app.listen(config.http.port, '0.0.0.0');
  logger.log(
    `API listening on http://localhost:${config.http.port}/api (docs at /api/docs)`,
    'Bootstrap',
  );
  if (config.auth.jwtSecretGenerated) {
    logger.warn(
      'JWT_SECRET is not set: using a random secret, sessions end at every restart',
      'Bootstrap',
    );
  }
}

/** A stop must finish well inside the 10 s orchestrators wait before they SIGKILL. */
const SHUTDOWN_DEADLINE_MS = 9500;

/**
 * On SIGTERM: stop taking connections, let requests in flight finish, let the email worker
 * finish its job, close the pools, exit 0. (Nest's own signal hooks re-raise the signal,
 * which ends the process with 143 instead of a clean 0.)
 */
function stopGracefullyOn(
  signals: NodeJS.Signals[],
  log: (message: string) => void,
  stop: () => Promise<void>,
): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(
      JSON.stringify({ level: 30, time: Date.now(), msg: `${signal} received, shutting down` }),
    );
    setTimeout(() => {
      console.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    stop().then(
      () => {
        log('stopped cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  for (const signal of signals) process.once(signal, handler);
}

bootstrap().catch((error: unknown) => {
  // A configuration error names the variables; anything else prints its stack.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
