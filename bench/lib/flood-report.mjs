/**
 * The flood phase's report (bench/phases/flood.mjs): its summary line for the log and its
 * rows for the bench's table.
 */
import { fmtCpu } from './cpu.mjs';

/** One line: the flood, the legitimate person's requests, the backlog, the CPU meanwhile. */
export function summary(f) {
  const l = f.legit;
  const fmt = seconds;
  return (
    `${f.floodRps.toFixed(0)} req/s for ${f.seconds} s (${f.floodRequests} requests, ` +
    `${Object.entries(f.statusCounts)
      .map(([c, k]) => `${k} × ${c}`)
      .join(', ')}, ${f.errors} errors, p99 ${f.floodP99Ms} ms); ` +
    `legitimate: ${l.requests} requests (${l.non202} non-202), request→inbox p50 ${fmt(l.requestToInboxMs.p50)}, ` +
    `p95 ${fmt(l.requestToInboxMs.p95)}, max ${fmt(l.requestToInboxMs.max)}, ${l.neverArrived} never arrived; ` +
    `backlog ${f.backlogAtFloodEnd} job(s) at the flood's end, ` +
    (f.drainedAfterMs === null
      ? `${f.backlogLeft} still there ${f.drainWaitSeconds} s later`
      : `gone ${(f.drainedAfterMs / 1000).toFixed(1)} s after it`) +
    `; during the flood, ${fmtCpu(f.cpuCoresDuringFlood)}`
  );
}

/** The phase's rows for the bench's table. */
export function rows({ flood: f }, budget) {
  if (!f) return [];
  const memory = Object.entries(f.memory).map(([name, m]) => ({
    name: `RSS at the flood's end, ${name}`,
    value: m.rssMb,
    display: `${m.rssMb.toFixed(0)} MB (peak ${m.hwmMb.toFixed(0)} MB)`,
    budget: `≤ ${budget.rssMb} MB`,
    pass: m.hwmMb <= budget.rssMb,
  }));
  return [
    ...floodRows(f, budget).map(([name, value, display, budgetText, pass]) => ({
      name,
      value,
      display,
      budget: budgetText,
      pass,
    })),
    ...memory,
  ];
}

function floodRows(f, budget) {
  const l = f.legit;
  const p95 = l.requestToInboxMs.p95;
  return [
    [
      'flood: forgot-password req/s',
      f.floodRps,
      `${f.floodRps.toFixed(0)} for ${f.seconds} s (${Object.entries(f.statusCounts)
        .map(([c, k]) => `${k} × ${c}`)
        .join(', ')})`,
      '(reference)',
      undefined,
    ],
    [
      'flood: legit request→inbox p95',
      p95,
      `${seconds(p95)} (p50 ${seconds(l.requestToInboxMs.p50)}, ${l.neverArrived}/${l.requests} never arrived)`,
      `≤ ${budget.floodInboxP95Ms / 1000} s`,
      p95 <= budget.floodInboxP95Ms && l.non202 === 0,
    ],
    [
      'flood: backlog gone after',
      f.drainedAfterMs ?? Infinity,
      f.drainedAfterMs === null
        ? `> ${f.drainWaitSeconds} s (${f.backlogLeft} jobs left)`
        : `${(f.drainedAfterMs / 1000).toFixed(1)} s (${f.backlogAtFloodEnd} jobs at the end)`,
      `≤ ${budget.floodDrainMs / 1000} s`,
      f.drainedAfterMs !== null && f.drainedAfterMs <= budget.floodDrainMs,
    ],
  ];
}

function seconds(ms) {
  return Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : '∞';
}
