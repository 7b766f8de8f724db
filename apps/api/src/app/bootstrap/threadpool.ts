import { availableParallelism } from 'node:os';

/**
 * bcrypt runs on libuv's thread pool. More threads than cores only makes hashes slower
 * (measured: 4 threads on 2 cores cost up to 70 % of hashing throughput). Must run before
 * anything touches the pool, hence its own module imported first by main.ts.
 */
process.env['UV_THREADPOOL_SIZE'] ??= String(availableParallelism());
