import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { runCli } from '../helpers/run-cli.js';
import { skipWithoutRedis, startRedis, type LocalRedis } from '../helpers/redis-server.js';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';
import { SPEC_QUEUE_KEY, startWorkerProcess, stopWorker, type WorkerProcess } from '../helpers/worker-process.js';

/** Calls per command since the server started (`INFO commandstats`). */
async function commandCalls(client: Redis): Promise<Record<string, number>> {
  const info = await client.info('commandstats');
  return Object.fromEntries([...info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].map((m) => [m[1] as string, Number(m[2])]));
}

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

  it('events and checkpoint share one round trip (a MULTI): at most one per step plus one per poll attempt', async () => {
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
    // A first run loads BullMQ's scripts into this Redis (an EVAL each, the first time): not counted.
    const warmUp = await runCli(['run', '-f', file, '--redis', redis.url], { env: { ROCKETSHIP_QUEUE_KEY: SPEC_QUEUE_KEY } });
    expect(warmUp.code, warmUp.stdout + warmUp.stderr).to.equal(0);
    polls = 0;
    const before = await commandCalls(client);
    const result = await runCli(['run', '-f', file, '--redis', redis.url], { env: { ROCKETSHIP_QUEUE_KEY: SPEC_QUEUE_KEY } });
    const after = await commandCalls(client);
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    const delta = (name: string) => (after[name] ?? 0) - (before[name] ?? 0);
    const budget = 3 + polls; // three steps, five poll attempts
    const runId = /^RUN_ID ([0-9a-f]+)/m.exec(result.stderr)?.[1];
    const batches = await client.xlen(`rocketship:rocketship:run:${runId}:events`);
    const counts = JSON.stringify({ batches, polls, exec: delta('exec'), eval: delta('eval'), evalsha: delta('evalsha') });
    // Every batch of events (an entry of the run's stream) went with its checkpoint (an EVAL that sets it in the job)...
    expect(batches, counts).to.be.at.least(3);
    expect(delta('eval'), counts).to.be.at.least(batches);
    expect(batches, counts).to.be.at.most(budget);
    // ...in one MULTI each: one round trip per batch.
    expect(delta('exec'), counts).to.be.at.most(batches + 1);
    // No checkpoint through BullMQ's own updateData (an EVALSHA round trip of its own) any more: the
    // EVALSHAs left are BullMQ's bookkeeping (take the job, renew its lock, finish it), not per step.
    expect(delta('evalsha'), counts).to.be.below(budget);
  });
});
