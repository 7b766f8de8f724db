import { EventItem, EventsPage } from '@account-recovery/contracts';

import { ApiProperty } from '@nestjs/swagger';

import { SECURITY_EVENT_TYPES } from '../security-event-types';

/** Swagger descriptions of `GET /v1/events`; the types themselves live in contracts. */
export class EventItemDto implements EventItem {
  @ApiProperty({ example: '1042', description: 'A bigint, in decimal' })
  id!: string;

  @ApiProperty({ enum: SECURITY_EVENT_TYPES, example: 'reset.completed' })
  type!: string;

  @ApiProperty({ format: 'date-time' })
  occurredAt!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  userId!: string | null;

  @ApiProperty({
    example: 'self',
    description: '`self`, `system`, `service:<client name>` or `staff:<user id>`',
  })
  actor!: string;

  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7' })
  ip!: string | null;

  @ApiProperty({ type: String, nullable: true })
  userAgent!: string | null;

  @ApiProperty({
    type: 'object',
    // OpenAPI 3.0 allows `nullable` only beside a `type`: null is a string's, so exactly one
    // branch of the oneOf matches it.
    additionalProperties: {
      oneOf: [{ type: 'string', nullable: true }, { type: 'number' }, { type: 'boolean' }],
    },
    example: { code: 'TOKEN_EXPIRED' },
    description: 'Facts about the event (a reason, a contract error code, a count); no secrets',
  })
  details!: EventItem['details'];
}

export class EventsPageDto implements EventsPage {
  @ApiProperty({ type: [EventItemDto], description: 'Newest first' })
  items!: EventItemDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next, older page; null on the last page',
  })
  nextCursor!: string | null;
}
