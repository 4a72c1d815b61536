import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/run-cli.js';
import { skipWithoutRedis, startRedis, type LocalRedis } from '../helpers/redis-server.js';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';
import { SPEC_QUEUE_KEY, startWorkerProcess, stopWorker, type WorkerProcess } from '../helpers/worker-process.js';

describe('distributed runs: Redis stopped mid-run', function () {
  skipWithoutRedis(this);
  this.timeout(90_000);
  let redis: LocalRedis;
  let worker: WorkerProcess;
  let server: LocalServer;
  let dir: string;
  const hits: Record<string, number> = {};
  // The poll answers `done` from this request on (set by each spec).
  let doneAt = Number.POSITIVE_INFINITY;

  before(async () => {
    // With an append-only file: a Redis that comes back has its keys (the jobs, the run's stream).
    redis = await startRedis({ persistence: true });
    dir = mkdtempSync(join(tmpdir(), 'rocketship-redis-lost-'));
    server = await startLocalServer((req, res) => {
      const path = req.url ?? '';
      hits[path] = (hits[path] ?? 0) + 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ status: path === '/status' && (hits[path] ?? 0) >= doneAt ? 'done' : 'running' }));
    });
    worker = await startWorkerProcess(redis.url, { concurrency: 2 });
  });
  beforeEach(() => {
    for (const k of Object.keys(hits)) delete hits[k];
  });
  after(async () => {
    await stopWorker(worker);
    await server.close();
    await redis.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const suite = (name: string) => {
    const url = server.url;
    const file = join(dir, `${name}.yaml`);
    writeFileSync(
      file,
      `name: ${name}\n` +
        `cleanup:\n  always:\n      - { name: suite cleanup, plugin: http, config: { method: GET, url: "${url}/suite-cleanup" } }\n` +
        'tests:\n  - name: t\n    steps:\n' +
        `      - { name: create, plugin: http, config: { method: POST, url: "${url}/create" } }\n` +
        `      - name: wait\n        plugin: http\n        config:\n          method: GET\n          url: "${url}/status"\n` +
        '          polling:\n            interval: 250ms\n            timeout: 60s\n            conditions: [{ type: json_path, path: .status, expected: done }]\n' +
        `      - { name: finish, plugin: http, config: { method: GET, url: "${url}/finish" } }\n`,
    );
    return file;
  };

  it('back within --redis-timeout: coordinator and worker reconnect (and say so), the run completes as without the outage', async () => {
    doneAt = 24; // about 6 s of polling: the outage (2 s) falls in the middle
    const workerMark = worker.stderr().length;
    const report = join(dir, 'back.json');
    let outage: Promise<void> | undefined;
    const watch = setInterval(() => {
      if (outage !== undefined || (hits['/status'] ?? 0) < 3) return;
      outage = (async () => {
        await redis.stop();
        await new Promise((r) => setTimeout(r, 2000));
        await redis.start();
      })();
    }, 5);
    const result = await runCli(
      ['run', '-f', suite('back'), '--redis', redis.url, '--redis-timeout', '20s', '--report', `json=${report}`],
      {
        env: { ROCKETSHIP_QUEUE_KEY: SPEC_QUEUE_KEY },
      },
    );
    clearInterval(watch);
    await outage;
    const said = `the run said ${result.stdout}${result.stderr}; the worker said ${worker.stderr()}`;
    expect(outage, said).not.to.equal(undefined);
    expect(result.code, said).to.equal(0);
    // Both sides saw Redis go and come back, and said so once, not once per failed reconnection.
    expect(result.stderr, said).to.match(/^queue: redis: .*; reconnecting$/m);
    expect(result.stderr, said).to.match(/^queue: redis: reconnected$/m);
    expect(result.stderr.match(/^queue: redis: /gm)?.length, said).to.be.below(8);
    expect(result.stderr, said).not.to.include('Unhandled error');
    const workerSaid = worker.stderr().slice(workerMark);
    expect(workerSaid, said).to.match(/^(redis|worker): .*; reconnecting$/m);
    expect(workerSaid, said).to.match(/^redis: reconnected$/m);
    expect(workerSaid.match(/^(redis|worker): /gm)?.length, said).to.be.below(12);
    const test = JSON.parse(readFileSync(report, 'utf8')).suites[0].tests[0];
    expect(test.result._tag).to.equal('Passed');
    expect(test.steps.map((s: any) => [s.name, s.result._tag])).to.deep.equal([
      ['create', 'Passed'],
      ['wait', 'Passed'],
      ['finish', 'Passed'],
    ]);
    // Steps that ended were not sent again; the poll ended once, at its condition; suite cleanup ran once.
    expect(hits['/create']).to.equal(1);
    expect(hits['/finish']).to.equal(1);
    expect(hits['/suite-cleanup']).to.equal(1);
    expect(hits['/status']).to.be.at.least(doneAt);
  });

  it('back after longer than a job lock lasts: the worker stops the test it lost, which continues from its checkpoint; the run passes', async () => {
    doneAt = 50; // about 12 s of polling: the outage (6 s, the lock lasts 4 s) falls in the middle
    const workerMark = worker.stderr().length;
    const report = join(dir, 'late.json');
    let outage: Promise<void> | undefined;
    const watch = setInterval(() => {
      if (outage !== undefined || (hits['/status'] ?? 0) < 3) return;
      outage = (async () => {
        await redis.stop();
        await new Promise((r) => setTimeout(r, 6000));
        await redis.start();
      })();
    }, 5);
    const result = await runCli(
      ['run', '-f', suite('late'), '--redis', redis.url, '--redis-timeout', '30s', '--report', `json=${report}`],
      {
        env: { ROCKETSHIP_QUEUE_KEY: SPEC_QUEUE_KEY },
      },
    );
    clearInterval(watch);
    await outage;
    const workerSaid = worker.stderr().slice(workerMark);
    const said = `the run said ${result.stdout}${result.stderr}; the worker said ${workerSaid}`;
    expect(result.code, said).to.equal(0);
    expect(workerSaid, said).to.match(/^lost the lock of \S+: stopped it here/m);
    const test = JSON.parse(readFileSync(report, 'utf8')).suites[0].tests[0];
    expect(test.result._tag).to.equal('Passed');
    expect(test.resumed, said).to.deep.include({ fromWorker: worker.name(), atStep: 'wait' });
    expect(hits['/create']).to.equal(1);
    expect(hits['/finish']).to.equal(1);
    expect(hits['/suite-cleanup']).to.equal(1);
  });

  it('not back within --redis-timeout: the run ends as errored (exit 1), the reports written, Redis named with its timeout', async () => {
    doneAt = Number.POSITIVE_INFINITY;
    const report = join(dir, 'lost.json');
    let stoppedAt: number | undefined;
    const watch = setInterval(() => {
      if (stoppedAt !== undefined || (hits['/status'] ?? 0) < 2) return;
      stoppedAt = Date.now();
      void redis.stop();
    }, 5);
    const result = await runCli(['run', '-f', suite('lost'), '--redis', redis.url, '--redis-timeout', '3s', '--report', `json=${report}`], {
      env: { ROCKETSHIP_QUEUE_KEY: SPEC_QUEUE_KEY },
    });
    const endedAt = Date.now();
    clearInterval(watch);
    const said = `the run said ${result.stdout}${result.stderr}; the worker said ${worker.stderr()}`;
    await redis.start();
    expect(stoppedAt, said).not.to.equal(undefined);
    expect(result.code, said).to.equal(1);
    expect(result.stderr).to.include(`lost Redis at ${redis.url} for more than 3s`);
    // It waited for the timeout, not (much) longer.
    expect(endedAt - (stoppedAt as number)).to.be.within(3000, 15_000);
    const json = JSON.parse(readFileSync(report, 'utf8'));
    expect(JSON.stringify(json.errors ?? json)).to.include('lost Redis at');
  });
});
