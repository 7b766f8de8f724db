import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';

import {
  API_PATHS,
  DEFAULT_LOCALE,
  PORTAL_ROUTES,
  type Locale,
  type StaffRole,
} from '@account-recovery/contracts';
import { ApiProcess, MailCatcher, type ReceivedMail } from '@account-recovery/testing';

import { mailSubject } from './catalog';
import { PortalServer } from './portal-server';

/** A password the policy accepts: long, not common, no email local part, no product name. */
export const GOOD_PASSWORD = 'violet tractor sings at dawn';

export interface ResetLink {
  /** The link as emailed: `<origin>/reset-password/<token>`. */
  link: string;
  token: string;
}

export interface Person {
  email: string;
  displayName: string;
  password: string;
}

/** The operator CLI of the built API (`npm run user:grant` runs it). */
const CLI = resolve(__dirname, '../../../../dist/apps/api/cli.js');

const isInvitation = (mail: ReceivedMail): boolean => mail.subject.includes('set your password');

/** A fresh address per test: per-address email limits and users never leak between tests. */
export function uniqueEmail(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}@example.com`;
}

/**
 * What the browser talks to, one per worker: PostgreSQL (a database of its own on the server
 * from globalSetup), the built API as a child process, a real SMTP listener, and the built
 * portal behind a static server that proxies `/api/*` to the API.
 */
export class Stack {
  private constructor(
    readonly portal: PortalServer,
    readonly api: ApiProcess,
    readonly mail: MailCatcher,
    private readonly apiKey: string,
  ) {}

  static async start(): Promise<Stack> {
    const mail = new MailCatcher();
    await mail.start();
    const portal = await PortalServer.start();
    const apiKey = randomBytes(24).toString('hex');
    try {
      const api = await ApiProcess.start({
        SMTP_URL: mail.url,
        PORTAL_URL: portal.origin,
        SERVICE_API_KEYS: apiKey,
      });
      portal.proxyApiTo(api.baseUrl);
      return new Stack(portal, api, mail, apiKey);
    } catch (error) {
      await portal.stop();
      await mail.stop();
      throw error;
    }
  }

  /** The portal's origin, `http://127.0.0.1:<port>`: the base of every emailed link. */
  get origin(): string {
    return this.portal.origin;
  }

  async stop(): Promise<void> {
    // The API first: its SIGTERM closes the pooled SMTP connections the catcher would wait on.
    await this.api.stop();
    await this.portal.stop();
    await this.mail.stop();
  }

  /** Provisions a user the way a service does (`POST /api/v1/users`); an invitation is mailed. */
  async createUser(email: string, displayName: string): Promise<string> {
    const created = await this.api.post(
      API_PATHS.users,
      { email, displayName },
      { 'x-api-key': this.apiKey },
    );
    if (created.status !== 201) {
      throw new Error(`user not created: ${created.status} ${created.text}`);
    }
    return created.body['id'] as string;
  }

  /**
   * The reset link mailed to `email` after the mark `after` (`mail.mark()` taken before the
   * request), checked to point at this portal's reset page.
   */
  async resetLinkFor(email: string, after: number, locale?: Locale): Promise<ResetLink> {
    return this.linkFrom(await this.resetMailFor(email, after, locale));
  }

  /** The reset email itself (its link and its 8-digit code) sent to `email` after `after`. */
  async resetMailFor(
    email: string,
    after: number,
    locale: Locale = DEFAULT_LOCALE,
  ): Promise<ReceivedMail> {
    const subject = mailSubject(locale, 'reset-password');
    return this.mail.waitFor(email, { after, predicate: (mail) => mail.subject === subject });
  }

  /** A reset link requested through the API directly, for tests about what the link opens. */
  async requestResetLink(email: string): Promise<ResetLink> {
    const after = this.mail.mark();
    const answer = await this.api.post(API_PATHS.forgotPassword, { email });
    if (answer.status !== 202) throw new Error(`forgot-password answered ${answer.status}`);
    return this.resetLinkFor(email, after);
  }

  /** A provisioned user who has set a password (through the invitation link, over the API). */
  async createPersonWithPassword(prefix: string): Promise<Person> {
    const email = uniqueEmail(prefix);
    const displayName = `${prefix[0]?.toUpperCase() ?? ''}${prefix.slice(1)} Person`;
    const after = this.mail.mark();
    await this.createUser(email, displayName);
    const { token } = this.linkFrom(
      await this.mail.waitFor(email, { after, predicate: isInvitation }),
    );
    const reset = await this.api.post(API_PATHS.resetPassword, {
      token,
      newPassword: GOOD_PASSWORD,
    });
    if (reset.status !== 200) throw new Error(`password not set: ${reset.status} ${reset.text}`);
    return { email, displayName, password: GOOD_PASSWORD };
  }

  /** Makes a person staff the way an operator does: the CLI's `user:grant`. */
  async grantRole(email: string, role: StaffRole): Promise<void> {
    const env = {
      PATH: process.env['PATH'] ?? '',
      NODE_ENV: 'test',
      DATABASE_URL: this.api.databaseUrl,
    };
    const child = spawn(process.execPath, [CLI, 'user:grant', '--email', email, '--role', role], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const code = await new Promise<number | null>((done, fail) => {
      child.once('error', fail);
      child.once('exit', done);
    });
    if (code !== 0) throw new Error(`user:grant exited with ${code}:\n${output}`);
  }

  /**
   * Holds the second factor of `email` back as `failures` wrong codes in a row would, the last
   * one now: 13 make the next attempt wait over four minutes (the doubling starts after 5),
   * where producing them would take as long.
   */
  async throttleSecondFactorOf(email: string, failures: number): Promise<void> {
    await this.api.query(
      `UPDATE mfa_factors SET failed_attempts = $2, last_failed_at = now()
        WHERE confirmed_at IS NOT NULL AND user_id = (SELECT id FROM users WHERE email = $1)`,
      [email, failures],
    );
  }

  /** Puts a token past its expiry, as 16 minutes of waiting would. */
  async expireTokensOf(email: string): Promise<void> {
    await this.api.query(
      `UPDATE password_reset_tokens
          SET created_at = now() - interval '1 hour', expires_at = now() - interval '1 second'
        WHERE user_id = (SELECT id FROM users WHERE email = $1)`,
      [email],
    );
  }

  private linkFrom(mail: ReceivedMail): ResetLink {
    const prefix = `${this.origin}/${PORTAL_ROUTES.resetPassword}/`;
    const links = mail.text.match(/https?:\/\/[^\s<>"]+/g) ?? [];
    const link = links.find((candidate) => candidate.includes(`/${PORTAL_ROUTES.resetPassword}/`));
    if (link === undefined) throw new Error(`no reset link in "${mail.subject}":\n${mail.text}`);
    if (!link.startsWith(prefix))
      throw new Error(`the emailed link ${link} is not under ${prefix}`);
    return { link, token: link.slice(prefix.length) };
  }
}
