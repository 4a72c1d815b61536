import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunPlan } from '../../lib/plan/plan-run.js';
import { startLocalServer, type LocalServer } from '../helpers/local-server.js';
import { ROOT, runCli } from '../helpers/run-cli.js';

/** `rocketship plan` as a process (issue 14, part 3): what a run would do, and proof that nothing is sent or run. */
describe('cli/plan-command (process)', function () {
  this.timeout(30_000);
  let server: LocalServer;
  let dir: string;

  before(async () => {
    server = await startLocalServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"j-1","status":"done"}'),
    );
    dir = mkdtempSync(join(tmpdir(), 'rocketship-plan-'));
  });
  beforeEach(() => server.reset());
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  /** Submit, then poll for the job, against the counting server; a script that would leave a marker file. */
  const suite = (): string =>
    write(
      'jobs.yaml',
      `name: Jobs
init:
  - name: Marker
    plugin: script
    config: { language: shell, script: "touch ${join(dir, 'ran')}" }
tests:
  - name: Submit and wait
    steps:
      - name: Submit job
        plugin: http
        config:
          method: POST
          url: "{{ .vars.base }}/jobs?owner={{ .env.OWNER }}"
          headers: { Authorization: "Bearer {{ .secrets.TOKEN }}", X-Tier: "{{ .vars.tier }}" }
          body: { data: x }
        save: [{ json_path: .id, as: job_id }]
      - name: Wait for job
        plugin: http
        config:
          method: GET
          url: "{{ .vars.base }}/jobs/{{ job_id }}"
          polling:
            interval: 1s
            backoff_coefficient: 2
            max_interval: 4s
            timeout: 20s
            max_attempts: 12
            conditions: [{ type: json_path, path: .status, expected: done }]
  - name: Health
    steps:
      - { name: ping, plugin: http, config: { method: GET, url: "{{ .vars.base }}/health", timeout: 2s } }
`,
    );

  it('prints each request rendered (vars, --var-file, --env-file), placeholders, masked secrets, the schedule and the worst cases; sends nothing, runs no script', async () => {
    const file = suite();
    const vars = write('vars.yaml', `base: ${server.url}\ntier: gold\n`);
    const env = write('.env', 'OWNER=ann\n');
    const r = await runCli(['plan', file, '--var-file', vars, '--env-file', env, '--secret', 'TOKEN=tok-secret-1', '--concurrency', '1'], {
      cwd: dir,
    });
    expect(r.stderr).to.equal('');
    expect(r.code).to.equal(0);
    expect(r.stdout).to.contain(`POST ${server.url}/jobs?owner=ann\n`);
    expect(r.stdout).to.contain('Authorization: ***\n');
    expect(r.stdout).to.contain('X-Tier: gold\n');
    expect(r.stdout).to.contain(`GET ${server.url}/jobs/<saved by "Submit job">\n`);
    expect(r.stdout).to.contain('poll: interval 1s, backoff_coefficient 2, max_interval 4s, timeout 20s, max_attempts 12\n');
    expect(r.stdout).to.contain('sends at 0s, 1s, 3s, 7s, 11s, 15s, 19s: 7 attempts, then the timeout ends the poll\n');
    expect(r.stdout).to.contain('warning: max_attempts 12 can never be reached');
    expect(r.stdout).not.to.contain('hint:'); // a fast interval against 127.0.0.1 is no concern, and 1s is not fast
    // One slot: init (script timeout 1m) + 30s + 20s, then 2s.
    expect(r.stdout).to.contain(
      'Worst case of the run: 1m52s at --concurrency 1 (1 suite, 2 tests, 4 steps). 1 warning, 0 hints. Nothing was sent.\n',
    );
    expect(r.stdout).not.to.contain('tok-secret-1');
    expect(server.requests).to.equal(0);
    expect(server.connections).to.equal(0);
    expect(existsSync(join(dir, 'ran'))).to.equal(false);
  });

  it('--format json: the plan as data, for tools (worst case at --concurrency, flags, send times)', async () => {
    const file = suite();
    const r = await runCli(['plan', file, '--var', `base=${server.url}`, '--var', 'tier=x', '--format', 'json'], { env: { OWNER: 'bob' } });
    expect(r.code).to.equal(0);
    const plan = JSON.parse(r.stdout) as RunPlan;
    expect(plan.concurrency).to.equal(8);
    expect(plan.worstCase).to.deep.equal({ ms: 110_000, bounded: true }); // init 60s, then the longer test (50s)
    const wait = plan.suites[0]?.tests[0]?.steps[1];
    expect(wait?.poll?._tag === 'Known' && wait.poll.schedule.sendTimesMs).to.deep.equal([0, 1000, 3000, 7000, 11_000, 15_000, 19_000]);
    expect(plan.flags.map((f) => [f._tag, f.level, f.line])).to.deep.equal([['DeadCap', 'warning', 27]]);
    expect(plan.suites[0]?.tests[0]?.steps[0]?.request?.headers).to.deep.equal({ Authorization: '***', 'X-Tier': 'x' });
    expect(server.requests).to.equal(0);
  });

  it('--test plans only the tests chosen; the hint for an interval under 1s against a remote host', async () => {
    const file = suite();
    const r = await runCli(['plan', file, '--var', 'base=https://api.example.com', '--var', 'tier=x', '--test', 'Health'], {
      env: { OWNER: 'bob' },
    });
    expect(r.code).to.equal(0);
    expect(r.stdout).to.contain('test "Health"');
    expect(r.stdout).not.to.contain('Submit and wait');
    const fast = write(
      'fast.yaml',
      `name: f\ntests:\n  - name: t\n    steps:\n      - name: w\n        plugin: http\n        config:\n          method: GET\n          url: https://api.example.com/x\n          polling: { interval: 200ms, timeout: 5s, conditions: [{ type: status_code, expected: 200 }] }\n`,
    );
    const hinted = await runCli(['plan', fast]);
    expect(hinted.stdout).to.contain('hint: interval 200ms polls api.example.com more than once a second');
    expect(hinted.code).to.equal(0);
  });

  it('bad input is exit 2 as for run (a template naming an undefined var, a missing file); an unset .env.X is a warning and a placeholder', async () => {
    const file = suite();
    const r = await runCli(['plan', file, '--var', `base=${server.url}`], { env: { OWNER: 'bob' } });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/jobs\.yaml:\d+:\d+: undefined variable "\.vars\.tier"/);
    expect(r.stdout).to.equal('');
    const missing = await runCli(['plan', join(dir, 'nope.yaml')]);
    expect([missing.code, missing.stderr]).to.deep.equal([2, `no such file: ${join(dir, 'nope.yaml')}\n`]);
    const unset = await runCli(['plan', file, '--var', `base=${server.url}`, '--var', 'tier=x'], { env: { OWNER: undefined } });
    expect(unset.code).to.equal(0);
    expect(unset.stderr).to.contain('warning: the environment variable OWNER is not set');
    expect(unset.stdout).to.contain('/jobs?owner=<.env.OWNER is not set>');
    expect(server.requests).to.equal(0);
  });

  it('usage: --format must be text or json; plan --help', async () => {
    const wrong = await runCli(['plan', '--format', 'yaml']);
    expect([wrong.code, wrong.stderr]).to.deep.equal([2, 'rocketship: option --format: expected text or json, got "yaml"\n']);
    const help = await runCli(['plan', '--help']);
    expect(help.code).to.equal(0);
    expect(help.stdout).to.match(/^Usage: rocketship plan/);
    expect((await runCli(['--help'])).stdout).to.contain('rocketship plan [FILE...]');
  });

  it("the README's example is what the command prints", async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /```\n\$ rocketship plan (.*)\n([\s\S]*?)```/.exec(readme);
    expect(block, 'a plan example in the README').not.to.equal(null);
    const args = [...(block?.[1] ?? '').matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
    const r = await runCli(['plan', ...args]);
    expect(r.code).to.equal(0);
    expect(r.stdout).to.equal(block?.[2]);
  });
});
