import { ApiProcess, MailCatcher } from '@account-recovery/testing';

import { waitForSettledJobs } from './support/email-jobs';
import { isResetMail, waitForMailCount } from './support/mail-wait';
import { createUserViaApi, ROUTES } from './support/service-api';

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
