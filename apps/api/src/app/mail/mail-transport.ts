import { connect, Socket } from 'node:net';

import type SMTPPool from 'nodemailer/lib/smtp-pool';

/**
 * A pooled SMTP transport from SMTP_URL: one connection per message costs a TCP and TLS
 * handshake each time; a small pool keeps delivery in the milliseconds.
 *
 * `sessions` is the most messages in flight at once (the worker's concurrency): the pool gets
 * as many connections, so a message never queues inside nodemailer for a free connection,
 * where it could outwait its job's claim; and no more, so the relay never sees more SMTP
 * sessions from a replica than it runs jobs.
 */
export function smtpTransportFromUrl(smtpUrl: string, sessions: number): SMTPPool.Options {
  const url = new URL(smtpUrl);
  const secure = url.protocol === 'smtps:';
  return {
    pool: true,
    maxConnections: Math.max(1, sessions),
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    auth: url.username
      ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
      : undefined,
    // Never hang a worker on a dead or crawling server: fail and let the queue retry. The
    // socket timeout is per reply; the job's own deadline (JobWorker) bounds the sum, 25 s
    // into a 30 s claim.
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 10_000,
    // nodemailer leaves Nagle's algorithm on: the end of each message then waits for the
    // server's delayed ACK (~40 ms), capping 4 connections near 80 mails/s. We open the
    // connection ourselves, without that delay; nodemailer takes it over (and upgrades it for
    // STARTTLS). smtps: keeps nodemailer's own TLS connection.
    ...(secure ? {} : { getSocket: connectWithoutDelay }),
  };
}

/**
 * nodemailer's `getSocket` hook: a TCP socket with Nagle's algorithm off, handed over at
 * once. Connection failures then surface as socket errors inside nodemailer, which drops
 * the pool slot; failing the hook itself would leak the slot and stall the pool.
 */
function connectWithoutDelay(
  options: SMTPPool.Options,
  callback: (error: Error | null, socketOptions?: { connection: Socket }) => void,
): void {
  const socket = connect({ host: options.host, port: options.port as number });
  socket.setNoDelay(true);
  callback(null, { connection: socket });
}
