/**
 * The build stage of both images, outside Docker: the build context that .dockerignore lets
 * through, the files each Dockerfile COPYs from it into an empty directory, and the Nx
 * build run there. It proves the COPY lists are complete (a build needing a file that is not
 * copied fails here, as it would in `docker build`) and that no secret or bulk enters the
 * context. `npm install` is not repeated: the workspace's node_modules is linked in.
 * Run: node --test tools/image-check/
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, resolve } from 'node:path';
import { after, describe, test } from 'node:test';

const root = resolve(import.meta.dirname, '../..');

/** .dockerignore rules as Docker applies them: in order, the last matching rule decides. */
function dockerignore(text) {
  const rules = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const include = line.startsWith('!');
      const pattern = posix.normalize(include ? line.slice(1) : line).replace(/^\/|\/$/g, '');
      const source = pattern
        .split('/')
        .map((part) =>
          part === '**'
            ? '.*'
            : part
                .replace(/[.+^${}()|[\]\\]/g, '\\$&')
                .replace(/\*/g, '[^/]*')
                .replace(/\?/g, '[^/]'),
        )
        .join('/')
        .replace(/\.\*\//g, '(?:.*/)?');
      return { include, regex: new RegExp(`^${source}$`) };
    });
  /** A rule matches a path when it matches the path itself or one of its parents. */
  const matches = (regex, path) => {
    const parts = path.split('/');
    return parts.some((_, i) => regex.test(parts.slice(0, i + 1).join('/')));
  };
  return (path) => {
    let excluded = false;
    for (const rule of rules) if (matches(rule.regex, path)) excluded = !rule.include;
    return excluded;
  };
}

/** Every file of the workspace that .dockerignore lets into the build context. */
function buildContext() {
  const excluded = dockerignore(readFileSync(join(root, '.dockerignore'), 'utf8'));
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      // Too big to walk, and excluded anyway (asserted below).
      if (entry.isDirectory() && ['node_modules', '.git', '.nx'].includes(entry.name)) continue;
      if (entry.isDirectory()) walk(path);
      else if (!excluded(path)) files.push(path);
    }
  };
  walk('');
  return { files, excluded };
}

/** Sources of the `COPY` lines (not `COPY --from`) of a Dockerfile's build stage. */
function copiedSources(dockerfile) {
  const text = readFileSync(join(root, dockerfile), 'utf8').replace(/\\\n/g, ' ');
  return [...text.matchAll(/^COPY\s+(?!--from)(.+)$/gm)].flatMap((m) =>
    m[1].trim().split(/\s+/).slice(0, -1),
  );
}

function run(command, args, cwd) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: {
        ...process.env,
        NX_NO_CLOUD: 'true',
        NX_DAEMON: 'false',
        NX_TUI: 'false',
        NG_CLI_ANALYTICS: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, output }));
  });
}

describe('Docker build context and build stages', () => {
  const { files, excluded } = buildContext();
  const work = mkdtempSync(join(tmpdir(), 'image-check-context-'));
  after(() => rmSync(work, { recursive: true, force: true }));

  test('.dockerignore keeps secrets, packages, build output and tests out', () => {
    for (const path of [
      '.env',
      'node_modules/nx/package.json',
      'apps/api/node_modules/x',
      'dist/apps/api/main.js',
      '.git/HEAD',
      '.data/postgres/PG_VERSION',
      'apps/api-e2e/src/flow.e2e-spec.ts',
      'apps/api/src/app/app.module.spec.ts',
      'apps/portal/.env',
    ])
      assert.ok(excluded(path), `${path} must not enter the build context`);
    assert.ok(files.length < 2000, `${files.length} files in the build context`);
    assert.ok(!files.some((f) => /(^|\/)\.env$/.test(f)), 'a .env file is in the context');
  });

  for (const [dockerfile, project, output] of [
    ['docker/api.Dockerfile', 'api', 'dist/apps/api/main.js'],
    ['docker/portal.Dockerfile', 'portal', 'dist/apps/portal/browser/ar/index.html'],
  ]) {
    test(`${dockerfile}: the files it copies build ${project}`, async () => {
      const sources = copiedSources(dockerfile);
      assert.ok(sources.includes('package-lock.json') && sources.includes(`apps/${project}`));
      // The build stage's /workspace: only the COPYed files, from the context only.
      const stage = join(work, project);
      mkdirSync(stage);
      for (const source of sources) {
        const inContext = files.filter((f) => f === source || f.startsWith(`${source}/`));
        assert.ok(inContext.length > 0, `${source} is COPYed but not in the build context`);
        for (const file of inContext) {
          mkdirSync(dirname(join(stage, file)), { recursive: true });
          cpSync(join(root, file), join(stage, file));
        }
      }
      // Stands in for `RUN npm install` (same lockfile).
      symlinkSync(join(root, 'node_modules'), join(stage, 'node_modules'), 'dir');
      // As in the Dockerfile: `npx nx build <project>`.
      const build = await run('npx', ['nx', 'build', project, '--output-style=stream'], stage);
      assert.equal(
        build.code,
        0,
        `nx build ${project} in the build stage:\n${build.output.slice(-3000)}`,
      );
      assert.ok(existsSync(join(stage, output)), `${output} was built`);
    });
  }
});
