import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Post,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';

import { ApiErrorResponses } from '../common/http/api-error-responses';
import { LoginDto } from './dto/login.dto';
import { LoginResponseDto, MeResponseDto } from './dto/responses.dto';
import { RateLimit } from './rate-limit';
import { SessionService } from './session.service';

const BEARER = /^Bearer\s+(\S+)$/i;

@ApiTags('sessions')
@UseGuards(ThrottlerGuard)
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
  me(@Headers('authorization') authorization?: string): Promise<MeResponseDto> {
    return this.sessions.me(BEARER.exec(authorization ?? '')?.[1] ?? null);
  }
}
