import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/run-cli.js';
import { skipWithoutRedis, startRedis, type LocalRedis } from '../helpers/redis-server.js';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';
import { SPEC_QUEUE_KEY, startWorkerProcess, stopWorker, type WorkerProcess } from '../helpers/worker-process.js';

/** Polls answer `done` at this request of their route (interval 200 ms: about 3 s of polling). */
const DONE_AT = 15;

/** What must be the same in a local and an attached run's JSON report: per suite, init, test, step and cleanup, what came of it. */
function outline(report: any): unknown {
  const steps = (list: any[] | undefined) =>
    (list ?? []).map((st: any) => ({ name: st.name, phase: st.phase, result: st.result?._tag, attempts: st.attempts?.length }));
  return report.suites.map((s: any) => ({
    name: s.name,
    result: s.result?._tag,
    counts: [s.result?.passed, s.result?.failed, s.result?.skipped, s.result?.interrupted],
    // Suite init and cleanup steps, by phase.
    steps: steps(s.steps),
    tests: s.tests.map((t: any) => ({ name: t.name, result: t.result?._tag, steps: steps(t.steps) })),
  }));
}

describe('distributed runs: a coordinator killed mid-run, then run --attach RUN_ID', function () {
  skipWithoutRedis(this);
  this.timeout(60_000);
  let redis: LocalRedis;
  let worker: WorkerProcess;
  let server: LocalServer;
  let dir: string;
  let hits: Record<string, number> = {};

  before(async () => {
    redis = await startRedis();
    dir = mkdtempSync(join(tmpdir(), 'rocketship-attach-'));
    server = await startLocalServer((req, res) => {
      const path = req.url ?? '';
      hits[path] = (hits[path] ?? 0) + 1;
      res.setHeader('content-type', 'application/json');
      if (path === '/init') return void res.end(JSON.stringify({ session: 's-42' }));
      if (path === '/fail') return void ((res.statusCode = 500), res.end('{}'));
      if (path.startsWith('/status')) return void res.end(JSON.stringify({ status: (hits[path] ?? 0) >= DONE_AT ? 'done' : 'running' }));
      res.end('{}');
    });
    worker = await startWorkerProcess(redis.url, { concurrency: 4 });
  });
  after(async () => {
    await stopWorker(worker);
    await server.close();
    await redis.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // init saves a session that every test sends; two tests poll; with --concurrency 2, the last
  // two are held back while both poll, so the coordinator is killed before it enqueued them.
  // Init waits a little first: the other file's tests (see `other`) get their slots first.
  const suite = (url: string, extra = '') => {
    const get = (name: string, path: string) => `      - { name: ${name}, plugin: http, config: { method: GET, url: "${url}${path}" } }\n`;
    const poll = (path: string) =>
      `      - name: wait\n        plugin: http\n        config:\n          method: GET\n          url: "${url}${path}"\n` +
      '          polling:\n            interval: 200ms\n            timeout: 30s\n            conditions: [{ type: json_path, path: .status, expected: done }]\n';
    return (
      `name: attach${extra}\n` +
      'init:\n' +
      '  - { name: settle, plugin: delay, config: { duration: 400ms } }\n' +
      `  - name: login\n    plugin: http\n    config: { method: GET, url: "${url}/init" }\n    save: [{ json_path: .session, as: session }]\n` +
      `cleanup:\n  always:\n${get('suite cleanup', '/suite-cleanup?s={{ session }}')}` +
      'tests:\n' +
      `  - name: quick\n    steps:\n${get('q', '/quick?s={{ session }}')}` +
      `  - name: failing\n    steps:\n      - name: f\n        plugin: http\n        config: { method: GET, url: "${url}/fail" }\n        assertions: [{ type: status_code, expected: 200 }]\n` +
      `  - name: poll a\n    steps:\n${poll('/status-a')}` +
      `  - name: poll b\n    steps:\n${poll('/status-b')}` +
      `  - name: late one\n    steps:\n${get('l1', '/late-1?s={{ session }}')}` +
      `  - name: late two\n    steps:\n${get('l2', '/late-2?s={{ session }}')}`
    );
  };

  // A second file, without init: its tests take the first slots of the run, before the first file's.
  const second = (url: string) =>
    'name: second\ntests:\n' +
    `  - name: b one\n    steps:\n      - { name: b1, plugin: http, config: { method: GET, url: "${url}/b-1" } }\n` +
    `  - name: b two\n    steps:\n      - { name: b2, plugin: http, config: { method: GET, url: "${url}/b-2" } }\n`;

  it('SIGKILL mid-run, then --attach with the same arguments: the exit code, report and requests of a local run; init and suite cleanup once', async () => {
    const file = join(dir, 'attach.yaml');
    writeFileSync(file, suite(server.url));
    const file2 = join(dir, 'second.yaml');
    writeFileSync(file2, second(server.url));
    // Job ids follow the suites' order and the tests' indices, not the order tests got slots (here
    // the second file's first): an attached coordinator, which replays init at once, finds them.
    const args = (report: string) => ['run', '-f', file, '-f', file2, '--concurrency', '2', '--report', `json=${join(dir, report)}`];
    const env = { ROCKETSHIP_QUEUE_KEY: SPEC_QUEUE_KEY };

    const local = await runCli([...args('local.json'), '--report', `junit=${join(dir, 'local.xml')}`]);
    const localHits = hits;
    hits = {};

    // The coordinator, killed once both polls are under way (quick and failing ended; the late ones not enqueued).
    let coordinator: ChildProcess | undefined;
    let said = '';
    let killedAt: Record<string, number> | undefined;
    const watch = setInterval(() => {
      if (killedAt !== undefined || coordinator === undefined || !/^RUN_ID /m.test(said)) return;
      if ((hits['/status-a'] ?? 0) < 3 || (hits['/status-b'] ?? 0) < 1) return;
      killedAt = { ...hits };
      coordinator.kill('SIGKILL');
    }, 5);
    const first = await runCli([...args('first.json'), '--redis', redis.url], {
      env,
      onSpawn: (child) => {
        coordinator = child;
        child.stderr?.on('data', (b: Buffer) => (said += b.toString('utf8')));
      },
    });
    clearInterval(watch);
    expect(first.signal, first.stderr).to.equal('SIGKILL');
    const runId = /^RUN_ID (\S+) /m.exec(first.stderr)?.[1] as string;
    expect(runId).to.match(/^[0-9a-f]{12}$/);
    // Killed mid-run: some tests ended, two polled, two were never enqueued, cleanup never ran.
    expect(killedAt?.['/b-2']).to.equal(1);
    expect(killedAt?.['/quick?s=s-42']).to.equal(1);
    expect(killedAt?.['/status-a']).to.be.below(DONE_AT);
    expect(killedAt?.['/late-1?s=s-42']).to.equal(undefined);
    expect(killedAt?.['/suite-cleanup?s=s-42']).to.equal(undefined);

    // Other suites than the run's: refused (exit 2), and the run is left as it was.
    const other = join(dir, 'other.yaml');
    writeFileSync(other, suite(server.url, ' changed'));
    const wrongFile = await runCli(['run', '-f', other, '--redis', redis.url, '--attach', runId], { env });
    expect(wrongFile.code, wrongFile.stderr).to.equal(2);
    expect(wrongFile.stderr).to.contain(
      `cannot attach to run ${runId}: the run's suites are ${file}, ${file2}; this command line gives ${other}`,
    );
    const wrongVars = await runCli(['run', '-f', file, '-f', file2, '--var', 'x=1', '--redis', redis.url, '--attach', runId], { env });
    expect(wrongVars.code, wrongVars.stderr).to.equal(2);
    expect(wrongVars.stderr).to.contain(`${file}, ${file2} differ from the run's`);

    const attached = await runCli(
      [
        ...args('attached.json'),
        '--redis',
        redis.url,
        '--attach',
        runId,
        '--report',
        `junit=${join(dir, 'attached.xml')}`,
        '--report',
        `html=${join(dir, 'attached.html')}`,
      ],
      { env },
    );
    const out = `the attached run said ${attached.stdout}${attached.stderr}; the worker said ${worker.stderr()}`;
    expect(attached.stderr, out).to.match(new RegExp(`^RUN_ID ${runId}: attached `, 'm'));
    expect(attached.code, out).to.equal(local.code);
    expect(local.code).to.equal(1);

    // The whole run in the report, every test once, as a local run reports it.
    const localReport = JSON.parse(readFileSync(join(dir, 'local.json'), 'utf8'));
    const attachedReport = JSON.parse(readFileSync(join(dir, 'attached.json'), 'utf8'));
    expect(outline(attachedReport), out).to.deep.equal(outline(localReport));
    // Init as the first coordinator ran it (replayed from the run's record), cleanup as the attached one ran it.
    expect(attachedReport.suites[0].steps.map((st: any) => [st.phase, st.name, st.result._tag])).to.deep.equal([
      ['suite_init', 'settle', 'Passed'],
      ['suite_init', 'login', 'Passed'],
      ['suite_cleanup_always', 'suite cleanup', 'Passed'],
    ]);
    const tests = attachedReport.suites[0].tests;
    expect(tests.map((t: any) => t.name)).to.deep.equal(['quick', 'failing', 'poll a', 'poll b', 'late one', 'late two']);
    for (const test of tests) expect(test.worker).to.equal(worker.name());
    // JUnit: the same test cases and verdicts as the local run's (timings apart).
    const cases = (xml: string) =>
      [...xml.matchAll(/<testcase name="([^"]+)"[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g)].map((m) => [
        m[1],
        /<failure/.test(m[3] ?? '') ? 'failure' : 'ok',
      ]);
    const localCases = cases(readFileSync(join(dir, 'local.xml'), 'utf8'));
    expect(localCases).to.have.length(8);
    expect(localCases).to.deep.include(['failing', 'failure']);
    expect(cases(readFileSync(join(dir, 'attached.xml'), 'utf8'))).to.deep.equal(localCases);
    const html = readFileSync(join(dir, 'attached.html'), 'utf8');
    for (const name of ['quick', 'failing', 'poll a', 'late two', 'b one']) expect(html).to.contain(name);
    // The console showed the tests that ended before the attach too.
    expect(attached.stdout).to.contain('quick').and.contain('failing').and.contain('late two');

    // The same requests, route by route: nothing sent again, init and suite cleanup once; the
    // tests enqueued by the attached coordinator had init's saves.
    expect(hits, out).to.deep.equal(localHits);
    expect(hits['/init']).to.equal(1);
    expect(hits['/suite-cleanup?s=s-42']).to.equal(1);
    expect(hits['/late-2?s=s-42']).to.equal(1);
    expect(hits['/status-a']).to.equal(DONE_AT);
    expect(attachedReport.suites[1].tests.map((t: any) => [t.name, t.result._tag])).to.deep.equal([
      ['b one', 'Passed'],
      ['b two', 'Passed'],
    ]);

    // Ended (its reports written): a second attach is refused.
    const again = await runCli(['run', '-f', file, '-f', file2, '--redis', redis.url, '--attach', runId], { env });
    expect(again.code, again.stderr).to.equal(2);
    expect(again.stderr).to.match(new RegExp(`cannot attach to run ${runId}: it ended at `));
  });

  it('Ctrl-C on the attached coordinator cancels the run as on the first: exit 130, the poll interrupted, the held-back test skipped, suite cleanup once', async () => {
    const url = server.url;
    const file = join(dir, 'cancel.yaml');
    writeFileSync(
      file,
      'name: cancel attached\n' +
        `cleanup:\n  always:\n      - { name: suite cleanup, plugin: http, config: { method: GET, url: "${url}/c-cleanup" } }\n` +
        'tests:\n' +
        `  - name: forever\n    steps:\n      - name: wait\n        plugin: http\n        config:\n          method: GET\n          url: "${url}/forever"\n` +
        '          polling:\n            interval: 200ms\n            timeout: 60s\n            conditions: [{ type: json_path, path: .status, expected: done }]\n' +
        `  - name: held\n    steps:\n      - { name: h, plugin: http, config: { method: GET, url: "${url}/held" } }\n`,
    );
    const env = { ROCKETSHIP_QUEUE_KEY: SPEC_QUEUE_KEY };
    // --concurrency 1: "held" waits for "forever", which never ends by itself.
    const args = ['run', '-f', file, '--concurrency', '1', '--redis', redis.url];
    hits = {};
    let said = '';
    const first = await runCli(args, {
      env,
      onSpawn: (child) => {
        child.stderr?.on('data', (b: Buffer) => (said += b.toString('utf8')));
        const watch = setInterval(() => {
          if (!/^RUN_ID /m.test(said) || (hits['/forever'] ?? 0) < 2) return;
          clearInterval(watch);
          child.kill('SIGKILL');
        }, 5);
      },
    });
    expect(first.signal, first.stderr).to.equal('SIGKILL');
    const runId = /^RUN_ID (\S+) /m.exec(first.stderr)?.[1] as string;

    const report = join(dir, 'cancel.json');
    let attachedSaid = '';
    let pollsAtAttach: number | undefined;
    const attached = await runCli([...args, '--attach', runId, '--report', `json=${report}`], {
      env,
      onSpawn: (child) => {
        child.stderr?.on('data', (b: Buffer) => {
          attachedSaid += b.toString('utf8');
          if (/: attached /.test(attachedSaid)) pollsAtAttach ??= hits['/forever'] ?? 0;
        });
        // Attached and listening (two more attempts seen since): Ctrl-C.
        const watch = setInterval(() => {
          if (pollsAtAttach === undefined || (hits['/forever'] ?? 0) < pollsAtAttach + 2) return;
          clearInterval(watch);
          child.kill('SIGINT');
        }, 5);
      },
    });
    const out = `the attached run said ${attached.stdout}${attached.stderr}; the worker said ${worker.stderr()}`;
    expect(attached.code, out).to.equal(130);
    expect(hits['/held'], out).to.equal(undefined);
    expect(hits['/c-cleanup'], out).to.equal(1);
    const tests = JSON.parse(readFileSync(report, 'utf8')).suites[0].tests;
    expect(tests.map((t: any) => [t.name, t.result._tag])).to.deep.equal([
      ['forever', 'Interrupted'],
      ['held', 'Skipped'],
    ]);
    // The worker stopped polling.
    const polls = hits['/forever'];
    await new Promise((r) => setTimeout(r, 800));
    expect(hits['/forever']).to.equal(polls);
  });

  it('an unknown run id: exit 2, nothing enqueued', async () => {
    const file = join(dir, 'unknown.yaml');
    writeFileSync(file, suite(server.url));
    const before = { ...hits };
    const result = await runCli(
      ['run', '-f', file, '--redis', redis.url, '--attach', 'no-such-run', '--report', `json=${join(dir, 'u.json')}`],
      {
        env: { ROCKETSHIP_QUEUE_KEY: SPEC_QUEUE_KEY },
      },
    );
    expect(result.code, result.stderr).to.equal(2);
    expect(result.stderr).to.contain('cannot attach to run no-such-run: no such run on queue rocketship at redis://127.0.0.1:');
    expect(hits).to.deep.equal(before);
    const report = JSON.parse(readFileSync(join(dir, 'u.json'), 'utf8'));
    expect(report.errors?.[0]?.message ?? JSON.stringify(report)).to.contain('no such run');
  });
});
