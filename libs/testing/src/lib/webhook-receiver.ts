import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A Standard Webhooks delivery as it arrived, with what the receiver made of it. Recorded
 * when answered (after `delayFor`).
 */
export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  signature: string;
  contentType: string;
  /** The raw body, exactly as received (what the signature covers). */
  body: string;
  /** The parsed body, or null when it was not JSON. */
  payload: { type?: string; timestamp?: string; data?: Record<string, unknown> } | null;
  /** Signature and timestamp window both checked out; answered 204, else 401. */
  verified: boolean;
  receivedAt: number;
}

/** A fresh random secret in Standard Webhooks form: `whsec_` and 32 bytes in base64. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * A receiver's check, written from the specification and independent of the API's code:
 * HMAC-SHA256 under the base64-decoded part of `whsec_…` over `${id}.${timestamp}.${body}`,
 * compared with every `v1,` entry of the space-separated signature header, and the
 * timestamp no further than `toleranceSeconds` from now.
 */
export function verifyStandardWebhook(
  secret: string,
  headers: { id: string; timestamp: string; signature: string },
  body: string,
  options: { nowSeconds?: number; toleranceSeconds?: number } = {},
): boolean {
  const { nowSeconds = Math.floor(Date.now() / 1000), toleranceSeconds = 300 } = options;
  if (!secret.startsWith('whsec_') || !/^\d+$/.test(headers.timestamp)) return false;
  if (Math.abs(nowSeconds - Number(headers.timestamp)) > toleranceSeconds) return false;
  const expected = createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64'))
    .update(`${headers.id}.${headers.timestamp}.${body}`)
    .digest();
  return headers.signature
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3), 'base64'))
    .some((given) => given.length === expected.length && timingSafeEqual(given, expected));
}

/**
 * An HTTP endpoint in the test process that verifies and records every delivery. It can be
 * stopped and started again on the same port to play a receiver outage.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  port = 0;
  /** How long to keep a delivery waiting before answering (a slow receiver); 0 by default. */
  delayFor: (delivery: ReceivedWebhook) => number = () => 0;
  /** Deliveries that arrived and are not answered yet. */
  waiting = 0;
  private server: Server | null = null;

  constructor(readonly secret: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/account-recovery`;
  }

  async start(port = this.port): Promise<void> {
    const server = createServer((request, response) => {
      void readBody(request).then(
        (body) => {
          const header = (name: string) => {
            const value = request.headers[name];
            return typeof value === 'string' ? value : '';
          };
          const delivery = {
            id: header('webhook-id'),
            timestamp: header('webhook-timestamp'),
            signature: header('webhook-signature'),
          };
          let payload: ReceivedWebhook['payload'] = null;
          try {
            payload = JSON.parse(body) as ReceivedWebhook['payload'];
          } catch {
            payload = null;
          }
          const verified =
            request.method === 'POST' && verifyStandardWebhook(this.secret, delivery, body);
          const received: ReceivedWebhook = {
            ...delivery,
            contentType: header('content-type'),
            body,
            payload,
            verified,
            receivedAt: Date.now(),
          };
          const answer = () => {
            this.received.push(received);
            response.statusCode = verified ? 204 : 401;
            response.end();
          };
          const delay = this.delayFor(received);
          if (delay <= 0) return answer();
          this.waiting += 1;
          setTimeout(() => {
            this.waiting -= 1;
            answer();
          }, delay);
        },
        () => response.destroy(),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Refuses connections from now on, including kept-alive ones. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  /** Deliveries about one user, in arrival order. */
  forUser(userId: string): ReceivedWebhook[] {
    return this.received.filter((delivery) => delivery.payload?.data?.['userId'] === userId);
  }

  /** The first delivery matching `predicate`, waiting up to `timeoutMs`. */
  async waitFor(
    predicate: (delivery: ReceivedWebhook) => boolean,
    timeoutMs = 15_000,
  ): Promise<ReceivedWebhook> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(predicate);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching webhook within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
