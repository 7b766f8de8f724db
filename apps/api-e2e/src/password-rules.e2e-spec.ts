import { ApiProcess, MailCatcher, PORTAL_URL, tokenFromMail } from '@account-recovery/testing';

import { isInvitation, isResetMail } from './support/mail-wait';
import { RangeServer, sha1Hex } from './support/range-server';
import { API_KEY_HEADER, createUserViaApi, ROUTES } from './support/service-api';

const API_KEY = 'e2e-password-rules-key-0123456789';
/** The test corpus: what the local range server reports as breached. */
const BREACHED = 'sunlit harbour breeze in 1987';
const ALSO_BREACHED = 'winter orchard whispers forty two';
const FIRST = 'amber canal under a slow moon';
const SECOND = 'granite owl keeps the lighthouse';
const THIRD = 'paper kites over the salt marsh';
const FOURTH = 'cobalt tram hums past midnight';

/** One sample of a Prometheus metric (0 when absent). */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

/**
 * NIST SP 800-63B-4 password rules through HTTP, on the built API with real PostgreSQL and a
 * real SMTP listener: PASSWORD_MIN_LENGTH, PASSWORD_HISTORY and a breach corpus
 * (PWNED_PASSWORDS_URL) served by a real range server on a local port.
 */
describe('password rules', () => {
  const mail = new MailCatcher();

  beforeAll(() => mail.start());
  afterAll(() => mail.stop());

  const reset = (api: ApiProcess, token: string, newPassword: string) =>
    api.post(ROUTES.reset, { token, newPassword });

  /** A user created through the service API; returns its id and the invitation's token. */
  async function invited(api: ApiProcess, email: string): Promise<[string, string]> {
    const id = await createUserViaApi(api, API_KEY, email);
    const invitation = await mail.waitFor(email, { predicate: isInvitation });
    return [id, tokenFromMail(invitation, PORTAL_URL)];
  }

  /** A fresh reset link from forgot-password, through the inbox. */
  async function linkFor(api: ApiProcess, email: string): Promise<string> {
    const after = mail.mark();
    expect((await api.post(ROUTES.forgot, { email })).status).toBe(202);
    return tokenFromMail(await mail.waitFor(email, { after, predicate: isResetMail }), PORTAL_URL);
  }

  async function expectRefused(api: ApiProcess, token: string, password: string, rule: string) {
    const refused = await reset(api, token, password);
    expect({ status: refused.status, body: refused.body }).toEqual({
      status: 400,
      body: expect.objectContaining({ code: 'PASSWORD_POLICY', rules: [rule] }),
    });
    // A refused password leaves the link as it was.
    expect((await api.post(ROUTES.validate, { token })).status).toBe(200);
  }

  describe('PASSWORD_MIN_LENGTH=20, the default history (1) and a breach corpus', () => {
    const corpus = new RangeServer([BREACHED, ALSO_BREACHED]);
    let api: ApiProcess;

    beforeAll(async () => {
      await corpus.start();
      api = await ApiProcess.start({
        SMTP_URL: mail.url,
        SERVICE_API_KEYS: API_KEY,
        PASSWORD_MIN_LENGTH: '20',
        PWNED_PASSWORDS_URL: corpus.url,
        RESET_EMAILS_PER_HOUR: '50',
      });
    });

    afterAll(async () => {
      await api?.stop();
      await corpus.stop();
    });

    it('should refuse a password under the configured minimum with TOO_SHORT, asking no corpus', async () => {
      const [, token] = await invited(api, 'short@example.com');
      const nineteen = 'nineteen characters';
      expect(Array.from(nineteen)).toHaveLength(19);
      await expectRefused(api, token, nineteen, 'TOO_SHORT');
      expect(corpus.requests).toEqual([]);
      expect((await reset(api, token, FIRST)).status).toBe(200);
    });

    it('should refuse the current password with RECENTLY_USED, keep the link, and allow the one before', async () => {
      const email = 'reuse@example.com';
      const [id, invitation] = await invited(api, email);
      expect((await reset(api, invitation, FIRST)).status).toBe(200);

      const token = await linkFor(api, email);
      await expectRefused(api, token, FIRST, 'RECENTLY_USED');
      // NFKC first: a fullwidth form of the same password is the same password.
      await expectRefused(api, token, FIRST.replace('a', 'ａ'), 'RECENTLY_USED');
      expect((await reset(api, token, SECOND)).status).toBe(200);
      expect((await api.post(ROUTES.login, { email, password: SECOND })).status).toBe(200);

      // PASSWORD_HISTORY=1 is the current password only: nothing is remembered beyond it.
      expect(await api.query(`SELECT 1 FROM password_history WHERE user_id = $1`, [id])).toEqual(
        [],
      );
      expect((await reset(api, await linkFor(api, email), FIRST)).status).toBe(200);
    });

    it('should refuse a password the corpus knows with BREACHED, sending 5 hex characters', async () => {
      const [, token] = await invited(api, 'breached@example.com');
      const before = corpus.requests.length;
      await expectRefused(api, token, BREACHED, 'BREACHED');
      expect(corpus.requests.slice(before)).toEqual([
        { path: `/range/${sha1Hex(BREACHED).slice(0, 5)}`, padding: 'true' },
      ]);
      expect((await reset(api, token, THIRD)).status).toBe(200);
      const metrics = (await api.get('/metrics')).text;
      const series = 'account_recovery_password_breach_checks_total';
      expect(sample(metrics, `${series}{outcome="hit"}`)).toBe(1);
      expect(sample(metrics, `${series}{outcome="miss"}`)).toBeGreaterThanOrEqual(3);
    });

    it('should skip the check when the corpus hangs past 2 s or is gone, and log no trace of the password', async () => {
      const [, hangToken] = await invited(api, 'outage@example.com');
      corpus.behaviour = 'hang';
      const started = Date.now();
      // A breached password gets through: proof that the check was skipped, not failed.
      expect((await reset(api, hangToken, BREACHED)).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1900);

      await corpus.stop();
      const closedToken = await linkFor(api, 'outage@example.com');
      expect((await reset(api, closedToken, ALSO_BREACHED)).status).toBe(200);

      const skipped = api.logs.filter((line) => line.includes('Breach corpus check skipped'));
      expect(skipped).toHaveLength(2);
      expect(skipped[0]).toContain('(timeout)');
      expect(skipped[1]).toContain('(unreachable)');
      expect(JSON.parse(skipped[0])).toMatchObject({ level: expect.anything() });
      const traces = [BREACHED, ALSO_BREACHED].flatMap((p) => [
        p,
        sha1Hex(p),
        sha1Hex(p).slice(0, 5),
      ]);
      const leaks = api.logs.filter((line) => traces.some((trace) => line.includes(trace)));
      expect(leaks).toEqual([]);
      const metrics = (await api.get('/metrics')).text;
      expect(
        sample(metrics, 'account_recovery_password_breach_checks_total{outcome="skipped"}'),
      ).toBe(2);
    });
  });

  describe('PASSWORD_HISTORY=3', () => {
    let api: ApiProcess;

    beforeAll(async () => {
      api = await ApiProcess.start({
        SMTP_URL: mail.url,
        SERVICE_API_KEYS: API_KEY,
        PASSWORD_HISTORY: '3',
        RESET_EMAILS_PER_HOUR: '50',
      });
    });

    afterAll(() => api?.stop());

    it('should refuse the last three passwords, accept the fourth back, and keep two rows', async () => {
      const email = 'history@example.com';
      const [id, invitation] = await invited(api, email);
      expect((await reset(api, invitation, FIRST)).status).toBe(200);
      for (const next of [SECOND, THIRD]) {
        expect((await reset(api, await linkFor(api, email), next)).status).toBe(200);
      }
      const rows = () =>
        api.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM password_history WHERE user_id = $1`,
          [id],
        );
      expect(await rows()).toEqual([{ n: 2 }]);

      const token = await linkFor(api, email);
      for (const recent of [THIRD, SECOND, FIRST]) {
        await expectRefused(api, token, recent, 'RECENTLY_USED');
      }
      expect((await reset(api, token, FOURTH)).status).toBe(200);
      // Now FOURTH, THIRD and SECOND are the last three: FIRST is free again.
      expect(await rows()).toEqual([{ n: 2 }]);
      const again = await linkFor(api, email);
      await expectRefused(api, again, SECOND, 'RECENTLY_USED');
      expect((await reset(api, again, FIRST)).status).toBe(200);
      expect((await api.post(ROUTES.login, { email, password: FIRST })).status).toBe(200);
    });

    it('should delete the history with the user', async () => {
      const email = 'deleted@example.com';
      const [id, invitation] = await invited(api, email);
      expect((await reset(api, invitation, FIRST)).status).toBe(200);
      expect((await reset(api, await linkFor(api, email), SECOND)).status).toBe(200);
      const count = `SELECT count(*)::int AS n FROM password_history WHERE user_id = $1`;
      expect(await api.query(count, [id])).toEqual([{ n: 1 }]);
      const deleted = await api.request('DELETE', `${ROUTES.users}/${id}`, undefined, {
        [API_KEY_HEADER]: API_KEY,
      });
      expect(deleted.status).toBe(204);
      expect(await api.query(count, [id])).toEqual([{ n: 0 }]);
    });
  });
});
