import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LastRun } from '../../lib/report/last-run.js';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';
import { runCli } from '../helpers/run-cli.js';

/** `--rerun-failed` and the last-run record, through the real bin (issue 14, part 5). */
describe('cli/rerun-failed (process)', function () {
  this.timeout(60_000);
  let server: LocalServer;
  let dir: string;
  /** The paths the server saw, in order. */
  const hits: string[] = [];

  before(async () => {
    server = await startLocalServer((req, res) => {
      hits.push(req.url ?? '');
      res.writeHead(req.url === '/fail' ? 500 : 200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  beforeEach(() => {
    hits.length = 0;
    dir = mkdtempSync(join(tmpdir(), 'rocketship-rerun-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  after(() => server.close());

  const get = (name: string, path: string) =>
    `{ name: ${name}, plugin: http, config: { method: GET, url: "${server.url}${path}" }, assertions: [{ type: status_code, expected: 200 }] }`;
  /** init and cleanup hit the server; "passes" passes, "fails" fails (a 500), "errors" cannot run (max_attempts renders to 0). */
  const SUITE = () => `name: Jobs
vars: { n: 0 }
init: [${get('boot', '/init')}]
tests:
  - { name: passes, steps: [${get('s', '/ok')}] }
  - { name: fails, steps: [${get('s', '/fail')}] }
  - name: errors
    steps:
      - name: s
        plugin: http
        config:
          method: GET
          url: "${server.url}/errors"
          polling: { interval: 10ms, timeout: 1s, max_attempts: "{{ .vars.n }}", conditions: [{ type: status_code, expected: 200 }] }
cleanup: { always: [${get('tidy', '/cleanup')}] }
`;
  const write = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const record = (path = join(dir, '.rocketship', 'last-run.json')): LastRun => JSON.parse(readFileSync(path, 'utf8')) as LastRun;

  it('a run records each test (passed, failed, errored), whole (no temporary file left); --rerun-failed runs only the failed and errored ones, with the suite init and cleanup, and says which', async () => {
    const file = write('jobs.yaml', SUITE());
    const first = await runCli(['run', 'jobs.yaml'], { cwd: dir });
    expect(first.code).to.equal(1);
    expect(record().tests.map((t) => [t.file, t.index, t.name, t.outcome])).to.deep.equal([
      [file, 0, 'passes', 'passed'],
      [file, 1, 'fails', 'failed'],
      [file, 2, 'errors', 'errored'],
    ]);
    expect(readdirSync(join(dir, '.rocketship'))).to.deep.equal(['last-run.json']);

    hits.length = 0;
    const again = await runCli(['run', '--rerun-failed'], { cwd: dir });
    expect(again.code).to.equal(1);
    expect(again.stdout).to.match(
      /^re-running 2 tests that failed or errored in the last run \(\.rocketship\/last-run\.json\):\n {2}jobs\.yaml:6 \[Jobs\] \[fails\] failed\n {2}jobs\.yaml:7 \[Jobs\] \[errors\] errored\n/,
    );
    expect(again.stdout).to.contain('0 passed, 2 failed, 0 skipped');
    expect(hits).to.deep.equal(['/init', '/fail', '/cleanup']); // not /ok; "errors" sends nothing
  });

  it('after an edit: a moved test is found by its name, a renamed one is reported (not an error); fixed, the next --rerun-failed has nothing to do (exit 0)', async () => {
    write('jobs.yaml', SUITE());
    await runCli(['run', 'jobs.yaml'], { cwd: dir });
    // A test inserted on top, "fails" fixed, "errors" renamed.
    write(
      'jobs.yaml',
      SUITE()
        .replace('tests:\n', `tests:\n  - { name: new, steps: [${get('s', '/new')}] }\n`)
        .replace("s', '/fail'", "s', '/ok'")
        .replace(`${server.url}/fail`, `${server.url}/ok`)
        .replace('name: errors', 'name: errors-renamed'),
    );
    hits.length = 0;
    const rerun = await runCli(['run', '--rerun-failed'], { cwd: dir });
    expect(rerun.code).to.equal(0);
    expect(rerun.stdout).to.contain(
      'note: test "errors" of jobs.yaml errored in the last run but is no longer in the file (renamed or removed): not re-run\n',
    );
    expect(rerun.stdout).to.contain('re-running the 1 test that failed or errored in the last run (.rocketship/last-run.json):\n');
    expect(rerun.stdout).to.contain('  jobs.yaml:7 [Jobs] [fails] failed (test #2 then, #3 now)\n');
    expect(hits).to.deep.equal(['/init', '/ok', '/cleanup']);

    hits.length = 0;
    const nothing = await runCli(['run', '--rerun-failed'], { cwd: dir });
    expect(nothing.code).to.equal(0);
    expect(nothing.stdout).to.equal('nothing to re-run: no test failed or errored in the last run (.rocketship/last-run.json)\n');
    expect(hits).to.deep.equal([]);
  });

  it('--last-run PATH: the record is kept there; with none recorded yet, nothing to re-run (exit 0)', async () => {
    write('jobs.yaml', SUITE());
    const none = await runCli(['run', '--rerun-failed', '--last-run', 'state/runs.json'], { cwd: dir });
    expect([none.code, none.stdout]).to.deep.equal([0, 'nothing to re-run: no run is recorded at state/runs.json yet\n']);
    await runCli(['run', 'jobs.yaml', '--last-run', 'state/runs.json'], { cwd: dir });
    expect(record(join(dir, 'state', 'runs.json')).tests).to.have.length(3);
    expect(existsSync(join(dir, '.rocketship'))).to.equal(false);
    hits.length = 0;
    const rerun = await runCli(['run', 'jobs.yaml', '--rerun-failed', '--last-run', 'state/runs.json', '--test', 'fails'], { cwd: dir });
    expect(rerun.stdout).to.contain('re-running 2 tests');
    expect(hits).to.deep.equal(['/init', '/fail', '/cleanup']); // --test narrows them further
  });

  it('a record that is not one: --rerun-failed stops (exit 2, nothing sent); a plain run says so and writes a new one', async () => {
    write('jobs.yaml', SUITE());
    write('bad.json', '{"version": 7}');
    const stopped = await runCli(['run', '--rerun-failed', '--last-run', 'bad.json'], { cwd: dir });
    expect(stopped.code).to.equal(2);
    expect(stopped.stderr).to.equal(
      'last-run record bad.json: it is not a last-run record of this version: at version, expected 1; delete it (the next run writes a new one), or run without --rerun-failed\n',
    );
    expect(hits).to.deep.equal([]);
    const plain = await runCli(['run', 'jobs.yaml', '--last-run', 'bad.json'], { cwd: dir });
    expect(plain.stderr).to.contain('note: last-run record bad.json: it is not a last-run record of this version');
    expect(record(join(dir, 'bad.json')).tests).to.have.length(3);
  });
});
