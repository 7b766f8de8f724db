import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';

import fc from 'fast-check';

import { bodyText, exampleBody, jsonText, unicodeString, VICTIM } from './json-arbitraries';
import { fillPath, RouteSpec } from './openapi-routes';
import type { RawRequest } from './raw-http';

/** How the body text becomes bytes: UTF-8 as the API expects, or something it must refuse. */
export type BodyBytes = 'utf8' | 'latin1' | 'utf16le' | 'invalid-utf8' | 'gzip' | 'deflate' | 'br';

/** A generated request, kept readable: it is what fast-check prints when a property fails. */
export interface GeneratedRequest {
  /** The documented operation the request was generated from, e.g. `PATCH /api/v1/users/{id}`. */
  operation: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: { text: string; bytes: BodyBytes };
  /** The API must answer exactly 415: a body in a type, charset or encoding it does not take. */
  expect415: boolean;
}

export function toRawRequest(request: GeneratedRequest): RawRequest {
  return {
    method: request.method,
    path: request.path,
    headers: request.headers,
    body: request.body && encodeBody(request.body.text, request.body.bytes),
  };
}

function encodeBody(text: string, bytes: BodyBytes): Buffer {
  switch (bytes) {
    case 'utf8':
      return Buffer.from(text, 'utf8');
    case 'latin1':
      return Buffer.from(text, 'latin1');
    case 'utf16le':
      return Buffer.from(text, 'utf16le');
    case 'invalid-utf8': {
      // Bytes no UTF-8 decoder accepts, in the middle of the text: an encoded lone surrogate,
      // a lone continuation byte, an overlong slash and a truncated sequence.
      const middle = Math.floor(text.length / 2);
      return Buffer.concat([
        Buffer.from(text.slice(0, middle), 'utf8'),
        Buffer.from([0xed, 0xa0, 0x80, 0x80, 0xc0, 0xaf, 0xe2, 0x82]),
        Buffer.from(text.slice(middle), 'utf8'),
      ]);
    }
    case 'gzip':
      return gzipSync(text);
    case 'deflate':
      return deflateSync(text);
    case 'br':
      return brotliCompressSync(text);
  }
}

/** Percent-encodes the UTF-8 bytes of any string (a lone surrogate goes as U+FFFD). */
function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

const validUuid = fc.uuid();

/** Path parameter values, already as they go on the wire: odd ones and broken encodings. */
const oddPathValue = fc.oneof(
  fc.constantFrom(
    'not-a-uuid',
    '%',
    '%%',
    '%E0%A4%A',
    '%ED%A0%80',
    '%FF%FE',
    '%C0%AF',
    '%00',
    '..',
    '%2e%2e',
    '%2F',
    '%20',
    '00000000-0000-0000-0000-000000000000',
    'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
    '{id}',
    'me',
    'password-reset',
    '%7B%7D',
    'a'.repeat(3000),
  ),
  validUuid.map((uuid) => uuid.toUpperCase()),
  validUuid.map((uuid) => `${uuid}%00`),
  unicodeString.map(percentEncode),
);

/** A path parameter: some user's id, an id nobody has, or something odd. */
function pathValue(ids: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: ids.length ? fc.constantFrom(...ids) : validUuid },
    { weight: 3, arbitrary: validUuid },
    { weight: 2, arbitrary: oddPathValue },
  );
}

/** What a generator needs besides the routes: the valid key and ids of existing users. */
export interface Known {
  apiKey: string;
  ids: string[];
}

const queryValue = fc.oneof(
  unicodeString.map(percentEncode),
  jsonText.map((text) => percentEncode(text.slice(0, 2000))),
  fc.constantFrom(
    '',
    '%',
    '%E0%A4%A',
    '%ED%A0%80@example.com',
    `${percentEncode(VICTIM)}%0D%0ABcc:x`,
  ),
);

/** A query string: the route's own parameters in odd forms, and parameters it does not know. */
function queryString(route: RouteSpec): fc.Arbitrary<string> {
  const own = route.query.map((param) =>
    fc.oneof(
      {
        weight: 3,
        arbitrary: fc.constant(`${param.name}=${percentEncode(String(param.example ?? 'x'))}`),
      },
      { weight: 3, arbitrary: queryValue.map((v) => `${param.name}=${v}`) },
      { weight: 1, arbitrary: fc.constant('') },
      {
        weight: 1,
        arbitrary: fc
          .tuple(queryValue, queryValue)
          .map(([a, b]) => `${param.name}=${a}&${param.name}=${b}`),
      },
      { weight: 1, arbitrary: queryValue.map((v) => `${param.name}[]=${v}`) },
      { weight: 1, arbitrary: queryValue.map((v) => `${param.name}[a][b]=${v}`) },
      { weight: 1, arbitrary: fc.constant(param.name) },
    ),
  );
  const foreign = fc.array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'a[b]', '%', ''),
        unicodeString.map(percentEncode),
      ),
      queryValue,
    ),
    { maxLength: 2 },
  );
  return fc
    .tuple(
      fc.tuple(...own),
      fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: foreign }),
    )
    .map(([mine, theirs]) => {
      const parts = [...mine, ...theirs.map(([k, v]) => `${k}=${v}`)].filter((p) => p !== '');
      return parts.length ? `?${parts.join('&')}` : '';
    });
}

const latin1Header = fc.string({
  unit: fc
    .integer({ min: 0x20, max: 0xff })
    .filter((c) => c !== 0x7f)
    .map((c) => String.fromCharCode(c)),
  maxLength: 60,
});

/** A JWT-looking token: three base64url parts, the middle one any JSON. */
const forgedJwt = fc
  .tuple(
    fc.constantFrom('{"alg":"none"}', '{"alg":"HS256","typ":"JWT"}', '{"alg":"RS256"}', '{}', 'x'),
    jsonText,
    fc.constantFrom('', 'x', 'c2lnbmF0dXJl'),
  )
  .map(
    ([head, payload, signature]) =>
      `${Buffer.from(head).toString('base64url')}.${Buffer.from(payload.slice(0, 3000)).toString('base64url')}.${signature}`,
  );

/** Credentials of every kind: the valid key, none, wrong ones, forged bearer tokens. */
function credentials(apiKey: string): fc.Arbitrary<Record<string, string>> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant({ 'x-api-key': apiKey }) },
    { weight: 2, arbitrary: fc.constant({}) },
    { weight: 1, arbitrary: latin1Header.map((key) => ({ 'x-api-key': key })) },
    { weight: 1, arbitrary: fc.constant({ 'x-api-key': `${apiKey},${apiKey}` }) },
    { weight: 1, arbitrary: fc.constant({ 'x-api-key': 'k'.repeat(6000) }) },
    {
      weight: 2,
      arbitrary: fc
        .oneof(
          forgedJwt.map((token) => `Bearer ${token}`),
          latin1Header.map((value) => `Bearer ${value}`),
          fc.constantFrom('Bearer', 'Bearer ', 'bearer a.b.c', 'Basic dXNlcjpwYXNz', 'Bearer a b'),
        )
        .map((authorization) => ({ authorization })),
    },
  );
}

/** Generated bodies of every shape at every route, sent as JSON. */
export function bodyRequest(
  routes: RouteSpec[],
  { apiKey, ids }: Known,
): fc.Arbitrary<GeneratedRequest> {
  return fc.constantFrom(...routes).chain((route) =>
    fc
      .record({
        id: pathValue(ids),
        query: route.query.length ? queryString(route) : fc.constant(''),
        auth: credentials(apiKey),
        text: bodyText(route.body ?? []),
        bytes: fc.constantFrom<BodyBytes>('utf8', 'utf8', 'utf8', 'utf8', 'invalid-utf8'),
        contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8'),
      })
      .map(({ id, query, auth, text, bytes, contentType }) => ({
        operation: `${route.method} ${route.template}`,
        method: route.method,
        path: fillPath(route, () => id) + query,
        headers: { 'content-type': contentType, ...auth },
        body: { text, bytes },
        expect415: false,
      })),
  );
}

/** Odd paths, query strings, methods and credentials at every route, with or without a body. */
export function pathRequest(
  routes: RouteSpec[],
  { apiKey, ids }: Known,
): fc.Arbitrary<GeneratedRequest> {
  return fc.constantFrom(...routes).chain((route) =>
    fc
      .record({
        id: pathValue(ids),
        query: queryString(route),
        auth: credentials(apiKey),
        method: fc.constantFrom(
          route.method,
          route.method,
          route.method,
          'PUT',
          'POST',
          'DELETE',
          'OPTIONS',
        ),
        body: fc.option(
          fc
            .constant(exampleBody(route.body ?? []))
            .map((text) => ({ text, bytes: 'utf8' as const })),
        ),
        extra: fc.oneof(
          { weight: 4, arbitrary: fc.constant({}) },
          { weight: 1, arbitrary: latin1Header.map((v) => ({ 'user-agent': v })) },
          { weight: 1, arbitrary: latin1Header.map((v) => ({ 'x-forwarded-for': v })) },
          { weight: 1, arbitrary: latin1Header.map((v) => ({ 'accept-language': v })) },
          {
            weight: 1,
            arbitrary: fc.constantFrom({ accept: 'text/csv' }, { accept: 'application/xml' }),
          },
        ),
      })
      .map(({ id, query, auth, method, body, extra }) => ({
        operation: `${route.method} ${route.template}`,
        method,
        path: fillPath(route, () => id) + query,
        headers: {
          ...extra,
          ...auth,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ?? undefined,
        expect415: false,
      })),
  );
}

/** For messages: the request in one line, bodies cut short. */
export function describeRequest(request: GeneratedRequest): string {
  const body = request.body
    ? ` ${request.body.bytes} ${JSON.stringify(request.body.text.slice(0, 300))}${request.body.text.length > 300 ? `… (${request.body.text.length} chars)` : ''}`
    : '';
  return `${request.method} ${request.path.slice(0, 300)} ${JSON.stringify(request.headers).slice(0, 300)}${body}`;
}
