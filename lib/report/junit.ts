import { formatStepProblem } from '../step/format-step-problem.js';
import { unpassedMessage } from './result-message.js';
import type { StepResult } from '../event/run-event.js';
import { formatStepResult, type TextBlock } from './format-result.js';
import { printableLines } from './printable.js';
import type { DocumentReporter } from './reporter.js';
import { createRunTree, type StepNode, type SuiteNode, type TestNode } from './run-tree.js';
import { runErrorOf, type RunErrorEntry } from './run-error.js';
import { PHASE_NAMES, formatStepLabelInTest } from './step-label.js';
import { uniqueLabels } from './unique-labels.js';
import { makeStyle } from './style.js';
import { xmlAttr, xmlText } from './xml.js';

/**
 * Collects the run into JUnit XML, the format Jenkins, GitLab and GitHub Actions read.
 *
 * - `<testsuites>` holds one `<testsuite>` per suite file (`name`, `tests`, `failures`,
 *   `errors`, `skipped`, `time`, `timestamp`, `file`).
 * - One `<testcase>` per test: `classname` is the suite's name, `name` the test's, `time` its
 *   duration. Times are seconds with three decimals.
 * - In a testcase, in this order: `<properties>` with `attempts: <step>` for each step that
 *   polled or made several requests; then, for a failed test, `<failure message type>` with the
 *   failing step's message and details (a step that could not run, e.g. an undefined variable,
 *   gives `<error type="Errored">` instead); `<error type="Interrupted">` for an interrupted
 *   test or one the run stopped before it ended; `<skipped message>` for a skipped test or one
 *   that never ran; then `<system-out>` with one line per step and every log line.
 * - A failed suite init (which skips every test) adds a testcase named `(suite init)` with the
 *   error, so that CI does not show a suite of skipped tests as green. Suite cleanup lines go
 *   to the testsuite's `<system-out>`; like test cleanup, they do not fail anything.
 * - Tests that share a name stay separate testcases, and the later ones get a numbered name:
 *   `Get user`, `Get user (2)` (see `uniqueLabels`). CI tools identify a testcase by `classname`
 *   and `name` alone (GitLab keeps only one of two alike, even with different `file`
 *   attributes; Jenkins and the GitHub Actions reporters merge their history), and the common
 *   JUnit XSD has no attribute for a position, so only the name can keep them apart. Property
 *   names (`attempts: <step>`) are numbered the same way when two steps of a test share a name.
 * - A run that stopped on an error or never started (`error()` given a `RunError`, e.g. a suite
 *   file that does not decode) adds a testsuite per file to blame (named after the file; for
 *   problems with no file, `(command line)`, `(input)` or `(internal error)`) with a testcase
 *   per problem, named `file:line:col`, holding `<error type="InputError|UsageError|InternalError"
 *   message="file:line:col: message">` and the error as printed on stderr.
 *
 * Text is escaped for XML, and characters XML 1.0 cannot hold (most control characters) are
 * replaced by U+FFFD. Only the count and the last attempt of each step are kept in memory.
 * `render()` works at any time, so an interrupted run still gets a report.
 *
 * @example
 * const junit = junitReporter();
 * runSuite(suite, options).pipe(tap(junit)).subscribe({ complete: () => writeFileSync('junit.xml', junit.render()) });
 * // <?xml version="1.0" encoding="UTF-8"?>
 * // <testsuites name="rocketship-rx" tests="2" failures="1" errors="0" time="301.300">
 * //   <testsuite name="Async Operations" tests="2" failures="1" errors="0" skipped="0" time="301.300" timestamp="2025-01-01T12:00:00" file="rocketship.yaml">
 * //     <testcase name="Job Processing" classname="Async Operations" time="1.300">
 * //       <properties>
 * //         <property name="attempts: Wait for job completion" value="4"/>
 * //       </properties>
 * //       <system-out>[Wait for job completion] passed after 4 attempts in 1.2s ...
 */
export function junitReporter(): DocumentReporter {
  const tree = createRunTree({ keepAttempts: false });
  const errors: RunErrorEntry[] = [];
  let errorAt: number | undefined;
  return {
    next: (event) => tree.add(event),
    error(error) {
      const stopped = runErrorOf(error);
      errors.push(...stopped.entries);
      errorAt ??= stopped.at;
    },
    complete() {},
    render() {
      const span = tree.tally.span();
      const suites = [...tree.suites.map(renderSuite), ...renderRunErrors(errors, errorAt ?? span?.lastAt ?? 0)];
      const root = element(
        'testsuites',
        [
          ['name', 'rocketship-rx'],
          ['tests', sum(suites, 'tests')],
          ['failures', sum(suites, 'failures')],
          ['errors', sum(suites, 'errors')],
          ['time', seconds(span === undefined ? 0 : span.lastAt - span.firstAt)],
        ],
        suites.flatMap((suite) => suite.xml),
      );
      return `<?xml version="1.0" encoding="UTF-8"?>\n${root.join('\n')}\n`;
    },
  };
}

const ERROR_TYPES = { input: 'InputError', usage: 'UsageError', internal: 'InternalError' } as const;
const UNPLACED = { input: '(input)', usage: '(command line)', internal: '(internal error)' } as const;

// The problems of a run that stopped or never started: a testsuite per file (or per kind, for
// problems with no file), in the order first seen, a testcase with an <error> per problem.
function renderRunErrors(errors: readonly RunErrorEntry[], at: number): Array<Counts & { readonly xml: string[] }> {
  const groups = new Map<string, RunErrorEntry[]>();
  for (const entry of errors) {
    const key = entry.file ?? UNPLACED[entry.kind];
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [entry]);
    else group.push(entry);
  }
  return [...groups].map(([name, entries]) => {
    const cases = entries.flatMap((entry) => {
      const where =
        entry.file === undefined ? undefined : entry.line === undefined ? entry.file : `${entry.file}:${entry.line}:${entry.col ?? 1}`;
      const message = where === undefined ? entry.message : `${where}: ${entry.message}`;
      return element(
        'testcase',
        [
          ['name', where ?? name],
          ['classname', name],
          ['time', seconds(0)],
        ],
        textElement(
          'error',
          [
            ['message', summary(message)],
            ['type', ERROR_TYPES[entry.kind]],
          ],
          entry.details ?? message,
        ),
      );
    });
    const attributes: Attributes = [
      ['name', name],
      ['tests', entries.length],
      ['failures', 0],
      ['errors', entries.length],
      ['skipped', 0],
      ['time', seconds(0)],
      ['timestamp', timestamp(at)],
      ...(entries[0]?.file === undefined ? [] : ([['file', entries[0].file]] as const)),
    ];
    return { tests: entries.length, failures: 0, errors: entries.length, skipped: 0, xml: element('testsuite', attributes, cases) };
  });
}

interface Counts {
  readonly tests: number;
  readonly failures: number;
  readonly errors: number;
  readonly skipped: number;
}

type Outcome =
  | { readonly _tag: 'failure' | 'error'; readonly message: string; readonly type: string; readonly details: string }
  | { readonly _tag: 'skipped'; readonly message: string }
  | { readonly _tag: 'none' };

const PLAIN = makeStyle(false);

function renderSuite(suite: SuiteNode): Counts & { readonly xml: string[] } {
  const init = suite.steps.filter((step) => step.phase === 'suite_init');
  const initFailed = init.find((step) => isBad(step.result));
  const names = uniqueLabels([...suite.tests.map((test) => test.name), ...(initFailed === undefined ? [] : ['(suite init)'])]);
  const cases = suite.tests.map((test, i) =>
    renderTestCase(suite.name, names[i] ?? test.name, durationOf(test), outcomeOf(test), test.steps),
  );
  if (initFailed !== undefined) {
    const duration = init.reduce((total, step) => total + stepDuration(step.result), 0);
    cases.push(renderTestCase(suite.name, names[suite.tests.length] ?? '(suite init)', duration, stepOutcome(initFailed), init));
  }
  const counts: Counts = {
    tests: cases.length,
    failures: cases.filter((c) => c.outcome === 'failure').length,
    errors: cases.filter((c) => c.outcome === 'error').length,
    skipped: cases.filter((c) => c.outcome === 'skipped').length,
  };
  // A failed init already shows in its testcase; the suite's own output keeps the rest.
  const out = systemOut(initFailed === undefined ? suite.steps : suite.steps.filter((step) => step.phase !== 'suite_init'));
  const xml = element(
    'testsuite',
    [
      ['name', suite.name],
      ['tests', counts.tests],
      ['failures', counts.failures],
      ['errors', counts.errors],
      ['skipped', counts.skipped],
      ['time', seconds(suite.result?.durationMs ?? suite.lastAt - suite.startedAt)],
      ['timestamp', timestamp(suite.startedAt)],
      ['file', suite.file],
    ],
    [...cases.flatMap((c) => c.xml), ...(out === undefined ? [] : textElement('system-out', [], out))],
  );
  return { ...counts, xml };
}

function renderTestCase(
  suite: string,
  name: string,
  durationMs: number,
  outcome: Outcome,
  steps: readonly StepNode[],
): { outcome: Outcome['_tag']; xml: string[] } {
  const counted = steps.filter(polled);
  const propertyNames = uniqueLabels(counted.map((step) => `attempts: ${stepName(step)}`));
  const properties = counted.map((step, i) =>
    element('property', [
      ['name', propertyNames[i] ?? ''],
      ['value', attemptsOf(step)],
    ]).join(''),
  );
  const out = systemOut(steps);
  const children = [
    ...(properties.length === 0 ? [] : element('properties', [], properties)),
    ...(outcome._tag === 'none'
      ? []
      : outcome._tag === 'skipped'
        ? element('skipped', [['message', outcome.message]])
        : textElement(
            outcome._tag,
            [
              ['message', outcome.message],
              ['type', outcome.type],
            ],
            outcome.details,
          )),
    ...(out === undefined ? [] : textElement('system-out', [], out)),
  ];
  return {
    outcome: outcome._tag,
    xml: element(
      'testcase',
      [
        ['name', name],
        ['classname', suite],
        ['time', seconds(durationMs)],
      ],
      children,
    ),
  };
}

function outcomeOf(test: TestNode): Outcome {
  const { result } = test;
  if (result === null) {
    return test.started
      ? {
          _tag: 'error',
          type: 'Interrupted',
          message: 'the run stopped before this test ended',
          details: stepDetails(test.steps.filter((step) => step.result === null)),
        }
      : { _tag: 'skipped', message: 'not run' };
  }
  switch (result._tag) {
    case 'Passed':
      return { _tag: 'none' };
    case 'Skipped':
      return { _tag: 'skipped', message: result.reason };
    case 'Interrupted':
      return {
        _tag: 'error',
        type: 'Interrupted',
        message: summary(result.reason),
        details: stepDetails(test.steps.filter((step) => step.result?._tag === 'Interrupted')) || result.reason,
      };
    case 'Failed': {
      // The step the result points at (phase and index: names may repeat); any failed step if
      // that one was not reported.
      const failing =
        test.steps.find((step) => step.phase === result.stepPhase && step.index === result.stepIndex) ??
        test.steps.find((step) => isBad(step.result));
      if (failing === undefined)
        return {
          _tag: 'failure',
          type: 'Failed',
          message: summary(formatStepProblem(result.cause)),
          details: `[${result.step}] failed\n${formatStepProblem(result.cause)}`,
        };
      const outcome = stepOutcome(failing);
      return outcome._tag === 'failure' ? { ...outcome, message: summary(formatStepProblem(result.cause)) } : outcome;
    }
  }
}

// A failed, errored or interrupted step as a failure or error element.
function stepOutcome(step: StepNode): Outcome {
  const result = step.result;
  const tag = result?._tag ?? 'Interrupted';
  const message =
    result === null
      ? 'did not end'
      : result._tag === 'Failed' || result._tag === 'Errored' || result._tag === 'Interrupted'
        ? unpassedMessage(result)
        : '';
  return { _tag: tag === 'Failed' ? 'failure' : 'error', type: tag, message: summary(message), details: stepDetails([step]) };
}

// The console's lines for these steps, without the suite and test, plus the last request.
function stepDetails(steps: readonly StepNode[]): string {
  return steps
    .flatMap((step) => {
      const lines = stepLines(step);
      const last = step.lastAttempt;
      if (last === null) return lines;
      const outcome = last.outcome._tag === 'Response' ? `status ${last.outcome.status}` : `${last.outcome.code}: ${last.outcome.message}`;
      return [...lines, `    last request: ${last.request.method} ${last.request.url} -> ${outcome}`];
    })
    .join('\n');
}

// One line per step (with its logs before it), as in the console without colours.
function systemOut(steps: readonly StepNode[]): string | undefined {
  const lines = steps.flatMap((step) => [
    ...step.logs.flatMap((message) => indentRest(`${label(step)} log: `, printableLines(message))),
    ...stepLines(step),
  ]);
  return lines.length === 0 ? undefined : `${lines.join('\n')}\n`;
}

function stepLines(step: StepNode): string[] {
  const block: TextBlock = step.result === null ? { head: 'did not end', details: [] } : formatStepResult(step.result, PLAIN);
  return [`${label(step)} ${block.head}`, ...block.details.map((line) => `    ${line}`)];
}

function label(step: StepNode): string {
  return formatStepLabelInTest({ phase: step.phase, step: step.name });
}

function stepName(step: StepNode): string {
  return step.phase === 'steps' ? step.name : `${PHASE_NAMES[step.phase]}: ${step.name}`;
}

// A step that polled, or made more than one request (retries).
function polled(step: StepNode): boolean {
  const last = step.lastAttempt;
  return attemptsOf(step) > 1 || (last !== null && (last.timeoutMs !== undefined || last.maxAttempts !== undefined));
}

function attemptsOf(step: StepNode): number {
  const result = step.result;
  return result !== null && (result._tag === 'Passed' || result._tag === 'Failed')
    ? Math.max(result.attempts, step.attemptCount)
    : step.attemptCount;
}

function isBad(result: StepResult | null): boolean {
  return result !== null && (result._tag === 'Failed' || result._tag === 'Errored' || result._tag === 'Interrupted');
}

function durationOf(test: TestNode): number {
  const result = test.result;
  if (result !== null && result._tag !== 'Skipped') return result.durationMs;
  return test.steps.reduce((total, step) => total + stepDuration(step.result), 0);
}

function stepDuration(result: StepResult | null): number {
  return result === null || result._tag === 'Skipped' ? 0 : result.durationMs;
}

function indentRest(head: string, lines: readonly string[]): string[] {
  return lines.map((line, i) => (i === 0 ? `${head}${line}` : `    ${line}`));
}

// A message attribute on one line: the message's lines trimmed and joined, cut at 500 characters
// (the element's text holds the whole message).
function summary(text: string): string {
  const line = printableLines(text)
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .join(' ');
  return line.length > 500 ? `${line.slice(0, 499)}…` : line;
}

type Attributes = ReadonlyArray<readonly [string, string | number]>;

// An element as lines: `<name a="1"/>`, or open tag, indented children, close tag.
function element(name: string, attributes: Attributes, children: readonly string[] = []): string[] {
  const open = `<${name}${attributes.map(([key, value]) => ` ${key}="${xmlAttr(String(value))}"`).join('')}`;
  if (children.length === 0) return [`${open}/>`];
  return [`${open}>`, ...children.map(indent), `</${name}>`];
}

// An element with text content; the text is kept as is (not indented), only escaped.
function textElement(name: string, attributes: Attributes, text: string): string[] {
  const [open = ''] = element(name, attributes);
  return [`${open.slice(0, -2)}>${xmlText(text)}</${name}>`];
}

function indent(line: string): string {
  return `  ${line}`;
}

function sum(items: readonly Counts[], key: keyof Counts): number {
  return items.reduce((total, item) => total + item[key], 0);
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

// The JUnit schema's timestamp: ISO 8601 without zone (UTC here), e.g. 2025-01-01T12:00:00.
function timestamp(at: number): string {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? '1970-01-01T00:00:00' : date.toISOString().slice(0, 19);
}
