import { EMAIL_MAX_LENGTH } from '@account-recovery/contracts';

import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, MaxLength } from 'class-validator';

import { IsEmailAddress } from './email-address';
import { NoControlCharacters } from './no-control-characters';

/**
 * An email address field: one string (arrays and objects are refused, GitLab
 * CVE-2023-7028), no control characters, a syntactically valid address. Surrounding
 * spaces are tolerated here and removed by normalisation.
 */
export function EmailField(): PropertyDecorator {
  return applyDecorators(
    // Surrounding spaces are forgiven; CR/LF are not (they stay and fail the control check).
    // NFKC first, so the address is checked in the form it is stored in (a fullwidth ＠
    // becomes @ and must then still make one valid address).
    // Non-strings pass through untouched and fail IsString.
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? value.replace(/^ +| +$/g, '').normalize('NFKC') : value,
    ),
    ApiProperty({ example: 'jane.doe@example.com', maxLength: EMAIL_MAX_LENGTH }),
    IsString(),
    MaxLength(EMAIL_MAX_LENGTH),
    NoControlCharacters(),
    IsEmailAddress({ message: 'email must be an email address' }),
  );
}
