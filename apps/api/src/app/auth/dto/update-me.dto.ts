import {
  DISPLAY_NAME_MAX_LENGTH,
  Locale,
  LOCALES,
  UpdateMeRequest,
} from '@account-recovery/contracts';

import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';

import { NoControlCharacters } from '../../common/validation/no-control-characters';

/** `PATCH /v1/auth/me`: the person's own name and language; null clears either. */
export class UpdateMeDto implements UpdateMeRequest {
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'Jane Doe',
    maxLength: DISPLAY_NAME_MAX_LENGTH,
  })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(DISPLAY_NAME_MAX_LENGTH)
  @NoControlCharacters()
  displayName?: string | null;

  @ApiPropertyOptional({
    enum: LOCALES,
    nullable: true,
    description: 'The language of your emails; null: the language your browser asks for',
  })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsIn(LOCALES)
  locale?: Locale | null;
}
