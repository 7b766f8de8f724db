import { CreateUserRequest, DISPLAY_NAME_MAX_LENGTH } from '@account-recovery/contracts';

import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

import { EmailField } from '../../common/validation/email-field';
import { NoControlCharacters } from '../../common/validation/no-control-characters';

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
}
