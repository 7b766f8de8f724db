import { createHash } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** Upper-case hex SHA-1 of the NFKC form: what the range API is keyed by. */
export function sha1Hex(password: string): string {
  return createHash('sha1').update(password.normalize('NFKC')).digest('hex').toUpperCase();
}

/** How the server answers: from its corpus, 500, or not at all (the request hangs). */
export type RangeBehaviour = 'corpus' | 'error' | 'hang';

/**
 * A Have I Been Pwned compatible range API over a small corpus, on a real local port: the
 * breach corpus a site mirrors, for PWNED_PASSWORDS_URL. Answers `GET /range/ABCDE` with
 * `SUFFIX:COUNT` lines, padded with count-0 lines as the real service pads.
 */
export class RangeServer {
  behaviour: RangeBehaviour = 'corpus';
  /** Every request as it arrived: path and the Add-Padding header. */
  readonly requests: { path: string; padding: string | undefined }[] = [];
  private readonly corpus: Set<string>;
  private readonly server: Server = createServer((req, res) => this.answer(req, res));
  private readonly hanging = new Set<ServerResponse>();
  url = '';

  constructor(breached: string[]) {
    this.corpus = new Set(breached.map(sha1Hex));
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  /** Closes the port: later requests find nothing listening. */
  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    this.server.closeAllConnections();
    if (this.server.listening) await new Promise((resolve) => this.server.close(resolve));
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const path = req.url ?? '';
    this.requests.push({ path, padding: req.headers['add-padding'] as string | undefined });
    if (this.behaviour === 'hang') {
      this.hanging.add(res);
      return;
    }
    const prefix = /^\/range\/([0-9A-F]{5})$/.exec(path)?.[1];
    if (this.behaviour === 'error' || !prefix) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('unavailable');
      return;
    }
    const lines = [...this.corpus]
      .filter((hash) => hash.startsWith(prefix))
      .map((hash) => `${hash.slice(5)}:${1000 + hash.charCodeAt(5)}`);
    for (let i = 0; i < 50; i += 1) lines.push(`${sha1Hex(`padding ${prefix} ${i}`).slice(5)}:0`);
    res.writeHead(200, { 'content-type': 'text/plain' }).end(lines.sort().join('\r\n'));
  }
}
