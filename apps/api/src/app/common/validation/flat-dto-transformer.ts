import type { TransformerPackage } from '@nestjs/common/interfaces/external/transformer-package.interface';
import {
  ClassConstructor,
  classToPlain,
  ClassTransformOptions,
  plainToInstance,
  TransformationType,
  TransformFnParams,
} from 'class-transformer';
import { defaultOptions } from 'class-transformer/cjs/constants/default-options.constant';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage } from 'class-validator';

type TransformFn = (params: TransformFnParams) => unknown;

/** How to build one DTO class from a flat body: its properties and their @Transform functions. */
interface Plan {
  transforms: Map<string, TransformFn[]>;
}

/**
 * class-transformer for the ValidationPipe, with a short way for the common case: a DTO whose
 * only class-transformer decorators are @Transform, and a body that is one flat JSON object of
 * that DTO's properties with primitive values (`{ "email": "..." }`). There the result is
 * `new Dto()` with each property copied through its @Transform functions, which is what
 * class-transformer computes after looking up exposure, exclusion, type and transform
 * metadata for every key on every call (~8 µs of API CPU per forgot-password request).
 * Anything else (options, arrays, nested values, unknown keys, accessors, @Type/@Expose/
 * @Exclude) goes to class-transformer itself. flat-dto-transformer.spec.ts checks the two
 * agree on every DTO of the API.
 */
export class FlatDtoTransformer implements TransformerPackage {
  private readonly plans = new Map<ClassConstructor<unknown>, Plan | null>();

  plainToInstance<T>(
    cls: ClassConstructor<T>,
    plain: unknown,
    options?: ClassTransformOptions,
  ): T | T[] {
    if (options === undefined && isPlainObject(plain)) {
      const plan = this.planFor(cls);
      if (plan && fitsPlan(plain, plan)) return build(cls, plain, plan);
    }
    return plainToInstance(cls, plain, options);
  }

  classToPlain(
    object: unknown,
    options?: ClassTransformOptions,
  ): Record<string, unknown> | Record<string, unknown>[] {
    return classToPlain(object, options);
  }

  private planFor(cls: ClassConstructor<unknown>): Plan | null {
    let plan = this.plans.get(cls);
    if (plan === undefined) {
      plan = makePlan(cls);
      this.plans.set(cls, plan);
    }
    return plan;
  }
}

/** The plan for `cls`, or null when class-transformer must do it (see FlatDtoTransformer). */
function makePlan(cls: ClassConstructor<unknown>): Plan | null {
  const toClass = TransformationType.PLAIN_TO_CLASS;
  if (
    defaultMetadataStorage.getStrategy(cls) !== 'none' ||
    defaultMetadataStorage.getExposedProperties(cls, toClass).length > 0 ||
    defaultMetadataStorage.getExcludedProperties(cls, toClass).length > 0
  ) {
    return null;
  }
  // The properties with validation rules: the keys the whitelisting ValidationPipe lets through.
  // A body with any other key is refused anyway, and class-transformer builds that one.
  const properties = new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(cls, '', true, false)
      .map((metadata) => metadata.propertyName),
  );
  const sample = new cls() as Record<string, unknown>;
  const transforms = new Map<string, TransformFn[]>();
  for (const property of properties) {
    if (property === '__proto__' || property === 'constructor') return null;
    if (defaultMetadataStorage.findTypeMetadata(cls, property)) return null;
    // class-transformer leaves accessors without a setter and methods alone: such a DTO
    // takes the long way rather than a copy of that rule.
    if (
      Object.getOwnPropertyDescriptor(cls.prototype, property) ||
      sample[property] instanceof Function
    ) {
      return null;
    }
    const fns = defaultMetadataStorage
      .findTransformMetadatas(cls, property, toClass)
      .filter((metadata) => !metadata.options?.groups?.length)
      .map((metadata) => metadata.transformFn);
    transforms.set(property, fns);
  }
  return { transforms };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Every key is a property of the DTO and every value a JSON primitive. */
function fitsPlan(plain: Record<string, unknown>, plan: Plan): boolean {
  for (const key in plain) {
    if (!Object.prototype.hasOwnProperty.call(plain, key)) return false;
    if (!plan.transforms.has(key)) return false;
    const value = plain[key];
    if (value !== null && typeof value === 'object') return false;
    if (typeof value === 'function') return false;
  }
  return true;
}

function build<T>(cls: ClassConstructor<T>, plain: Record<string, unknown>, plan: Plan): T {
  const instance = new cls() as Record<string, unknown>;
  for (const key of Object.keys(plain)) {
    let value = plain[key];
    for (const transform of plan.transforms.get(key) ?? []) {
      value = transform({
        value,
        key,
        obj: plain,
        type: TransformationType.PLAIN_TO_CLASS,
        // What class-transformer hands a @Transform function when given no options.
        options: defaultOptions,
      });
    }
    instance[key] = value;
  }
  return instance as T;
}
