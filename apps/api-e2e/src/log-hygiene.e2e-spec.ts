import {
  ApiProcess,
  MailCatcher,
  PORTAL_URL,
  TestAuthenticator,
  tokenFromMail,
} from '@account-recovery/testing';

import { isInvitation, isResetMail } from './support/mail-wait';
import { RangeServer, sha1Hex } from './support/range-server';
import { resetCodeFromMail, SecondFactorSteps } from './support/second-factor';
import { API_KEY_HEADER, ROUTES } from './support/service-api';

const API_KEY = 'log-hygiene-service-key-5f0c2a9e';
const NEW_PASSWORD = 'orchard lantern drifts slowly';
const WRONG_PASSWORD = 'marble heron guesses wrong';
const WEAK_PASSWORD = 'tiny pw 7';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface LogLine {
  msg?: string;
  req?: { id?: unknown; method?: string; url?: string };
  res?: { statusCode?: number };
}

/**
 * What the API writes to stdout/stderr over a whole flow (docs/architecture.md §6): never a token, a
 * password, an access token or a key, and every line structured JSON that a log pipeline can
 * index, with the request id on request lines.
 */
describe('API logs', () => {
  const mail = new MailCatcher();
  // A breach corpus that fails every check: the warning it causes is a log line to vet too.
  const corpus = new RangeServer([]);
  let api: ApiProcess;
  const steps = new SecondFactorSteps(() => api, mail, API_KEY);

  beforeAll(async () => {
    await mail.start();
    corpus.behaviour = 'error';
    api = await ApiProcess.start({
      SMTP_URL: mail.url,
      SERVICE_API_KEYS: API_KEY,
      PWNED_PASSWORDS_URL: await corpus.start(),
    });
  });

  afterAll(async () => {
    await api?.stop();
    await mail.stop();
    await corpus.stop();
  });

  function parsedLogs(): { json: LogLine[]; notJson: string[] } {
    const json: LogLine[] = [];
    const notJson: string[] = [];
    for (const line of api.logs) {
      try {
        json.push(JSON.parse(line) as LogLine);
      } catch {
        notJson.push(line);
      }
    }
    return { json, notJson };
  }

  /** Log lines reach the test through a pipe; wait for the one a request has produced. */
  async function waitForLogLine(predicate: (line: LogLine) => boolean): Promise<LogLine> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const line = parsedLogs().json.find(predicate);
      if (line) return line;
      if (Date.now() > deadline) throw new Error('no such log line within 5 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('should keep tokens, passwords, access tokens and API keys out of every log line', async () => {
    const email = 'log.person@example.com';
    const created = await api.post(
      ROUTES.users,
      { email, displayName: 'Log Person' },
      { [API_KEY_HEADER]: API_KEY },
    );
    expect(created.status).toBe(201);
    const inviteToken = tokenFromMail(
      await mail.waitFor(email, { predicate: isInvitation }),
      PORTAL_URL,
    );

    const since = Date.now();
    expect((await api.post(ROUTES.forgot, { email })).status).toBe(202);
    const token = tokenFromMail(
      await mail.waitFor(email, { since, predicate: isResetMail }),
      PORTAL_URL,
    );
    expect((await api.post(ROUTES.validate, { token })).status).toBe(200);
    // A token in the query string too: clients get this wrong, the log must not repeat it.
    expect((await api.post(`${ROUTES.validate}?token=${token}`, { token })).status).toBe(200);
    const weak = await api.post(ROUTES.reset, { token, newPassword: WEAK_PASSWORD });
    expect(weak.body['code']).toBe('PASSWORD_POLICY');
    expect((await api.post(ROUTES.reset, { token, newPassword: NEW_PASSWORD })).status).toBe(200);
    // A reuse attempt: the history comparison and the corpus's failure must not log it.
    const after = mail.mark();
    expect((await api.post(ROUTES.forgot, { email })).status).toBe(202);
    const again = tokenFromMail(
      await mail.waitFor(email, { after, predicate: isResetMail }),
      PORTAL_URL,
    );
    const reused = await api.post(ROUTES.reset, { token: again, newPassword: NEW_PASSWORD });
    expect(reused.body['rules']).toEqual(['RECENTLY_USED']);
    expect(api.logs.some((line) => line.includes('Breach corpus check skipped (status)'))).toBe(
      true,
    );

    const wrong = await api.post(ROUTES.login, { email, password: WRONG_PASSWORD });
    expect(wrong.body['code']).toBe('INVALID_CREDENTIALS');
    const login = await api.post(ROUTES.login, { email, password: NEW_PASSWORD });
    expect(login.status).toBe(200);
    const accessToken = login.body['accessToken'] as string;
    expect(
      (await api.get(ROUTES.me, { authorization: `Bearer ${accessToken}` })).body['email'],
    ).toBe(email);
    // The worker's lines belong to the flow too: wait for its last email.
    await mail.waitFor(email, { since, predicate: (m) => m.subject.includes('changed') });
    await waitForLogLine((line) => line.req?.url === ROUTES.me);

    const [{ password_hash: passwordHash }] = await api.query<{ password_hash: string }>(
      `SELECT password_hash FROM users WHERE email = $1`,
      [email],
    );
    const secrets = {
      inviteToken,
      token,
      NEW_PASSWORD,
      WRONG_PASSWORD,
      WEAK_PASSWORD,
      accessToken,
      API_KEY,
      passwordHash,
      // What the breach check derives from the password: its SHA-1 and the range's prefix.
      newPasswordSha1: sha1Hex(NEW_PASSWORD),
      newPasswordRange: sha1Hex(NEW_PASSWORD).slice(0, 5),
    };
    expect(api.logs.length).toBeGreaterThan(10);
    const leaks = Object.entries(secrets).flatMap(([name, secret]) =>
      api.logs.filter((line) => line.includes(secret)).map((line) => `${name}: ${line}`),
    );
    expect(leaks).toEqual([]);
  });

  it('should write every line as JSON with a distinct request id on request lines', async () => {
    const { json, notJson } = parsedLogs();
    expect(notJson).toEqual([]);
    const completed = json.filter((line) => line.msg === 'request completed');
    expect(completed.length).toBeGreaterThanOrEqual(9);
    const ids = completed.map((line) => line.req?.id);
    for (const id of ids) expect(id).toEqual(expect.stringMatching(/\S/));
    expect(new Set(ids).size).toBe(ids.length);
    for (const line of json.filter((l) => l.req !== undefined)) {
      expect(typeof line.req?.id).toBe('string');
    }
  });

  it('should take the request id from a sane X-Request-Id and make its own otherwise', async () => {
    const meLines = () =>
      parsedLogs().json.filter(
        (line) => line.msg === 'request completed' && line.req?.url === ROUTES.me,
      );
    const before = meLines().length;
    for (const header of ['trace-e2e-0042', 'forged id\twith "quotes"', 'x'.repeat(65), null]) {
      const response = await api.get(ROUTES.me, header === null ? {} : { 'x-request-id': header });
      expect(response.status).toBe(401);
    }
    await waitForLogLine(() => meLines().length >= before + 4);
    const ids = meLines()
      .slice(before)
      .map((line) => line.req?.id);
    expect(ids[0]).toBe('trace-e2e-0042');
    for (const id of ids.slice(1)) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(4);
    expect(api.logs.join('\n')).not.toContain('forged id');
  });

  it('should keep second-factor secrets, codes and challenges out of every log line', async () => {
    const email = 'log.mfa@example.com';
    await steps.createUserWithPassword(email, NEW_PASSWORD);
    const auth = await steps.bearer(email, NEW_PASSWORD);
    const started = await api.post('/api/v1/auth/mfa/totp', undefined, auth);
    const secret = started.body['secret'] as string;
    const authenticator = new TestAuthenticator(secret);
    const wrongCode = authenticator.wrongCode();
    expect(
      (await api.post('/api/v1/auth/mfa/totp/confirm', { code: wrongCode }, auth)).status,
    ).toBe(400);
    const confirmCode = await authenticator.nextCode();
    const confirmed = await api.post('/api/v1/auth/mfa/totp/confirm', { code: confirmCode }, auth);
    const recoveryCodes = confirmed.body['recoveryCodes'] as string[];

    const challenge = await steps.signIn(email, NEW_PASSWORD);
    const challengeToken = challenge['challengeToken'] as string;
    const signInCode = await authenticator.nextCode();
    expect(
      (await api.post('/api/v1/auth/login/mfa', { challengeToken, code: signInCode })).status,
    ).toBe(200);

    const resetMail = await steps.requestResetMail(email);
    const resetCode = resetCodeFromMail(resetMail);
    const redeemed = await api.post('/api/v1/auth/reset-password/code', { email, code: resetCode });
    const codeToken = redeemed.body['token'] as string;
    const reset = await api.post(ROUTES.reset, {
      token: codeToken,
      newPassword: 'copper kettle hums at noon',
      secondFactor: { code: recoveryCodes[0] },
    });
    expect(reset.status).toBe(200);
    await mail.waitFor(email, { predicate: (m) => m.subject.includes('password was changed') });
    await waitForLogLine((line) => line.req?.url === ROUTES.reset && line.res?.statusCode === 200);

    const [{ secret_ciphertext: ciphertext }] = await api.query<{ secret_ciphertext: string }>(
      `SELECT f.secret_ciphertext FROM mfa_factors f JOIN users u ON u.id = f.user_id
        WHERE u.email = $1`,
      [email],
    );
    const codeHashes = await api.query<{ code_hash: string }>(
      `SELECT r.code_hash FROM recovery_codes r JOIN users u ON u.id = r.user_id WHERE u.email = $1`,
      [email],
    );
    const secrets: Record<string, string> = {
      secret,
      otpauthUri: started.body['otpauthUri'] as string,
      ciphertext,
      challengeToken,
      codeToken,
      ...Object.fromEntries(recoveryCodes.map((code, i) => [`recovery${i}`, code])),
      ...Object.fromEntries(
        recoveryCodes.map((code, i) => [`recoveryBare${i}`, code.replace('-', '')]),
      ),
      ...Object.fromEntries(codeHashes.map((row, i) => [`recoveryHash${i}`, row.code_hash])),
    };
    const leaks = Object.entries(secrets).flatMap(([name, value]) =>
      api.logs.filter((line) => line.includes(value)).map((line) => `${name}: ${line}`),
    );
    // Digits only: a code must not stand alone, but may sit inside a longer number (a time).
    const digitCodes = { wrongCode, confirmCode, signInCode, resetCode };
    for (const [name, code] of Object.entries(digitCodes)) {
      const alone = new RegExp(`(?<![0-9])${code}(?![0-9])`);
      leaks.push(...api.logs.filter((line) => alone.test(line)).map((line) => `${name}: ${line}`));
    }
    expect(leaks).toEqual([]);
  });
});
