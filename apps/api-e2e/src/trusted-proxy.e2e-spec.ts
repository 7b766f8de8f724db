import { ApiProcess, MailCatcher } from '@account-recovery/testing';

import { waitForSettledJobs } from './support/email-jobs';
import { isResetMail, waitForMailCount } from './support/mail-wait';
import { SecondFactorSteps } from './support/second-factor';
import { createUserViaApi, ROUTES } from './support/service-api';
import { sendSimultaneously } from './support/simultaneous-requests';

const API_KEY = 'trusted-proxy-service-key-51c0';
const GARBAGE = 'Call IT on +1-555-0100';

/**
 * TRUST_PROXY names the proxies whose X-Forwarded-For is believed; what they forward must
 * still be an address. The audit's case: a forwarded "address" of free text got a rate
 * budget of its own, broke the email job on the inet column, and was printed in the email.
 */
describe('client address behind a trusted proxy', () => {
  const mail = new MailCatcher();
  let api: ApiProcess;

  beforeAll(async () => {
    await mail.start();
    // The harness talks to the API from 127.0.0.1: this test plays the proxy.
    api = await ApiProcess.start({
      SMTP_URL: mail.url,
      SERVICE_API_KEYS: API_KEY,
      TRUST_PROXY: '127.0.0.1',
      RATE_LIMIT_FORGOT_PER_MINUTE: '2',
    });
  });

  afterAll(async () => {
    await api?.stop();
    await mail.stop();
  });

  const forgot = (email: string, forwardedFor?: string) =>
    api.post(
      ROUTES.forgot,
      { email },
      forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
    );

  it('should count a forwarded non-address as the proxy itself, not as a fresh client', async () => {
    // The proxy's own budget (2) is spent without a header...
    expect((await forgot('nobody-1@example.com')).status).toBe(202);
    expect((await forgot('nobody-2@example.com')).status).toBe(202);
    // ...and free text in the header does not buy a new one, whatever it says.
    expect((await forgot('nobody-3@example.com', GARBAGE)).status).toBe(429);
    expect((await forgot('nobody-4@example.com', `${GARBAGE}!`)).status).toBe(429);
    expect((await forgot('nobody-5@example.com', '198.51.100.7, not-an-ip')).status).toBe(429);
    // A valid forwarded address is a client of its own.
    expect((await forgot('nobody-6@example.com', '198.51.100.7')).status).toBe(202);
    expect((await forgot('nobody-7@example.com', '203.0.113.1, 198.51.100.8')).status).toBe(202);
  });

  it("should put the valid forwarded address on the email's requested-from line", async () => {
    const victim = 'victim@example.com';
    await createUserViaApi(api, API_KEY, victim, 'Victim');
    // The proxy's budget is spent (above): free text is still refused, a valid address is used.
    expect((await forgot(victim, GARBAGE)).status).toBe(429);
    expect((await forgot(victim, '198.51.100.20')).status).toBe(202);
    const [first] = await waitForMailCount(mail, victim, 1, { predicate: isResetMail });
    expect(first.text).toMatch(/IP address:\s+198\.51\.100\.20/);
    expect(
      await waitForSettledJobs(api, 'reset-request', { count: 1, match: { email: victim } }),
    ).toEqual([expect.objectContaining({ state: 'completed', retryCount: 0 })]);
  });
});

describe('client address with a non-address forwarded by a trusted proxy', () => {
  const mail = new MailCatcher();
  let api: ApiProcess;

  beforeAll(async () => {
    await mail.start();
    api = await ApiProcess.start({
      SMTP_URL: mail.url,
      SERVICE_API_KEYS: API_KEY,
      TRUST_PROXY: '127.0.0.1',
    });
  });

  afterAll(async () => {
    await api?.stop();
    await mail.stop();
  });

  it('should email the peer address and complete the job on the first attempt', async () => {
    const victim = 'victim2@example.com';
    await createUserViaApi(api, API_KEY, victim, 'Victim');
    const after = mail.mark();
    const response = await api.post(
      ROUTES.forgot,
      { email: victim },
      { 'x-forwarded-for': GARBAGE },
    );
    expect(response.status).toBe(202);
    const received = await mail.waitFor(victim, { after, predicate: isResetMail });
    expect(received.text).toMatch(/IP address:\s+127\.0\.0\.1\b/);
    expect(received.text).not.toContain('555');
    expect(received.html).not.toContain('555');
    const [job] = await waitForSettledJobs(api, 'reset-request', {
      count: 1,
      match: { email: victim },
    });
    expect(job).toEqual(expect.objectContaining({ state: 'completed', retryCount: 0 }));
    const [token] = await api.query<{ requested_ip: string }>(
      `SELECT host(requested_ip) AS requested_ip FROM password_reset_tokens t
         JOIN users u ON u.id = t.user_id WHERE u.email = $1 AND t.purpose = 'reset'`,
      [victim],
    );
    expect(token.requested_ip).toBe('127.0.0.1');
  });
});

describe('client address with an IPv6 zone forwarded by a trusted proxy', () => {
  const ZONED = 'fe80::1%eth0';
  const PASSWORD = 'quiet lantern over the harbour';
  const mail = new MailCatcher();
  const steps = new SecondFactorSteps(() => api, mail, API_KEY);
  let api: ApiProcess;

  beforeAll(async () => {
    await mail.start();
    api = await ApiProcess.start({
      SMTP_URL: mail.url,
      SERVICE_API_KEYS: API_KEY,
      TRUST_PROXY: '127.0.0.1',
    });
  });

  afterAll(async () => {
    await api?.stop();
    await mail.stop();
  });

  const zoned = { 'x-forwarded-for': ZONED };

  // Node's isIP accepts a zone, PostgreSQL's inet does not: these answered 500 and the
  // email job failed on every retry. The zone is dropped (docs/architecture.md §10).
  it('should answer sign-in, code recovery and forgot-password as usual and record fe80::1', async () => {
    const email = 'zoned@example.com';
    await steps.createUserWithPassword(email, PASSWORD);

    expect((await api.post(ROUTES.login, { email, password: PASSWORD }, zoned)).status).toBe(200);
    expect((await api.post(ROUTES.login, { email, password: 'wrong' }, zoned)).status).toBe(401);
    const code = await api.post(
      '/api/v1/auth/reset-password/code',
      { email, code: '12345678' },
      zoned,
    );
    expect([code.status, code.body['code']]).toEqual([400, 'CODE_INVALID']);

    const after = mail.mark();
    expect((await api.post(ROUTES.forgot, { email }, zoned)).status).toBe(202);
    const received = await mail.waitFor(email, { after, predicate: isResetMail });
    expect(received.text).toMatch(/IP address:\s+fe80::1\s/);
    const jobs = await waitForSettledJobs(api, 'reset-request', { count: 2, match: { email } });
    expect(jobs.every((job) => job.state === 'completed' && job.retryCount === 0)).toBe(true);

    const [token] = await api.query<{ ip: string }>(
      `SELECT host(t.requested_ip) AS ip FROM password_reset_tokens t
         JOIN users u ON u.id = t.user_id WHERE u.email = $1 ORDER BY t.created_at DESC LIMIT 1`,
      [email],
    );
    expect(token.ip).toBe('fe80::1');
    const events = await api.query<{ type: string }>(
      `SELECT DISTINCT e.type FROM security_events e JOIN users u ON u.id = e.user_id
        WHERE u.email = $1 AND host(e.ip) = 'fe80::1'`,
      [email],
    );
    expect(events.map((event) => event.type)).toEqual(
      expect.arrayContaining(['signin.succeeded', 'signin.failed', 'reset.code_failed']),
    );
  });

  it('should answer concurrent clients as usual when a few of them forward a zone', async () => {
    // Refused resets share one events INSERT (InsertBatcher): a zoned address failed it for
    // every caller in the batch.
    const requests = Array.from({ length: 60 }, (_, i) => ({
      method: 'POST' as const,
      path: ROUTES.reset,
      body: { token: 'A'.repeat(43), newPassword: PASSWORD },
      headers: { 'x-forwarded-for': i % 20 === 0 ? `fe80::${i}%eth${i}` : `198.51.100.${i + 1}` },
    }));
    const answers = await sendSimultaneously(api.baseUrl, requests);
    expect(answers.map((answer) => [answer.status, answer.body?.['code']])).toEqual(
      requests.map(() => [400, 'TOKEN_INVALID']),
    );
  });
});

describe('client address with a hop count', () => {
  let api: ApiProcess;

  afterEach(async () => {
    await api?.stop();
  });

  it('should take the nearest forwarded address with TRUST_PROXY=1', async () => {
    api = await ApiProcess.start({ TRUST_PROXY: '1', RATE_LIMIT_FORGOT_PER_MINUTE: '1' });
    const forgot = (forwardedFor: string) =>
      api.post(ROUTES.forgot, { email: 'hop@example.com' }, { 'x-forwarded-for': forwardedFor });
    expect((await forgot('198.51.100.1')).status).toBe(202);
    // The client wrote the left entry; the proxy appended the right one, which counts.
    expect((await forgot('198.51.100.2, 198.51.100.1')).status).toBe(429);
    expect((await forgot('198.51.100.1, 198.51.100.3')).status).toBe(202);
  });

  it('should ignore X-Forwarded-For when no proxy is trusted', async () => {
    api = await ApiProcess.start({ RATE_LIMIT_FORGOT_PER_MINUTE: '1' });
    const forgot = (forwardedFor: string) =>
      api.post(ROUTES.forgot, { email: 'direct@example.com' }, { 'x-forwarded-for': forwardedFor });
    expect((await forgot('198.51.100.1')).status).toBe(202);
    expect((await forgot('198.51.100.2')).status).toBe(429);
  });
});
