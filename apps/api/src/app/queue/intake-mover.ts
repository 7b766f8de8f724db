import { Logger } from '@nestjs/common';

export interface IntakeMoverOptions {
  /**
   * One move (in its own transaction); returns how many requests it took. A move that
   * took `limit` goes again at once: more are waiting behind them.
   */
  move: () => Promise<number>;
  limit: number;
  /**
   * How often, on average, the intake is looked at. Each wait is drawn between half and one
   * and a half times this (as JobWorker's claims), so when a request becomes a job tells
   * nothing about when it was made.
   */
  intervalMs: number;
}

/**
 * The worker's loop that moves forgot-password requests from the intake into the email queue
 * (docs/architecture.md §3), beside the claims of JobWorker: it keeps going while every email
 * slot is busy. A failed move (database gone) rolled back; it backs off and only costs time.
 */
export class IntakeMover {
  private readonly logger = new Logger(IntakeMover.name);
  private running = false;
  private loop: Promise<void> | null = null;
  /** Ends the current pause early (a stop). */
  private wakeUp: (() => void) | null = null;

  constructor(private readonly options: IntakeMoverOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Starts no new move; resolves once the one in progress has committed or rolled back. */
  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let taken = 0;
      try {
        taken = await this.options.move();
        failures = 0;
      } catch (error) {
        if (failures === 0) this.logger.warn(`cannot move requests: ${(error as Error).message}`);
        failures += 1;
      }
      if (taken >= this.options.limit && this.running) continue;
      const wait =
        failures > 0
          ? Math.min(500 * failures, 5000)
          : this.options.intervalMs * (0.5 + Math.random());
      await this.pause(wait);
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.wakeUp = finish;
    });
  }
}
