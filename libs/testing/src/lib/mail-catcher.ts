import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';

import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  /** Raw header lines as received, for header-injection checks. */
  headerLines: string[];
  receivedAt: number;
  /** The message as received, kept when the catcher does not parse (see `parse`). */
  raw?: Buffer;
}

export interface MailCatcherOptions {
  /**
   * Parse each message as it arrives (the default). Off, the catcher only records envelope,
   * arrival time and the raw message (subject, text and html stay empty until `parsed()`):
   * the bench's sink, where parsing thousands of messages a second in the load generator's
   * process would slow the measurement down.
   */
  parse?: boolean;
}

/**
 * A real SMTP listener in the test process. It can be stopped and started again on the
 * same port to play an outage of the mail server.
 */
export class MailCatcher {
  readonly received: ReceivedMail[] = [];
  private server: SMTPServer | null = null;
  private waiters: (() => void)[] = [];
  private readonly byAddress = new Map<string, ReceivedMail[]>();
  private readonly parse: boolean;
  port = 0;
  /** Holds each message this long before accepting it: a slow mail server. */
  delayMs = 0;
  /** Messages whose DATA has started arriving, accepted or not. */
  started = 0;
  /** SMTP connections open right now, and the most there ever were at once. */
  sessionsOpen = 0;
  mostSessionsAtOnce = 0;
  /** Messages between the start of their DATA and the server's reply, and the most at once. */
  messagesInFlight = 0;
  mostMessagesAtOnce = 0;
  /**
   * Runs after a message was received (and recorded) and before the server replies: a throw
   * becomes the reply (`responseCode` on the error, else 451). Plays a relay that keeps the
   * message but fails the end of the transaction, so the sender believes it was not sent.
   */
  beforeReply: ((mail: ReceivedMail) => Promise<void>) | null = null;

  constructor(options: MailCatcherOptions = {}) {
    this.parse = options.parse ?? true;
  }

  async start(port = this.port): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      // A reverse DNS lookup per connection (the default) stalls every reconnect of a
      // sender's SMTP pool on a machine without DNS.
      disableReverseLookup: true,
      onConnect: (_session, callback) => {
        this.sessionsOpen += 1;
        this.mostSessionsAtOnce = Math.max(this.mostSessionsAtOnce, this.sessionsOpen);
        callback();
      },
      onClose: () => {
        this.sessionsOpen -= 1;
      },
      onData: (stream, session, callback) => {
        this.started += 1;
        this.messagesInFlight += 1;
        this.mostMessagesAtOnce = Math.max(this.mostMessagesAtOnce, this.messagesInFlight);
        const reply = (error?: Error) => {
          this.messagesInFlight -= 1;
          callback(error ?? null);
        };
        (this.parse ? simpleParser(stream) : readRaw(stream))
          .then(async (parsed: ParsedMail | Buffer) => {
            if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
            return parsed;
          })
          .then(async (parsed: ParsedMail | Buffer) => {
            const envelope = {
              to: session.envelope.rcptTo.map((r) => r.address),
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              receivedAt: Date.now(),
            };
            const mail: ReceivedMail = Buffer.isBuffer(parsed)
              ? { ...envelope, subject: '', text: '', html: '', headerLines: [], raw: parsed }
              : { ...envelope, ...contents(parsed) };
            this.received.push(mail);
            for (const address of mail.to) {
              const list = this.byAddress.get(address);
              if (list) list.push(mail);
              else this.byAddress.set(address, [mail]);
            }
            this.waiters.splice(0).forEach((wake) => wake());
            await this.beforeReply?.(mail);
            reply();
          })
          .catch((error: Error & { responseCode?: number }) => {
            error.responseCode ??= 451;
            reply(error);
          });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    // A client that dies mid-session (a SIGKILLed worker) resets its sockets; smtp-server
    // reports that as a server error, which without a listener would crash the test process.
    server.on('error', () => undefined);
    this.server = server;
    this.port = (server.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** The first mail to `address` (after `since`) matching `predicate`, waiting up to `timeoutMs`. */
  async waitFor(
    address: string,
    options: {
      since?: number;
      /** Only mails received after `received.length` was this (see `mark()`): exact, unlike `since`. */
      after?: number;
      timeoutMs?: number;
      predicate?: (mail: ReceivedMail) => boolean;
    } = {},
  ): Promise<ReceivedMail> {
    const { since = 0, after = 0, timeoutMs = 15_000, predicate = () => true } = options;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const mail = this.received.find(
        (m, index) =>
          index >= after && m.receivedAt >= since && m.to.includes(address) && predicate(m),
      );
      if (mail) return mail;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no mail for ${address} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** A position in the stream of received mails, for `waitFor({ after })`. */
  mark(): number {
    return this.received.length;
  }

  mailsTo(address: string): ReceivedMail[] {
    return [...(this.byAddress.get(address) ?? [])];
  }

  /** How many mails went to `address` so far (without copying them). */
  countTo(address: string): number {
    return this.byAddress.get(address)?.length ?? 0;
  }

  /** The mail with subject, text and html filled in (parsing the raw message when needed). */
  async parsed(mail: ReceivedMail): Promise<ReceivedMail> {
    if (!mail.raw) return mail;
    return { ...mail, ...contents(await simpleParser(mail.raw)) };
  }
}

function contents(
  parsed: ParsedMail,
): Pick<ReceivedMail, 'subject' | 'text' | 'html' | 'headerLines'> {
  return {
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : '',
    headerLines: parsed.headerLines.map((h) => h.line),
  };
}

function readRaw(stream: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/** The reset token from the link in a received email. */
export function tokenFromMail(mail: ReceivedMail, portalUrl: string): string {
  const escaped = portalUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${escaped}/reset-password/([A-Za-z0-9_-]+)`).exec(mail.text);
  if (!match) throw new Error('no reset link in the email');
  return match[1];
}
