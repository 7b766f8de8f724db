import { ERROR_CODES } from '@account-recovery/contracts';

import { HttpStatus, ValidationError } from '@nestjs/common';

import { ApiException } from './api-exception';

/** Flattens class-validator errors into `{ field: [messages] }` (nested fields dotted). */
export function collectValidationErrors(
  errors: ValidationError[],
  parent = '',
  into: Record<string, string[]> = {},
): Record<string, string[]> {
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) {
      into[field] = [...(into[field] ?? []), ...Object.values(error.constraints)];
    }
    if (error.children?.length) collectValidationErrors(error.children, field, into);
  }
  return into;
}

export function validationExceptionFactory(errors: ValidationError[]): ApiException {
  return new ApiException(
    HttpStatus.BAD_REQUEST,
    ERROR_CODES.VALIDATION_FAILED,
    'The request is not valid.',
    {
      errors: collectValidationErrors(errors),
    },
  );
}
