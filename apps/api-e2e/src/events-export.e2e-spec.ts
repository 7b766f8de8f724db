import { randomUUID } from 'node:crypto';

import type { EventItem, EventsPage } from '@account-recovery/contracts';
import { ApiProcess, HttpResult } from '@account-recovery/testing';

import { EventRow, insertEvents, insertKey, parseCsv } from './support/event-rows';

const API_KEY = 'events-export-e2e-key-4b7f0c2d9a';
const EVENTS = '/api/v1/events';

/** `GET /v1/events` (docs/architecture.md §10): filters, order, pages, CSV, and who may read. */
describe('events export', () => {
  let api: ApiProcess;
  const key = { 'x-api-key': API_KEY };

  beforeAll(async () => {
    api = await ApiProcess.start({ SMTP_URL: 'smtp://127.0.0.1:9', SERVICE_API_KEYS: API_KEY });
  });

  afterAll(async () => {
    await api?.stop();
  });

  const get = (query: Record<string, string>, headers: Record<string, string> = key) =>
    api.get(`${EVENTS}?${new URLSearchParams(query).toString()}`, headers);

  async function page(query: Record<string, string>): Promise<EventsPage> {
    const result = await get(query);
    expect(result.status).toBe(200);
    return result.body as unknown as EventsPage;
  }

  /** Every page of a query, following nextCursor; `between` runs before each next page. */
  async function allPages(
    query: Record<string, string>,
    between: () => Promise<unknown> = async () => undefined,
  ): Promise<{ items: EventItem[]; pages: number }> {
    const items: EventItem[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const current: EventsPage = await page(cursor ? { ...query, cursor } : query);
      items.push(...current.items);
      pages += 1;
      cursor = current.nextCursor;
      if (cursor) await between();
    } while (cursor);
    return { items, pages };
  }

  function expectError(result: HttpResult, status: number, code: string): void {
    expect({ status: result.status, code: result.body?.['code'] }).toEqual({ status, code });
    expect(result.headers.get('content-type')).toMatch(/^application\/json/);
  }

  it('should answer 401 without a key and 403 to a key without events:read', async () => {
    expectError(await get({}, {}), 401, 'UNAUTHORIZED');
    expectError(await get({}, { 'x-api-key': 'not-a-key-at-all-0000' }), 401, 'UNAUTHORIZED');
    const usersOnly = await insertKey(api, 'users-reader', ['users:read']);
    expectError(await get({}, { 'x-api-key': usersOnly }), 403, 'FORBIDDEN');
    const reportsOnly = await insertKey(api, 'reports-reader', ['reports:read']);
    expectError(await get({}, { 'x-api-key': reportsOnly }), 403, 'FORBIDDEN');
    const siem = await insertKey(api, 'siem', ['events:read']);
    expect((await get({ limit: '1' }, { 'x-api-key': siem })).status).toBe(200);
  });

  it('should filter by user, type and time (since inclusive, until exclusive)', async () => {
    const alice = randomUUID();
    const bob = randomUUID();
    const rows: EventRow[] = [
      { type: 'reset.requested', at: '2025-03-01T10:00:00.000000Z', userId: alice },
      { type: 'reset.email_sent', at: '2025-03-01T10:00:01.000000Z', userId: alice },
      { type: 'reset.completed', at: '2025-03-01T10:05:00.000001Z', userId: alice },
      { type: 'reset.requested', at: '2025-03-01T11:00:00.000000Z', userId: bob },
      { type: 'signin.succeeded', at: '2025-03-02T09:00:00.000000Z', userId: alice },
    ];
    const [a1, a2, a3, b1, a4] = await insertEvents(api, rows);
    const ids = async (query: Record<string, string>) =>
      (await page(query)).items.map((item) => item.id);

    expect(await ids({ userId: alice })).toEqual([a4, a3, a2, a1]);
    expect(await ids({ userId: bob })).toEqual([b1]);
    expect(await ids({ userId: alice, type: 'reset.requested' })).toEqual([a1]);
    expect(
      await ids({ type: 'reset.requested', since: '2025-03-01', until: '2025-03-02' }),
    ).toEqual([b1, a1]);
    expect(
      await ids({ userId: alice, since: '2025-03-01T10:00:01Z', until: '2025-03-01T10:05:00Z' }),
    ).toEqual([a2]);
    // The same instants in another zone.
    expect(
      await ids({
        userId: alice,
        since: '2025-03-01T11:00:01+01:00',
        until: '2025-03-02T10:00:00+01:00',
      }),
    ).toEqual([a3, a2]);
    expect(await ids({ userId: randomUUID() })).toEqual([]);

    const [first] = (await page({ userId: alice, limit: '1' })).items;
    expect(first).toEqual({
      id: a4,
      type: 'signin.succeeded',
      occurredAt: '2025-03-02T09:00:00.000Z',
      userId: alice,
      actor: 'self',
      ip: null,
      userAgent: null,
      details: {},
    });
  });

  it('should page newest first over many pages, without duplicates or gaps while events arrive', async () => {
    const person = randomUUID();
    // 230 events over ten seconds, many sharing one microsecond: the id breaks those ties.
    const rows: EventRow[] = Array.from({ length: 230 }, (_, n) => ({
      type: n % 3 === 0 ? 'signin.failed' : 'signin.succeeded',
      at: `2025-04-01T12:00:0${n % 10}.${String((n * 7919) % 4).padStart(6, '0')}Z`,
      userId: person,
      ip: n % 2 === 0 ? '203.0.113.7' : '2001:db8::1',
      userAgent: `agent ${n}`,
      details: { n },
    }));
    await insertEvents(api, rows);
    const expected = await api.query<{ id: string }>(
      `SELECT e.id::text AS id FROM security_events e WHERE user_id = $1
        ORDER BY e.occurred_at DESC, e.id DESC`,
      [person],
    );
    let arrivals = 0;
    const { items, pages } = await allPages({ userId: person, limit: '17' }, async () => {
      arrivals += 1;
      await insertEvents(api, [
        { type: 'signin.succeeded', at: new Date().toISOString(), userId: person },
      ]);
    });
    expect(items.map((item) => item.id)).toEqual(expected.map((row) => row.id));
    expect(pages).toBe(Math.ceil(230 / 17));
    expect(arrivals).toBe(pages - 1);
    expect(new Set(items.map((item) => item.id)).size).toBe(230);
    expect(items.find((item) => item.ip === '2001:db8::1')).toBeDefined();

    // A page of exactly the rest carries no cursor: nobody fetches an empty page.
    const exact = await page({ userId: person, type: 'signin.failed', limit: '77' });
    expect(exact.items).toHaveLength(77);
    expect(exact.nextCursor).toBe(null);
  });

  it('should give the same events as CSV, page by page, with the cursor in X-Next-Cursor', async () => {
    const person = randomUUID();
    const tricky: EventRow[] = [
      {
        type: 'reset.failed',
        at: '2025-05-01T08:00:00Z',
        userId: person,
        userAgent: '=HYPERLINK("http://evil.example")',
        details: { code: 'TOKEN_EXPIRED' },
      },
      {
        type: 'signin.failed',
        at: '2025-05-01T08:00:01Z',
        userId: person,
        userAgent: '+1,2\r\nnext "line"',
        ip: '198.51.100.2',
      },
      {
        type: 'signin.failed',
        at: '2025-05-01T08:00:02Z',
        userId: person,
        userAgent: '-2+3',
        details: { reason: '@SUM(A1)' },
      },
      {
        type: 'signin.failed',
        at: '2025-05-01T08:00:03Z',
        userId: person,
        userAgent: '@cmd',
        actor: 'service:crm',
      },
      {
        type: 'signin.failed',
        at: '2025-05-01T08:00:04Z',
        userId: person,
        userAgent: '\tTabbed',
        details: { ok: true, n: null },
      },
      {
        type: 'signin.failed',
        at: '2025-05-01T08:00:05Z',
        userId: person,
        userAgent: "x;-2+3+cmd|' /C calc'!A0",
      },
    ];
    await insertEvents(api, tricky);
    const json = (await allPages({ userId: person, limit: '2' })).items;
    expect(json).toHaveLength(6);

    const csvItems: EventItem[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string> = {
        userId: person,
        limit: '2',
        ...(cursor ? { cursor } : {}),
      };
      const result = await get(query, { ...key, accept: 'text/csv' });
      expect(result.status).toBe(200);
      expect(result.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(result.headers.get('vary')).toMatch(/accept/i);
      const [header, ...records] = parseCsv(result.text);
      expect(header).toEqual([
        'id',
        'type',
        'occurredAt',
        'userId',
        'actor',
        'ip',
        'userAgent',
        'details',
      ]);
      for (const cells of records) {
        // A leading ' is the formula guard: read back, it goes.
        const read = cells.map((cell) => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell));
        const [id, type, occurredAt, userId, actor, ip, userAgent, details] = read;
        csvItems.push({
          id,
          type,
          occurredAt,
          actor,
          userId: userId || null,
          ip: ip || null,
          userAgent: userAgent || null,
          details: JSON.parse(details) as EventItem['details'],
        });
      }
      cursor = result.headers.get('x-next-cursor');
      expect(result.text.includes('nextCursor')).toBe(false);
    } while (cursor);
    expect(csvItems).toEqual(json);

    const whole = await get({ userId: person }, { ...key, accept: 'text/csv' });
    expect(whole.headers.get('x-next-cursor')).toBe(null);
    const lines = whole.text.split('\r\n');
    expect(lines).toContain(
      `"${json[5].id}","reset.failed","2025-05-01T08:00:00.000Z","${person}","self",,"'=HYPERLINK(""http://evil.example"")","{""code"":""TOKEN_EXPIRED""}"`,
    );
    // Every field quoted: a `;` spreadsheet (de, fr) cannot split one and start a formula.
    expect(whole.text).toContain(`,"'+1,2\r\nnext ""line""",`);
    expect(whole.text).toContain(`,"'-2+3",`);
    expect(whole.text).toContain(`,"service:crm",,"'@cmd",`);
    expect(whole.text).toContain(`,"'\tTabbed",`);
    expect(whole.text).toContain(`,"x;-2+3+cmd|' /C calc'!A0",`);
    // JSON stays JSON when the caller prefers it.
    const preferJson = await get(
      { userId: person },
      { ...key, accept: 'application/json, text/csv;q=0.5' },
    );
    expect(preferJson.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('should answer 400 VALIDATION_FAILED to a tampered cursor and to bad filters, never 500', async () => {
    const person = randomUUID();
    await insertEvents(api, [
      { type: 'signin.failed', at: '2025-06-01T00:00:00Z', userId: person },
      { type: 'signin.failed', at: '2025-06-01T00:00:01Z', userId: person },
    ]);
    const { nextCursor } = await page({ userId: person, limit: '1' });
    expect(nextCursor).toEqual(expect.any(String));
    const cursor = nextCursor as string;
    const flips = [...cursor].map(
      (char, at) => cursor.slice(0, at) + (char === 'A' ? 'B' : 'A') + cursor.slice(at + 1),
    );
    for (const value of flips) {
      const result = await get({ userId: person, cursor: value });
      // A flipped character may still spell real keys (the cursor is not signed): then it
      // is just another position. Otherwise it is a 400.
      if (result.status !== 200) expectError(result, 400, 'VALIDATION_FAILED');
    }
    const forged = (text: string) => Buffer.from(text).toString('base64url');
    const tampered = [
      `${cursor}A`,
      'not a cursor',
      'A'.repeat(300),
      forged('2025-02-30T00:00:00.000000Z|1'),
      forged('2025-06-01T00:00:00.000000Z|1); DROP TABLE users; --'),
      forged('2025-06-01T00:00:00.000000Z|99999999999999999999'),
    ];
    for (const value of tampered) {
      expectError(await get({ userId: person, cursor: value }), 400, 'VALIDATION_FAILED');
    }
    expect((await get({ userId: person, cursor: 'not a cursor' })).body['errors']).toEqual({
      cursor: [expect.any(String)],
    });

    const bad: Record<string, string>[] = [
      { limit: '0' },
      { limit: '501' },
      { limit: 'ten' },
      { limit: '2.5' },
      { userId: 'not-a-uuid' },
      { type: 'reset.everything' },
      { since: 'yesterday' },
      { since: '2025-06-01T00:00:00' },
      { since: '2025-02-30' },
      { since: '2025-06-02', until: '2025-06-01' },
      { unknown: '1' },
    ];
    for (const query of bad) expectError(await get(query), 400, 'VALIDATION_FAILED');
    expect((await get({ limit: '500' })).status).toBe(200);
  });
});
