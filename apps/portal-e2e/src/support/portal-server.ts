import { readFileSync, statSync } from 'node:fs';
import {
  createServer,
  request as forward,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

import { DEFAULT_LOCALE, portalLocaleFor } from '@account-recovery/contracts';

const WORKSPACE = join(__dirname, '../../../..');
export const PORTAL_BUILD_DIR = join(WORKSPACE, 'dist/apps/portal/browser');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** Paths that name a built file: a missing one is a 404, never index.html (as in nginx.conf). */
const ASSET_PATH =
  /\.(?:js|mjs|css|map|ico|png|jpe?g|gif|svg|webp|woff2?|ttf|txt|json|webmanifest)$/i;
/** Content-hashed build output (under its language's folder) never changes under its name. */
const HASHED_PATH = /^\/(?:[a-z]{2}\/)?(?:[^/]+-[A-Z0-9]{8}\.(?:js|css)|media\/)/;
const COMPRESSIBLE = new Set(['.js', '.mjs', '.css']);
/** The emailed link's page: the browser must not keep its address in its cache (nginx.conf). */
const TOKENED_PAGE = /^\/+(?:[a-z]{2}\/+)?reset-password(?:[/?]|$)/i;
/** nginx's gzip_min_length: tiny files go out as they are. */
const GZIP_MIN_LENGTH = 1024;

/**
 * The headers the portal's own dev server sends (`apps/portal/project.json`, serve options):
 * CSP with frame-ancestors, Referrer-Policy, nosniff, X-Frame-Options. Read from there so the
 * browser suite and the portal's declared policy cannot drift apart.
 */
export function portalSecurityHeaders(): Record<string, string> {
  const project = JSON.parse(readFileSync(join(WORKSPACE, 'apps/portal/project.json'), 'utf8')) as {
    targets: { serve: { options: { headers: Record<string, string> } } };
  };
  return { ...project.targets.serve.options.headers };
}

/** `Accept-Encoding` names gzip with a non-zero quality (`gzip`, `gzip;q=0.5`; not `gzip;q=0`). */
export function acceptsGzip(header: string | undefined): boolean {
  return (header ?? '').split(',').some((entry) => {
    const [coding = '', ...params] = entry.split(';').map((part) => part.trim().toLowerCase());
    const quality = params.find((param) => param.startsWith('q='));
    return coding === 'gzip' && (quality === undefined || Number(quality.slice(2)) > 0);
  });
}

/** One request as the server saw it, for checks the browser's own events cannot make. */
export interface SeenRequest {
  method: string;
  url: string;
  referer: string | null;
  /** The answer's status, once it has been sent. */
  status?: number;
}

/**
 * The production host of the built portal, in the test process: `dist/apps/portal/browser`
 * with SPA fallback, gzip for scripts and styles, the portal's security headers, and `/api/*`
 * proxied to the API. Listens on 127.0.0.1 only.
 */
export class PortalServer {
  /** Every request received, in order. */
  readonly seen: SeenRequest[] = [];
  private readonly files = new Map<string, { body: Buffer; gzipped: Buffer | null }>();
  private apiOrigin: URL | null = null;
  private port = 0;

  private constructor(
    private readonly server: Server,
    private readonly root: string,
    private readonly headers: Record<string, string>,
  ) {}

  static async start(
    options: { root?: string; headers?: Record<string, string> } = {},
  ): Promise<PortalServer> {
    const root = options.root ?? PORTAL_BUILD_DIR;
    if (!statSync(join(root, DEFAULT_LOCALE, 'index.html'), { throwIfNoEntry: false })?.isFile()) {
      throw new Error(`no portal build in ${root}: run \`npx nx build portal\` first`);
    }
    const server = createServer();
    const portal = new PortalServer(server, root, options.headers ?? portalSecurityHeaders());
    server.on('request', (request: IncomingMessage, response: ServerResponse) =>
      portal.handle(request, response),
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    portal.port = (server.address() as AddressInfo).port;
    return portal;
  }

  /** `http://127.0.0.1:<port>`: the `PORTAL_URL` the API builds its emailed links from. */
  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Where `/api/*` goes; set once the API (which needs this server's origin) is up. */
  proxyApiTo(origin: string): void {
    this.apiOrigin = new URL(origin);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = request.url ?? '/';
    const seen: SeenRequest = {
      method: request.method ?? '',
      url,
      referer: request.headers.referer ?? null,
    };
    this.seen.push(seen);
    response.on('finish', () => (seen.status = response.statusCode));
    const path = url.split('?')[0] ?? '/';
    if (path === '/api' || path.startsWith('/api/')) {
      this.proxy(request, response);
      return;
    }
    for (const [name, value] of Object.entries(this.headers)) response.setHeader(name, value);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const file = this.resolveFile(path);
    if (file === null && ASSET_PATH.test(path)) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    if (file !== null) {
      this.sendFile(request, response, file);
      return;
    }
    // A route of the app: the page in the reader's language, at the same address in every
    // language (as docker/nginx.conf does).
    const locale = portalLocaleFor({
      cookie: request.headers.cookie,
      acceptLanguage: request.headers['accept-language'],
    });
    response.setHeader('Content-Language', locale);
    this.sendFile(request, response, `${locale}/index.html`, {
      vary: 'Accept-Language, Cookie',
      cacheControl: TOKENED_PAGE.test(path) ? 'no-store' : 'no-cache',
    });
  }

  /** The built file a path names, relative to the root, or null; never outside the root. */
  private resolveFile(path: string): string | null {
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return null;
    }
    const relative = normalize(decoded).replace(/^[/\\]+/, '');
    if (relative === '' || relative.includes('\0') || relative.split(sep).includes('..')) {
      return null;
    }
    return statSync(join(this.root, relative), { throwIfNoEntry: false })?.isFile()
      ? relative
      : null;
  }

  private sendFile(
    request: IncomingMessage,
    response: ServerResponse,
    relative: string,
    page: { vary: string; cacheControl: string } | null = null,
  ): void {
    const extension = extname(relative).toLowerCase();
    const file = this.load(relative, COMPRESSIBLE.has(extension));
    const body =
      file.gzipped !== null && acceptsGzip(request.headers['accept-encoding'])
        ? file.gzipped
        : file.body;
    response.setHeader('Content-Type', CONTENT_TYPES[extension] ?? 'application/octet-stream');
    response.setHeader(
      'Cache-Control',
      page?.cacheControl ??
        (HASHED_PATH.test(`/${relative}`) ? 'public, max-age=31536000, immutable' : 'no-cache'),
    );
    const vary = [page?.vary, file.gzipped !== null ? 'Accept-Encoding' : undefined].filter(
      Boolean,
    );
    if (vary.length > 0) response.setHeader('Vary', vary.join(', '));
    if (body === file.gzipped) response.setHeader('Content-Encoding', 'gzip');
    response.setHeader('Content-Length', body.length);
    response.writeHead(200);
    response.end(request.method === 'HEAD' ? undefined : body);
  }

  private load(relative: string, compressible: boolean): { body: Buffer; gzipped: Buffer | null } {
    let file = this.files.get(relative);
    if (file === undefined) {
      const body = readFileSync(join(this.root, relative));
      const gzipped = compressible && body.length >= GZIP_MIN_LENGTH ? gzipSync(body) : null;
      file = { body, gzipped };
      this.files.set(relative, file);
    }
    return file;
  }

  private proxy(request: IncomingMessage, response: ServerResponse): void {
    const target = this.apiOrigin;
    if (target === null) {
      response.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' }).end('No API\n');
      return;
    }
    const headers = { ...request.headers };
    delete headers.connection;
    // As the production nginx does: overwrite, never append.
    headers['x-forwarded-for'] = request.socket.remoteAddress ?? '';
    headers['x-forwarded-proto'] = 'http';
    const upstream = forward(
      {
        host: target.hostname,
        port: target.port,
        method: request.method,
        path: request.url,
        headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => {
      if (!response.headersSent) {
        response.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8' });
      }
      response.end();
    });
    request.pipe(upstream);
  }
}
