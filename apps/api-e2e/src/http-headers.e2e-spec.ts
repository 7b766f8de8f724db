import { ApiProcess, PORTAL_URL } from '@account-recovery/testing';

/** What every API answer carries, and who may call it from a browser. */
describe('security headers and CORS', () => {
  let api: ApiProcess;

  beforeAll(async () => {
    api = await ApiProcess.start({ SMTP_URL: 'smtp://127.0.0.1:9' });
  });

  afterAll(async () => {
    await api?.stop();
  });

  it('should send the security headers on answers and on errors', async () => {
    for (const response of [
      await api.post('/api/v1/auth/forgot-password', { email: 'headers@example.com' }),
      await api.post('/api/v1/auth/forgot-password', { email: 'not an address' }),
      await api.get('/api/nowhere'),
    ]) {
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('strict-transport-security')).toContain('max-age=');
      expect(response.headers.get('x-powered-by')).toBeNull();
    }
  });

  it('should let only the portal origin call the API from a browser', async () => {
    const preflight = (origin: string) =>
      api.request('OPTIONS', '/api/v1/auth/login', undefined, {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      });
    const portal = await preflight(new URL(PORTAL_URL).origin);
    expect(portal.headers.get('access-control-allow-origin')).toBe(new URL(PORTAL_URL).origin);
    const evil = await preflight('https://evil.example');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const answer = await api.post(
      '/api/v1/auth/forgot-password',
      { email: 'cors@example.com' },
      { origin: 'https://evil.example' },
    );
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  });
});
