import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOperation,
  ApiResponse,
  ApiSecurity,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';

import { MessageResponseDto } from '../auth/dto/responses.dto';
import { ApiErrorResponses } from '../common/http/api-error-responses';
import { ApiException } from '../common/http/api-exception';
import { ClientRequestMeta } from '../common/http/request-meta';
import { MfaEnrolment } from '../mfa/mfa-enrolment.service';
import { RequestMeta } from '../queue/account-email.job';
import { ApiCaller, Caller } from './api-caller';
import { CreateUserDto } from './dto/create-user.dto';
import { FindUsersQuery } from './dto/find-users.query';
import { ForceResetDto } from './dto/force-reset.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { UserResponseDto } from './dto/user-response.dto';
import { UsersPageDto } from './dto/users-page.dto';
import { RequireScope, ServiceAuthGuard } from './service-auth.guard';
import { UserDirectory } from './user-directory.service';
import { UsersService } from './users.service';

const uuidPipe = new ParseUUIDPipe({
  exceptionFactory: () => ApiException.notFound('users.not-found'),
});
const { BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT } = HttpStatus;

@ApiTags('users (service API)')
@ApiSecurity('api-key')
@ApiBearerAuth()
@UseGuards(ServiceAuthGuard)
@Controller({ path: 'users', version: '1' })
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly directory: UserDirectory,
    private readonly mfa: MfaEnrolment,
  ) {}

  @Post()
  @RequireScope('users:write')
  @ApiOperation({ summary: 'Provision a user and email an invitation (set-your-password link)' })
  @ApiResponse({ status: HttpStatus.CREATED, type: UserResponseDto })
  @ApiErrorResponses(BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, CONFLICT)
  async create(
    @Body() body: CreateUserDto,
    @ClientRequestMeta() meta: RequestMeta,
  ): Promise<UserResponseDto> {
    return UserResponseDto.from(
      await this.users.create(body.email, body.displayName ?? null, meta, body.locale ?? null),
    );
  }

  @Get()
  @RequireScope('users:read')
  @ApiOperation({
    summary: 'Find a user by email, or search people by the start of their address or name',
    description:
      '`?email=`: exact match on the normalised address; answers an array of zero or one user. `?query=&cursor=&limit=`: people whose address or display name starts with the query (case-insensitive, `%` and `_` taken literally), ordered by address; answers a UsersPage. Give exactly one of `email` and `query`.',
  })
  @ApiExtraModels(UsersPageDto)
  @ApiResponse({
    status: HttpStatus.OK,
    description: 'An array for `email`, a UsersPage for `query`',
    schema: {
      oneOf: [
        { type: 'array', items: { $ref: getSchemaPath(UserResponseDto) } },
        { $ref: getSchemaPath(UsersPageDto) },
      ],
    },
  })
  @ApiErrorResponses(BAD_REQUEST, UNAUTHORIZED, FORBIDDEN)
  find(@Query() query: FindUsersQuery): Promise<UserResponseDto[] | UsersPageDto> {
    return this.directory.find(query);
  }

  @Get(':id')
  @RequireScope('users:read')
  @ApiOperation({ summary: 'Read a user' })
  @ApiResponse({ status: HttpStatus.OK, type: UserResponseDto })
  @ApiErrorResponses(UNAUTHORIZED, FORBIDDEN, NOT_FOUND)
  get(@Param('id', uuidPipe) id: string): Promise<UserResponseDto> {
    return this.directory.get(id);
  }

  @Patch(':id')
  @RequireScope('users:write')
  @ApiOperation({
    summary: 'Change the display name or the sign-in email',
    description: 'An email change revokes every outstanding link and notifies the old address.',
  })
  @ApiResponse({ status: HttpStatus.OK, type: UserResponseDto })
  @ApiErrorResponses(BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT)
  async update(
    @Param('id', uuidPipe) id: string,
    @Body() body: UpdateUserDto,
    @ClientRequestMeta() meta: RequestMeta,
    @Caller() caller: ApiCaller,
  ): Promise<UserResponseDto> {
    return UserResponseDto.from(await this.users.update(id, body, meta, caller));
  }

  @Post(':id/password-reset')
  @HttpCode(HttpStatus.ACCEPTED)
  @RequireScope('resets:write')
  @ApiOperation({ summary: 'Email the user a reset link (help-desk forced reset)' })
  @ApiResponse({ status: HttpStatus.ACCEPTED, type: MessageResponseDto })
  @ApiErrorResponses(BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND)
  async forceReset(
    @Param('id', uuidPipe) id: string,
    @Body() body: ForceResetDto,
    @ClientRequestMeta() meta: RequestMeta,
    @Caller() caller: ApiCaller,
  ): Promise<MessageResponseDto> {
    await this.users.forceReset(id, body?.revokeSessions ?? false, meta, caller);
    return { message: 'A reset link is being sent to the user.' };
  }

  @Post(':id/sessions/revoke')
  @HttpCode(HttpStatus.NO_CONTENT)
  @RequireScope('resets:write')
  @ApiOperation({
    summary: 'End every session of a person now (help desk)',
    description:
      'Access tokens issued before now stop working, and so do sign-ins waiting for their second factor; the person signs in again. Records sessions.revoked with the caller as actor.',
  })
  @ApiResponse({ status: HttpStatus.NO_CONTENT })
  @ApiErrorResponses(UNAUTHORIZED, FORBIDDEN, NOT_FOUND)
  async revokeSessions(
    @Param('id', uuidPipe) id: string,
    @ClientRequestMeta() meta: RequestMeta,
    @Caller() caller: ApiCaller,
  ): Promise<void> {
    await this.users.revokeSessions(id, meta, caller);
  }

  @Delete(':id/mfa')
  @HttpCode(HttpStatus.NO_CONTENT)
  @RequireScope('mfa:write')
  @ApiOperation({
    summary: "Remove a person's lost second factor (help desk)",
    description:
      'Deletes the authenticator and recovery codes, ends half-done sign-ins, emails the person and publishes user.mfa_reset. Verify who is asking first (docs/operations.md, "Help desk").',
  })
  @ApiResponse({ status: HttpStatus.NO_CONTENT })
  @ApiErrorResponses(UNAUTHORIZED, FORBIDDEN, NOT_FOUND)
  async resetMfa(
    @Param('id', uuidPipe) id: string,
    @ClientRequestMeta() meta: RequestMeta,
    @Caller() caller: ApiCaller,
  ): Promise<void> {
    await this.mfa.resetByStaff(id, meta, caller);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @RequireScope('users:write')
  @ApiOperation({ summary: 'Delete a user and every link issued to them' })
  @ApiResponse({ status: HttpStatus.NO_CONTENT })
  @ApiErrorResponses(UNAUTHORIZED, FORBIDDEN, NOT_FOUND)
  async remove(
    @Param('id', uuidPipe) id: string,
    @ClientRequestMeta() meta: RequestMeta,
    @Caller() caller: ApiCaller,
  ): Promise<void> {
    await this.users.remove(id, meta, caller);
  }
}
