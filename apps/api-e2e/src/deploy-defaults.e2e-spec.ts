import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';

import { ApiProcess, MailCatcher } from '@account-recovery/testing';

/**
 * What the API exposes when nobody configured otherwise: it binds loopback (HOST), and in
 * production it serves no API documentation unless API_DOCS=public.
 */
describe('deploy defaults', () => {
  let api: ApiProcess | undefined;

  afterEach(async () => {
    await api?.stop();
    api = undefined;
  });

  /** Whether a TCP connection to host:port is accepted (loopback addresses only). */
  function accepts(host: string, port: number): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = connect({ host, port });
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(2000, () => done(false));
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
    });
  }

  function listeningLine(process: ApiProcess): string | undefined {
    return process.logs.find((line) => line.includes('API listening on'));
  }

  it('should bind 127.0.0.1 only in development unless HOST says otherwise', async () => {
    api = await ApiProcess.start({ NODE_ENV: 'development', SEED_DEMO_USER: 'false' });
    expect(listeningLine(api)).toContain(`API listening on http://127.0.0.1:${api.port}/api`);
    expect(await accepts('127.0.0.1', api.port)).toBe(true);
    // Another address of this machine (still loopback, so no traffic leaves it): refused.
    expect(await accepts('127.0.0.2', api.port)).toBe(false);
    expect(await accepts('::1', api.port)).toBe(false);
  });

  it('should bind every interface when HOST=0.0.0.0, as the image does', async () => {
    api = await ApiProcess.start({
      NODE_ENV: 'development',
      SEED_DEMO_USER: 'false',
      HOST: '0.0.0.0',
    });
    expect(listeningLine(api)).toContain(`API listening on http://0.0.0.0:${api.port}/api`);
    // The check above can tell the two apart: here the same address is accepted.
    expect(await accepts('127.0.0.2', api.port)).toBe(true);
  });

  describe('in production', () => {
    const mail = new MailCatcher();

    beforeAll(() => mail.start());
    afterAll(() => mail.stop());

    const production = (extra: Record<string, string> = {}) =>
      ApiProcess.start({
        NODE_ENV: 'production',
        PORTAL_URL: 'https://portal.test',
        SMTP_URL: mail.url,
        PASSWORD_PEPPER: randomBytes(32).toString('base64'),
        MFA_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
        DB_MIGRATE_ON_START: 'true',
        ...extra,
      });

    it('should serve no API documentation by default', async () => {
      api = await production();
      for (const path of ['/api/docs', '/api/docs-json', '/api/docs/swagger-ui-bundle.js']) {
        const response = await api.get(path);
        expect([path, response.status]).toEqual([path, 404]);
        expect(response.text).not.toContain('openapi');
      }
      expect((await api.get('/api/health/live')).status).toBe(200);
    });

    it('should serve it with API_DOCS=public', async () => {
      api = await production({ API_DOCS: 'public' });
      const document = await api.get('/api/docs-json');
      expect(document.status).toBe(200);
      expect(document.body['openapi']).toEqual(expect.any(String));
      expect((await api.get('/api/docs')).status).toBe(200);
    });
  });
});
