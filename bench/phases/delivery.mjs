/**
 * Phase `delivery`: request-to-inbox time at a steady 50 requests/s for known addresses (our
 * API process takes the request, our worker process sends the email): what one person waits
 * on an ordinary day. Information; the throughput figure comes from the `forgot` phase's drains.
 */
import { sleep } from '../lib/harness.mjs';
import { keepAliveClient } from '../lib/load.mjs';
import { stats } from '../lib/stats.mjs';

export async function run({ ours, settings: S, results, log, sink }) {
  await ours.drain('before steady delivery', S.drainTimeoutMs);
  const count = S.steadyRate * S.steadySeconds;
  const addressOf = await ours.seed('stead', count);
  const client = keepAliveClient(ours.baseUrl, 16);
  try {
    const sentAt = new Array(count);
    const pending = [];
    let bad = 0;
    const t0 = Date.now();
    for (let i = 0; i < count; i++) {
      const wait = t0 + (i * 1000) / S.steadyRate - Date.now();
      if (wait > 0) await sleep(wait);
      sentAt[i] = Date.now();
      pending.push(
        client.post(ours.forgotPath, ours.forgotBody(addressOf(i))).then(
          ({ status }) => {
            if (status !== ours.forgotStatus) bad++;
          },
          () => {
            bad++;
          },
        ),
      );
    }
    await Promise.all(pending);
    const deadline = Date.now() + 30_000;
    const missing = () =>
      Array.from({ length: count }, (_, i) => i).filter((i) => sink.countTo(addressOf(i)) === 0);
    while (missing().length > 0 && Date.now() < deadline) await sleep(200);
    const latencies = Array.from({ length: count }, (_, i) => {
      const mail = sink.mailsTo(addressOf(i))[0];
      return mail ? mail.receivedAt - sentAt[i] : Infinity;
    });
    const s = stats(latencies);
    results.phases.delivery = {
      ratePerSecond: S.steadyRate,
      requests: count,
      bad,
      delivered: latencies.filter(Number.isFinite).length,
      requestToInboxMs: s,
    };
    log(
      'delivery',
      `steady ${S.steadyRate}/s for ${S.steadySeconds} s: ${results.phases.delivery.delivered}/${count} delivered, request→inbox p50 ${s.p50.toFixed(0)} ms, p95 ${s.p95.toFixed(0)} ms, max ${s.max.toFixed(0)} ms`,
    );
  } finally {
    client.close();
  }
}

export function rows({ delivery }) {
  if (!delivery) return [];
  const s = delivery.requestToInboxMs;
  const fmt = (v) => (Number.isFinite(v) ? `${v.toFixed(0)} ms` : '∞');
  return [
    {
      name: `request→inbox at ${delivery.ratePerSecond}/s, ours`,
      value: s.p95,
      display: `p95 ${fmt(s.p95)} (p50 ${fmt(s.p50)}); ${delivery.delivered}/${delivery.requests} delivered`,
      budget: '(information)',
      pass: undefined,
    },
  ];
}
