import { LoginRequest } from '@account-recovery/contracts';

import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

import { EmailField } from '../../common/validation/email-field';

export class LoginDto implements LoginRequest {
  @EmailField()
  email!: string;

  @ApiProperty({ example: 'a long and unusual passphrase' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  password!: string;
}
