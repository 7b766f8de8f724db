import { Body, Controller, Delete, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';

import { RateLimit } from '../auth/rate-limit';
import { RateLimitGuard } from '../auth/rate-limit.guard';
import { BearerToken } from '../auth/session.controller';
import { SessionService } from '../auth/session.service';
import { ApiErrorResponses } from '../common/http/api-error-responses';
import { ClientRequestMeta } from '../common/http/request-meta';
import { RequestMeta } from '../queue/account-email.job';
import { MfaEnrolment } from './mfa-enrolment.service';
import { MfaErrors } from './mfa-errors';
import { MfaCodeDto, RecoveryCodesResponseDto, TotpEnrolmentResponseDto } from './mfa.dto';

/** Adding an authenticator needs a sign-in this recent (docs/architecture.md §9). */
const REAUTH_SECONDS = 10 * 60;

const { BAD_REQUEST, UNAUTHORIZED, CONFLICT, TOO_MANY_REQUESTS } = HttpStatus;

/** A person manages their own second factor, signed in. */
@ApiTags('second factor')
@ApiBearerAuth()
@UseGuards(RateLimitGuard)
@Controller({ path: 'auth/mfa', version: '1' })
export class MfaController {
  constructor(
    private readonly sessions: SessionService,
    private readonly enrolment: MfaEnrolment,
  ) {}

  @Post('totp')
  @RateLimit('codePerMinute')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Start adding an authenticator',
    description:
      'A pending factor, active once confirmed. Needs a sign-in of the last ten minutes (else 401 REAUTH_REQUIRED).',
  })
  @ApiResponse({ status: HttpStatus.OK, type: TotpEnrolmentResponseDto })
  @ApiErrorResponses(UNAUTHORIZED, CONFLICT, TOO_MANY_REQUESTS)
  async start(@BearerToken() bearer: string | null): Promise<TotpEnrolmentResponseDto> {
    const { user, claims } = await this.sessions.authenticate(bearer);
    const signedInAt = claims.iat ?? 0;
    if (Date.now() / 1000 - signedInAt > REAUTH_SECONDS) throw MfaErrors.reauthRequired();
    return this.enrolment.start(user.id, user.email);
  }

  @Post('totp/confirm')
  @RateLimit('codePerMinute')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Confirm the authenticator with a code from it',
    description: 'Answers the ten recovery codes, shown once.',
  })
  @ApiResponse({ status: HttpStatus.OK, type: RecoveryCodesResponseDto })
  @ApiErrorResponses(BAD_REQUEST, UNAUTHORIZED, CONFLICT, TOO_MANY_REQUESTS)
  async confirm(
    @BearerToken() bearer: string | null,
    @Body() body: MfaCodeDto,
    @ClientRequestMeta() meta: RequestMeta,
  ): Promise<RecoveryCodesResponseDto> {
    const { user } = await this.sessions.authenticate(bearer);
    return { recoveryCodes: await this.enrolment.confirm(user.id, body.code, meta) };
  }

  @Post('recovery-codes')
  @RateLimit('codePerMinute')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'A new set of recovery codes, for a current code; the old set is void' })
  @ApiResponse({ status: HttpStatus.OK, type: RecoveryCodesResponseDto })
  @ApiErrorResponses(BAD_REQUEST, UNAUTHORIZED, CONFLICT, TOO_MANY_REQUESTS)
  async regenerate(
    @BearerToken() bearer: string | null,
    @Body() body: MfaCodeDto,
    @ClientRequestMeta() meta: RequestMeta,
  ): Promise<RecoveryCodesResponseDto> {
    const { user } = await this.sessions.authenticate(bearer);
    return { recoveryCodes: await this.enrolment.regenerate(user.id, body.code, meta) };
  }

  @Delete()
  @RateLimit('codePerMinute')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Remove the second factor, for a current code' })
  @ApiResponse({ status: HttpStatus.NO_CONTENT })
  @ApiErrorResponses(BAD_REQUEST, UNAUTHORIZED, CONFLICT, TOO_MANY_REQUESTS)
  async remove(
    @BearerToken() bearer: string | null,
    @Body() body: MfaCodeDto,
    @ClientRequestMeta() meta: RequestMeta,
  ): Promise<void> {
    const { user } = await this.sessions.authenticate(bearer);
    await this.enrolment.remove(user.id, body.code, meta);
  }
}
