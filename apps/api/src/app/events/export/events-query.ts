import { EVENTS_PAGE_LIMIT } from '@account-recovery/contracts';

import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';

import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  Min,
} from '../../common/validation/validators';
import { InstantField, NotBefore } from '../instant-field';
import { SECURITY_EVENT_TYPES, SecurityEventType } from '../security-event-types';

/** The filters and page of `GET /v1/events`; every one optional. */
export class EventsQuery {
  @ApiPropertyOptional({ description: 'Only the events of this user', format: 'uuid' })
  @IsOptional()
  @IsUUID()
  userId?: string;

  @ApiPropertyOptional({ description: 'Only events of this type', enum: SECURITY_EVENT_TYPES })
  @IsOptional()
  @IsIn(SECURITY_EVENT_TYPES)
  type?: SecurityEventType;

  @InstantField('Events at or after this instant')
  since?: string;

  @InstantField('Events before this instant (exclusive), not before `since`')
  @NotBefore('since')
  until?: string;

  @ApiPropertyOptional({
    description: 'The nextCursor of the previous page (opaque)',
    maxLength: 128,
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,128}$/, 'field.cursor')
  cursor?: string;

  @ApiPropertyOptional({
    type: 'integer',
    description: 'Events per page',
    minimum: 1,
    maximum: EVENTS_PAGE_LIMIT.max,
    default: EVENTS_PAGE_LIMIT.default,
  })
  @IsOptional()
  // Query values are strings; "abc" becomes NaN and fails IsInt.
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(EVENTS_PAGE_LIMIT.max)
  limit?: number;
}
