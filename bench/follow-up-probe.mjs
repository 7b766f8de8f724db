/**
 * The follow-up probe: can the requests that FOLLOW a forgot-password tell whether the address
 * has an account? The request itself is uniform (the uniformity phase), but a known address
 * makes the machine work afterwards (lookup, token, template, SMTP, the catcher's parsing), and
 * an attacker sharing the machine's cores with that work sees it as slower answers.
 *
 * One trial: one forgot-password for a known or an unknown address, then at once `probes`
 * cheap requests (GET /api/health/live) one after another on the same warm keep-alive
 * connection; the trial's figure is the sum of their latencies. Trials come in a seeded random
 * order, each from a quiet system (no email job left, then a pause), and the result is the
 * accuracy of the best single threshold on that figure, next to what shuffled labels reach.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

import { bestThresholdAccuracy, permutationChance, shuffle, stats } from './statistics.mjs';

const FORGOT = '/api/v1/auth/forgot-password';
const PROBE = '/api/health/live';

/**
 * @param {object} o
 * @param {string} o.baseUrl        the API that answers HTTP
 * @param {number} o.trials         trials per class
 * @param {number} o.probes         cheap requests after each forgot-password
 * @param {(i: number) => string} o.known    the i-th address with an account (one per trial)
 * @param {(i: number) => string} o.unknown  the i-th address without one (same length)
 * @param {() => Promise<number>} o.backlog  email jobs not finished yet
 * @param {number} o.pauseMs        quiet time between trials once the queue is empty
 * @param {number} o.settleTimeoutMs  longest wait for the queue to empty after a trial
 */
export async function followUpProbe(o) {
  const client = keepAliveClient(o.baseUrl);
  try {
    // Warm-up (not recorded): JIT, connection, pools, the worker's first claims.
    for (let i = 0; i < 10; i++) {
      await trial(client, i % 2 ? o.known(o.trials + i) : o.unknown(o.trials + i), o.probes);
      await settle(o);
    }
    const order = shuffle([...Array(o.trials).fill(true), ...Array(o.trials).fill(false)], 0xf011);
    const sums = { known: [], unknown: [] };
    let ki = 0;
    let ui = 0;
    let non202 = 0;
    let unsettled = 0;
    for (const isKnown of order) {
      const result = await trial(client, isKnown ? o.known(ki++) : o.unknown(ui++), o.probes);
      if (result.status !== 202) non202++;
      (isKnown ? sums.known : sums.unknown).push(result.probeMs);
      if (!(await settle(o))) unsettled++;
    }
    return {
      trialsEach: o.trials,
      probesPerTrial: o.probes,
      non202,
      unsettled,
      knownSumMs: stats(sums.known),
      unknownSumMs: stats(sums.unknown),
      bestThresholdAccuracy: bestThresholdAccuracy(sums.known, sums.unknown),
      chanceAccuracy95: permutationChance(sums.known, sums.unknown, 200),
    };
  } finally {
    client.close();
  }
}

async function trial(client, email, probes) {
  const { status } = await client.request('POST', FORGOT, { email });
  let probeMs = 0;
  for (let i = 0; i < probes; i++) probeMs += (await client.request('GET', PROBE)).ms;
  return { status, probeMs };
}

/** Waits until no email job is left, then for the pause. False when the queue did not empty. */
async function settle(o) {
  const deadline = performance.now() + o.settleTimeoutMs;
  let left = await o.backlog();
  while (left > 0 && performance.now() < deadline) {
    await sleep(50);
    left = await o.backlog();
  }
  await sleep(o.pauseMs);
  return left === 0;
}

/** One keep-alive connection; each call timed from send to the end of the answer's body. */
function keepAliveClient(baseUrl) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const { hostname, port } = new URL(baseUrl);
  return {
    request(method, path, body) {
      const payload = body === undefined ? null : Buffer.from(JSON.stringify(body));
      const headers = payload
        ? { 'content-type': 'application/json', 'content-length': payload.length }
        : {};
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
    },
    close: () => agent.destroy(),
  };
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
