import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { honourKeepAliveTimeout, keepAliveTimeoutMs } from './keep-alive-timeout.js';

/** How long an idle keep-alive socket stays in the pool, in ms. */
export const IDLE_SOCKET_MS = 4000;

/** Options of {@link createAgents}. */
export interface AgentsConfig {
  /** Keep connections open between requests (HTTP keep-alive). */
  readonly keepAlive: boolean;
  /** Most connections open at once to one host, idle and in use together (`Infinity`: no cap). */
  readonly maxSockets: number;
}

/** The connection pools of one client; see {@link createAgents}. */
export interface Agents {
  /** The pool a request to `url` goes through: the plain one, or the verified or insecure TLS one. */
  agentFor(url: string, insecure: boolean): http.Agent;
  /** Tell the pools a response's `Keep-Alive` header (or its absence) for the socket it came on. */
  onKeepAliveHint(socket: Socket, header: string | undefined): void;
  /** Destroys every idle pooled connection now; connections in use are left alone. */
  closeIdleConnections(): void;
}

/**
 * The keep-alive connection pools of one client: one for plain HTTP, and two for HTTPS (one that
 * verifies certificates and one for `insecure: true` requests, so that an insecure request never
 * lends its connection to a verified one). Each honours a server's `Keep-Alive: timeout=N` (see
 * `honourKeepAliveTimeout`) and drops idle sockets after {@link IDLE_SOCKET_MS}.
 *
 * The HTTPS pools (and with them Node's https, tls and crypto) are made on the first request that
 * needs one, so a run against http URLs only does not load them.
 *
 * const agents = createAgents({ keepAlive: true, maxSockets: 64 });
 * agents.agentFor('https://api.test/x', false)   // the verifying https.Agent
 */
export function createAgents(config: AgentsConfig): Agents {
  // Idle pooled sockets are dropped after IDLE_SOCKET_MS, below the 5 s keep-alive timeout of
  // common servers (Node's included), so a poll whose interval is near that timeout does not
  // write to a socket the server is closing (a spurious ECONNRESET). Node 20's own global agent
  // uses the same settings; the timeout only destroys sockets that sit in the free pool.
  // No separate cap on idle sockets (Node's default keeps 256 and destroys the rest): between two
  // attempts every poll's socket is idle, so with more polls than that each attempt would
  // reconnect. `maxSockets` caps idle and busy sockets together per host (Node's agent counts
  // both), and queues the requests beyond it.
  // TCP keep-alive probes after 60 s idle, the value axios's own adapter sets on every request's
  // socket (it still sends proxied requests; see node-adapter.ts): with Node's default (1 s) the
  // agent and axios would alternate two values, and each change is a syscall (two per request);
  // Node skips the call when the value is unchanged.
  const pool = {
    keepAlive: config.keepAlive,
    keepAliveMsecs: 60_000,
    timeout: IDLE_SOCKET_MS,
    scheduling: 'lifo',
    maxFreeSockets: Infinity,
    maxSockets: config.maxSockets,
  } as const;
  // A server's `Keep-Alive: timeout=N`, per socket, from its last response (see honourKeepAliveTimeout).
  const keepAliveHints = new WeakMap<Socket, number>();
  const pooled = <A extends http.Agent>(agent: A): A => honourKeepAliveTimeout(agent, keepAliveHints);
  const plain = pooled(new http.Agent(pool));
  let secure: { readonly verified: https.Agent; readonly insecure: https.Agent } | undefined;

  return {
    agentFor: (url, insecure) => {
      if (!/^https:/i.test(url)) return plain;
      secure ??= { verified: pooled(new https.Agent(pool)), insecure: pooled(new https.Agent({ ...pool, rejectUnauthorized: false })) };
      return insecure ? secure.insecure : secure.verified;
    },
    onKeepAliveHint: (socket, header) => {
      const ms = keepAliveTimeoutMs(header);
      if (ms === undefined) keepAliveHints.delete(socket);
      else keepAliveHints.set(socket, ms);
    },
    closeIdleConnections: () => {
      for (const agent of [plain, secure?.verified, secure?.insecure]) {
        if (agent === undefined) continue;
        // Destroying a socket takes it out of the pool (the agent listens for its 'close').
        for (const sockets of Object.values(agent.freeSockets)) for (const socket of [...(sockets ?? [])]) socket.destroy();
      }
    },
  };
}
