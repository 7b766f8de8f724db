/**
 * The bench's peer: better-auth with email and password on node:http, configured as its
 * documentation shows, on a PostgreSQL database of its own (schema by its own migration API),
 * reset emails through a pooled nodemailer transport to the bench's SMTP sink.
 *
 * Deviations from a default production start, each for the measurement: the rate limiter is
 * off (it would answer most of a throughput run with 429), warnings are not logged (it logs
 * one per unknown address, which would measure the log pipe), telemetry is off. The reset
 * email is sent without awaiting it, as better-auth recommends so that the response time does
 * not tell whether an account exists.
 *
 * Environment: DATABASE_URL, SMTP_URL, PORT, BETTER_AUTH_SECRET. Prints "ready" when listening.
 */
import http from 'node:http';

import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { toNodeHandler } from 'better-auth/node';
import nodemailer from 'nodemailer';
import pg from 'pg';

const { DATABASE_URL, SMTP_URL, PORT, BETTER_AUTH_SECRET } = process.env;
if (!DATABASE_URL || !SMTP_URL || !PORT || !BETTER_AUTH_SECRET) {
  console.error('server.mjs needs DATABASE_URL, SMTP_URL, PORT and BETTER_AUTH_SECRET');
  process.exit(2);
}

const baseURL = `http://127.0.0.1:${PORT}`;
const mail = nodemailer.createTransport({ url: SMTP_URL, pool: true, maxConnections: 5 });
mail.on('error', () => undefined);
let mailErrors = 0;

export const auth = betterAuth({
  baseURL,
  secret: BETTER_AUTH_SECRET,
  database: new pg.Pool({ connectionString: DATABASE_URL, max: 10 }),
  emailAndPassword: {
    enabled: true,
    sendResetPassword: async ({ user, url }) => {
      void mail
        .sendMail({
          from: 'peer@bench.test',
          to: user.email,
          subject: 'Reset your password',
          text: `Reset your password: ${url}`,
        })
        .catch(() => {
          mailErrors++;
        });
    },
  },
  rateLimit: { enabled: false },
  telemetry: { enabled: false },
  logger: { level: 'error' },
});

const { runMigrations } = await getMigrations(auth.options);
await runMigrations();

const server = http.createServer(toNodeHandler(auth));
server.keepAliveTimeout = 65_000;
server.listen(Number(PORT), '127.0.0.1', () => console.log('ready'));

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    if (mailErrors > 0) console.error(`${mailErrors} reset email(s) failed to send`);
    server.close();
    server.closeAllConnections();
    mail.close();
    process.exit(0);
  });
}
