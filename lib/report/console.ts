import type { AttemptRecord, RunEvent, StepRef, SuiteRef } from '../event/run-event.js';
import { isStepError, type StepProblem } from '../step/step-failure.js';
import { formatStepProblemLine } from '../step/format-step-problem.js';
import { formatAttemptDetails, formatAttemptHead, formatAttemptProgress } from './format-attempt.js';
import { formatDuration } from '../operators/format-duration.js';
import { formatStepResult, formatSuiteResult, formatTestResult, type TextBlock } from './format-result.js';
import { oneLine, printableLines } from './printable.js';
import type { Reporter } from './reporter.js';
import { createRunTally } from './run-tally.js';
import { bracket, formatStepLabel, PHASE_NAMES, stepLabelParts } from './step-label.js';
import { makeStyle, type Style } from './style.js';
import { uniqueLabels } from './unique-labels.js';

/** What the console reporter needs; the CLI decides each field (from `isTTY`, `NO_COLOR`, `-v`). */
export interface ConsoleReporterConfig {
  /** Receives the output. Every call carries whole lines (each ending in `\n`), never a part of one. */
  readonly write: (text: string) => void;
  /**
   * `true`: a live block at the bottom shows each running test (redrawn with ANSI cursor moves).
   * `false` (CI, pipes, files): plain lines only, never a cursor move.
   */
  readonly tty: boolean;
  /**
   * ANSI colours (green passed, red failed, yellow skipped, dim details). Independent of `tty`:
   * the CLI should pass `tty && !NO_COLOR && !--no-color` (or `true` when colour is forced).
   */
  readonly color: boolean;
  /** `true`: print every attempt with its request, response and conditions, and each start. */
  readonly verbose: boolean;
  /** Terminal width for the live block (lines are cut to fit so that redraws stay exact). Default 80. */
  readonly columns?: number | undefined;
  /** Terminal height; the live block keeps below it (default: at most 20 lines). */
  readonly rows?: number | undefined;
  /**
   * `true`: print only the recap of what did not pass and the summary, no line per suite, test,
   * step or log (a terminal's live block still shows while the run goes). Default `false`.
   */
  readonly quiet?: boolean | undefined;
  /**
   * Without `tty`: every this many ms of a step's run, a line says it is still running, and for a
   * poll where it stands (`still polling: attempt 3/30 · 503 · next in 2.4s · 7.2s of 5m0s`),
   * so that a CI log shows a long poll is alive and what it gets. Printed by `tick`; 0 (the
   * default) prints none. Ignored with `tty`: the live block shows the same.
   */
  readonly heartbeatMs?: number | undefined;
  /** The working directory: a recap's `file:line` under it is printed relative to it. */
  readonly cwd?: string | undefined;
}

/** The console reporter: a `Reporter`, plus `tick` for what moves between events. */
export interface ConsoleReporter extends Reporter {
  /**
   * Brings the output up to `now` (ms on the run's clock, `scheduler.now()`): with `tty`,
   * redraws the live block so that `next in` counts down and elapsed times grow between events;
   * without, prints the heartbeat lines that are due (see `heartbeatMs`). The reporter never
   * reads a clock itself: the CLI calls this from a timer (every 100 ms on a terminal, every
   * second otherwise) while the run is going.
   */
  tick(now: number): void;
  /**
   * Erases the live block now (with `tty`; otherwise does nothing), so that whoever writes to
   * the terminal next (a signal's notice on stderr) starts on a clean line; the next event or
   * `tick` draws the block again, below what was written.
   */
  clearLive(): void;
}

/**
 * Prints a run as it happens, and a summary at the end.
 *
 * Every line starts with where it comes from, `[suite] [test] [step]`, then what happened:
 *
 * ```text
 * [Async Operations] running 2 tests from examples/async-operations/rocketship.yaml
 * [Async Operations] [Job Processing] [Create job] passed in 35ms
 * [Async Operations] [Job Processing] [Announce] log: job 42 created
 * [Async Operations] [Job Processing] [Wait for job completion] passed after 4 attempts in 1.2s
 * [Async Operations] [Job Processing] passed in 1.3s
 * [Async Operations] [Deployment] [Wait for rollout] failed after 30 attempts in 5m0s
 *     polling timed out after 5m0s
 * [Async Operations] [Deployment] [Check version] skipped: previous step failed
 * [Async Operations] [Deployment] failed in 5m0s at step "Wait for rollout"
 * [Async Operations] failed in 5m0s (1 passed, 1 failed, 0 skipped)
 *
 * 1 passed, 1 failed, 0 skipped
 * finished in 5m0s
 * ```
 *
 * A poll's attempts fold into its step's line; with `verbose` each attempt gets its own line
 * (`attempt 3/30 status 200 · next in 2.4s · 7.2s of 5m0s`) followed by the request, the response
 * and each condition's expected and actual values, indented. Lines never interleave: each event
 * is written with one `write` call of whole lines, so the details of a failure stay together
 * even when tests run concurrently.
 *
 * With `tty`, a live block under those lines shows each running test and, for a polling step,
 * `attempt k/n · next in X · elapsed of timeout`; it is erased and redrawn (cursor up, erase
 * down) on every event and `tick`. Without `tty` the output is the lines above, nothing more.
 *
 * Tests that share a name are told apart by their position, as in the JUnit report: the later
 * ones are labelled `[Get user (2)]` (see `uniqueLabels`), in their step lines, their result
 * line and the live block, and each counts in the summary.
 *
 * The summary line `N passed, N failed, N skipped` stands alone, then `N interrupted` when some
 * were, then the duration. `complete()` prints it; `error(e)` prints the error, then the summary.
 * After the summary, a recap lists every test that failed or errored (and every suite init
 * step that did not pass), in file order, as pytest and Hurl do: where the failing step is,
 * which it is, and why, on one line:
 *
 * ```text
 * FAILED examples/async-operations/rocketship.yaml:41 [Async Operations] [Deployment] [Wait for rollout]
 *     polling timed out after 5m0s; last attempt (30): status 200, json_path .status: expected "ready", actual "rolling"
 * ```
 *
 * With `quiet`, the recap and the summary are all that is printed. Without `tty`, with
 * `heartbeatMs`, a step still running after that long says so on `tick`, and again every
 * `heartbeatMs` (`[suite] [test] [step] still polling: attempt 3/30 · 503 · next in 2.4s · 7.2s of 5m0s`).
 *
 * @example
 * const reporter = consoleReporter({ write: (s) => process.stdout.write(s), tty: false, color: false, verbose: false });
 * runSuite(suite, options).subscribe(reporter);
 */
export function consoleReporter(config: ConsoleReporterConfig): ConsoleReporter {
  const style = makeStyle(config.color);
  const columns = Math.max(20, config.columns ?? 80);
  const maxLive = Math.max(1, Math.min(20, (config.rows ?? 22) - 2));
  const heartbeatMs = config.tty ? 0 : Math.max(0, config.heartbeatMs ?? 0);
  // Running tests and steps: for the live block, or for heartbeats.
  const tracking = config.tty || heartbeatMs > 0;
  const live = new Map<string, LiveEntry>();
  const recap = createRecap(config.cwd);
  // Per suite, the label of each test whose name another test of the suite shares; only those.
  const relabelled = new Map<string, Map<number, string>>();
  const tally = createRunTally();
  // With `quiet`, events still feed the tally, the recap and the live block, but make no lines.
  const printing = config.quiet !== true;
  let liveHeight = 0;
  let now = 0;
  let ended = false;

  const emit = (lines: readonly string[]): void => {
    if (!config.tty) {
      if (lines.length > 0) config.write(lines.map((line) => `${line}\n`).join(''));
      return;
    }
    // One write: erase the live block, print the new lines, draw the block again.
    // From the start of the line: something else (a terminal's `^C` echo) may have moved the cursor.
    const erase = liveHeight > 0 ? `\r\x1b[${liveHeight}A\x1b[J` : '';
    const block = ended ? [] : liveLines();
    liveHeight = block.length;
    const text = erase + [...lines, ...block].map((line) => `${line}\n`).join('');
    if (text !== '') config.write(text);
  };

  const liveLines = (): string[] => {
    const entries = [...live.values()];
    const shown = entries.length > maxLive ? entries.slice(0, maxLive - 1) : entries;
    const lines = shown.map((entry) => fit(liveStatus(entry, now), columns, style));
    if (shown.length < entries.length) lines.push(style.dim(`… and ${entries.length - shown.length} more running`));
    return lines;
  };

  // What did not pass, for the lines after the summary.
  const recapLines = (): string[] =>
    recap
      .entries()
      .flatMap((entry, i) => [
        ...(i === 0 ? [''] : []),
        `${style.failed(entry.errored ? 'ERRORED' : 'FAILED')} ${oneLine(entry.where)} ${entry.label}`,
        `    ${oneLine(entry.reason)}`,
      ]);

  // The heartbeat lines due at `now`, one per step running for another `heartbeatMs`.
  const heartbeats = (): string[] => {
    const lines: string[] = [];
    for (const entry of live.values()) {
      const step = entry.step;
      if (step === undefined || now < step.beatAt) continue;
      while (step.beatAt <= now) step.beatAt += heartbeatMs;
      lines.push(`${entry.label} ${step.label} ${style.dim(heartbeatStatus(step, now))}`);
    }
    return lines;
  };

  const summary = (): string[] => {
    const { passed, failed, skipped, interrupted } = tally.totals();
    const span = tally.span();
    return [
      '',
      `${passed} passed, ${failed} failed, ${skipped} skipped`,
      ...(interrupted > 0 ? [`${interrupted} interrupted`] : []),
      `finished in ${formatDuration(span === undefined ? 0 : span.lastAt - span.firstAt, 'readable')}`,
    ];
  };

  // The test's name, or its numbered label when another test of its suite has the same name.
  // (No key is built when no suite has two tests of one name, the usual case: this runs on every event.)
  const testLabel = (suite: Pick<SuiteRef, 'suite' | 'file'>, testIndex: number, name: string): string =>
    relabelled.size === 0 ? name : (relabelled.get(suiteKey(suite))?.get(testIndex) ?? name);
  // The step's ref with its test's label in place of its name, for `[suite] [test] [step]`.
  const labelled = (ref: StepRef): StepRef =>
    ref.test === undefined || ref.testIndex === undefined ? ref : { ...ref, test: testLabel(ref, ref.testIndex, ref.test) };

  const linesFor = (event: RunEvent): string[] => {
    switch (event._tag) {
      case 'SuiteStarted': {
        recap.suiteStarted(event.ref);
        const labels = uniqueLabels(event.tests.map((test) => test.name));
        const changed = new Map<number, string>();
        event.tests.forEach((test, i) => {
          const label = labels[i];
          if (label !== undefined && label !== test.name) changed.set(test.index, label);
        });
        if (changed.size > 0) relabelled.set(suiteKey(event.ref), changed);
        return [`${bracket([event.ref.suite])} running ${plural(event.tests.length, 'test')} from ${oneLine(event.ref.file)}`];
      }
      case 'TestStarted': {
        const label = bracket([event.ref.suite, testLabel(event.ref, event.ref.testIndex, event.ref.test)]);
        if (tracking) live.set(testKey(event.ref, event.ref.testIndex), { label, startedAt: event.at, step: undefined });
        return config.verbose ? [`${label} started`] : [];
      }
      case 'StepStarted': {
        const ref = labelled(event.ref);
        if (tracking) {
          const key = ownerKey(ref);
          const entry = live.get(key) ?? { label: bracket(ownerParts(ref)), startedAt: event.at, step: undefined };
          entry.step = new RunningStep(ref, event.at, event.at + heartbeatMs);
          live.set(key, entry);
        }
        return config.verbose ? [`${formatStepLabel(ref)} ${style.dim(`started (${oneLine(event.plugin)})`)}`] : [];
      }
      case 'AttemptMade': {
        const step = live.get(ownerKey(event.ref))?.step;
        if (step !== undefined) step.attempt = { record: event.attempt, at: event.at };
        return config.verbose
          ? block(formatStepLabel(labelled(event.ref)), {
              head: formatAttemptHead(event.attempt),
              details: formatAttemptDetails(event.attempt, style),
            })
          : [];
      }
      case 'LogEmitted':
        return printing ? block(formatStepLabel(labelled(event.ref)), logBlock(event.message)) : [];
      case 'StepEnded': {
        const key = ownerKey(event.ref);
        const ref = labelled(event.ref);
        recap.stepEnded(key, ref, event.result);
        if (event.ref.testIndex === undefined) live.delete(key);
        else {
          const entry = live.get(key);
          if (entry !== undefined) entry.step = undefined;
        }
        return printing ? block(formatStepLabel(ref), formatStepResult(event.result, style)) : [];
      }
      case 'TestEnded': {
        const key = testKey(event.ref, event.ref.testIndex);
        const label = bracket([event.ref.suite, testLabel(event.ref, event.ref.testIndex, event.ref.test)]);
        live.delete(key);
        recap.ownerEnded(key, event.result._tag === 'Failed' ? event.result : undefined, {
          file: event.ref.file,
          label,
          suiteKey: suiteKey(event.ref),
          testIndex: event.ref.testIndex,
        });
        if (!printing) return [];
        const lines = block(label, formatTestResult(event.result, style));
        // A distributed run's test that another worker continued says so, under its result.
        const r = event.resumed;
        return r === undefined
          ? lines
          : [
              ...lines,
              `    resumed on ${event.worker ?? 'another worker'} after ${r.fromWorker} stopped, at step "${r.atStep}"${r.attempt > 0 ? `, poll attempt ${r.attempt}` : ''}`,
            ];
      }
      case 'SuiteEnded': {
        const init = event.result.initFailure;
        recap.ownerEnded(
          suiteKey(event.ref),
          init === undefined || init.result._tag === 'Interrupted'
            ? undefined
            : { step: init.step, stepPhase: 'suite_init', stepIndex: init.stepIndex, cause: init.result.cause },
          {
            file: event.ref.file,
            label: bracket([event.ref.suite, PHASE_NAMES.suite_init]),
            suiteKey: suiteKey(event.ref),
            testIndex: -1,
          },
        );
        return block(bracket([event.ref.suite]), formatSuiteResult(event.result, style));
      }
    }
  };

  return {
    next(event) {
      if (ended) return;
      tally.add(event);
      now = Math.max(now, event.at);
      const lines = linesFor(event);
      emit(printing ? lines : []);
    },
    error(err) {
      if (ended) return;
      ended = true;
      const message = err instanceof Error ? err.message : String(err);
      emit([...block(style.failed('run stopped:'), { head: '', details: printableLines(message) }), ...summary(), ...recapLines()]);
    },
    complete() {
      if (ended) return;
      ended = true;
      emit([...summary(), ...recapLines()]);
    },
    tick(at) {
      if (ended) return;
      now = Math.max(now, at);
      if (config.tty) {
        if (live.size > 0 || liveHeight > 0) emit([]);
      } else if (heartbeatMs > 0) emit(heartbeats());
    },
    clearLive() {
      if (!config.tty || liveHeight === 0) return;
      config.write(`\r\x1b[${liveHeight}A\x1b[J`);
      liveHeight = 0;
    },
  };
}

interface LiveEntry {
  /** `[suite] [test]`, or `[suite] [suite init]` for suite-level steps. */
  readonly label: string;
  readonly startedAt: number;
  step: LiveStep | undefined;
}

interface LiveStep {
  /** `[step]`, or `[cleanup] [step]`: the step's part of the label. */
  readonly label: string;
  readonly startedAt: number;
  /** Its latest attempt, and when it was reported. */
  attempt: { readonly record: AttemptRecord; readonly at: number } | undefined;
  /** When its next heartbeat is due (without `tty`). */
  beatAt: number;
}

/**
 * A {@link LiveStep} whose label is made only if a live block or a heartbeat prints it: most
 * steps end first. (A class, not an object literal with a getter, which V8 builds through a
 * runtime call on every step.)
 */
class RunningStep implements LiveStep {
  attempt: LiveStep['attempt'] = undefined;
  #label: string | undefined;
  constructor(
    private readonly ref: StepRef,
    readonly startedAt: number,
    public beatAt: number,
  ) {}

  get label(): string {
    return (this.#label ??= bracket(stepLabelParts(this.ref).slice(ownerParts(this.ref).length)));
  }
}

/** What a heartbeat says of a step still running at `now`. */
function heartbeatStatus(step: LiveStep, now: number): string {
  if (step.attempt === undefined) return `still running after ${formatDuration(now - step.startedAt, 'readable')}`;
  const { record, at } = step.attempt;
  const polling = record.timeoutMs !== undefined || record.maxAttempts !== undefined;
  return `still ${polling ? 'polling' : 'running'}: ${formatAttemptProgress(record, Math.max(0, now - at))}`;
}

/** A test, or a suite init step, that did not pass, as the recap prints it. */
interface RecapEntry {
  /** `file:line` of the failing step (`file` alone when its line is not known), relative to `cwd` when under it. */
  readonly where: string;
  /** `[suite] [test] [step]`. */
  readonly label: string;
  readonly errored: boolean;
  /** The failure on one line (`formatStepProblemLine`). */
  readonly reason: string;
  /** For file order: the suite's position in the run, the test's in its suite (-1: suite init), then arrival. */
  readonly order: readonly [number, number, number];
}

/** Where a test or suite ended, for its recap entry. */
interface RecapOwner {
  readonly file: string;
  /** `[suite] [test]`, or `[suite] [suite init]`: used when the failing step's own label is not known. */
  readonly label: string;
  readonly suiteKey: string;
  readonly testIndex: number;
}

/** Which step failed a test or suite, and why (a failed test's result, or a suite's `initFailure`). */
interface RecapFailure {
  readonly step: string;
  readonly stepPhase: StepRef['phase'];
  readonly stepIndex: number;
  readonly cause: StepProblem;
}

/**
 * Collects the recap: keeps the steps that did not pass until their test (or suite) ends, then
 * keeps one entry per failed test or suite init. Memory: the entries, plus the failed steps of
 * what is still running.
 */
function createRecap(cwd?: string | undefined) {
  const suiteOrder = new Map<string, number>();
  const failedSteps = new Map<string, Map<string, { readonly ref: StepRef; readonly errored: boolean }>>();
  const entries: RecapEntry[] = [];
  const where = (file: string, line: number | undefined): string => {
    const shown = cwd !== undefined && (file.startsWith(`${cwd}/`) || file.startsWith(`${cwd}\\`)) ? file.slice(cwd.length + 1) : file;
    return line === undefined ? shown : `${shown}:${line}`;
  };
  return {
    suiteStarted(ref: SuiteRef): void {
      const key = suiteKey(ref);
      if (!suiteOrder.has(key)) suiteOrder.set(key, suiteOrder.size);
    },
    stepEnded(owner: string, ref: StepRef, result: { readonly _tag: string }): void {
      if (result._tag !== 'Failed' && result._tag !== 'Errored') return;
      let steps = failedSteps.get(owner);
      if (steps === undefined) failedSteps.set(owner, (steps = new Map()));
      steps.set(`${ref.phase}\0${ref.index}`, { ref, errored: result._tag === 'Errored' });
    },
    ownerEnded(owner: string, failure: RecapFailure | undefined, at: RecapOwner): void {
      const step = failure === undefined ? undefined : failedSteps.get(owner)?.get(`${failure.stepPhase}\0${failure.stepIndex}`);
      failedSteps.delete(owner);
      if (failure === undefined) return;
      entries.push({
        where: where(at.file, step?.ref.line),
        label: step === undefined ? `${at.label} ${bracket([failure.step])}` : formatStepLabel(step.ref),
        errored: step?.errored ?? isStepError(failure.cause),
        reason: formatStepProblemLine(failure.cause),
        order: [suiteOrder.get(at.suiteKey) ?? suiteOrder.size, at.testIndex, entries.length],
      });
    },
    /** The entries in file order: by suite, then test (suite init first), then as they came. */
    entries(): RecapEntry[] {
      return [...entries].sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1] || a.order[2] - b.order[2]);
    },
  };
}

function suiteKey(ref: Pick<SuiteRef, 'suite' | 'file'>): string {
  return `${ref.file}\0${ref.suite}`;
}

// A test by its identity (its position in the file), never by its name, which may repeat.
function testKey(suite: Pick<SuiteRef, 'suite' | 'file'>, testIndex: number): string {
  return `${suiteKey(suite)}\0${testIndex}`;
}

// Which live line a step belongs to: its test's, or its suite's for suite init and cleanup.
function ownerKey(ref: StepRef): string {
  return ref.testIndex === undefined ? suiteKey(ref) : testKey(ref, ref.testIndex);
}

function ownerParts(ref: StepRef): string[] {
  return stepLabelParts(ref).slice(0, 2);
}

// A head after its label, and details indented under it.
function block(label: string, text: TextBlock): string[] {
  return [text.head === '' ? label : `${label} ${text.head}`, ...text.details.map((line) => `    ${line}`)];
}

function logBlock(message: string): TextBlock {
  const [first = '', ...rest] = printableLines(message);
  return { head: `log: ${first}`, details: rest };
}

// What a live line shows after its `[suite] [test]`: the running step, and how far it got.
function liveStatus(entry: LiveEntry, now: number): { readonly label: string; readonly status: string } {
  const { step } = entry;
  if (step === undefined) return { label: entry.label, status: withElapsed('running', now - entry.startedAt) };
  const label = `${entry.label} ${step.label}`;
  if (step.attempt === undefined) return { label, status: withElapsed('running', now - step.startedAt) };
  return { label, status: formatAttemptProgress(step.attempt.record, Math.max(0, now - step.attempt.at)) };
}

function withElapsed(text: string, elapsedMs: number): string {
  return elapsedMs > 0 ? `${text} · ${formatDuration(elapsedMs, 'readable')}` : text;
}

// One live line, cut to the terminal's width (a wrapped line would break the cursor-up count).
function fit({ label, status }: { readonly label: string; readonly status: string }, columns: number, style: Style): string {
  const width = columns - 1;
  const chars = [...label];
  if (chars.length >= width) return chars.slice(0, width - 1).join('') + '…';
  const room = width - chars.length - 1;
  const statusChars = [...status];
  const shown = statusChars.length > room ? statusChars.slice(0, Math.max(0, room - 1)).join('') + '…' : status;
  return `${label} ${style.dim(shown)}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
