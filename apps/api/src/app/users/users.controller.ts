import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  UseGuards,
} from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';

import { MessageResponseDto } from '../auth/dto/responses.dto';
import { ApiErrorResponses } from '../common/http/api-error-responses';
import { ApiException } from '../common/http/api-exception';
import { ClientRequestMeta } from '../common/http/request-meta';
import { RequestMeta } from '../queue/account-email.job';
import { CreateUserDto } from './dto/create-user.dto';
import { UserResponseDto } from './dto/user-response.dto';
import { ServiceApiKeyGuard } from './service-api-key.guard';
import { UsersService } from './users.service';

const uuidPipe = new ParseUUIDPipe({
  exceptionFactory: () => ApiException.notFound('No user with this id.'),
});

@ApiTags('users (service API)')
@ApiSecurity('api-key')
@UseGuards(ServiceApiKeyGuard)
@Controller({ path: 'users', version: '1' })
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @ApiOperation({ summary: 'Provision a user and email an invitation (set-your-password link)' })
  @ApiResponse({ status: HttpStatus.CREATED, type: UserResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.UNAUTHORIZED, HttpStatus.CONFLICT)
  async create(
    @Body() body: CreateUserDto,
    @ClientRequestMeta() meta: RequestMeta,
  ): Promise<UserResponseDto> {
    return UserResponseDto.from(
      await this.users.create(body.email, body.displayName ?? null, meta),
    );
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read a user' })
  @ApiResponse({ status: HttpStatus.OK, type: UserResponseDto })
  @ApiErrorResponses(HttpStatus.UNAUTHORIZED, HttpStatus.NOT_FOUND)
  async get(@Param('id', uuidPipe) id: string): Promise<UserResponseDto> {
    return UserResponseDto.from(await this.users.get(id));
  }

  @Post(':id/password-reset')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Email the user a reset link (help-desk forced reset)' })
  @ApiResponse({ status: HttpStatus.ACCEPTED, type: MessageResponseDto })
  @ApiErrorResponses(HttpStatus.UNAUTHORIZED, HttpStatus.NOT_FOUND)
  async forceReset(
    @Param('id', uuidPipe) id: string,
    @ClientRequestMeta() meta: RequestMeta,
  ): Promise<MessageResponseDto> {
    await this.users.forceReset(id, meta);
    return { message: 'A reset link is being sent to the user.' };
  }
}
