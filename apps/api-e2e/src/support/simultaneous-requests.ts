import { connect, Socket } from 'node:net';

export interface RawRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown> | null;
  /** From the moment the last bytes were sent until this answer was complete. */
  elapsedMs: number;
}

/**
 * Sends requests so that they reach the server at the same moment: each on a TCP connection
 * opened beforehand, each written whole but for its last byte, and then every last byte in
 * one synchronous loop. The server cannot start handling any of them before all are in, so
 * connection set-up and request parsing do not spread them out (Connection: close: each
 * answer ends with its socket).
 */
export async function sendSimultaneously(
  baseUrl: string,
  requests: RawRequest[],
): Promise<RawResponse[]> {
  const { hostname, port } = new URL(baseUrl);
  const sockets = await Promise.all(requests.map(() => open(hostname, Number(port))));
  let released = 0;
  const answers = sockets.map((socket) =>
    readAll(socket).then((raw) => ({ raw, elapsedMs: performance.now() - released })),
  );
  const raws = requests.map((request) => serialise(request, hostname, port));
  sockets.forEach((socket, i) => socket.write(raws[i].subarray(0, raws[i].length - 1)));
  // Let the kernel deliver the heads; the server waits for each request's last byte.
  await new Promise((resolve) => setTimeout(resolve, 100));
  released = performance.now();
  sockets.forEach((socket, i) => socket.write(raws[i].subarray(raws[i].length - 1)));
  return (await Promise.all(answers)).map(({ raw, elapsedMs }) => ({ ...parse(raw), elapsedMs }));
}

function open(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, noDelay: true });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

function serialise(request: RawRequest, host: string, port: string): Buffer {
  const body = request.body === undefined ? '' : JSON.stringify(request.body);
  const headers: Record<string, string> = {
    host: `${host}:${port}`,
    connection: 'close',
    ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
    'content-length': String(Buffer.byteLength(body)),
    ...request.headers,
  };
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  return Buffer.from(`${request.method} ${request.path} HTTP/1.1\r\n${head}\r\n${body}`, 'utf8');
}

function readAll(socket: Socket): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('end', () => resolve(Buffer.concat(chunks)));
    socket.once('error', reject);
  });
}

function parse(raw: Buffer): Omit<RawResponse, 'elapsedMs'> {
  const text = raw.toString('utf8');
  const split = text.indexOf('\r\n\r\n');
  const [statusLine, ...lines] = text.slice(0, split).split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
    }),
  );
  const payload = text.slice(split + 4);
  let body: Record<string, unknown> | null = null;
  try {
    body = payload ? (JSON.parse(payload) as Record<string, unknown>) : null;
  } catch {
    body = null;
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}
