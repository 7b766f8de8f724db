import { randomInt } from 'node:crypto';

import { ApiProcess, MailCatcher, PORTAL_URL, tokenFromMail } from '@account-recovery/testing';

import { createUserViaApi, ROUTES } from './support/service-api';
import { RawResponse, sendSimultaneously } from './support/simultaneous-requests';

const API_KEY = 'e2e-login-races-key-0123456789';
const PASSWORD = 'quiet lantern over the harbour';
const WRONG = 'a guess that is not the password';
const PARALLEL = 10;
const ROUNDS = 8;
// After 10 consecutive failures the next attempt waits 32 s (login-throttle.ts).
const FAILURES = 10;

describe('sign-in throttle under parallel attempts', () => {
  const mail = new MailCatcher();
  let api: ApiProcess;
  const email = 'parallel-guesses@example.com';

  beforeAll(async () => {
    await mail.start();
    api = await ApiProcess.start({ SMTP_URL: mail.url, SERVICE_API_KEYS: API_KEY });
    await createUserViaApi(api, API_KEY, email);
    const token = tokenFromMail(await mail.waitFor(email), PORTAL_URL);
    expect((await api.post(ROUTES.reset, { token, newPassword: PASSWORD })).status).toBe(200);
  });

  afterAll(async () => {
    await api?.stop();
    await mail.stop();
  });

  /** The failure count, and whether the last failure was counted after `since`. */
  const counters = async (since = new Date(0)) =>
    (
      await api.query<{ count: number; counted: boolean }>(
        `SELECT failed_login_count AS count, last_failed_login_at >= $2 AS counted
           FROM users WHERE email = $1`,
        [email, since],
      )
    )[0];

  /** The account may take exactly one more attempt: 10 failures, the last one 33 s ago. */
  const throttleToOneAttempt = () =>
    api.query(
      `UPDATE users SET failed_login_count = $2, last_failed_login_at = now() - interval '33 seconds'
        WHERE email = $1`,
      [email, FAILURES],
    );

  it('should compare at most one password when a throttled account gets 10 at once', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      await throttleToOneAttempt();
      const [{ since }] = await api.query<{ since: Date }>(`SELECT now() AS since`);
      const started = Date.now();
      // Every other round carries the right password, at a random place in the burst.
      const right = round % 2 === 1 ? randomInt(PARALLEL) : -1;
      const answers: RawResponse[] = await sendSimultaneously(
        api.baseUrl,
        Array.from({ length: PARALLEL }, (_, i) => ({
          method: 'POST' as const,
          path: ROUTES.login,
          body: { email, password: i === right ? PASSWORD : WRONG },
        })),
      );
      const after = await counters(since);
      const context = `round ${round} (${Date.now() - started} ms), right password at ${right}`;
      answers.forEach((answer, i) => {
        if (i === right && answer.status === 200) return;
        expect({ context, i, status: answer.status, code: answer.body?.['code'] }).toEqual({
          context,
          i,
          status: 401,
          code: 'INVALID_CREDENTIALS',
        });
      });
      if (right >= 0 && answers[right].status === 200) {
        // The right password was the one admitted; the success cleared the count.
        expect({ context, count: after.count < FAILURES }).toEqual({ context, count: true });
      } else {
        // One attempt was admitted and compared (and failed); the other nine were refused
        // without a comparison and without being counted.
        expect({ context, count: after.count, counted: after.counted }).toEqual({
          context,
          count: FAILURES + 1,
          counted: true,
        });
      }
    }
  });

  it('should count every free failure when they come at once', async () => {
    // Five failures are free (login-throttle.ts): four at once must all be compared and counted.
    for (let round = 0; round < 6; round += 1) {
      await api.query(
        `UPDATE users SET failed_login_count = 0, last_failed_login_at = NULL WHERE email = $1`,
        [email],
      );
      const answers = await sendSimultaneously(
        api.baseUrl,
        Array.from({ length: 4 }, () => ({
          method: 'POST' as const,
          path: ROUTES.login,
          body: { email, password: WRONG },
        })),
      );
      expect(answers.map((answer) => answer.status)).toEqual([401, 401, 401, 401]);
      expect({ round, count: (await counters()).count }).toEqual({ round, count: 4 });
    }
  });

  it('should sign in once the wait is over', async () => {
    await throttleToOneAttempt();
    expect((await api.post(ROUTES.login, { email, password: PASSWORD })).status).toBe(200);
    expect((await counters()).count).toBe(0);
  });
});
