import { DISPLAY_NAME_MAX_LENGTH, LOCALES } from '@account-recovery/contracts';

import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';

import { NoControlCharacters } from './no-control-characters';
import { IsIn, IsString, MaxLength, MinLength, ValidateIf } from './validators';

/** Checked only when given and not null: absent keeps the value, null clears it. */
function unlessAbsentOrNull(): PropertyDecorator {
  return ValidateIf((_: unknown, value: unknown) => value !== null && value !== undefined);
}

/** A display name a PATCH may change or clear (null). */
export function NullableDisplayNameField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: String,
      nullable: true,
      example: 'Jane Doe',
      maxLength: DISPLAY_NAME_MAX_LENGTH,
    }),
    unlessAbsentOrNull(),
    IsString(),
    MinLength(1),
    MaxLength(DISPLAY_NAME_MAX_LENGTH),
    NoControlCharacters(),
  );
}

/** A shipped locale a PATCH may change or clear (null); `description` says what null means. */
export function NullableLocaleField(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ enum: LOCALES, nullable: true, description }),
    unlessAbsentOrNull(),
    IsIn(LOCALES),
  );
}
