import { Writable } from 'node:stream';

import Fastify from 'fastify';
import pino from 'pino';

import { levelFor, logCompletedRequests } from './request-log';

/** A Fastify server whose request lines land in `lines`, at the given level. */
function serverLoggingAt(level: pino.Level, lines: Record<string, unknown>[]) {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      callback();
    },
  });
  const fastify = Fastify({ genReqId: () => 'req-7' });
  logCompletedRequests(fastify, pino({ level }, sink));
  fastify.get('/api/v1/thing', async () => ({ ok: true }));
  fastify.get('/api/v1/broken', async (_request, reply) => reply.code(500).send({}));
  fastify.get('/api/health/live', async (_request, reply) => reply.code(503).send({}));
  return fastify;
}

describe('logCompletedRequests', () => {
  it('should pick debug for successes, info for client errors, error for 5xx', () => {
    expect([200, 202, 302, 400, 429, 500, 503].map(levelFor)).toEqual([
      'debug',
      'debug',
      'debug',
      'info',
      'info',
      'error',
      'error',
    ]);
  });

  it('should write one line per request with its id, method, URL and status', async () => {
    const lines: Record<string, unknown>[] = [];
    const fastify = serverLoggingAt('debug', lines);
    await fastify.inject({ method: 'GET', url: '/api/v1/thing?token=secret' });
    await fastify.inject({ method: 'GET', url: '/api/v1/nowhere' });
    await fastify.inject({ method: 'GET', url: '/api/v1/broken' });
    await fastify.inject({ method: 'GET', url: '/api/health/live' });
    await fastify.close();
    expect(lines.map((line) => [line['level'], line['msg'], line['req'], line['res']])).toEqual([
      [
        20,
        'request completed',
        { id: 'req-7', method: 'GET', url: '/api/v1/thing' },
        { statusCode: 200 },
      ],
      [
        30,
        'request completed',
        { id: 'req-7', method: 'GET', url: '/api/v1/nowhere' },
        { statusCode: 404 },
      ],
      [
        50,
        'request errored',
        { id: 'req-7', method: 'GET', url: '/api/v1/broken' },
        { statusCode: 500 },
      ],
    ]);
    expect(typeof lines[0]['responseTime']).toBe('number');
  });

  it('should write nothing below the logger level', async () => {
    const lines: Record<string, unknown>[] = [];
    const fastify = serverLoggingAt('warn', lines);
    await fastify.inject({ method: 'GET', url: '/api/v1/thing' });
    await fastify.inject({ method: 'GET', url: '/api/v1/nowhere' });
    await fastify.close();
    expect(lines).toEqual([]);
  });
});
