import { relative } from 'node:path';
import { writeJson } from '../json-text.js';
import { formatDuration } from '../operators/format-duration.js';
import type { Phase } from '../step/step-ref.js';
import type { RunPlan } from './plan-run.js';
import type { PlannedPoll, StepPlan, WorstCase } from './plan-suite.js';

/** Options of {@link formatPlan}. */
export interface FormatPlanOptions {
  /** File names are shown relative to this directory. Default: as given. */
  readonly cwd?: string | undefined;
  /** The send times shown of each poll, before `…` and the last one. Default 8. */
  readonly sendTimes?: number | undefined;
  /** A body longer than this many characters is cut with `…`. Default 500. */
  readonly bodyChars?: number | undefined;
}

/**
 * A run plan as text for a person: per suite and test, each step with what it sends, each poll's
 * settings and send times, each worst case, the warnings and hints; then the run's worst case.
 *
 * ```
 * jobs.yaml [Jobs API]
 *   test "Submit and wait" (line 9): worst case 5m30s
 *     1. Submit job (line 11) · http · worst case 30s
 *        POST http://127.0.0.1:8080/jobs
 *     2. Wait for job (line 17) · http poll · worst case 5m0s
 *        GET http://127.0.0.1:8080/jobs/<saved by "Submit job">
 *        poll: interval 2s, backoff_coefficient 1.2, timeout 5m0s, max_attempts 30
 *        sends at 0s, 2s, 4.4s, 7.3s, 10.7s, 14.9s, 19.9s, 25.8s, … 4m16s: 19 attempts, then the timeout ends the poll
 *        warning: max_attempts 30 can never be reached: ...
 *
 * Worst case of the run: 5m30s at --concurrency 8 (1 test, 2 steps). Nothing was sent.
 * ```
 */
export function formatPlan(plan: RunPlan, options: FormatPlanOptions = {}): string {
  const cwd = options.cwd;
  const shown = options.sendTimes ?? 8;
  const bodyChars = options.bodyChars ?? 500;
  const lines: string[] = [];
  const steps = (list: readonly StepPlan[], indent: string): void => {
    list.forEach((step, i) => {
      lines.push(`${indent}${i + 1}. ${step.name}${lineOf(step.line)}${phaseLabel(step.phase)} · ${kind(step)} · ${worst(step)}`);
      const more = `${indent}   `;
      for (const detail of details(step, shown, bodyChars)) lines.push(`${more}${detail}`);
      for (const flag of step.flags) lines.push(`${more}${flag.level}: ${flag.message}`);
    });
  };
  for (const suite of plan.suites) {
    lines.push(`${cwd === undefined ? suite.file : relative(cwd, suite.file) || suite.file} [${suite.name}]`);
    if (suite.init.length > 0) {
      lines.push(`  suite init: ${worstCase(suite.initWorstCase)}`);
      steps(suite.init, '    ');
    }
    for (const test of suite.tests) {
      lines.push(`  test ${JSON.stringify(test.name)}${lineOf(test.line)}: ${worstCase(test.worstCase)}`);
      steps(test.steps, '    ');
    }
    if (suite.cleanup.length > 0) {
      lines.push(`  suite cleanup: ${worstCase(suite.cleanupWorstCase)}`);
      steps(suite.cleanup, '    ');
    }
    lines.push('');
  }
  const warnings = plan.flags.filter((f) => f.level === 'warning').length;
  const hints = plan.flags.length - warnings;
  const counts = `${plural(plan.suites.length, 'suite')}, ${plural(plan.tests, 'test')}, ${plural(plan.steps, 'step')}`;
  const flags = plan.flags.length === 0 ? '' : ` ${plural(warnings, 'warning')}, ${plural(hints, 'hint')}.`;
  lines.push(
    `Worst case of the run: ${plan.worstCase.bounded ? '' : 'at least '}${formatDuration(plan.worstCase.ms, 'readable')} at --concurrency ${plan.concurrency}${plan.sequential ? ', --sequential' : ''} (${counts}).${flags} Nothing was sent.`,
  );
  return `${lines.join('\n')}\n`;
}

function details(step: StepPlan, shown: number, bodyChars: number): string[] {
  const out: string[] = [];
  const r = step.request;
  if (r !== undefined) {
    out.push(`${r.method} ${r.url}`);
    for (const [name, value] of Object.entries(r.headers)) out.push(`${name}: ${value}`);
    if (r.body !== undefined) out.push(`body: ${cut(typeof r.body === 'string' ? r.body : writeJson(r.body).text, bodyChars)}`);
    if (r.form !== undefined) {
      const fields = Object.entries(r.form).flatMap(([k, v]) => (typeof v === 'string' ? [`${k}=${v}`] : v.map((x) => `${k}=${x}`)));
      out.push(`form: ${cut(fields.join('&'), bodyChars)}`);
    }
  }
  if (step.poll !== undefined) out.push(...pollLines(step.poll, shown));
  if (step.delayMs !== undefined) out.push(`waits ${formatDuration(step.delayMs)}`);
  if (step.message !== undefined) out.push(`message: ${cut(step.message, bodyChars)}`);
  if (step.script !== undefined) {
    const s = step.script;
    const timeout = s.timeoutMs === undefined ? '' : `, timeout ${formatDuration(s.timeoutMs)}`;
    out.push(`${s.language} ${s.file === undefined ? 'inline' : `file ${s.file}`}${timeout} (not run by plan)`);
  }
  if (step.retry !== undefined) {
    const waits = step.retry.waitsMs.map((w) => formatDuration(w, 'readable'));
    out.push(`retry: up to ${step.retry.maximumAttempts} runs, waiting ${list(waits, shown)} between them`);
  }
  return out;
}

function pollLines(poll: PlannedPoll, shown: number): string[] {
  if (poll._tag === 'Unknown') {
    const deadline = poll.timeoutMs === undefined ? '' : ` (timeout ${formatDuration(poll.timeoutMs)} bounds it)`;
    return [`poll: its schedule is known only at run time: ${poll.reason}${deadline}`];
  }
  const settings = [
    `interval ${formatDuration(poll.intervalMs)}`,
    ...(poll.backoffCoefficient === 1 ? [] : [`backoff_coefficient ${poll.backoffCoefficient}`]),
    ...(poll.maxIntervalMs === undefined ? [] : [`max_interval ${formatDuration(poll.maxIntervalMs)}`]),
    ...(poll.jitter === undefined || poll.jitter === 0 ? [] : [`jitter ${poll.jitter}`]),
    `timeout ${formatDuration(poll.timeoutMs)}`,
    ...(poll.maxAttempts === undefined ? [] : [`max_attempts ${poll.maxAttempts}`]),
  ];
  const s = poll.schedule;
  const times = s.sendTimesMs.map((ms) => formatDuration(ms, 'readable'));
  const last = s.lastSendMs === undefined ? undefined : formatDuration(s.lastSendMs, 'readable');
  const listed =
    s.attempts !== undefined && s.attempts > shown && last !== undefined
      ? `${times.slice(0, shown).join(', ')}, … ${last}`
      : list(times, shown);
  const ends = s.endsBy === 'max_attempts' ? 'then max_attempts ends the poll' : 'then the timeout ends the poll';
  const count = s.attempts === undefined ? 'requests back to back until the timeout' : `${plural(s.attempts, 'attempt')}, ${ends}`;
  const spread = poll.jitter === undefined || poll.jitter === 0 ? '' : ` (±${Math.round(poll.jitter * 100)}% each wait)`;
  return [`poll: ${settings.join(', ')}`, `sends at ${listed}${spread}: ${count}`];
}

function kind(step: StepPlan): string {
  return step.poll === undefined ? step.plugin : `${step.plugin} poll`;
}

function worst(step: StepPlan): string {
  return step.worstCaseMs === undefined
    ? `worst case known at run time (${step.unknown ?? 'unknown'})`
    : `worst case ${formatDuration(step.worstCaseMs, 'readable')}`;
}

function worstCase(w: WorstCase): string {
  return `worst case ${w.bounded ? '' : 'at least '}${formatDuration(w.ms, 'readable')}`;
}

const PHASES: Readonly<Record<Phase, string>> = {
  suite_init: '',
  init: ' [init]',
  steps: '',
  cleanup_on_failure: ' [cleanup on_failure]',
  cleanup_always: ' [cleanup always]',
  suite_cleanup_on_failure: ' [on_failure]',
  suite_cleanup_always: ' [always]',
};

function phaseLabel(phase: Phase): string {
  return PHASES[phase];
}

function lineOf(line: number | undefined): string {
  return line === undefined ? '' : ` (line ${line})`;
}

function list(items: readonly string[], shown: number): string {
  return items.length > shown ? `${items.slice(0, shown).join(', ')}, …` : items.join(', ');
}

function cut(text: string, chars: number): string {
  const oneLine = text.replace(/\r?\n/g, '⏎');
  return oneLine.length > chars ? `${oneLine.slice(0, chars)}…` : oneLine;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
