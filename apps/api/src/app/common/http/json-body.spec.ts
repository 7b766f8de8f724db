import { gzipSync } from 'node:zlib';

import Fastify, { FastifyInstance } from 'fastify';

import { errorResponseFor } from './all-exceptions.filter';
import { acceptJsonBodiesOnly, MAX_BODY_DEPTH, nestsDeeperThan } from './json-body';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('acceptJsonBodiesOnly', () => {
  let fastify: FastifyInstance;

  beforeAll(async () => {
    fastify = Fastify({ bodyLimit: 16 * 1024 });
    acceptJsonBodiesOnly(fastify);
    // What the API's exception filter does with parser errors.
    fastify.setErrorHandler((error, _request, reply) => {
      const body = errorResponseFor(error);
      void reply.code(body.statusCode).send(body);
    });
    fastify.post('/echo', async (request) => ({ body: request.body }));
    await fastify.ready();
  });

  afterAll(() => fastify.close());

  type Headers = Record<string, string>;

  const post = (payload: string | Buffer, headers: Headers = {}) =>
    fastify.inject({
      method: 'POST',
      url: '/echo',
      payload,
      headers: { 'content-type': 'application/json', ...headers },
    });

  it('should parse JSON up to the depth limit and refuse one level more with 400', async () => {
    expect((await post(nested(MAX_BODY_DEPTH))).statusCode).toBe(200);
    const refused = await post(nested(MAX_BODY_DEPTH + 1));
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: { body: [expect.any(String)] },
    });
    // Thousands of levels: refused without recursion, not a stack overflow.
    expect((await post(nested(8000))).statusCode).toBe(400);
  });

  it('should take UTF-8 with or without the charset parameter, and identity encoding', async () => {
    const variants: Headers[] = [
      {},
      { 'content-type': 'application/json; charset=UTF-8' },
      { 'content-encoding': 'identity' },
    ];
    for (const headers of variants) {
      const answer = await post('{"name":"Zoë 😀"}', headers);
      expect(answer.json()).toEqual({ body: { name: 'Zoë 😀' } });
    }
  });

  it.each<[Headers]>([
    [{ 'content-type': 'application/json; charset=latin1' }],
    [{ 'content-type': 'application/json; charset=utf-16' }],
    [{ 'content-encoding': 'gzip' }],
    [{ 'content-encoding': 'x-unknown' }],
  ])('should answer 415 for %j', async (headers) => {
    const answer = await post(
      headers['content-encoding'] === 'gzip' ? gzipSync('{}') : '{}',
      headers,
    );
    expect(answer.statusCode).toBe(415);
    expect(answer.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('should refuse bytes that are not UTF-8 instead of decoding them to U+FFFD', async () => {
    const answer = await post(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]));
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('should still refuse __proto__ keys and text/plain', async () => {
    expect((await post('{"__proto__":{"x":1}}')).statusCode).toBe(400);
    expect((await post('{}', { 'content-type': 'text/plain' })).statusCode).toBe(415);
  });
});

describe('nestsDeeperThan', () => {
  it('should count containers, not primitives', () => {
    expect(nestsDeeperThan('x', 0)).toBe(false);
    expect(nestsDeeperThan({ a: 1 }, 1)).toBe(false);
    expect(nestsDeeperThan({ a: [1] }, 1)).toBe(true);
    expect(nestsDeeperThan([{}, [[]]], 3)).toBe(false);
    expect(nestsDeeperThan([{}, [[]]], 2)).toBe(true);
  });
});
