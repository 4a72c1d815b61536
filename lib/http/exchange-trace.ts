import type { Agent, ClientRequest, IncomingMessage, InformationEvent } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Where one exchange (one request and its response, on one connection) stands:
 * - `Connecting`: no connection yet (waiting for one from the pool, DNS, TCP or TLS);
 * - `Sending`: connected, the request not all written yet;
 * - `Sent`: the request written, no byte of the response yet;
 * - `Head`: part of the response arrived, not yet a final status line and headers (1xx
 *   informational responses included);
 * - `Body`: the final response's headers arrived, its body is being read.
 */
export type ExchangePhase = 'Connecting' | 'Sending' | 'Sent' | 'Head' | 'Body';

/** What went on in one exchange, as seen from Node's `ClientRequest` and its socket. */
export interface ExchangeTrace {
  readonly phase: ExchangePhase;
  /** The connection had carried an earlier request (it came from the keep-alive pool). */
  readonly reusedConnection: boolean;
  /** Bytes of the response read on the connection so far, informational responses included. */
  readonly responseBytes: number;
  /** Bytes of the final response's body read so far. */
  readonly bodyBytes: number;
  /** Informational (1xx) responses before the final one: how many, and the first one's status line. */
  readonly informational: { readonly count: number; readonly first: string } | undefined;
  /** The request still waits in the pool's queue for a free connection (the host is at its cap). */
  isQueued(): boolean;
  /** The pool's cap on connections to one host (`Infinity` for none); `undefined` without a pool. */
  readonly connectionCap: number | undefined;
  /** Destroys the idle pooled connections to the same server as this exchange's (see {@link traceExchange}). */
  evictIdleSiblings(): void;
}

/** Ways an exchange can end that Node does not report as an error or a response. */
export type ExchangeBreak =
  /** The server answered `101 Switching Protocols`; its connection is destroyed. */
  | { readonly _tag: 'Upgrade'; readonly statusLine: string; readonly upgrade: string | undefined }
  /** The server answered a `CONNECT` (Node takes any answer to one as the start of a tunnel); its connection is destroyed. */
  | { readonly _tag: 'Tunnel'; readonly statusLine: string }
  /** The request closed with neither a response nor an error. */
  | { readonly _tag: 'ClosedSilently' };

/** The part of Node's `http` module that sends a request: `http.request(options, onResponse)`. */
export interface Transport {
  request(options: import('node:http').RequestOptions, onResponse: (response: IncomingMessage) => void): ClientRequest;
}

/** What {@link traceExchange} needs besides the transport. */
export interface TraceOptions {
  /** The pool the request goes through, if any (for {@link ExchangeTrace.isQueued} and eviction). */
  readonly agent: Agent | undefined;
  /** Called at most once, when the exchange broke in a way axios would never settle. */
  readonly onBreak: (why: ExchangeBreak) => void;
  /** Called with each final response's `Keep-Alive` header (or `undefined`) and its socket. */
  readonly onKeepAliveHint?: ((socket: Socket, header: string | undefined) => void) | undefined;
}

/**
 * Wraps a transport so that the one request sent through it is traced: which phase it reached,
 * whether its connection was reused, how many bytes of the response arrived, which 1xx responses
 * came first. The trace is what transport errors are described from (`reset in the middle of the
 * response body`, not a guess from the error's shape) and what decides whether a failure on a
 * reused connection may be retried.
 *
 * It also makes the cases end at once that Node would leave hanging: a `101 Switching
 * Protocols` (with an `Upgrade` header Node closes the connection without telling the caller;
 * without one it hands the 101 over as if final), any answer to a `CONNECT` (Node reads it as a
 * tunnel and closes the connection without telling), and a request that closes with neither a
 * response nor an error. Each calls `onBreak`; the connection is destroyed, never pooled.
 *
 * const { transport, trace } = traceExchange(http, { agent, onBreak: (why) => ... });
 * // send one request through `transport`; on failure:
 * trace.phase              // 'Body'
 * trace.reusedConnection   // true
 */
export function traceExchange(base: Transport, options: TraceOptions): { readonly transport: Transport; readonly trace: ExchangeTrace } {
  // One plain object per exchange: the fields the trace reads are written in place by the
  // listeners below (an object literal of getters over closed-over variables was a dictionary of
  // ~0.7 KB, with a getter closure per field, for every request in flight).
  const trace = new Trace(options.agent);
  let responded = false;
  let errored = false;
  let broken = false;

  const breakWith = (why: ExchangeBreak): void => {
    if (broken) return;
    broken = true;
    options.onBreak(why);
  };
  const countResponseBytes = (chunk: Buffer): void => {
    trace.responseBytes += chunk.length;
    if (trace.phase !== 'Body') trace.phase = 'Head';
  };
  const release = (): void => {
    trace.socket?.removeListener('data', countResponseBytes);
  };

  const transport: Transport = {
    request(requestOptions, onResponse) {
      const req = base.request(requestOptions, (res) => {
        responded = true;
        trace.phase = 'Body';
        release();
        if (res.statusCode === 101) {
          // Without an `Upgrade` header Node's parser takes a 101 as a final response with no
          // body and would pool a connection the server has switched to another protocol.
          req.destroy();
          breakWith({ _tag: 'Upgrade', statusLine: statusLine(res), upgrade: headerText(res.headers['upgrade']) });
          return;
        }
        if (res.socket !== null && options.onKeepAliveHint !== undefined)
          options.onKeepAliveHint(res.socket, headerText(res.headers['keep-alive']));
        res.on('data', (chunk: Buffer) => void (trace.bodyBytes += chunk.length));
        onResponse(res);
      });
      trace.request = req;
      // An in-memory transport returns a stream with none of these events: the listeners stay idle.
      req.on('socket', (assigned: Socket) => {
        trace.socket = assigned;
        trace.reusedConnection = USED_SOCKETS.has(assigned);
        USED_SOCKETS.add(assigned);
        trace.remote = remoteOf(assigned);
        if (trace.phase === 'Connecting') {
          if (trace.reusedConnection || !assigned.connecting) trace.phase = 'Sending';
          else
            assigned.once((assigned as { encrypted?: boolean }).encrypted === true ? 'secureConnect' : 'connect', () => {
              if (trace.phase === 'Connecting') trace.phase = 'Sending';
              trace.remote = remoteOf(assigned);
            });
        }
        assigned.on('data', countResponseBytes);
      });
      req.on('finish', () => {
        if (trace.phase === 'Connecting' || trace.phase === 'Sending') trace.phase = 'Sent';
      });
      req.on('information', (info: InformationEvent) => {
        trace.phase = 'Head';
        const informational = trace.informational;
        if (informational === undefined) trace.informational = { count: 1, first: `${info.statusCode} ${info.statusMessage}`.trim() };
        else informational.count += 1;
      });
      req.on('upgrade', (res: IncomingMessage, upgraded: Socket) => {
        upgraded.destroy();
        breakWith({ _tag: 'Upgrade', statusLine: statusLine(res), upgrade: headerText(res.headers['upgrade']) });
      });
      req.on('connect', (res: IncomingMessage, tunnel: Socket) => {
        tunnel.destroy();
        breakWith({ _tag: 'Tunnel', statusLine: statusLine(res) });
      });
      req.on('error', () => void (errored = true));
      req.on('close', () => {
        release();
        // 'error' comes before 'close' on every path Node has; the check waits a turn anyway.
        if (!responded) setImmediate(() => !errored && breakWith({ _tag: 'ClosedSilently' }));
      });
      return req;
    },
  };
  return { transport, trace };
}

/** The {@link ExchangeTrace} of one exchange: {@link traceExchange}'s listeners write its fields as the exchange goes. */
class Trace implements ExchangeTrace {
  phase: ExchangePhase = 'Connecting';
  reusedConnection = false;
  responseBytes = 0;
  bodyBytes = 0;
  informational: { count: number; readonly first: string } | undefined = undefined;
  readonly connectionCap: number | undefined;
  request: ClientRequest | undefined = undefined;
  socket: Socket | undefined = undefined;
  /** The server's address and port, once connected (whose idle connections {@link evictIdleSiblings} destroys). */
  remote: string | undefined = undefined;

  constructor(private readonly agent: Agent | undefined) {
    this.connectionCap = agent?.maxSockets;
  }

  isQueued(): boolean {
    const { request } = this;
    const queues = this.agent?.requests;
    return (
      request !== undefined &&
      this.socket === undefined &&
      queues !== undefined &&
      Object.values(queues).some((q) => q?.includes(request as never) === true)
    );
  }

  evictIdleSiblings(): void {
    const pools = this.agent?.freeSockets;
    const { remote } = this;
    if (pools === undefined || remote === undefined) return;
    for (const sockets of Object.values(pools)) {
      for (const s of [...(sockets ?? [])]) if (remoteOf(s) === remote) s.destroy();
    }
  }
}

/** Sockets that have carried a request: a socket seen again was reused (Node's own `reusedSocket` misses one handed straight to a queued request). */
const USED_SOCKETS = new WeakSet<Socket>();

function remoteOf(socket: Socket): string | undefined {
  return socket.remoteAddress === undefined ? undefined : `${socket.remoteAddress}:${String(socket.remotePort)}`;
}

function statusLine(res: IncomingMessage): string {
  return `${String(res.statusCode)} ${res.statusMessage ?? ''}`.trim();
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}
