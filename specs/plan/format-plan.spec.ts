import { expect } from 'chai';
import { decodeSuiteText, type LoadedSuite } from '../../lib/dsl/decode-suite.js';
import { formatPlan } from '../../lib/plan/format-plan.js';
import { planRun } from '../../lib/plan/plan-run.js';
import { planSuite } from '../../lib/plan/plan-suite.js';

function load(yaml: string): LoadedSuite {
  const decoded = decodeSuiteText(yaml, '/work/suites/jobs.yaml');
  if (decoded._tag === 'Left') throw new Error(decoded.left.map((e) => `${e.line}:${e.col} ${e.message}`).join('\n'));
  return decoded.right;
}

const YAML = `name: Jobs
init:
  - { name: Boot, plugin: log, config: { message: "starting {{ .vars.base }}" } }
tests:
  - name: Submit and wait
    steps:
      - name: Submit job
        plugin: http
        config:
          method: POST
          url: "{{ .vars.base }}/jobs"
          headers: { Content-Type: application/json }
          body: { data: x }
        save: [{ json_path: .id, as: job_id }]
      - name: Wait for job
        plugin: http
        config:
          method: GET
          url: "https://api.example.com/jobs/{{ job_id }}"
          polling:
            interval: 500ms
            backoff_coefficient: 2
            max_interval: 4s
            timeout: 20s
            max_attempts: 12
            conditions: [{ type: status_code, expected: 200 }]
        retry: { maximum_attempts: 2 }
    cleanup:
      always:
        - { name: Tidy, plugin: script, config: { language: shell, file: tidy.sh } }
vars:
  base: http://127.0.0.1:8080
`;

describe('plan/format-plan', () => {
  it('writes each suite, test and step with what it sends, its poll schedule, worst cases, flags, then the run', () => {
    const text = formatPlan(planRun([planSuite(load(YAML))], { concurrency: 4 }), { cwd: '/work' });
    expect(text).to.equal(
      [
        'suites/jobs.yaml [Jobs]',
        '  suite init: worst case 0s',
        '    1. Boot (line 3) · log · worst case 0s',
        '       message: starting http://127.0.0.1:8080',
        '  test "Submit and wait" (line 5): worst case 2m11s',
        '    1. Submit job (line 7) · http · worst case 30s',
        '       POST http://127.0.0.1:8080/jobs',
        '       Content-Type: application/json',
        '       body: {"data":"x"}',
        '    2. Wait for job (line 15) · http poll · worst case 41s',
        '       GET https://api.example.com/jobs/<saved by "Submit job">',
        '       poll: interval 500ms, backoff_coefficient 2, max_interval 4s, timeout 20s, max_attempts 12',
        '       sends at 0s, 500ms, 1.5s, 3.5s, 7.5s, 11.5s, 15.5s, 19.5s: 8 attempts, then the timeout ends the poll',
        '       retry: up to 2 runs, waiting 1s between them',
        '       warning: max_attempts 12 can never be reached: the timeout (20s) ends the poll after 8 attempts at most, even with instant responses; lower max_attempts to 8, or raise the timeout',
        '       hint: interval 500ms polls api.example.com more than once a second; against a server that is not this machine, 1s or more (or a backoff_coefficient) is kinder',
        '    3. Tidy (line 30) [cleanup always] · script · worst case 1m0s',
        '       shell file tidy.sh, timeout 1m0s (not run by plan)',
        '',
        'Worst case of the run: 2m11s at --concurrency 4 (1 suite, 1 test, 4 steps). 1 warning, 1 hint. Nothing was sent.',
        '',
      ].join('\n'),
    );
  });

  it('cuts a long schedule to its first send times and its last; says "at least" when a worst case waits for the run', () => {
    const long = YAML.replace('max_attempts: 12', 'max_attempts: 100')
      .replace('backoff_coefficient: 2', 'backoff_coefficient: 1')
      .replace('timeout: 20s', 'timeout: 1m');
    const text = formatPlan(planRun([planSuite(load(long))]), { sendTimes: 3 });
    expect(text).to.contain('sends at 0s, 500ms, 1s, … 49.5s: 100 attempts, then max_attempts ends the poll');
    const unknown = YAML.replace('timeout: 20s', 'timeout: "{{ job_id }}s"');
    const plan = formatPlan(planRun([planSuite(load(unknown))]));
    expect(plan).to.contain('poll: its schedule is known only at run time: polling.timeout "{{ job_id }}s" is <saved by "Submit job">');
    expect(plan).to.contain('worst case known at run time (polling.timeout "{{ job_id }}s" is <saved by "Submit job">)');
    expect(plan).to.contain('Worst case of the run: at least 1m30s');
  });
});
