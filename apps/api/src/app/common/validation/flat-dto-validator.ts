import type { ValidatorPackage } from '@nestjs/common/interfaces/external/validator-package.interface';
import {
  getMetadataStorage,
  validate,
  ValidationArguments,
  ValidationError,
  ValidationTypes,
  ValidatorConstraintInterface,
  ValidatorOptions,
} from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

/** One property's rules, in class-validator's order: conditions, then checks. */
interface PropertyPlan {
  name: string;
  conditions: ((object: object, value: unknown) => boolean)[];
  checks: { metadata: ValidationMetadata; constraints: ValidatorConstraintInterface[] }[];
}

/** A DTO class, as class-validator finds it: the constructor of the object it checks. */
type DtoClass = abstract new (...args: never[]) => unknown;

type Plan = { properties: PropertyPlan[]; names: Set<string> } | null;

/**
 * class-validator for the ValidationPipe, with a short way to say "valid": for a DTO whose
 * rules are all synchronous property checks (no nested DTOs, no `each`, no groups), an
 * instance whose keys are all DTO properties and that passes every check gets no errors
 * without class-validator's executor (which groups the class's metadata and builds an error
 * object per property on every call: ~5 µs of API CPU per forgot-password request). Any
 * failing, unusual or asynchronous check, unknown key or option goes to class-validator, so
 * every error, and every message in it, is class-validator's own. This can only say "valid"
 * where class-validator would: flat-dto-validator.spec.ts checks it on every DTO of the API.
 */
export class FlatDtoValidator implements ValidatorPackage {
  private readonly plans = new Map<DtoClass, Plan>();

  validate(
    object: unknown,
    options?: ValidatorOptions,
  ): ValidationError[] | Promise<ValidationError[]> {
    if (plainOptions(options) && typeof object === 'object' && object !== null) {
      const plan = this.planFor(object.constructor as DtoClass);
      if (plan && passes(object as Record<string, unknown>, plan)) return [];
    }
    return validate(object as object, options);
  }

  private planFor(cls: DtoClass): Plan {
    let plan = this.plans.get(cls);
    if (plan === undefined) {
      plan = makePlan(cls);
      this.plans.set(cls, plan);
    }
    return plan;
  }
}

/** Options that change what is checked (groups, skipping, `always`) go to class-validator. */
function plainOptions(options: ValidatorOptions | undefined): boolean {
  return (
    !options?.groups?.length &&
    !options?.always &&
    !options?.strictGroups &&
    !options?.skipMissingProperties &&
    !options?.skipNullProperties &&
    !options?.skipUndefinedProperties
  );
}

function makePlan(cls: DtoClass): Plan {
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(cls, '', false, false);
  if (metadatas.length === 0) return null;
  const byName = new Map<string, PropertyPlan>();
  for (const metadata of metadatas) {
    if (metadata.each || metadata.groups?.length) return null;
    const name = metadata.propertyName;
    let property = byName.get(name);
    if (!property) {
      property = { name, conditions: [], checks: [] };
      byName.set(name, property);
    }
    switch (metadata.type) {
      case ValidationTypes.WHITELIST:
        break;
      case ValidationTypes.CONDITIONAL_VALIDATION:
        property.conditions.push(
          metadata.constraints[0] as (object: object, value: unknown) => boolean,
        );
        break;
      case ValidationTypes.IS_DEFINED:
      case ValidationTypes.CUSTOM_VALIDATION: {
        const constraints = storage.getTargetValidatorConstraints(metadata.constraintCls);
        if (constraints.some((constraint) => constraint.async)) return null;
        property.checks.push({
          metadata,
          constraints: constraints.map((constraint) => constraint.instance),
        });
        break;
      }
      default:
        return null; // nested and promise validation
    }
  }
  return { properties: [...byName.values()], names: new Set(byName.keys()) };
}

function passes(object: Record<string, unknown>, plan: NonNullable<Plan>): boolean {
  for (const key of Object.keys(object)) if (!plan.names.has(key)) return false;
  for (const property of plan.properties) {
    const value = object[property.name];
    if (!property.conditions.every((condition) => condition(object, value))) continue;
    for (const { metadata, constraints } of property.checks) {
      if (metadata.validateIf && !metadata.validateIf(object, value)) continue;
      const args: ValidationArguments = {
        targetName: object.constructor.name,
        property: property.name,
        object,
        value,
        constraints: metadata.constraints,
      };
      for (const constraint of constraints) {
        if (constraint.validate(value, args) !== true) return false;
      }
    }
  }
  return true;
}
