#!/usr/bin/env node
/**
 * Summarises a V8 .cpuprofile (from `BENCH_CPU_PROF=1 npm run bench`): where the API's CPU
 * went, by package (self time) and by function (self and total time).
 *
 *   node bench/profile-summary.mjs bench/profiles/CPU.*.cpuprofile [--top 30] [--callers NAME]
 *
 * --callers NAME lists the call paths (up to 6 frames) that lead to functions named NAME.
 */
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const topIndex = args.indexOf('--top');
const top = topIndex >= 0 ? Number(args.splice(topIndex, 2)[1]) : 25;
const callersIndex = args.indexOf('--callers');
const callersOf = callersIndex >= 0 ? args.splice(callersIndex, 2)[1] : null;
if (args.length === 0) {
  console.error('usage: node bench/profile-summary.mjs FILE.cpuprofile [--top N]');
  process.exit(2);
}

for (const file of args) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  // Self time per node from the samples and their time deltas (µs).
  const self = new Map();
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    const dt = timeDeltas[i + 1] ?? 0;
    self.set(samples[i], (self.get(samples[i]) ?? 0) + dt);
  }
  const totalUs = [...self.values()].reduce((a, b) => a + b, 0);

  const label = (n) => {
    const { functionName, url, lineNumber } = n.callFrame;
    return `${functionName || '(anonymous)'} ${shortUrl(url)}${url ? `:${lineNumber + 1}` : ''}`;
  };
  const pkgOf = (n) => packageOf(n.callFrame.url, n.callFrame.functionName);

  const selfByFn = new Map();
  const selfByPkg = new Map();
  const totalByFn = new Map();
  for (const [id, us] of self) {
    const node = byId.get(id);
    add(selfByFn, label(node), us);
    add(selfByPkg, pkgOf(node), us);
    // Inclusive time: every distinct function on the stack gets the sample once.
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(byId.get(cur));
      if (!seen.has(l)) {
        seen.add(l);
        add(totalByFn, l, us);
      }
    }
  }
  const idleUs = [...self]
    .filter(([id]) => byId.get(id).callFrame.functionName === '(idle)')
    .reduce((a, [, us]) => a + us, 0);
  console.log(`\n${file}`);
  console.log(
    `sampled ${(totalUs / 1e6).toFixed(1)} s, busy ${((totalUs - idleUs) / 1e6).toFixed(1)} s (${((100 * (totalUs - idleUs)) / totalUs).toFixed(0)} % of the main thread)`,
  );
  print('self time by package', selfByPkg, totalUs - idleUs, top, ['(idle)']);
  print('self time by function', selfByFn, totalUs - idleUs, top, ['(idle) :0']);
  print('total time by function', totalByFn, totalUs - idleUs, top, ['(root) :0', '(idle) :0']);

  if (callersOf) {
    // Time spent inside NAME (inclusive), by the call path that led there.
    const paths = new Map();
    for (const [id, us] of self) {
      const stack = [];
      for (let cur = id; cur !== undefined; cur = parent.get(cur)) stack.push(byId.get(cur));
      const at = stack.findIndex((n) => n.callFrame.functionName === callersOf);
      if (at < 0) continue;
      const path = stack
        .slice(at, at + 6)
        .map((n) => label(n))
        .join('  <-  ');
      add(paths, path, us);
    }
    print(`call paths into ${callersOf}`, paths, totalUs - idleUs, top, []);
  }
}

function add(map, key, us) {
  map.set(key, (map.get(key) ?? 0) + us);
}

function print(title, map, busyUs, n, skip) {
  console.log(`\n${title} (% of busy time)`);
  const rows = [...map]
    .filter(([k]) => !skip.some((s) => k.startsWith(s)))
    .sort((a, b) => b[1] - a[1])
    .slice(0, n);
  for (const [key, us] of rows) {
    console.log(
      `${((100 * us) / busyUs).toFixed(1).padStart(6)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`,
    );
  }
}

function shortUrl(url) {
  if (!url) return '';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\//, '').replace(/^.*\/(dist|\.run)\//, '$1/');
}

function packageOf(url, fn) {
  if (!url) return fn.startsWith('(') ? fn : '(native / V8)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return 'node: (core)';
  return 'app bundle (main.js)';
}
