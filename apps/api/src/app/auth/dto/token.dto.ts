import { RESET_TOKEN_MAX_LENGTH, ValidateResetTokenRequest } from '@account-recovery/contracts';

import { ApiProperty } from '@nestjs/swagger';

import { IsString, MaxLength, MinLength } from '../../common/validation/validators';

export class TokenDto implements ValidateResetTokenRequest {
  @ApiProperty({
    description: 'The token from the emailed link',
    example: 'q3VbM1t0bW9yZS1yYW5kb20tYnl0ZXMtaGVyZS0tLQ',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(RESET_TOKEN_MAX_LENGTH)
  token!: string;
}
