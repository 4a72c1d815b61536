import type { Agent } from 'node:http';
import type { Socket } from 'node:net';

/**
 * How long before a server's stated keep-alive timeout an idle connection is dropped, in ms: the
 * request and the server's close must not cross on the wire. The same margin as Node's agent.
 */
export const KEEP_ALIVE_MARGIN_MS = 1000;

/**
 * The `timeout` parameter of a `Keep-Alive` response header, in ms: how long the server says it
 * keeps an idle connection open. Parameters in any order and case, optionally quoted;
 * `undefined` when the header or the parameter is absent or not a whole number of seconds.
 *
 * keepAliveTimeoutMs('timeout=5, max=1000')   // 5000
 * keepAliveTimeoutMs('max=100, Timeout="2"')  // 2000
 * keepAliveTimeoutMs('max=100')               // undefined
 */
export function keepAliveTimeoutMs(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  // A server sends the same header on every response: the last one read is not read again
  // (one entry, so a server sending a new header each time costs nothing more than before).
  if (header === last.header) return last.ms;
  let ms: number | undefined;
  for (const part of header.split(',')) {
    const match = /^\s*timeout\s*=\s*(?:"(\d{1,9})"|(\d{1,9}))\s*$/i.exec(part);
    if (match !== null) {
      ms = Number(match[1] ?? match[2]) * 1000;
      break;
    }
  }
  last = { header, ms };
  return ms;
}

/** The header {@link keepAliveTimeoutMs} read last, and what it said. */
let last: { readonly header: string | undefined; readonly ms: number | undefined } = { header: undefined, ms: undefined };

/**
 * Makes `agent` honour each server's `Keep-Alive: timeout=N`: a connection put back in the pool
 * after a response that stated one is dropped {@link KEEP_ALIVE_MARGIN_MS} before it (so at
 * `N - 1` s, or at once when `N` is 1 or less) if the pool's own idle timeout is longer.
 * `hints` holds, per socket, the timeout its last response stated (from
 * {@link keepAliveTimeoutMs}); sockets without one keep the pool's idle timeout.
 *
 * Node 20's agent already reads the header, but only when `timeout=` comes first
 * (`timeout=5, max=100`); `max=100, timeout=5` (Apache's order) and `Timeout=5` went unread,
 * and an idle connection outlived the server's timeout (the keep-alive race). This works from
 * the agent's documented `'free'` event, after Node's own handling: it never loosens what Node
 * decided.
 *
 * const hints = new WeakMap<Socket, number>();
 * const agent = honourKeepAliveTimeout(new http.Agent({ keepAlive: true, timeout: 4000 }), hints);
 * // a response with `Keep-Alive: max=100, timeout=2` (hints.set(socket, 2000)): idle for 1 s at most
 */
export function honourKeepAliveTimeout<A extends Agent>(agent: A, hints: WeakMap<Socket, number>): A {
  agent.on('free', (socket: Socket, options: object) => {
    const stated = hints.get(socket);
    if (stated === undefined) return;
    const idleMs = stated - KEEP_ALIVE_MARGIN_MS;
    const current = socket.timeout;
    // Already as strict (Node read `timeout=N` itself, or the pool's own timeout is shorter): the
    // common case, decided before the pool's lists are searched.
    if (idleMs > 0 && current !== undefined && current !== 0 && idleMs >= current) return;
    if (!isIdleIn(agent, socket, options)) return;
    if (idleMs <= 0) socket.destroy();
    else socket.setTimeout(idleMs);
  });
  return agent;
}

/** The socket went into the pool's idle list (the agent may instead have handed it to a queued request, or destroyed it). */
function isIdleIn(agent: Agent, socket: Socket, options: object): boolean {
  return agent.freeSockets[agent.getName(options)]?.includes(socket) === true;
}
