import fc from 'fast-check';

import { bodyText, exampleBody } from './json-arbitraries';
import { fillPath, RouteSpec } from './openapi-routes';
import type { BodyBytes, GeneratedRequest, Known } from './request-arbitraries';

interface MediaVariant {
  contentType?: string;
  supported: boolean;
}

const CONTENT_TYPES: MediaVariant[] = [
  { contentType: 'application/json', supported: true },
  { contentType: 'application/json; charset=utf-8', supported: true },
  { contentType: 'Application/JSON; Charset="UTF-8"', supported: true },
  { contentType: 'application/json; foo=bar', supported: true },
  { contentType: undefined, supported: false },
  { contentType: 'text/plain', supported: false },
  { contentType: 'text/plain; charset=utf-8', supported: false },
  { contentType: 'application/json; charset=latin1', supported: false },
  { contentType: 'application/json; charset=iso-8859-1', supported: false },
  { contentType: 'application/json; charset=utf-16', supported: false },
  { contentType: 'application/json; charset="us-ascii"', supported: false },
  { contentType: 'application/x-www-form-urlencoded', supported: false },
  { contentType: 'multipart/form-data; boundary=x', supported: false },
  { contentType: 'application/xml', supported: false },
  { contentType: 'application/merge-patch+json', supported: false },
  { contentType: 'application/octet-stream', supported: false },
  { contentType: 'text/json', supported: false },
  { contentType: '*/*', supported: false },
  { contentType: 'json', supported: false },
  { contentType: ';', supported: false },
];

const CONTENT_ENCODINGS: { encoding?: string; bytes: BodyBytes; supported: boolean }[] = [
  { encoding: undefined, bytes: 'utf8', supported: true },
  { encoding: 'identity', bytes: 'utf8', supported: true },
  { encoding: 'IDENTITY', bytes: 'utf8', supported: true },
  { encoding: 'gzip', bytes: 'gzip', supported: false },
  { encoding: 'gzip', bytes: 'utf8', supported: false },
  { encoding: 'br', bytes: 'br', supported: false },
  { encoding: 'deflate', bytes: 'deflate', supported: false },
  { encoding: 'x-unknown', bytes: 'utf8', supported: false },
  { encoding: 'identity, gzip', bytes: 'gzip', supported: false },
  { encoding: 'compress', bytes: 'utf8', supported: false },
];

/** Charsets named in the header, each with the bytes that charset gives the same text. */
const CHARSET_BYTES: Record<string, BodyBytes> = {
  latin1: 'latin1',
  'iso-8859-1': 'latin1',
  'utf-16': 'utf16le',
};

/**
 * The same well-formed body in content types, charsets and content encodings: those the API
 * does not take must get 415 wherever a body is read (every method but GET and HEAD).
 */
export function headerRequest(
  routes: RouteSpec[],
  { apiKey }: Known,
): fc.Arbitrary<GeneratedRequest> {
  return fc.constantFrom(...routes).chain((route) =>
    fc
      .record({
        id: fc.uuid(),
        method: fc.constantFrom(route.method, route.method, 'POST', 'PATCH', 'DELETE', 'PUT'),
        media: fc.constantFrom(...CONTENT_TYPES),
        encoding: fc.constantFrom(...CONTENT_ENCODINGS),
        text: fc.oneof(
          { weight: 3, arbitrary: fc.constant(exampleBody(route.body ?? [])) },
          { weight: 1, arbitrary: bodyText(route.body ?? []).filter((t) => t.length > 0) },
        ),
      })
      .map(({ id, method, media, encoding, text }) => {
        const headers: Record<string, string> = { 'x-api-key': apiKey };
        if (media.contentType !== undefined) headers['content-type'] = media.contentType;
        if (encoding.encoding !== undefined) headers['content-encoding'] = encoding.encoding;
        const charset = /charset="?([^";]+)/i.exec(media.contentType ?? '')?.[1]?.toLowerCase();
        const bytes =
          encoding.bytes === 'utf8' ? (CHARSET_BYTES[charset ?? ''] ?? 'utf8') : encoding.bytes;
        // Only a documented method reaches a route: another one is a 404 whatever it carries.
        const routed = method === route.method;
        return {
          operation: `${route.method} ${route.template}`,
          method,
          path: fillPath(route, () => id),
          headers,
          body: { text, bytes },
          expect415:
            routed && !['GET', 'HEAD'].includes(method) && !(media.supported && encoding.supported),
        };
      }),
  );
}
