import { isDatabaseUnavailable } from '../common/http/database-errors';

type Entry<T> = { item: T; resolve: () => void; reject: (error: unknown) => void };

/**
 * Group commit for independent writes. Callers arriving while a write is in flight are
 * gathered and written together by the next one: under load one INSERT and one commit
 * serve many requests, while a lone request is written at once. Each caller's promise
 * settles only after the write that holds its item has committed (or failed).
 *
 * A batch is one statement, so one bad item (a value a column refuses) fails it whole:
 * its items are then written again one by one, each settling its own caller, and only the
 * bad item's caller sees the error. Not when the database is unavailable (connection
 * refused or lost, server shutting down: `isDatabaseUnavailable`): then every caller of the
 * batch, and of the items not yet retried, is rejected at once, without a write per item
 * against a database that cannot take any (docs/architecture.md §10).
 */
export class InsertBatcher<T> {
  private readonly pending: Entry<T>[] = [];
  private flushing = 0;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly maxBatch = 500,
    // One write at a time: everything that arrives meanwhile shares the next commit.
    private readonly maxConcurrentWrites = 1,
  ) {}

  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.flushing >= this.maxConcurrentWrites || this.pending.length === 0) return;
    this.flushing += 1;
    // setImmediate: requests parsed in the same turn of the event loop share the write.
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    const batch = this.pending.splice(0, this.maxBatch);
    try {
      if (batch.length > 0) {
        await this.write(batch.map((entry) => entry.item));
        for (const entry of batch) entry.resolve();
      }
    } catch (error) {
      if (batch.length === 1 || isDatabaseUnavailable(error)) {
        for (const entry of batch) entry.reject(error);
      } else {
        await this.writeOneByOne(batch);
      }
    } finally {
      this.flushing -= 1;
      this.kick();
    }
  }

  /** A failed batch's items, each in a write of its own (still one write at a time). */
  private async writeOneByOne(batch: Entry<T>[]): Promise<void> {
    for (let i = 0; i < batch.length; i += 1) {
      const entry = batch[i];
      try {
        await this.write([entry.item]);
        entry.resolve();
      } catch (error) {
        entry.reject(error);
        if (isDatabaseUnavailable(error)) {
          for (const rest of batch.slice(i + 1)) rest.reject(error);
          return;
        }
      }
    }
  }
}
