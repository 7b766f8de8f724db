import { connect } from 'node:net';

import { ApiProcess, MailCatcher } from '@account-recovery/testing';

/** One hostile request: raw body and content type, as an attacker would send them. */
interface Hostile {
  name: string;
  body: string;
  contentType?: string;
}

const ENDPOINTS = {
  forgot: '/api/v1/auth/forgot-password',
  validate: '/api/v1/auth/reset-password/validate',
  reset: '/api/v1/auth/reset-password',
  login: '/api/v1/auth/login',
} as const;
type Endpoint = keyof typeof ENDPOINTS;

/** The string fields of each endpoint, to carry every hostile value in each of them. */
const FIELDS: Record<Endpoint, Record<string, string>> = {
  forgot: { email: 'victim@example.com' },
  validate: { token: 'A'.repeat(43) },
  reset: { token: 'A'.repeat(43), newPassword: 'a long enough passphrase' },
  login: { email: 'victim@example.com', password: 'whatever it is here' },
};

const INJECTIONS = [
  "' OR '1'='1' --",
  "victim@example.com'; DROP TABLE users; --",
  '{{7*7}}',
  '${7*7}',
  '<%= 7*7 %>',
  "{{constructor.constructor('return process')()}}",
  '<script>alert(1)</script>@example.com',
  'victim@example.com\r\nBcc: attacker@example.com',
  'victim@example.com\u0000attacker@example.com',
  '\u202Emoc.elpmaxe@mitciv',
  // A fullwidth at sign folds to @ under NFKC: two @ once normalised.
  'victim\uFF20evil.example@example.com',
  // Not well-formed UTF-16: a byte count by encodeURI throws on it.
  '\uD800victim@example.com',
  'x'.repeat(10_000),
  '',
];

const STRUCTURES: unknown[] = [
  null,
  42,
  true,
  [],
  ['victim@example.com', 'attacker@example.com'],
  { $ne: null },
];

function hostileRequests(endpoint: Endpoint): Hostile[] {
  const fields = FIELDS[endpoint];
  const json = (value: unknown) => JSON.stringify(value);
  const requests: Hostile[] = [
    { name: 'not JSON', body: '{bad json' },
    { name: 'empty body', body: '' },
    { name: 'JSON null', body: 'null' },
    { name: 'JSON array', body: json([fields]) },
    { name: 'JSON string', body: json('victim@example.com') },
    { name: 'JSON number', body: '12345' },
    { name: 'text/plain', body: json(fields), contentType: 'text/plain' },
    { name: 'xml', body: '<email>victim@example.com</email>', contentType: 'application/xml' },
    {
      name: 'form',
      body: 'email=victim%40example.com',
      contentType: 'application/x-www-form-urlencoded',
    },
    { name: '1 MB body', body: json({ ...fields, pad: 'x'.repeat(1024 * 1024) }) },
    { name: '5 MB body', body: json({ ...fields, pad: 'x'.repeat(5 * 1024 * 1024) }) },
    { name: 'unknown field', body: json({ ...fields, isAdmin: true }) },
    { name: '__proto__', body: `{"__proto__":{"isAdmin":true},${json(fields).slice(1)}` },
    {
      name: 'constructor.prototype',
      body: json({ ...fields, constructor: { prototype: { isAdmin: true } } }),
    },
    { name: 'all fields missing', body: '{}' },
  ];
  for (const field of Object.keys(fields)) {
    for (const value of STRUCTURES) {
      requests.push({
        name: `${field} = ${json(value)}`,
        body: json({ ...fields, [field]: value }),
      });
    }
    for (const value of INJECTIONS) {
      requests.push({
        name: `${field} = ${json(value).slice(0, 40)}`,
        body: json({ ...fields, [field]: value }),
      });
    }
  }
  return requests;
}

/**
 * Malformed and malicious requests across the auth endpoints: every answer is a 4xx in the
 * contract's shape, nothing is mailed, and the service stays ready. Each of these requests
 * is invalid for its endpoint (a login that is well formed but wrong answers 401).
 */
describe('hostile input', () => {
  const mail = new MailCatcher();
  let api: ApiProcess;

  beforeAll(async () => {
    await mail.start();
    api = await ApiProcess.start({ SMTP_URL: mail.url, BCRYPT_COST: '10' });
    await api.query(
      `INSERT INTO users (email) VALUES ('victim@example.com'), ('attacker@example.com')`,
    );
  });

  afterAll(async () => {
    await api?.stop();
    await mail.stop();
  });

  it('should answer at least 150 hostile requests with 4xx errors in the contract shape', async () => {
    const outcomes: { endpoint: Endpoint; name: string; status: number; shape: boolean }[] = [];
    for (const endpoint of Object.keys(ENDPOINTS) as Endpoint[]) {
      for (const request of hostileRequests(endpoint)) {
        const response = await send(
          `${api.baseUrl}${ENDPOINTS[endpoint]}`,
          request.body,
          request.contentType ?? 'application/json',
        );
        const text = response.text;
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(text) as Record<string, unknown>;
        } catch {
          body = {};
        }
        const shape =
          body['statusCode'] === response.status &&
          typeof body['code'] === 'string' &&
          typeof body['message'] === 'string' &&
          Object.keys(body).every((key) =>
            ['statusCode', 'code', 'message', 'errors', 'rules'].includes(key),
          );
        outcomes.push({ endpoint, name: request.name, status: response.status, shape });
      }
    }
    expect(outcomes.length).toBeGreaterThanOrEqual(150);
    const wrong = outcomes.filter((o) => o.status < 400 || o.status >= 500 || !o.shape);
    expect(wrong).toEqual([]);
    // The big bodies stop at the limit, before any parsing.
    expect(outcomes.filter((o) => o.name.endsWith('MB body')).map((o) => o.status)).toEqual([
      413, 413, 413, 413, 413, 413, 413, 413,
    ]);
  });

  it('should stay ready and never mail anyone because of them', async () => {
    expect((await api.get('/api/health/ready')).status).toBe(200);
    // Give any wrongly queued email the time to leave, then check none did.
    await new Promise((r) => setTimeout(r, 2000));
    expect(mail.received).toEqual([]);
    const jobs = await api.query(`SELECT 1 FROM pgboss.job WHERE name = 'account-email'`);
    expect(jobs).toEqual([]);
    expect(await api.query(`SELECT 1 FROM reset_request_intake`)).toEqual([]);
    expect(api.logs.filter((line) => /"level":50/.test(line))).toEqual([]);
  });
});

/**
 * A raw POST over a plain socket: the request as an attacker writes it, and the answer as
 * soon as it comes. Bodies over 64 kB are announced in full (Content-Length) but only
 * their first 64 kB are sent: the server must refuse on the announced size, before reading.
 */
function send(
  url: string,
  body: string,
  contentType: string,
): Promise<{ status: number; text: string }> {
  const { hostname, port, pathname } = new URL(url);
  const bytes = Buffer.from(body, 'utf8');
  const sent = bytes.subarray(0, 64 * 1024);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let answer = '';
    const finish = () => {
      socket.destroy();
      const [head = '', ...rest] = answer.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      resolve({ status, text: rest.join('\r\n\r\n') });
    };
    socket.setTimeout(10_000, finish);
    socket.on('error', finish);
    socket.on('close', finish);
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('utf8');
      const [head, payload] = answer.split('\r\n\r\n');
      const length = Number(/content-length: (\d+)/i.exec(head ?? '')?.[1] ?? -1);
      if (payload !== undefined && length >= 0 && Buffer.byteLength(payload) >= length) finish();
    });
    socket.write(
      `POST ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: ${contentType}\r\n` +
        `Content-Length: ${bytes.length}\r\nConnection: close\r\n\r\n`,
    );
    socket.write(sent);
  });
}
