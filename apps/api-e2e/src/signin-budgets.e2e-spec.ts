import { randomInt } from 'node:crypto';

import { ApiProcess, MailCatcher, PORTAL_URL, tokenFromMail } from '@account-recovery/testing';

import { E2E_REDIS_URL, reachable } from './support/redis-reachable';
import { createUserViaApi, ROUTES } from './support/service-api';
import { RawRequest, sendSimultaneously } from './support/simultaneous-requests';

const API_KEY = 'e2e-signin-budgets-key-0123456789';
const PASSWORD = 'copper kettle on a winter stove';

/** A user who has set PASSWORD through the invitation link. */
async function userWithPassword(api: ApiProcess, mail: MailCatcher, email: string) {
  await createUserViaApi(api, API_KEY, email);
  const token = tokenFromMail(await mail.waitFor(email), PORTAL_URL);
  expect((await api.post(ROUTES.reset, { token, newPassword: PASSWORD })).status).toBe(200);
}

const signIn = (email: string, password: string, from: string): RawRequest => ({
  method: 'POST',
  path: ROUTES.login,
  body: { email, password },
  headers: { 'x-forwarded-for': from },
});

const hex = () => randomInt(0x10000).toString(16);

// The test is the trusted proxy (TRUST_PROXY=127.0.0.1): the client address comes from
// X-Forwarded-For, as behind the portal's nginx.
describe('sign-in budgets', () => {
  const mail = new MailCatcher();
  const env = { SERVICE_API_KEYS: API_KEY, TRUST_PROXY: '127.0.0.1' };

  beforeAll(() => mail.start());
  afterAll(() => mail.stop());

  describe('per client, IPv6 counted by /64', () => {
    let api: ApiProcess;
    const email = 'legit@example.com';

    beforeAll(async () => {
      api = await ApiProcess.start({
        ...env,
        SMTP_URL: mail.url,
        RATE_LIMIT_LOGIN_PER_MINUTE: '2',
      });
      await userWithPassword(api, mail, email);
      // The first unknown address builds the dummy hash; keep that out of the measurement.
      await api.post(ROUTES.login, {
        email: 'warm@example.com',
        password: 'warming up the hasher',
      });
    });

    afterAll(() => api?.stop());

    it('should keep a legitimate sign-in under 1 s while 60 addresses of one /64 flood it', async () => {
      // On a loaded machine one comparison alone can take long: then the bound is ten
      // unhindered sign-ins (without per-network counting it waits for about 30).
      const alone: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        const [answer] = await sendSimultaneously(api.baseUrl, [
          signIn(email, PASSWORD, `2001:db8:78:${i}::5`),
        ]);
        expect(answer.status).toBe(200);
        alone.push(answer.elapsedMs);
      }
      const bound = Math.max(1000, 10 * alone.sort((x, y) => x - y)[1]);
      const flood = Array.from({ length: 60 }, (_, i) =>
        signIn(
          `flood${i}@example.com`,
          'not anybody at all',
          `2001:db8:4e:7:${hex()}:${hex()}::${i + 1}`,
        ),
      );
      // Sent last of all: without per-network counting it would wait behind 60 comparisons.
      const legit = signIn(email, PASSWORD, '2001:db8:77:1::5');
      const answers = await sendSimultaneously(api.baseUrl, [...flood, legit]);
      const mine = answers[answers.length - 1];
      expect(mine.status).toBe(200);
      const timing = { elapsedMs: Math.round(mine.elapsedMs), bound, alone: alone.map(Math.round) };
      expect({ ...timing, inTime: mine.elapsedMs < bound }).toEqual({ ...timing, inTime: true });
      // The /64 had its 2 sign-ins a minute; the other 58 were refused before any hashing.
      const statuses = answers.slice(0, -1).map((answer) => answer.status);
      expect(statuses.filter((status) => status === 401)).toHaveLength(2);
      expect(statuses.filter((status) => status === 429)).toHaveLength(58);
    });

    it('should count an IPv4-mapped IPv6 client as its IPv4 address', async () => {
      const from = ['198.51.100.20', '::ffff:198.51.100.20', '::ffff:c633:6414'];
      const statuses = [];
      for (const address of from) {
        statuses.push(
          (
            await api.post(
              ROUTES.login,
              { email: 'mapped@example.com', password: 'not anybody at all' },
              { 'x-forwarded-for': address },
            )
          ).status,
        );
      }
      expect(statuses).toEqual([401, 401, 429]);
    });
  });

  describe('for all clients together', () => {
    it('should refuse sign-ins over the per-replica budget with 429 before comparing', async () => {
      const api = await ApiProcess.start({
        ...env,
        SMTP_URL: mail.url,
        RATE_LIMIT_LOGIN_GLOBAL_PER_SECOND: '3',
      });
      try {
        const email = 'budget@example.com';
        await userWithPassword(api, mail, email);
        const answers = await sendSimultaneously(
          api.baseUrl,
          Array.from({ length: 8 }, (_, i) =>
            signIn(email, 'wrong on purpose', `203.0.113.${i + 1}`),
          ),
        );
        const refused = answers.filter((answer) => answer.status === 429);
        expect(answers.filter((answer) => answer.status === 401)).toHaveLength(3);
        expect(refused).toHaveLength(5);
        for (const answer of refused) {
          expect(answer.body?.['code']).toBe('RATE_LIMITED');
          expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        }
        // Only the admitted three reached the throttle (and the comparison) of the account.
        const [row] = await api.query<{ count: number }>(
          `SELECT failed_login_count AS count FROM users WHERE email = $1`,
          [email],
        );
        expect(row.count).toBe(3);
      } finally {
        await api.stop();
      }
    });

    it('should share the sign-in budget between replicas through Redis', async () => {
      if (!(await reachable(new URL(E2E_REDIS_URL)))) {
        console.warn(`Redis not reachable at ${E2E_REDIS_URL}: shared budget not exercised`);
        return;
      }
      const shared = {
        ...env,
        SMTP_URL: mail.url,
        REDIS_URL: E2E_REDIS_URL,
        RATE_LIMIT_LOGIN_SHARED_PER_SECOND: '3',
      };
      const [a, b] = await Promise.all([ApiProcess.start(shared), ApiProcess.start(shared)]);
      try {
        const burst = (api: ApiProcess, first: number) =>
          sendSimultaneously(
            api.baseUrl,
            Array.from({ length: 3 }, (_, i) =>
              signIn(`nobody${i}@example.com`, 'not anybody at all', `192.0.2.${first + i}`),
            ),
          );
        const answers = (await Promise.all([burst(a, 1), burst(b, 11)])).flat();
        expect(answers.filter((answer) => answer.status === 401)).toHaveLength(3);
        expect(answers.filter((answer) => answer.status === 429)).toHaveLength(3);
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    });
  });
});
