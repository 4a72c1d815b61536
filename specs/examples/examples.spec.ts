import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { loadSuiteFile } from '../../lib/dsl/index.js';
import { createAxiosClient } from '../../lib/http/axios-client.js';
import { builtinPlugins } from '../../lib/plugins/builtin.js';
import { runSuite } from '../../lib/run/run-suite.js';
import type { RunEvent } from '../../lib/event/run-event.js';
import { startExampleApi, type ExampleApi } from '../../examples/api/server.js';
import { ROOT } from '../helpers/run-cli.js';
import { messageOf } from '../helpers/result-message.js';

/** What each bundled example must come to: every test passes, except the deliberate failure. */
const EXPECTED_FAILURES: Readonly<Record<string, readonly string[]>> = {
  failing: ['A failed job stops the poll at once'],
};

/** Every example runs here, against the example API we ship, so none can rot. */
describe('examples/', function () {
  this.timeout(60_000);
  let api: ExampleApi;
  before(async () => {
    api = await startExampleApi({ port: 0 });
  });
  after(() => api.close());

  const dirs = readdirSync(join(ROOT, 'examples'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'api')
    .map((d) => d.name)
    .sort();

  it('has the examples the README lists', () => {
    expect(dirs).to.include.members([
      'async-operations',
      'chaining',
      'lifecycle',
      'retry',
      'form',
      'scripts',
      'failing',
      'beyond-spec',
      'openapi',
    ]);
  });

  for (const name of dirs) {
    it(`${name}/rocketship.yaml ${EXPECTED_FAILURES[name] ? 'fails exactly where it means to' : 'passes'}`, async () => {
      const loaded = loadSuiteFile(join(ROOT, 'examples', name, 'rocketship.yaml'));
      if (loaded._tag === 'Left') expect.fail(loaded.left.map((e) => e.message).join('\n'));
      const events = await lastValueFrom(
        runSuite(loaded.right, { http: createAxiosClient(), plugins: builtinPlugins(), vars: { api_url: api.url }, env: process.env }).pipe(
          toArray(),
        ),
      );
      const failed = events.flatMap((e: RunEvent) => (e._tag === 'TestEnded' && e.result._tag !== 'Passed' ? [e.ref.test] : []));
      const why = events.flatMap((e: RunEvent) =>
        e._tag === 'StepEnded' && (e.result._tag === 'Failed' || e.result._tag === 'Errored')
          ? [`${e.ref.step}: ${messageOf(e.result)}`]
          : [],
      );
      expect(failed, why.join('\n')).to.deep.equal(EXPECTED_FAILURES[name] ?? []);
    });
  }

  /** `npm run example -- ...args`, as the README has it: its exit code and stdout. */
  const runExample = (...args: string[]) =>
    new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, [join(ROOT, 'examples/run-example.js'), ...args], {
        cwd: ROOT,
        env: { ...process.env, NO_COLOR: '1' },
      });
      let out = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      child.on('close', (c) => resolve({ code: c, stdout: out }));
    });

  it('`npm run example` (the README command) runs the async example offline and exits 0', async () => {
    const { code, stdout } = await runExample();
    expect(code, stdout).to.equal(0);
    expect(stdout).to.match(/^6 passed, 0 failed, 0 skipped$/m);
  });

  it('`npm run example -- -f examples/openapi/rocketship.yaml -v` passes, every request and response validated against its document', async () => {
    const { code, stdout } = await runExample('-f', 'examples/openapi/rocketship.yaml', '-v');
    expect(code, stdout).to.equal(0);
    expect(stdout).to.match(/^3 passed, 0 failed, 0 skipped$/m);
    const lines = stdout.split('\n').filter((l) => l.includes('✓ openapi') || l.includes('✗ openapi'));
    // 2 + a poll of several attempts + 2 + 2 + 2 validated exchanges, none broken.
    expect(lines.length).to.be.above(8);
    expect(lines.filter((l) => l.includes('✗'))).to.deep.equal([]);
    expect(stdout).to.contain(
      '✓ openapi POST /echo (echo): request passed (multipart/form-data by schema) · response passed (application/json by schema)',
    );
    expect(stdout).to.contain('✓ openapi POST /echo (echo): request passed (application/x-www-form-urlencoded by schema)');
    expect(stdout).to.contain('request skipped (validate_request: false) · response passed (application/json by schema)');
    expect(stdout).to.contain('response skipped (validate_response: false)');
    expect(stdout).to.match(/\[Wait for the job \(each response validated: status, X-Job-Status, body\)\] passed after [2-9]\d* attempts/);
  });

  it('the openapi example validates for real: its document, edited to forbid what the API sends, fails the poll', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'rocketship-openapi-example-'));
    try {
      const doc = readFileSync(join(ROOT, 'examples/openapi/openapi.yaml'), 'utf8');
      writeFileSync(
        join(copy, 'openapi.yaml'),
        doc.replace('progress: { type: integer, minimum: 0, maximum: 100 }', 'progress: { type: integer, maximum: -1 }'),
      );
      writeFileSync(join(copy, 'rocketship.yaml'), readFileSync(join(ROOT, 'examples/openapi/rocketship.yaml'), 'utf8'));
      const loaded = loadSuiteFile(join(copy, 'rocketship.yaml'));
      if (loaded._tag === 'Left') expect.fail(loaded.left.map((e) => e.message).join('\n'));
      const events = await lastValueFrom(
        runSuite(loaded.right, { http: createAxiosClient(), plugins: builtinPlugins(), vars: { api_url: api.url } }).pipe(toArray()),
      );
      const wait = events.find((e) => e._tag === 'StepEnded' && e.ref.step.startsWith('Wait for the job'));
      expect(wait?._tag === 'StepEnded' && messageOf(wait.result)).to.match(
        /^OpenAPI response validation failed on attempt 1 \(GET \/jobs\/\{id\} \(getJob\)\):\n {2}response body \/progress: must be <= -1 \(schema at components\.schemas\.Job\.properties\.progress\.maximum\)/,
      );
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
