import http from 'node:http';
import https from 'node:https';
import type { Transport } from './exchange-trace.js';

/**
 * Node's own `http.request` / `https.request`, by the protocol axios settled on (a proxy's, for a
 * plain-HTTP proxy): what `createAxiosClient` sends every request through.
 *
 * axios's options carry `beforeRedirects` (for follow-redirects, which we never use), whose
 * closures reach the request's promise and so its response. Node's agent keeps the options of the
 * request that opened a socket for the socket's whole life in the pool: that pinned one response
 * body per pooled connection (50 idle connections after 10 MB polls: 500 MB). So they are dropped
 * here before Node sees them.
 *
 * NODE_TRANSPORT.request({ protocol: 'http:', host: '127.0.0.1', port: 8080, path: '/' }, (res) => ...)
 */
export const NODE_TRANSPORT: Transport = {
  request: (options, onResponse) => {
    const { beforeRedirects: _unused, ...rest } = options as http.RequestOptions & { beforeRedirects?: unknown };
    return (rest.protocol === 'https:' ? https : http).request(rest, onResponse);
  },
};
