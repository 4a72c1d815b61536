/**
 * The example API: a small `node:http` server that plays the role of httpbin and of the spec's
 * `api.example.com`, so every example suite runs offline. Node standard library only.
 *
 * By hand (binds 127.0.0.1; default port 8787, `0` picks a free port):
 *
 *     node examples/api/server.js          # prints "listening 8787"
 *     node examples/api/server.js 0        # prints "listening 41237" (some free port)
 *
 * The first stdout line is always `listening PORT`. Ctrl-C (SIGINT) or SIGTERM closes every
 * connection and exits 0.
 *
 * In-process (specs, `examples/run-example.js`):
 *
 *     import { startExampleApi } from './examples/api/server.js';
 *     const api = await startExampleApi();        // port 0: a free port
 *     await fetch(`${api.url}/health`);           // { "status": "ok" }
 *     await api.close();
 *
 * Routes (each documented in its module under `routes/`):
 *
 * | route                                   | what it does                                            |
 * |-----------------------------------------|---------------------------------------------------------|
 * | `POST /jobs`, `GET/DELETE /jobs/:id`     | jobs: queued -> running -> completed/failed (~1 s)      |
 * | `POST /deployments`, `GET /deployments/:id` | rollouts: 503 at first, then pending -> in_progress -> success (~1.5 s) |
 * | `POST /files`, `GET /files/:id/status`   | processing: `errors` listed until done, then no `errors` key (~1 s) |
 * | `GET /flaky`, `GET /flaky/stats`         | first N requests per key answer 500                     |
 * | `GET /busy`, `GET /busy/stats`           | first request per key answers 429 + `Retry-After: 1`    |
 * | `ANY /status/:code`, `ANY /echo`         | httpbin-like                                            |
 * | `GET /health`, `GET /uuid`               | liveness, a fresh id                                    |
 *
 * Every resource gets a unique id and the fault routes count per caller-chosen key, so
 * concurrent tests never see each other's state. State is computed from the clock (no timers),
 * so closing the server leaves nothing behind.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { compilePath, isMainModule, readBody, sendJson } from './http-kit.js';
import { deploymentRoutes } from './routes/deployments.js';
import { faultRoutes } from './routes/faults.js';
import { fileRoutes } from './routes/files.js';
import { httpbinRoutes } from './routes/httpbin.js';
import { jobRoutes } from './routes/jobs.js';

/** The port used when the server is started by hand without one, and the suites' default `api_url`. */
export const DEFAULT_PORT = 8787;

/**
 * @typedef {object} ExampleApiOptions
 * @property {number} [port] Port to bind on 127.0.0.1. Default 0: any free port.
 * @property {number} [timeScale] Multiplies every delay the server applies (the defaults and
 *   the `duration_ms`/`delete_ms` a request asks for). Default 1; `0.1` makes a default job
 *   complete in 100 ms instead of 1 s. `Retry-After` values are whole seconds and are not scaled.
 * @property {() => number} [clock] Milliseconds on a monotonic clock. Default
 *   `performance.now`. Specs pass a fake clock to step through states without sleeping.
 */

/**
 * @typedef {object} ExampleApiStats
 * @property {number} requests Every request received, matched or not.
 * @property {Record<string, number>} byRoute Requests per route, keyed like `GET /jobs/:id`
 *   (`unmatched` for requests no route matched).
 */

/**
 * @typedef {object} ExampleApi
 * @property {number} port The bound port.
 * @property {string} url `http://127.0.0.1:PORT`, without a trailing slash.
 * @property {() => Promise<void>} close Stops listening and closes every connection. Idempotent.
 * @property {() => ExampleApiStats} stats A snapshot of the request counters.
 */

/**
 * Starts the example API on 127.0.0.1.
 *
 * @param {ExampleApiOptions} [options]
 * @returns {Promise<ExampleApi>}
 *
 * @example
 * const api = await startExampleApi({ timeScale: 0.1 });
 * const res = await fetch(`${api.url}/jobs`, { method: 'POST', body: '{"data": "x"}' });
 * (await res.json()).status;   // "queued"
 * await api.close();
 */
export async function startExampleApi({ port = 0, timeScale = 1, clock = () => performance.now() } = {}) {
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new RangeError(`port must be an integer from 0 to 65535, got ${port}`);
  if (!(Number.isFinite(timeScale) && timeScale >= 0)) throw new RangeError(`timeScale must be a finite number >= 0, got ${timeScale}`);

  const instance = randomBytes(3).toString('hex');
  let counter = 0;
  /** @type {import('./http-kit.js').Env} */
  const env = {
    now: clock,
    scale: (ms) => ms * timeScale,
    // A counter makes ids unique within this server; the random part keeps them unique across
    // restarts of a server left running by hand.
    newId: (prefix) => `${prefix}-${(counter += 1)}-${instance}`,
  };
  const router = createRouter([...httpbinRoutes(), ...jobRoutes(env), ...deploymentRoutes(env), ...fileRoutes(env), ...faultRoutes(env)]);

  /** @type {ExampleApiStats} */
  const counts = { requests: 0, byRoute: {} };
  const server = createServer((req, res) => {
    handle(req, res).catch((/** @type {unknown} */ e) => {
      // A bug in a route must not take the server down in the middle of someone's run.
      if (!res.headersSent) sendJson(res, 500, { error: `example API bug: ${e instanceof Error ? e.message : String(e)}` });
      else res.destroy();
    });
  });

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   */
  async function handle(req, res) {
    counts.requests += 1;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = router(req.method ?? 'GET', url.pathname);
    const key = match._tag === 'Matched' ? `${match.route.method} ${match.route.path}` : 'unmatched';
    counts.byRoute[key] = (counts.byRoute[key] ?? 0) + 1;
    const body = await readBody(req);
    if (!body.ok) {
      sendJson(res, 413, { error: 'the request body is larger than 1 MiB' });
      return;
    }
    switch (match._tag) {
      case 'NotFound':
        sendJson(res, 404, { error: `no route for ${req.method} ${url.pathname}`, routes: router.describe() });
        return;
      case 'MethodNotAllowed':
        sendJson(
          res,
          405,
          { error: `${req.method} is not allowed on ${url.pathname}`, allow: match.allow },
          { Allow: match.allow.join(', ') },
        );
        return;
      case 'Matched':
        match.route.handle({ req, res, url, params: match.params, body: body.text });
    }
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(undefined);
    });
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;

  /** @type {Promise<void> | undefined} */
  let closing;
  return {
    port: boundPort,
    url: `http://127.0.0.1:${boundPort}`,
    close() {
      closing ??= new Promise((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets of clients would otherwise hold `close` open until they time out.
        server.closeAllConnections();
      });
      return closing;
    },
    stats: () => ({ requests: counts.requests, byRoute: { ...counts.byRoute } }),
  };
}

/**
 * @typedef {{ _tag: 'Matched', route: import('./http-kit.js').Route, params: Record<string, string> }
 *   | { _tag: 'MethodNotAllowed', allow: string[] }
 *   | { _tag: 'NotFound' }} RouteMatch
 */

/**
 * Builds the dispatcher: method + path -> the matching route and its params, a 405 with the
 * allowed methods, or a 404. `GET` routes also answer `HEAD` (Node sends no body for HEAD).
 *
 * @param {import('./http-kit.js').Route[]} routes
 */
function createRouter(routes) {
  const compiled = routes.map((route) => ({ route, match: compilePath(route.path) }));
  /**
   * @param {string} method
   * @param {string} path
   * @returns {RouteMatch}
   */
  function dispatch(method, path) {
    /** @type {string[]} */
    const allow = [];
    for (const { route, match } of compiled) {
      const params = match(path);
      if (params === undefined) continue;
      if (route.method === '*' || route.method === method || (route.method === 'GET' && method === 'HEAD')) {
        return { _tag: 'Matched', route, params };
      }
      allow.push(route.method);
    }
    return allow.length > 0 ? { _tag: 'MethodNotAllowed', allow } : { _tag: 'NotFound' };
  }
  dispatch.describe = () => routes.map((r) => `${r.method === '*' ? 'ANY' : r.method} ${r.path}`);
  return dispatch;
}

/**
 * The command line: `node examples/api/server.js [PORT]`.
 *
 * @param {string[]} argv
 */
async function main(argv) {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(
      'usage: node examples/api/server.js [PORT]\n  Starts the example API on 127.0.0.1:PORT (default 8787; 0 = any free port).\n',
    );
    return;
  }
  const [portArg, ...rest] = argv;
  const port = portArg === undefined ? DEFAULT_PORT : Number(portArg);
  if (rest.length > 0 || !(Number.isInteger(port) && port >= 0 && port <= 65535)) {
    process.stderr.write(
      `example API: expected one optional PORT (0-65535), got ${argv.join(' ')}\nusage: node examples/api/server.js [PORT]\n`,
    );
    process.exitCode = 2;
    return;
  }
  /** @type {ExampleApi} */
  let api;
  try {
    api = await startExampleApi({ port });
  } catch (e) {
    const code = /** @type {{ code?: string }} */ (e).code;
    process.stderr.write(
      code === 'EADDRINUSE'
        ? `example API: port ${port} is already in use (is the example API already running?). Pick another: node examples/api/server.js ${port + 1}\n`
        : `example API: cannot listen on 127.0.0.1:${port}: ${e instanceof Error ? e.message : String(e)}\n`,
    );
    process.exitCode = 1;
    return;
  }
  process.stdout.write(`listening ${api.port}\n`);
  process.stderr.write(`example API on ${api.url} (Ctrl-C to stop)\n`);
  const stop = () => {
    void api.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (isMainModule(import.meta.url)) void main(process.argv.slice(2));
