import './app/bootstrap/threadpool';
// TypeORM loads its driver by name; importing it here keeps `pg` in the bundle's package.json.
import 'pg';

import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';

import { AppModule } from './app/app.module';
import { configureApp } from './app/bootstrap/configure-app';
import { databaseFor } from './app/bootstrap/database-for';
import { requestId } from './app/bootstrap/logger-options';
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
      bodyLimit: BODY_LIMIT_BYTES,
      trustProxy: config.http.trustProxy,
      genReqId: requestId,
      requestIdHeader: false,
    }),
    { bufferLogs: true },
  );
  app.useLogger(app.get(Logger));
  await configureApp(app, config);
  app.getHttpServer().on('close', () => void database.stop());
  await app.listen(config.http.port, '0.0.0.0');
  const logger = app.get(Logger);
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

bootstrap().catch((error: unknown) => {
  // A configuration error names the variables; anything else prints its stack.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
