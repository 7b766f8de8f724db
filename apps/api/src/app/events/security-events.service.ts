import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import { inetAddress } from '../common/http/client-ip';
import { queryRows } from '../database/query-rows';
import { InsertBatcher } from '../queue/insert-batcher';
import { SecurityEvent } from './security-event-types';

/** Keys that must never reach the trail, whatever a caller passes. */
const SECRET_LIKE_KEY = /pass(word)?|token|hash|secret|key|otp|code/i;
/** `details.code` names a contract error code (reset.failed), never a one-time code. */
const CONTRACT_CODE = /^[A-Z][A-Z_]{2,40}$/;

/** Throws when `details` could carry a secret. */
export function assertRecordable(details: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(details)) {
    const errorCode = key === 'code' && typeof value === 'string' && CONTRACT_CODE.test(value);
    if (SECRET_LIKE_KEY.test(key) && !errorCode) {
      throw new Error(`security event details must not carry "${key}"`);
    }
    if (value !== null && typeof value === 'object') {
      throw new Error(`security event detail "${key}" must be a string, number, boolean or null`);
    }
  }
}

/**
 * Writes the audit trail (docs/architecture.md §10). Pass the transaction of the change
 * the event reports: the event commits with it or not at all.
 */
@Injectable()
export class SecurityEvents {
  /**
   * Events with no change to commit with (an email SMTP accepted, a refused sign-in) share
   * one INSERT and one commit with whatever arrives meanwhile. In a delivery burst this
   * took the trail's cost per email from a statement and a WAL flush of its own to a
   * share of one (bench: see the commit that brought it).
   */
  private readonly standalone = new InsertBatcher<SecurityEvent>((events) =>
    insertSecurityEvents(this.dataSource, events),
  );

  constructor(private readonly dataSource: DataSource) {}

  async record(event: SecurityEvent, manager?: EntityManager): Promise<void> {
    // Checked before the shared write: one bad event must not fail its neighbours.
    return this.recordMany([event], manager);
  }

  /**
   * Several events: in one statement of the caller's transaction (a batch of the intake's
   * mover, say), or, without one, in the shared commit `record` uses.
   */
  async recordMany(events: SecurityEvent[], manager?: EntityManager): Promise<void> {
    if (manager) return insertSecurityEvents(manager, events);
    for (const event of events) assertRecordable(event.details ?? {});
    await Promise.all(events.map((event) => this.standalone.add(event)));
  }
}

/** The one INSERT, for code that has a transaction but no service (the intake's mover). */
export async function insertSecurityEvents(
  target: DataSource | EntityManager,
  events: SecurityEvent[],
): Promise<void> {
  if (events.length === 0) return;
  for (const event of events) assertRecordable(event.details ?? {});
  await queryRows(
    target,
    `INSERT INTO security_events (type, user_id, actor, ip, user_agent, details)
       SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::inet[], $5::text[], $6::jsonb[])`,
    [
      events.map((e) => e.type),
      events.map((e) => e.userId),
      events.map((e) => e.actor),
      // An `inet` column: a zone or a non-address would fail the whole statement.
      events.map((e) => inetAddress(e.ip)),
      events.map((e) => e.userAgent),
      events.map((e) => JSON.stringify(e.details ?? {})),
    ],
  );
}
