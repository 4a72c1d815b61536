import { formatCheckResult } from '../check/format-check-result.js';
import { formatHeldCheck } from '../check/format-held-check.js';
import { formatDuration } from '../operators/format-duration.js';
import type { FailCondition, LastAttempt, PollEvidence, PollExhausted, PollTimedOut, ScriptPlace, StepProblem } from './step-failure.js';

/**
 * The text of a step's failure or error, as every built-in reporter shows it (and as the
 * message of the `StepFailedError` or `StepConfigError` that carries it). Reporters may lay the
 * data out otherwise; this is the one place the text is made (with {@link formatStepProblemLine}
 * for its one-line form).
 *
 * Durations the run measured (`elapsed`, `gave up after`, a wait) are rounded as the console
 * rounds them (`27.3s`, never `27.312345s`); a poll's `timeout` prints as written, the way
 * Rocketship prints it (`5m0s`).
 *
 * formatStepProblem({ _tag: 'Transport', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' })
 * // 'connect ECONNREFUSED 127.0.0.1:9'
 * formatStepProblem({ _tag: 'PollExhausted', maxAttempts: 3, attempts: 3, elapsedMs: 2000, last: { _tag: 'NoResponse', number: 3 } })
 * // 'polling exceeded maximum attempts (3)\n  attempts: 3, elapsed: 2s\n  last attempt (3): no response'
 * formatStepProblem({ _tag: 'PollTimedOut', stoppedBy: 'NextWait', timeoutMs: 30000, elapsedMs: 27312, unwaitedDelayMs: 5000, ... })
 * // 'polling would exceed its timeout (30s) at the next wait; gave up after 27.3s\n  attempts: ...'
 */
export function formatStepProblem(problem: StepProblem): string {
  switch (problem._tag) {
    case 'Assertions': {
      const n = problem.failed.length;
      return [`${n} assertion${n > 1 ? 's' : ''} failed:`, ...problem.failed.map((c) => `  ${formatCheckResult(c)}`)].join('\n');
    }
    case 'PollTimedOut': {
      const notes: string[] = [];
      if (problem.inFlight) notes.push('  the request in flight at the deadline was aborted');
      if (problem.unwaitedDelayMs !== undefined)
        notes.push(`  the next wait (${formatDuration(problem.unwaitedDelayMs, 'readable')}) would have ended past the deadline`);
      return pollText(timedOutHeadline(problem), problem, notes);
    }
    case 'PollExhausted':
      return pollText(exhaustedHeadline(problem), problem, []);
    case 'FailCondition':
      return pollText(failConditionHeadline(problem), problem, []);
    case 'Transport':
      return problem.message;
    case 'SaveFailed': {
      const why = problem.why;
      const what =
        why._tag === 'NotJson'
          ? `the response body is not JSON (${why.reason})`
          : why._tag === 'NoMatch'
            ? `json_path ${why.jsonPath} matched nothing in the response`
            : `the response has no header ${why.header}`;
      return `save "${problem.as}": ${what}`;
    }
    case 'ScriptAssertion':
      return `script assertion failed: ${problem.message} (${formatScriptPlace(problem.at)})`;
    case 'ScriptError':
      return `script error: ${problem.inPromise ? 'a promise was rejected and nothing handled it: ' : ''}${problem.description} (${formatScriptPlace(problem.at)})`;
    case 'ScriptTimedOut':
      return `${problem.language === 'shell' ? 'shell script' : 'script'} timed out after ${problem.timeoutMs}ms`;
    case 'ScriptNotRun': {
      const what =
        problem.language === 'shell'
          ? problem.stage === 'not-run'
            ? 'shell script not run'
            : 'shell script could not start'
          : problem.stage === 'not-run'
            ? 'script not run'
            : 'script could not run';
      return `${what}: ${problem.reason}`;
    }
    case 'ExitCode': {
      const head = `shell script exited with code ${problem.exitCode}${problem.signal === undefined ? '' : ` (${problem.signal})`}`;
      return [`${head}${problem.lastError === undefined ? '' : `: ${problem.lastError}`}`, ...problem.output].join('\n');
    }
    case 'ContractViolation': {
      const on = problem.attempt === undefined ? '' : ` on attempt ${problem.attempt}`;
      const op = problem.operation === undefined ? '' : ` (${problem.operation})`;
      return [`OpenAPI ${problem.side} validation failed${on}${op}:`, ...problem.violations.map((v) => `  ${v}`)].join('\n');
    }
    case 'SqlStatements': {
      const n = problem.failed.length;
      return [
        `${n} of ${problem.total} SQL statement${problem.total === 1 ? '' : 's'} failed:`,
        ...problem.failed.map((f) => `  [${f.index}] ${f.error} (query: ${excerpt(f.query)})`),
      ].join('\n');
    }
    case 'SqlTimedOut':
      return problem.statement === undefined
        ? `sql step timed out after ${formatDuration(problem.timeoutMs)} while connecting`
        : `sql step timed out after ${formatDuration(problem.timeoutMs)}: statement ${problem.statement} was cancelled`;
    case 'PluginFailed':
    case 'Config':
      return problem.message;
    case 'UnknownPlugin':
      return `plugin "${problem.plugin}" is not supported; supported: ${problem.known.join(', ')}`;
    case 'Internal':
      return `internal error: ${problem.message}`;
  }
}

/**
 * A step's failure or error on one line, for a recap of what failed: what a reader needs to
 * tell one failure from another at a glance. A poll's headline is followed by what its last
 * attempt saw (a status and the first condition that did not hold, or the transport error), so
 * a poll that met `ECONNREFUSED` never reads like one that saw `"status":"running"`; failed
 * assertions show the first of them. May still hold control characters from the run: print it
 * through `oneLine`.
 *
 * formatStepProblemLine({ _tag: 'Assertions', failed: [statusCheck, bodyCheck] })
 * // '2 assertions failed: status_code: expected 200, actual 500 (and 1 more)'
 * formatStepProblemLine(pollTimedOut)
 * // 'polling timed out after 30s; last attempt (12): status 200, json_path .status: expected "completed", actual "running"'
 * formatStepProblemLine(contractViolation)
 * // 'OpenAPI response validation failed on attempt 3 (GET /jobs/{id} (getJob)): response body /progress: must be <= 50 (schema at ...) (and 1 more)'
 */
export function formatStepProblemLine(problem: StepProblem): string {
  switch (problem._tag) {
    case 'Assertions': {
      const [first, ...rest] = problem.failed;
      if (first === undefined) return 'assertions failed';
      const more = rest.length === 0 ? '' : ` (and ${rest.length} more)`;
      return `${problem.failed.length === 1 ? 'assertion' : `${problem.failed.length} assertions`} failed: ${formatCheckResult(first, 80)}${more}`;
    }
    case 'PollTimedOut':
      return withLast(timedOutHeadline(problem), problem.last);
    case 'PollExhausted':
      return withLast(exhaustedHeadline(problem), problem.last);
    case 'FailCondition':
      return failConditionHeadline(problem);
    case 'ContractViolation': {
      // The headline ends with a colon: the first violation follows it.
      const [first, ...rest] = problem.violations;
      const headline = formatStepProblem({ ...problem, violations: [] });
      return first === undefined
        ? headline.replace(/:$/, '')
        : `${headline} ${first}${rest.length === 0 ? '' : ` (and ${rest.length} more)`}`;
    }
    default:
      return formatStepProblem(problem).split('\n')[0] ?? '';
  }
}

/** Rocketship's words for a deadline that passed; ours for a poll that gave up before it. */
function timedOutHeadline(problem: PollTimedOut): string {
  const timeout = formatDuration(problem.timeoutMs);
  return problem.stoppedBy === 'NextWait'
    ? `polling would exceed its timeout (${timeout}) at the next wait; gave up after ${formatDuration(problem.elapsedMs, 'readable')}`
    : `polling timed out after ${timeout}`;
}

/** Rocketship's words for a poll whose last allowed attempt did not meet its conditions. */
function exhaustedHeadline(problem: PollExhausted): string {
  return `polling exceeded maximum attempts (${problem.maxAttempts})`;
}

/** `polling failed: fail condition holds: json_path .status == "failed"`: the condition with the value it matched. */
function failConditionHeadline(problem: FailCondition): string {
  const held = problem.held.length === 0 ? problem.condition : problem.held.map((check) => formatHeldCheck(check)).join(' and ');
  return `polling failed: fail condition holds: ${held}`;
}

/**
 * Where in a script, in words: `check.js:3:5` for a script file; for an inline script, the suite
 * file's line and column, then the script's (`rocketship.yaml:18:15, line 3, column 5 of the
 * script`), or the script's and the step's when the suite file's cannot be told.
 */
export function formatScriptPlace(place: ScriptPlace): string {
  const column = place.column === undefined ? '' : `:${place.column}`;
  if (place._tag === 'ScriptFile') return place.line === undefined ? place.file : `${place.file}:${place.line}${column}`;
  const step = place.stepLine === undefined ? place.suiteFile : `${place.suiteFile}:${place.stepLine}`;
  if (place.line === undefined) return `the script of the step at ${step}`;
  const inScript = `line ${place.line}${place.column === undefined ? '' : `, column ${place.column}`} of the script`;
  if (place.suiteLine === undefined) return `${inScript} of the step at ${step}`;
  return `${place.suiteFile}:${place.suiteLine}${place.suiteColumn === undefined ? '' : `:${place.suiteColumn}`}, ${inScript}`;
}

/** A poll failure: its headline, the attempts and time it took, its notes, then its last attempt. */
function pollText(headline: string, evidence: PollEvidence, notes: readonly string[]): string {
  return [
    headline,
    `  attempts: ${evidence.attempts}, elapsed: ${formatDuration(evidence.elapsedMs, 'readable')}`,
    ...notes,
    ...lastAttemptLines(evidence.last),
  ].join('\n');
}

function lastAttemptLines(last: LastAttempt | undefined): string[] {
  if (last === undefined) return ['  no attempt finished'];
  switch (last._tag) {
    case 'Response':
      return [
        `  last attempt (${last.number}): status ${last.status}`,
        ...last.conditions.map((c) => `    ${c._tag === 'Passed' ? 'ok  ' : 'FAIL'} ${formatCheckResult(c)}`),
        `  last body: ${last.body}`,
      ];
    case 'TransportError':
      return [`  last attempt (${last.number}): ${last.message}`];
    case 'NoResponse':
      return [`  last attempt (${last.number}): no response`];
    case 'SqlResult':
      return [
        `  last attempt (${last.number}): ${last.summary}`,
        ...last.conditions.map((c) => `    ${c._tag === 'Passed' ? 'ok  ' : 'FAIL'} ${formatCheckResult(c)}`),
        `  last result: ${last.body}`,
      ];
  }
}

/** A headline and, after `; `, what the last attempt saw, on one line. */
function withLast(headline: string, last: LastAttempt | undefined): string {
  if (last === undefined) return `${headline}; no attempt finished`;
  switch (last._tag) {
    case 'Response': {
      const unmet = last.conditions.find((c) => c._tag === 'Failed');
      return `${headline}; last attempt (${last.number}): status ${last.status}${unmet === undefined ? '' : `, ${formatCheckResult(unmet, 80)}`}`;
    }
    case 'TransportError':
      return `${headline}; last attempt (${last.number}): ${last.message}`;
    case 'NoResponse':
      return `${headline}; last attempt (${last.number}): no response`;
    case 'SqlResult': {
      const unmet = last.conditions.find((c) => c._tag === 'Failed');
      return `${headline}; last attempt (${last.number}): ${last.summary}${unmet === undefined ? '' : `, ${formatCheckResult(unmet, 80)}`}`;
    }
  }
}

/** A statement on one line, cut to 120 characters. */
function excerpt(query: string): string {
  const line = query.replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}
