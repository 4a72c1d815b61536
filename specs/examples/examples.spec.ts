import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
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
    expect(dirs).to.include.members(['async-operations', 'chaining', 'lifecycle', 'retry', 'form', 'scripts', 'failing', 'beyond-spec']);
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

  it('`npm run example` (the README command) runs the async example offline and exits 0', async () => {
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, [join(ROOT, 'examples/run-example.js')], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
      let out = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      child.on('close', (c) => resolve({ code: c, stdout: out }));
    });
    expect(code, stdout).to.equal(0);
    expect(stdout).to.match(/^6 passed, 0 failed, 0 skipped$/m);
  });
});
