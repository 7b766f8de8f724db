import { createHash } from 'node:crypto';

import type { ApiProcess } from '@account-recovery/testing';

/** A security event as a test writes it: the time is explicit, to the microsecond. */
export interface EventRow {
  type: string;
  /** ISO 8601 with up to six fractional digits, e.g. `2025-03-01T10:00:00.123456Z`. */
  at: string;
  userId?: string | null;
  actor?: string;
  ip?: string | null;
  userAgent?: string | null;
  details?: Record<string, string | number | boolean | null>;
}

/**
 * Writes events straight into `security_events`, with the columns and the single
 * statement SecurityEvents.recordMany uses, plus the time a test needs to control.
 */
export async function insertEvents(api: ApiProcess, rows: EventRow[]): Promise<string[]> {
  const inserted = await api.query<{ id: string }>(
    `INSERT INTO security_events (type, occurred_at, user_id, actor, ip, user_agent, details)
     SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::uuid[], $4::text[], $5::inet[],
                          $6::text[], $7::jsonb[])
     RETURNING id::text AS id`,
    [
      rows.map((row) => row.type),
      rows.map((row) => row.at),
      rows.map((row) => row.userId ?? null),
      rows.map((row) => row.actor ?? 'self'),
      rows.map((row) => row.ip ?? null),
      rows.map((row) => row.userAgent ?? null),
      rows.map((row) => JSON.stringify(row.details ?? {})),
    ],
  );
  return inserted.map((row) => row.id);
}

/** A managed service key holding only these scopes (as `client:create` would store it). */
export async function insertKey(api: ApiProcess, name: string, scopes: string[]): Promise<string> {
  const key = `arsk_e2e-${name}-key-0123456789abcdef`;
  await api.query(`INSERT INTO service_clients (name, key_hash, scopes) VALUES ($1, $2, $3)`, [
    name,
    createHash('sha256').update(key).digest('hex'),
    scopes,
  ]);
  return key;
}

/** RFC 4180 records of a CSV text (quoted fields, doubled quotes, CRLF inside quotes). */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let at = 0; at < text.length; at += 1) {
    const char = text[at];
    if (quoted) {
      if (char === '"' && text[at + 1] === '"') {
        field += '"';
        at += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(field);
      field = '';
    } else if (char === '\r' && text[at + 1] === '\n') {
      records.push([...record, field]);
      record = [];
      field = '';
      at += 1;
    } else field += char;
  }
  if (field !== '' || record.length > 0) throw new Error('CSV does not end with CRLF');
  return records;
}
