import {
  CreateUserRequest,
  DISPLAY_NAME_MAX_LENGTH,
  Locale,
  LOCALES,
} from '@account-recovery/contracts';

import { ApiPropertyOptional } from '@nestjs/swagger';

import { EmailField } from '../../common/validation/email-field';
import { NoControlCharacters } from '../../common/validation/no-control-characters';
import {
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from '../../common/validation/validators';

export class CreateUserDto implements CreateUserRequest {
  @EmailField()
  email!: string;

  @ApiPropertyOptional({ example: 'Jane Doe', maxLength: DISPLAY_NAME_MAX_LENGTH })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(DISPLAY_NAME_MAX_LENGTH)
  @NoControlCharacters()
  displayName?: string;

  @ApiPropertyOptional({
    enum: LOCALES,
    description:
      "The language of the person's emails; without it, the Accept-Language of the request that causes an email, else DEFAULT_LOCALE",
  })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: Locale;
}
