import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type ClientRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import * as E from 'fp-ts/lib/Either.js';
import { main } from '../lib/cli/main.js';
import { parseArgs } from '../lib/cli/parse-args.js';
import { decodeSuiteText } from '../lib/dsl/index.js';
import { axiosClientOver } from '../lib/http/axios-client.js';
import type { Transport } from '../lib/http/exchange-trace.js';
import { builtinPlugins } from '../lib/plugins/builtin.js';
import { consoleReporter } from '../lib/report/console.js';
import { runSuite } from '../lib/run/run-suite.js';
import type { RunEvent } from '../lib/event/run-event.js';

/** What {@link warmUp} did: how many events the suite produced and what the screen showed. */
export interface WarmUpResult {
  readonly events: number;
  /** Tests that passed, out of {@link WARM_UP_TESTS}; all of them unless the runtime changed. */
  readonly passed: number;
  /** HTTP requests the fake client answered. */
  readonly requests: number;
  readonly output: string;
}

/** The tests of the warm-up suite. */
export const WARM_UP_TESTS = 2;

/**
 * Runs a small suite through the real pipeline (argv parsing, YAML decoding, templates, the
 * http/log/delay plugins with a poll, assertions, saves, the console reporter, and the axios
 * client with axios's Node adapter) over an in-memory transport, so that the code of a typical
 * run is compiled before the CLI's V8 code cache is taken (`scripts/build-code-cache.mjs`,
 * through `bin/fast-start.cjs`). Touches no socket and no file ({@link warmUpCli}, run after
 * it, does both). Its paths are jq-style only, as Rocketship's suites write them: a `$` path would
 * evaluate jsonpath, which the bundle defers to its first use (scripts/bundle-plugin.mjs), and
 * put it in the cache. Resolves once the run completed; never rejects for a failed test. Not part of
 * the library: the client it runs is `axiosClientOver`, `createAxiosClient`'s internal core.
 *
 * const r = await warmUp();   // { events: 21, passed: 2, requests: 4, output: '[warm-up] running 2 tests from ...' }
 */
export async function warmUp(): Promise<WarmUpResult> {
  parseArgs(['run', '-f', 'rocketship.yaml', '--var', 'n=1', '--concurrency', '4']);
  const loaded = decodeSuiteText(WARM_UP_SUITE, '/warm-up/rocketship.yaml');
  if (E.isLeft(loaded)) throw new Error(`warm-up suite does not decode: ${loaded.left.map((e) => e.message).join('; ')}`);
  let output = '';
  const screen = consoleReporter({ write: (s) => void (output += s), tty: false, color: false, verbose: false });
  let requests = 0;
  let events = 0;
  let passed = 0;
  // The real client (axios and its Node adapter included, so their code is compiled into the
  // cache too) over an in-memory transport, without connection pools: no socket.
  const http = axiosClientOver({ transport: memoryTransport(() => ++requests), agents: undefined }, {});
  await new Promise<void>((done, fail) =>
    runSuite(loaded.right, { http, plugins: builtinPlugins(), env: { WARM: '1' }, vars: { n: 1 } }).subscribe({
      next: (event: RunEvent) => {
        events++;
        if (event._tag === 'TestEnded' && event.result._tag === 'Passed') passed++;
        screen.next(event);
      },
      error: fail,
      complete: () => {
        screen.complete();
        done();
      },
    }),
  );
  return { events, passed, requests, output };
}

/** What the warm-up's server answers: request `n`, the `again`-th to its URL. */
function answer(method: string | undefined, url: string, n: number, again: number) {
  const text = JSON.stringify({ ok: true, id: n, status: again >= 2 ? 'done' : 'running', items: [{ id: 'a' }], url });
  const length = String(Buffer.byteLength(text));
  return {
    status: method === 'POST' ? 201 : 200,
    text,
    headers: { 'content-type': 'application/json', 'x-request': String(n), 'content-length': length },
    rawHeaders: ['Content-Type', 'application/json', 'X-Request', String(n), 'Content-Length', length],
  };
}

/**
 * Answers every request in memory with a JSON body `{ ok, id, status, items, url }`: `id` the
 * request's number, `status` `running` on the first request to a URL and `done` from the second
 * on; 201 to a POST, 200 to anything else. What it returns
 * and hands to `onResponse` are streams with the fields axios's Node adapter reads of Node's
 * ClientRequest and IncomingMessage.
 */
function memoryTransport(next: () => number): Transport {
  const seen = new Map<string, number>();
  return {
    request(options, onResponse) {
      const n = next();
      const url = `${options.protocol ?? 'http:'}//${options.hostname ?? options.host ?? ''}${options.path ?? '/'}`;
      const again = (seen.get(url) ?? 0) + 1;
      seen.set(url, again);
      const req = new Writable({
        // A ClientRequest is not destroyed when its body is sent (axios ignores a response to a destroyed one).
        autoDestroy: false,
        write: (_chunk, _encoding, done) => done(),
        final: (done) => {
          done();
          const { status, text, headers, rawHeaders } = answer(options.method, url, n, again);
          const res = Object.assign(Readable.from([Buffer.from(text, 'utf8')], { objectMode: false }), {
            statusCode: status,
            statusMessage: 'OK',
            rawHeaders,
            headers,
          });
          Object.assign(req, { res });
          setImmediate(() => onResponse(res as unknown as IncomingMessage));
        },
      });
      // The ClientRequest methods axios calls besides the stream's own.
      Object.assign(req, { setTimeout: () => req, setNoDelay: () => req, setSocketKeepAlive: () => req });
      return req as unknown as ClientRequest;
    },
  };
}

/**
 * The command itself on the warm-up suite: `rocketship run -f rocketship.yaml` (`main`, as the
 * bin runs it: arguments, files, the console on stdout, the last-run record) in a temporary
 * directory, against a `node:http` server on 127.0.0.1 answering as {@link memoryTransport}
 * does, so that the code cache also holds what {@link warmUp} leaves out: the CLI around the run
 * and the client's real sockets. Resolves to the command's exit code (0 when every test passed);
 * the working directory and `WARM` are put back, the server closed and the directory removed.
 */
export async function warmUpCli(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'rocketship-warm-up-'));
  const seen = new Map<string, number>();
  let requests = 0;
  const server = createServer((req, res) => {
    const n = ++requests;
    const url = req.url ?? '/';
    const again = (seen.get(url) ?? 0) + 1;
    seen.set(url, again);
    req.resume();
    req.on('end', () => {
      const { status, text, headers } = answer(req.method, url, n, again);
      res.writeHead(status, headers).end(text);
    });
  });
  const cwd = process.cwd();
  const warm = process.env.WARM;
  try {
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    writeFileSync(join(dir, 'rocketship.yaml'), WARM_UP_SUITE);
    process.chdir(dir);
    process.env.WARM = '1';
    await main(['run', '-f', 'rocketship.yaml', '--var', `base=http://127.0.0.1:${port}`, '--var', 'n=1']);
    return Number(process.exitCode ?? 0);
  } finally {
    process.chdir(cwd);
    if (warm === undefined) delete process.env.WARM;
    else process.env.WARM = warm;
    server.closeAllConnections();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const WARM_UP_SUITE = `name: warm-up
vars:
  base: http://warm-up.invalid
tests:
  - name: create and poll
    steps:
      - name: create
        plugin: http
        config:
          method: POST
          url: "{{ .vars.base }}/jobs"
          headers: { Content-Type: application/json, X-Env: "{{ .env.WARM }}" }
          body: { name: job, n: "{{ .vars.n }}" }
        assertions:
          - { type: status_code, expected: 201 }
          - { type: json_path, path: .ok, expected: true }
          - { type: json_path, path: ".items[0].id", exists: true }
          - { type: header, name: content-type, contains: json }
        save:
          - { json_path: .id, as: job_id }
          - { header: X-Request, as: request_no }
      - name: wait
        plugin: http
        config:
          method: GET
          url: "{{ .vars.base }}/jobs/{{ job_id }}"
          polling:
            interval: 1ms
            timeout: 10s
            max_attempts: 5
            backoff_coefficient: 1.5
            conditions:
              - { type: json_path, path: .status, expected: done }
            fail_conditions:
              - { type: json_path, path: .status, expected: failed }
        assertions:
          - { type: status_code, one_of: [200, 202] }
          - { type: json_path, path: .items, length: 1 }
      - name: note
        plugin: log
        config: { message: "job {{ job_id }} done" }
  - name: get
    steps:
      - name: get
        plugin: http
        config: { method: GET, url: "{{ .vars.base }}/health" }
        assertions:
          - { type: status_code, expected: 200 }
          - { type: json_path, path: .ok, expected: true }
      - name: pause
        plugin: delay
        config: { duration: 1ms }
`;
