import type { AddressInfo } from 'node:net';

import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger, Params, PARAMS_PROVIDER_TOKEN } from 'nestjs-pino';

import { AppModule } from '../app.module';
import { fastifyTrustProxy } from '../common/http/client-ip';
import { contractErrorServerOptions } from '../common/http/framework-errors';
import { logCompletedRequests } from '../common/http/request-log';
import { SCHEMA_CHECK_SERVER_OPTIONS } from '../common/validation/schema-checked-body';
import { AppConfig } from '../config/app-config';
import { configureApp } from './configure-app';
import { databaseFor } from './database-for';
import { stopGracefullyOn } from './graceful-stop';
import { loggerOf, requestId } from './logger-options';

export const INSECURE_LOCAL_TRIAL_WARNING =
  'ALLOW_INSECURE_LOCAL_TRIAL is set: a mail catcher and http:// links are accepted; never with real users';

/** 16 kB is far above any legitimate body of this API and far below anything abusive. */
const BODY_LIMIT_BYTES = 16 * 1024;

/**
 * Roles `api` and `all`: the HTTP API on PORT. With `all` the job workers run in this
 * process too; with `api` they do not (their concurrency is zero) and jobs wait for a worker.
 */
export async function startHttpApi(config: AppConfig): Promise<void> {
  const database = await databaseFor(config);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(config, database.url),
    new FastifyAdapter({
      ...contractErrorServerOptions(config.mail.defaultLocale),
      ...SCHEMA_CHECK_SERVER_OPTIONS,
      bodyLimit: BODY_LIMIT_BYTES,
      trustProxy: fastifyTrustProxy(config.http.trustProxy),
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
  logCompletedRequests(
    app.getHttpAdapter().getInstance(),
    loggerOf(app.get<Params>(PARAMS_PROVIDER_TOKEN)),
  );
  // Stop taking connections, let requests in flight finish, let the job workers (role
  // `all`) finish their jobs, close the pools.
  stopGracefullyOn(
    ['SIGTERM', 'SIGINT'],
    (message) => logger.log(message, 'Shutdown'),
    async () => {
      await app.close();
      await database.stop();
    },
  );
  await app.listen(config.http.port, config.http.host);
  const { address, port } = app.getHttpServer().address() as AddressInfo;
  const shown = address.includes(':') ? `[${address}]` : address;
  logger.log(
    `API listening on http://${shown}:${port}/api (role ${config.process.role})`,
    'Bootstrap',
  );
  if (config.insecureLocalTrial) {
    logger.warn(INSECURE_LOCAL_TRIAL_WARNING, 'Bootstrap');
  }
  if (config.auth.jwtSecretGenerated) {
    logger.warn(
      'JWT_SECRET is not set: using a random secret, sessions end at every restart',
      'Bootstrap',
    );
  }
}
