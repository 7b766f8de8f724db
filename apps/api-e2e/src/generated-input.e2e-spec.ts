import { randomInt } from 'node:crypto';

import { ApiProcess, MailCatcher } from '@account-recovery/testing';

import fc from 'fast-check';

import { contractViolations } from './support/contract-shape';
import { headerRequest } from './support/header-arbitraries';
import { BODY_LIMIT_BYTES, VICTIM } from './support/json-arbitraries';
import { routesOf, RouteSpec } from './support/openapi-routes';
import { KeepAliveClient, RawResponse } from './support/raw-http';
import {
  bodyRequest,
  describeRequest,
  GeneratedRequest,
  pathRequest,
  toRawRequest,
} from './support/request-arbitraries';
import { namesTarget, seedTargets, Targets } from './support/seeded-targets';

const API_KEY = 'generated-input-service-key-5d21c8';
const DEFAULT_SEED = 20261205;
/** Requests per property: 10,000 and more in all on every `npm test`. */
const RUNS = { bodies: 6000, headers: 2200, paths: 2000 } as const;

/**
 * FUZZ_SEED unset: the fixed seed, the same requests on every run. FUZZ_SEED=random: a new
 * seed, printed so a failure can be replayed with FUZZ_SEED=<that number>.
 */
function fuzzSeed(): number {
  const raw = process.env['FUZZ_SEED'];
  if (raw === undefined || raw === '') return DEFAULT_SEED;
  const seed = raw === 'random' ? randomInt(2 ** 31) : Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error('FUZZ_SEED must be an integer or "random"');
  console.log(`generated-input: FUZZ_SEED=${seed}`);
  return seed;
}

/**
 * FUZZ_COLLECT=1: run every request and print each distinct failure (by status, route and
 * first problem) instead of stopping at the first one and shrinking it.
 */
const COLLECT = process.env['FUZZ_COLLECT'] === '1';

/** Addresses (normalised as the API stores them) that a request answered 2xx carried. */
function addressesIn(request: GeneratedRequest): string[] {
  const strings: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') strings.push(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  try {
    walk(JSON.parse(request.body?.text ?? 'null'));
  } catch {
    // not JSON: carried no address the API read
  }
  for (const pair of request.path.split('?')[1]?.split('&') ?? []) {
    try {
      strings.push(decodeURIComponent(pair.split('=')[1] ?? ''));
    } catch {
      // a broken escape: not an address
    }
  }
  return strings
    .map((s) => s.trim().normalize('NFKC').toLowerCase())
    .filter((s) => s.includes('@'));
}

/**
 * Generated requests at every operation of the OpenAPI document: JSON of any shape, depth,
 * size up to and past the body limit and any Unicode; content types, charsets and content
 * encodings the API does not take; odd paths, query strings and credentials. Every answer
 * keeps the contract (no 5xx but 503, errors in the one shape), nobody is mailed because
 * of a refused request, and the API is still ready afterwards.
 */
describe('generated input', () => {
  const mail = new MailCatcher();
  const seed = fuzzSeed();
  const accepted = new Set<string>();
  const statuses = new Map<number, number>();
  const failures = new Map<string, string>();
  /** The statuses each documented operation answered, to show where the requests went. */
  const answered = new Map<string, Set<number>>();
  let api: ApiProcess;
  let client: KeepAliveClient;
  let routes: RouteSpec[];
  let targets: Targets;
  /** Whether a request naming a seeded user was answered 2xx (it may then mail that user). */
  let targetsReached = false;

  beforeAll(async () => {
    await mail.start();
    api = await ApiProcess.start({
      SMTP_URL: mail.url,
      SERVICE_API_KEYS: API_KEY,
      // Quiet, except for what the suite looks for: an unexpected error is logged at "error".
      LOG_LEVEL: 'error',
      RATE_LIMIT_FORGOT_PER_MINUTE: '1000000',
      RATE_LIMIT_VALIDATE_PER_MINUTE: '1000000',
      RATE_LIMIT_RESET_PER_MINUTE: '1000000',
      RATE_LIMIT_LOGIN_PER_MINUTE: '1000000',
    });
    await api.query(`INSERT INTO users (email, display_name) VALUES ($1, 'Victim')`, [VICTIM]);
    routes = await routesOf(api.baseUrl);
    targets = await seedTargets(api);
    // The documented example token is not even well-formed: generate with the live one.
    for (const field of routes.flatMap((route) => route.body ?? [])) {
      if (field.name === 'token') field.example = targets.token;
    }
    client = new KeepAliveClient(api.baseUrl, 4);
  });

  afterAll(async () => {
    client?.close();
    await api?.stop();
    await mail.stop();
  });

  /** The API's own error lines, for a failure message. */
  function loggedErrors(): string {
    const lines = api.logs.filter((line) => /"level":(50|60)/.test(line));
    return lines.length
      ? `API error log (last 3 of ${lines.length}):\n${lines.slice(-3).join('\n').slice(0, 3000)}`
      : '';
  }

  async function check(
    name: string,
    arbitrary: fc.Arbitrary<GeneratedRequest>,
    numRuns: number,
    propertySeed: number,
  ): Promise<void> {
    const property = fc.asyncProperty(arbitrary, async (request) => {
      const raw = toRawRequest(request);
      let response: RawResponse;
      try {
        response = await client.send(raw);
      } catch (error) {
        // A body over the limit is refused on its announced length (413) and the connection
        // closed; when that close overtakes the answer, the refusal itself is what we saw.
        if ((raw.body?.length ?? 0) > BODY_LIMIT_BYTES) {
          statuses.set(0, (statuses.get(0) ?? 0) + 1);
          return;
        }
        const problem = `no answer (${(error as Error).message}) to a ${raw.body?.length ?? 0}-byte body`;
        if (!COLLECT) throw new Error(`${problem}\n  request: ${describeRequest(request)}`);
        failures.set(
          `${request.method} ${request.path.split('?')[0]} ${problem}`,
          `${problem}\n  request: ${describeRequest(request)}`,
        );
        return;
      }
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const seen = (answered.get(request.operation) ?? new Set<number>()).add(response.status);
      answered.set(request.operation, seen);
      const problems = contractViolations(response);
      // Over the limit, the size is refused first, without reading the body.
      const tooLarge = response.status === 413 && (raw.body?.length ?? 0) > BODY_LIMIT_BYTES;
      if (request.expect415 && response.status !== 415 && !tooLarge) {
        problems.push(
          `expected 415 UNSUPPORTED_MEDIA_TYPE, got ${response.status}: ${response.text.slice(0, 200)}`,
        );
      }
      if (response.status >= 200 && response.status < 300) {
        addressesIn(request).forEach((address) => accepted.add(address));
        if (namesTarget(targets, request.path, request.body?.text)) targetsReached = true;
      }
      if (problems.length && COLLECT) {
        const key = `${response.status} ${request.method} ${request.path.split('?')[0]} ${problems[0].slice(0, 60)}`;
        if (!failures.has(key))
          failures.set(key, `${problems.join('; ')}\n  request: ${describeRequest(request)}`);
      } else if (problems.length) {
        throw new Error(`${problems.join('; ')}\n  request: ${describeRequest(request)}`);
      }
    });
    try {
      await fc.assert(property, { seed: propertySeed, numRuns, includeErrorInReport: true });
    } catch (error) {
      throw new Error(
        `${name} failed; replay with FUZZ_SEED=${seed}\n${(error as Error).message}\n${loggedErrors()}`,
      );
    }
  }

  it('should generate for every operation of the OpenAPI document', () => {
    const operations = routes.map((route) => `${route.method} ${route.template}`);
    expect(operations).toEqual(
      expect.arrayContaining([
        'POST /api/v1/auth/forgot-password',
        'POST /api/v1/auth/login',
        'GET /api/v1/users/{id}',
        'PATCH /api/v1/users/{id}',
      ]),
    );
    expect(routes.filter((route) => route.body !== null).length).toBeGreaterThanOrEqual(5);
    expect(routes.filter((route) => route.auth === 'api-key').length).toBeGreaterThanOrEqual(5);
  });

  it('should answer 10,000 generated requests within the contract', async () => {
    const known = { apiKey: API_KEY, ids: targets.ids };
    await Promise.all([
      check('bodies', bodyRequest(routes, known), RUNS.bodies, seed),
      check('headers', headerRequest(routes, known), RUNS.headers, seed + 1),
      check('paths', pathRequest(routes, known), RUNS.paths, seed + 2),
    ]);
    const summary = [...statuses.entries()].sort(([a], [b]) => a - b);
    console.log(`generated-input: ${client.sent} requests, statuses ${JSON.stringify(summary)}`);
    const coverage = [...answered.entries()].map(
      ([op, set]) => `${op}: ${[...set].sort().join(' ')}`,
    );
    console.log(`generated-input: statuses per operation\n${coverage.sort().join('\n')}`);
    if (failures.size) console.log([...failures.values()].join('\n\n'));
    expect([...failures.keys()]).toEqual([]);
    expect(client.sent).toBeGreaterThanOrEqual(10_000);
  }, 900_000);

  it('should have mailed nobody because of them, and still be ready', async () => {
    // Wait until the queue has dealt with every job those requests left, then look.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [{ open }] = await api.query<{ open: number }>(
        `SELECT (SELECT count(*) FROM pgboss.job
                  WHERE name = 'account-email' AND state IN ('created', 'retry', 'active'))::int
              + (SELECT count(*) FROM reset_request_intake)::int AS open`,
      );
      if (open === 0) break;
      if (Date.now() > deadline) throw new Error(`${open} email jobs still open after 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(mail.mailsTo(VICTIM)).toEqual([]);
    // A mail goes to an address an accepted request carried, or to a seeded user an accepted
    // request named (a forced reset, an email change's notice, a password-changed notice).
    const allowed = (to: string) =>
      accepted.has(to.toLowerCase()) ||
      (targetsReached && targets.emails.includes(to.toLowerCase()));
    const unexplained = mail.received.filter((m) => m.to.some((to) => !allowed(to)));
    expect(unexplained.map((m) => `${m.to.join(',')}: ${m.subject}`)).toEqual([]);
    expect((await api.get('/api/health/ready')).status).toBe(200);
  }, 120_000);
});
