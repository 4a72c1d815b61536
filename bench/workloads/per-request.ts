import axios, { type AxiosAdapter } from 'axios';
import http from 'node:http';
import { asyncScheduler, firstValueFrom, last } from 'rxjs';
import * as E from 'fp-ts/lib/Either.js';
import type * as AxiosClientModule from '../../lib/http/axios-client.js';
import type * as HttpPluginModule from '../../lib/plugins/http.js';
import type { PluginContext } from '../../lib/step/plugin.js';
import type { BenchContext, WorkloadResult } from '../context.js';
import type { Row } from '../row.js';
import { median } from '../stats.js';

/** GETs per measured block, one after another. */
export const PER_REQUEST_GETS = 2000;
/** GETs each client sends before its first measured block (connections opened, code compiled). */
const WARM_UP_GETS = 500;

/** The built client module (`npm run build`), loaded at run time. */
const DIST_AXIOS_CLIENT = new URL('../../dist/http/axios-client.js', import.meta.url).href;
const DIST_HTTP_PLUGIN = new URL('../../dist/plugins/http.js', import.meta.url).href;

/** One GET of `/ok/<n>` that resolves once its body is read and checked (status 200, `.n` in the JSON). */
export type SendOne = (n: number) => Promise<void>;

/**
 * Per request: the CPU time one warm GET costs the process that sends it, measured in this
 * process (the benchmark server runs in its own), so start-up, YAML and reporters are out of it.
 * Four ways to send, each on a keep-alive connection to bench/server.mjs, each GET checked:
 * - floor: a bare `http.get` loop (as bench/floor/get.mjs: chunks, `Buffer.concat`, `JSON.parse`);
 * - the http plugin without polling, as a step runs it (see {@link pluginGet}), over ours below:
 *   the issue 17 target is this at most 1.3x the floor;
 * - ours: `createAxiosClient()` from dist/, the client the http plugin sends through (axios, our
 *   `nodeAdapter`, redirects, retries, timeout, the body budget, `decodeBody`);
 * - axios with its default Node adapter and a keep-alive agent, parsing JSON itself;
 * - axios with a minimal adapter over `http.request` (see {@link minimalAdapter}): what axios's own
 *   request pipeline (config merging, headers, interceptors, transforms) costs over the floor
 *   with nothing else, the least any client built on axios can cost.
 * Each run measures a block of {@link PER_REQUEST_GETS} GETs per client, in an order that turns
 * each run (so drift in the machine's load falls on all four); the figure is the median over
 * runs of the block's CPU (user+system, `process.cpuUsage`) divided by its GETs. The server
 * must have seen exactly that many requests per block.
 */
export async function perRequestWorkload(ctx: BenchContext): Promise<WorkloadResult> {
  const base = ctx.server.url;
  // The built client (dist/, as the CLI runs it), not lib/ through tsx, whose transform adds a
  // call per closure created (esbuild's keepNames) that the shipped code does not make.
  const { createAxiosClient } = (await import(DIST_AXIOS_CLIENT)) as typeof AxiosClientModule;
  const { createHttpPlugin } = (await import(DIST_HTTP_PLUGIN)) as typeof HttpPluginModule;
  const ours = createAxiosClient();
  const viaPlugin = pluginGet(createHttpPlugin(), ours, base);
  const agent = new http.Agent({ keepAlive: true });
  const viaAxios = axios.create({ httpAgent: agent, validateStatus: () => true });
  const viaMinimal = axios.create({ adapter: minimalAdapter(agent), validateStatus: () => true, transformResponse: [] });
  const clients: ReadonlyArray<readonly [Side, SendOne]> = [
    ['floor', bareGet(base, agent)],
    [
      'ours',
      async (n) => {
        const r = await firstValueFrom(ours({ method: 'GET', url: `${base}/ok/${n}`, headers: {}, timeoutMs: 30_000 }));
        check(n, r.status, r.body._tag === 'Json' ? r.body.value : undefined);
      },
    ],
    ['plugin', viaPlugin],
    [
      'axios',
      async (n) => {
        const r = await viaAxios.get<unknown>(`${base}/ok/${n}`);
        check(n, r.status, r.data);
      },
    ],
    [
      'axiosMinimal',
      async (n) => {
        const r = await viaMinimal.get<Buffer>(`${base}/ok/${n}`);
        check(n, r.status, JSON.parse(r.data.toString('utf8')));
      },
    ],
  ];
  const samples: Record<Side, number[]> = { floor: [], ours: [], plugin: [], axios: [], axiosMinimal: [] };
  try {
    for (const [, send] of clients) for (let i = 0; i < WARM_UP_GETS; i++) await send(i);
    for (let run = 0; run < ctx.runs; run++) {
      for (let k = 0; k < clients.length; k++) {
        const [side, send] = clients[(run + k) % clients.length] as readonly [Side, SendOne];
        await ctx.server.reset();
        samples[side].push(await cpuPerRequest(send, PER_REQUEST_GETS));
        const { requests } = await ctx.server.records();
        if (requests !== PER_REQUEST_GETS)
          throw new Error(`per-request (${side}): the server saw ${requests} requests, expected ${PER_REQUEST_GETS}`);
      }
    }
  } finally {
    ours.closeIdleConnections();
    agent.destroy();
  }
  const m = (side: Side) => median(samples[side]);
  ctx.log(
    `per-request: CPU per GET through the http plugin ${m('plugin').toFixed(3)} ms, our client ${m('ours').toFixed(3)} ms, axios default ${m('axios').toFixed(3)} ms, axios with a minimal adapter ${m('axiosMinimal').toFixed(3)} ms, floor ${m('floor').toFixed(3)} ms`,
  );
  const workload = 'per-request GET (in-process, warm)';
  const row = (metric: string, side: Side, target: Row['target']): Row => ({
    workload,
    metric,
    unit: 'ms',
    ours: m(side),
    floor: m('floor'),
    target,
  });
  return {
    rows: [
      row('CPU per request, http plugin', 'plugin', { kind: 'ratio', max: 1.3 }),
      row('CPU per request, our client', 'ours', { kind: 'none' }),
      row('CPU per request, axios default adapter', 'axios', { kind: 'none' }),
      row('CPU per request, axios with a minimal adapter over node:http', 'axiosMinimal', { kind: 'none' }),
    ],
    raw: { getsPerBlock: PER_REQUEST_GETS, cpuMsPerRequest: samples },
  };
}

type Side = 'floor' | 'ours' | 'plugin' | 'axios' | 'axiosMinimal';

/**
 * A GET through the http plugin without polling, as a step runs it (its config decoded once, the
 * URL rendered from a saved variable per request, the response checked from the `Done` event).
 */
export function pluginGet(
  plugin: ReturnType<typeof HttpPluginModule.createHttpPlugin>,
  http: AxiosClientModule.AxiosHttpClient,
  base: string,
): SendOne {
  const config = plugin.config.decode({ method: 'GET', url: `${base}/ok/{{ n }}` });
  if (E.isLeft(config)) throw new Error('per-request: the http step config does not decode');
  const context = (n: number): PluginContext => ({
    variables: { saved: { n }, vars: {}, env: {} },
    http,
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

/**
 * CPU time (user+system) per call of `send`, in ms, over `count` calls one after another.
 *
 * await cpuPerRequest(bareGet(url, agent), 2000)   // 0.17
 */
export async function cpuPerRequest(send: SendOne, count: number): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < count; i++) await send(i);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / count;
}

/**
 * An axios adapter of a dozen lines: the request through `http.request` over `agent`, the body's
 * bytes as `data`. No timeout, size limit, decompression or redirects: the least an adapter does,
 * so that axios's own share of a request's cost shows.
 */
function minimalAdapter(agent: http.Agent): AxiosAdapter {
  return (config) =>
    new Promise((resolve, reject) => {
      const req = http.request(
        config.url ?? '',
        { method: (config.method ?? 'get').toUpperCase(), agent, headers: config.headers.toJSON() as http.OutgoingHttpHeaders },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              data: Buffer.concat(chunks),
              status: res.statusCode ?? 0,
              statusText: res.statusMessage ?? '',
              headers: res.headers as Record<string, string>,
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

/** The floor: `http.get` over `agent`, as bench/floor/get.mjs. */
export function bareGet(base: string, agent: http.Agent): SendOne {
  return (n) =>
    new Promise<void>((resolve, reject) => {
      http
        .get(`${base}/ok/${n}`, { agent }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
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

function check(n: number, status: number, body: unknown): void {
  if (status !== 200 || (body as { n?: unknown } | undefined)?.n !== n) {
    throw new Error(`GET /ok/${n}: status ${status}, body ${JSON.stringify(body)}`);
  }
}
