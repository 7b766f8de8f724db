import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Level, Logger } from 'pino';

/** Probes hit these every few seconds; their failures still show through the filter. */
const UNLOGGED_PREFIX = '/api/health';

/** Successes at debug (production does not write them), client errors at info, 5xx at error. */
export function levelFor(statusCode: number): Level {
  return statusCode >= 500 ? 'error' : statusCode >= 400 ? 'info' : 'debug';
}

/** What a log line says of its request. The URL never carries a token, but no query anyway. */
export function requestLine(request: FastifyRequest): { id: string; method: string; url: string } {
  return { id: request.id, method: request.method, url: request.url.split('?')[0] };
}

/**
 * One line per completed request, `{ req: { id, method, url }, res: { statusCode },
 * responseTime }`, "request completed" ("request errored" for a 5xx), in the shape
 * pino-http wrote it. Nothing is built for a line whose level is not written.
 */
export function logCompletedRequests(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const level = levelFor(reply.statusCode);
    if (logger.isLevelEnabled(level) && !request.url.startsWith(UNLOGGED_PREFIX)) {
      const line = {
        req: requestLine(request),
        res: { statusCode: reply.statusCode },
        responseTime: Math.round(reply.elapsedTime),
      };
      if (reply.statusCode >= 500) {
        const err = new Error(`failed with status code ${reply.statusCode}`);
        logger[level]({ ...line, err }, 'request errored');
      } else {
        logger[level](line, 'request completed');
      }
    }
    done();
  });
}
