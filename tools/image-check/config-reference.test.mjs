/**
 * Every variable the API reads is described in the runbook, offered in .env.example and
 * passed by docker/compose.yaml; and those two files name no variable that nothing reads.
 * A new setting in load-config.ts without its documentation fails here.
 * Run: node --test tools/image-check/
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

import yaml from 'js-yaml';

const root = resolve(import.meta.dirname, '../..');
const read = (path) => readFileSync(join(root, path), 'utf8');

/** load-config.ts and the readers it delegates to (mfa-key.ts...), specs aside. */
const configDir = 'apps/api/src/app/config';
const loadConfig = readdirSync(join(root, configDir))
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
  .map((file) => read(`${configDir}/${file}`))
  .join('\n');
const runbook = read('docs/operations.md');
const envExample = read('.env.example');
const compose = read('docker/compose.yaml');

/**
 * Every `read.<kind>('NAME'` in load-config.ts, and the process-role variables that main.ts
 * reads (PROCESS_ROLE=api|worker|all, WORKER_HEALTH_PORT for the worker's health server).
 */
const roleVariables = ['PROCESS_ROLE', 'WORKER_HEALTH_PORT'];
const apiVariables = [
  ...new Set([
    ...[...loadConfig.matchAll(/read\.\w+\('([A-Z][A-Z0-9_]*)'/g)].map((m) => m[1]),
    ...roleVariables,
  ]),
];
/** Read only in development (the demo user of `npm start`); never set in a deployment. */
const developmentOnly = new Set(['SEED_DEMO_USER']);
/** Variables of Compose itself and of the containers next to the API. */
const composeVariables = new Set([...compose.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]));
for (const name of ['COMPOSE_PROJECT_NAME', 'COMPOSE_PROFILES']) composeVariables.add(name);

/** Names the api and worker services set (YAML anchors and merge keys resolved). */
function apiServiceEnvironment() {
  const { services } = yaml.load(compose);
  assert.ok(services.api && services.worker, 'docker/compose.yaml has api and worker services');
  return [
    ...new Set([
      ...Object.keys(services.api.environment),
      ...Object.keys(services.worker.environment),
    ]),
  ];
}

test('load-config.ts reads the variables this test expects', () => {
  assert.ok(apiVariables.length >= 25, `found only ${apiVariables.join(', ')}`);
  for (const name of ['DATABASE_URL', 'JWT_SECRET', 'PORTAL_URL', 'TRUST_PROXY', 'HOST'])
    assert.ok(apiVariables.includes(name), name);
});

test('docs/operations.md describes every variable the API reads', () => {
  const missing = apiVariables.filter((name) => !runbook.includes(`\`${name}\``));
  assert.deepEqual(missing, [], 'add them to "Configuration reference" in docs/operations.md');
});

test('.env.example lists every variable a deployment may set', () => {
  const listed = new Set([...envExample.matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
  const missing = apiVariables.filter((name) => !developmentOnly.has(name) && !listed.has(name));
  assert.deepEqual(missing, [], 'add them to .env.example (empty value, default in a comment)');
  const unknown = [...listed].filter(
    (name) => !apiVariables.includes(name) && !composeVariables.has(name),
  );
  assert.deepEqual(unknown, [], '.env.example names variables nothing reads');
});

test('docker/compose.yaml passes every API variable to the API and the worker, and only those', () => {
  const passed = apiServiceEnvironment();
  const missing = apiVariables.filter(
    (name) => !developmentOnly.has(name) && !passed.includes(name),
  );
  assert.deepEqual(missing, [], 'pass them in x-api-environment: NAME: ${NAME:-}');
  const unknown = passed.filter((name) => !apiVariables.includes(name));
  assert.deepEqual(unknown, [], 'the api service sets variables the API does not read');
});
