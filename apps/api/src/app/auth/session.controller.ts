import {
  Body,
  Controller,
  createParamDecorator,
  ExecutionContext,
  Get,
  HttpCode,
  HttpStatus,
  Patch,
  Post,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOperation,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';

import { ApiErrorResponses } from '../common/http/api-error-responses';
import { ClientRequestMeta } from '../common/http/request-meta';
import { LoginMfaDto } from '../mfa/mfa.dto';
import { RequestMeta } from '../queue/account-email.job';
import { LoginDto } from './dto/login.dto';
import { MeResponseDto, MfaChallengeResponseDto, SessionTokensDto } from './dto/responses.dto';
import { UpdateMeDto } from './dto/update-me.dto';
import { RateLimit } from './rate-limit';
import { RateLimitGuard } from './rate-limit.guard';
import { SessionService } from './session.service';

const BEARER = /^Bearer\s+(\S+)$/i;

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearerOf(header: string | undefined): string | null {
  return BEARER.exec(header ?? '')?.[1] ?? null;
}

/** The bearer token of the request (documented by @ApiBearerAuth, not as a header parameter). */
export const BearerToken = createParamDecorator(
  (_: unknown, context: ExecutionContext): string | null =>
    bearerOf(context.switchToHttp().getRequest<FastifyRequest>().headers.authorization),
);

@ApiTags('sessions')
@UseGuards(RateLimitGuard)
@Controller({ path: 'auth', version: '1' })
export class SessionController {
  constructor(private readonly sessions: SessionService) {}

  @Post('login')
  @RateLimit('loginPerMinute')
  @HttpCode(HttpStatus.OK)
  @ApiExtraModels(SessionTokensDto, MfaChallengeResponseDto)
  @ApiOperation({
    summary: 'Sign in with email and password',
    description:
      'A session, or for an account with a second factor a challenge for POST /v1/auth/login/mfa. INVALID_CREDENTIALS alike for every failure.',
  })
  @ApiResponse({
    status: HttpStatus.OK,
    schema: {
      oneOf: [
        { $ref: getSchemaPath(SessionTokensDto) },
        { $ref: getSchemaPath(MfaChallengeResponseDto) },
      ],
    },
  })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.UNAUTHORIZED, HttpStatus.TOO_MANY_REQUESTS)
  login(
    @Body() body: LoginDto,
    @ClientRequestMeta() meta: RequestMeta,
  ): Promise<SessionTokensDto | MfaChallengeResponseDto> {
    return this.sessions.login(body.email, body.password, meta);
  }

  @Post('login/mfa')
  @RateLimit('loginPerMinute')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Finish a sign-in with a code from the authenticator or a recovery code',
    description:
      'MFA_CODE_INVALID for a wrong code; CHALLENGE_INVALID once the challenge expired, was used or had five wrong codes.',
  })
  @ApiResponse({ status: HttpStatus.OK, type: SessionTokensDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.UNAUTHORIZED, HttpStatus.TOO_MANY_REQUESTS)
  loginWithCode(
    @Body() body: LoginMfaDto,
    @ClientRequestMeta() meta: RequestMeta,
  ): Promise<SessionTokensDto> {
    return this.sessions.loginWithCode(body.challengeToken, body.code, meta);
  }

  @Get('me')
  @RateLimit('sessionPerMinute')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiResponse({ status: HttpStatus.OK, type: MeResponseDto })
  @ApiErrorResponses(HttpStatus.UNAUTHORIZED)
  me(@BearerToken() token: string | null): Promise<MeResponseDto> {
    return this.sessions.me(token);
  }

  @Patch('me')
  @RateLimit('sessionPerMinute')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Change your own name or language',
    description:
      'displayName and/or locale (one of the shipped locales; null clears it). Answers the /me body.',
  })
  @ApiResponse({ status: HttpStatus.OK, type: MeResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.UNAUTHORIZED, HttpStatus.TOO_MANY_REQUESTS)
  updateMe(
    @BearerToken() token: string | null,
    @Body() body: UpdateMeDto,
    @ClientRequestMeta() meta: RequestMeta,
  ): Promise<MeResponseDto> {
    return this.sessions.updateMe(token, body, meta);
  }
}
