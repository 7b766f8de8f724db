/**
 * Phase `reset`: completing a reset with an emailed link, one request at a time, against the
 * hashing the system must do for it, timed in the bench's process while the system is idle
 * (before the first reset and after every fifth, so both see the same machine):
 * - ours: one bcrypt hash at the API's cost (over a 64-character peppered input, as
 *   docs/architecture.md "Sign-in and hashing" describes) plus one bcrypt comparison per
 *   password-history comparison (see HISTORY_CHECKS);
 * - better-auth: one hash with its own `hashPassword` (scrypt).
 * The figure is the median reset over the median of that reference.
 */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

import { sleep } from '../lib/harness.mjs';
import { keepAliveClient } from '../lib/load.mjs';
import { settle, tokenFor } from '../lib/sink.mjs';
import { median, stats } from '../lib/stats.mjs';

const require = createRequire(import.meta.url);
const bcrypt = require('bcrypt');

/**
 * Password-history comparisons a reset of ours makes. The API compares a new password with
 * the account's current hash and PASSWORD_HISTORY - 1 earlier ones, one bcrypt comparison at
 * the stored cost each (docs/architecture.md, "Sign-in and passwords"). The bench's users are
 * seeded without a password and reset once, so there is nothing to compare with: 0. A reset
 * of an account that has a password costs one comparison more at the default
 * PASSWORD_HISTORY=1; a bench of that case must seed passwords and set this to follow.
 */
const HISTORY_CHECKS = 0;

export async function run({ systems, settings: S, results, log, sink }) {
  results.phases.reset = {};
  for (const sys of systems) {
    const ours = sys.name === 'ours';
    await sys.drain(`before ${sys.name} reset`, S.drainTimeoutMs);
    const addressOf = await sys.seed(ours ? 'rsour' : 'rspee', S.resets);
    const addresses = Array.from({ length: S.resets }, (_, i) => addressOf(i));
    const client = keepAliveClient(sys.baseUrl, 4);
    try {
      await Promise.all(
        addresses.map((email) => client.post(sys.forgotPath, sys.forgotBody(email))),
      );
      const deadline = performance.now() + 30_000;
      while (addresses.some((a) => sink.countTo(a) === 0) && performance.now() < deadline)
        await sleep(100);
      const tokens = [];
      for (const a of addresses) {
        const token = await tokenFor(sink, a);
        if (token) tokens.push(token);
      }
      if (tokens.length < S.resets)
        throw new Error(
          `${sys.name}: only ${tokens.length}/${S.resets} reset links arrived within 30 s`,
        );
      await sys.drain(`before timing ${sys.name} resets`, S.drainTimeoutMs);
      await settle(sink);

      const salted = 'x'.repeat(64);
      const previous = HISTORY_CHECKS > 0 ? await bcrypt.hash('y'.repeat(64), S.bcryptCost) : '';
      const reference = ours
        ? async () => {
            await bcrypt.hash(salted, S.bcryptCost);
            for (let i = 0; i < HISTORY_CHECKS; i++) await bcrypt.compare(salted, previous);
          }
        : () => sys.hashPassword('a reference passphrase for the bench');
      const hashMs = [];
      const timeReference = async () => {
        await sleep(100); // the last reset's notice email and writes go out first
        const t0 = performance.now();
        await reference();
        hashMs.push(performance.now() - t0);
      };
      await reference(); // warm-up
      await timeReference();
      const resetMs = [];
      let bad = 0;
      for (const [i, token] of tokens.entries()) {
        const { status, ms } = await client.post(
          sys.resetPath,
          sys.resetBody(token, `bench passphrase ${i} for a user of ${sys.name}`),
        );
        if (status !== 200) bad++;
        resetMs.push(ms);
        if ((i + 1) % 5 === 0) await timeReference();
      }
      const hash = median(hashMs);
      const reset = stats(resetMs);
      results.phases.reset[sys.name] = {
        count: resetMs.length,
        bad,
        resetMs: reset,
        referenceMs: { median: hash, samples: hashMs },
        reference: ours
          ? `bcrypt cost ${S.bcryptCost} + ${HISTORY_CHECKS} history check(s)`
          : 'better-auth hashPassword (scrypt)',
        ratio: reset.p50 / hash,
      };
      log(
        'reset',
        `${sys.name}: median ${reset.p50.toFixed(0)} ms (p90 ${reset.p90.toFixed(0)}), its hashing ${hash.toFixed(0)} ms, ratio ${(reset.p50 / hash).toFixed(2)}${bad ? `, ${bad} non-200` : ''}`,
      );
    } finally {
      client.close();
    }
    await sys.drain(`after ${sys.name} reset`, S.drainTimeoutMs);
    await settle(sink);
  }
}

export function rows({ reset }, budget) {
  if (!reset) return [];
  const oursMs = reset.ours?.resetMs.p50;
  return Object.entries(reset).map(([name, r]) => {
    const ours = name === 'ours';
    const vs =
      !ours && oursMs ? `; ours / ${name} = ${(oursMs / r.resetMs.p50).toFixed(2)} × the time` : '';
    return {
      name: `reset completion, ${name}`,
      value: r.ratio,
      display: `${r.resetMs.p50.toFixed(0)} ms = ${r.ratio.toFixed(2)} × its hashing (${r.reference}: ${r.referenceMs.median.toFixed(0)} ms)${vs}`,
      budget: ours ? `≤ ${budget.resetVsHash} × hashing` : '(peer)',
      pass: ours ? r.ratio <= budget.resetVsHash && r.bad === 0 : undefined,
    };
  });
}
