/** A stop must finish well inside the 10 s orchestrators wait before they SIGKILL. */
const SHUTDOWN_DEADLINE_MS = 9500;

/**
 * On SIGTERM (or SIGINT): run `stop` once (stop taking work, let the work in hand finish,
 * close the pools), then exit 0; exit 1 when it fails or overruns the deadline. (Nest's own
 * signal hooks re-raise the signal, which ends the process with 143 instead of a clean 0.)
 */
export function stopGracefullyOn(
  signals: NodeJS.Signals[],
  log: (message: string) => void,
  stop: () => Promise<void>,
): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(
      JSON.stringify({ level: 30, time: Date.now(), msg: `${signal} received, shutting down` }),
    );
    setTimeout(() => {
      console.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    stop().then(
      () => {
        log('stopped cleanly');
        process.exit(0);
      },
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  for (const signal of signals) process.once(signal, handler);
}
