import { NestFastifyApplication } from '@nestjs/platform-fastify';

import { Metrics } from './metrics.service';

/** Times every request by its route template (`/api/v1/users/:id`, never the real id). */
export function recordHttpMetrics(app: NestFastifyApplication): void {
  const metrics = app.get(Metrics);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onResponse', (request, reply, done) => {
      metrics.httpRequests.observe(
        {
          method: request.method,
          route: request.routeOptions.url ?? 'unmatched',
          status: String(reply.statusCode),
        },
        reply.elapsedTime / 1000,
      );
      done();
    });
}
