import { isUtf8 } from 'node:buffer';

import { ERROR_CODES } from '@account-recovery/contracts';

import { HttpStatus } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';

import { ApiException } from './api-exception';

/**
 * How deep a body may nest objects and arrays. Every body of this API is a flat object (a
 * nested one would have two levels), so this is far above any valid request and far below
 * what the recursive class-transformer and class-validator walk without running out of stack
 * (a 16 kB body can nest about 8,000 levels: that was a 500 on every route with a body).
 */
export const MAX_BODY_DEPTH = 32;

type ParseDone = (error: Error | null, body?: unknown) => void;
type CallbackJsonParser = (request: FastifyRequest, body: string, done: ParseDone) => void;

/**
 * JSON only, in UTF-8, uncompressed, and no deeper than MAX_BODY_DEPTH, checked once for
 * every route before any DTO is built. Bytes that are not UTF-8 are refused rather than
 * decoded to U+FFFD: a mangled address is still a valid one, and it was mailed. Fastify's own parser (with its `__proto__` and
 * `constructor.prototype` refusals) still does the parsing. Text bodies, form posts, other
 * charsets and any Content-Encoding but `identity` are 415: nothing here decompresses or
 * transcodes, so such a body could only ever be misread.
 */
export function acceptJsonBodiesOnly(fastify: FastifyInstance): void {
  // Fastify parses text/plain by default, which any website can post without a preflight.
  fastify.removeContentTypeParser(['text/plain']);
  const parseJson = fastify.getDefaultJsonParser('error', 'error') as CallbackJsonParser;
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    (request: FastifyRequest, body: Buffer, done: ParseDone) => {
      const refusal = unsupportedEncoding(request) ?? (isUtf8(body) ? null : notUtf8());
      if (refusal) {
        done(refusal);
        return;
      }
      parseJson(request, body.toString('utf8'), (error, value) => {
        if (error) done(error);
        else if (nestsDeeperThan(value, MAX_BODY_DEPTH)) done(tooDeep());
        else done(null, value);
      });
    },
  );
}

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/i;

function unsupportedEncoding(request: FastifyRequest): ApiException | null {
  const charset = CHARSET.exec(request.headers['content-type'] ?? '')?.[1];
  if (charset !== undefined && charset.toLowerCase() !== 'utf-8') {
    return new ApiException(
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      ERROR_CODES.UNSUPPORTED_MEDIA_TYPE,
      'request.unsupported-charset',
    );
  }
  const encoding = request.headers['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') {
    return new ApiException(
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      ERROR_CODES.UNSUPPORTED_MEDIA_TYPE,
      'request.unsupported-encoding',
    );
  }
  return null;
}

/** Walks the parsed body without recursion (the body itself may be thousands of levels deep). */
export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  const pending: unknown[] = [value];
  const depths: number[] = [1];
  while (pending.length > 0) {
    const node = pending.pop() as object;
    const depth = depths.pop() as number;
    if (depth > maxDepth) return true;
    for (const child of Object.values(node)) {
      if (child !== null && typeof child === 'object') {
        pending.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

function notUtf8(): ApiException {
  return new ApiException(
    HttpStatus.BAD_REQUEST,
    ERROR_CODES.VALIDATION_FAILED,
    'request.invalid-utf8',
  );
}

function tooDeep(): ApiException {
  return ApiException.validation({
    body: [{ key: 'field.too-deep', values: { max: MAX_BODY_DEPTH } }],
  });
}
