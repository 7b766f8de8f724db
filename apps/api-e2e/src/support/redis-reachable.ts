import { connect } from 'node:net';

/** The Redis the suite may use: E2E_REDIS_URL, else the CI machines' 127.0.0.1:6379. */
export const E2E_REDIS_URL = process.env['E2E_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Whether something accepts TCP connections at the URL's host and port (500 ms). */
export function reachable(url: URL): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port: Number(url.port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
