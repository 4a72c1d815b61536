import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/run-cli.js';
import { skipWithoutRedis, startRedis, type LocalRedis } from '../helpers/redis-server.js';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';
import { SPEC_QUEUE_KEY, startWorkerProcess, stopWorker, type WorkerProcess } from '../helpers/worker-process.js';

describe('distributed runs: run --concurrency N with --redis', function () {
  skipWithoutRedis(this);
  this.timeout(60_000);
  let redis: LocalRedis;
  let workers: WorkerProcess[];
  let server: LocalServer;
  let dir: string;
  let inFlight = 0;
  let peak = 0;
  let file: string;

  before(async () => {
    redis = await startRedis();
    dir = mkdtempSync(join(tmpdir(), 'rocketship-concurrency-'));
    // Each request is answered after 400 ms: the server sees how many tests are running at once.
    server = await startLocalServer((_req, res) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight -= 1;
        res.end('{}');
      }, 400);
    });
    // Room for 6 tests at once on the workers.
    workers = await Promise.all([startWorkerProcess(redis.url, { concurrency: 3 }), startWorkerProcess(redis.url, { concurrency: 3 })]);
    file = join(dir, 'six.yaml');
    const tests = [1, 2, 3, 4, 5, 6].map(
      (n) => `  - name: t${n}\n    steps:\n      - { name: s, plugin: http, config: { method: GET, url: "${server.url}/t${n}" } }\n`,
    );
    writeFileSync(file, `name: six\ntests:\n${tests.join('')}`);
  });
  beforeEach(() => {
    peak = 0;
  });
  after(async () => {
    await Promise.all(workers.map(stopWorker));
    await server.close();
    await redis.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('given: at most N tests of the run are in flight across the workers', async () => {
    const result = await runCli(['run', '-f', file, '--redis', redis.url, '--concurrency', '2'], {
      env: { ROCKETSHIP_QUEUE_KEY: SPEC_QUEUE_KEY },
    });
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(peak).to.equal(2);
  });

  it("not given: every test is enqueued at once, the workers' own --concurrency bounds them", async () => {
    const result = await runCli(['run', '-f', file, '--redis', redis.url], { env: { ROCKETSHIP_QUEUE_KEY: SPEC_QUEUE_KEY } });
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(peak).to.be.above(2);
  });
});
