import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { Client } from 'pg';

import { createDatabase, freePort, SERVER_URL_ENV } from './database-server';

const MAIN = resolve(__dirname, '../../../../dist/apps/api/main.js');
export const PORTAL_URL = 'http://portal.test:4200';

export interface ApiProcessOptions {
  /** The URL the process connects with, e.g. through a TcpProxy. */
  databaseVia?: (url: URL) => URL;
  /** Another process's database instead of a fresh one: replicas and workers of one system. */
  sameDatabaseAs?: ApiProcess;
  /** What `launch` waits for: ready (database and queue, the default) or only live. */
  waitFor?: 'ready' | 'live';
  /** How long `launch` waits for it (30 s by default; a loaded machine starting many needs more). */
  readyTimeoutMs?: number;
  /** An existing database (the bench's, migrated by the caller) instead of a fresh one. */
  databaseUrl?: string;
  /** Another build's entry point (the bench runs a private copy of dist/apps/api). */
  main?: string;
  /**
   * Without the test defaults (NODE_ENV=test, BCRYPT_COST 10, debug logs, high rate limits,
   * a random JWT secret): the caller's env is all the process gets, besides PATH, PORT and
   * DATABASE_URL. The bench starts the API as production does.
   */
  withoutTestDefaults?: boolean;
  /** Arguments for node before the entry point (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** Keeps only the last this many log lines (all by default). */
  maxLogLines?: number;
}

/** Resident memory of a process from /proc (Linux): now and its peak, in MB. */
export interface ProcessMemory {
  rssMb: number;
  hwmMb: number;
}

/**
 * The built API in a child process, on a database of its own (created here on the suite's
 * server), so test files cannot see each other's users, tokens or queued jobs. With
 * `PROCESS_ROLE=worker` in its env it is a worker: health checks on `healthPort`.
 */
export class ApiProcess {
  readonly logs: string[] = [];
  private child: ChildProcess | null = null;
  databaseUrl = '';
  port = 0;
  /** WORKER_HEALTH_PORT of a worker process. */
  healthPort = 0;
  private waitFor: 'ready' | 'live' = 'ready';
  private readyTimeoutMs = 30_000;
  private main = MAIN;
  private withoutTestDefaults = false;
  private nodeArgs: string[] = [];
  private maxLogLines = Infinity;

  constructor(private readonly env: Record<string, string> = {}) {}

  /** The process id while it runs, else null. */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** Its resident memory (VmRSS) and peak (VmHWM); NaN when it does not run. */
  memory(): ProcessMemory {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const mb = (field: string) =>
        Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) / 1024;
      return { rssMb: mb('VmRSS'), hwmMb: mb('VmHWM') };
    } catch {
      return { rssMb: NaN, hwmMb: NaN };
    }
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get isWorker(): boolean {
    return this.env['PROCESS_ROLE'] === 'worker';
  }

  /** Where its health checks answer: the API port, or a worker's health port. */
  get healthUrl(): string {
    return `http://127.0.0.1:${this.isWorker ? this.healthPort : this.port}`;
  }

  static async start(
    env: Record<string, string> = {},
    options: ApiProcessOptions = {},
  ): Promise<ApiProcess> {
    const api = new ApiProcess(env);
    api.main = options.main ?? MAIN;
    api.withoutTestDefaults = options.withoutTestDefaults ?? false;
    api.nodeArgs = options.nodeArgs ?? [];
    api.maxLogLines = options.maxLogLines ?? Infinity;
    if (options.databaseUrl) api.databaseUrl = options.databaseUrl;
    else if (options.sameDatabaseAs) api.databaseUrl = options.sameDatabaseAs.databaseUrl;
    else await api.createDatabase();
    if (options.databaseVia)
      api.apiDatabaseUrl = options.databaseVia(new URL(api.databaseUrl)).toString();
    api.waitFor = options.waitFor ?? 'ready';
    api.readyTimeoutMs = options.readyTimeoutMs ?? api.readyTimeoutMs;
    await api.launch();
    return api;
  }

  /** The URL the API connects with: the database's own, or through a proxy the test controls. */
  private apiDatabaseUrl = '';

  private async createDatabase(): Promise<void> {
    const serverUrl = process.env[SERVER_URL_ENV];
    if (!serverUrl)
      throw new Error(`${SERVER_URL_ENV} is not set: run through the api-e2e jest config`);
    this.databaseUrl = await createDatabase(serverUrl, 'e2e');
  }

  /** Starts (or restarts) the process and waits until it is ready. */
  async launch(extraEnv: Record<string, string> = {}): Promise<void> {
    this.port = this.port || (await freePort());
    if (this.isWorker) this.healthPort = this.healthPort || (await freePort());
    const testDefaults = this.withoutTestDefaults
      ? {}
      : {
          NODE_ENV: 'test',
          PORTAL_URL,
          JWT_SECRET: randomBytes(32).toString('hex'),
          BCRYPT_COST: '10',
          LOG_LEVEL: 'debug',
          MAIL_RETRY_DELAY_SECONDS: '1',
          RESET_EMAIL_COOLDOWN_SECONDS: '0',
          // Every request comes from 127.0.0.1 here; rate-limit tests set their own limits.
          RATE_LIMIT_FORGOT_PER_MINUTE: '10000',
          RATE_LIMIT_VALIDATE_PER_MINUTE: '10000',
          RATE_LIMIT_RESET_PER_MINUTE: '10000',
          RATE_LIMIT_LOGIN_PER_MINUTE: '10000',
          RATE_LIMIT_CODE_PER_MINUTE: '10000',
          RATE_LIMIT_LOGIN_GLOBAL_PER_SECOND: '10000',
        };
    const child = spawn(process.execPath, [...this.nodeArgs, this.main], {
      env: {
        PATH: process.env['PATH'] ?? '',
        PORT: String(this.port),
        ...(this.isWorker ? { WORKER_HEALTH_PORT: String(this.healthPort) } : {}),
        DATABASE_URL: this.apiDatabaseUrl || this.databaseUrl,
        ...testDefaults,
        ...this.env,
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const collect = (chunk: Buffer) => {
      this.logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      if (this.logs.length > this.maxLogLines)
        this.logs.splice(0, this.logs.length - this.maxLogLines);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    await this.waitUntilReady(child);
  }

  private async waitUntilReady(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + this.readyTimeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null)
        throw new Error(`API exited with ${child.exitCode}:\n${this.logs.slice(-20).join('\n')}`);
      try {
        const response = await fetch(`${this.healthUrl}/api/health/${this.waitFor}`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    throw new Error(
      `API not ${this.waitFor} in ${this.readyTimeoutMs / 1000} s:\n${this.logs.slice(-20).join('\n')}`,
    );
  }

  /**
   * Graceful stop (SIGTERM), or a crash (SIGKILL). With `killAfterMs`, a process still running
   * that long after the signal is killed.
   */
  async stop(signal: NodeJS.Signals = 'SIGTERM', killAfterMs?: number): Promise<number | null> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null)
      return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    child.kill(signal);
    if (killAfterMs === undefined) return exited;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, killAfterMs);
    });
    const code = await Promise.race([exited, late.then(() => undefined)]);
    clearTimeout(timer);
    if (code !== undefined) return code;
    child.kill('SIGKILL');
    return exited;
  }

  /** A client on this instance's database, for looking at what the API stored. */
  async query<T extends object = Record<string, unknown>>(
    sql: string,
    params: unknown[] = [],
  ): Promise<T[]> {
    const client = new Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  async post(
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpResult> {
    return this.request('POST', path, body, headers);
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<HttpResult> {
    return this.request('GET', path, undefined, headers);
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpResult> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return {
      status: response.status,
      headers: response.headers,
      text,
      body: json as Record<string, unknown>,
    };
  }
}

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  body: Record<string, unknown>;
}
