import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, ValidationArguments } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

import { apiMessages } from '../../i18n/api-messages';
import { collectValidationErrors } from '../http/validation-exception.factory';
import { decodeFieldMessage, encodeFieldMessage } from './field-messages';
import { IsIn, IsString, MaxLength } from './validators';

const APP_DIR = join(__dirname, '..', '..');

/** Every source file of the API that declares a class-validator check. */
function filesWithChecks(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesWithChecks(path);
    if (!entry.name.endsWith('.ts') || entry.name.endsWith('.spec.ts')) return [];
    return /from '(class-validator|[./]+(common\/validation\/)?validators)'/.test(
      readFileSync(path, 'utf-8'),
    )
      ? [path]
      : [];
  });
}

/** Checks that carry no message of their own: conditions, and class-validator's whitelist. */
const NO_MESSAGE = new Set(['conditionalValidation', 'isDefined', 'whitelistValidation']);

/** What class-validator would say when this check fails. */
function messageOf(metadata: ValidationMetadata): string {
  const args: ValidationArguments = {
    value: undefined,
    constraints: metadata.constraints ?? [],
    targetName: '',
    object: {},
    property: metadata.propertyName,
  };
  if (typeof metadata.message === 'function') return metadata.message(args);
  if (typeof metadata.message === 'string') return metadata.message;
  const [constraint] = getMetadataStorage().getTargetValidatorConstraints(metadata.constraintCls);
  return constraint?.instance.defaultMessage?.(args) ?? '';
}

describe('keyed field messages', () => {
  it('should read back what they write, `$` included', () => {
    const message = { key: 'field.one-of', values: { field: 'a', values: '$value, $property' } };
    const text = encodeFieldMessage(message as never);
    expect(text).not.toContain('$');
    expect(decodeFieldMessage(text)).toEqual(message);
    expect(decodeFieldMessage('name must be a string')).toBeNull();
  });

  it('should be what every check of every DTO says, so no field error stays English', () => {
    const files = filesWithChecks(APP_DIR);
    expect(files.length).toBeGreaterThan(10);
    // Loading the files declares their classes' checks.
    for (const file of files) require(file);
    const checks = [...getMetadataStorage()['validationMetadatas'].values()]
      .flat()
      .filter((metadata) => !NO_MESSAGE.has(metadata.type));
    expect(checks.length).toBeGreaterThan(50);
    const unkeyed = checks
      .filter((metadata) => decodeFieldMessage(messageOf(metadata)) === null)
      .map((m) => `${(m.target as { name?: string }).name}.${m.propertyName}: ${m.name ?? m.type}`);
    expect(unkeyed).toEqual([]);
  });

  describe('from a DTO to the answer', () => {
    class Probe {
      @IsString()
      @MaxLength(3)
      code!: string;

      @IsIn(['day', 'hour'])
      interval!: string;
    }

    const errors = collectValidationErrors(
      validateSync(plainToInstance(Probe, { code: 'abcd', interval: 'week', extra: 1 }), {
        whitelist: true,
        forbidNonWhitelisted: true,
      }),
    );

    it('should key each failed check with its field and limits', () => {
      expect(errors).toEqual({
        code: [{ key: 'field.max-length', values: { field: 'code', max: 3 } }],
        interval: [{ key: 'field.one-of', values: { field: 'interval', values: 'day, hour' } }],
        extra: [{ key: 'field.not-allowed', values: { field: 'extra' } }],
      });
    });

    it('should say in English what class-validator says, and in each locale its own', () => {
      const say = (locale: 'en' | 'de' | 'ja', field: keyof typeof errors) =>
        errors[field].map((message) => apiMessages().render(locale, message));
      expect(say('en', 'code')).toEqual(['code must be shorter than or equal to 3 characters']);
      expect(say('en', 'interval')).toEqual([
        'interval must be one of the following values: day, hour',
      ]);
      expect(say('en', 'extra')).toEqual(['property extra should not exist']);
      expect(say('de', 'code')).toEqual(['„code“ darf höchstens 3 Zeichen lang sein']);
      expect(say('ja', 'extra')).toEqual(['プロパティ「extra」は使用できません']);
    });
  });
});
