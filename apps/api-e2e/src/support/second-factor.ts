import {
  ApiProcess,
  MailCatcher,
  PORTAL_URL,
  ReceivedMail,
  TestAuthenticator,
  tokenFromMail,
} from '@account-recovery/testing';

import { runCli } from './cli-process';

/** Steps shared by the second-factor suites: accounts, sessions, enrolment, emailed links. */
export class SecondFactorSteps {
  constructor(
    private readonly api: () => ApiProcess,
    private readonly mail: MailCatcher,
    private readonly apiKey: string,
  ) {}

  async createUser(email: string): Promise<string> {
    const created = await this.api().post('/api/v1/users', { email }, { 'x-api-key': this.apiKey });
    if (created.status !== 201) throw new Error(`create user: ${created.status} ${created.text}`);
    return created.body['id'] as string;
  }

  /** A user with a password, by the emailed link like everyone else. */
  async createUserWithPassword(email: string, password: string): Promise<string> {
    const id = await this.createUser(email);
    const token = await this.requestLink(email);
    const reset = await this.api().post('/api/v1/auth/reset-password', {
      token,
      newPassword: password,
    });
    if (reset.status !== 200) throw new Error(`set password: ${reset.status} ${reset.text}`);
    return id;
  }

  async requestLink(email: string): Promise<string> {
    return tokenFromMail(await this.requestResetMail(email), PORTAL_URL);
  }

  async requestResetMail(email: string): Promise<ReceivedMail> {
    const after = this.mail.mark();
    const asked = await this.api().post('/api/v1/auth/forgot-password', { email });
    if (asked.status !== 202) throw new Error(`forgot: ${asked.status}`);
    return this.mail.waitFor(email, { after, predicate: (m) => m.subject.includes('Reset') });
  }

  async signIn(email: string, password: string): Promise<Record<string, unknown>> {
    const login = await this.api().post('/api/v1/auth/login', { email, password });
    if (login.status !== 200) throw new Error(`login: ${login.status} ${login.text}`);
    return login.body;
  }

  async bearer(email: string, password: string): Promise<Record<string, string>> {
    const session = await this.signIn(email, password);
    return { authorization: `Bearer ${session['accessToken'] as string}` };
  }

  /** Signs in with the password and the authenticator's next code: the session's header. */
  async signInWithFactor(
    email: string,
    password: string,
    authenticator: TestAuthenticator,
  ): Promise<Record<string, string>> {
    const { challengeToken } = await this.signIn(email, password);
    const done = await this.api().post('/api/v1/auth/login/mfa', {
      challengeToken,
      code: await authenticator.nextCode(),
    });
    if (done.status !== 200) throw new Error(`login/mfa: ${done.status} ${done.text}`);
    return { authorization: `Bearer ${done.body['accessToken'] as string}` };
  }

  /** Gives (or with `--revoke` takes) a staff role as an operator does: `user:grant`. */
  async grant(email: string, role: string, ...flags: string[]): Promise<string> {
    const args = ['user:grant', '--email', email, '--role', role, ...flags];
    const result = await runCli(args, { NODE_ENV: 'test', DATABASE_URL: this.api().databaseUrl });
    if (result.code !== 0) throw new Error(`user:grant: ${result.stderr}`);
    return result.stdout;
  }

  /** Enrols and confirms an authenticator; returns it and the recovery codes. */
  async enrol(
    auth: Record<string, string>,
  ): Promise<{ authenticator: TestAuthenticator; recoveryCodes: string[] }> {
    const started = await this.api().post('/api/v1/auth/mfa/totp', undefined, auth);
    if (started.status !== 200) throw new Error(`enrol: ${started.status} ${started.text}`);
    const authenticator = new TestAuthenticator(started.body['secret'] as string);
    const confirmed = await this.api().post(
      '/api/v1/auth/mfa/totp/confirm',
      { code: await authenticator.nextCode() },
      auth,
    );
    if (confirmed.status !== 200) throw new Error(`confirm: ${confirmed.status} ${confirmed.text}`);
    return { authenticator, recoveryCodes: confirmed.body['recoveryCodes'] as string[] };
  }
}

/** The 8-digit code of a reset email's text. */
export function resetCodeFromMail(mail: { text: string }): string {
  const match = /^\s*(\d{8})\s*$/m.exec(mail.text);
  if (!match?.[1]) throw new Error('no 8-digit code in the email');
  return match[1];
}
