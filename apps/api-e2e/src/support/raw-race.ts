import { connect, Socket } from 'node:net';

export interface RaceRequest {
  path: string;
  body: unknown;
  headers?: Record<string, string>;
}

function openConnection(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** The status code of the one response on `socket`. */
function statusOf(socket: Socket): Promise<number> {
  return new Promise((resolve, reject) => {
    let head = '';
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3}) /.exec(head);
      if (status) {
        resolve(Number(status[1]));
        socket.destroy();
      }
    });
    socket.once('error', reject);
    socket.once('close', () => reject(new Error(`closed before a status line: ${head}`)));
  });
}

/**
 * An attacker's race: every connection is opened first, then every request is written in
 * one turn of the event loop, so they reach the server together instead of one connection's
 * handshake apart. Status codes in request order.
 */
export async function raceRequests(port: number, requests: RaceRequest[]): Promise<number[]> {
  const sockets = await Promise.all(requests.map(() => openConnection(port)));
  const statuses = sockets.map(statusOf);
  requests.forEach((request, i) => {
    const body = JSON.stringify(request.body);
    const headers = Object.entries(request.headers ?? {})
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    sockets[i].write(
      `POST ${request.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n${headers}\r\n${body}`,
    );
  });
  return Promise.all(statuses);
}
