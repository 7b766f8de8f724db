/**
 * Where each move of one IntakeMover starts (docs/architecture.md §3, "Intake"). A move
 * takes the oldest requests after its cursor (`id > after`): the B-tree is entered at the
 * cursor, so the rows earlier moves deleted, dead until vacuum removes them and not even
 * skippable cheaply while an older snapshot can still see them, are not walked again by
 * every move. The cursor is the highest id the last committed move took; it only follows a
 * commit, so a move that rolled back leaves it where it was and its rows are taken again.
 *
 * A row can be committed behind the cursor: another API replica's INSERT that committed
 * after a later one, a row another mover held (SKIP LOCKED) and then gave back by rolling
 * back or dying. So, at a bounded rate, a move starts from the beginning instead (a full
 * pass), and a new mover starts with one. A full pass walks whatever dead rows the head of
 * the index still holds, once every `fullPassEveryMs` instead of at every move.
 */
export class IntakeCursor {
  /** Ids start at 1 (an identity column): after this, every row. */
  static readonly FROM_THE_START = '0';

  /** The highest id the last committed move took (a bigint, as text); null: none yet. */
  private after: string | null = null;
  private fullPassAt = -Infinity;

  constructor(
    private readonly fullPassEveryMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The id the next move starts after: FROM_THE_START for a full pass. */
  next(): string {
    const now = this.now();
    if (this.after === null || now - this.fullPassAt >= this.fullPassEveryMs) {
      this.fullPassAt = now;
      return IntakeCursor.FROM_THE_START;
    }
    return this.after;
  }

  /**
   * A move committed, having taken rows up to `lastId` (null: none). A full pass that
   * stopped at its batch's end below the old cursor moves the cursor back: the rows between
   * are walked again by the next moves, which costs time only.
   */
  moved(lastId: string | null): void {
    if (lastId !== null) this.after = lastId;
  }
}
