import { Injectable } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';

/** Length of one counting window. */
const WINDOW_MS = 100;
/**
 * Arrivals per window from which the replica counts as busy: 50 per 100 ms is 500 requests
 * a second, a burst or a flood, far above what people asking for links send to one replica
 * (the email worker's own traffic does not count: it makes no HTTP requests).
 */
const BUSY_ARRIVALS = 50;

/**
 * How hard HTTP traffic is hitting this replica right now, so background work can give way
 * to it. The email worker and the requests share the same event loop and cores: during a
 * burst every job the worker runs makes the requests slower and the service easier to time.
 * Counted with one increment per request (Fastify `onRequest` hook); no per-request timers.
 */
@Injectable()
export class ForegroundLoad {
  private windowStart = 0;
  private current = 0;
  private previous = 0;

  /** Called for every request as it arrives. */
  arrived(now = Date.now()): void {
    this.roll(now);
    this.current += 1;
  }

  /** True while requests arrive at burst rate (this window or the last full one). */
  isBusy(now = Date.now()): boolean {
    this.roll(now);
    return Math.max(this.current, this.previous) >= BUSY_ARRIVALS;
  }

  private roll(now: number): void {
    const elapsed = now - this.windowStart;
    if (elapsed < WINDOW_MS) return;
    // One window later the current count becomes the previous one; after a longer gap both
    // are stale.
    this.previous = elapsed < 2 * WINDOW_MS ? this.current : 0;
    this.current = 0;
    this.windowStart = now - (elapsed % WINDOW_MS);
  }
}

/** Counts every request as it arrives (a Fastify `onRequest` hook). */
export function countArrivals(app: NestFastifyApplication): void {
  const load = app.get(ForegroundLoad);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (_request, _reply, done) => {
      load.arrived();
      done();
    });
}
