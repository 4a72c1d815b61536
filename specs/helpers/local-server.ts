import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real `node:http` (or `https`) server on 127.0.0.1, port 0, for specs. It counts requests and
 * connections so a spec can assert "exactly 3 requests" or "the server saw the connection close".
 *
 * let server: LocalServer;
 * before(async () => { server = await startLocalServer((req, res) => res.end('ok')); });
 * beforeEach(() => server.reset());
 * after(() => server.close());
 *
 * it('...', async () => {
 *   // ... send to `${server.url}/path` ...
 *   await server.waitFor((s) => s.closedConnections >= 1);
 *   expect(server.requests).to.equal(1);
 * });
 */
export interface LocalServer extends LocalServerStats {
  /** Base URL without a trailing slash: `http://127.0.0.1:PORT` (`https://` with `tls`). */
  readonly url: string;
  readonly port: number;
  /**
   * Resolves once `condition` holds: checked now and after every request, connection and close.
   * It never times out by itself; mocha's timeout catches a condition that never comes.
   */
  waitFor(condition: (stats: LocalServerStats) => boolean): Promise<void>;
  /** Sets `requests`, `connections` and `closedConnections` back to 0 (open connections stay open). */
  reset(): void;
  /** Destroys every connection (`closeAllConnections`) and stops listening. */
  close(): Promise<void>;
}

/** Counters, since start or the last `reset()`. */
export interface LocalServerStats {
  /** Requests whose headers arrived. Counted before the handler is called; waiters are told after its synchronous part ran. */
  readonly requests: number;
  /** TCP connections accepted (including TLS connections that failed their handshake). */
  readonly connections: number;
  /** Connections closed, by either side. */
  readonly closedConnections: number;
  /** Connections open now. */
  readonly openConnections: number;
}

/**
 * A request handler; it may be async, and what it returns is ignored (so `(req, res) => res.end('ok')`
 * works). If it throws or rejects, the client gets a 500, or a closed socket once headers went out.
 */
export type LocalHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

export interface LocalServerOptions {
  /** Serve HTTPS with a fresh self-signed certificate for `127.0.0.1` and `localhost`. Default `false`. */
  readonly tls?: boolean;
}

/** Starts a server; see {@link LocalServer}. */
export async function startLocalServer(handler: LocalHandler, options: LocalServerOptions = {}): Promise<LocalServer> {
  let requests = 0;
  let connections = 0;
  let closedConnections = 0;
  const open = new Set<Socket>();
  const waiters = new Set<() => void>();
  const stats = (): LocalServerStats => ({ requests, connections, closedConnections, openConnections: open.size });
  const notify = (): void => waiters.forEach((check) => check());

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    requests += 1;
    const fail = (error: unknown): void => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' }).end(String(error));
      else res.destroy();
    };
    try {
      // The handler's synchronous part runs before waiters hear of the request.
      Promise.resolve(handler(req, res)).catch(fail);
    } catch (error) {
      fail(error);
    }
    notify();
  };
  const server = options.tls === true ? https.createServer(selfSignedCertificate(), listener) : http.createServer(listener);
  server.on('connection', (socket: Socket) => {
    connections += 1;
    open.add(socket);
    socket.once('close', () => {
      open.delete(socket);
      closedConnections += 1;
      notify();
    });
    notify();
  });
  // A client that rejects our certificate makes the handshake fail: expected, not a crash.
  server.on('tlsClientError', () => undefined);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `${options.tls === true ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    get requests() {
      return requests;
    },
    get connections() {
      return connections;
    },
    get closedConnections() {
      return closedConnections;
    },
    get openConnections() {
      return open.size;
    },
    waitFor: (condition) =>
      new Promise<void>((resolve) => {
        const check = (): void => {
          if (condition(stats())) {
            waiters.delete(check);
            resolve();
          }
        };
        waiters.add(check);
        check();
      }),
    reset: () => {
      requests = 0;
      connections = 0;
      closedConnections = 0;
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      // Sockets the HTTP layer does not track (a failed TLS handshake, a half-open connection).
      open.forEach((socket) => socket.destroy());
      await closed;
    },
  };
}

/** Reads a request's whole body. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

let certificate: { readonly key: Buffer; readonly cert: Buffer } | undefined;

/** A self-signed certificate made once per process with `openssl`, for 127.0.0.1 and localhost. */
function selfSignedCertificate(): { readonly key: Buffer; readonly cert: Buffer } {
  if (certificate !== undefined) return certificate;
  const dir = mkdtempSync(join(tmpdir(), 'rocketship-rx-cert-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: 'ignore' },
    );
    certificate = { key: readFileSync(key), cert: readFileSync(cert) };
    return certificate;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
