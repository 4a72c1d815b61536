import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import type { Json } from '../json.js';
import type { LoadedSuite, Step } from '../dsl/index.js';
import { stepsInScope, type StepInScope } from '../dsl/check-templates.js';
import { Duration } from '../dsl/codecs/duration.js';
import { PollingFields } from '../dsl/codecs/polling.js';
import { formatKeyPath, type KeyPath } from '../dsl/key-path.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../http/build-request.js';
import { formatDuration } from '../operators/format-duration.js';
import { DEFAULT_SCRIPT_TIMEOUT_MS } from '../plugins/script.js';
import { DEFAULT_SQL_TIMEOUT_MS } from '../plugins/sql.js';
import { mergeVars } from '../run/merge-vars.js';
import { resolveRetryPolicy, retryDelay } from '../run/retry-policy.js';
import { createRedactor } from '../secrets/create-redactor.js';
import { REDACTED, SENSITIVE_HEADERS } from '../secrets/credentials.js';
import { suiteSecrets } from '../secrets/suite-secrets.js';
import type { Phase } from '../step/step-ref.js';
import { parseTemplate } from '../template/parse-template.js';
import { resolveTemplatable } from '../template/resolve-templatable.js';
import { isTemplate, type Templatable } from '../template/template.js';
import { pollSchedule, type PollSchedule } from './poll-schedule.js';
import { planReference, renderPlanned, renderPlannedValue, type PlanContext } from './render-planned.js';

/** Options of {@link planSuite}: what the run would be given. */
export interface PlanSuiteOptions {
  /** Values merged over the file's `vars` (`--var-file`, then `--var`). Default none. */
  readonly vars?: Readonly<Record<string, Json>> | undefined;
  /** What `{{ .env.X }}` reads. Default none (every `.env.X` shows as not set). */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** What `{{ .secrets.X }}` reads; shown as `***`, and masked wherever else a value holds them. */
  readonly secrets?: Readonly<Record<string, string>> | undefined;
  /** The tests to plan, by name and position (`--test`, `--grep`, `--rerun-failed`). Default: all. */
  readonly only?: ((testName: string, testIndex: number) => boolean) | undefined;
}

/** Something worth a look before the run; it does not stop the run. */
export interface PlanFlag {
  /** `DeadCap`: `max_attempts` cannot be reached inside `timeout`. `FastPoll`: an interval under 1 s against a host that is not this machine. */
  readonly _tag: 'DeadCap' | 'FastPoll';
  /** A warning (the suite does not do what it says) or a hint (it may be what you want). */
  readonly level: 'warning' | 'hint';
  readonly file: string;
  readonly line: number | undefined;
  /** The key path of the step's `polling` (or of the step). */
  readonly path: string;
  readonly step: string;
  readonly message: string;
}

/** The request an `http` step sends, rendered with what is known before the run (see `renderPlanned`). */
export interface PlannedRequest {
  readonly method: string;
  readonly url: string;
  /** Header values as they are sent; sensitive ones (`Authorization`, cookies, API keys) as `***`. */
  readonly headers: Readonly<Record<string, string>>;
  /** A string body as sent, or a map or list (sent as JSON). */
  readonly body?: Json;
  readonly form?: Readonly<Record<string, string | readonly string[]>>;
  /** The per-request timeout, in ms; `undefined` when it depends on the run (see `unknown`). */
  readonly timeoutMs: number | undefined;
  /** The steps whose saved values the request holds (shown as `<saved by "STEP">`). */
  readonly savedBy: readonly string[];
}

/** A poll's settings, rendered, and its schedule; or why they are only known once the run gets there. */
export type PlannedPoll =
  | {
      readonly _tag: 'Known';
      readonly intervalMs: number;
      readonly timeoutMs: number;
      readonly maxAttempts?: number;
      readonly backoffCoefficient: number;
      readonly maxIntervalMs?: number;
      readonly jitter?: number;
      /** How long one request may take, in ms: the step's `timeout`, else 30 s. */
      readonly requestTimeoutMs: number;
      readonly schedule: PollSchedule;
    }
  | { readonly _tag: 'Unknown'; readonly reason: string; readonly timeoutMs: number | undefined };

/** A step's `retry`, rendered with its defaults. */
export interface PlannedRetry {
  /** Runs of the step at most, the first included. */
  readonly maximumAttempts: number;
  /** The wait before each further run, in ms (retry 1 first). */
  readonly waitsMs: readonly number[];
}

/** What one step would do. */
export interface StepPlan {
  readonly name: string;
  readonly plugin: string;
  readonly phase: Phase;
  /** Its key path in the file, `tests[0].steps[1]`. */
  readonly path: string;
  readonly line: number | undefined;
  readonly request?: PlannedRequest;
  readonly poll?: PlannedPoll;
  /** A `delay` step's wait, in ms. */
  readonly delayMs?: number;
  /** A `log` step's message. */
  readonly message?: string;
  /** A `script` step: its language, its `file` when it is read from one (nothing is run). */
  readonly script?: { readonly language: string; readonly file?: string; readonly timeoutMs: number | undefined };
  readonly retry?: PlannedRetry;
  /**
   * The longest the step can take, in ms, retries included: a request its timeout, a poll its
   * worst case (see `PollSchedule.worstCaseMs`), a delay its duration, a script its timeout, a
   * log 0. `undefined` when a value it depends on is only known once the run gets there.
   */
  readonly worstCaseMs: number | undefined;
  /** Why `worstCaseMs` is not known. */
  readonly unknown?: string;
  readonly flags: readonly PlanFlag[];
}

/** A sum of step durations: a lower bound when one of them is not known before the run. */
export interface WorstCase {
  readonly ms: number;
  /** Every step's worst case is known: `ms` is the worst case, not just a lower bound. */
  readonly bounded: boolean;
}

/** What one test would do: its init, steps and cleanup, in order. */
export interface TestPlan {
  readonly name: string;
  /** Its position in the file's `tests` (0-based). */
  readonly index: number;
  readonly line: number | undefined;
  readonly steps: readonly StepPlan[];
  /** Every step's worst case added up, cleanup (`on_failure` and `always`) included. */
  readonly worstCase: WorstCase;
}

/** What a run of one suite file would do, step by step, without sending anything. */
export interface SuitePlan {
  readonly file: string;
  readonly name: string;
  readonly init: readonly StepPlan[];
  readonly tests: readonly TestPlan[];
  /** The suite's cleanup, `on_failure` then `always`. */
  readonly cleanup: readonly StepPlan[];
  readonly initWorstCase: WorstCase;
  readonly cleanupWorstCase: WorstCase;
}

/**
 * What a run of a decoded suite would do, computed without sending a request or running a
 * script: each step's request rendered with the vars, `--var`s, the environment and placeholders
 * for saved values (`{{ job_id }}` -> `<saved by "Submit job">`), each poll's schedule (see
 * `pollSchedule`, computed with the formula `poll` waits by), each step's and test's worst-case
 * duration, and flags: a `max_attempts` the timeout never lets a poll reach (`DeadCap`, a
 * warning) and an interval under 1 s against a host that is not this machine (`FastPoll`, a
 * hint). Secrets are masked as the run masks them (`--secret` values, secret-named environment
 * variables the suite reads, credentials; sensitive headers show `***`).
 *
 * The templates are not checked here: `checkTemplates` does that first, as `run` does; a template
 * that could not render shows as written or as `<undefined: name>`.
 *
 * planSuite(loaded, { vars: { base: 'http://127.0.0.1:8080' } }).tests[0].steps[1].request?.url
 * // 'http://127.0.0.1:8080/jobs/<saved by "Submit job">'
 */
export function planSuite(loaded: LoadedSuite, options: PlanSuiteOptions = {}): SuitePlan {
  const suite = loaded.suite;
  const vars = mergeVars(suite.vars ?? {}, options.vars ?? {});
  const env = options.env ?? {};
  const secrets = options.secrets ?? {};
  const steps = stepsInScope(loaded, options.only).map((s) => ({
    s,
    plan: planStep(s, loaded, { vars, env, secrets, savedBy: s.savedBy, anySavedBy: s.anySavedBy }),
  }));
  const of = (keep: (s: StepInScope) => boolean): StepPlan[] => steps.filter(({ s }) => keep(s)).map(({ plan }) => plan);
  // Each test's steps, in one pass (a suite may hold thousands of tests).
  const byTest = new Map<number, StepPlan[]>();
  for (const { s, plan } of steps) {
    if (s.testIndex === undefined) continue;
    const list = byTest.get(s.testIndex);
    if (list === undefined) byTest.set(s.testIndex, [plan]);
    else list.push(plan);
  }
  const tests: TestPlan[] = [];
  suite.tests.forEach((test, index) => {
    if (options.only !== undefined && !options.only(test.name, index)) return;
    const own = byTest.get(index) ?? [];
    tests.push({ name: test.name, index, line: loaded.locate(['tests', index])?.line, steps: own, worstCase: worstCaseOf(own) });
  });
  const init = of((s) => s.kind === 'suite_init');
  const cleanup = of((s) => s.kind === 'suite_cleanup');
  const plan: SuitePlan = {
    file: loaded.file,
    name: suite.name,
    init,
    tests,
    cleanup,
    initWorstCase: worstCaseOf(init),
    cleanupWorstCase: worstCaseOf(cleanup),
  };
  // Masked as the run's events are: what a run would print, a plan prints too.
  return createRedactor({ secrets: suiteSecrets(suite, { env, secrets, vars }) }).redact(plan);
}

/** The sum of the steps' worst cases; a lower bound when one is not known. */
export function worstCaseOf(steps: readonly { readonly worstCaseMs: number | undefined }[]): WorstCase {
  return {
    ms: steps.reduce((sum, s) => sum + (s.worstCaseMs ?? 0), 0),
    bounded: steps.every((s) => s.worstCaseMs !== undefined),
  };
}

/** A value known before the run, or why it is not. */
type Known<A> = { readonly _tag: 'Known'; readonly value: A } | { readonly _tag: 'Unknown'; readonly reason: string };

function planStep(inScope: StepInScope, loaded: LoadedSuite, ctx: PlanContext): StepPlan {
  const step = inScope.step;
  const line = loaded.locate(inScope.path)?.line;
  const base = { name: step.name, plugin: step.plugin, phase: phaseOf(inScope.path), path: formatKeyPath(inScope.path), line };
  const flag = (tag: PlanFlag['_tag'], level: PlanFlag['level'], path: KeyPath, message: string): PlanFlag => ({
    _tag: tag,
    level,
    file: loaded.file,
    line: loaded.locate(path)?.line ?? line,
    path: formatKeyPath(path),
    step: step.name,
    message,
  });
  const own = planOwn(step, inScope.path, ctx, flag);
  const retry = planRetry(step, ctx);
  if (retry._tag === 'Unknown') return { ...base, ...own.fields, worstCaseMs: undefined, unknown: retry.reason, flags: own.flags };
  const runs = retry.value;
  const once = own.worstCaseMs;
  const worstCaseMs = once._tag === 'Known' ? runs.maximumAttempts * once.value + runs.waitsMs.reduce((a, b) => a + b, 0) : undefined;
  return {
    ...base,
    ...own.fields,
    ...(runs.maximumAttempts > 1 ? { retry: runs } : {}),
    worstCaseMs,
    ...(once._tag === 'Unknown' ? { unknown: once.reason } : {}),
    flags: own.flags,
  };
}

type Flagger = (tag: PlanFlag['_tag'], level: PlanFlag['level'], path: KeyPath, message: string) => PlanFlag;

/** What a step's plugin does, and how long one run of it takes at worst. */
interface OwnPlan {
  readonly fields: Partial<Pick<StepPlan, 'request' | 'poll' | 'delayMs' | 'message' | 'script'>>;
  readonly worstCaseMs: Known<number>;
  readonly flags: readonly PlanFlag[];
}

function planOwn(step: Step, at: KeyPath, ctx: PlanContext, flag: Flagger): OwnPlan {
  switch (step.plugin) {
    case 'http':
      return planHttp(step.config, [...at, 'config'], ctx, flag);
    case 'delay': {
      const duration = known(step.config.duration, Duration, ctx, 'duration', 0);
      return {
        fields: duration._tag === 'Known' ? { delayMs: duration.value } : {},
        worstCaseMs: duration,
        flags: [],
      };
    }
    case 'log':
      return { fields: { message: renderPlanned(step.config.message, ctx).text }, worstCaseMs: { _tag: 'Known', value: 0 }, flags: [] };
    case 'script': {
      const timeout = known(step.config.timeout, Duration, ctx, 'timeout', DEFAULT_SCRIPT_TIMEOUT_MS);
      const c = step.config;
      return {
        fields: {
          script: {
            language: c.language,
            ...('file' in c ? { file: c.file } : {}),
            timeoutMs: timeout._tag === 'Known' ? timeout.value : undefined,
          },
        },
        worstCaseMs: timeout,
        flags: [],
      };
    }
    case 'sql': {
      // At worst the whole poll (its deadline cuts the attempt in flight), else the step's timeout.
      const c = step.config;
      const worstCaseMs =
        c.polling === undefined
          ? known(c.timeout, Duration, ctx, 'timeout', DEFAULT_SQL_TIMEOUT_MS)
          : known(c.polling.timeout, PollingFields.timeout, ctx, 'polling.timeout', DEFAULT_SQL_TIMEOUT_MS);
      return { fields: {}, worstCaseMs, flags: [] };
    }
    default:
      return {
        fields: {},
        worstCaseMs: { _tag: 'Unknown', reason: `plugin ${JSON.stringify((step as { plugin: string }).plugin)} is not built in` },
        flags: [],
      };
  }
}

function planHttp(c: Extract<Step, { plugin: 'http' }>['config'], at: KeyPath, ctx: PlanContext, flag: Flagger): OwnPlan {
  const savedBy: string[] = [];
  const text = (source: string): string => {
    const rendered = renderPlanned(source, ctx);
    for (const by of rendered.savedBy) if (!savedBy.includes(by)) savedBy.push(by);
    return rendered.text;
  };
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(c.headers ?? {})) {
    const header = text(name);
    headers[header] = SENSITIVE_HEADERS.has(header.toLowerCase()) ? REDACTED : text(value);
  }
  let body: Json | undefined;
  if (c.body !== undefined) {
    const rendered = typeof c.body === 'string' ? { value: text(c.body), savedBy: [] } : renderPlannedValue(c.body, ctx);
    for (const by of rendered.savedBy) if (!savedBy.includes(by)) savedBy.push(by);
    body = rendered.value;
  }
  const form =
    c.form === undefined
      ? undefined
      : Object.fromEntries(Object.entries(c.form).map(([k, v]) => [k, typeof v === 'string' ? text(v) : v.map(text)]));
  const requestTimeout = known(c.timeout, Duration, ctx, 'timeout', DEFAULT_REQUEST_TIMEOUT_MS);
  const request: PlannedRequest = {
    method: text(c.method).toUpperCase(),
    url: text(c.url),
    headers,
    ...(body === undefined ? {} : { body }),
    ...(form === undefined ? {} : { form }),
    timeoutMs: requestTimeout._tag === 'Known' ? requestTimeout.value : undefined,
    savedBy,
  };
  const polling = c.polling;
  if (polling === undefined) return { fields: { request }, worstCaseMs: requestTimeout, flags: [] };

  const p = {
    interval: known(polling.interval, PollingFields.interval, ctx, 'polling.interval', 0),
    timeout: known(polling.timeout, PollingFields.timeout, ctx, 'polling.timeout', 0),
    maxAttempts: optional(polling.max_attempts, PollingFields.max_attempts, ctx, 'polling.max_attempts'),
    backoffCoefficient: known(polling.backoff_coefficient, PollingFields.backoff_coefficient, ctx, 'polling.backoff_coefficient', 1),
    maxInterval: optional(polling.max_interval, PollingFields.max_interval, ctx, 'polling.max_interval'),
    jitter: optional(polling.jitter, PollingFields.jitter, ctx, 'polling.jitter'),
  };
  const unknown = [p.interval, p.timeout, p.maxAttempts, p.backoffCoefficient, p.maxInterval, p.jitter, requestTimeout].find(
    (k): k is Extract<Known<unknown>, { _tag: 'Unknown' }> => k._tag === 'Unknown',
  );
  // The deadline bounds the poll even when the rest is only known at run time.
  const deadline = p.timeout._tag === 'Known' ? p.timeout.value : undefined;
  if (unknown !== undefined) {
    return {
      fields: { request, poll: { _tag: 'Unknown', reason: unknown.reason, timeoutMs: deadline } },
      worstCaseMs: deadline === undefined ? unknown : { _tag: 'Known', value: deadline },
      flags: [],
    };
  }
  const value = <A>(k: Known<A>): A => (k as { value: A }).value;
  const settings = {
    intervalMs: value(p.interval),
    timeoutMs: value(p.timeout),
    backoffCoefficient: value(p.backoffCoefficient),
    requestTimeoutMs: value(requestTimeout),
    ...defined('maxAttempts', value(p.maxAttempts)),
    ...defined('maxIntervalMs', value(p.maxInterval)),
    ...defined('jitter', value(p.jitter)),
  };
  const schedule = pollSchedule({
    interval: settings.intervalMs,
    timeout: settings.timeoutMs,
    maxAttempts: settings.maxAttempts,
    backoffCoefficient: settings.backoffCoefficient,
    maxInterval: settings.maxIntervalMs,
    jitter: settings.jitter,
    requestTimeoutMs: settings.requestTimeoutMs,
  });
  const flags: PlanFlag[] = [];
  const pollingAt = [...at, 'polling'];
  if (schedule.deadCap !== undefined) {
    const { maxAttempts, reachable } = schedule.deadCap;
    flags.push(
      flag(
        'DeadCap',
        'warning',
        [...pollingAt, 'max_attempts'],
        `max_attempts ${maxAttempts} can never be reached: the timeout (${formatDuration(settings.timeoutMs)}) ends the poll after ${reachable} attempt${reachable === 1 ? '' : 's'} at most, even with instant responses; lower max_attempts to ${reachable}, or raise the timeout`,
      ),
    );
  }
  const host = hostOfUrl(request.url);
  if (settings.intervalMs < 1000 && host !== undefined && !isLoopback(host)) {
    flags.push(
      flag(
        'FastPoll',
        'hint',
        [...pollingAt, 'interval'],
        `interval ${formatDuration(settings.intervalMs)} polls ${host} more than once a second; against a server that is not this machine, 1s or more (or a backoff_coefficient) is kinder`,
      ),
    );
  }
  return {
    fields: { request, poll: { _tag: 'Known', ...settings, schedule } },
    worstCaseMs: { _tag: 'Known', value: schedule.worstCaseMs },
    flags,
  };
}

/** A step's `retry`: how many runs and the waits between them, with the runner's defaults and formula. */
function planRetry(step: Step, ctx: PlanContext): Known<PlannedRetry> {
  const policy = step.retry;
  if (policy === undefined) return { _tag: 'Known', value: { maximumAttempts: 1, waitsMs: [] } };
  for (const key of ['initial_interval', 'maximum_interval', 'maximum_attempts', 'backoff_coefficient'] as const) {
    const why = dependsOnRun(policy[key], ctx, `retry.${key}`);
    if (why !== undefined) return { _tag: 'Unknown', reason: why };
  }
  const resolved = resolveRetryPolicy(policy, { saved: {}, vars: ctx.vars, env: ctx.env, secrets: ctx.secrets });
  if (E.isLeft(resolved)) return { _tag: 'Unknown', reason: resolved.left };
  const runs = resolved.right.maximumAttempts;
  // A runaway maximum_attempts lists no more waits than a person reads; the sum stays exact below that.
  const waitsMs = Array.from({ length: Math.min(runs - 1, 1000) }, (_, i) => retryDelay(resolved.right, i + 1));
  return { _tag: 'Known', value: { maximumAttempts: runs, waitsMs } };
}

/** A templatable field's value before the run: as written, rendered with what is known, or why it must wait for the run. */
function known<A>(value: Templatable<A> | undefined, codec: t.Decoder<unknown, A>, ctx: PlanContext, field: string, fallback: A): Known<A> {
  const got = optional(value, codec, ctx, field);
  return got._tag === 'Known' && got.value === undefined ? { _tag: 'Known', value: fallback } : (got as Known<A>);
}

function optional<A>(
  value: Templatable<A> | undefined,
  codec: t.Decoder<unknown, A>,
  ctx: PlanContext,
  field: string,
): Known<A | undefined> {
  if (value === undefined || !isTemplate(value)) return { _tag: 'Known', value };
  const why = dependsOnRun(value, ctx, field);
  if (why !== undefined) return { _tag: 'Unknown', reason: why };
  const resolved = resolveTemplatable(value, codec, { saved: {}, vars: ctx.vars, env: ctx.env, secrets: ctx.secrets }, field);
  return E.isRight(resolved) ? { _tag: 'Known', value: resolved.right } : { _tag: 'Unknown', reason: resolved.left };
}

/** Why a templated field is only known once the run gets there (`polling.max_attempts "{{ n }}" is <saved by "Count">`), if it is. */
function dependsOnRun(value: unknown, ctx: PlanContext, field: string): string | undefined {
  if (!isTemplate(value)) return undefined;
  const parsed = parseTemplate(value.source);
  if (E.isLeft(parsed)) return undefined;
  for (const part of parsed.right) {
    if (part._tag !== 'Reference') continue;
    const planned = planReference(part, ctx);
    if (planned._tag === 'Placeholder' && planned.text !== REDACTED) return `${field} ${JSON.stringify(value.source)} is ${planned.text}`;
  }
  return undefined;
}

function defined<K extends string, A>(key: K, value: A | undefined): { [P in K]?: A } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: A };
}

/** Which list a step is in, from its key path. */
function phaseOf(path: KeyPath): Phase {
  if (path[0] === 'init') return 'suite_init';
  if (path[0] === 'cleanup') return path[1] === 'on_failure' ? 'suite_cleanup_on_failure' : 'suite_cleanup_always';
  if (path[2] === 'init') return 'init';
  if (path[2] === 'cleanup') return path[3] === 'on_failure' ? 'cleanup_on_failure' : 'cleanup_always';
  return 'steps';
}

/** The host of a rendered URL, when a placeholder does not hide it. */
function hostOfUrl(url: string): string | undefined {
  try {
    const host = new URL(url).hostname;
    return host === '' || host.includes('<') || host.includes('%3C') ? undefined : host;
  } catch {
    return undefined;
  }
}

/** `localhost`, `*.localhost`, 127.0.0.0/8, `::1`: this machine. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(h) || h === '::1' || h === '0:0:0:0:0:0:0:1';
}
