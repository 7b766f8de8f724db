/**
 * The bench's plumbing: logging with the run's clock, clean-up of everything it started (on
 * success, error, Ctrl-C and as a last resort at exit), environment knobs, small timers.
 */
import { performance } from 'node:perf_hooks';

const startedAt = performance.now();
const cleanups = [];
const atExit = new Set();
let cleaningUp = null;

/** Seconds since the bench started. */
export function elapsedSeconds() {
  return (performance.now() - startedAt) / 1000;
}

export function log(phase, message) {
  console.log(`[${elapsedSeconds().toFixed(1).padStart(6)} s] ${phase.padEnd(10)} ${message}`);
}

/** Runs `fn` at clean-up, in reverse order of registration. */
export function onCleanup(label, fn) {
  cleanups.push({ label, fn });
}

/** Runs synchronously when the process exits before the clean-up finished (kill children). */
export function onExit(fn) {
  atExit.add(fn);
  return () => atExit.delete(fn);
}

export function cleanup() {
  cleaningUp ??= (async () => {
    while (cleanups.length > 0) {
      const { label, fn } = cleanups.pop();
      try {
        await withTimeout(fn(), 20_000, `clean-up: ${label}`);
      } catch (error) {
        console.error(`clean-up of ${label} failed: ${error.message}`);
      }
    }
  })();
  return cleaningUp;
}

let interrupted = false;
export function isInterrupted() {
  return interrupted;
}

/** Ctrl-C, SIGTERM, uncaught errors and exit all end in the clean-up. */
export function installExitHandlers() {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      interrupted = true;
      console.error(`\n${signal}: stopping what the bench started…`);
      cleanup().finally(() => process.exit(130));
    });
  }
  process.on('exit', () => {
    for (const fn of atExit) {
      try {
        fn();
      } catch {
        // best effort
      }
    }
  });
  process.on('uncaughtException', (error) => {
    if (!interrupted) console.error(`bench failed: ${error.stack ?? error}`);
    cleanup().finally(() => process.exit(1));
  });
}

export function fatal(message) {
  console.error(`bench: ${message}`);
  process.exit(2);
}

export function intEnv(name, fallback, min, max) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    fatal(`${name} must be an integer from ${min} to ${max}`);
  return n;
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function withTimeout(promise, ms, label) {
  let timer;
  return Promise.race([
    Promise.resolve(promise).finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${label} timed out`)), ms);
    }),
  ]);
}

export function fmtMs(v) {
  return Number.isFinite(v) ? `${v < 10 ? v.toFixed(2) : v.toFixed(0)} ms` : '∞ (not delivered)';
}
