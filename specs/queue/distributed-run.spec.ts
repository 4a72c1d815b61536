import { expect } from 'chai';
import { Ajv } from 'ajv';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startExampleApi, type ExampleApi } from '../../examples/api/server.js';
import { ROOT, runCli } from '../helpers/run-cli.js';
import { SPEC_QUEUE_KEY, startWorkerProcess, stopWorker, type WorkerProcess } from '../helpers/worker-process.js';
import { skipWithoutRedis, startRedis, type LocalRedis } from '../helpers/redis-server.js';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';

const KEY = SPEC_QUEUE_KEY;

/** What must be the same in a local and a distributed run's JSON report: per test, per step, what came of it. */
function outline(report: any): unknown {
  return report.suites.map((s: any) => ({
    name: s.name,
    result: s.result?._tag,
    tests: s.tests.map((t: any) => ({
      name: t.name,
      result: t.result?._tag ?? t.status,
      // A poll's attempt count depends on when it ran (the example jobs finish after a time): not compared.
      steps: (t.steps ?? []).map((st: any) => ({
        name: st.name,
        phase: st.phase,
        result: st.result?._tag,
        ...(st.attempts.some((a: any) => a.timeoutMs !== undefined && a.timeoutMs !== null) ? {} : { attempts: st.attempts.length }),
      })),
    })),
  }));
}

describe('distributed runs (rocketship run --redis, rocketship worker)', function () {
  skipWithoutRedis(this);
  this.timeout(120_000);
  let redis: LocalRedis;
  let api: ExampleApi;
  let workers: WorkerProcess[] = [];
  let dir: string;

  before(async () => {
    redis = await startRedis();
    api = await startExampleApi({ port: 0 });
    dir = mkdtempSync(join(tmpdir(), 'rocketship-queue-'));
    workers = [await startWorkerProcess(redis.url), await startWorkerProcess(redis.url)];
  });
  after(async () => {
    await Promise.all(workers.map(stopWorker));
    await api?.close();
    await redis?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const examples = readdirSync(join(ROOT, 'examples'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'api')
    .map((d) => d.name)
    .sort();

  for (const name of examples) {
    it(`examples/${name}: the same results, report and requests as a local run`, async () => {
      const file = join(ROOT, 'examples', name, 'rocketship.yaml');
      const common = ['run', '-f', file, '--var', `api_url=${api.url}`];
      const before = api.stats();
      const local = await runCli([...common, '--report', `json=${join(dir, `${name}-local.json`)}`]);
      const middle = api.stats();
      const queued = await runCli([...common, '--redis', redis.url, '--report', `json=${join(dir, `${name}-queued.json`)}`], {
        env: { ROCKETSHIP_QUEUE_KEY: KEY },
      });
      const after = api.stats();
      expect(queued.code, queued.stderr).to.equal(local.code);
      expect(queued.stderr).to.match(/^RUN_ID [0-9a-f]{12} /m);
      const localReport = JSON.parse(readFileSync(join(dir, `${name}-local.json`), 'utf8'));
      const queuedReport = JSON.parse(readFileSync(join(dir, `${name}-queued.json`), 'utf8'));
      expect(outline(queuedReport)).to.deep.equal(outline(localReport));
      const workerNames = workers.map((w) => w.name());
      for (const suite of queuedReport.suites) for (const test of suite.tests) expect(workerNames).to.include(test.worker);
      for (const suite of localReport.suites) for (const test of suite.tests) expect(test).not.to.have.property('worker');
      // The same requests, route by route (the server counts them), polled GETs apart (their count depends on timing).
      const delta = (a: Record<string, number>, b: Record<string, number>) =>
        Object.fromEntries(
          Object.keys(b)
            .filter((k) => !k.startsWith('GET '))
            .map((k) => [k, (b[k] ?? 0) - (a[k] ?? 0)])
            .filter(([, n]) => n !== 0),
        );
      expect(delta(middle.byRoute, after.byRoute)).to.deep.equal(delta(before.byRoute, middle.byRoute));
    });
  }

  it('refuses a run with secrets and no ROCKETSHIP_QUEUE_KEY: exit 2, nothing enqueued, why said', async () => {
    const file = join(dir, 'secret.yaml');
    writeFileSync(
      file,
      `name: secret\ntests:\n  - name: t\n    steps:\n      - name: s\n        plugin: http\n        config: { method: GET, url: "${api.url}/health", headers: { Authorization: "Bearer {{ .secrets.TOKEN }}" } }\n`,
    );
    const before = api.stats().requests;
    const result = await runCli(['run', '-f', file, '--secret', 'TOKEN=t0p-s3cret-value', '--redis', redis.url], {
      env: { ROCKETSHIP_QUEUE_KEY: undefined },
    });
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include('is not sent to the queue without ROCKETSHIP_QUEUE_KEY: it is given --secret values');
    expect(result.stderr).not.to.include('t0p-s3cret-value');
    expect(api.stats().requests).to.equal(before);
  });

  it('Redis unreachable at start: exit 2, the URL with its password masked', async () => {
    const closed = await startLocalServer(() => undefined);
    const port = closed.port;
    await closed.close();
    const result = await runCli([
      'run',
      '-f',
      join(ROOT, 'examples/chaining/rocketship.yaml'),
      '--redis',
      `redis://user:hunter22@127.0.0.1:${port}`,
    ]);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include(`cannot reach Redis at redis://user:***@127.0.0.1:${port}`);
    expect(result.stderr).not.to.include('hunter22');
  });

  it('a worker exits 0 on SIGTERM', async () => {
    const extra = await startWorkerProcess(redis.url);
    expect(await stopWorker(extra)).to.equal(0);
  });

  describe('durability: a worker killed with SIGKILL', () => {
    let server: LocalServer;
    let polls = 0;
    let created = 0;
    let finished = 0;
    let pollTimes: number[] = [];
    before(async () => {
      server = await startLocalServer((req, res) => {
        res.setHeader('content-type', 'application/json');
        if (req.url === '/create') {
          created += 1;
          return res.end('{"id":"j1"}');
        }
        if (req.url === '/status') {
          polls += 1;
          pollTimes.push(Date.now());
          return res.end(JSON.stringify({ status: polls >= 6 ? 'done' : 'running' }));
        }
        if (req.url === '/finish') {
          finished += 1;
          return res.end('{}');
        }
        res.statusCode = 404;
        res.end('{}');
      });
    });
    after(() => server.close());
    beforeEach(() => {
      polls = 0;
      created = 0;
      finished = 0;
      pollTimes = [];
    });

    /** The worker that took a test named `t` since `marks` (each worker's stderr length then). */
    const holder = (marks: Map<WorkerProcess, number>) =>
      workers.find((w) =>
        w
          .stderr()
          .slice(marks.get(w) ?? 0)
          .includes(': t\n'),
      );
    const markWorkers = () => new Map(workers.map((w) => [w, w.stderr().length]));

    const suite = (steps: string) => {
      const file = join(dir, `durable-${Math.random().toString(16).slice(2)}.yaml`);
      writeFileSync(file, `name: durable\ntests:\n  - name: t\n    steps:\n${steps}`);
      return file;
    };

    it('mid-poll (at attempt 3): another worker resumes; finished steps sent once, one poll request more at most, deadline held; its events say so', async () => {
      const url = server.url;
      const file = suite(
        `      - { name: create, plugin: http, config: { method: POST, url: "${url}/create" } }\n` +
          `      - name: wait\n        plugin: http\n        config:\n          method: GET\n          url: "${url}/status"\n          polling:\n            interval: 1s\n            timeout: 40s\n            conditions: [{ type: json_path, path: .status, expected: done }]\n` +
          `      - { name: finish, plugin: http, config: { method: GET, url: "${url}/finish" } }\n`,
      );
      const report = join(dir, 'durable.json');
      let killed: WorkerProcess | undefined;
      const marks = markWorkers();
      const watch = setInterval(() => {
        if (killed !== undefined || polls < 3) return;
        // The worker that said it took the test is the one running it.
        killed = holder(marks);
        killed?.child.kill('SIGKILL');
      }, 5);
      const result = await runCli(['run', '-f', file, '--redis', redis.url, '--report', `json=${report}`], {
        env: { ROCKETSHIP_QUEUE_KEY: KEY },
      });
      clearInterval(watch);
      expect(
        killed,
        `a worker was killed; the run said ${result.stdout}${result.stderr}; workers said:\n${workers.map((w) => w.stderr()).join('\n')}`,
      ).not.to.equal(undefined);
      expect(result.code, result.stdout + result.stderr).to.equal(0);
      expect(created).to.equal(1);
      expect(finished).to.equal(1);
      // Without the kill the poll takes 6 requests; the one in flight at the kill may be sent again.
      expect(polls).to.be.within(6, 7);
      const json = JSON.parse(readFileSync(report, 'utf8'));
      const test = json.suites[0].tests[0];
      expect(test.resumed).to.deep.include({ fromWorker: killed?.name(), atStep: 'wait' });
      expect(test.resumed.attempt).to.be.within(2, 3);
      expect(test.worker).not.to.equal(killed?.name());
      // The console says so too, once.
      const said = `resumed on ${test.worker} after ${killed?.name()} stopped, at step "wait", poll attempt`;
      expect(result.stdout.split(said).length - 1, result.stdout).to.equal(1);
      // Every event the resuming worker sent carries the resume; those the killed worker sent
      // before it (create, and the poll's attempts it checkpointed) do not, and come first.
      const stepEvents = json.events.filter((e: any) => ['StepStarted', 'AttemptMade', 'LogEmitted', 'StepEnded'].includes(e._tag));
      const firstResumed = stepEvents.findIndex((e: any) => e.resumed !== undefined);
      expect(firstResumed, JSON.stringify(stepEvents)).to.be.above(0);
      expect(stepEvents.slice(0, firstResumed).every((e: any) => e.resumed === undefined)).to.equal(true);
      for (const e of stepEvents.slice(firstResumed)) expect(e.resumed, JSON.stringify(e)).to.deep.equal(test.resumed);
      const before = stepEvents.slice(0, firstResumed);
      expect(before.filter((e: any) => e._tag === 'StepEnded').map((e: any) => e.ref.step)).to.deep.equal(['create']);
      expect(before.filter((e: any) => e._tag === 'AttemptMade' && e.ref.step === 'wait')).to.have.length(test.resumed.attempt);
      const after = stepEvents.slice(firstResumed);
      expect(after.filter((e: any) => e._tag === 'StepEnded').map((e: any) => e.ref.step)).to.deep.equal(['wait', 'finish']);
      expect(json.events.find((e: any) => e._tag === 'TestEnded').resumed).to.deep.equal(test.resumed);
      // The report, resumes and all, is what docs/json-report.schema.json says.
      const ajv = new Ajv({ allErrors: true, strict: true });
      ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'docs/json-report.schema.json'), 'utf8')) as object);
      expect(validate(json), JSON.stringify(validate.errors?.slice(0, 5))).to.equal(true);
      // The deadline is absolute: the poll's elapsed time counts from its first request, not from the resume.
      const wait = test.steps.find((s: any) => s.name === 'wait');
      const lastAttempt = wait.attempts.at(-1);
      // 6 requests end the poll; the attempt in flight at the kill (its answer lost) was sent again under its number.
      expect(lastAttempt.number).to.equal(polls - (3 - test.resumed.attempt));
      expect(lastAttempt.elapsedMs).to.be.at.least((pollTimes.at(-1) as number) - (pollTimes[0] as number) - 50);
      // replace the killed worker for the specs that follow
      workers = [...workers.filter((w) => w !== killed), await startWorkerProcess(redis.url)];
    });

    it('between steps: another worker resumes at the next step; the finished step is not sent again', async () => {
      const url = server.url;
      const file = suite(
        `      - { name: create, plugin: http, config: { method: POST, url: "${url}/create" } }\n` +
          `      - { name: pause, plugin: delay, config: { duration: 2s } }\n` +
          `      - { name: finish, plugin: http, config: { method: GET, url: "${url}/finish" } }\n`,
      );
      const report = join(dir, 'between.json');
      let killed: WorkerProcess | undefined;
      const marks = markWorkers();
      let createdAt: number | undefined;
      // Half a second into the 2s pause: `create` has ended and been checkpointed.
      const watch = setInterval(() => {
        if (killed !== undefined || created < 1) return;
        createdAt ??= Date.now();
        if (Date.now() - createdAt < 500) return;
        killed = holder(marks);
        killed?.child.kill('SIGKILL');
      }, 5);
      const result = await runCli(['run', '-f', file, '--redis', redis.url, '--report', `json=${report}`], {
        env: { ROCKETSHIP_QUEUE_KEY: KEY },
      });
      clearInterval(watch);
      expect(killed).not.to.equal(undefined);
      expect(result.code, result.stdout + result.stderr).to.equal(0);
      expect(created).to.equal(1);
      expect(finished).to.equal(1);
      const test = JSON.parse(readFileSync(report, 'utf8')).suites[0].tests[0];
      expect(test.resumed).to.deep.include({ fromWorker: killed?.name(), attempt: 0 });
      expect(['pause', 'finish']).to.include(test.resumed.atStep);
      workers = [...workers.filter((w) => w !== killed), await startWorkerProcess(redis.url)];
    });
  });
});
