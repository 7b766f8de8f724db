import { EMAIL_MAX_LENGTH } from '@account-recovery/contracts';

import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { matches, maxLength } from 'class-validator';

import { isEmailAddress, IsEmailAddress } from './email-address';
import { NO_CONTROL_CHARACTERS, NoControlCharacters } from './no-control-characters';
import { IsString, MaxLength } from './validators';

/**
 * What an email field keeps of the string it was sent. Surrounding spaces are forgiven;
 * CR/LF are not (they stay and fail the control check). NFKC first, so the address is
 * checked in the form it is stored in (a fullwidth ＠ becomes @ and must then still make one
 * valid address).
 */
export function normaliseEmailInput(value: string): string {
  return value.replace(/^ +| +$/g, '').normalize('NFKC');
}

/**
 * An email address field: one string (arrays and objects are refused, GitLab
 * CVE-2023-7028), no control characters, a syntactically valid address. Surrounding
 * spaces are tolerated here and removed by normalisation.
 */
export function EmailField(): PropertyDecorator {
  return applyDecorators(
    // Non-strings pass through untouched and fail IsString.
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? normaliseEmailInput(value) : value,
    ),
    ApiProperty({ example: 'jane.doe@example.com', maxLength: EMAIL_MAX_LENGTH }),
    IsString(),
    MaxLength(EMAIL_MAX_LENGTH),
    NoControlCharacters(),
    IsEmailAddress(),
  );
}

/**
 * Whether EmailField accepts this string, by the same class-validator checks its decorators
 * run on the normalised value, without building a DTO: the format of a route's compiled
 * JSON schema (common/validation/schema-checked-body.ts).
 */
export function isEmailFieldInput(value: string): boolean {
  const normalised = normaliseEmailInput(value);
  return (
    maxLength(normalised, EMAIL_MAX_LENGTH) &&
    matches(normalised, NO_CONTROL_CHARACTERS) &&
    isEmailAddress(normalised)
  );
}
