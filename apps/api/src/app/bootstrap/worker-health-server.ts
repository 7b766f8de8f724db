import { createServer, IncomingMessage, ServerResponse } from 'node:http';

import { HttpException, INestApplicationContext } from '@nestjs/common';

import { HealthController } from '../health/health.controller';
import { Metrics } from '../metrics/metrics.service';

/**
 * The only HTTP a worker process serves, for orchestrators and Prometheus: the API's own
 * health checks and metric registry behind three fixed paths. Everything else is a 404;
 * no route of the API exists here.
 */
export async function serveWorkerHealth(
  context: INestApplicationContext,
  host: string,
  port: number,
): Promise<{ close(): Promise<void> }> {
  const health = context.get(HealthController);
  const metrics = context.get(Metrics);
  const routes: Record<string, () => Promise<Reply>> = {
    '/api/health/live': async () => json(200, health.live()),
    '/api/health/ready': async () => {
      try {
        return json(200, await health.ready());
      } catch (error) {
        // Terminus answers "not ready" with a 503 exception carrying the checks' results.
        if (error instanceof HttpException) return json(error.getStatus(), error.getResponse());
        throw error;
      }
    },
    '/metrics': async () => ({
      status: 200,
      type: metrics.registry.contentType,
      body: await metrics.registry.metrics(),
    }),
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '/').split('?')[0];
    const route = request.method === 'GET' ? routes[path] : undefined;
    const reply = route ? route() : Promise.resolve(notFound());
    void reply
      .catch(() =>
        json(500, { statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal error' }),
      )
      .then(({ status, type, body }) => {
        response.writeHead(status, {
          'content-type': type,
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        });
        response.end(body);
      });
  });
  // Probes connect every few seconds; idle keep-alive sockets must not hold the stop up.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface Reply {
  status: number;
  type: string;
  body: string;
}

function json(status: number, value: unknown): Reply {
  return { status, type: 'application/json; charset=utf-8', body: JSON.stringify(value) };
}

function notFound(): Reply {
  return json(404, {
    statusCode: 404,
    code: 'NOT_FOUND',
    message: 'A worker serves only /api/health/live, /api/health/ready and /metrics.',
  });
}
