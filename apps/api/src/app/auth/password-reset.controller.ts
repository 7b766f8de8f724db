import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';

import { ApiErrorResponses } from '../common/http/api-error-responses';
import { ClientRequestMeta } from '../common/http/request-meta';
import { SchemaCheckedBody } from '../common/validation/schema-checked-body';
import { ResetCodeDto, ResetCodeResponseDto } from '../mfa/mfa.dto';
import { RequestMeta } from '../queue/account-email.job';
import {
  FORGOT_PASSWORD_BODY_SCHEMA,
  ForgotPasswordDto,
  forgotPasswordDtoOf,
} from './dto/forgot-password.dto';
import { ResetPasswordDto } from './dto/reset-password.dto';
import { MessageResponseDto, ValidateResetTokenResponseDto } from './dto/responses.dto';
import { TokenDto } from './dto/token.dto';
import { PasswordResetService } from './password-reset.service';
import { RateLimit } from './rate-limit';
import { RateLimitGuard } from './rate-limit.guard';
import { ResetCodes } from './reset-code.service';

@ApiTags('password reset')
@UseGuards(RateLimitGuard)
@Controller({ path: 'auth', version: '1' })
export class PasswordResetController {
  constructor(
    private readonly passwordReset: PasswordResetService,
    private readonly resetCodes: ResetCodes,
  ) {}

  @Post('forgot-password')
  // The busiest route: its body is checked by a compiled schema, ForgotPasswordDto judging
  // only what the schema refuses (common/validation/schema-checked-body.ts).
  @RouteSchema({ body: FORGOT_PASSWORD_BODY_SCHEMA })
  @ApiBody({ type: ForgotPasswordDto })
  @RateLimit('forgotPerMinute')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Ask for a reset link',
    description:
      'Answers 202 with the same body for every valid address, whether it has an account or not.',
  })
  @ApiResponse({ status: HttpStatus.ACCEPTED, type: MessageResponseDto })
  @ApiErrorResponses(
    HttpStatus.BAD_REQUEST,
    HttpStatus.TOO_MANY_REQUESTS,
    HttpStatus.SERVICE_UNAVAILABLE,
  )
  forgotPassword(
    @SchemaCheckedBody(ForgotPasswordDto, forgotPasswordDtoOf) body: ForgotPasswordDto,
    @ClientRequestMeta() meta: RequestMeta,
  ): Promise<MessageResponseDto> {
    return this.passwordReset.requestReset(body.email, meta);
  }

  @Post('reset-password/validate')
  @RateLimit('validatePerMinute')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Check a reset link before showing the new-password form' })
  @ApiResponse({ status: HttpStatus.OK, type: ValidateResetTokenResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.TOO_MANY_REQUESTS)
  validate(
    @Body() body: TokenDto,
    @ClientRequestMeta() meta: RequestMeta,
  ): Promise<ValidateResetTokenResponseDto> {
    return this.passwordReset.validate(body.token, meta);
  }

  @Post('reset-password/code')
  @RateLimit('codePerMinute')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Exchange the code of a reset email for a reset token',
    description:
      'For a person who reads mail on another device. CODE_INVALID alike for a wrong code, an unknown address and a dead request; a code dies after five wrong tries, its link does not. The emailed link of the request stops working.',
  })
  @ApiResponse({ status: HttpStatus.OK, type: ResetCodeResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.TOO_MANY_REQUESTS)
  redeemCode(
    @Body() body: ResetCodeDto,
    @ClientRequestMeta() meta: RequestMeta,
  ): Promise<ResetCodeResponseDto> {
    return this.resetCodes.redeem(body.email, body.code, meta);
  }

  @Post('reset-password')
  @RateLimit('resetPerMinute')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Set a new password with a reset or invitation link',
    description:
      'An account with a second factor must show a code (secondFactor.code): SECOND_FACTOR_REQUIRED without one, MFA_CODE_INVALID for a wrong one, and the link stays usable; five wrong codes revoke the link and email the person.',
  })
  @ApiResponse({ status: HttpStatus.OK, type: MessageResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.TOO_MANY_REQUESTS)
  resetPassword(
    @Body() body: ResetPasswordDto,
    @ClientRequestMeta() meta: RequestMeta,
  ): Promise<MessageResponseDto> {
    return this.passwordReset.reset(body.token, body.newPassword, body.secondFactor?.code, meta);
  }
}
