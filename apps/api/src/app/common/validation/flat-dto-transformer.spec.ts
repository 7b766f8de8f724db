import { plainToInstance, Transform, Type } from 'class-transformer';
import { IsString, ValidateNested } from 'class-validator';

import { apiDtoClasses, dtoProperties, seededRandom } from './dto-corpus.testing';
import { FlatDtoTransformer } from './flat-dto-transformer';

const VALUES: unknown[] = [
  ' Jane.Doe@Example.COM ',
  'ｊａｎｅ＠example.com',
  '',
  'a long enough passphrase',
  0,
  42.5,
  true,
  false,
  null,
  undefined,
  ['x'],
  { nested: 'x' },
  [],
];
const EXTRA_KEYS = ['isAdmin', 'toString', 'constructor', 'hasOwnProperty', 'valueOf'];

function randomBody(next: () => number, properties: string[]): Record<string, unknown> {
  const keys = [...properties, ...EXTRA_KEYS];
  const body: Record<string, unknown> = next() < 0.2 ? Object.create(null) : {};
  const count = Math.floor(next() * 4);
  for (let i = 0; i < count; i++) {
    // Mostly the DTO's own properties, so the short way is taken often.
    const key =
      next() < 0.8
        ? properties[Math.floor(next() * properties.length)]
        : keys[Math.floor(next() * keys.length)];
    body[key] = VALUES[Math.floor(next() * VALUES.length)];
  }
  return body;
}

/**
 * Class, own keys and values: what the validator and the handler see; and whether an object
 * value is the body's own (class-transformer copies nested values).
 */
function shape(instance: unknown, body: Record<string, unknown>): unknown {
  const object = instance as Record<string, unknown>;
  return {
    class: (Object.getPrototypeOf(object) as { constructor: { name: string } }).constructor.name,
    own: Object.keys(object).map((key) => [
      key,
      object[key],
      typeof object[key] === 'object' && object[key] !== null && object[key] === body[key],
    ]),
  };
}

describe('FlatDtoTransformer', () => {
  const transformer = new FlatDtoTransformer();
  const classes = apiDtoClasses();

  it('should find the DTOs of the API', () => {
    const names = classes.map((cls) => cls.name);
    expect(names).toEqual(expect.arrayContaining(['ForgotPasswordDto', 'ResetPasswordDto']));
    expect(names.length).toBeGreaterThanOrEqual(8);
  });

  it('should build a forgot-password body the way class-transformer does, trimmed and NFKC', () => {
    const ForgotPasswordDto = classes.find((cls) => cls.name === 'ForgotPasswordDto');
    if (!ForgotPasswordDto) throw new Error('ForgotPasswordDto not found');
    const built = transformer.plainToInstance(ForgotPasswordDto, {
      email: ' ｊａｎｅ@example.com ',
    });
    expect(built).toBeInstanceOf(ForgotPasswordDto);
    expect(built).toEqual(plainToInstance(ForgotPasswordDto, { email: ' ｊａｎｅ@example.com ' }));
    expect((built as { email: string }).email).toBe('jane@example.com');
  });

  it('should agree with class-transformer on every DTO of the API for 20,000 random bodies', () => {
    const next = seededRandom(7);
    const disagreements: string[] = [];
    for (const cls of classes) {
      const properties = dtoProperties(cls);
      for (let i = 0; i < 20_000 / classes.length; i++) {
        const body = randomBody(next, properties);
        const copy = Object.assign(Object.create(Object.getPrototypeOf(body) as object), body);
        const ours = shape(transformer.plainToInstance(cls, body), body);
        const theirs = shape(plainToInstance(cls, copy), copy);
        if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
          disagreements.push(`${cls.name} ${JSON.stringify(body)}`);
        }
      }
    }
    expect(disagreements.slice(0, 5)).toEqual([]);
  });

  it('should leave nested DTOs, arrays and options to class-transformer', () => {
    class Inner {
      @IsString()
      @Transform(({ value }: { value: unknown }) => `inner:${String(value)}`)
      name!: string;
    }
    class Outer {
      @ValidateNested()
      @Type(() => Inner)
      inner!: Inner;
    }
    const built = transformer.plainToInstance(Outer, { inner: { name: 'x' } }) as Outer;
    expect(built.inner).toBeInstanceOf(Inner);
    expect(built.inner.name).toBe('inner:x');
    const list = transformer.plainToInstance(Inner, [{ name: 'a' }]) as Inner[];
    expect(list[0]).toBeInstanceOf(Inner);
    const grouped = transformer.plainToInstance(Inner, { name: 'a' }, { groups: ['admin'] });
    expect(grouped).toEqual(plainToInstance(Inner, { name: 'a' }, { groups: ['admin'] }));
  });
});
