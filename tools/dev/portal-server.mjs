/**
 * The portal's built files for `npm start`, as docker/nginx.conf serves them in production:
 * every language is its own build under dist/apps/portal/browser/<locale>/, the addresses are
 * the same in every language, and a route gets the index.html of the reader's language (the
 * switcher's cookie, else Accept-Language, else DEFAULT_LOCALE). `/api/*` goes to the API.
 *
 * The language is chosen by the contracts' own `portalLocaleFor` (the one the browser suite's
 * server uses), transpiled at start with the workspace's TypeScript, as bench/lib/testing.mjs
 * does: one implementation, nothing built beforehand.
 */
import { readFileSync, statSync } from 'node:fs';
import { createServer, request as forward } from 'node:http';
import { createRequire } from 'node:module';
import { extname, join, normalize, resolve, sep } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};
/** Paths that name a built file: a missing one is a 404, never index.html (as in nginx.conf). */
const ASSET_PATH = /\.(?:js|mjs|css|map|ico|png|jpe?g|gif|svg|webp|woff2?|ttf|txt|json)$/i;
/** The emailed link's page: the browser must not keep its address in its cache (nginx.conf). */
const TOKENED_PAGE = /^\/+(?:[a-z]{2}\/+)?reset-password(?:[/?]|$)/i;

async function loadLocales() {
  const ts = require('typescript');
  const source = readFileSync(join(root, 'libs/contracts/src/lib/locales.ts'), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
  });
  return import(`data:text/javascript;base64,${Buffer.from(outputText).toString('base64')}`);
}

/** The built file a path names, relative to `dir`, or null; never outside it. */
function builtFile(dir, path) {
  let decoded;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return null;
  }
  const relative = normalize(decoded).replace(/^[/\\]+/, '');
  if (relative === '' || relative.includes('\0') || relative.split(sep).includes('..')) return null;
  return statSync(join(dir, relative), { throwIfNoEntry: false })?.isFile() ? relative : null;
}

/**
 * Serves `dir` on 127.0.0.1:`port`, proxying `/api` to `apiOrigin`, with the headers the
 * portal's dev server declares (apps/portal/project.json).
 */
export async function startPortalServer({ dir, port, apiOrigin, defaultLocale }) {
  const { portalLocaleFor, isLocale, DEFAULT_LOCALE } = await loadLocales();
  const fallback = isLocale(defaultLocale) ? defaultLocale : DEFAULT_LOCALE;
  const project = JSON.parse(readFileSync(join(root, 'apps/portal/project.json'), 'utf8'));
  const securityHeaders = project.targets.serve.options.headers;
  const api = new URL(apiOrigin);

  const server = createServer((request, response) => {
    try {
      handle(request, response);
    } catch {
      // One odd request must not stop `npm start` (and leave the API and inbox running).
      if (!response.headersSent) response.writeHead(400, { 'Content-Type': 'text/plain' });
      response.end('Bad request\n');
    }
  });

  function handle(request, response) {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/api' || path.startsWith('/api/')) {
      const headers = { ...request.headers };
      delete headers.connection;
      const upstream = forward(
        { host: api.hostname, port: api.port, method: request.method, path: request.url, headers },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      upstream.on('error', () => {
        if (!response.headersSent) response.writeHead(503, { 'Content-Type': 'text/plain' });
        response.end('The API is not up yet.\n');
      });
      request.pipe(upstream);
      return;
    }
    for (const [name, value] of Object.entries(securityHeaders)) response.setHeader(name, value);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    let file = builtFile(dir, path);
    if (file === null && ASSET_PATH.test(path)) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    if (file === null) {
      const locale = portalLocaleFor(
        { cookie: request.headers.cookie, acceptLanguage: request.headers['accept-language'] },
        fallback,
      );
      file = `${locale}/index.html`;
      response.setHeader('Content-Language', locale);
      response.setHeader('Vary', 'Accept-Language, Cookie');
    }
    const body = readFileSync(join(dir, file));
    response.setHeader('Content-Type', CONTENT_TYPES[extname(file)] ?? 'application/octet-stream');
    response.setHeader('Cache-Control', TOKENED_PAGE.test(path) ? 'no-store' : 'no-cache');
    response.writeHead(200).end(request.method === 'HEAD' ? undefined : body);
  }
  await new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolvePromise);
  });
  return server;
}
