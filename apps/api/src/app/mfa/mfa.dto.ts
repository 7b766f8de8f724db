import {
  LoginMfaRequest,
  MfaCodeRequest,
  RecoveryCodesResponse,
  ResetCodeRequest,
  ResetCodeResponse,
  SecondFactorProof,
  TotpEnrolmentResponse,
} from '@account-recovery/contracts';

import { ApiProperty } from '@nestjs/swagger';

import { EmailField } from '../common/validation/email-field';
import { IsString, MaxLength, MinLength } from '../common/validation/validators';

/** Long enough for a recovery code typed with spaces; anything longer is not a code. */
const CODE_MAX_CHARS = 32;

/** A code from the authenticator (6 digits) or a recovery code (XXXXX-XXXXX). */
export class MfaCodeDto implements MfaCodeRequest, SecondFactorProof {
  @ApiProperty({ example: '123456', description: 'Authenticator code or recovery code' })
  @IsString()
  @MinLength(1)
  @MaxLength(CODE_MAX_CHARS)
  code!: string;
}

export class LoginMfaDto extends MfaCodeDto implements LoginMfaRequest {
  @ApiProperty({ description: 'From the sign-in answer' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  challengeToken!: string;
}

/** The address as typed on the forgot page and the 8-digit code of its email. */
export class ResetCodeDto implements ResetCodeRequest {
  @EmailField()
  email!: string;

  @ApiProperty({ example: '12345678' })
  @IsString()
  @MinLength(1)
  @MaxLength(CODE_MAX_CHARS)
  code!: string;
}

export class ResetCodeResponseDto implements ResetCodeResponse {
  @ApiProperty({ description: 'A reset token for the request; its emailed link stops working' })
  token!: string;
}

export class TotpEnrolmentResponseDto implements TotpEnrolmentResponse {
  @ApiProperty({ description: 'Base32, for typing into an authenticator by hand' })
  secret!: string;

  @ApiProperty({ example: 'otpauth://totp/Account%20Recovery:ada%40example.com?secret=...' })
  otpauthUri!: string;
}

export class RecoveryCodesResponseDto implements RecoveryCodesResponse {
  @ApiProperty({ type: String, isArray: true, example: ['7KQ2M-XH4TP'] })
  recoveryCodes!: string[];
}
