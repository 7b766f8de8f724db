/** Thrown instead of queueing when the hashing queue is full. */
export class HashingQueueFull extends Error {
  constructor() {
    super('Too much password hashing work in flight');
    this.name = 'HashingQueueFull';
  }
}

/**
 * Bounds the bcrypt work of one process. At most `concurrency` jobs run (one per thread of
 * libuv's pool: more would only queue inside libuv, where they also hold up file and DNS
 * work); at most `limit` more wait, first come first served. Beyond that a job is refused
 * at once: a flood of sign-ins then costs the caller a quick refusal instead of every
 * request waiting behind an unbounded backlog (at 0.3 s per hash, 1,000 waiting sign-ins
 * on 2 threads would be 150 s of latency for everyone, and memory for each).
 */
export class HashingQueue {
  private active = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(
    readonly concurrency: number,
    readonly limit: number,
  ) {}

  get running(): number {
    return this.active;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.active < this.concurrency) {
      this.active += 1;
    } else if (this.waiters.length < this.limit) {
      // The finishing job hands its slot over: `active` stays as it is.
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    } else {
      throw new HashingQueueFull();
    }
    try {
      return await job();
    } finally {
      const next = this.waiters.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}
