/**
 * The systems the measured phases run against: the peer (installed on first use), the SMTP
 * sink, the PostgreSQL server and the bench's database, our API and worker processes and
 * the peer's process; and, after the phases, their memory and the warnings they logged.
 */
import { cpuSnapshot } from './cpu.mjs';
import { log, onCleanup } from './harness.mjs';
import { apiOverrides, startOurs } from './ours.mjs';
import { installPeer, startPeer } from './peer.mjs';
import { startSink } from './sink.mjs';

/**
 * Starts everything and completes the phases' `ctx` (sink, ours, peer, serverUrl, systems,
 * cpuSnapshot). Without the peer's packages (no registry), ours alone, with a note.
 */
export async function startSystems(ctx, { benchDir, peerDir }) {
  const { settings: S, results, note, testing, root } = ctx;
  if (S.peer) {
    try {
      results.peerInstallSeconds = await installPeer(root, peerDir);
    } catch (error) {
      // No registry (an offline machine): our figures still mean something, the ratios not.
      S.peer = false;
      note(
        `the peer could not be installed (${error.message.split('\n')[0]}): ours only, no ratios`,
      );
    }
  }
  const sink = await startSink();
  onCleanup('SMTP sink', () => sink.stop());
  const server = await startServer(testing);
  const databaseUrl = await testing.createDatabase(server.url, 'bench');
  onCleanup('bench database', () => testing.dropDatabase(databaseUrl));
  const apiEnv = apiOverrides();
  if (Object.keys(apiEnv).length > 0) results.apiEnvOverrides = apiEnv;
  const ours = await startOurs({
    testing,
    root,
    benchDir,
    databaseUrl,
    smtpUrl: sink.url,
    settings: S,
    apiEnv,
  });
  const peer = S.peer
    ? await startPeer({ testing, peerDir, serverUrl: server.url, smtpUrl: sink.url })
    : null;
  const pids = () => Object.assign({}, ...ctx.systems.map((sys) => sys.processes()));
  ctx.cpuSnapshot = () =>
    cpuSnapshot(
      pids(),
      ctx.systems.map((sys) => sys.databaseName),
    );
  Object.assign(ctx, {
    sink,
    ours,
    peer,
    serverUrl: server.url,
    systems: peer ? [ours, peer] : [ours],
  });
  results.peer = peer
    ? { name: peer.name, version: peer.version, rateLimiter: 'off for the run' }
    : null;
}

/** Resident memory of every process of the systems, by label. */
export function systemsMemory(ctx) {
  return Object.assign({}, ...ctx.systems.map((s) => s.memory()));
}

/** After the phases: the memory at the end and over the run, and the warnings logged. */
export function reportSystems(ctx, timeline) {
  const { results, note } = ctx;
  const end = timeline[timeline.length - 1];
  results.memory = { end, timeline };
  log(
    'memory',
    Object.entries(end)
      .filter(([k]) => k !== 'after')
      .map(([k, v]) => `${k} ${v.rssMb.toFixed(0)} MB (peak ${v.hwmMb.toFixed(0)})`)
      .join(', '),
  );
  const errors = ctx.systems.flatMap((s) => s.errorLines());
  if (errors.length > 0) {
    results.logErrors = errors.slice(-20);
    note(
      `the systems logged ${errors.length} warning/error line(s); last ones in results.json logErrors`,
    );
  }
}

/** DATABASE_URL's server (on 127.0.0.1 only), or an embedded PostgreSQL. */
async function startServer(testing) {
  const configured = process.env.DATABASE_URL;
  if (configured && !['127.0.0.1', 'localhost', '[::1]'].includes(new URL(configured).hostname))
    throw new Error('DATABASE_URL must point at 127.0.0.1 (the bench keeps all traffic local)');
  const server = await testing.startDatabaseServer();
  onCleanup('database server', () => server.stop());
  log(
    'database',
    configured
      ? `server ${new URL(configured).host}`
      : `embedded PostgreSQL (${new URL(server.url).host})`,
  );
  return server;
}
