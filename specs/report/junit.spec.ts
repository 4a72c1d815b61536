import { expect } from 'chai';
import { from, tap } from 'rxjs';
import { junitReporter } from '../../lib/report/junit.js';
import type { RunEvent } from '../../lib/event/run-event.js';
import {
  SUITE,
  attempt,
  attemptMade,
  concurrentSuite,
  failingSuite,
  inFile,
  initFailedSuite,
  interruptedSuite,
  logEmitted,
  passed,
  passingSuite,
  ref,
  stepEnded,
  stepStarted,
  suiteStarted,
  testEnded,
  testStarted,
  tests,
  failedAt,
  failure,
  type TestId,
} from './fixtures.js';
import { childrenNamed, junitProblems, parseXml, type XmlElement } from '../helpers/junit-xml.js';

function render(events: readonly RunEvent[]): string {
  const reporter = junitReporter();
  for (const event of events) reporter.next(event);
  reporter.complete();
  return reporter.render();
}

/** Renders, parses (throws if not well-formed) and checks the JUnit shape. */
function parse(events: readonly RunEvent[]): XmlElement {
  const xml = render(events);
  const root = parseXml(xml);
  expect(junitProblems(root), xml).to.deep.equal([]);
  return root;
}

function only(element: XmlElement | undefined, name: string): XmlElement {
  const found = element === undefined ? [] : childrenNamed(element, name);
  expect(found, `one <${name}> in <${element?.name}>`).to.have.length(1);
  return found[0]!;
}

const suitesOf = (root: XmlElement) => childrenNamed(root, 'testsuite');
const casesOf = (suite: XmlElement | undefined) => (suite === undefined ? [] : childrenNamed(suite, 'testcase'));

describe('junitReporter', () => {
  describe('the checker used by these specs', () => {
    it('rejects documents that are not well-formed', () => {
      // libxml2's messages
      expect(() => parseXml('<a><b></a></b>')).to.throw(/Opening and ending tag mismatch/);
      expect(() => parseXml('<a x="1" x="2"/>')).to.throw(/Attribute x redefined/);
      expect(() => parseXml('<a>AT&T</a>')).to.throw(/EntityRef: expecting ';'/);
      expect(() => parseXml('<a>&nbsp;</a>')).to.throw(/Entity 'nbsp' not defined/);
      expect(() => parseXml('<a x="<"/>')).to.throw(/Unescaped '<' not allowed in attributes values/);
      expect(() => parseXml('<a>\x1b</a>')).to.throw(/invalid Char value 27/);
      expect(() => parseXml('<a>&#27;</a>')).to.throw(/invalid xmlChar value 27/);
      expect(() => parseXml('<a/><b/>')).to.throw(/Extra content at the end of the document/);
      expect(parseXml('<?xml version="1.0"?>\n<a x="1&#10;2&quot;">t &amp; <b/>u</a>\n')).to.deep.equal({
        name: 'a',
        attributes: { x: '1\n2"' },
        children: [{ name: 'b', attributes: {}, children: [], text: '' }],
        text: 't & u',
      });
    });

    it('validates against the JUnit schema: unknown elements and attributes, required attributes, the order of elements', () => {
      const bad = parseXml(
        '<testsuites tests="1" failures="0" errors="0" time="0.000" color="red">' +
          '<testsuite tests="1" failures="0" errors="0" skipped="0" time="0.000" timestamp="2025-01-01T00:00:00">' +
          '<testcase name="t" classname="s" time="0.000"><system-out/><properties><property name="p" value="v"/></properties></testcase>' +
          '</testsuite></testsuites>',
      );
      expect(junitProblems(bad)).to.deep.equal([
        "line 1: Element 'testsuites', attribute 'color': The attribute 'color' is not allowed.",
        "line 1: Element 'testsuite': The attribute 'name' is required but missing.",
        "line 1: Element 'properties': This element is not expected. Expected is one of ( system-out, system-err ).",
      ]);
      const unknown = parseXml('<testsuites tests="0" failures="0" errors="0" time="0.000"><screenshot/></testsuites>');
      expect(junitProblems(unknown)).to.deep.equal([
        "line 1: Element 'screenshot': This element is not expected. Expected is ( testsuite ).",
      ]);
    });

    it('rejects counts that do not match, missing attributes and misplaced elements', () => {
      const bad = parseXml(
        '<testsuites tests="1" failures="0" errors="0" time="1">' +
          '<testsuite name="s" tests="2" failures="0" errors="0" skipped="0" time="0.000" timestamp="2025-01-01T00:00:00">' +
          '<testcase name="t" time="0.000"><system-out/><failure message="m"/></testcase>' +
          '</testsuite></testsuites>',
      );
      expect(junitProblems(bad)).to.deep.equal([
        // the schema (jenkins-junit.xsd)
        "line 1: Element 'failure': This element is not expected. Expected is one of ( system-out, system-err ).",
        // rocketship-rx's contract beyond it
        '<testsuites time="1"> does not match /^\\d+\\.\\d{3}$/',
        '<testcase> lacks classname',
        'testsuite s tests="2" but counted 1',
        'testsuite s failures="0" but counted 1',
        'testsuites failures="0" but counted 1',
      ]);
    });
  });

  it('writes one testsuite per file and one testcase per test, with counts, times in seconds and a timestamp', () => {
    const root = parse([...inFile(passingSuite(), 'a.yaml', 'Passing'), ...failingSuite()]);
    expect(root.attributes).to.deep.include({ name: 'rocketship-rx', tests: '3', failures: '1', errors: '0' });
    const [first, second] = suitesOf(root);
    expect(first?.attributes).to.deep.equal({
      name: 'Passing',
      tests: '1',
      failures: '0',
      errors: '0',
      skipped: '0',
      time: '1.300',
      timestamp: '2025-01-01T12:00:00',
      file: 'a.yaml',
    });
    expect(second?.attributes).to.deep.equal({
      name: SUITE,
      tests: '2',
      failures: '1',
      errors: '0',
      skipped: '0',
      time: '2.060',
      timestamp: '1970-01-01T00:00:00',
      file: 'examples/async-operations/rocketship.yaml',
    });
    expect(casesOf(second).map((c) => c.attributes)).to.deep.equal([
      { name: 'Deployment', classname: SUITE, time: '2.050' },
      { name: 'Health', classname: SUITE, time: '0.010' },
    ]);
  });

  it('puts the attempts of polled steps in properties, and steps and logs in system-out', () => {
    const [testcase] = casesOf(suitesOf(parse(passingSuite()))[0]);
    // "Create job" made one request without polling: no property.
    expect(only(testcase, 'properties').children.map((p) => p.attributes)).to.deep.equal([
      { name: 'attempts: Wait for job completion', value: '4' },
    ]);
    expect(only(testcase, 'system-out').text).to.equal(
      '[Create job] passed in 35ms\n[Announce] log: job 42 created\n[Announce] passed in 0s\n[Wait for job completion] passed after 4 attempts in 1.2s\n',
    );
    expect(testcase?.children.map((c) => c.name)).to.deep.equal(['properties', 'system-out']);
  });

  it('gives a failed test a <failure> with the step message and its details; skipped steps and cleanup in system-out', () => {
    const [deployment, health] = casesOf(suitesOf(parse(failingSuite()))[0]);
    const failure = only(deployment, 'failure');
    expect(failure.attributes).to.deep.equal({
      message: 'polling exceeded maximum attempts (3) json_path .status: expected "ready", actual "rolling"',
      type: 'Failed',
    });
    expect(failure.text).to.equal(
      [
        '[Wait for rollout] failed after 3 attempts in 2s',
        '    polling exceeded maximum attempts (3)',
        '      json_path .status: expected "ready", actual "rolling"',
        '    last request: GET http://127.0.0.1:3000/jobs/42 -> status 200',
      ].join('\n'),
    );
    expect(only(deployment, 'properties').children.map((p) => p.attributes)).to.deep.equal([
      { name: 'attempts: Wait for rollout', value: '3' },
    ]);
    expect(only(deployment, 'system-out').text).to.include(
      '[Check version] skipped: step "Wait for rollout" failed\n[cleanup on failure] [Dump logs] log: deployment stuck\n    see dashboard\n',
    );
    expect(health?.children.map((c) => c.name)).to.deep.equal(['system-out']);
  });

  it('gives a test whose step could not run an <error type="Errored">', () => {
    const suite = suitesOf(parse(concurrentSuite()))[0];
    expect(suite?.attributes).to.deep.include({ tests: '2', failures: '0', errors: '1' });
    const error = only(casesOf(suite)[1], 'error');
    expect(error.attributes).to.deep.equal({ message: 'undefined variable "job_id" available: api_url', type: 'Errored' });
    expect(error.text).to.include('[Poll B] errored in 1s\n    undefined variable "job_id"\n    available: api_url');
  });

  it('gives an interrupted test an <error type="Interrupted"> and a test that did not run <skipped>', () => {
    const suite = suitesOf(parse(interruptedSuite()))[0];
    expect(suite?.attributes).to.deep.include({ tests: '2', failures: '0', errors: '1', skipped: '1' });
    const [long, never] = casesOf(suite);
    expect(only(long, 'error').attributes).to.deep.equal({ message: 'interrupted (SIGINT)', type: 'Interrupted' });
    expect(only(long, 'system-out').text).to.include('[cleanup] [Cancel job] passed in 20ms');
    expect(only(never, 'skipped').attributes).to.deep.equal({ message: 'run interrupted' });
  });

  it('turns a failed suite init into a (suite init) testcase, so a suite of skipped tests does not look green', () => {
    const suite = suitesOf(parse(initFailedSuite()))[0];
    expect(suite?.attributes).to.deep.include({ tests: '3', failures: '1', errors: '0', skipped: '2' });
    const cases = casesOf(suite);
    expect(cases.map((c) => c.attributes.name)).to.deep.equal(['One', 'Two', '(suite init)']);
    expect(only(cases[0], 'skipped').attributes.message).to.equal('suite init step "Log in" did not pass');
    expect(only(cases[2], 'failure').attributes.message).to.equal('1 assertion failed: status_code: expected 200, actual 401');
    expect(only(suite, 'system-out').text).to.equal('[suite cleanup] [Drop fixtures] passed in 5ms\n');
  });

  it('renders a run cut off mid-way: a started test is an error, a test never started is skipped', () => {
    const root = parse(concurrentSuite().slice(0, 9));
    const suite = suitesOf(root)[0];
    expect(suite?.attributes).to.deep.include({ tests: '2', errors: '2', time: '0.500' });
    const running = only(casesOf(suite)[0], 'error');
    expect(running.attributes).to.deep.equal({ message: 'the run stopped before this test ended', type: 'Interrupted' });
    expect(running.text).to.equal('[Poll A] did not end\n    last request: GET http://127.0.0.1:3000/jobs/42 -> status 200');

    const [first, second] = tests('First', 'Second') as [TestId, TestId];
    const notStarted = suitesOf(parse([suiteStarted([first, second], 0), testStarted(first, 0)]))[0];
    expect(casesOf(notStarted).map((c) => c.children.map((x) => [x.name, x.attributes.message]))).to.deep.equal([
      [['error', 'the run stopped before this test ended']],
      [['skipped', 'not run']],
    ]);
  });

  it('renders an empty run as an empty, valid <testsuites>', () => {
    expect(render([])).to.equal(
      '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="rocketship-rx" tests="0" failures="0" errors="0" time="0.000"/>\n',
    );
    parse([]);
  });

  it('escapes markup and quotes, and replaces characters XML 1.0 cannot hold', () => {
    const name = `a <b> & "c" 'd' ]]> \x00\x1b \uD800 \uFFFF`;
    const test = { name, index: 0 };
    const step = { ...ref(test, 'step\x01 <x>', 0), suite: `S&"<>` };
    const events: RunEvent[] = [
      { ...suiteStarted([test], 0), ref: { file: step.file, suite: step.suite } },
      { ...testStarted(test, 0), ref: { file: step.file, suite: step.suite, test: name, testIndex: 0 } },
      stepStarted(step, 0),
      logEmitted(step, 'body: <html>&nbsp;</html>\x00\x1b[31m ]]>\ttab', 0),
      attemptMade(step, attempt(1, { status: 500 }), 5),
      stepEnded(step, { _tag: 'Failed', durationMs: 5, attempts: 1, checks: [], cause: failure('got "<500>" &\nbody \x0b\uDC00 end') }, 5),
      {
        ...testEnded(test, failedAt(step, 5, 'got "<500>" &\nbody \x0b\uDC00 end'), 5),
        ref: { file: step.file, suite: step.suite, test: name, testIndex: 0 },
      },
    ];
    const xml = render(events);
    expect(xml).not.to.match(/[\x00-\x08\x0b\x0c\x0e-\x1f]/);
    const root = parse(events);
    const suite = suitesOf(root)[0];
    expect(suite?.attributes.name).to.equal('S&"<>');
    const testcase = casesOf(suite)[0];
    expect(testcase?.attributes).to.deep.include({ name: `a <b> & "c" 'd' ]]> \uFFFD\uFFFD \uFFFD \uFFFD`, classname: 'S&"<>' });
    // Messages go through the console's printable form first: control characters become visible.
    expect(only(testcase, 'failure').attributes.message).to.equal('got "<500>" & body \\x0b\uFFFD end');
    expect(only(testcase, 'system-out').text).to.include('[step\\x01 <x>] log: body: <html>&nbsp;</html>\\x00\\x1b[31m ]]>\ttab');
  });

  it('keeps a newline in an attribute as a character reference', () => {
    const xml = render(inFile(initFailedSuite(), 'a.yaml', 'two\nlines'));
    expect(xml).to.include('name="two&#10;lines"');
    expect(suitesOf(parseXml(xml))[0]?.attributes.name).to.equal('two\nlines');
  });

  it('counts attempts of a step that made several requests without polling (retry), not of a single request', () => {
    const [t] = tests('T') as [TestId];
    const step = ref(t, 'Flaky', 0);
    const events: RunEvent[] = [
      suiteStarted([t], 0),
      testStarted(t, 0),
      stepStarted(step, 0),
      attemptMade(step, attempt(1, { status: 503 }), 0),
      attemptMade(step, attempt(1, { status: 200 }), 100),
      stepEnded(step, passed(100, 2), 100),
      testEnded(t, { _tag: 'Passed', durationMs: 100 }, 100),
    ];
    const testcase = casesOf(suitesOf(parse(events))[0])[0];
    expect(only(testcase, 'properties').children.map((p) => p.attributes)).to.deep.equal([{ name: 'attempts: Flaky', value: '2' }]);
  });

  it('works with tap(reporter), and can render while the run is going', () => {
    const reporter = junitReporter();
    const seen: string[] = [];
    from(failingSuite())
      .pipe(tap(reporter))
      .subscribe((event) => {
        if (event._tag === 'TestEnded') seen.push(reporter.render());
      });
    expect(seen).to.have.length(2);
    for (const xml of seen) expect(junitProblems(parseXml(xml))).to.deep.equal([]);
    expect(seen[0]).to.include('<testcase name="Health" classname="Async Operations" time="0.000">\n      <skipped message="not run"/>');
  });
});
