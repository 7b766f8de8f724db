/**
 * HTTP load for the phases: autocannon runs with an unrecorded warm-up, keep-alive clients
 * that time single requests, and the client addresses and email addresses requests use.
 */
import http from 'node:http';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');

/** Distinct client addresses the requests rotate over (see BENCH_CLIENT_IPS in run.mjs). */
let clientIps = 4096;
export function setClientIps(n) {
  clientIps = n;
}

/** The i-th client address of the rotation; always 11 characters, so requests are the same size. */
export function clientIp(i) {
  const k = i % clientIps;
  return `10.${100 + ((k >> 12) & 15)}.${100 + ((k >> 6) & 63)}.${100 + (k & 63)}`;
}

/** Same-length addresses per 5-letter prefix, so both classes send bodies of one size. */
export function address(prefix, i) {
  return `${prefix.padEnd(5, 'x').slice(0, 5)}-${String(i).padStart(5, '0')}@bench.test`;
}

/**
 * autocannon after an unrecorded warm-up of the same requests (JIT, pools), keeping the
 * requests answered in each recorded second. `body(i)` gives the i-th request's JSON body
 * (warm-up included); every request carries the i-th client address.
 */
export async function cannon({ url, path, method = 'GET', body, connections, seconds, warmup }) {
  let n = 0;
  const perSecond = [];
  const instance = autocannon({
    url,
    connections,
    duration: seconds,
    warmup: warmup > 0 ? { connections, duration: warmup } : undefined,
    requests: [
      {
        method,
        path,
        headers: body ? { 'content-type': 'application/json' } : {},
        setupRequest: (req) => {
          const i = n++;
          return {
            ...req,
            headers: { ...req.headers, 'x-forwarded-for': clientIp(i) },
            ...(body ? { body: JSON.stringify(body(i)) } : {}),
          };
        },
      },
    ],
  });
  instance.on('tick', ({ counter }) => perSecond.push(counter));
  const r = await instance;
  return {
    // A last tick can land after the end (0 requests): not a second of the run.
    perSecond: perSecond.slice(0, seconds),
    /** Answered during the warm-up; the phase's CPU figures include them. */
    warmupRequests: r.warmup?.requests?.total ?? 0,
    rps: r.requests.average,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    max: r.latency.max,
    total: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    connections: r.connections,
    durationSeconds: r.duration,
    /** Bodies built (warm-up and measured requests): one per request written. */
    sent: n,
    /** Answered with other than 2xx, warm-up included. */
    refused: r.non2xx + (r.warmup?.non2xx ?? 0),
    /** Connection errors and timeouts, warm-up included. */
    allErrors: r.errors + (r.warmup?.errors ?? 0),
  };
}

export function fmtCannon(s) {
  return (
    `${s.rps.toFixed(0)} req/s, p50 ${s.p50} ms, p99 ${s.p99} ms, ${s.total} requests, ` +
    `${s.non2xx} non-2xx, ${s.errors} errors (per second: ${s.perSecond.join(' ')})`
  );
}

/** JSON over keep-alive connections; each call timed from send to the end of the answer's body. */
export function keepAliveClient(baseUrl, sockets) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  const { hostname, port } = new URL(baseUrl);
  let sent = 0;
  const request = (method, path, body) => {
    const payload = body === undefined ? null : Buffer.from(JSON.stringify(body));
    const headers = { 'x-forwarded-for': clientIp(sent++) };
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
    }
    return new Promise((resolve, reject) => {
      const t0 = performance.now();
      const req = http.request({ agent, hostname, port, path, method, headers }, (res) => {
        res.on('data', () => undefined);
        res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - t0 }));
        res.on('error', reject);
      });
      req.setTimeout(30_000, () => req.destroy(new Error(`timeout on ${path}`)));
      req.on('error', reject);
      req.end(payload ?? undefined);
    });
  };
  return {
    post: (path, body) => request('POST', path, body),
    get: (path) => request('GET', path),
    close: () => agent.destroy(),
  };
}
