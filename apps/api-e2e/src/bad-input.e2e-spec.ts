import { gzipSync } from 'node:zlib';

import { ApiProcess, HttpResult, MailCatcher } from '@account-recovery/testing';

import { resetRequestCount } from './support/email-jobs';
import { isInvitation, isResetMail } from './support/mail-wait';
import { createUserViaApi, ROUTES } from './support/service-api';

const API_KEY = 'bad-input-service-key-3e8a61';

/**
 * Malformed requests get a clear 4xx in the contract's error shape, never a 500, never an
 * email, and never an echo of what was sent (docs/architecture.md §8).
 */
describe('bad input', () => {
  const mail = new MailCatcher();
  let api: ApiProcess;

  beforeAll(async () => {
    await mail.start();
    api = await ApiProcess.start({ SMTP_URL: mail.url, SERVICE_API_KEYS: API_KEY });
  });

  afterAll(async () => {
    await api?.stop();
    await mail.stop();
  });

  /** How many forgot-password requests exist (intake or job): a refused one must not add one. */
  function resetJobCount(): Promise<number> {
    return resetRequestCount(api);
  }

  /** Exactly `{ statusCode, code, message }`, plus `errors` for a validation failure. */
  function expectError(
    result: HttpResult,
    statusCode: number,
    code: string,
    withFieldErrors = false,
  ): void {
    expect(result.status).toBe(statusCode);
    expect(result.headers.get('content-type')).toMatch(/^application\/json/);
    const expected: Record<string, unknown> = {
      statusCode,
      code,
      message: expect.stringMatching(/\S/),
    };
    if (withFieldErrors) expected['errors'] = expect.any(Object);
    expect(result.body).toEqual(expected);
  }

  /** A POST with exactly these bytes and headers (the harness would set JSON for us). */
  async function postRaw(
    path: string,
    body: string | Uint8Array<ArrayBuffer> | undefined,
    headers: Record<string, string>,
    method = 'POST',
  ): Promise<HttpResult> {
    const response = await fetch(`${api.baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // left empty: the shape assertion then fails with the text in view
    }
    return { status: response.status, headers: response.headers, text, body: json };
  }

  it('should refuse an array of addresses and email neither of them (GitLab CVE-2023-7028)', async () => {
    const victim = 'victim@example.com';
    const attacker = 'attacker@example.com';
    await createUserViaApi(api, API_KEY, victim, 'Victim');
    await mail.waitFor(victim, { predicate: isInvitation });
    const jobsBefore = await resetJobCount();

    for (const email of [[victim, attacker], [victim], { email: victim }]) {
      const refused = await api.post(ROUTES.forgot, { email });
      expectError(refused, 400, 'VALIDATION_FAILED', true);
      expect(refused.body['errors']).toHaveProperty('email');
    }
    // Refused before the queue: no job exists that could ever send an email.
    expect(await resetJobCount()).toBe(jobsBefore);
    expect(mail.mailsTo(victim).filter(isResetMail)).toEqual([]);
    expect(mail.mailsTo(attacker)).toEqual([]);
  });

  it('should refuse an address with CR or LF in it', async () => {
    const jobsBefore = await resetJobCount();
    for (const email of [
      'victim@example.com\r\nBcc: attacker@example.com',
      'victim@example.com\nBcc: attacker@example.com',
      'victim@example.com\r',
      '\nvictim@example.com',
    ]) {
      expectError(await api.post(ROUTES.forgot, { email }), 400, 'VALIDATION_FAILED', true);
    }
    expect(await resetJobCount()).toBe(jobsBefore);
  });

  it('should refuse quoted local parts, which SMTP relays refuse, before anything is queued', async () => {
    const jobsBefore = await resetJobCount();
    for (const email of [
      '"a@evil x"@corp.example',
      '"jane doe"@example.com',
      '"jane"@example.com',
    ]) {
      const refused = await api.post(ROUTES.forgot, { email });
      expectError(refused, 400, 'VALIDATION_FAILED', true);
      expect(refused.body['errors']).toHaveProperty('email');
      expect(refused.text).not.toContain('evil');
      const created = await api.post(ROUTES.users, { email }, { 'x-api-key': API_KEY });
      expectError(created, 400, 'VALIDATION_FAILED', true);
    }
    expect(await resetJobCount()).toBe(jobsBefore);
    expect(await api.query(`SELECT id FROM users WHERE email LIKE '"%'`)).toEqual([]);
  });

  it('should answer a body that is not JSON with 400 VALIDATION_FAILED without echoing it', async () => {
    for (const body of [
      '{"email": "echo-marker@example.com"',
      "{'email': 'echo-marker@example.com'}",
      'email=echo-marker@example.com',
    ]) {
      const refused = await postRaw(ROUTES.forgot, body, { 'content-type': 'application/json' });
      expectError(refused, 400, 'VALIDATION_FAILED');
      // A fixed sentence: whatever the parser's own message says, it is never passed on.
      expect(refused.body['message']).toBe('The request body is not valid JSON.');
      expect(refused.text).not.toContain('echo-marker');
    }
  });

  it('should answer text/plain with 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const refused = await postRaw(ROUTES.forgot, '{"email":"plain@example.com"}', {
      'content-type': 'text/plain',
    });
    expectError(refused, 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(refused.text).not.toContain('plain@example.com');
  });

  it('should answer form posts (sendable cross-site without a preflight) with 415', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const refused = await postRaw(ROUTES.forgot, 'email=form%40example.com', {
        'content-type': type,
      });
      expectError(refused, 415, 'UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('should refuse a field the contract does not know', async () => {
    const refused = await api.post(ROUTES.forgot, { email: 'extra@example.com', isAdmin: true });
    expectError(refused, 400, 'VALIDATION_FAILED', true);
    expect(refused.body['errors']).toEqual({ isAdmin: [expect.any(String)] });
    const login = await api.post(ROUTES.login, {
      email: 'extra@example.com',
      password: 'whatever it is',
      remember: true,
    });
    expectError(login, 400, 'VALIDATION_FAILED', true);
  });

  it('should answer a 20 kB body with 413 PAYLOAD_TOO_LARGE', async () => {
    // Valid JSON of a valid request, only padded: the size alone is refused.
    const jobsBefore = await resetJobCount();
    const body = `{"email":"big@example.com"${' '.repeat(20 * 1024)}}`;
    expectError(
      await postRaw(ROUTES.forgot, body, { 'content-type': 'application/json' }),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    expect(await resetJobCount()).toBe(jobsBefore);
  });

  it('should answer a missing body with 400', async () => {
    expectError(await postRaw(ROUTES.forgot, undefined, {}), 400, 'VALIDATION_FAILED', true);
    expectError(
      await postRaw(ROUTES.forgot, undefined, { 'content-type': 'application/json' }),
      400,
      'VALIDATION_FAILED',
    );
    expectError(
      await postRaw(ROUTES.forgot, 'null', { 'content-type': 'application/json' }),
      400,
      'VALIDATION_FAILED',
      true,
    );
    expectError(await postRaw(ROUTES.validate, undefined, {}), 400, 'VALIDATION_FAILED', true);
  });

  it('should refuse a body nested deeper than 32 levels with 400 at every route that reads one', async () => {
    const userId = await createUserViaApi(api, API_KEY, 'nested@example.com');
    const withKey = { 'content-type': 'application/json', 'x-api-key': API_KEY };
    const routes: [string, string][] = [
      ['POST', ROUTES.forgot],
      ['POST', ROUTES.validate],
      ['POST', ROUTES.reset],
      ['POST', ROUTES.login],
      ['POST', ROUTES.users],
      ['PATCH', `${ROUTES.users}/${userId}`],
      ['POST', `${ROUTES.users}/${userId}/password-reset`],
    ];
    // Deep enough to exhaust class-transformer's recursion, small enough for the body limit.
    const deep = [
      `{"email":${'['.repeat(5000)}${']'.repeat(5000)}}`,
      `${'{"a":'.repeat(2500)}1${'}'.repeat(2500)}`,
    ];
    for (const [method, path] of routes) {
      for (const body of deep) {
        const refused = await postRaw(path, body, withKey, method);
        expectError(refused, 400, 'VALIDATION_FAILED', true);
        expect(refused.body['errors']).toEqual({ body: [expect.stringContaining('32 levels')] });
      }
    }
    // At the limit the body is parsed and refused for what it holds, field by field.
    const atLimit = await api.post(ROUTES.forgot, `{"email":${'['.repeat(31)}${']'.repeat(31)}}`);
    expectError(atLimit, 400, 'VALIDATION_FAILED', true);
    expect(Object.keys(atLimit.body['errors'] as object)).toEqual(['email']);
  });

  it('should answer 415 for a body in any Content-Encoding but identity', async () => {
    const json = '{"email":"encoded@example.com"}';
    for (const [encoding, body] of [
      ['gzip', new Uint8Array(gzipSync(json))],
      ['deflate', json],
      ['br', json],
      ['x-unknown', json],
      ['identity, gzip', json],
    ] as const) {
      const refused = await postRaw(ROUTES.forgot, body, {
        'content-type': 'application/json',
        'content-encoding': encoding,
      });
      expectError(refused, 415, 'UNSUPPORTED_MEDIA_TYPE');
    }
    const plain = await postRaw(ROUTES.forgot, json, {
      'content-type': 'application/json',
      'content-encoding': 'identity',
    });
    expect(plain.status).toBe(202);
  });

  it('should answer 415 for JSON in a charset other than UTF-8', async () => {
    const json = '{"email":"charset@example.com"}';
    for (const charset of ['latin1', 'iso-8859-1', 'utf-16', '"us-ascii"']) {
      const refused = await postRaw(ROUTES.forgot, json, {
        'content-type': `application/json; charset=${charset}`,
      });
      expectError(refused, 415, 'UNSUPPORTED_MEDIA_TYPE');
    }
    for (const charset of ['utf-8', 'UTF-8', '"utf-8"']) {
      const accepted = await postRaw(ROUTES.forgot, json, {
        'content-type': `application/json; charset=${charset}`,
      });
      expect(accepted.status).toBe(202);
    }
  });

  it('should answer a broken or over-long URL and oversized headers in the contract shape, without quoting them', async () => {
    const key = { 'x-api-key': API_KEY };
    for (const path of ['%E0%A4%A', '%', '%ED%A0%80']) {
      const refused = await api.get(`${ROUTES.users}/${path}`, key);
      expectError(refused, 400, 'VALIDATION_FAILED');
      expect(refused.text).not.toContain(path);
    }
    const long = await api.get(`${ROUTES.users}/${'quoted-marker'.repeat(20)}`, key);
    expectError(long, 414, 'VALIDATION_FAILED');
    expect(long.text).not.toContain('quoted-marker');
    const headers = await api.get(ROUTES.ready, { 'x-padding': 'h'.repeat(20 * 1024) });
    expectError(headers, 431, 'VALIDATION_FAILED');
  });

  it('should refuse a body that is not UTF-8 rather than decode it and mail the mangled address', async () => {
    const body = Buffer.concat([
      Buffer.from('{"email":"mangled@example.com'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}'),
    ]);
    const refused = await postRaw(ROUTES.users, new Uint8Array(body), {
      'content-type': 'application/json',
      'x-api-key': API_KEY,
    });
    expectError(refused, 400, 'VALIDATION_FAILED');
    expect(await api.query(`SELECT 1 FROM users WHERE email LIKE 'mangled@%'`)).toEqual([]);
  });

  it('should not answer an OPTIONS request outside the contract when it is no CORS preflight', async () => {
    // Not a browser's preflight (no Origin): nothing to refuse, and no text/plain error.
    const options = await api.request('OPTIONS', ROUTES.forgot);
    expect(options.status).toBe(204);
    expect(options.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('should still be ready after all of that', async () => {
    const ready = await api.get(ROUTES.ready);
    expect(ready.status).toBe(200);
    expect(ready.body['status']).toBe('ok');
  });
});
