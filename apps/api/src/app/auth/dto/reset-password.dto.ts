import { ResetPasswordRequest } from '@account-recovery/contracts';

import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';

import {
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateNested,
} from '../../common/validation/validators';
import { MfaCodeDto } from '../../mfa/mfa.dto';
import { TokenDto } from './token.dto';

/** Hard cap before the policy runs, so absurd bodies are refused cheaply. */
const NEW_PASSWORD_MAX_CHARS = 256;

export class ResetPasswordDto extends TokenDto implements ResetPasswordRequest {
  @ApiProperty({
    description:
      'At least PASSWORD_MIN_LENGTH (15 by default) and at most 64 characters of any script (256 UTF-8 bytes); not a common, recently used or breached password',
    example: 'a long and unusual passphrase',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(NEW_PASSWORD_MAX_CHARS)
  newPassword!: string;

  @ApiProperty({
    type: MfaCodeDto,
    required: false,
    description: 'Required when validate named a second factor',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => MfaCodeDto)
  secondFactor?: MfaCodeDto;
}
