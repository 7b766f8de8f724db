import { ResetPasswordRequest } from '@account-recovery/contracts';

import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

import { TokenDto } from './token.dto';

/** Hard cap before the policy runs, so absurd bodies are refused cheaply. */
const NEW_PASSWORD_MAX_CHARS = 256;

export class ResetPasswordDto extends TokenDto implements ResetPasswordRequest {
  @ApiProperty({
    description:
      'At least 12 and at most 64 characters of any script (256 UTF-8 bytes); not a common password',
    example: 'a long and unusual passphrase',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(NEW_PASSWORD_MAX_CHARS)
  newPassword!: string;
}
