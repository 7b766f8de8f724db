import {
  Body,
  Controller,
  createParamDecorator,
  ExecutionContext,
  Get,
  HttpCode,
  HttpStatus,
  Post,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';

import { ApiErrorResponses } from '../common/http/api-error-responses';
import { LoginDto } from './dto/login.dto';
import { LoginResponseDto, MeResponseDto } from './dto/responses.dto';
import { RateLimit } from './rate-limit';
import { RateLimitGuard } from './rate-limit.guard';
import { SessionService } from './session.service';

const BEARER = /^Bearer\s+(\S+)$/i;

/** The bearer token of the request (documented by @ApiBearerAuth, not as a header parameter). */
const BearerToken = createParamDecorator((_: unknown, context: ExecutionContext): string | null => {
  const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization;
  return BEARER.exec(header ?? '')?.[1] ?? null;
});

@ApiTags('sessions')
@UseGuards(RateLimitGuard)
@Controller({ path: 'auth', version: '1' })
export class SessionController {
  constructor(private readonly sessions: SessionService) {}

  @Post('login')
  @RateLimit('loginPerMinute')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Sign in with email and password' })
  @ApiResponse({ status: HttpStatus.OK, type: LoginResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.UNAUTHORIZED, HttpStatus.TOO_MANY_REQUESTS)
  login(@Body() body: LoginDto): Promise<LoginResponseDto> {
    return this.sessions.login(body.email, body.password);
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
}
