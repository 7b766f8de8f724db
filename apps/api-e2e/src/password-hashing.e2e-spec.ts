import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import { ApiProcess, HttpResult } from '@account-recovery/testing';

import bcrypt from 'bcrypt';

import { insertUser, ROUTES, sha256Hex } from './support/service-api';

const PEPPERED_AT_12 = /^\$ar-hmac1\$[0-9a-f]{8}\$2b\$12\$[./A-Za-z0-9]{53}$/;
const LEGACY_PASSWORD = 'an old passphrase from before the pepper';
/** 64 Cyrillic letters: 128 UTF-8 bytes, far over bcrypt's 72. */
const CYRILLIC = 'съешьжеещёэтихмягкихфранцузскихбулокдавыпейжечаюсъешьжеещёэтихмя';

/** One sample of a Prometheus text exposition (0 when the series does not exist yet). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = (match[2] ?? '').split(',');
    if (wanted.every((pair) => found.includes(pair))) return Number(match[3]);
  }
  return 0;
}

/** bcrypt work the API did, by operation and cost, as its metrics count it. */
async function hashingWork(api: ApiProcess): Promise<Record<string, number>> {
  const text = (await api.get('/metrics')).text;
  const work: Record<string, number> = {};
  for (const operation of ['hash', 'compare'])
    for (const cost of ['10', '11', '12'])
      work[`${operation}@${cost}`] = sample(text, 'account_recovery_password_hashing_total', {
        operation,
        cost,
      });
  return work;
}

function difference(after: Record<string, number>, before: Record<string, number>) {
  return Object.fromEntries(
    Object.keys(after)
      .filter((key) => after[key] !== before[key])
      .map((key) => [key, after[key] - before[key]]),
  );
}

/** A usable reset link for the user, written straight into the database (no email). */
async function resetToken(api: ApiProcess, userId: string): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await api.query(
    `INSERT INTO password_reset_tokens (user_id, token_hash, purpose, expires_at)
     VALUES ($1, $2, 'reset', now() + interval '15 minutes')`,
    [userId, sha256Hex(token)],
  );
  return token;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

describe('password hashing after raising BCRYPT_COST from 10 to 12', () => {
  let api: ApiProcess;
  const legacyEmail = 'legacy.person@example.com';
  let legacyId = '';
  const login = (email: string, password: string) => api.post(ROUTES.login, { email, password });
  const storedHash = async (id: string) =>
    (await api.query<{ h: string }>(`SELECT password_hash AS h FROM users WHERE id = $1`, [id]))[0]
      .h;
  /** The per-account throttle must not turn the wrong-password path into the dummy one. */
  const clearFailures = () =>
    api.query(`UPDATE users SET failed_login_count = 0, last_failed_login_at = NULL`);

  beforeAll(async () => {
    api = await ApiProcess.start({ BCRYPT_COST: '12' });
    // A hash from before the pepper and the cost raise: bare bcrypt at cost 10.
    legacyId = await insertUser(api, legacyEmail);
    await api.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [
      legacyId,
      await bcrypt.hash(LEGACY_PASSWORD, 10),
    ]);
    // What an operator does: raise the cost, restart.
    await api.stop();
    await api.launch();
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('should have built the dummy hash at boot, at the cost of the stored hashes', async () => {
    // No sign-in has happened yet: the one hash so far is the dummy, at cost 10, not 12.
    expect(await hashingWork(api)).toMatchObject({ 'hash@10': 1, 'hash@12': 0, 'compare@10': 0 });
  });

  it('should spend one comparison at the same cost on a wrong password and an unknown address', async () => {
    // Counted, not timed: exact on a loaded machine.
    let before = await hashingWork(api);
    expect((await login(legacyEmail, 'not the password at all')).status).toBe(401);
    const wrongPassword = difference(await hashingWork(api), before);
    before = await hashingWork(api);
    expect((await login('nobody.here@example.com', 'not the password at all')).status).toBe(401);
    const unknownAddress = difference(await hashingWork(api), before);
    expect(wrongPassword).toEqual({ 'compare@10': 1 });
    expect(unknownAddress).toEqual(wrongPassword);
  });

  it('should answer a wrong password and an unknown address in about the same time', async () => {
    // Timed as well, since time is what an attacker sees. Before the fix the two differed
    // by the factor between cost 10 and 12 (4x: 66 vs 223 ms in the audit). Interleaved
    // pairs share whatever load the machine has; medians of 20 shrug off stragglers; a
    // factor of 2 either way still holds when other builds slow every request down.
    const wrong: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      await clearFailures();
      const pair: [number[], string][] = [
        [wrong, legacyEmail],
        [unknown, `nobody.${i}@example.com`],
      ];
      if (i % 2 === 1) pair.reverse();
      for (const [times, email] of pair) {
        const started = performance.now();
        expect((await login(email, 'still not the password')).status).toBe(401);
        times.push(performance.now() - started);
      }
    }
    await clearFailures();
    const ratio = median(unknown) / median(wrong);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });

  it('should sign a legacy account in and store its hash peppered at cost 12, once', async () => {
    expect((await login(legacyEmail, LEGACY_PASSWORD)).status).toBe(200);
    const upgraded = await storedHash(legacyId);
    expect(upgraded).toMatch(PEPPERED_AT_12);

    const before = await hashingWork(api);
    expect((await login(legacyEmail, LEGACY_PASSWORD)).status).toBe(200);
    expect(difference(await hashingWork(api), before)).toEqual({ 'compare@12': 1 });
    expect(await storedHash(legacyId)).toBe(upgraded);
    expect((await login(legacyEmail, `${LEGACY_PASSWORD}!`)).status).toBe(401);
  });

  it('should accept 64 Cyrillic characters, sign in with them, and refuse a 65th or over 256 bytes', async () => {
    expect(Array.from(CYRILLIC)).toHaveLength(64);
    expect(Buffer.byteLength(CYRILLIC)).toBe(128);
    const id = await insertUser(api, 'cyrillic.person@example.com');
    const token = await resetToken(api, id);
    const reset = (newPassword: string) => api.post(ROUTES.reset, { token, newPassword });

    for (const tooLong of [`${CYRILLIC}ж`, '😀'.repeat(65)]) {
      const refused = await reset(tooLong);
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ code: 'PASSWORD_POLICY', rules: ['TOO_LONG'] });
    }
    expect((await reset(CYRILLIC)).status).toBe(200);
    expect(await storedHash(id)).toMatch(PEPPERED_AT_12);
    expect((await login('cyrillic.person@example.com', CYRILLIC)).status).toBe(200);
    // The same first 72 bytes (36 letters), then different: raw bcrypt would let it in.
    const samePrefix = `${CYRILLIC.slice(0, 36)}${'з'.repeat(28)}`;
    expect(Buffer.from(samePrefix).subarray(0, 72)).toEqual(Buffer.from(CYRILLIC).subarray(0, 72));
    expect((await login('cyrillic.person@example.com', samePrefix)).status).toBe(401);
  });
});

describe('a flood of sign-ins beyond the hashing queue', () => {
  let api: ApiProcess;

  beforeAll(async () => {
    // One hashing thread and two waiting places, so that 20 sign-ins at once overflow.
    api = await ApiProcess.start({ HASH_QUEUE_LIMIT: '2', UV_THREADPOOL_SIZE: '1' });
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('should shed the excess with 503 and Retry-After at once, and stay ready', async () => {
    const { request, Agent } = await import('node:http');
    const agent = new Agent({ keepAlive: true, maxSockets: 20 });
    const call = (method: string, path: string, body?: unknown) =>
      new Promise<HttpResult & { ms: number }>((resolve, reject) => {
        const started = performance.now();
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const req = request(
          `${api.baseUrl}${path}`,
          { method, agent, headers: payload ? { 'content-type': 'application/json' } : {} },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (text += chunk));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                headers: new Headers(res.headers as Record<string, string>),
                text,
                body: text ? JSON.parse(text) : null,
                ms: performance.now() - started,
              }),
            );
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    try {
      // Connections opened beforehand: the sign-ins then arrive together, not a handshake apart.
      await Promise.all(Array.from({ length: 20 }, () => call('GET', '/api/health/live')));
      expect(Object.values(agent.freeSockets).flat()).toHaveLength(20);

      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          call('POST', ROUTES.login, {
            email: `flood.${i}@example.com`,
            password: 'whatever it is',
          }),
        ),
      );
      const shed = answers.filter((a) => a.status === 503);
      const answered = answers.filter((a) => a.status === 401);
      expect(shed.length + answered.length).toBe(20);
      expect(shed.length).toBeGreaterThan(0);
      expect(answered.length).toBeGreaterThanOrEqual(3);
      for (const refusal of shed) {
        expect(refusal.body).toEqual({
          statusCode: 503,
          code: 'SERVICE_UNAVAILABLE',
          message: 'The service is busy. Try again shortly.',
        });
        expect(refusal.headers.get('retry-after')).toBe('1');
      }
      // Shed at once: no refusal waited behind the whole backlog of comparisons.
      expect(Math.min(...shed.map((a) => a.ms))).toBeLessThan(
        Math.max(...answered.map((a) => a.ms)),
      );
      const metrics = (await api.get('/metrics')).text;
      expect(sample(metrics, 'account_recovery_password_hashing_shed_total')).toBe(shed.length);
      expect((await api.get(ROUTES.ready)).status).toBe(200);
      expect(
        (await api.post(ROUTES.login, { email: 'after@example.com', password: 'x' })).status,
      ).toBe(401);
    } finally {
      agent.destroy();
    }
  });

  it('should not count a shed sign-in as a failure of the account', async () => {
    // Twenty accounts, one wrong guess each, all at once: every attempt is admitted (and
    // counted) before its comparison; the ones the queue sheds never compared a password.
    const hash = await bcrypt.hash(LEGACY_PASSWORD, 10);
    const emails = Array.from({ length: 20 }, (_, i) => `shed.${i}@example.com`);
    for (const email of emails) {
      const id = await insertUser(api, email);
      await api.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [id, hash]);
    }
    const answers = await Promise.all(
      emails.map((email) => api.post(ROUTES.login, { email, password: 'not the passphrase' })),
    );
    const counts = await api.query<{ email: string; failed_login_count: number }>(
      `SELECT email, failed_login_count FROM users WHERE email = ANY($1)`,
      [emails],
    );
    const countOf = new Map(counts.map((row) => [row.email, row.failed_login_count]));
    expect(answers.filter((a) => a.status === 503).length).toBeGreaterThan(0);
    emails.forEach((email, i) => {
      expect([401, 503]).toContain(answers[i].status);
      expect({ email, failures: countOf.get(email) }).toEqual({
        email,
        failures: answers[i].status === 401 ? 1 : 0,
      });
    });
  });
});
