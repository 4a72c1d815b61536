import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as t from 'io-ts';
import * as E from 'fp-ts/lib/Either.js';
import { of } from 'rxjs';
import { run } from '../../lib/api/run.js';
import { decodeSuiteText } from '../../lib/dsl/index.js';
import { strictType } from '../../lib/dsl/codecs/strict-type.js';
import { builtinPlugins } from '../../lib/plugins/builtin.js';
import { pluginCodecs, withPlugin } from '../../lib/plugins/registry.js';
import { definePlugin } from '../../lib/step/plugin.js';
import { jsonReporter, type JsonReport } from '../../lib/report/index.js';
import type { RunEvent } from '../../lib/event/run-event.js';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';

/** A suite file of one or more tests, each `steps` given as YAML text. */
function suiteText(tests: readonly { name: string; steps: string }[], head = ''): string {
  return `name: api\n${head}tests:\n${tests.map((t) => `  - name: ${t.name}\n    steps:\n${t.steps}`).join('')}`;
}

const get = (url: string, extra = '') =>
  `      - name: get\n        plugin: http\n        config: { method: GET, url: "${url}" }\n${extra}`;

describe('api/run: run(fileOrSuite, options?) -> Promise<RunSummary>', function () {
  this.timeout(20_000);
  let server: LocalServer;
  let dir: string;
  let file: (name: string, text: string) => string;

  before(async () => {
    server = await startLocalServer((req, res) => {
      if (req.url === '/slow') return; // never answers: for the interrupt
      res
        .writeHead(req.url === '/missing' ? 404 : 200, { 'Content-Type': 'application/json' })
        .end(`{"ok":true,"url":${JSON.stringify(req.url)}}`);
    });
    dir = mkdtempSync(join(tmpdir(), 'rocketship-api-run-'));
    file = (name, text) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };
  });
  beforeEach(() => server.reset());
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a file with the defaults (built-in plugins, the axios client) and sums it up: passed, exit code 0', async () => {
    const path = file(
      'pass.yaml',
      suiteText([
        { name: 'one', steps: get(`${server.url}/a`) },
        { name: 'two', steps: get(`${server.url}/b`) },
      ]),
    );
    const summary = await run(path);
    expect(summary).to.deep.include({ verdict: 'passed', exitCode: 0, passed: 2, failed: 0, skipped: 0, interrupted: 0, errors: [] });
    expect(summary.suite?.ref).to.deep.equal({ suite: 'api', file: path });
    expect(summary.suite?.result._tag).to.equal('Passed');
    expect(summary.tests.map((t) => [t.ref.test, t.ref.testIndex, t.result._tag]).sort()).to.deep.equal([
      ['one', 0, 'Passed'],
      ['two', 1, 'Passed'],
    ]);
    expect(summary.tests.every((t) => t.message === undefined && t.ref.file === path && t.ref.suite === 'api')).to.equal(true);
    expect(summary.durationMs).to.be.a('number').and.at.least(0);
    expect(server.requests).to.equal(2);
  });

  it('says which test failed and why: verdict failed, exit code 1, the message as the console prints it', async () => {
    const steps = get(`${server.url}/missing`, '        assertions:\n          - { type: status_code, expected: 200 }\n');
    const summary = await run(
      file(
        'fail.yaml',
        suiteText([
          { name: 'ok', steps: get(`${server.url}/a`) },
          { name: 'bad', steps },
        ]),
      ),
    );
    expect(summary).to.deep.include({ verdict: 'failed', exitCode: 1, passed: 1, failed: 1, skipped: 0 });
    const bad = summary.tests.find((t) => t.ref.test === 'bad');
    expect(bad?.result._tag).to.equal('Failed');
    expect(bad?.message).to.match(/1 assertion failed:[\s\S]*status_code[\s\S]*200[\s\S]*404/);
    expect(bad?.result._tag === 'Failed' && bad.result.cause._tag).to.equal('Assertions');
  });

  it('resolves a wrong file at once with verdict invalid, exit code 2, its errors at file:line:col, and sends nothing', async () => {
    const path = file(
      'invalid.yaml',
      `name: api\ntests:\n  - name: t\n    steps:\n      - name: get\n        plugin: http\n        confg: { method: GET, url: "${server.url}/a" }\n`,
    );
    const summary = await run(path);
    expect(summary).to.deep.include({ verdict: 'invalid', exitCode: 2, passed: 0, failed: 0, skipped: 0, interrupted: 0, tests: [] });
    expect(summary.suite).to.equal(undefined);
    expect(summary.errors.length).to.be.at.least(1);
    const first = summary.errors[0];
    expect(first).to.deep.include({ kind: 'input', file: path });
    expect(first?.line).to.equal(7);
    expect(first?.message).to.match(/confg/);
    expect(first?.details).to.include('^');
    expect(server.requests).to.equal(0);
  });

  it('checks the templates before the first request: an undefined variable is verdict invalid, at its line, and nothing is sent', async () => {
    const path = file(
      'undefined-var.yaml',
      `name: api\ntests:\n  - name: t\n    steps:\n${get(`${server.url}/a`)}${get(`${server.url}/{{ nope }}`)}`,
    );
    const summary = await run(path);
    expect(summary).to.deep.include({ verdict: 'invalid', exitCode: 2, tests: [] });
    expect(summary.errors[0]).to.deep.include({ kind: 'input', file: path, line: 10 });
    expect(summary.errors[0]?.message).to.match(/undefined variable "nope"/);
    expect(server.requests).to.equal(0);
  });

  it('loads the OpenAPI documents before the first request: a broken one is verdict invalid, naming its file and JSON pointer', async () => {
    const doc = file(
      'broken-openapi.yaml',
      'openapi: 3.0.3\ninfo: { title: b, version: "1" }\npaths:\n  /a:\n    get:\n      responses: {}\n',
    );
    const path = file(
      'uses-broken-openapi.yaml',
      `name: api\nopenapi: { spec: ./broken-openapi.yaml }\ntests:\n  - name: t\n    steps:\n${get(`${server.url}/a`)}`,
    );
    const summary = await run(path);
    expect(summary).to.deep.include({ verdict: 'invalid', exitCode: 2, tests: [] });
    expect(summary.errors[0]).to.deep.include({ kind: 'input', file: path, line: 2, path: 'openapi.spec' });
    expect(summary.errors[0]?.message).to.match(new RegExp(`^OpenAPI document ${doc}:6:18 is not valid: #/paths/~1a/get/responses: `));
    expect(server.requests).to.equal(0);
    // A good one is loaded once and used: the response of /a is not declared.
    file(
      'good-openapi.yaml',
      'openapi: 3.0.3\ninfo: { title: g, version: "1" }\npaths:\n  /a:\n    get:\n      responses: { "404": { description: no } }\n',
    );
    const good = file(
      'uses-good-openapi.yaml',
      `name: api\nopenapi: { spec: ./good-openapi.yaml }\ntests:\n  - name: t\n    steps:\n${get(`${server.url}/a`)}`,
    );
    const ran = await run(good);
    expect(ran.verdict).to.equal('failed');
    expect(ran.tests[0]?.message).to.contain('response status 200: not declared for GET /a (declared: 404)');
  });

  it('resolves a missing file with verdict invalid and "no such file", never rejecting', async () => {
    const summary = await run(join(dir, 'nope.yaml'));
    expect(summary.verdict).to.equal('invalid');
    expect(summary.errors.map((e) => e.message).join('\n')).to.match(/no such file/);
  });

  it('takes a suite already decoded (decodeSuiteText), with vars merged over the file vars', async () => {
    const loaded = decodeSuiteText(
      suiteText([{ name: 't', steps: get('{{ .vars.base }}/from-vars') }], 'vars:\n  base: "http://127.0.0.1:9"\n'),
      'inline.yaml',
    );
    if (E.isLeft(loaded)) throw new Error(loaded.left.map((e) => e.message).join('\n'));
    const summary = await run(loaded.right, { vars: { base: server.url } });
    expect(summary.verdict).to.equal('passed');
    expect(summary.tests[0]?.ref.file).to.equal('inline.yaml');
    expect(server.requests).to.equal(1);
  });

  it('reads {{ .env.X }} from process.env by default, and from `env` when given', async () => {
    const path = file('env.yaml', suiteText([{ name: 't', steps: get('{{ .env.ROCKETSHIP_API_RUN_URL }}/env') }]));
    process.env.ROCKETSHIP_API_RUN_URL = server.url;
    try {
      expect((await run(path)).verdict).to.equal('passed');
    } finally {
      delete process.env.ROCKETSHIP_API_RUN_URL;
    }
    expect((await run(path, { env: { ROCKETSHIP_API_RUN_URL: server.url } })).verdict).to.equal('passed');
    // Unset: found before the run, as the CLI finds it; nothing is sent.
    const unset = await run(path, { env: {} });
    expect(unset.verdict).to.equal('invalid');
    expect(unset.errors[0]?.message).to.match(/ROCKETSHIP_API_RUN_URL/);
    expect(server.requests).to.equal(2);
  });

  it('masks `secrets` in the summary as in events', async () => {
    const steps = get(
      `${server.url}/{{ .secrets.token }}`,
      '        assertions:\n          - { type: json_path, path: .url, expected: "nothing" }\n',
    );
    const summary = await run(file('secret.yaml', suiteText([{ name: 't', steps }])), { secrets: { token: 'hunter2-token' } });
    expect(summary.verdict).to.equal('failed');
    expect(JSON.stringify(summary)).not.to.include('hunter2-token');
    expect(summary.tests[0]?.message).to.include('***');
  });

  it('hands every event to `reporters`, then completes them (a JSON report of the run)', async () => {
    const json = jsonReporter();
    const seen: RunEvent['_tag'][] = [];
    let completed = 0;
    const summary = await run(file('reporters.yaml', suiteText([{ name: 't', steps: get(`${server.url}/a`) }])), {
      reporters: [json, { next: (e) => void seen.push(e._tag), error: () => {}, complete: () => void completed++ }],
    });
    expect(summary.verdict).to.equal('passed');
    expect(seen[0]).to.equal('SuiteStarted');
    expect(seen.at(-1)).to.equal('SuiteEnded');
    expect(completed).to.equal(1);
    const report = JSON.parse(json.render()) as JsonReport;
    expect(report.summary).to.deep.include({ passed: 1, failed: 0 });
  });

  it('decodes and runs a plugin of your own given in `plugins`', async () => {
    const greet = definePlugin({
      name: 'greet',
      config: strictType('a greet config (who)', { who: t.string }, {}),
      run: (config) => of({ _tag: 'Done' as const, saved: { greeted: config.who }, subject: undefined, checks: [], attempts: 1 }),
    });
    const plugins = withPlugin(builtinPlugins(), greet);
    expect(pluginCodecs(plugins)).to.have.property('greet');
    const steps = '      - name: hi\n        plugin: greet\n        config: { who: world }\n';
    const path = file('greet.yaml', suiteText([{ name: 't', steps }]));
    expect((await run(path, { plugins })).verdict).to.equal('passed');
    // Without it, the file does not decode: the step kind is unknown.
    expect((await run(path)).verdict).to.equal('invalid');
  });

  it('runs only the tests `only` keeps, and stops starting tests after a failure with `bail`', async () => {
    const failing = get(`${server.url}/missing`, '        assertions:\n          - { type: status_code, expected: 200 }\n');
    const path = file(
      'only.yaml',
      suiteText([
        { name: 'first', steps: failing },
        { name: 'second', steps: get(`${server.url}/a`) },
      ]),
    );
    const only = await run(path, { only: (name) => name === 'second' });
    expect(only).to.deep.include({ verdict: 'passed', passed: 1, failed: 0 });
    const bailed = await run(path, { bail: true, concurrency: 1 });
    expect(bailed).to.deep.include({ verdict: 'failed', failed: 1, skipped: 1 });
  });

  it('is interrupted by its AbortSignal as by Ctrl-C: the step in flight ends, cleanup runs, verdict interrupted, exit code 130', async () => {
    const text =
      'name: api\ntests:\n  - name: waits\n    steps:\n' +
      `      - name: slow\n        plugin: http\n        config: { method: GET, url: "${server.url}/slow", timeout: "30s" }\n` +
      `    cleanup:\n      always:\n        - name: tidy\n          plugin: http\n          config: { method: GET, url: "${server.url}/tidy" }\n`;
    const controller = new AbortController();
    const pending = run(file('interrupt.yaml', text), { signal: controller.signal });
    await server.waitFor((s) => s.requests >= 1);
    const abortedAt = Date.now();
    controller.abort();
    const summary = await pending;
    expect(Date.now() - abortedAt).to.be.below(5_000);
    expect(summary).to.deep.include({ verdict: 'interrupted', exitCode: 130, interrupted: 1, passed: 0 });
    expect(server.requests).to.equal(2); // the slow request, then the cleanup step's
  });

  it('with a signal already aborted, runs no test', async () => {
    const controller = new AbortController();
    controller.abort();
    const summary = await run(file('pre-aborted.yaml', suiteText([{ name: 't', steps: get(`${server.url}/a`) }])), {
      signal: controller.signal,
    });
    expect(summary.verdict).to.equal('interrupted');
    expect(summary.passed).to.equal(0);
    expect(server.requests).to.equal(0);
  });
});
