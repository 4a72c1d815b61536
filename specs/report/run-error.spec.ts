import { expect } from 'chai';
import { jsonReporter, type JsonReport } from '../../lib/report/json.js';
import { junitReporter } from '../../lib/report/junit.js';
import { RunError, runErrorOf, type RunErrorEntry } from '../../lib/report/run-error.js';
import { childrenNamed, junitProblems, parseXml, type XmlElement } from '../helpers/junit-xml.js';
import { passingSuite, T0 } from './fixtures.js';

const DECODE: RunErrorEntry = {
  kind: 'input',
  file: 'suites/a.yaml',
  line: 2,
  col: 8,
  path: 'tests',
  message: 'expected a list of tests, found a map',
  details: 'suites/a.yaml:2:8: expected a list of tests, found a map\n  at tests\n  |\n2 | tests: {}\n  |        ^',
};
const SECOND_IN_A: RunErrorEntry = { kind: 'input', file: 'suites/a.yaml', line: 5, col: 3, message: 'unknown key "stepz" <& "quoted">' };
const IN_B: RunErrorEntry = { kind: 'input', file: 'suites/b.yaml', line: 1, col: 1, message: 'it is a named pipe, not a regular file' };
const NO_FILE: RunErrorEntry = { kind: 'input', message: '--var-file vars.yaml: no such file' };

describe('report/run-error: reports of a run that stopped or never started', () => {
  it('runErrorOf: a RunError as it is; anything else one internal entry, message only', () => {
    const given = new RunError([DECODE], { started: false, at: T0 });
    expect(runErrorOf(given)).to.equal(given);
    expect(runErrorOf(new TypeError('x is undefined'))).to.include({ started: true });
    expect(runErrorOf(new TypeError('x is undefined')).entries).to.deep.equal([{ kind: 'internal', message: 'TypeError: x is undefined' }]);
    expect(runErrorOf(new Error('boom')).entries).to.deep.equal([{ kind: 'internal', message: 'boom' }]);
    expect(runErrorOf('a string').entries).to.deep.equal([{ kind: 'internal', message: 'a string' }]);
    expect(given.message).to.equal('suites/a.yaml:2:8: expected a list of tests, found a map');
  });

  describe('JSON', () => {
    it('a run that never started: errors listed, summary.started false, no suites', () => {
      const json = jsonReporter();
      json.error(new RunError([DECODE, NO_FILE], { started: false, at: T0 }));
      const report = JSON.parse(json.render()) as JsonReport;
      expect(report.summary).to.deep.equal({ passed: 0, failed: 0, skipped: 0, interrupted: 0, errors: 2, started: false });
      expect(report.errors).to.deep.equal([DECODE, NO_FILE]);
      expect(report.suites).to.deep.equal([]);
      expect(report.startedAt).to.equal(null);
    });

    it('a run that stopped on an internal error: what ran, and the error', () => {
      const json = jsonReporter();
      for (const event of passingSuite()) json.next(event);
      json.error(new Error('out of memory'));
      const report = JSON.parse(json.render()) as JsonReport;
      expect(report.summary).to.include({ passed: 1, errors: 1, started: true });
      expect(report.errors).to.deep.equal([{ kind: 'internal', message: 'out of memory' }]);
      expect(report.suites).to.have.length(1);
    });

    it('a run with no error: errors empty, started true', () => {
      const json = jsonReporter();
      for (const event of passingSuite()) json.next(event);
      json.complete();
      const report = JSON.parse(json.render()) as JsonReport;
      expect(report.errors).to.deep.equal([]);
      expect(report.summary).to.include({ errors: 0, started: true });
    });
  });

  describe('JUnit', () => {
    function parse(reporter: ReturnType<typeof junitReporter>): XmlElement {
      const xml = reporter.render();
      const root = parseXml(xml);
      expect(junitProblems(root), xml).to.deep.equal([]);
      return root;
    }
    const cases = (suite: XmlElement | undefined) => childrenNamed(suite as XmlElement, 'testcase');

    it('a testsuite per file to blame, a testcase with an <error> per problem, at file:line:col', () => {
      const junit = junitReporter();
      junit.error(new RunError([DECODE, IN_B, SECOND_IN_A, NO_FILE], { started: false, at: T0 }));
      const root = parse(junit);
      expect(root.attributes).to.include({ tests: '4', failures: '0', errors: '4' });
      const suites = childrenNamed(root, 'testsuite');
      expect(suites.map((s) => [s.attributes.name, s.attributes.file, s.attributes.tests, s.attributes.errors])).to.deep.equal([
        ['suites/a.yaml', 'suites/a.yaml', '2', '2'],
        ['suites/b.yaml', 'suites/b.yaml', '1', '1'],
        ['(input)', undefined, '1', '1'],
      ]);
      expect(suites[0]?.attributes.timestamp).to.equal('2025-01-01T12:00:00');
      const [decode, second] = cases(suites[0]);
      expect(decode?.attributes).to.include({ name: 'suites/a.yaml:2:8', classname: 'suites/a.yaml' });
      const error = childrenNamed(decode as XmlElement, 'error')[0];
      expect(error?.attributes).to.deep.equal({ message: 'suites/a.yaml:2:8: expected a list of tests, found a map', type: 'InputError' });
      // The element's text is the error as printed on stderr, source line and caret included.
      expect(error?.text).to.equal(DECODE.details);
      expect(childrenNamed(second as XmlElement, 'error')[0]?.attributes.message).to.equal(
        'suites/a.yaml:5:3: unknown key "stepz" <& "quoted">',
      );
      const unplaced = cases(suites[2])[0];
      expect(unplaced?.attributes.name).to.equal('(input)');
      expect(childrenNamed(unplaced as XmlElement, 'error')[0]?.attributes).to.deep.equal({
        message: '--var-file vars.yaml: no such file',
        type: 'InputError',
      });
    });

    it('a usage error: a (command line) testsuite with a UsageError', () => {
      const junit = junitReporter();
      junit.error(new RunError([{ kind: 'usage', message: 'unknown option --bogus for "run"' }], { started: false, at: T0 }));
      const suites = childrenNamed(parse(junit), 'testsuite');
      expect(suites.map((s) => s.attributes.name)).to.deep.equal(['(command line)']);
      expect(childrenNamed(cases(suites[0])[0] as XmlElement, 'error')[0]?.attributes).to.deep.equal({
        message: 'unknown option --bogus for "run"',
        type: 'UsageError',
      });
    });

    it('an internal error mid-run: the suites that ran, then an (internal error) testsuite', () => {
      const junit = junitReporter();
      for (const event of passingSuite()) junit.next(event);
      junit.error(new Error('boom'));
      const root = parse(junit);
      expect(childrenNamed(root, 'testsuite').map((s) => s.attributes.name)).to.deep.equal(['Async Operations', '(internal error)']);
      expect(root.attributes).to.include({ errors: '1' });
    });
  });
});
