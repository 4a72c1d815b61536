import { expect } from 'chai';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { runCli } from '../helpers/run-cli.js';
import { skipWithoutRedis, startRedis, type LocalRedis } from '../helpers/redis-server.js';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';
import { SPEC_QUEUE_KEY, startWorkerProcess, stopWorker, type WorkerProcess } from '../helpers/worker-process.js';

describe('distributed runs: Ctrl-C on the coordinator cancels the run everywhere', function () {
  skipWithoutRedis(this);
  this.timeout(60_000);
  let redis: LocalRedis;
  let worker: WorkerProcess;
  let server: LocalServer;
  let dir: string;
  const hits: Record<string, number> = {};
  // The poll's third request gets no answer: when did the client give it up?
  let hungAbortedAt: number | undefined;

  before(async () => {
    redis = await startRedis();
    dir = mkdtempSync(join(tmpdir(), 'rocketship-cancel-'));
    server = await startLocalServer((req, res) => {
      const path = req.url ?? '';
      hits[path] = (hits[path] ?? 0) + 1;
      res.setHeader('content-type', 'application/json');
      if (path === '/status' && (hits[path] ?? 0) >= 3) {
        res.on('close', () => {
          if (!res.writableEnded) hungAbortedAt ??= Date.now();
        });
        return; // never answered
      }
      res.end(JSON.stringify({ status: 'running' }));
    });
    // One test at a time: the suite's other tests stay queued while the first one polls.
    worker = await startWorkerProcess(redis.url, { concurrency: 1 });
  });
  after(async () => {
    await stopWorker(worker);
    await server.close();
    await redis.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('SIGINT mid-poll: exit 130, queued tests removed, the request in flight aborted, test cleanup on the worker, suite cleanup, reports', async () => {
    const url = server.url;
    const get = (name: string, path: string) => `      - { name: ${name}, plugin: http, config: { method: GET, url: "${url}${path}" } }\n`;
    const file = join(dir, 'cancel.yaml');
    writeFileSync(
      file,
      'name: cancel\n' +
        `cleanup:\n  always:\n${get('suite cleanup', '/suite-cleanup')}` +
        'tests:\n' +
        '  - name: poller\n    steps:\n' +
        `      - name: wait\n        plugin: http\n        config:\n          method: GET\n          url: "${url}/status"\n` +
        '          polling:\n            interval: 200ms\n            timeout: 60s\n            conditions: [{ type: json_path, path: .status, expected: done }]\n' +
        `    cleanup:\n      always:\n${get('test cleanup', '/test-cleanup')}` +
        `  - name: queued one\n    steps:\n${get('q1', '/queued')}` +
        `  - name: queued two\n    steps:\n${get('q2', '/queued')}`,
    );
    const report = join(dir, 'cancel.json');
    let sentAt: number | undefined;
    let coordinator: ChildProcess | undefined;
    const watch = setInterval(() => {
      // The third poll request is in flight (and unanswered): Ctrl-C.
      if (sentAt !== undefined || (hits['/status'] ?? 0) < 3 || coordinator === undefined) return;
      sentAt = Date.now();
      coordinator.kill('SIGINT');
    }, 5);
    const result = await runCli(['run', '-f', file, '--redis', redis.url, '--report', `json=${report}`], {
      env: { ROCKETSHIP_QUEUE_KEY: SPEC_QUEUE_KEY },
      onSpawn: (child) => (coordinator = child),
    });
    clearInterval(watch);
    const said = `the run said ${result.stdout}${result.stderr}; the worker said ${worker.stderr()}`;
    expect(sentAt, said).not.to.equal(undefined);
    expect(result.code, said).to.equal(130);

    // The request in flight was aborted at once (not at the next attempt, not at the 60s deadline).
    expect(hungAbortedAt, said).not.to.equal(undefined);
    expect((hungAbortedAt as number) - (sentAt as number)).to.be.below(3000);
    // Test cleanup ran on the worker, suite cleanup on the coordinator, the queued tests never ran.
    expect(hits['/test-cleanup']).to.equal(1);
    expect(hits['/suite-cleanup']).to.equal(1);
    expect(hits['/queued']).to.equal(undefined);
    // No further attempt after the cancel (the interval is 200ms: a second is five chances).
    await new Promise((r) => setTimeout(r, 1000));
    expect(hits['/status']).to.equal(3);

    const json = JSON.parse(readFileSync(report, 'utf8'));
    const tests = json.suites[0].tests;
    expect(tests.map((t: any) => [t.name, t.result._tag])).to.deep.equal([
      ['poller', 'Interrupted'],
      ['queued one', 'Skipped'],
      ['queued two', 'Skipped'],
    ]);
    expect(tests[0].worker).to.equal(worker.name());
    expect(tests[0].steps.map((s: any) => [s.name, s.result._tag])).to.deep.equal([
      ['wait', 'Interrupted'],
      ['test cleanup', 'Passed'],
    ]);

    // Nothing of the run is left queued: no job waits, none is delayed or held.
    const client = new Redis(redis.url);
    try {
      const prefix = 'rocketship-bull:rocketship';
      expect(await client.llen(`${prefix}:wait`)).to.equal(0);
      expect(await client.llen(`${prefix}:active`)).to.equal(0);
      expect(await client.zcard(`${prefix}:prioritized`)).to.equal(0);
      expect(await client.zcard(`${prefix}:delayed`)).to.equal(0);
    } finally {
      client.disconnect();
    }
  });
});
