import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';

import { AppModule } from '../app.module';
import { AppConfig } from '../config/app-config';
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
  const database = await databaseFor(config);
  const context = await NestFactory.createApplicationContext(
    AppModule.register(config, database.url),
    { bufferLogs: true },
  );
  const logger = context.get(Logger);
  context.useLogger(logger);
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
  logger.log(
    `Worker running; health at http://localhost:${port}/api/health/ready, metrics at /metrics`,
    'Bootstrap',
  );
  // The worker is the process that sends mail: it says so too when the catcher is allowed.
  if (config.insecureLocalTrial) logger.warn(INSECURE_LOCAL_TRIAL_WARNING, 'Bootstrap');
}
