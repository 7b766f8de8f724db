/**
 * Every variable the API reads is described in the runbook, offered in .env.example and
 * passed by docker/compose.yaml; and those two files name no variable that nothing reads.
 * A new setting in load-config.ts without its documentation fails here.
 * Run: node --test tools/image-check/
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(import.meta.dirname, '../..');
const read = (path) => readFileSync(join(root, path), 'utf8');

const loadConfig = read('apps/api/src/app/config/load-config.ts');
const runbook = read('docs/operations.md');
const envExample = read('.env.example');
const compose = read('docker/compose.yaml');

/** Every `read.<kind>('NAME'` in load-config.ts. */
const apiVariables = [
  ...new Set([...loadConfig.matchAll(/read\.\w+\('([A-Z][A-Z0-9_]*)'/g)].map((m) => m[1])),
];
/** Read only in development (the demo user of `npm start`); never set in a deployment. */
const developmentOnly = new Set(['SEED_DEMO_USER']);
/** Variables of Compose itself and of the containers next to the API. */
const composeVariables = new Set([...compose.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]));
for (const name of ['COMPOSE_PROJECT_NAME', 'COMPOSE_PROFILES']) composeVariables.add(name);

/** `NAME:` keys of the api service's environment block in compose.yaml. */
function apiServiceEnvironment() {
  const service = /^ {2}api:\n([\s\S]*?)(?=^ {2}\S)/m.exec(compose);
  assert.ok(service, 'docker/compose.yaml has an api service');
  const environment = /^ {4}environment:\n((?: {6}.*\n)+)/m.exec(service[1]);
  assert.ok(environment, 'the api service has an environment block');
  return [...environment[1].matchAll(/^ {6}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]);
}

test('load-config.ts reads the variables this test expects', () => {
  assert.ok(apiVariables.length >= 25, `found only ${apiVariables.join(', ')}`);
  for (const name of ['DATABASE_URL', 'JWT_SECRET', 'PORTAL_URL', 'TRUST_PROXY'])
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

test('docker/compose.yaml passes every API variable, and only those', () => {
  const passed = apiServiceEnvironment();
  const missing = apiVariables.filter(
    (name) => !developmentOnly.has(name) && !passed.includes(name),
  );
  assert.deepEqual(missing, [], 'pass them in the api service: NAME: ${NAME:-}');
  const unknown = passed.filter((name) => !apiVariables.includes(name));
  assert.deepEqual(unknown, [], 'the api service sets variables the API does not read');
});
