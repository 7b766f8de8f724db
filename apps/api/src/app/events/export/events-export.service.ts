import { EventItem, EVENTS_PAGE_LIMIT, EventsPage } from '@account-recovery/contracts';

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { ApiException } from '../../common/http/api-exception';
import { queryRows } from '../../database/query-rows';
import { parseInstant } from '../instant-field';
import { decodeEventsCursor, encodeEventsCursor } from './events-cursor';
import { EventsQuery } from './events-query';

interface EventRow {
  id: string;
  type: string;
  occurredAt: Date;
  userId: string | null;
  actor: string;
  ip: string | null;
  userAgent: string | null;
  details: EventItem['details'];
  /** occurred_at to the microsecond, for the cursor. */
  cursorAt: string;
}

/**
 * Reads the audit trail for `GET /v1/events`: newest first, keyset pagination on
 * (occurred_at, id), which the index idx_security_events_time (and its per-user and per-type
 * siblings) serves in order, so the hundredth page costs what the first does.
 */
@Injectable()
export class EventsExport {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async page(query: EventsQuery): Promise<EventsPage> {
    const limit = query.limit ?? EVENTS_PAGE_LIMIT.default;
    const params: unknown[] = [];
    const where: string[] = [];
    const bind = (value: unknown): string => `$${params.push(value)}`;
    if (query.userId !== undefined) where.push(`user_id = ${bind(query.userId)}::uuid`);
    if (query.type !== undefined) where.push(`type = ${bind(query.type)}::text`);
    if (query.since !== undefined) where.push(`occurred_at >= ${bind(parseInstant(query.since))}`);
    if (query.until !== undefined) where.push(`occurred_at < ${bind(parseInstant(query.until))}`);
    if (query.cursor !== undefined) {
      const cursor = decodeEventsCursor(query.cursor);
      if (!cursor)
        throw ApiException.validation({
          cursor: [{ key: 'field.cursor', values: { field: 'cursor' } }],
        });
      where.push(
        `(e.occurred_at, e.id) < (${bind(cursor.occurredAt)}::timestamptz, ${bind(cursor.id)}::bigint)`,
      );
    }
    // `e.id`, not `id`: ORDER BY a bare name takes the output column, here the id as text,
    // which sorts "9" after "10" and breaks the keyset. One row more than the page: whether
    // it exists says if there is a next page, so the last page carries no cursor.
    const rows = await queryRows<EventRow>(
      this.dataSource,
      `SELECT id::text AS id, type, occurred_at AS "occurredAt", user_id AS "userId", actor,
              host(ip) AS ip, user_agent AS "userAgent", details,
              to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "cursorAt"
         FROM security_events e
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY e.occurred_at DESC, e.id DESC
        LIMIT ${bind(limit + 1)}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => ({
        id: row.id,
        type: row.type,
        occurredAt: row.occurredAt.toISOString(),
        userId: row.userId,
        actor: row.actor,
        ip: row.ip,
        userAgent: row.userAgent,
        details: row.details,
      })),
      nextCursor:
        rows.length > limit && last
          ? encodeEventsCursor({ occurredAt: last.cursorAt, id: last.id })
          : null,
    };
  }
}
