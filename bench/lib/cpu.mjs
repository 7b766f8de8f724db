/**
 * Where the CPU went during a phase: the whole machine (/proc/stat), each process the bench
 * started, PostgreSQL backends of the bench's databases (by the database name in their
 * process title), the bench itself, and the rest ("other processes": someone else's build or
 * tests on a shared machine, which makes the phase's figures pessimistic). Also the machine's
 * description for the report. Linux only.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

const HZ = 100; // USER_HZ

function ticks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(rest[11]) + Number(rest[12]);
  } catch {
    return 0;
  }
}

function cpuPressureUs() {
  try {
    return Number(/^some .*total=(\d+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'))?.[1]);
  } catch {
    return NaN;
  }
}

export function loadavg() {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

/**
 * @param {Record<string, number | null>} processes  label → pid (null: not running)
 * @param {string[]} databases  names whose backends count as "postgres"
 */
export function cpuSnapshot(processes, databases) {
  const fields = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1, 9)
    .map(Number);
  const postgres = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.startsWith('postgres: ') && databases.some((d) => cmdline.includes(` ${d} `)))
        postgres.set(entry, ticks(entry));
    } catch {
      // gone meanwhile
    }
  }
  const own = process.cpuUsage();
  return {
    t: performance.now(),
    total: fields.reduce((a, b) => a + b, 0),
    idle: fields[3] + fields[4],
    processes: Object.fromEntries(
      Object.entries(processes).map(([label, pid]) => [label, pid ? ticks(pid) : 0]),
    ),
    postgres,
    bench: (own.user + own.system) / 1e6,
    cpuStallUs: cpuPressureUs(),
  };
}

/** Cores used between two snapshots, per part. */
export function cpuUse(a, b) {
  const seconds = (b.t - a.t) / 1000;
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  const machine = ((b.total - a.total - (b.idle - a.idle)) / (b.total - a.total || 1)) * cores;
  const parts = {};
  // A process stopped during the phase reads 0 at the end: its share is unknown, not negative.
  for (const label of Object.keys(b.processes))
    parts[label] = Math.max(0, b.processes[label] - (a.processes[label] ?? 0)) / HZ / seconds;
  // Backends alive at the end; one that exited meanwhile is missed (pools keep theirs open).
  let pgTicks = 0;
  for (const [pid, t] of b.postgres) pgTicks += t - (a.postgres.get(pid) ?? 0);
  parts.postgres = pgTicks / HZ / seconds;
  parts.bench = (b.bench - a.bench) / seconds;
  const known = Object.values(parts).reduce((s, v) => s + v, 0);
  return {
    seconds,
    cores,
    machine,
    parts,
    other: Math.max(0, machine - known),
    /** Share of the phase in which some runnable task waited for a CPU (PSI "some"). */
    cpuStall: (b.cpuStallUs - a.cpuStallUs) / 1000 / (b.t - a.t),
    loadavg: loadavg(),
  };
}

export function fmtCpu(use) {
  const parts = Object.entries(use.parts)
    .map(([k, v]) => `${k} ${v.toFixed(2)}`)
    .join(', ');
  const stall = Number.isFinite(use.cpuStall)
    ? `, runnable tasks waited for a CPU ${(100 * use.cpuStall).toFixed(0)} % of the time`
    : '';
  return `CPU in cores: ${parts}, other processes ${use.other.toFixed(2)} (machine ${use.machine.toFixed(2)} of ${use.cores})${stall}, load ${use.loadavg}`;
}

export function machineInfo(root) {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {
    // not Linux
  }
  let source = null;
  try {
    const git = (...args) =>
      execFileSync('git', args, {
        cwd: root,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    const changed = git('status', '--porcelain', '--', 'apps', 'libs', 'bench')
      .split('\n')
      .filter(Boolean).length;
    source = { commit: git('rev-parse', '--short', 'HEAD'), uncommittedFiles: changed };
  } catch {
    // not a git checkout
  }
  return {
    cores: os.availableParallelism?.() ?? os.cpus().length,
    cpu: cpu.trim(),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    loadavgAtStart: loadavg(),
    source,
  };
}
