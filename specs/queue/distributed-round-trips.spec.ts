import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { runCli } from '../helpers/run-cli.js';
import { skipWithoutRedis, startRedis, type LocalRedis } from '../helpers/redis-server.js';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';
import { SPEC_QUEUE_KEY, startWorkerProcess, stopWorker, type WorkerProcess } from '../helpers/worker-process.js';

describe('distributed runs: Redis round trips of a test', function () {
  skipWithoutRedis(this);
  this.timeout(60_000);
  let redis: LocalRedis;
  let worker: WorkerProcess;
  let server: LocalServer;
  let client: Redis;
  let dir: string;
  let polls = 0;

  before(async () => {
    redis = await startRedis();
    client = new Redis(redis.url);
    dir = mkdtempSync(join(tmpdir(), 'rocketship-round-trips-'));
    server = await startLocalServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/status') polls += 1;
      res.end(JSON.stringify({ status: polls >= 5 ? 'done' : 'running' }));
    });
    worker = await startWorkerProcess(redis.url, { concurrency: 1 });
  });
  after(async () => {
    await stopWorker(worker);
    client.disconnect();
    await server.close();
    await redis.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('events and checkpoint share one round trip (one script call): at most one per step plus one per poll attempt', async () => {
    const url = server.url;
    const file = join(dir, 'trips.yaml');
    writeFileSync(
      file,
      'name: trips\ntests:\n  - name: t\n    steps:\n' +
        `      - { name: create, plugin: http, config: { method: POST, url: "${url}/create" } }\n` +
        `      - name: wait\n        plugin: http\n        config:\n          method: GET\n          url: "${url}/status"\n` +
        '          polling:\n            interval: 200ms\n            timeout: 30s\n            conditions: [{ type: json_path, path: .status, expected: done }]\n' +
        `      - { name: finish, plugin: http, config: { method: GET, url: "${url}/finish" } }\n`,
    );
    // A first run loads the scripts (BullMQ's and ours) into this Redis: not counted.
    const warmUp = await runCli(['run', '-f', file, '--redis', redis.url], { env: { ROCKETSHIP_QUEUE_KEY: SPEC_QUEUE_KEY } });
    expect(warmUp.code, warmUp.stdout + warmUp.stderr).to.equal(0);
    polls = 0;
    // Every command a client sends (not those a script runs), as Redis saw it.
    const sent: string[][] = [];
    const monitor = await client.monitor();
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      if (source !== 'lua') sent.push(args);
    });
    const result = await runCli(['run', '-f', file, '--redis', redis.url], { env: { ROCKETSHIP_QUEUE_KEY: SPEC_QUEUE_KEY } });
    await new Promise((r) => setTimeout(r, 200)); // the last lines of MONITOR
    monitor.disconnect();
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    const runId = /^RUN_ID ([0-9a-f]+)/m.exec(result.stderr)?.[1];
    const stream = `rocketship:rocketship:run:${runId}:events`;
    const batches = await client.xlen(stream);
    const name = (args: string[]) => (args[0] ?? '').toLowerCase();
    // Our script's calls: EVALSHA of 3 keys, the first the run's stream.
    const ours = sent.filter((a) => ['evalsha', 'eval'].includes(name(a)) && a[2] === '3' && a[3] === stream);
    const scripts = sent.filter((a) => ['evalsha', 'eval'].includes(name(a)));
    const counts = JSON.stringify({
      batches,
      polls,
      ours: ours.length,
      scripts: scripts.length,
      multi: sent.filter((a) => name(a) === 'multi').length,
    });
    const budget = 3 + polls; // three steps, five poll attempts
    // Every batch of events (an entry of the run's stream) went with its checkpoint, in one call of our script...
    expect(batches, counts).to.be.at.least(3);
    expect(ours.length, counts).to.equal(batches);
    expect(batches, counts).to.be.at.most(budget);
    // ...which writes the checkpoint in the job (a field beside BullMQ's) and nothing else goes with a MULTI.
    expect(
      ours.every((a) => a[11] === 'rocketship:checkpoint'),
      counts,
    ).to.equal(true);
    expect(
      sent.filter((a) => name(a) === 'multi'),
      counts,
    ).to.deep.equal([]);
    // The other scripts are BullMQ's bookkeeping (add, take and finish the job, renew its lock), not per step or attempt.
    expect(scripts.length - ours.length, counts).to.be.below(budget);
  });
});
