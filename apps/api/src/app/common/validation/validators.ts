import * as checks from 'class-validator';

import { FieldMessageKey, MessageValues } from '../../i18n/api-messages';
import { keyed } from './field-messages';

/**
 * The class-validator decorators the DTOs use, each with its message as a catalog key
 * (field-messages.ts), so a VALIDATION_FAILED answer's `errors` are worded in the request's
 * language. DTOs import checks from here, not from class-validator: field-messages.spec.ts
 * fails on any check without a key. The English catalog keeps class-validator's sentences.
 */
export { IsOptional, ValidateIf } from 'class-validator';

const first = (name: string) => (constraints: readonly unknown[]) =>
  ({ [name]: constraints[0] as number }) satisfies MessageValues;

export const IsString = (): PropertyDecorator => checks.IsString(keyed('field.string'));
export const IsBoolean = (): PropertyDecorator => checks.IsBoolean(keyed('field.boolean'));
export const IsInt = (): PropertyDecorator => checks.IsInt(keyed('field.integer'));
export const IsObject = (): PropertyDecorator => checks.IsObject(keyed('field.object'));
export const IsUUID = (): PropertyDecorator => checks.IsUUID(undefined, keyed('field.uuid'));
export const ValidateNested = (): PropertyDecorator => checks.ValidateNested(keyed('field.nested'));

/** One of `values`, listed in the message as class-validator lists them (`a, b, c`). */
export const IsIn = (values: readonly unknown[]): PropertyDecorator =>
  checks.IsIn(
    values,
    keyed('field.one-of', ([allowed]) => ({ values: (allowed as unknown[]).join(', ') })),
  );

export const Min = (min: number): PropertyDecorator =>
  checks.Min(min, keyed('field.min', first('min')));
export const Max = (max: number): PropertyDecorator =>
  checks.Max(max, keyed('field.max', first('max')));
export const MinLength = (min: number): PropertyDecorator =>
  checks.MinLength(min, keyed('field.min-length', first('min')));
export const MaxLength = (max: number): PropertyDecorator =>
  checks.MaxLength(max, keyed('field.max-length', first('max')));

/** A pattern says nothing to a person: each use names what it means (`field.cursor`). */
export const Matches = (pattern: RegExp, key: FieldMessageKey): PropertyDecorator =>
  checks.Matches(pattern, keyed(key));
