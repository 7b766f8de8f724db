import { ApiProcess, HttpResult } from '@account-recovery/testing';

import { API_KEY_HEADER, ROUTES } from './support/service-api';

const API_KEY = 'e2e-user-search-key-5f0c2a9d7b';
const PAGING_USERS = 45;

/**
 * The help desk's search (`GET /v1/users?query=`, docs/architecture.md §11): address or
 * name prefix, case-insensitive, wildcards taken literally, keyset pages without duplicates
 * or gaps; and the exact `?email=` lookup services have always used, unchanged.
 */
describe('user search', () => {
  let api: ApiProcess;
  const key = { [API_KEY_HEADER]: API_KEY };
  const ids: Record<string, string> = {};
  const pagingIds: string[] = [];

  beforeAll(async () => {
    api = await ApiProcess.start({ SMTP_URL: 'smtp://127.0.0.1:9', SERVICE_API_KEYS: API_KEY });
    // Written straight into the table: nobody here needs an invitation.
    const people: [string, string | null][] = [
      ...Array.from({ length: PAGING_USERS }, (_, n): [string, string] => [
        `member.${String(n).padStart(2, '0')}@paging.example`,
        `Paging Person ${n}`,
      ]),
      ['zed@names.example', 'Member of Staff'],
      ['a.lindqvist@names.example', 'Åsa Lindqvist'],
      ['nameless@names.example', null],
      ['p1@literal.example', '100% sure'],
      ['p2@literal.example', '1000 ways'],
      ['u1@literal.example', 'a_b'],
      ['u2@literal.example', 'axb'],
      ['b1@literal.example', '\\server'],
      ['b2@literal.example', 'server'],
    ];
    const rows = await api.query<{ id: string; email: string }>(
      `INSERT INTO users (email, display_name) SELECT * FROM unnest($1::text[], $2::text[])
       RETURNING id, email`,
      [people.map(([email]) => email), people.map(([, name]) => name)],
    );
    for (const row of rows) {
      ids[row.email] = row.id;
      if (row.email.endsWith('@paging.example')) pagingIds.push(row.id);
    }
  });

  afterAll(async () => {
    await api?.stop();
  });

  const search = (params: Record<string, string>) =>
    api.get(`${ROUTES.users}?${new URLSearchParams(params).toString()}`, key);

  const emailsOf = (result: HttpResult) =>
    (result.body['items'] as { email: string }[]).map((item) => item.email);

  function expectRefused(result: HttpResult, ...fields: string[]): void {
    expect({ status: result.status, code: result.body['code'] }).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    for (const field of fields) expect(result.body['errors']).toHaveProperty(field);
  }

  it('should page through every match once, in address order, with no gaps', async () => {
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const page: HttpResult = await search({
        query: 'MEMBER',
        limit: '10',
        ...(cursor ? { cursor } : {}),
      });
      expect(page.status).toBe(200);
      expect(Object.keys(page.body).sort()).toEqual(['items', 'nextCursor']);
      const items = page.body['items'] as { id: string }[];
      sizes.push(items.length);
      seen.push(...items.map((item) => item.id));
      cursor = page.body['nextCursor'] as string | null;
    } while (cursor !== null && sizes.length < 20);
    // 45 by address ("member.…") and one by name ("Member of Staff").
    expect(sizes).toEqual([10, 10, 10, 10, 6]);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.slice(0, PAGING_USERS).sort()).toEqual([...pagingIds].sort());
    expect(seen[PAGING_USERS]).toBe(ids['zed@names.example']);
    const ordered = await api.query<{ id: string }>(
      `SELECT id FROM users WHERE id = ANY ($1::uuid[]) ORDER BY email, id`,
      [seen],
    );
    expect(seen).toEqual(ordered.map((row) => row.id));
  });

  it('should find by the start of an address or a name, in any case, and only by the start', async () => {
    const byAddress = await search({ query: ' Member.0 ' });
    expect(emailsOf(byAddress)).toEqual(
      Array.from({ length: 10 }, (_, n) => `member.0${n}@paging.example`),
    );
    expect(byAddress.body['nextCursor']).toBeNull();
    expect(emailsOf(await search({ query: 'PAGING PERSON 4' }))).toEqual([
      'member.04@paging.example',
      'member.40@paging.example',
      'member.41@paging.example',
      'member.42@paging.example',
      'member.43@paging.example',
      'member.44@paging.example',
    ]);
    expect(emailsOf(await search({ query: 'åSA' }))).toEqual(['a.lindqvist@names.example']);
    expect(emailsOf(await search({ query: 'lindqvist' }))).toEqual([]);
    expect(emailsOf(await search({ query: 'names.example' }))).toEqual([]);
    expect(emailsOf(await search({ query: 'nameless' }))).toEqual(['nameless@names.example']);
  });

  it('should take LIKE wildcards and the escape character literally', async () => {
    expect(emailsOf(await search({ query: '100%' }))).toEqual(['p1@literal.example']);
    expect(emailsOf(await search({ query: 'a_' }))).toEqual(['u1@literal.example']);
    expect(emailsOf(await search({ query: '\\' }))).toEqual(['b1@literal.example']);
    expect(emailsOf(await search({ query: '%' }))).toEqual([]);
    expect(emailsOf(await search({ query: '_' }))).toEqual([]);
  });

  it('should answer each user with roles, factor, sessions and throttle state', async () => {
    const page = await search({ query: 'zed@' });
    expect(page.body).toEqual({
      items: [
        {
          id: ids['zed@names.example'],
          email: 'zed@names.example',
          displayName: 'Member of Staff',
          locale: null,
          hasPassword: false,
          passwordChangedAt: null,
          roles: [],
          hasSecondFactor: false,
          sessionsRevokedAt: null,
          lockout: {
            signIn: { state: 'ok', failures: 0, until: null },
            secondFactor: { state: 'ok', failures: 0, until: null },
          },
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
        },
      ],
      nextCursor: null,
    });
  });

  it('should keep ?email= an exact match answering an array', async () => {
    const found = await api.get(
      `${ROUTES.users}?email=${encodeURIComponent(' Member.07@Paging.EXAMPLE ')}`,
      key,
    );
    expect(found.status).toBe(200);
    expect(Array.isArray(found.body)).toBe(true);
    expect(found.body).toEqual([
      expect.objectContaining({
        id: ids['member.07@paging.example'],
        email: 'member.07@paging.example',
        lockout: expect.any(Object),
      }),
    ]);
    const prefix = await api.get(`${ROUTES.users}?email=member.0@paging.example`, key);
    expect(prefix.body).toEqual([]);
  });

  it('should want exactly one of email and query, and paging only with query', async () => {
    expectRefused(await api.get(ROUTES.users, key), 'email', 'query');
    expectRefused(await search({ email: 'zed@names.example', query: 'zed' }), 'email', 'query');
    expectRefused(await search({ email: 'zed@names.example', limit: '5' }), 'limit');
    expectRefused(await search({ email: 'zed@names.example', cursor: 'abc' }), 'cursor');
    for (const query of ['', '   ', 'a\u0000b', 'x'.repeat(255)]) {
      expectRefused(await search({ query }), 'query');
    }
    expect((await search({ query: 'a', limit: '100' })).status).toBe(200);
    for (const limit of ['0', '101', '-1', '1.5', 'ten', '']) {
      expectRefused(await search({ query: 'member', limit }), 'limit');
    }
    expectRefused(await api.get(`${ROUTES.users}?query=a&query=b`, key), 'query');
  });

  it('should refuse a cursor it did not write with 400, never a 500', async () => {
    const next = (await search({ query: 'member', limit: '1' })).body['nextCursor'] as string;
    expect((await search({ query: 'member', cursor: next })).status).toBe(200);
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const cursor of [
      'not a cursor',
      `${next}=`,
      `${next}A`,
      Buffer.from('hello').toString('base64url'),
      encode(['member.00@paging.example', "1' OR '1'='1"]),
      encode(['member.00@paging.example']),
      encode({ email: 'member.00@paging.example', id: pagingIds[0] }),
      encode(['a\u0000b', pagingIds[0]]),
      'A'.repeat(5000),
    ]) {
      expectRefused(await search({ query: 'member', cursor }), 'cursor');
    }
  });
});
