import { createHash } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

import { AppConfig } from '../config/app-config';
import { loadConfig } from '../config/load-config';
import { Metrics } from '../metrics/metrics.service';
import { BreachedPasswords, MAX_RANGE_BYTES } from './breached-passwords';

const BREACHED = 'correct horse battery staple';
const PADDED_ONLY = 'a password only the padding lists';
const UNKNOWN = 'violet tractor sings at dawn';
const sha1 = (text: string) => createHash('sha1').update(text).digest('hex').toUpperCase();

/** How the range server answers the next requests. */
type Behaviour = 'corpus' | 'hang' | 'error' | 'oversize' | 'garbage' | 'redirect';

/** A real HTTP server speaking the range API over a tiny corpus (no mock of fetch). */
class RangeServer {
  behaviour: Behaviour = 'corpus';
  readonly requests: { url: string; padding: string | undefined }[] = [];
  private readonly server: Server = createServer((req, res) => this.answer(req, res));
  private readonly hanging = new Set<ServerResponse>();

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    this.requests.push({ url: req.url ?? '', padding: req.headers['add-padding'] as string });
    const prefix = /^\/range\/([0-9A-F]{5})$/.exec(req.url ?? '')?.[1];
    if (this.behaviour === 'hang') {
      this.hanging.add(res);
      return;
    }
    if (this.behaviour === 'error' || !prefix) {
      res.writeHead(500).end('internal error');
      return;
    }
    if (this.behaviour === 'redirect') {
      res.writeHead(302, { location: `http://127.0.0.1:1/range/${prefix}` }).end();
      return;
    }
    if (this.behaviour === 'garbage') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>captive portal</html>');
      return;
    }
    if (this.behaviour === 'oversize') {
      // No Content-Length: the client must stop reading by itself.
      res.writeHead(200, { 'content-type': 'text/plain' });
      const line = `${'0'.repeat(35)}:1\r\n`;
      res.end(line.repeat(Math.ceil((MAX_RANGE_BYTES * 2) / line.length)));
      return;
    }
    const lines = [BREACHED, PADDED_ONLY]
      .map(sha1)
      .filter((hash) => hash.startsWith(prefix))
      .map((hash) => `${hash.slice(5)}:${hash === sha1(BREACHED) ? 3861493 : 0}`);
    // Padding as the real API sends it: random suffixes with a count of 0.
    for (let i = 0; i < 20; i += 1) lines.push(`${sha1(`pad ${i}`).slice(5)}:0`);
    res.writeHead(200, { 'content-type': 'text/plain' }).end(lines.join('\r\n'));
  }
}

function checker(baseUrl: string | null, metrics = new Metrics()): BreachedPasswords {
  const env: Record<string, string> = baseUrl ? { PWNED_PASSWORDS_URL: baseUrl } : {};
  return new BreachedPasswords(
    new ConfigService(loadConfig(env)) as ConfigService<AppConfig, true>,
    metrics,
  );
}

describe('BreachedPasswords', () => {
  const server = new RangeServer();
  let baseUrl = '';
  let warnings: string[] = [];

  beforeAll(async () => {
    baseUrl = await server.start();
  });

  afterAll(async () => {
    await server.stop();
  });

  beforeEach(() => {
    server.behaviour = 'corpus';
    server.requests.length = 0;
    warnings = [];
    jest
      .spyOn(Logger.prototype, 'warn')
      .mockImplementation((message: unknown) => void warnings.push(String(message)));
  });

  afterEach(() => jest.restoreAllMocks());

  it('should find a breached password and send only five hex characters, asking for padding', async () => {
    const metrics = new Metrics();
    const subject = checker(baseUrl, metrics);
    expect(await subject.check(BREACHED)).toBe('hit');
    expect(server.requests).toEqual([
      { url: `/range/${sha1(BREACHED).slice(0, 5)}`, padding: 'true' },
    ]);
    expect(await subject.check(UNKNOWN)).toBe('miss');
    const text = await metrics.registry.metrics();
    expect(text).toContain('account_recovery_password_breach_checks_total{outcome="hit"} 1');
    expect(text).toContain('account_recovery_password_breach_checks_total{outcome="miss"} 1');
    expect(warnings).toEqual([]);
  });

  it('should take a line with a count of 0 for padding, not a breach', async () => {
    expect(await checker(baseUrl).check(PADDED_ONLY)).toBe('miss');
  });

  it('should check the NFKC form, like every other rule', async () => {
    // Fullwidth letters fold to ASCII under NFKC: the same password, the same SHA-1.
    expect(await checker(`${baseUrl}/`).check('ｃｏｒｒｅｃｔ horse battery staple')).toBe('hit');
  });

  it('should do nothing without PWNED_PASSWORDS_URL', async () => {
    const subject = checker(null);
    expect(subject.enabled).toBe(false);
    expect(await subject.check(BREACHED)).toBeNull();
    expect(server.requests).toEqual([]);
  });

  describe('skipped, with one warning that holds nothing of the password', () => {
    const skipped = async (behaviour: Behaviour | 'closed', reason: string, url = baseUrl) => {
      server.behaviour = behaviour === 'closed' ? 'corpus' : behaviour;
      const metrics = new Metrics();
      expect(await checker(url, metrics).check(BREACHED)).toBe('skipped');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(`(${reason})`);
      const digest = sha1(BREACHED);
      for (const leak of [BREACHED, digest.slice(0, 5), digest.slice(0, 5).toLowerCase(), url]) {
        expect(warnings[0]).not.toContain(leak);
      }
      expect(await metrics.registry.metrics()).toContain(
        'account_recovery_password_breach_checks_total{outcome="skipped"} 1',
      );
    };

    it('should skip when the server answers 500', () => skipped('error', 'status'));

    it('should skip an answer that is not a range', () => skipped('garbage', 'malformed'));

    it('should skip an answer over the size cap', () => skipped('oversize', 'too large'));

    it('should not follow a redirect', () => skipped('redirect', 'unreachable'));

    it('should skip when nothing listens', async () => {
      const gone = new RangeServer();
      const url = await gone.start();
      await gone.stop();
      await skipped('closed', 'unreachable', url);
    });

    it('should give up after 2 s on a server that never answers', async () => {
      const started = Date.now();
      await skipped('hang', 'timeout');
      const waited = Date.now() - started;
      expect(waited).toBeGreaterThanOrEqual(1900);
      expect(waited).toBeLessThan(4000);
    });
  });
});
