import { ApiProcess, MailCatcher, PORTAL_URL, tokenFromMail } from '@account-recovery/testing';

const API_KEY = 'e2e-metrics-key-0123456789';

/** One sample of a Prometheus text exposition: `name{labels} value`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | null {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{([^}]*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      (match[3] ?? '')
        .split(',')
        .filter(Boolean)
        .map(
          (pair) => pair.split('=').map((part) => part.replace(/^"|"$/g, '')) as [string, string],
        ),
    );
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[4]);
  }
  return null;
}

describe('/metrics', () => {
  const mail = new MailCatcher();
  let api: ApiProcess;

  beforeAll(async () => {
    await mail.start();
    api = await ApiProcess.start({ SMTP_URL: mail.url, SERVICE_API_KEYS: API_KEY });
  });

  afterAll(async () => {
    await api?.stop();
    await mail.stop();
  });

  it('should expose request, email, token, queue and pool metrics without personal data', async () => {
    const email = 'metrics.person@example.com';
    const created = await api.post('/api/v1/users', { email }, { 'x-api-key': API_KEY });
    await mail.waitFor(email);
    await api.post('/api/v1/auth/forgot-password', { email });
    await api.post('/api/v1/auth/forgot-password', { email: 'metrics.nobody@example.com' });
    const token = tokenFromMail(
      await mail.waitFor(email, { predicate: (m) => m.subject.includes('Reset') }),
      PORTAL_URL,
    );
    expect(
      (
        await api.post('/api/v1/auth/reset-password', {
          token,
          newPassword: 'a calm long passphrase',
        })
      ).status,
    ).toBe(200);
    await api.get(`/api/v1/users/${created.body['id']}`, { 'x-api-key': API_KEY });
    await mail.waitFor(email, { predicate: (m) => m.subject.includes('changed') });

    // The unknown address's request is its own job (a quiet move, equal work), claimed on
    // the worker's own rhythm: it may settle after the known address's emails arrived.
    let scrape = await api.get('/metrics');
    for (let tries = 0; tries < 100; tries++) {
      if (sample(scrape.text, 'account_recovery_reset_requests_total', { outcome: 'no_account' }))
        break;
      await new Promise((resolve) => setTimeout(resolve, 100));
      scrape = await api.get('/metrics');
    }
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toContain('text/plain');
    const text = scrape.text;

    expect(
      sample(text, 'http_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/v1/auth/forgot-password',
        status: '202',
      }),
    ).toBe(2);
    // Route templates, not ids.
    expect(
      sample(text, 'http_request_duration_seconds_count', { route: '/api/v1/users/:id' }),
    ).toBe(1);
    expect(
      sample(text, 'account_recovery_emails_total', {
        template: 'reset-password',
        outcome: 'queued',
      }),
    ).toBe(2);
    expect(
      sample(text, 'account_recovery_emails_total', {
        template: 'reset-password',
        outcome: 'sent',
      }),
    ).toBe(1);
    expect(
      sample(text, 'account_recovery_emails_total', { template: 'invitation', outcome: 'sent' }),
    ).toBe(1);
    expect(sample(text, 'account_recovery_reset_requests_total', { outcome: 'no_account' })).toBe(
      1,
    );
    expect(
      sample(text, 'account_recovery_tokens_total', { event: 'issued', purpose: 'reset' }),
    ).toBe(1);
    expect(
      sample(text, 'account_recovery_tokens_total', { event: 'revoked', purpose: 'invite' }),
    ).toBe(1);
    expect(
      sample(text, 'account_recovery_tokens_total', { event: 'consumed', purpose: 'reset' }),
    ).toBe(1);
    expect(sample(text, 'account_recovery_queue_depth')).not.toBeNull();
    expect(sample(text, 'account_recovery_queue_oldest_job_age_seconds')).not.toBeNull();
    expect(
      sample(text, 'account_recovery_db_pool_connections', { state: 'total' }),
    ).toBeGreaterThan(0);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);

    for (const secret of [email, 'metrics.nobody', token, String(created.body['id'])]) {
      expect(text).not.toContain(secret);
    }
  });
});
