import {
  ERROR_CODES,
  ErrorCode,
  ErrorResponse,
  LoginResponse,
  MeResponse,
  MessageResponse,
  ValidateResetTokenResponse,
} from '@account-recovery/contracts';

import { ApiProperty } from '@nestjs/swagger';

/** Swagger descriptions of the response bodies; the types themselves live in contracts. */
export class MessageResponseDto implements MessageResponse {
  @ApiProperty({ example: 'If the email exists, a reset link has been sent.' })
  message!: string;
}

export class ValidateResetTokenResponseDto implements ValidateResetTokenResponse {
  @ApiProperty({ enum: [true] })
  valid!: true;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;
}

export class LoginResponseDto implements LoginResponse {
  @ApiProperty()
  accessToken!: string;

  @ApiProperty({ enum: ['Bearer'] })
  tokenType!: 'Bearer';

  @ApiProperty({ description: 'Lifetime in seconds', example: 900 })
  expiresIn!: number;
}

export class MeResponseDto implements MeResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  email!: string;

  @ApiProperty({ type: String, nullable: true })
  displayName!: string | null;
}

export class ErrorResponseDto implements ErrorResponse {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({ enum: Object.values(ERROR_CODES) })
  code!: ErrorCode;

  @ApiProperty()
  message!: string;

  @ApiProperty({
    required: false,
    type: Object,
    additionalProperties: { type: 'array', items: { type: 'string' } },
  })
  errors?: Record<string, string[]>;
}
