import fc from 'fast-check';

import type { FieldSpec } from './openapi-routes';

/** The API's body limit (main.ts): generated bodies go up to it and past it. */
export const BODY_LIMIT_BYTES = 16 * 1024;

/** Someone the suite seeds and no request may ever mail, however it is shaped. */
export const VICTIM = 'victim@example.com';

/** Keys that mean something to JavaScript objects or to prototype pollution. */
const OBJECT_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  '__defineGetter__',
  'then',
  'length',
  '0',
  '',
];

const SPECIAL_CHARACTERS = [
  '\u0000',
  '\u0007',
  '\r\n',
  '\u2028',
  '\u202e', // right-to-left override
  '\u200f', // right-to-left mark
  '\u200b',
  '\ufeff',
  '\ufffd',
  '\u0301', // a combining accent with nothing to combine with
  '\uff20', // fullwidth @, an @ once NFKC-normalised
  '\ufb01', // a ligature NFKC expands
  '\u{1F600}',
  '\u{1F469}\u200d\u{1F469}\u200d\u{1F467}',
  '\u{10FFFF}',
  '"',
  '\\',
  '@',
  '%',
  '\t',
];

/** Half of a surrogate pair on its own: not well-formed UTF-16 (JSON carries it as `\ud800`). */
const loneSurrogate = fc
  .integer({ min: 0xd800, max: 0xdfff })
  .map((unit) => String.fromCharCode(unit));

const character = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 4, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: loneSurrogate },
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL_CHARACTERS) },
);

/** Unicode text of every kind: any code point, lone surrogates, NUL, RTL marks, emoji. */
export const unicodeString = fc.string({ unit: character, maxLength: 40 });

/** A long run of one character, up to past the body limit in UTF-8 bytes. */
const longString = fc
  .tuple(
    fc.integer({ min: 200, max: BODY_LIMIT_BYTES + 512 }),
    fc.constantFrom('x', 'é', '😀', '\u0000'),
  )
  .map(([bytes, char]) => char.repeat(Math.max(1, Math.floor(bytes / Buffer.byteLength(char)))));

/** Numbers as JSON text: past double range, past safe integers, negative zero, exponents. */
const numberText = fc.oneof(
  fc.constantFrom(
    '1e309',
    '-1e309',
    '1e-400',
    '-0',
    '9007199254740993',
    '123456789012345678901234567890123456789',
    '1.7976931348623157e308',
    '5e-324',
    '1E+2',
    '0.1',
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
  fc.integer().map(String),
);

/** Strings that look like the right thing with something wrong inside. */
const hostileString = fc.constantFrom(
  `${VICTIM}\r\nBcc: attacker@example.com`,
  `${VICTIM}\u0000attacker@example.com`,
  `${VICTIM},attacker@example.com`,
  `"${VICTIM}"`,
  `\u202e${VICTIM}`,
  `victim\uff20evil.example@example.com`,
  `\ud800${VICTIM}`,
  "' OR '1'='1' --",
  '{{constructor.constructor("return process")()}}',
  '${7*7}',
  '00000000-0000-0000-0000-000000000000',
  'true',
  'null',
  '',
  ' ',
);

const stringText = fc
  .oneof(
    { weight: 4, arbitrary: unicodeString },
    { weight: 1, arbitrary: longString },
    { weight: 2, arbitrary: hostileString },
  )
  .map((text) => JSON.stringify(text));

/** An object as JSON text, written by hand so `__proto__` and repeated keys reach the wire. */
function objectText(keys: fc.Arbitrary<string>, values: fc.Arbitrary<string>, maxKeys = 6) {
  return fc
    .array(fc.tuple(keys, values), { maxLength: maxKeys })
    .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`);
}

/** Nesting up to and past what fits in the body limit: `[[[…]]]` or `{"a":{"a":…}}`. */
const deepText = fc
  .tuple(
    fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 64, max: 9000 })),
    fc.constantFrom(['[', ']'], ['{"a":', '}'], ['[{"a":', '}]']),
    fc.constantFrom('1', 'null', '"x"', '{}', '[]'),
  )
  .map(([depth, [open, close], leaf]) => open.repeat(depth) + leaf + close.repeat(depth));

/** Any JSON value as text, of any shape and depth, with hostile strings and odd numbers. */
export const jsonText: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 4, withCrossShrink: true },
    { weight: 3, arbitrary: fc.constantFrom('null', 'true', 'false', '0', '""', '[]', '{}') },
    { weight: 3, arbitrary: stringText },
    { weight: 2, arbitrary: numberText },
    {
      weight: 2,
      arbitrary: fc
        .jsonValue({ maxDepth: 4, stringUnit: character })
        .map((value) => JSON.stringify(value)),
    },
    { weight: 1, arbitrary: deepText },
    {
      weight: 2,
      arbitrary: fc.array(tie('value'), { maxLength: 5 }).map((items) => `[${items.join(',')}]`),
    },
    {
      weight: 2,
      arbitrary: objectText(fc.oneof(fc.constantFrom(...OBJECT_KEYS), unicodeString), tie('value')),
    },
  ),
})).value;

/** The field's own example (so other fields get past validation), or a wrong value. */
function fieldValueText(field: FieldSpec): fc.Arbitrary<string> {
  const example =
    field.example !== undefined
      ? fc.constant(JSON.stringify(field.example))
      : fc.constant(field.type === 'boolean' ? 'true' : field.type === 'number' ? '1' : '"x"');
  return fc.oneof({ weight: 2, arbitrary: example }, { weight: 3, arbitrary: jsonText });
}

/** An object with the DTO's field names holding anything, plus sometimes keys it does not know. */
function dtoShapedText(fields: FieldSpec[]): fc.Arbitrary<string> {
  if (fields.length === 0) return objectText(fc.constantFrom(...OBJECT_KEYS), jsonText);
  const entries = fc.tuple(
    ...fields.map((field) =>
      fc
        .option(fieldValueText(field), { freq: 4 })
        .map((v) => (v === null ? [] : [[field.name, v]])),
    ),
  );
  const extras = fc.array(
    fc.tuple(fc.oneof(fc.constantFrom(...OBJECT_KEYS), unicodeString), jsonText),
    { maxLength: 2 },
  );
  return fc
    .tuple(
      entries,
      fc.oneof({ weight: 4, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: extras }),
    )
    .map(([own, extra]) => {
      const all = [...own.flat(), ...extra] as [string, string][];
      return `{${all.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
    });
}

/** A body padded to just under or just over the limit, still well-formed JSON. */
function nearLimitText(fields: FieldSpec[]): fc.Arbitrary<string> {
  const field = fields[0]?.name ?? 'pad';
  return fc
    .tuple(fc.integer({ min: -256, max: 256 }), fc.boolean())
    .map(([offset, asWhitespace]) => {
      const size = Math.max(0, BODY_LIMIT_BYTES + offset - field.length - 8);
      return asWhitespace
        ? `{${JSON.stringify(field)}:"x"${' '.repeat(size)}}`
        : `{${JSON.stringify(field)}:"${'x'.repeat(size)}"}`;
    });
}

/** Text that is not JSON at all, or almost JSON. */
const invalidJsonText = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '{',
    '{"email":',
    "{'email':'a@example.com'}",
    '{"a":1,}',
    '[1,]',
    '{"a":1}{"b":2}',
    'NaN',
    'Infinity',
    'undefined',
    '\ufeff{}',
    '{"a":"\u0000"}', // a raw control character inside a string
    '{"a":1e}',
    '{"a":0x10}',
    '{"__proto__":{"isAdmin":true}}',
    '{"constructor":{"prototype":{"isAdmin":true}}}',
    'email=a%40example.com',
    '<email>a@example.com</email>',
  ),
  unicodeString,
  jsonText.chain((text) =>
    fc.nat({ max: Math.max(0, text.length - 1) }).map((cut) => text.slice(0, cut)),
  ),
);

/** Every kind of body the suite sends as JSON, for a route with these fields. */
export function bodyText(fields: FieldSpec[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: dtoShapedText(fields) },
    { weight: 4, arbitrary: jsonText },
    { weight: 1, arbitrary: nearLimitText(fields) },
    { weight: 2, arbitrary: invalidJsonText },
    { weight: 1, arbitrary: deepText },
  );
}

/** A well-formed body for a route: every field its example (for the header variants). */
export function exampleBody(fields: FieldSpec[]): string {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    body[field.name] = field.example ?? (field.type === 'boolean' ? true : 'x');
  }
  return JSON.stringify(body);
}
