/**
 * Group commit for independent writes. Callers arriving while a write is in flight are
 * gathered and written together by the next one: under load one INSERT and one commit
 * serve many requests, while a lone request is written at once. Each caller's promise
 * settles only after the write that holds its item has committed (or failed).
 */
export class InsertBatcher<T> {
  private readonly pending: { item: T; resolve: () => void; reject: (error: unknown) => void }[] =
    [];
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
      for (const entry of batch) entry.reject(error);
    } finally {
      this.flushing -= 1;
      this.kick();
    }
  }
}
