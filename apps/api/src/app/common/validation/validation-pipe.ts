import { ValidationPipe } from '@nestjs/common';

import { validationExceptionFactory } from '../http/validation-exception.factory';

/**
 * The one request validation of the API: class-transformer builds the DTO, class-validator
 * checks it, unknown properties are refused, and the errors take the contract's
 * VALIDATION_FAILED shape. The global pipe and the fallback of schema-checked bodies
 * (schema-checked-body.ts) are both this, so a body gets the same answer on either path.
 */
export function requestValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    // Handlers receive the DTO as validated (trimmed addresses), not the raw body.
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: validationExceptionFactory,
  });
}
