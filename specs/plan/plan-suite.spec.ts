import { expect } from 'chai';
import { decodeSuiteText, type LoadedSuite } from '../../lib/dsl/decode-suite.js';
import { isLoopback, planSuite, type StepPlan } from '../../lib/plan/plan-suite.js';

function load(yaml: string): LoadedSuite {
  const decoded = decodeSuiteText(yaml, 'jobs.yaml');
  if (decoded._tag === 'Left') throw new Error(decoded.left.map((e) => `${e.line}:${e.col} ${e.message}`).join('\n'));
  return decoded.right;
}

const JOBS = `name: Jobs
vars:
  base: http://127.0.0.1:9
  n: 5
tests:
  - name: Submit and wait
    steps:
      - name: Submit job
        plugin: http
        config:
          method: post
          url: "{{ .vars.base }}/jobs?user={{ .env.USER_NAME }}"
          headers:
            Authorization: "Bearer {{ .secrets.TOKEN }}"
            X-Count: "{{ n }}"
          body:
            size: "{{ .vars.n }}"
            note: "n={{ n }}"
        save:
          - { json_path: .id, as: job_id }
          - { json_path: .owner, as: owner }
      - name: Wait for job
        plugin: http
        config:
          method: GET
          url: "{{ base }}/jobs/{{ job_id }}"
          polling:
            interval: 1s
            timeout: 10s
            max_attempts: 20
            conditions:
              - { type: json_path, path: .status, expected: done }
      - name: Say
        plugin: log
        config: { message: "job {{ job_id }} of {{ owner.name }} at {{ .env.MISSING }}" }
`;

const step = (plan: ReturnType<typeof planSuite>, test: number, index: number): StepPlan => {
  const s = plan.tests[test]?.steps[index];
  if (s === undefined) throw new Error(`no step ${test}/${index}`);
  return s;
};

describe('plan/plan-suite', () => {
  it('renders each request with the vars, --vars and the environment, a placeholder for each saved value and *** for secrets', () => {
    const plan = planSuite(load(JOBS), { vars: { n: 7 }, env: { USER_NAME: 'ann' }, secrets: { TOKEN: 'tok-123456' } });
    const submit = step(plan, 0, 0);
    expect(submit.request).to.deep.equal({
      method: 'POST',
      url: 'http://127.0.0.1:9/jobs?user=ann',
      headers: { Authorization: '***', 'X-Count': '7' }, // --var n wins over the file's n
      body: { size: 7, note: 'n=7' }, // a lone template keeps the value's type, as the runner renders it
      timeoutMs: 30_000,
      savedBy: [],
    });
    const wait = step(plan, 0, 1);
    expect(wait.request?.url).to.equal('http://127.0.0.1:9/jobs/<saved by "Submit job">');
    expect(wait.request?.savedBy).to.deep.equal(['Submit job']);
    // A dotted name under a saved one, and an unset env var.
    expect(step(plan, 0, 2).message).to.equal('job <saved by "Submit job"> of <saved by "Submit job"> at <.env.MISSING is not set>');
  });

  it('masks secrets as a run would: secret-named env vars the suite reads, --secret values wherever they show', () => {
    const yaml = JOBS.replace('?user={{ .env.USER_NAME }}', '?key={{ .env.API_TOKEN }}&v={{ .vars.k }}');
    const plan = planSuite(load(yaml), { env: { API_TOKEN: 'tok-abcdef' }, secrets: { TOKEN: 'tok-123456' }, vars: { k: 'tok-123456' } });
    expect(step(plan, 0, 0).request?.url).to.equal('http://127.0.0.1:9/jobs?key=***&v=***');
    expect(JSON.stringify(plan)).not.to.match(/tok-/);
  });

  it("a poll's settings and schedule, its worst case, and a dead cap flagged at max_attempts' line", () => {
    const wait = step(planSuite(load(JOBS)), 0, 1);
    expect(wait.poll?._tag).to.equal('Known');
    if (wait.poll?._tag !== 'Known') return;
    expect([wait.poll.intervalMs, wait.poll.timeoutMs, wait.poll.maxAttempts, wait.poll.backoffCoefficient]).to.deep.equal([
      1000, 10_000, 20, 1,
    ]);
    expect(wait.poll.schedule.sendTimesMs).to.deep.equal([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000]);
    expect(wait.worstCaseMs).to.equal(10_000);
    expect(wait.flags).to.have.length(1);
    expect(wait.flags[0]).to.include({
      _tag: 'DeadCap',
      level: 'warning',
      line: 30,
      path: 'tests[0].steps[1].config.polling.max_attempts',
      step: 'Wait for job',
    });
    expect(wait.flags[0]?.message).to.match(/^max_attempts 20 can never be reached: the timeout \(10s\) ends the poll after 10 attempts/);
  });

  it('a hint for an interval under 1s against a host that is not this machine; none for loopback or a host known only at run time', () => {
    const fast = (url: string) =>
      step(
        planSuite(load(JOBS.replace('interval: 1s', 'interval: 250ms').replace('"{{ base }}/jobs/{{ job_id }}"', JSON.stringify(url)))),
        0,
        1,
      ).flags.filter((f) => f._tag === 'FastPoll');
    expect(fast('https://api.example.com/jobs/{{ job_id }}')).to.have.length(1);
    expect(fast('https://api.example.com/jobs/{{ job_id }}')[0]).to.include({
      level: 'hint',
      line: 28,
      path: 'tests[0].steps[1].config.polling.interval',
    });
    expect(fast('http://localhost:8080/x')).to.deep.equal([]);
    expect(fast('http://127.0.0.1:8080/x')).to.deep.equal([]);
    expect(fast('http://[::1]:8080/x')).to.deep.equal([]);
    expect(fast('{{ job_id }}/x')).to.deep.equal([]);
    expect(['localhost', 'a.localhost', '127.8.9.1', '[::1]', '::1'].every(isLoopback)).to.equal(true);
    expect(['example.com', '10.0.0.1', '128.0.0.1', 'localhost.example.com'].some(isLoopback)).to.equal(false);
  });

  it('a templated setting: rendered from the vars when it can be, known only at run time when it depends on a save', () => {
    const fromVars = step(planSuite(load(JOBS.replace('max_attempts: 20', 'max_attempts: "{{ .vars.n }}"'))), 0, 1);
    expect(fromVars.poll?._tag === 'Known' && fromVars.poll.maxAttempts).to.equal(5);
    const fromSave = planSuite(load(JOBS.replace('max_attempts: 20', 'max_attempts: "{{ job_id }}"')));
    const wait = step(fromSave, 0, 1);
    expect(wait.poll).to.deep.equal({
      _tag: 'Unknown',
      reason: 'polling.max_attempts "{{ job_id }}" is <saved by "Submit job">',
      timeoutMs: 10_000,
    });
    expect(wait.worstCaseMs).to.equal(10_000); // the deadline still bounds it
    const delayed = planSuite(
      load(
        JOBS.replace(
          '      - name: Say\n',
          '      - { name: Pause, plugin: delay, config: { duration: "{{ job_id }}s" } }\n      - name: Say\n',
        ),
      ),
    );
    expect(step(delayed, 0, 2)).to.include({ worstCaseMs: undefined, unknown: 'duration "{{ job_id }}s" is <saved by "Submit job">' });
    expect(delayed.tests[0]?.worstCase).to.deep.equal({ ms: 40_000, bounded: false });
  });

  it("each step's worst case, retries included, and each test's sum, cleanup included", () => {
    const yaml = `name: s
tests:
  - name: t
    init:
      - { name: i, plugin: delay, config: { duration: 2s } }
    steps:
      - name: get
        plugin: http
        config: { method: GET, url: "http://127.0.0.1:9/x", timeout: 5s }
        retry: { maximum_attempts: 3, initial_interval: 1s, backoff_coefficient: 2 }
      - { name: run, plugin: script, config: { language: javascript, script: "1" } }
      - { name: say, plugin: log, config: { message: hi } }
    cleanup:
      on_failure:
        - { name: c, plugin: delay, config: { duration: 1s } }
`;
    const plan = planSuite(load(yaml));
    const steps = plan.tests[0]?.steps ?? [];
    expect(steps.map((s) => [s.name, s.phase, s.worstCaseMs])).to.deep.equal([
      ['i', 'init', 2000],
      ['get', 'steps', 18_000], // 3 runs of 5s, waits 1s and 2s
      ['run', 'steps', 60_000], // the script default timeout
      ['say', 'steps', 0],
      ['c', 'cleanup_on_failure', 1000],
    ]);
    expect(steps[1]?.retry).to.deep.equal({ maximumAttempts: 3, waitsMs: [1000, 2000] });
    expect(plan.tests[0]?.worstCase).to.deep.equal({ ms: 81_000, bounded: true });
  });

  it('plans only the tests `only` chooses, by name or position; suite init and cleanup always', () => {
    const yaml = `name: s
init: [{ name: boot, plugin: log, config: { message: x } }]
tests:
  - { name: a, steps: [{ name: a1, plugin: log, config: { message: x } }] }
  - { name: b, steps: [{ name: b1, plugin: log, config: { message: x } }] }
cleanup: { always: [{ name: bye, plugin: log, config: { message: x } }] }
`;
    const plan = planSuite(load(yaml), { only: (_, index) => index === 1 });
    expect(plan.tests.map((t) => [t.name, t.index, t.line])).to.deep.equal([['b', 1, 5]]);
    expect(plan.init.map((s) => s.name)).to.deep.equal(['boot']);
    expect(plan.cleanup.map((s) => [s.name, s.phase])).to.deep.equal([['bye', 'suite_cleanup_always']]);
  });
});

describe('plan/plan-suite: sql steps', () => {
  it("a sql step's worst case is its poll's timeout, else its own timeout (default 30s)", () => {
    const sql = (config: string) =>
      `      - { name: q, plugin: sql, config: { driver: sqlite, dsn: ":memory:", commands: ["SELECT 1"]${config} } }\n`;
    const plan = planSuite(
      load(
        `name: s\ntests:\n  - name: t\n    steps:\n${sql('')}${sql(', timeout: 5s')}${sql(', polling: { interval: 1s, timeout: 2m, conditions: [{ type: query_count, expected: 1 }] }')}`,
      ),
    );
    expect([0, 1, 2].map((i) => step(plan, 0, i).worstCaseMs)).to.deep.equal([30_000, 5_000, 120_000]);
  });
});
