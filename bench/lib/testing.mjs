/**
 * libs/testing (TypeScript) for the bench (plain Node ESM): its sources transpiled to
 * CommonJS with the workspace's own TypeScript (`transpileModule`: no type check, ~0.2 s)
 * into bench/.run/testing-<pid>/, then required from there, so `npm run bench` stays one
 * command with nothing built beforehand. Under bench/, the files resolve `pg`, `smtp-server`
 * and `mailparser` from the workspace's node_modules like the originals.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { onExit } from './harness.mjs';

const BENCH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = resolve(BENCH_DIR, '../libs/testing/src');
const require = createRequire(import.meta.url);

/** Transpiles libs/testing and requires it; the transpiled copy is removed at exit. */
function loadTesting() {
  const ts = require('typescript');
  const out = join(BENCH_DIR, '.run', `testing-${process.pid}`);
  const walk = (dir) => {
    for (const entry of readdirSync(join(SOURCE, dir), { withFileTypes: true })) {
      const rel = join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
        const { outputText } = ts.transpileModule(readFileSync(join(SOURCE, rel), 'utf8'), {
          compilerOptions: {
            module: ts.ModuleKind.CommonJS,
            target: ts.ScriptTarget.ES2022,
            esModuleInterop: true,
          },
          fileName: rel,
        });
        mkdirSync(dirname(join(out, rel)), { recursive: true });
        writeFileSync(join(out, rel.replace(/\.ts$/, '.js')), outputText);
      }
    }
  };
  walk('.');
  const loaded = require(join(out, 'index.js'));
  onExit(() => rmSync(out, { recursive: true, force: true }));
  return loaded;
}

/** libs/testing: ApiProcess, MailCatcher, startDatabaseServer, createDatabase, statistics… */
export const testing = loadTesting();
