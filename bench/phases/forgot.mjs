/**
 * Phase `forgot`: password-reset requests at 32 connections for unknown addresses, then for
 * known ones (a fresh address per request, so every known request means one email), each
 * system in turn, round after round (ours, peer, ours, peer). After each of our runs the
 * worker drains the queue before anything else is measured; the drain after a known run is
 * also the delivery figure (emails/s into the sink while the API is idle). The peer sends its
 * emails itself, in its process; the bench waits until its sends are done.
 *
 * Figures per system and kind: the median of the rounds' req/s (the range is shown), the
 * median p50 and the worst round's p99.
 */
import { cpuUse, fmtCpu } from '../lib/cpu.mjs';
import { cannon, fmtCannon } from '../lib/load.mjs';
import { settle } from '../lib/sink.mjs';
import { median } from '../lib/stats.mjs';
import { testing } from '../lib/testing.mjs';

const { acceptedRequests } = testing;

const KINDS = ['unknown', 'known'];

export async function run(ctx) {
  const { systems, settings: S, results, log, sink } = ctx;
  const runs = [];
  const deliveries = [];
  for (let round = 0; round < S.forgotRounds; round++) {
    for (const sys of systems) {
      for (const kind of KINDS) {
        const tag = `${sys.name === 'ours' ? 'o' : 'p'}${kind[0]}${round}`;
        const known =
          kind === 'known'
            ? await sys.seed(`k${tag}`, S.knownPool[sys.name] ?? S.knownPool.ours)
            : null;
        const email =
          known ?? ((i) => `nobody-${tag}-${String(i).padStart(6, '0')}@unknown.bench.test`);
        const mailsBefore = sink.received.length;
        const cpuBefore = ctx.cpuSnapshot();
        const r = await cannon({
          url: sys.baseUrl,
          path: sys.forgotPath,
          method: 'POST',
          body: (i) => sys.forgotBody(email(i)),
          connections: S.connections,
          // Each known request is an email to drain afterwards: a second shorter. The route is
          // warm from the unknown run: a short warm-up. A fresh process (round 1) needs a longer
          // one: at 2 s, our first round still spent 3 × the CPU per request of the second.
          seconds: kind === 'known' ? Math.max(2, S.forgotSeconds - 1) : S.forgotSeconds,
          warmup: kind === 'known' ? 1 : round === 0 ? S.firstWarmupSeconds : S.warmupSeconds,
        });
        const loadEnd = Date.now();
        // Where the cores went during this run (warm-up included), and the CPU per request.
        const cpuAtLoadEnd = ctx.cpuSnapshot();
        const cpu = cpuUse(cpuBefore, cpuAtLoadEnd);
        const answered = r.total + r.warmupRequests;
        const msPerRequest = Object.fromEntries(
          Object.entries(cpu.parts).map(([k, v]) => [k, (v * cpu.seconds * 1000) / answered]),
        );
        if (known && r.sent > (S.knownPool[sys.name] ?? S.knownPool.ours))
          ctx.note(
            `forgot: ${sys.name} known run ${round + 1} used addresses more than once (pool too small)`,
          );
        runs.push({ system: sys.name, kind, round, ...r, cpu, cpuMsPerRequest: msPerRequest });
        log('forgot', `${sys.name} ${kind} round ${round + 1}: ${fmtCannon(r)}`);
        log(
          'forgot',
          `  ${fmtCpu(cpu)}; CPU ms per request: ${Object.entries(msPerRequest)
            .filter(([, v]) => v > 0.001)
            .map(([k, v]) => `${k} ${v.toFixed(3)}`)
            .join(', ')}`,
        );
        const drain = await sys.drain(
          `after ${sys.name} ${kind} round ${round + 1}`,
          S.drainTimeoutMs,
        );
        if (sys.name !== 'ours') await settle(sink);
        if (kind === 'known') {
          // Each accepted request must bring one email: answered with 2xx (warm-up included)
          // or still in flight when autocannon stopped, which the API served all the same.
          const { accepted, inFlightAtStop } = acceptedRequests({
            sent: r.sent,
            answered: r.total + r.warmupRequests,
            refused: r.refused,
            errors: r.allErrors,
          });
          const d = deliveryFigure(sink.received.slice(mailsBefore), loadEnd, accepted, drain);
          // Where the cores went while the queue drained (the API idle), per email drained.
          const drainCpu = cpuUse(cpuAtLoadEnd, ctx.cpuSnapshot());
          const drained = Math.max(1, sink.received.length - mailsBefore - d.beforeLoadEnd);
          const msPerEmail = Object.fromEntries(
            Object.entries(drainCpu.parts).map(([k, v]) => [
              k,
              (v * drainCpu.seconds * 1000) / drained,
            ]),
          );
          deliveries.push({
            system: sys.name,
            round,
            ...d,
            drainCpu,
            drainCpuMsPerEmail: msPerEmail,
          });
          log(
            'forgot',
            `${sys.name} known round ${round + 1}: ${d.delivered} emails for ${accepted} accepted requests (${inFlightAtStop} of them in flight when the load stopped); ${d.emailsPerSecond.toFixed(0)} emails/s (${d.basis})`,
          );
          log(
            'forgot',
            `  drain: ${fmtCpu(drainCpu)}; CPU ms per email: ${Object.entries(msPerEmail)
              .filter(([, v]) => v > 0.001)
              .map(([k, v]) => `${k} ${v.toFixed(3)}`)
              .join(', ')}`,
          );
        }
      }
    }
  }
  const summary = {};
  for (const sys of systems) {
    summary[sys.name] = {};
    for (const kind of KINDS) {
      const mine = runs.filter((r) => r.system === sys.name && r.kind === kind);
      summary[sys.name][kind] = {
        rps: median(mine.map((r) => r.rps)),
        rpsRange: [Math.min(...mine.map((r) => r.rps)), Math.max(...mine.map((r) => r.rps))],
        p50: median(mine.map((r) => r.p50)),
        p99: Math.max(...mine.map((r) => r.p99)),
        bad: mine.reduce((s, r) => s + r.non2xx + r.errors, 0),
      };
    }
  }
  results.phases.forgot = { summary, runs, deliveries };
}

/**
 * Delivery rate of one known run: the emails that arrived after the load ended, over the time
 * to the last of them (the queue's drain with the API idle), when there was a backlog of at
 * least 200; otherwise the worker kept up during the load, and the rate is all the run's
 * emails over the span from the first to the last.
 */
function deliveryFigure(mails, loadEnd, accepted, drain) {
  const times = mails.map((m) => m.receivedAt).sort((a, b) => a - b);
  const after = times.filter((t) => t >= loadEnd);
  const base = {
    delivered: times.length,
    beforeLoadEnd: times.length - after.length,
    accepted,
    backlogAtEnd: drain.initial,
    drainMs: drain.ms,
    discarded: drain.discarded,
  };
  if (after.length >= 200) {
    const span = after[after.length - 1] - loadEnd;
    return {
      ...base,
      emailsPerSecond: (after.length * 1000) / span,
      basis: `drain of ${after.length} after the load`,
    };
  }
  const span = times.length > 1 ? times[times.length - 1] - times[0] : NaN;
  return {
    ...base,
    emailsPerSecond: times.length > 1 ? ((times.length - 1) * 1000) / span : 0,
    basis: 'kept up during the load: first to last email',
  };
}

export function rows({ forgot, ceiling }, budget) {
  if (!forgot) return [];
  /** Share of the system's own trivial route: information only (not a yardstick any more). */
  const ofCeiling = (name, rps) =>
    ceiling?.[name] ? `; ${((100 * rps) / ceiling[name].rps).toFixed(0)} % of its ceiling` : '';
  const ours = forgot.summary.ours;
  const peerName = Object.keys(forgot.summary).find((n) => n !== 'ours');
  const peer = peerName ? forgot.summary[peerName] : null;
  const out = [];
  for (const kind of KINDS) {
    const o = ours[kind];
    const p = peer?.[kind];
    const range = (s) => `${s.rpsRange[0].toFixed(0)}–${s.rpsRange[1].toFixed(0)}`;
    const ratio = p ? o.rps / p.rps : null;
    out.push({
      name: `forgot, ${kind} addresses, ours`,
      value: o.rps,
      display: `${o.rps.toFixed(0)} req/s (${range(o)}), p50 ${o.p50} ms, p99 ${o.p99} ms${o.bad ? `, ${o.bad} non-2xx/errors` : ''}${ofCeiling('ours', o.rps)}`,
      budget: '',
      pass: undefined,
    });
    if (p) {
      out.push({
        name: `forgot, ${kind} addresses, ${peerName}`,
        value: p.rps,
        display: `${p.rps.toFixed(0)} req/s (${range(p)}), p50 ${p.p50} ms, p99 ${p.p99} ms${p.bad ? `, ${p.bad} non-2xx/errors` : ''}${ofCeiling(peerName, p.rps)}`,
        budget: '(peer)',
        pass: undefined,
      });
      out.push({
        name: `forgot, ${kind}: ours / ${peerName}`,
        value: ratio,
        display: `${ratio.toFixed(1)} ×`,
        budget: `≥ ${budget.forgotVsPeer} ×`,
        pass: ratio >= budget.forgotVsPeer && o.bad === 0,
      });
    }
  }
  for (const kind of KINDS) {
    out.push({
      name: `forgot p99 at 32 connections, ${kind}, ours`,
      value: ours[kind].p99,
      display: `${ours[kind].p99} ms (worst round)`,
      budget: `≤ ${budget.forgotP99Ms} ms`,
      pass: ours[kind].p99 <= budget.forgotP99Ms,
    });
  }
  const ourDeliveries = forgot.deliveries.filter((d) => d.system === 'ours');
  if (ourDeliveries.length > 0) {
    const rate = median(ourDeliveries.map((d) => d.emailsPerSecond));
    const lost = ourDeliveries.reduce((s, d) => s + Math.max(0, d.accepted - d.delivered), 0);
    // More emails than accepted requests would be emails sent twice.
    const extra = ourDeliveries.reduce((s, d) => s + Math.max(0, d.delivered - d.accepted), 0);
    out.push({
      name: 'delivery to the sink, ours',
      value: rate,
      display: `${rate.toFixed(0)} emails/s (${ourDeliveries.map((d) => d.emailsPerSecond.toFixed(0)).join(', ')}); ${lost} not delivered${extra ? `, ${extra} more than accepted` : ''}`,
      budget: `≥ ${budget.emailsPerSecond} emails/s`,
      pass: rate >= budget.emailsPerSecond && lost === 0,
    });
  }
  return out;
}
