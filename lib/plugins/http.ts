import { concatMap, defer, map, Observable, throwError } from 'rxjs';
import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../json.js';
import { HttpConfig, type Polling } from '../dsl/index.js';
import { Duration } from '../dsl/codecs/duration.js';
import { buildRequest, type RenderedHttpConfig } from '../http/build-request.js';
import { TransportError, type HttpRequest, type HttpResponse } from '../http/http-client.js';
import { headerRecord } from '../http/http-headers.js';
import { bodyExcerpt } from '../http/decode-body.js';
import type { CompiledCheck } from '../check/compile-check.js';
import { renderString } from '../template/render-string.js';
import type { TemplateContext } from '../template/template-context.js';
import {
  poll,
  PollConfigError,
  PollFailedError,
  PollMaxAttemptsError,
  PollTimeoutError,
  type PollEvent,
  type PollFailureInfo,
} from '../operators/poll.js';
import { renderJson, resolveTemplatable } from '../template/resolve-templatable.js';
import type { AttemptRecord, CheckRecord } from '../step/attempt-record.js';
import { definePlugin, type Plugin, type PluginContext, type PluginEvent } from '../step/plugin.js';
import { createContractCache, type ContractCache } from '../openapi/contract-cache.js';
import { StepConfigError, StepFailedError } from '../step/step-error.js';
import type { LastAttempt, PollEvidence, StepFailure } from '../step/step-failure.js';
import { resolvePolling } from './resolve-polling.js';
import { done, failed, notYet, type Judgement } from '../operators/judgement.js';
import { attemptContract, checkResponse, contractSettings, stepContract, type StepContract } from './http-contract.js';
import type { AttemptContract, ContractCheck } from '../step/contract-check.js';
import type { Mutable } from '../mutable.js';

/** How much of a response body goes into events. */
export const BODY_EXCERPT_CHARS = 500;
/** How much of the last response body a failed poll's message shows. */
const LAST_BODY_CHARS = 200;

/** Options of {@link createHttpPlugin}. */
export interface HttpPluginOptions {
  /**
   * Where the OpenAPI documents of `openapi` are kept once loaded. Default: a cache of the
   * plugin's own, for as long as the plugin lives. A run passes its own (see `preloadContracts`),
   * so that the documents it loaded at start are the ones its steps use, and the next run reads
   * them afresh.
   */
  readonly contracts?: ContractCache | undefined;
}

/**
 * `plugin: http`: one request, or a poll of requests when `polling` is set.
 *
 * Without `polling`, a transport failure fails the step; any status is a response that the
 * step's `assertions` judge. With `polling`, requests repeat until every condition holds (see
 * `poll` for the timing rules); transport errors, bodies that are not JSON and paths that match
 * nothing are "not yet". The winning response is the step's response, for `assertions` and
 * `save`. Every request is reported as an `Attempt` event. With an OpenAPI contract (`openapi`),
 * the request is validated before it is sent and each response before anything else; each
 * attempt records how both fared (`AttemptRecord.contract`).
 */
export function createHttpPlugin(options: HttpPluginOptions = {}): Plugin<HttpConfig> {
  const contracts = options.contracts ?? createContractCache();
  return definePlugin<HttpConfig>({
    name: 'http',
    config: HttpConfig,
    run: (config, context) =>
      defer(() => {
        // Not `pipe(rendered, E.chain(buildRequest))`: fp-ts 2.16's `chain` collects its arguments
        // into arrays on every call (~1 us, warm), and this runs on every step.
        const rendered = renderHttpConfig(config, context.variables);
        const request = E.isLeft(rendered) ? rendered : buildRequest(rendered.right, { maxBodyBytes: context.maxBodyBytes });
        if (E.isLeft(request)) return throwError(() => new StepConfigError(request.left));
        // The contract (`openapi`) judges the request before it is sent, and each response before anything else.
        const polling = config.polling;
        // Without one, the step runs straight away: a `concatMap` over "no contract" would stay
        // subscribed (and hold its state) for as long as the step runs, a poll's waits included.
        if (contractSettings(context.openapi, config.openapi) === undefined) {
          return polling === undefined ? single(request.right, context) : polled(request.right, polling, context);
        }
        return stepContract(config, request.right, context, contracts).pipe(
          concatMap((contract) =>
            polling === undefined ? single(request.right, context, contract) : polled(request.right, polling, context, contract),
          ),
        );
      }),
  });
}

/** The `http` step kind, with OpenAPI documents kept for as long as the process lives (see {@link createHttpPlugin}). */
export const httpPlugin = createHttpPlugin();

/**
 * One request: its attempt event, then Done, or a failure on a transport error.
 *
 * `http(request).pipe(take(1), mergeMap(attempt, then Done or the contract's failure),
 * catchError(a transport error: its attempt, then the step's failure))`, written out as one
 * subscriber: those operators cost four subscribers, an inner `from` and their closures on every
 * step of a run, for events that are always emitted at once.
 */
function single(request: HttpRequest, context: PluginContext, contract?: StepContract): Observable<PluginEvent> {
  const started = context.scheduler.now();
  const attemptWith = (outcome: AttemptRecord['outcome'], check: ContractCheck | undefined): PluginEvent => ({
    _tag: 'Attempt',
    attempt: attemptRecord(
      request,
      1,
      undefined,
      undefined,
      context.scheduler.now() - started,
      outcome,
      [],
      undefined,
      attemptContract(contract, check),
    ),
  });
  return new Observable<PluginEvent>((subscriber) => {
    const fail = (error: unknown): void => {
      if (!(error instanceof TransportError)) return subscriber.error(error);
      let attempt: PluginEvent;
      try {
        attempt = attemptWith(transportOutcome(error), undefined);
      } catch (thrown) {
        return subscriber.error(thrown);
      }
      subscriber.next(attempt);
      subscriber.error(new StepFailedError({ _tag: 'Transport', code: error.code, message: error.message }, { attempts: 1 }));
    };
    // The first response ends the step; completing `subscriber` unsubscribes the request (as `take(1)`).
    return context.http(request).subscribe({
      next: (response) => {
        if (subscriber.closed) return;
        let check: ContractCheck | undefined;
        let attempt: PluginEvent;
        try {
          check = contract === undefined ? undefined : checkResponse(contract, response);
          attempt = attemptWith(responseOutcome(response), check);
        } catch (thrown) {
          return fail(thrown);
        }
        subscriber.next(attempt);
        if (check?._tag === 'Failed') {
          subscriber.error(new StepFailedError(contractFailure(contract, check.violations, undefined), { attempts: 1 }));
          return;
        }
        subscriber.next({ _tag: 'Done', saved: {}, subject: response, checks: [], attempts: 1 });
        subscriber.complete();
      },
      error: fail,
      complete: () => subscriber.complete(),
    });
  });
}

/**
 * An attempt's response as the poll keeps it: judged as soon as it arrives, with what reports need
 * (its attempt record's outcome, the start of its body). The response itself is kept only when it
 * ends the poll (its conditions hold, or a fail condition does): the others are dropped at once,
 * so a poll of a 10 MB body holds one body at a time, not two (the last one, while the next is
 * in flight), and a failed poll's evidence costs a few hundred characters.
 */
interface JudgedResponse {
  readonly response: HttpResponse | undefined;
  readonly outcome: Extract<AttemptRecord['outcome'], { _tag: 'Response' }>;
  /** The start of the body, for the failure message's `last body:`. */
  readonly lastBody: string;
  readonly conditions: readonly CheckRecord[];
  /** What the poll is told: a fail condition holds (first), every condition holds, or not yet. */
  readonly judgement: Judgement;
  /** The response held to the step's OpenAPI contract (none without one): `Failed` fails the poll at once. */
  readonly contract: ContractCheck | undefined;
  /** The first fail condition that holds on this response, with its results (what it matched). */
  readonly failCondition?: HeldCondition;
}

/** A fail condition that holds: its label and its results on the response, every one passed. */
interface HeldCondition {
  readonly label: string;
  readonly held: readonly CheckRecord[];
}

/** The first of `checks` whose every result passes on `response`; each check is evaluated once. */
function firstHolding(checks: readonly CompiledCheck[], response: HttpResponse): HeldCondition | undefined {
  for (const check of checks) {
    const results = check.evaluate(response);
    if (results.every((r) => r._tag === 'Passed')) return { label: check.label, held: results };
  }
  return undefined;
}

function polled(request: HttpRequest, polling: Polling, context: PluginContext, contract?: StepContract): Observable<PluginEvent> {
  const settings = resolvePolling(polling, context.variables);
  if (E.isLeft(settings)) return throwError(() => new StepConfigError(settings.left));
  const s = settings.right;
  // Conditions are rendered and compiled once per step, then judged once per response, as it arrives.
  const judgeResponse = (response: HttpResponse): JudgedResponse => {
    const check = contract === undefined ? undefined : checkResponse(contract, response);
    // Held with the attempt while the poll waits: `concat` makes the array of its exact length
    // (`flatMap` grows one as `push` does, to 17 slots).
    const conditions =
      s.conditions.length === 1
        ? (s.conditions[0] as CompiledCheck).evaluate(response)
        : ([] as CheckRecord[]).concat(...s.conditions.map((c) => c.evaluate(response)));
    const failing = firstHolding(s.failConditions, response);
    // A response that is both done and failed fails.
    const judgement =
      check?._tag === 'Failed'
        ? failed('OpenAPI contract')
        : failing !== undefined
          ? failed(failing.label)
          : conditions.every((r) => r._tag === 'Passed')
            ? done
            : notYet(retryAfterMs(response, context.wallClock()));
    const judged: Mutable<JudgedResponse> = {
      response: judgement._tag === 'NotYet' ? undefined : response,
      outcome: responseOutcome(response),
      lastBody: bodyExcerpt(response.body, LAST_BODY_CHARS),
      conditions,
      judgement,
      contract: check,
    };
    // Set, not spread: this runs on every attempt, mostly before V8 has optimized it.
    if (failing !== undefined) judged.failCondition = failing;
    return judged;
  };

  const events$ = defer(() => context.http(request)).pipe(
    map(judgeResponse),
    poll<JudgedResponse>({
      interval: s.interval,
      timeout: s.timeout,
      scheduler: context.scheduler,
      maxAttempts: s.maxAttempts,
      backoffCoefficient: s.backoffCoefficient,
      maxInterval: s.maxInterval,
      jitter: s.jitter,
      judge: (j) => j.judgement,
      resume: context.resumePoll,
    }),
  );

  // Each poll event becomes its attempt's event, and the winning one also Done, at once. Written
  // out rather than as a `concatMap` of `of(...)`: that keeps a merge state (a dozen closures) per
  // waiting poll, and there is never anything to queue.
  return new Observable<PluginEvent>((subscriber) =>
    events$.subscribe({
      next: (a) => {
        let attempt: PluginEvent;
        try {
          attempt = { _tag: 'Attempt', attempt: pollRecord(request, a, contract) };
        } catch (error) {
          subscriber.error(error); // as a throwing `concatMap` project would
          return;
        }
        subscriber.next(attempt);
        if (a._tag === 'Done' && a.value.response !== undefined)
          subscriber.next({ _tag: 'Done', saved: {}, subject: a.value.response, checks: a.value.conditions, attempts: a.number });
      },
      error: (error: unknown) => {
        let failure: unknown;
        try {
          failure = pollFailure(error, contract);
        } catch (thrown) {
          failure = thrown;
        }
        subscriber.error(failure);
      },
      complete: () => subscriber.complete(),
    }),
  );
}

/** The step's failure for a poll's error, with the evidence of rule 7. */
function pollFailure(error: unknown, contract?: StepContract): unknown {
  if (error instanceof PollConfigError) return new StepConfigError(`config.polling: ${error.message}`);
  if (!(error instanceof PollTimeoutError || error instanceof PollMaxAttemptsError || error instanceof PollFailedError)) return error;
  const info = error.info as PollFailureInfo<JudgedResponse>;
  const last = lastAttempt(info.last);
  const evidence: PollEvidence = { attempts: info.attempts, elapsedMs: info.elapsedMs, last };
  const checks = last?._tag === 'Response' ? last.conditions : [];
  const broken = info.last?.outcome._tag === 'Value' ? info.last.outcome.value.contract : undefined;
  if (error instanceof PollFailedError && broken?._tag === 'Failed') {
    return new StepFailedError(contractFailure(contract, broken.violations, info.last?.number), { checks, attempts: info.attempts });
  }
  const failure: StepFailure =
    error instanceof PollTimeoutError
      ? {
          _tag: 'PollTimedOut',
          ...evidence,
          timeoutMs: error.info.timeoutMs,
          // A wait not waited is the poll giving up early: the deadline itself never came.
          stoppedBy: error.info.unwaitedDelayMs === undefined ? 'Deadline' : 'NextWait',
          inFlight: error.info.inFlight,
          unwaitedDelayMs: error.info.unwaitedDelayMs,
        }
      : error instanceof PollMaxAttemptsError
        ? { _tag: 'PollExhausted', ...evidence, maxAttempts: error.info.maxAttempts }
        : failCondition(error as PollFailedError<JudgedResponse>, evidence);
  return new StepFailedError(failure, { checks, attempts: info.attempts });
}

/** The failure of a response that broke the step's contract. */
function contractFailure(contract: StepContract | undefined, violations: readonly string[], attempt: number | undefined): StepFailure {
  return { _tag: 'ContractViolation', side: 'response', operation: contract?.label, violations, attempt };
}

/** The fail condition that stopped a poll, with what it matched on the attempt that decided it. */
function failCondition(error: PollFailedError<JudgedResponse>, evidence: PollEvidence): StepFailure {
  const last = error.info.last?.outcome;
  const held = last?._tag === 'Value' ? last.value.failCondition : undefined;
  return { _tag: 'FailCondition', ...evidence, condition: held?.label ?? error.info.reason, held: held?.held ?? [] };
}

/** What a failed poll's message shows of its last finished attempt. */
function lastAttempt(a: PollFailureInfo<JudgedResponse>['last']): LastAttempt | undefined {
  if (a === undefined) return undefined;
  const outcome = a.outcome;
  if (outcome._tag === 'Value') {
    const judged = outcome.value;
    return { _tag: 'Response', number: a.number, status: judged.outcome.status, conditions: judged.conditions, body: judged.lastBody };
  }
  if (outcome._tag === 'Error') return { _tag: 'TransportError', number: a.number, message: describeError(outcome.error) };
  return { _tag: 'NoResponse', number: a.number };
}

/**
 * Renders every templated part of the request (url, headers' names and values, body, form).
 * The first failing part, in that order (method, url, headers, body, form, timeout), is the error.
 */
function renderHttpConfig(config: HttpConfig, variables: TemplateContext): E.Either<string, RenderedHttpConfig> {
  const str = (value: string, field: string): E.Either<string, string> => {
    const r = renderString(value, variables);
    return E.isLeft(r) ? E.left(`config.${field}: ${r.left.message}`) : r;
  };
  // Plain early returns rather than an `E.Do`/`E.bind` chain: this runs once per step.
  const method = str(config.method, 'method');
  if (E.isLeft(method)) return method;
  const url = str(config.url, 'url');
  if (E.isLeft(url)) return url;
  const headers = config.headers === undefined ? undefined : renderHeaders(config.headers, variables);
  if (headers !== undefined && E.isLeft(headers)) return headers;
  const body: E.Either<string, Json> | undefined =
    config.body === undefined
      ? undefined
      : typeof config.body === 'string'
        ? str(config.body, 'body')
        : renderJson(config.body, variables, 'config.body');
  if (body !== undefined && E.isLeft(body)) return body;
  const form = config.form === undefined ? undefined : renderForm(config.form, variables);
  if (form !== undefined && E.isLeft(form)) return form;
  const timeout = config.timeout === undefined ? undefined : resolveTemplatable(config.timeout, Duration, variables, 'config.timeout');
  if (timeout !== undefined && E.isLeft(timeout)) return timeout;
  return E.right({
    method: method.right,
    url: url.right,
    headers: headers?.right,
    body: body?.right,
    form: form?.right,
    timeout: timeout?.right,
    insecure: config.insecure,
  });
}

function renderHeaders(headers: Readonly<Record<string, string>>, variables: TemplateContext): E.Either<string, Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const n = renderString(name, variables);
    if (E.isLeft(n)) return E.left(`config.headers: ${n.left.message}`);
    const v = renderString(value, variables);
    if (E.isLeft(v)) return E.left(`config.headers.${name}: ${v.left.message}`);
    out[n.right] = v.right;
  }
  return E.right(out);
}

function renderForm(
  form: Readonly<Record<string, string | readonly string[]>>,
  variables: TemplateContext,
): E.Either<string, Record<string, string | string[]>> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(form)) {
    const values = typeof value === 'string' ? [value] : value;
    const rendered: string[] = [];
    for (const v of values) {
      const r = renderString(v, variables);
      if (E.isLeft(r)) return E.left(`config.form.${key}: ${r.left.message}`);
      rendered.push(r.right);
    }
    out[key] = typeof value === 'string' ? (rendered[0] as string) : rendered;
  }
  return E.right(out);
}

/**
 * `Retry-After` of a 429 or 503, in ms: delay-seconds as they are (`120` -> 120000), an HTTP date
 * less `wallNowMs`. An HTTP date is wall-clock time, so `wallNowMs` is the wall clock
 * (`Date.now()` by default; the http plugin passes its context's `wallClock`), never a scheduler's
 * `now()`, which may be virtual. A date in the
 * past is 0; a value that is neither is `undefined`.
 *
 * ```ts
 * retryAfterMs(busy); // a 503 with `Retry-After: 120`: 120000
 * // a 429 with `Retry-After: Wed, 21 Oct 2015 07:28:30 GMT`, at 07:28:00 on the wall clock: 30000
 * retryAfterMs(tooMany, Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'));
 * ```
 */
export function retryAfterMs(response: HttpResponse, wallNowMs: number = Date.now()): number | undefined {
  if (response.status !== 429 && response.status !== 503) return undefined;
  const value = response.headers.get('retry-after')?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - wallNowMs);
}

function pollRecord(request: HttpRequest, a: PollEvent<JudgedResponse>, contract: StepContract | undefined): AttemptRecord {
  if (a._tag === 'Done') {
    const { outcome, conditions } = a.value;
    const checked = attemptContract(contract, a.value.contract);
    return attemptRecord(request, a.number, a.maxAttempts, a.timeoutMs, a.elapsedMs, outcome, conditions, undefined, checked);
  }
  const outcome = a.outcome;
  const result: AttemptRecord['outcome'] =
    outcome._tag === 'Value'
      ? outcome.value.outcome
      : transportOutcome(outcome._tag === 'Error' ? outcome.error : new Error('no response'));
  const conditions = outcome._tag === 'Value' ? outcome.value.conditions : [];
  const checked = attemptContract(contract, outcome._tag === 'Value' ? outcome.value.contract : undefined);
  return attemptRecord(request, a.number, a.maxAttempts, a.timeoutMs, a.elapsedMs, result, conditions, a.nextDelayMs, checked);
}

function attemptRecord(
  request: HttpRequest,
  number: number,
  maxAttempts: number | undefined,
  timeoutMs: number | undefined,
  elapsedMs: number,
  outcome: AttemptRecord['outcome'],
  conditions: readonly CheckRecord[],
  nextDelayMs: number | undefined,
  contract: AttemptContract | undefined,
): AttemptRecord {
  // Keys set, not spread, in the order reports print them: this runs on every attempt, mostly
  // before V8 has optimized it, where a spread is a runtime call.
  const sent: Mutable<AttemptRecord['request']> = {
    method: request.method,
    url: request.url,
    headers: request.headers,
  };
  if (request.body !== undefined) sent.body = request.body;
  const record: Mutable<AttemptRecord> = {
    number,
    maxAttempts,
    elapsedMs,
    timeoutMs,
    request: sent,
    outcome,
    conditions,
    nextDelayMs,
  };
  if (contract !== undefined) record.contract = contract;
  return record;
}

/** What an attempt record says of a response: status, headers, the start of the body. */
function responseOutcome(r: HttpResponse): Extract<AttemptRecord['outcome'], { _tag: 'Response' }> {
  return {
    _tag: 'Response',
    status: r.status,
    headers: headerRecord(r.headers),
    bodyExcerpt: bodyExcerpt(r.body, BODY_EXCERPT_CHARS),
    durationMs: r.durationMs,
  };
}

function transportOutcome(e: unknown): AttemptRecord['outcome'] {
  return { _tag: 'TransportError', code: e instanceof TransportError ? e.code : 'ERROR', message: describeError(e) };
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
