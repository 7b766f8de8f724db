import { Agent, IncomingHttpHeaders, request } from 'node:http';

/** A request exactly as written: no header added, no body re-encoded. */
export interface RawRequest {
  method: string;
  /** Path and query, already percent-encoded as the test wants them on the wire. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/**
 * A plain `node:http` client on keep-alive connections, for sending thousands of requests
 * cheaply: `fetch` normalises headers and re-encodes string bodies (a lone surrogate would
 * become U+FFFD on the way), which is the opposite of what a generated request needs.
 */
export class KeepAliveClient {
  private readonly agent: Agent;
  private readonly host: string;
  private readonly port: number;
  sent = 0;

  constructor(baseUrl: string, maxSockets = 4) {
    const url = new URL(baseUrl);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  async send(raw: RawRequest, timeoutMs = 30_000): Promise<RawResponse> {
    this.sent += 1;
    try {
      return await this.sendOnce(raw, timeoutMs);
    } catch (error) {
      // A kept-alive connection the server closed just as it was reused: Node's documented
      // remedy is to send again (https://nodejs.org/api/http.html#requestreusedsocket).
      if ((error as { reusedSocket?: boolean }).reusedSocket) return this.sendOnce(raw, timeoutMs);
      throw error;
    }
  }

  private sendOnce(raw: RawRequest, timeoutMs: number): Promise<RawResponse> {
    const headers: Record<string, string | number> = { ...raw.headers };
    if (raw.body !== undefined) headers['content-length'] = raw.body.length;
    return new Promise((resolve, reject) => {
      let answered = false;
      const req = request(
        {
          agent: this.agent,
          host: this.host,
          port: this.port,
          method: raw.method,
          path: raw.path,
          headers,
          timeout: timeoutMs,
        },
        (res) => {
          answered = true;
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      // A server may answer (413, 415) and close before it has read the whole body: the
      // answer counts, the broken pipe after it does not.
      req.on('error', (error) => {
        if (!answered) reject(Object.assign(error, { reusedSocket: req.reusedSocket }));
      });
      req.end(raw.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
