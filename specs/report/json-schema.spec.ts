import { expect } from 'chai';
import { Ajv, type ValidateFunction } from 'ajv';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';
import { ROOT, runCli } from '../helpers/run-cli.js';

/**
 * The JSON report's documented format (docs/json-report.md, docs/json-report.schema.json) is the
 * format real reports have: reports of real runs (every kind of step failure and error, a suite
 * init that fails, an interrupted run, bad input, a usage error) are validated against the schema
 * with ajv, strictly (no property the schema does not name), and every `*Ms` field is a whole
 * number of milliseconds (issue 12, item 12).
 */
describe('report/json-schema: real reports match docs/json-report.schema.json (process)', function () {
  this.timeout(30_000);
  let server: LocalServer;
  let dir: string;
  let validate: ValidateFunction;

  before(async () => {
    server = await startLocalServer((req, res) => {
      if (req.url?.startsWith('/slow')) return;
      const send = (status: number, body: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] }).end(JSON.stringify(body));
      if (req.url?.startsWith('/fail')) return send(500, { status: 'broken' });
      if (req.url?.startsWith('/pending')) return send(200, { status: 'running' });
      return send(200, { ok: true, id: 'j-1', latencyMs: 1.5, deep: { a: [1, { b: null }] } });
    });
    dir = mkdtempSync(join(tmpdir(), 'rocketship-json-schema-'));
    const schema = JSON.parse(readFileSync(join(ROOT, 'docs/json-report.schema.json'), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: true });
    // ISO 8601 as `Date.prototype.toISOString` writes it.
    ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    validate = ajv.compile(schema);
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
    return path;
  };

  /** The report at `path`, after checking it against the schema and its durations. */
  const checked = (path: string): Report => {
    const report = JSON.parse(readFileSync(path, 'utf8')) as Report;
    expectValid(report);
    return report;
  };
  const expectValid = (report: unknown): void => {
    const ok = validate(report);
    expect(ok, JSON.stringify(validate.errors?.slice(0, 5), null, 2)).to.equal(true);
    // Our own duration fields: the server's `latencyMs: 1.5` (data) is left as it is.
    const fractional = msFields(report).filter(({ path, value }) => !Number.isInteger(value) && !path.includes('latencyMs'));
    expect(fractional, 'every *Ms field is whole milliseconds').to.deep.equal([]);
  };

  it('a run of sql steps (SQLite): a failed statement, and a poll whose last attempt is a SQL result', async function () {
    try {
      await import('better-sqlite3');
    } catch {
      this.skip();
    }
    const db = join(dir, 'report.db');
    const file = write(
      'sql.yaml',
      `name: sql
tests:
  - name: statements
    steps:
      - { name: q, plugin: sql, config: { driver: sqlite, dsn: "${db}", commands: ["CREATE TABLE IF NOT EXISTS t (x INTEGER)", "SELEC 1"] } }
  - name: poll
    steps:
      - name: q
        plugin: sql
        config:
          driver: sqlite
          dsn: "${db}"
          commands: ["SELECT COUNT(*) AS n FROM t"]
          polling: { interval: 20ms, timeout: 5s, max_attempts: 2, conditions: [{ type: row_count, query_index: 0, expected: 2 }] }
`,
    );
    const json = join(dir, 'sql.json');
    const r = await runCli(['run', '-f', file, '--report', `json=${json}`]);
    expect(r.code, r.stderr).to.equal(1);
    const report = checked(json);
    const causes = report.suites[0]?.tests.map((t) => [t.name, t.result?.cause?._tag]);
    expect(causes).to.deep.equal([
      ['statements', 'SqlStatements'],
      ['poll', 'PollExhausted'],
    ]);
    expect(report.suites[0]?.tests[1]?.result?.cause).to.have.nested.property('last._tag', 'SqlResult');
  });

  it('a run with every kind of step outcome', async () => {
    write('check.js', '// a script file\nconst n = 1;\n  assert(n > 2, "n is " + n);\n');
    const get = (path: string) => `{ method: GET, url: "${server.url}${path}" }`;
    const file = write(
      'all.yaml',
      `name: all
vars: { n: 1, word: soon }
tests:
  - name: passes
    steps:
      - name: get
        plugin: http
        config: ${get('/ok')}
        assertions: [{ type: status_code, expected: 200 }, { type: json_path, path: .ok, expected: true }]
        save: [{ json_path: .deep, as: deep }, { header: Content-Type, as: type }]
      - { name: log, plugin: log, config: { message: "saved {{ type }}" } }
      - { name: js, plugin: script, config: { language: javascript, script: 'save("x", { list: [1, 2] }); console.log("hi")' } }
      - { name: sh, plugin: script, config: { language: shell, script: 'echo out' } }
      - { name: wait, plugin: delay, config: { duration: 1ms } }
  - name: assertion
    steps:
      - { name: get, plugin: http, config: ${get('/fail')}, assertions: [{ type: status_code, expected: 200 }] }
      - { name: never, plugin: log, config: { message: never } }
  - name: timed out
    steps:
      - name: poll
        plugin: http
        config:
          method: GET
          url: "${server.url}/pending"
          polling: { interval: 30ms, timeout: 200ms, backoff_coefficient: 1.5, conditions: [{ type: json_path, path: .status, expected: done }] }
  - name: exhausted
    steps:
      - name: poll
        plugin: http
        config:
          method: GET
          url: "${server.url}/pending"
          polling: { interval: 10ms, timeout: 5s, max_attempts: 2, conditions: [{ type: json_path, path: .status, expected: done }] }
  - name: fail condition
    steps:
      - name: poll
        plugin: http
        config:
          method: GET
          url: "${server.url}/fail"
          polling:
            interval: 10ms
            timeout: 5s
            conditions: [{ type: status_code, expected: 200 }]
            fail_conditions: [{ type: json_path, path: .status, expected: broken }]
  - name: transport
    steps:
      - { name: get, plugin: http, config: { method: GET, url: "http://127.0.0.1:1/x", timeout: 2s } }
  - name: save
    steps:
      - { name: get, plugin: http, config: ${get('/ok')}, save: [{ json_path: .nope, as: nope }] }
  - name: script assertion
    steps:
      - name: js
        plugin: script
        config:
          language: javascript
          script: |
            const limit = {{ .vars.n }};
            assert(limit > 5, "limit is " + limit);
  - name: script file
    steps:
      - { name: js, plugin: script, config: { language: javascript, file: check.js } }
  - name: script error
    steps:
      - { name: js, plugin: script, config: { language: javascript, script: 'if (1) throw new TypeError("bad")' } }
  - name: script timeout
    steps:
      - { name: js, plugin: script, config: { language: javascript, script: 'for (;;) {}', timeout: 50ms } }
  - name: shell exit
    steps:
      - { name: sh, plugin: script, config: { language: shell, script: 'echo partial; echo oops >&2; exit 3' } }
  - name: config error
    steps:
      # Rendered only when the step runs: "{{ .vars.word }}s" is "soons", not a duration.
      - { name: wait, plugin: delay, config: { duration: "{{ .vars.word }}s" } }
cleanup:
  always: [{ name: tidy, plugin: log, config: { message: tidy } }]
`,
    );
    const json = join(dir, 'all.json');
    const r = await runCli(['run', '-f', file, '--report', `json=${json}`]);
    expect(r.code, r.stderr).to.equal(1);
    const report = checked(json);
    const causes = report.suites[0]?.tests.map((t) => [t.name, t.result?._tag, t.result?.cause?._tag]);
    expect(causes).to.deep.equal([
      ['passes', 'Passed', undefined],
      ['assertion', 'Failed', 'Assertions'],
      ['timed out', 'Failed', 'PollTimedOut'],
      ['exhausted', 'Failed', 'PollExhausted'],
      ['fail condition', 'Failed', 'FailCondition'],
      ['transport', 'Failed', 'Transport'],
      ['save', 'Failed', 'SaveFailed'],
      ['script assertion', 'Failed', 'ScriptAssertion'],
      ['script file', 'Failed', 'ScriptAssertion'],
      ['script error', 'Failed', 'ScriptError'],
      ['script timeout', 'Failed', 'ScriptTimedOut'],
      ['shell exit', 'Failed', 'ExitCode'],
      ['config error', 'Failed', 'Config'],
    ]);
    // A response's time is measured to fractions of a millisecond: written whole.
    const attempt = report.suites[0]?.tests[0]?.steps[0]?.attempts[0];
    expect(attempt?.outcome).to.have.property('durationMs').that.satisfies(Number.isInteger);
    // The script places are data (issue 12, item 7).
    expect(report.suites[0]?.tests[8]?.result?.cause).to.deep.include({
      at: { _tag: 'ScriptFile', file: join(dir, 'check.js'), line: 3, column: 3 },
    });
    expect(report.suites[0]?.tests[7]?.result?.cause?.at).to.deep.include({ _tag: 'InlineScript', line: 2, column: 1 });
  });

  it('a run with OpenAPI contract validation: each attempt carries its contract checks', async () => {
    write(
      'openapi.yaml',
      `openapi: 3.0.3
info: { title: t, version: "1" }
paths:
  /ok:
    get:
      operationId: ok
      responses:
        "200": { description: ok, content: { application/json: { schema: { type: object, required: [ok], properties: { ok: { type: boolean } } } } } }
  /pending:
    get:
      operationId: pending
      responses:
        "200": { description: ok, content: { application/json: { schema: { type: object, properties: { status: { enum: [queued, done] } } } } } }
`,
    );
    const file = write(
      'contract.yaml',
      `name: contract
openapi: { spec: ./openapi.yaml }
tests:
  - name: passes
    steps:
      - { name: get, plugin: http, config: { method: GET, url: "${server.url}/ok", openapi: { validate_request: false } } }
  - name: breaks
    steps:
      - name: poll
        plugin: http
        config:
          method: GET
          url: "${server.url}/pending"
          polling: { interval: 10ms, timeout: 5s, conditions: [{ type: json_path, path: .status, expected: done }] }
`,
    );
    const json = join(dir, 'contract.json');
    const r = await runCli(['run', '-f', file, '--report', `json=${json}`]);
    expect(r.code, r.stderr).to.equal(1);
    const report = checked(json);
    const [passes, breaks] = report.suites[0]?.tests ?? [];
    expect(passes?.steps[0]?.attempts[0]?.contract).to.deep.equal({
      operation: 'GET /ok (ok)',
      request: { _tag: 'Skipped', reason: 'validate_request: false' },
      response: { _tag: 'Passed', body: { _tag: 'Schema', mediaType: 'application/json' } },
    });
    expect(breaks?.steps[0]?.attempts[0]?.contract?.response).to.deep.equal({
      _tag: 'Failed',
      violations: [
        'response body /status: must be equal to one of the allowed values ("queued", "done") (schema at paths./pending.get.responses.200.content.application/json.schema.properties.status.enum)',
      ],
      body: { _tag: 'Schema', mediaType: 'application/json' },
    });
    expect(breaks?.result?.cause?._tag).to.equal('ContractViolation');
  });

  it('a suite whose init fails, with suite cleanup', async () => {
    const file = write(
      'init.yaml',
      `name: init
init:
  - { name: setup, plugin: http, config: { method: GET, url: "${server.url}/fail" }, assertions: [{ type: status_code, expected: 201 }] }
tests:
  - { name: t, steps: [{ name: s, plugin: log, config: { message: hi } }] }
cleanup:
  on_failure: [{ name: dump, plugin: log, config: { message: dump } }]
`,
    );
    const json = join(dir, 'init.json');
    const r = await runCli(['run', '-f', file, '--report', `json=${json}`]);
    expect(r.code, r.stderr).to.equal(1);
    const report = checked(json);
    expect(report.suites[0]?.result).to.have.nested.property('initFailure.result._tag', 'Failed');
  });

  it('an interrupted run', async () => {
    const file = write(
      'interrupted.yaml',
      `name: interrupted
tests:
  - name: waits
    steps:
      - name: poll
        plugin: http
        config:
          method: GET
          url: "${server.url}/pending"
          polling: { interval: 50ms, timeout: 1m, conditions: [{ type: json_path, path: .status, expected: done }] }
      - { name: never, plugin: log, config: { message: never } }
`,
    );
    const json = join(dir, 'interrupted.json');
    server.reset();
    const r = await runCli(['run', '-f', file, '--report', `json=${json}`], {
      onSpawn: (child) => void server.waitFor((s) => s.requests >= 2).then(() => child.kill('SIGINT')),
    });
    expect(r.code, r.stderr).to.equal(130);
    expect(checked(json).suites[0]?.tests[0]?.result?._tag).to.equal('Interrupted');
  });

  it('bad input, a usage error, and the report on stdout (--report json=-)', async () => {
    const bad = write('bad.yaml', 'name: bad\ntests:\n  - name: t\n    steps: [{ name: s, plugin: log, config: { mesage: hi } }]\n');
    const badJson = join(dir, 'bad.json');
    expect((await runCli(['run', '-f', bad, '--report', `json=${badJson}`])).code).to.equal(2);
    expect(checked(badJson).errors[0]).to.include({ kind: 'input', file: bad, line: 4 });

    const usageJson = join(dir, 'usage.json');
    expect((await runCli(['run', '--verbos', '--report', `json=${usageJson}`])).code).to.equal(2);
    expect(checked(usageJson).errors[0]).to.include({ kind: 'usage' });

    const ok = write('ok.yaml', 'name: ok\ntests:\n  - { name: t, steps: [{ name: s, plugin: log, config: { message: hi } }] }\n');
    const r = await runCli(['run', ok, '--report', 'json=-']);
    expect(r.code, r.stderr).to.equal(0);
    const fromStdout = JSON.parse(r.stdout) as Report;
    expectValid(fromStdout);
    expect(fromStdout.summary).to.include({ passed: 1 });
  });
});

interface Report {
  readonly summary: Record<string, unknown>;
  readonly errors: ReadonlyArray<Record<string, unknown>>;
  readonly suites: ReadonlyArray<{
    readonly result: Record<string, unknown> | null;
    readonly tests: ReadonlyArray<{
      readonly name: string;
      readonly result: { readonly _tag: string; readonly cause?: { readonly _tag: string; readonly at?: unknown } } | null;
      readonly steps: ReadonlyArray<{
        readonly attempts: ReadonlyArray<{ readonly outcome: Record<string, unknown>; readonly contract?: { readonly response: unknown } }>;
      }>;
    }>;
  }>;
}

/** Every number under a key ending in `Ms`, with its path. */
function msFields(value: unknown, path = ''): Array<{ path: string; value: number }> {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) =>
    key.endsWith('Ms') && typeof v === 'number' ? [{ path: `${path}.${key}`, value: v }] : msFields(v, `${path}.${key}`),
  );
}
