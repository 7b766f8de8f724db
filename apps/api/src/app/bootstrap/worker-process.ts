import { setPriority } from 'node:os';

import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';

import { AppModule } from '../app.module';
import { AppConfig } from '../config/app-config';
import { apiMessages } from '../i18n/api-messages';
import { databaseFor } from './database-for';
import { stopGracefullyOn } from './graceful-stop';
import { INSECURE_LOCAL_TRIAL_WARNING } from './http-api';
import { serveWorkerHealth } from './worker-health-server';

/**
 * Role `worker`: the same modules as the API, started as an application context, so no
 * route of the API is ever served; the job workers start with it (onApplicationBootstrap).
 * Only health checks and metrics listen, on WORKER_HEALTH_PORT.
 */
export async function startWorker(config: AppConfig): Promise<void> {
  const priorityFailure = lowerCpuPriority(config.process.workerNice);
  const database = await databaseFor(config);
  const context = await NestFactory.createApplicationContext(
    AppModule.register(config, database.url),
    { bufferLogs: true },
  );
  const logger = context.get(Logger);
  context.useLogger(logger);
  // Its "not ready" answer is worded from the API's catalogs (in English, for orchestrators):
  // read and check them now, so a broken catalog stops the start as it does the API's.
  apiMessages();
  const port = config.process.workerHealthPort;
  const health = await serveWorkerHealth(context, config.http.host, port);
  // Claim nothing more, finish the jobs in hand (JobQueue.beforeApplicationShutdown, bounded),
  // close the pools. The health port closes first: a stopping worker is not ready.
  stopGracefullyOn(
    ['SIGTERM', 'SIGINT'],
    (message) => logger.log(message, 'Shutdown'),
    async () => {
      await health.close();
      await context.close();
      await database.stop();
    },
  );
  if (priorityFailure) {
    logger.warn(
      `could not lower the worker's CPU priority: ${priorityFailure.message}`,
      'Bootstrap',
    );
  }
  logger.log(
    `Worker running; health at http://localhost:${port}/api/health/ready, metrics at /metrics`,
    'Bootstrap',
  );
  // The worker is the process that sends mail: it says so too when the catcher is allowed.
  if (config.insecureLocalTrial) logger.warn(INSECURE_LOCAL_TRIAL_WARNING, 'Bootstrap');
}

/**
 * Sending waits well (jobs are durable, a backlog drains after a burst); answering does not.
 * Where the worker shares CPUs with an API replica (one host, compose on a small machine),
 * the kernel serves the API first; alone on its CPUs, a worker runs as fast as before
 * (docs/architecture.md §3, "Priorities"). Lowering one's own priority needs no privilege.
 */
function lowerCpuPriority(nice: number): Error | null {
  try {
    setPriority(nice);
    return null;
  } catch (error) {
    return error as Error;
  }
}
