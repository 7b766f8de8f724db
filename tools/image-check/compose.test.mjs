/**
 * docker/compose.yaml as Compose itself resolves it (Debian's docker-compose v1, `config`),
 * with .env.example as the env file, like the README's quick start. What a deployment gets
 * when it follows the README: no mail catcher, a required SMTP_URL and PORTAL_URL, two API
 * replicas without job workers, one worker without a published port, migrations first.
 *
 * Needs `docker-compose` on PATH (Debian: apt-get install docker-compose); skipped without it.
 * Run: node --test tools/image-check/
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';

import yaml from 'js-yaml';

const root = resolve(import.meta.dirname, '../..');
const composeBinary = spawnSync('docker-compose', ['version', '--short']).error
  ? null
  : 'docker-compose';

/** The README's two secrets, and the two values a deployment must choose itself. */
const deployment = {
  POSTGRES_PASSWORD: 'image-check-postgres',
  JWT_SECRET: 'image-check-jwt-secret-0123456789abcdef',
  PASSWORD_PEPPER: 'image-check-pepper-0123456789abcdef0123',
  MFA_ENCRYPTION_KEY: '8c1f4e7a2d5b9c3f6a0e8d2b5c9f1a4e7b0d3c6f9a2e5b8d1c4f7a0e3b6d9c2f',
  SMTP_URL: 'smtps://relay.image-check.test:465',
  PORTAL_URL: 'https://accounts.image-check.test',
};

const resolved = new Map();

/** `docker-compose config` with .env.example and these variables (nothing else set). */
function composeConfig(variables) {
  const key = JSON.stringify(variables);
  if (!resolved.has(key)) resolved.set(key, runComposeConfig(variables));
  return resolved.get(key);
}

function runComposeConfig(variables) {
  const result = spawnSync(
    composeBinary,
    ['--env-file', '.env.example', '-f', 'docker/compose.yaml', 'config'],
    {
      cwd: root,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...variables },
    },
  );
  return {
    ok: result.status === 0,
    stderr: result.stderr,
    config: result.status === 0 ? yaml.load(result.stdout) : null,
  };
}

/** The commented `#   NAME=value` lines of the "Local trial" block of .env.example. */
function localTrialSettings() {
  const text = readFileSync(join(root, '.env.example'), 'utf8');
  const block = /^# -+ Local trial[\s\S]*?(?=^# -+ |$(?![\s\S]))/m.exec(text);
  assert.ok(block, '.env.example has a "Local trial" block');
  const settings = Object.fromEntries(
    [...block[0].matchAll(/^# {3}([A-Z][A-Z0-9_]*)=(\S*)$/gm)].map((m) => [m[1], m[2]]),
  );
  assert.ok(Object.keys(settings).length >= 4, 'the block shows the settings of a local trial');
  return settings;
}

describe(
  'docker/compose.yaml, resolved by docker-compose',
  { skip: !composeBinary && 'docker-compose is not installed' },
  () => {
    test('SMTP_URL and PORTAL_URL are required: no silent default to the mail catcher', () => {
      for (const missing of ['SMTP_URL', 'PORTAL_URL']) {
        const rest = { ...deployment };
        delete rest[missing];
        const result = composeConfig(rest);
        assert.equal(result.ok, false, `compose accepted a configuration without ${missing}`);
        assert.match(result.stderr, new RegExp(`set ${missing} in \\.env`));
      }
    });

    test('.env.example as shipped starts no mail catcher and no insecure opt-in', () => {
      const text = readFileSync(join(root, '.env.example'), 'utf8');
      for (const name of [
        'COMPOSE_PROFILES',
        'SMTP_URL',
        'PORTAL_URL',
        'ALLOW_INSECURE_LOCAL_TRIAL',
      ])
        assert.match(text, new RegExp(`^${name}=$`, 'm'), `${name} is empty in .env.example`);
      const { config } = composeConfig(deployment);
      for (const service of ['api', 'worker']) {
        const environment = config.services[service].environment;
        assert.equal(environment.SMTP_URL, deployment.SMTP_URL, service);
        assert.equal(environment.ALLOW_INSECURE_LOCAL_TRIAL, '', service);
        assert.notEqual(environment.API_DOCS, 'public', `${service}: docs stay internal`);
      }
    });

    test('the mail catcher runs only under the inbox profile', () => {
      const { config } = composeConfig(deployment);
      const profiled = Object.entries(config.services)
        .filter(([, service]) => service.profiles)
        .map(([name, service]) => [name, service.profiles]);
      assert.deepEqual(profiled, [['mail-catcher', ['inbox']]]);
      const catcher = config.services['mail-catcher'];
      assert.ok(
        catcher.ports.every((port) => String(port.host_ip ?? port).startsWith('127.0.0.1')),
        `the inbox is published on 127.0.0.1 only: ${JSON.stringify(catcher.ports)}`,
      );
    });

    test("a local trial as .env.example describes it uses the catcher's service name", () => {
      const trial = localTrialSettings();
      assert.equal(trial.COMPOSE_PROFILES, 'inbox');
      assert.equal(trial.ALLOW_INSECURE_LOCAL_TRIAL, 'true');
      const { ok, stderr, config } = composeConfig({ ...deployment, ...trial });
      assert.ok(ok, stderr);
      const smtp = new URL(config.services.api.environment.SMTP_URL);
      assert.ok(
        config.services[smtp.hostname],
        `SMTP_URL names a compose service (${smtp.hostname})`,
      );
      assert.deepEqual(config.services[smtp.hostname].profiles, ['inbox']);
      assert.equal(config.services.api.environment.PORTAL_URL, trial.PORTAL_URL);
    });

    test('two API replicas without job workers, behind nginx only', () => {
      const { config } = composeConfig(deployment);
      const api = config.services.api;
      assert.equal(api.deploy?.replicas, 2);
      assert.equal(api.environment.PROCESS_ROLE, 'api');
      assert.equal(api.ports, undefined, 'the API publishes no port');
      assert.deepEqual(config.services.portal.depends_on.api, { condition: 'service_healthy' });
    });

    test('one worker service: PROCESS_ROLE=worker, no port, health on its own port', () => {
      const { config } = composeConfig(deployment);
      const worker = config.services.worker;
      assert.equal(worker.deploy?.replicas ?? 1, 1);
      assert.equal(worker.environment.PROCESS_ROLE, 'worker');
      assert.equal(worker.ports, undefined, 'the worker publishes no port');
      assert.equal(worker.expose, undefined, 'nothing connects to the worker but its probe');
      assert.match(worker.environment.WORKER_HEALTH_PORT, /^\d+$/);
      // The image's HEALTHCHECK probes WORKER_HEALTH_PORT for this role (api-image.test.mjs).
      assert.ok(!worker.healthcheck?.disable, 'the worker keeps a health check');
      assert.equal(worker.image, config.services.api.image, 'the same image');
      // Both roles read the same configuration, apart from their role.
      const strip = (environment) => {
        const shared = { ...environment };
        delete shared.PROCESS_ROLE;
        delete shared.WORKER_HEALTH_PORT;
        return shared;
      };
      assert.deepEqual(strip(worker.environment), strip(config.services.api.environment));
    });

    test('migrations run as their own step before the API and the worker', () => {
      const { config } = composeConfig(deployment);
      assert.deepEqual(config.services.migrate.command, ['node', 'cli.js', 'migrate']);
      for (const service of ['api', 'worker']) {
        assert.deepEqual(
          config.services[service].depends_on.migrate,
          { condition: 'service_completed_successfully' },
          service,
        );
        assert.equal(config.services[service].environment.DB_MIGRATE_ON_START, 'false', service);
      }
    });

    test('production settings: bind the container interface, trust only private proxies', () => {
      const { config } = composeConfig(deployment);
      for (const service of ['api', 'worker']) {
        const environment = config.services[service].environment;
        assert.equal(environment.NODE_ENV, 'production', service);
        assert.equal(environment.HOST, '0.0.0.0', service);
        assert.equal(environment.TRUST_PROXY, 'uniquelocal', service);
      }
      // An operator's own TRUST_PROXY wins (e.g. the network's CIDR).
      const custom = composeConfig({ ...deployment, TRUST_PROXY: '172.30.0.0/16' });
      assert.equal(custom.config.services.api.environment.TRUST_PROXY, '172.30.0.0/16');
    });
  },
);
