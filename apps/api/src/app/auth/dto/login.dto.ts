import { LoginRequest } from '@account-recovery/contracts';

import { ApiProperty } from '@nestjs/swagger';

import { EmailField } from '../../common/validation/email-field';
import { IsString, MaxLength, MinLength } from '../../common/validation/validators';

export class LoginDto implements LoginRequest {
  @EmailField()
  email!: string;

  @ApiProperty({ example: 'a long and unusual passphrase' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  password!: string;
}
