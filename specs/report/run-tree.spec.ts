import { expect } from 'chai';
import type { LoadedSuite } from '../../lib/dsl/index.js';
import { consoleReporter } from '../../lib/report/console.js';
import { jsonReporter, type JsonReport } from '../../lib/report/json.js';
import { junitReporter } from '../../lib/report/junit.js';
import { createRunTree } from '../../lib/report/run-tree.js';
import type { RunEvent } from '../../lib/event/run-event.js';
import { fakeResponse, suite } from '../helpers/fake-http.js';
import { childrenNamed, junitProblems, parseXml } from '../helpers/junit-xml.js';
import { runVirtual } from '../helpers/run-virtual.js';
import { Terminal } from './terminal.js';

// The tree that the JSON and JUnit reports fold the run into, fed by runSuite itself: every node
// is keyed by its position (suite file, test index, phase, step index), never by a name.

const call = (name: string, path: 'ok' | 'fail') =>
  `{ name: ${name}, plugin: http, config: { method: GET, url: "http://api/${path}" }, assertions: [{ type: status_code, expected: 200 }] }`;

function runAll(loaded: LoadedSuite): { events: RunEvent[]; json: JsonReport; junit: string; console: string[] } {
  const { events } = runVirtual(loaded, (req, _n, cold) => cold('-r|', { r: fakeResponse(req.url.endsWith('/fail') ? 500 : 200) }));
  const json = jsonReporter();
  const junit = junitReporter();
  const terminal = new Terminal();
  const screen = consoleReporter({ write: terminal.write, tty: false, color: false, verbose: false });
  for (const event of events) [json, junit, screen].forEach((r) => r.next(event));
  [json, junit, screen].forEach((r) => r.complete());
  return { events, json: JSON.parse(json.render()) as JsonReport, junit: junit.render(), console: terminal.screen() };
}

describe('createRunTree', () => {
  it('keeps a suite cleanup on_failure step and an always step apart, each with its own result', () => {
    const { json, junit, console } = runAll(
      suite(`
name: cleanup
tests:
  - { name: t, steps: [${call('bad', 'fail')}] }
cleanup:
  on_failure: [${call('dump', 'fail')}]
  always: [${call('drop', 'ok')}]
`),
    );
    expect(json.suites[0]?.steps.map((s) => [s.phase, s.index, s.name, s.result?._tag])).to.deep.equal([
      ['suite_cleanup_on_failure', 0, 'dump', 'Failed'],
      ['suite_cleanup_always', 0, 'drop', 'Passed'],
    ]);
    const testsuite = childrenNamed(parseXml(junit), 'testsuite')[0]!;
    const out = childrenNamed(testsuite, 'system-out')[0]?.text ?? '';
    expect(out).to.match(/^\[suite cleanup on failure\] \[dump\] failed in 1ms$/m);
    expect(out).to.match(/^\[suite cleanup\] \[drop\] passed in 1ms$/m);
    expect(console).to.include('[cleanup] [suite cleanup on failure] [dump] failed in 1ms');
    expect(console).to.include('[cleanup] [suite cleanup] [drop] passed in 1ms');
  });

  it('keeps two tests of the same name apart in JSON, JUnit and the console, one passing and one failing', () => {
    const { json, junit, console } = runAll(
      suite(`
name: dup
tests:
  - { name: same, steps: [${call('get', 'ok')}] }
  - { name: same, steps: [${call('get', 'fail')}] }
`),
    );
    expect(json.summary).to.deep.equal({ passed: 1, failed: 1, skipped: 0, interrupted: 0, errors: 0, started: true });
    expect(json.suites[0]?.tests.map((t) => [t.name, t.index, t.line, t.result?._tag, t.steps.map((s) => s.result?._tag)])).to.deep.equal([
      ['same', 0, 4, 'Passed', ['Passed']],
      ['same', 1, 5, 'Failed', ['Failed']],
    ]);

    const root = parseXml(junit);
    expect(junitProblems(root)).to.deep.equal([]);
    const testsuite = childrenNamed(root, 'testsuite')[0]!;
    expect(testsuite.attributes).to.deep.include({ tests: '2', failures: '1', errors: '0' });
    const cases = childrenNamed(testsuite, 'testcase');
    expect(cases.map((c) => [c.attributes.name, c.children.map((x) => x.name)])).to.deep.equal([
      ['same', ['system-out']],
      ['same (2)', ['failure', 'system-out']],
    ]);

    expect(console).to.include('[dup] [same] passed in 1ms');
    expect(console).to.include('[dup] [same (2)] [get] failed in 1ms');
    expect(console).to.include('[dup] [same (2)] failed in 1ms at step "get"');
    expect(console).to.include('1 passed, 1 failed, 0 skipped');
  });

  it('keeps steps of the same name apart, and names their attempts apart in JUnit properties', () => {
    const poll = (name: string) =>
      `{ name: ${name}, plugin: http, config: { method: GET, url: "http://api/ok", polling: { interval: 1s, timeout: 1m, conditions: [{ type: status_code, expected: 200 }] } } }`;
    const { json, junit } = runAll(
      suite(`
name: steps
tests:
  - name: t
    steps: [${poll('wait')}, ${poll('wait')}, ${call('check', 'fail')}]
    cleanup:
      always: [${call('check', 'ok')}]
`),
    );
    expect(json.suites[0]?.tests[0]?.steps.map((s) => [s.phase, s.index, s.name, s.result?._tag])).to.deep.equal([
      ['steps', 0, 'wait', 'Passed'],
      ['steps', 1, 'wait', 'Passed'],
      ['steps', 2, 'check', 'Failed'],
      ['cleanup_always', 0, 'check', 'Passed'],
    ]);
    const testcase = childrenNamed(childrenNamed(parseXml(junit), 'testsuite')[0]!, 'testcase')[0]!;
    expect(childrenNamed(testcase, 'properties')[0]?.children.map((p) => p.attributes.name)).to.deep.equal([
      'attempts: wait',
      'attempts: wait (2)',
    ]);
    expect(childrenNamed(testcase, 'failure')[0]?.text).to.match(/^\[check\] failed in 1ms/);
  });

  it('makes a node for a test or step that ends without having started, keyed the same way', () => {
    const tree = createRunTree({ keepAttempts: false });
    const base = { suite: 'S', file: 'f.yaml' } as const;
    tree.add({
      _tag: 'SuiteStarted',
      ref: base,
      tests: [
        { index: 0, name: 'x', line: 3 },
        { index: 1, name: 'x', line: 9 },
      ],
      at: 0,
    });
    tree.add({ _tag: 'TestEnded', ref: { ...base, test: 'x', testIndex: 1 }, result: { _tag: 'Skipped', reason: 'r' }, at: 0 });
    tree.add({
      _tag: 'StepEnded',
      ref: { ...base, test: 'x', testIndex: 1, phase: 'steps', index: 0, step: 's', line: 10 },
      result: { _tag: 'Skipped', reason: 'r' },
      at: 0,
    });
    tree.add({ _tag: 'TestEnded', ref: { ...base, test: 'x', testIndex: 7 }, result: { _tag: 'Skipped', reason: 'unannounced' }, at: 0 });
    expect(tree.suites[0]?.tests.map((t) => [t.index, t.name, t.line, t.result?._tag ?? null, t.steps.length])).to.deep.equal([
      [0, 'x', 3, null, 0],
      [1, 'x', 9, 'Skipped', 1],
      [7, 'x', null, 'Skipped', 0],
    ]);
  });
});
