import {
  ERROR_CODES,
  ErrorCode,
  ErrorResponse,
  Locale,
  LOCALES,
  MeResponse,
  MessageResponse,
  MfaChallengeResponse,
  MfaStatus,
  PasswordPolicySummary,
  SECOND_FACTOR_METHODS,
  SecondFactorMethod,
  SecondFactorRequirement,
  SessionTokens,
  STAFF_ROLES,
  StaffRole,
  ValidateResetTokenResponse,
} from '@account-recovery/contracts';

import { ApiProperty } from '@nestjs/swagger';

/** Swagger descriptions of the response bodies; the types themselves live in contracts. */
export class MessageResponseDto implements MessageResponse {
  @ApiProperty({ example: 'If the email exists, a reset link has been sent.' })
  message!: string;
}

export class SecondFactorRequirementDto implements SecondFactorRequirement {
  @ApiProperty({ enum: SECOND_FACTOR_METHODS, isArray: true })
  methods!: SecondFactorMethod[];
}

export class PasswordPolicySummaryDto implements PasswordPolicySummary {
  @ApiProperty({ example: 15 })
  minLength!: number;

  @ApiProperty({ example: 64 })
  maxLength!: number;
}

export class ValidateResetTokenResponseDto implements ValidateResetTokenResponse {
  @ApiProperty({ enum: [true] })
  valid!: true;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;

  @ApiProperty({
    type: SecondFactorRequirementDto,
    nullable: true,
    description: 'What the reset must also show; null when the account has no second factor',
  })
  secondFactor!: SecondFactorRequirementDto | null;

  @ApiProperty({ type: PasswordPolicySummaryDto })
  passwordPolicy!: PasswordPolicySummaryDto;
}

export class SessionTokensDto implements SessionTokens {
  @ApiProperty()
  accessToken!: string;

  @ApiProperty({ enum: ['Bearer'] })
  tokenType!: 'Bearer';

  @ApiProperty({ description: 'Lifetime in seconds', example: 900 })
  expiresIn!: number;
}

export class MfaChallengeResponseDto implements MfaChallengeResponse {
  @ApiProperty({ enum: [true] })
  mfaRequired!: true;

  @ApiProperty({ description: 'For POST /v1/auth/login/mfa; five minutes, five wrong codes' })
  challengeToken!: string;

  @ApiProperty({ enum: SECOND_FACTOR_METHODS, isArray: true })
  methods!: SecondFactorMethod[];
}

export class MfaStatusDto implements MfaStatus {
  @ApiProperty({ description: 'An authenticator is enrolled and confirmed' })
  totp!: boolean;

  @ApiProperty({ example: 10 })
  recoveryCodesLeft!: number;
}

export class MeResponseDto implements MeResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  email!: string;

  @ApiProperty({ type: String, nullable: true })
  displayName!: string | null;

  @ApiProperty({
    enum: LOCALES,
    nullable: true,
    description: 'The language of your emails; null: the language your browser asks for',
  })
  locale!: Locale | null;

  @ApiProperty({
    enum: STAFF_ROLES,
    isArray: true,
    description: 'Staff roles (empty for everyone else); granted only with `npm run user:grant`',
  })
  roles!: StaffRole[];

  @ApiProperty({ type: MfaStatusDto })
  mfa!: MfaStatusDto;
}

export class ErrorResponseDto implements ErrorResponse {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({
    enum: Object.values(ERROR_CODES),
    description: 'What went wrong, for code to branch on; the same in every language',
  })
  code!: ErrorCode;

  @ApiProperty({
    description:
      'For people: in the language negotiated from Accept-Language, else the default locale; Content-Language names it',
  })
  message!: string;

  @ApiProperty({
    required: false,
    type: Object,
    additionalProperties: { type: 'array', items: { type: 'string' } },
    description: 'VALIDATION_FAILED: field → messages, in the language of `message`',
  })
  errors?: Record<string, string[]>;
}
