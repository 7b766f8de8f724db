import { Body, Controller, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';

import { ApiErrorResponses } from '../common/http/api-error-responses';
import { ClientRequestMeta } from '../common/http/request-meta';
import { SchemaCheckedBody } from '../common/validation/schema-checked-body';
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

@ApiTags('password reset')
@UseGuards(RateLimitGuard)
@Controller({ path: 'auth', version: '1' })
export class PasswordResetController {
  constructor(private readonly passwordReset: PasswordResetService) {}

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
  validate(@Body() body: TokenDto): Promise<ValidateResetTokenResponseDto> {
    return this.passwordReset.validate(body.token);
  }

  @Post('reset-password')
  @RateLimit('resetPerMinute')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Set a new password with a reset or invitation link' })
  @ApiResponse({ status: HttpStatus.OK, type: MessageResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.TOO_MANY_REQUESTS)
  resetPassword(
    @Body() body: ResetPasswordDto,
    @ClientRequestMeta() meta: RequestMeta,
  ): Promise<MessageResponseDto> {
    return this.passwordReset.reset(body.token, body.newPassword, meta);
  }
}
