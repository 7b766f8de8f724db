import { ValidationError } from '@nestjs/common';

import { ApiMessage } from '../../i18n/api-messages';
import { decodeFieldMessage } from '../validation/field-messages';
import { ApiException, FieldErrors } from './api-exception';

/**
 * The keyed message of one failed check. The DTOs' checks carry keys (validators.ts); what
 * class-validator says on its own is keyed here by its constraint's name: an unknown property
 * (`forbidNonWhitelisted`), a body that is no object (`forbidUnknownValues`). Any other
 * sentence, from a check added without a key, becomes the catalog's "not valid" rather than
 * English in every language (field-messages.spec.ts fails on such a check).
 */
export function fieldMessageOf(constraint: string, text: string, field: string): ApiMessage {
  const keyed = decodeFieldMessage(text);
  if (keyed) return keyed;
  switch (constraint) {
    case 'whitelistValidation':
      return { key: 'field.not-allowed', values: { field } };
    case 'unknownValue':
      return { key: 'field.unknown-value' };
    case 'nestedValidation':
      return { key: 'field.nested', values: { field } };
    default:
      return { key: 'field.invalid', values: { field } };
  }
}

/** Flattens class-validator errors into `{ field: [messages] }` (nested fields dotted). */
export function collectValidationErrors(
  errors: ValidationError[],
  parent = '',
  into: FieldErrors = {},
): FieldErrors {
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) {
      const messages = Object.entries(error.constraints).map(([constraint, text]) =>
        fieldMessageOf(constraint, text, error.property),
      );
      into[field] = [...(into[field] ?? []), ...messages];
    }
    if (error.children?.length) collectValidationErrors(error.children, field, into);
  }
  return into;
}

export function validationExceptionFactory(errors: ValidationError[]): ApiException {
  return ApiException.validation(collectValidationErrors(errors));
}
