import { EMAIL_MAX_LENGTH, USERS_PAGE_LIMIT } from '@account-recovery/contracts';

import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';

import { EmailField } from '../../common/validation/email-field';
import { NoControlCharacters } from '../../common/validation/no-control-characters';
import {
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from '../../common/validation/validators';
import { USERS_CURSOR_MAX_LENGTH } from '../users-cursor';

/**
 * `GET /v1/users`: either `email` (exact match, an array, as services have always used it)
 * or `query` with `cursor` and `limit` (a page of a prefix search). Exactly one of the two
 * is required; UserDirectory.find says so (one message for both, naming both fields).
 */
export class FindUsersQuery {
  /** Exact match on the normalised address. */
  @ApiPropertyOptional({
    example: 'jane.doe@example.com',
    maxLength: EMAIL_MAX_LENGTH,
    description: 'Exact match on the normalised address; answers an array of zero or one user',
  })
  @IsOptional()
  @EmailField()
  email?: string;

  @ApiPropertyOptional({
    example: 'jane',
    minLength: 1,
    maxLength: EMAIL_MAX_LENGTH,
    description:
      'Start of an address or of a display name, case-insensitive, taken literally (`%` and `_` are no wildcards); answers a UsersPage',
  })
  @IsOptional()
  // Surrounding spaces are forgiven, as in an address; what remains must be something.
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().normalize('NFKC') : value,
  )
  @IsString()
  @Matches(/\S/, 'field.not-blank')
  @MaxLength(EMAIL_MAX_LENGTH)
  @NoControlCharacters()
  query?: string;

  @ApiPropertyOptional({
    description: 'The nextCursor of the previous page (opaque); with `query` only',
    maxLength: USERS_CURSOR_MAX_LENGTH,
  })
  @IsOptional()
  @IsString()
  @Matches(new RegExp(`^[A-Za-z0-9_-]{1,${USERS_CURSOR_MAX_LENGTH}}$`), 'field.cursor')
  cursor?: string;

  @ApiPropertyOptional({
    type: 'integer',
    description: 'Users per page; with `query` only',
    minimum: 1,
    maximum: USERS_PAGE_LIMIT.max,
    default: USERS_PAGE_LIMIT.default,
  })
  @IsOptional()
  // Query values are strings; "abc" becomes NaN and fails IsInt.
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(USERS_PAGE_LIMIT.max)
  limit?: number;
}
