import { plainToInstance } from 'class-transformer';
import { IsString, validate, ValidateNested, ValidatorOptions } from 'class-validator';

import { apiDtoClasses, dtoProperties, seededRandom } from './dto-corpus.testing';
import { FlatDtoValidator } from './flat-dto-validator';

/** The options configure-app.ts gives the ValidationPipe (which adds the target: false). */
const PIPE_OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
};

// Valid values for the API's fields, and values that break one rule or another.
const VALUES: unknown[] = [
  'jane.doe@example.com',
  ' Jane.Doe@Example.COM ',
  'not an address',
  'A'.repeat(43),
  'A'.repeat(42),
  'a long enough passphrase',
  'short',
  'Jane Doe',
  'Jane\u202eDoe',
  'x'.repeat(300),
  '',
  true,
  false,
  0,
  42,
  null,
  undefined,
  ['jane.doe@example.com'],
  { $ne: null },
];

describe('FlatDtoValidator', () => {
  const validator = new FlatDtoValidator();
  const classes = apiDtoClasses();

  it('should answer exactly as class-validator on every DTO of the API, often without it', async () => {
    const next = seededRandom(11);
    const disagreements: string[] = [];
    let shortWay = 0;
    let invalid = 0;
    for (const cls of classes) {
      const properties = dtoProperties(cls);
      for (let i = 0; i < 20_000 / classes.length; i++) {
        const body: Record<string, unknown> = {};
        for (const property of properties) {
          if (next() < 0.9) body[property] = VALUES[Math.floor(next() * VALUES.length)];
        }
        if (next() < 0.05) body.isAdmin = true;
        const answer = validator.validate(plainToInstance(cls, { ...body }), PIPE_OPTIONS);
        if (Array.isArray(answer)) shortWay++;
        const ours = await answer;
        const theirs = await validate(plainToInstance(cls, { ...body }) as object, PIPE_OPTIONS);
        if (theirs.length > 0) invalid++;
        if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
          disagreements.push(`${cls.name} ${JSON.stringify(body)}`);
        }
      }
    }
    expect(disagreements.slice(0, 5)).toEqual([]);
    // Both answers must be common, or agreeing would prove little.
    expect(shortWay).toBeGreaterThan(1_000);
    expect(invalid).toBeGreaterThan(1_000);
  });

  it('should leave nested DTOs and groups to class-validator', async () => {
    class Inner {
      @IsString()
      name!: unknown;
    }
    class Outer {
      @ValidateNested()
      inner!: Inner;
    }
    const outer = plainToInstance(Outer, {});
    outer.inner = Object.assign(new Inner(), { name: 1 });
    expect(validator.validate(outer, PIPE_OPTIONS)).toBeInstanceOf(Promise);
    const errors = await validator.validate(outer, PIPE_OPTIONS);
    expect(errors[0]?.children?.[0]?.constraints).toHaveProperty('isString');
    const inner = Object.assign(new Inner(), { name: 'x' });
    expect(validator.validate(inner, { ...PIPE_OPTIONS, groups: ['admin'] })).toBeInstanceOf(
      Promise,
    );
  });
});
