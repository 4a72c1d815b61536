/**
 * One side of the per-request workload (bench/workloads/per-request.ts), in a process of its own:
 *
 *   node bench/floor/per-request.mjs SIDE BASE_URL WARM_UP_GETS GETS
 *
 * sends WARM_UP_GETS GETs of `BASE_URL/ok/<n>` one after another, then GETS more, each checked
 * (status 200, `.n` in the JSON), and prints the CPU time (user+system, `process.cpuUsage`) of
 * the second block per GET as its last line: `{"side":"ours","cpuMsPerRequest":0.131}`.
 *
 * A side runs alone in its process, as a CLI run does: the code it shares with another side
 * (axios's core, Node's http client) is optimized for its own calls only. With the five sides in
 * one process (until 2026-12-05), our client's GETs cost about twice what they cost alone.
 * WARM_UP_GETS must be large: a fresh process's bare `http.get` still costs ~3x its steady CPU
 * after 1,000 GETs, and reaches it by ~10,000 (Node's http code being optimized).
 *
 * Sides (SIDE):
 * - `floor`: a bare `http.get` loop over a keep-alive agent, as bench/floor/get.mjs;
 * - `plugin`: the http plugin without polling, as a step runs it (its config decoded once, the
 *   URL rendered from a saved variable per request, the response checked from the `Done` event),
 *   over `ours`: the issue 17 target is this at most 1.3x the floor;
 * - `ours`: `createAxiosClient()` from dist/, the client the plugin sends through (axios, our
 *   `nodeAdapter`, redirects, retries, timeout, the body budget, `decodeBody`);
 * - `axios`: axios with its default Node adapter and a keep-alive agent, parsing JSON itself;
 * - `axiosMinimal`: axios with a minimal adapter over `http.request` (see {@link minimalAdapter});
 * - `axiosLean`: the same, with axios's defaults trimmed as lib/http/axios-client.ts trims them
 *   (no default headers, identity transforms, raw bytes, none of the defaults our client deletes).
 *   These two are the least a client built on axios costs; which of them reads lower moves from
 *   run to run (docs/benchmarks.md, "Session 20").
 */
import axios from 'axios';
import http from 'node:http';
import { asyncScheduler, firstValueFrom, last } from 'rxjs';

const [side, base, warmUpArg, getsArg] = process.argv.slice(2);
const warmUp = Number(warmUpArg);
const gets = Number(getsArg);
if (base === undefined || !(Number.isInteger(warmUp) && warmUp >= 0 && Number.isInteger(gets) && gets > 0)) {
  throw new Error('usage: node bench/floor/per-request.mjs SIDE BASE_URL WARM_UP_GETS GETS');
}

// The built modules (`npm run build`), as the CLI runs them.
const dist = (path) => new URL(`../../dist/${path}`, import.meta.url).href;

const agent = new http.Agent({ keepAlive: true });
const sides = {
  floor: async () => bareGet,
  ours: async () => {
    const client = await ourClient();
    return async (n) => {
      const r = await firstValueFrom(client({ method: 'GET', url: `${base}/ok/${n}`, headers: {}, timeoutMs: 30_000 }));
      check(n, r.status, r.body._tag === 'Json' ? r.body.value : undefined);
    };
  },
  plugin: async () => pluginGet(await ourClient()),
  axios: async () => {
    const instance = axios.create({ httpAgent: agent, validateStatus: () => true });
    return async (n) => {
      const r = await instance.get(`${base}/ok/${n}`);
      check(n, r.status, r.data);
    };
  },
  axiosMinimal: async () => {
    const instance = axios.create({ adapter: minimalAdapter, validateStatus: () => true, transformResponse: [] });
    return async (n) => {
      const r = await instance.get(`${base}/ok/${n}`);
      check(n, r.status, JSON.parse(r.data.toString('utf8')));
    };
  },
  axiosLean: async () => {
    // As createAxiosClient configures its instance (lib/http/axios-client.ts), but over minimalAdapter.
    const instance = axios.create({
      adapter: minimalAdapter,
      maxRedirects: 0,
      transformRequest: [(d) => d],
      transformResponse: [(d) => d],
      responseType: 'arraybuffer',
      decompress: false,
      validateStatus: () => true,
    });
    instance.defaults.headers = {};
    for (const key of ['xsrfCookieName', 'xsrfHeaderName', 'env', 'timeout', 'maxBodyLength', 'transitional'])
      delete instance.defaults[key];
    return async (n) => {
      const r = await instance.request({ url: `${base}/ok/${n}`, method: 'GET', headers: {} });
      check(n, r.status, JSON.parse(r.data.toString('utf8')));
    };
  },
};
if (!Object.hasOwn(sides, side)) throw new Error(`unknown side ${side}; known: ${Object.keys(sides).join(', ')}`);

const send = await sides[side]();
for (let i = 0; i < warmUp; i++) await send(i);
const before = process.cpuUsage();
for (let i = 0; i < gets; i++) await send(i);
const used = process.cpuUsage(before);
console.log(JSON.stringify({ side, cpuMsPerRequest: (used.user + used.system) / 1000 / gets }));
agent.destroy();
process.exit(0);

/** `createAxiosClient()` from dist/: its pooled connections end with the process. */
async function ourClient() {
  const { createAxiosClient } = await import(dist('http/axios-client.js'));
  return createAxiosClient();
}

/** A GET through the http plugin without polling, as a step runs it. */
async function pluginGet(client) {
  const { createHttpPlugin } = await import(dist('plugins/http.js'));
  const plugin = createHttpPlugin();
  const config = plugin.config.decode({ method: 'GET', url: `${base}/ok/{{ n }}` });
  if (config._tag !== 'Right') throw new Error('per-request: the http step config does not decode');
  const context = (n) => ({
    variables: { saved: { n }, vars: {}, env: {} },
    http: client,
    scheduler: asyncScheduler,
    suiteDir: '/',
    ref: {
      suite: 'per-request',
      file: '/per-request.yaml',
      test: 't',
      testIndex: 0,
      phase: 'steps',
      index: 0,
      step: 'get',
      line: undefined,
    },
    wallClock: () => Date.now(),
  });
  return async (n) => {
    const done = await firstValueFrom(plugin.run(config.right, context(n)).pipe(last()));
    const subject = done._tag === 'Done' ? done.subject : undefined;
    check(n, subject?.status ?? 0, subject?.body._tag === 'Json' ? subject.body.value : undefined);
  };
}

/** The floor: `http.get` over the keep-alive agent, as bench/floor/get.mjs. */
function bareGet(n) {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}/ok/${n}`, { agent }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          try {
            check(n, res.statusCode ?? 0, JSON.parse(Buffer.concat(chunks).toString('utf8')));
            resolve();
          } catch (error) {
            reject(error);
          }
        });
      })
      .on('error', reject);
  });
}

/**
 * An axios adapter of a dozen lines: the request through `http.request` over the keep-alive
 * agent, the body's bytes as `data`. No timeout, size limit, decompression or redirects: the
 * least an adapter does, so that axios's own share of a request's cost shows.
 */
function minimalAdapter(config) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      config.url ?? '',
      { method: (config.method ?? 'get').toUpperCase(), agent, headers: config.headers.toJSON() },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolve({
            data: Buffer.concat(chunks),
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? '',
            headers: res.headers,
            config,
            request: req,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function check(n, status, body) {
  if (status !== 200 || body?.n !== n) throw new Error(`GET /ok/${n}: status ${status}, body ${JSON.stringify(body)}`);
}
