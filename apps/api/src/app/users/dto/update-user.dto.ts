import {
  DISPLAY_NAME_MAX_LENGTH,
  EMAIL_MAX_LENGTH,
  Locale,
  LOCALES,
  UpdateUserRequest,
} from '@account-recovery/contracts';

import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';

import { EmailField } from '../../common/validation/email-field';
import { NoControlCharacters } from '../../common/validation/no-control-characters';

export class UpdateUserDto implements UpdateUserRequest {
  @ApiPropertyOptional({
    example: 'jane.doe@example.com',
    maxLength: EMAIL_MAX_LENGTH,
    description:
      'A new sign-in address: every outstanding link is revoked and the old address is told',
  })
  @IsOptional()
  @EmailField()
  email?: string;

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
    description: "The language of the person's emails; null clears it",
  })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @IsIn(LOCALES)
  locale?: Locale | null;
}
