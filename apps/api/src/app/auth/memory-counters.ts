import { hash, randomBytes } from 'node:crypto';

/** One request counted in a fixed window: how many so far, and when the window ends. */
export interface Hit {
  count: number;
  resetInMs: number;
}

/**
 * Beyond this many live keys (distinct route and address pairs in the last window) the
 * oldest are dropped: a flood of spoofed addresses must not grow the memory without bound.
 * 200,000 keys take 6.4 MB of typed arrays (32 bytes per key) and 1 MB of buckets.
 */
const MAX_MEMORY_KEYS = 200_000;
/** No slot: slots are numbered from 1, so zero-filled arrays start with empty links. */
const NONE = 0;

/**
 * Fixed-window counters in this process's memory. Each key keeps its own window, opened by
 * its first hit. A key is stored as a 64-bit keyed hash, never as its string: everything a
 * key holds lives in typed arrays (32 bytes), so 200,000 keys cost the heap nothing and make
 * no garbage. A `Map` of the strings took about 30 MB at the cap in the bench's flood (the
 * strings, and a table of 524,288 entries that V8 rebuilt as deleted keys piled up, the old
 * one kept until a full GC) and set the API's RSS peak (docs/architecture.md §3, "Flood").
 * The arrays are allocated for the cap at once: the kernel backs their pages only as slots
 * are first used, so an idle process holds little, and none is ever copied.
 *
 * Two keys whose hashes are equal would share a counter: both are then refused sooner, never
 * later, so a collision cannot let anyone past a limit. The hash is SHA-256 over a random
 * secret per process and the key, cut to 64 bits: a client that does not know the secret
 * cannot pick an address that collides with another's, nor pile keys into one bucket (a
 * fast non-cryptographic hash such as MurmurHash3 has collisions that hold whatever its
 * seed). By chance, 200,000 live keys hold a colliding pair with a probability near 10^-9.
 * It costs about 1 µs a request (Node's one-shot `crypto.hash`; an HMAC object per call
 * took 3.5 µs), 1 % of a core at the flood's 8,000 requests/s.
 *
 * Slots are chained per bucket (`chain`) and linked in the order their windows opened
 * (`older`, `newer`): every window lasts `windowMs`, so the oldest come first, and the sweep
 * stops at the first window still open.
 */
export class MemoryCounters {
  /** Prefixed to every key before hashing; never leaves the process. */
  private readonly secret = randomBytes(16).toString('hex');
  private readonly hashA: Uint32Array;
  private readonly hashB: Uint32Array;
  private readonly resetAt: Float64Array;
  /** Windows last a minute at most; 2^32 hits would take 71 minutes at a million a second. */
  private readonly counts: Uint32Array;
  /** The next slot in the same bucket; for a free slot, the next free one. */
  private readonly chain: Int32Array;
  private readonly older: Int32Array;
  private readonly newer: Int32Array;
  /** Bucket → its first slot; a power of two, at least as many as slots. */
  private readonly buckets: Int32Array;
  private readonly mask: number;
  private oldest = NONE;
  private newest = NONE;
  private freeHead = NONE;
  /** The highest slot handed out so far. */
  private used = 0;
  private live = 0;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly windowMs: number,
    private readonly maxKeys = MAX_MEMORY_KEYS,
  ) {
    const slots = maxKeys + 1;
    this.hashA = new Uint32Array(slots);
    this.hashB = new Uint32Array(slots);
    this.resetAt = new Float64Array(slots);
    this.counts = new Uint32Array(slots);
    this.chain = new Int32Array(slots);
    this.older = new Int32Array(slots);
    this.newer = new Int32Array(slots);
    this.buckets = new Int32Array(2 ** Math.ceil(Math.log2(maxKeys)));
    this.mask = this.buckets.length - 1;
    this.sweeper = setInterval(() => this.sweep(Date.now()), windowMs).unref();
  }

  hit(key: string, now = Date.now()): Hit {
    const digest = hash('sha256', this.secret + key, 'hex');
    const a = parseInt(digest.slice(0, 8), 16);
    const b = parseInt(digest.slice(8, 16), 16);
    let slot = this.find(a, b);
    if (slot === NONE) {
      if (this.live >= this.maxKeys) this.makeRoom(now);
      slot = this.allocate();
      this.hashA[slot] = a;
      this.hashB[slot] = b;
      this.chain[slot] = this.buckets[a & this.mask];
      this.buckets[a & this.mask] = slot;
      this.live++;
      this.open(slot, now);
    } else if (this.resetAt[slot] <= now) {
      // A new window: the key moves to the newest end, keeping the order of window starts.
      this.unlinkOrder(slot);
      this.open(slot, now);
    }
    const count = ++this.counts[slot];
    return { count, resetInMs: this.resetAt[slot] - now };
  }

  get size(): number {
    return this.live;
  }

  stop(): void {
    clearInterval(this.sweeper);
  }

  private find(a: number, b: number): number {
    let slot = this.buckets[a & this.mask];
    while (slot !== NONE && (this.hashA[slot] !== a || this.hashB[slot] !== b))
      slot = this.chain[slot];
    return slot;
  }

  private open(slot: number, now: number): void {
    this.resetAt[slot] = now + this.windowMs;
    this.counts[slot] = 0;
    this.older[slot] = this.newest;
    this.newer[slot] = NONE;
    if (this.newest === NONE) this.oldest = slot;
    else this.newer[this.newest] = slot;
    this.newest = slot;
  }

  private unlinkOrder(slot: number): void {
    const older = this.older[slot];
    const newer = this.newer[slot];
    if (older === NONE) this.oldest = newer;
    else this.newer[older] = newer;
    if (newer === NONE) this.newest = older;
    else this.older[newer] = older;
  }

  /** A released slot, else the next never used: a live key holds one, so there is one. */
  private allocate(): number {
    if (this.freeHead === NONE) return ++this.used;
    const slot = this.freeHead;
    this.freeHead = this.chain[slot];
    return slot;
  }

  private release(slot: number): void {
    const bucket = this.hashA[slot] & this.mask;
    if (this.buckets[bucket] === slot) this.buckets[bucket] = this.chain[slot];
    else {
      let previous = this.buckets[bucket];
      while (this.chain[previous] !== slot) previous = this.chain[previous];
      this.chain[previous] = this.chain[slot];
    }
    this.unlinkOrder(slot);
    this.chain[slot] = this.freeHead;
    this.freeHead = slot;
    this.live--;
  }

  /**
   * Forgets the windows that ended: the oldest ones, up to the first still open. A wall clock
   * set back can only leave ended windows for later (hit() restarts them), never end one early.
   */
  private sweep(now: number): void {
    while (this.oldest !== NONE && this.resetAt[this.oldest] <= now) this.release(this.oldest);
  }

  /**
   * Sweeps, and if that is not enough drops the oldest sixteenth at once: a flood of fresh
   * addresses (docs/architecture.md §3, "Flood") then makes room once every 12,500 new keys.
   */
  private makeRoom(now: number): void {
    this.sweep(now);
    if (this.live < this.maxKeys) return;
    let excess = this.live - this.maxKeys + Math.ceil(this.maxKeys / 16);
    while (excess-- > 0) this.release(this.oldest);
  }
}
