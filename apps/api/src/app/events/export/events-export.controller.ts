import { EVENTS_PAGE_LIMIT, NEXT_CURSOR_HEADER } from '@account-recovery/contracts';

import {
  Controller,
  Get,
  Header,
  Headers,
  HttpStatus,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOperation,
  ApiResponse,
  ApiSecurity,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { ApiErrorResponses } from '../../common/http/api-error-responses';
import { RequireScope, ServiceAuthGuard } from '../../users/service-auth.guard';
import { eventsToCsv, prefersCsv } from './events-csv';
import { EventsExport } from './events-export.service';
import { EventsPageDto } from './events-page.dto';
import { EventsQuery } from './events-query';

const { BAD_REQUEST, UNAUTHORIZED, FORBIDDEN } = HttpStatus;

@ApiTags('events (service API)')
@ApiSecurity('api-key')
@UseGuards(ServiceAuthGuard)
@Controller({ path: 'events', version: '1' })
export class EventsExportController {
  constructor(private readonly events: EventsExport) {}

  @Get()
  @RequireScope('events:read')
  // One URL, two representations: a cache must key on Accept. The trail is never cached.
  @Header('Vary', 'Accept')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Export the security events, newest first, one page at a time',
    description:
      `Filters combine with AND; \`since\` is inclusive, \`until\` exclusive. Page on with \`cursor\` = the previous page's \`nextCursor\` until it is null (${EVENTS_PAGE_LIMIT.default} per page by default, at most ${EVENTS_PAGE_LIMIT.max}). ` +
      `With \`Accept: text/csv\`: CSV (RFC 4180, header row, \`details\` as JSON; a cell starting with = + - @ or a tab is prefixed with ') and the next cursor in the ${NEXT_CURSOR_HEADER} header, absent on the last page.`,
  })
  @ApiExtraModels(EventsPageDto)
  @ApiResponse({
    status: HttpStatus.OK,
    description: 'A page of events',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(EventsPageDto) } },
      'text/csv': { schema: { type: 'string' } },
    },
    headers: {
      [NEXT_CURSOR_HEADER]: {
        description: "CSV only: the next page's cursor; absent on the last page",
        schema: { type: 'string' },
      },
    },
  })
  @ApiErrorResponses(BAD_REQUEST, UNAUTHORIZED, FORBIDDEN)
  async list(
    @Query() query: EventsQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EventsPageDto | string> {
    const page = await this.events.page(query);
    if (!prefersCsv(accept)) return page;
    // The cursor of a CSV page cannot ride in the body without breaking its shape.
    if (page.nextCursor) reply.header(NEXT_CURSOR_HEADER, page.nextCursor);
    reply.header('content-type', 'text/csv; charset=utf-8');
    return eventsToCsv(page.items);
  }
}
