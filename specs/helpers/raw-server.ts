import net, { type AddressInfo, type Socket } from 'node:net';

/**
 * A raw HTTP/1.1 server on `node:net` (127.0.0.1, port 0) for specs that need bytes Node's own
 * server would never send: a `101` nobody asked for, a `100 Continue` and then silence, a reset in
 * the middle of a chunked body, a keep-alive connection closed just as a request arrives. It
 * parses requests (head and `Content-Length` body) and hands each to `onRequest`, which writes
 * whatever it likes on the socket. It counts connections and requests.
 *
 * const raw = await startRawServer((req, conn) => {
 *   if (conn.index === 1 && req.indexOnConnection === 2) return conn.socket.destroy(); // the keep-alive race
 *   conn.socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
 * });
 */
export interface RawServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Connections accepted, since start or the last `reset()`. */
  readonly connections: number;
  /** Requests whose head (and body) arrived. */
  readonly requests: number;
  /** Connections closed, by either side. */
  readonly closedConnections: number;
  /** Connections open now. */
  readonly openConnections: number;
  /** Every request received, in order. */
  readonly received: readonly RawRequest[];
  /** Resolves once `condition` holds; checked now and after every request, connection and close. */
  waitFor(condition: (server: RawServer) => boolean): Promise<void>;
  /** Counters and `received` back to zero; open connections stay open (their indexes keep counting). */
  reset(): void;
  /** Destroys every connection and stops listening. */
  close(): Promise<void>;
}

export interface RawRequest {
  readonly method: string;
  readonly path: string;
  /** Header names lower-cased; the last value of a repeated header. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** 1-based: the n-th request on its connection. */
  readonly indexOnConnection: number;
}

export interface RawConnection {
  readonly socket: Socket;
  /** 1-based: the n-th connection the server accepted since it started. */
  readonly index: number;
}

export async function startRawServer(onRequest: (request: RawRequest, connection: RawConnection) => void): Promise<RawServer> {
  let connections = 0;
  let accepted = 0;
  let requests = 0;
  let closedConnections = 0;
  const received: RawRequest[] = [];
  const open = new Set<Socket>();
  const waiters = new Set<() => void>();
  const notify = (): void => waiters.forEach((check) => check());

  const server = net.createServer((socket) => {
    connections += 1;
    accepted += 1;
    open.add(socket);
    const connection: RawConnection = { socket, index: accepted };
    let buffer = Buffer.alloc(0);
    let onThisConnection = 0;
    socket.on('error', () => undefined);
    socket.once('close', () => {
      open.delete(socket);
      closedConnections += 1;
      notify();
    });
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const lines = buffer.subarray(0, end).toString('latin1').split('\r\n');
        const [method = '', path = ''] = (lines[0] ?? '').split(' ');
        const headers: Record<string, string> = {};
        for (const line of lines.slice(1)) {
          const colon = line.indexOf(':');
          if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
        }
        const length = Number(headers['content-length'] ?? 0);
        if (buffer.length < end + 4 + length) return;
        const body = buffer.subarray(end + 4, end + 4 + length);
        buffer = buffer.subarray(end + 4 + length);
        onThisConnection += 1;
        requests += 1;
        const request: RawRequest = { method, path, headers, body, indexOnConnection: onThisConnection };
        received.push(request);
        onRequest(request, connection);
        notify();
        if (socket.destroyed) return;
      }
    });
    notify();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const self: RawServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    get connections() {
      return connections;
    },
    get requests() {
      return requests;
    },
    get closedConnections() {
      return closedConnections;
    },
    get openConnections() {
      return open.size;
    },
    received,
    waitFor: (condition) =>
      new Promise<void>((resolve) => {
        const check = (): void => {
          if (condition(self)) {
            waiters.delete(check);
            resolve();
          }
        };
        waiters.add(check);
        check();
      }),
    reset: () => {
      connections = 0;
      requests = 0;
      closedConnections = 0;
      received.length = 0;
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      open.forEach((socket) => socket.destroy());
      await closed;
    },
  };
  return self;
}

/** A complete `200 OK` with a JSON body and keep-alive, as raw bytes. */
export function okResponse(body = '{"ok":true}', extraHeaders = ''): string {
  return `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extraHeaders}\r\n${body}`;
}
