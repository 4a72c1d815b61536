import { from, defer, map, retry, throwError, timer, Observable, type SchedulerLike, type Subscription } from 'rxjs';
import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../json.js';
import type { Step } from '../dsl/index.js';
import type { HttpClient } from '../http/http-client.js';
import type { TemplateContext } from '../template/template-context.js';
import type { OpenApiConfig } from '../dsl/codecs/openapi-config.js';
import type { PluginContext, StepResume } from '../step/plugin.js';
import type { RunResources } from '../step/run-resources.js';
import { StepConfigError, StepFailedError } from '../step/step-error.js';
import type { PluginRegistry } from '../plugins/registry.js';
import type { RetryRecord, RunEvent, StepRef, StepResult } from '../event/run-event.js';
import { applyAssertionsAndSaves } from './assert-and-save.js';
import { resolveRetryPolicy, retryDelay, isRetryable, type ResolvedRetryPolicy } from './retry-policy.js';

/** Everything a step needs besides itself and the variables saved so far. */
export interface StepEnv {
  readonly plugins: PluginRegistry;
  readonly http: HttpClient;
  readonly scheduler: SchedulerLike;
  /** Directory of the suite file (script `file:` paths are relative to it). */
  readonly suiteDir: string;
  /** The file's `vars`, after `--var-file` and `--var` overrides. */
  readonly vars: Readonly<Record<string, Json>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly secrets: Readonly<Record<string, string>>;
  /** Emits (once) when the run is interrupted: the step in flight stops and reports `Interrupted`. */
  readonly interrupt$: Observable<string>;
  readonly maxBodyBytes?: number | undefined;
  /** The wall clock for dates servers send (see `PluginContext.wallClock`). Default `Date.now`. */
  readonly wallClock?: (() => number) | undefined;
  /** The suite's `openapi`, passed to plugins (see `PluginContext.openapi`). */
  readonly openapi?: OpenApiConfig | undefined;
  /** What the run keeps open across steps (see `PluginContext.resources`). */
  readonly resources?: RunResources | undefined;
}

/**
 * Runs one step as a cold Observable of run events: `StepStarted`, the plugin's attempts and
 * logs, then exactly one `StepEnded` whose result carries the variables the step saved (when it
 * passed). The step's `retry` policy re-runs the whole step (a poll included) after a failure;
 * configuration errors are never retried. With a policy of more than one run, a `Passed` or
 * `Failed` result says how many runs were made and how many requests in all (`retry`). Never
 * errors: every failure is a result.
 *
 * With `resume` (the step was started by a process that stopped), there is no `StepStarted`
 * (it was emitted then), the duration counts from the first start, and a poll continues where
 * it was (see {@link StepResume}).
 */
export function runStep(
  step: Step,
  ref: StepRef,
  saved: Readonly<Record<string, Json>>,
  env: StepEnv,
  resume?: StepResume,
): Observable<RunEvent> {
  return defer(() => {
    const { scheduler } = env;
    const startedAt = resume?.startedAt ?? scheduler.now();
    const started: RunEvent[] = resume === undefined ? [{ _tag: 'StepStarted', ref, plugin: step.plugin, at: startedAt }] : [];
    const variables: TemplateContext = { saved: { ...saved }, vars: env.vars, env: env.env, secrets: env.secrets };
    const elapsed = () => scheduler.now() - startedAt;
    let ended = false;
    const end = (result: StepResult): RunEvent => {
      ended = true;
      return { _tag: 'StepEnded', ref, result, at: scheduler.now() };
    };

    const plugin = env.plugins.get(step.plugin);
    if (plugin === undefined) {
      const known = [...env.plugins.keys()].sort();
      return from<RunEvent[]>([
        ...started,
        end({ _tag: 'Errored', durationMs: 0, cause: { _tag: 'UnknownPlugin', plugin: step.plugin, known } }),
      ]);
    }
    const policy = resolveRetryPolicy(step.retry, variables);
    if (E.isLeft(policy)) {
      return from<RunEvent[]>([...started, end({ _tag: 'Errored', durationMs: 0, cause: { _tag: 'Config', message: policy.left } })]);
    }

    const context: PluginContext = {
      variables,
      http: env.http,
      scheduler,
      suiteDir: env.suiteDir,
      ref,
      maxBodyBytes: env.maxBodyBytes,
      wallClock: env.wallClock ?? Date.now,
      openapi: env.openapi,
      resources: env.resources,
      resumePoll: resume?.poll,
    };
    // Over every run of the step (its `retry`): how many, and how many requests in all. A resumed
    // step goes on with the run that was in progress, and counts on from there.
    const resumedRun = resume?.retry?.runs ?? 1;
    let runs = resumedRun - 1;
    let requests = resume?.retry?.requests ?? 0;
    const retried = (): { retry?: RetryRecord } =>
      policy.right.maximumAttempts > 1 ? { retry: { runs, maxRuns: policy.right.maximumAttempts, requests } } : {};
    const once$ = defer(() => {
      runs += 1;
      // Only the run that was in progress resumes its poll; a retry after it starts afresh.
      return plugin.run(step.config, runs === resumedRun ? context : { ...context, resumePoll: undefined });
    }).pipe(
      // One run event per plugin event, so `map` (a throw errors the run, as `throwError` would in
      // a `concatMap`, which would also keep a merge state for as long as the step runs).
      map((event): RunEvent => {
        switch (event._tag) {
          case 'Attempt':
            requests += 1;
            return { _tag: 'AttemptMade', ref, attempt: event.attempt, at: scheduler.now() };
          case 'Log':
            return { _tag: 'LogEmitted', ref, message: event.message, at: scheduler.now() };
          case 'Done': {
            const outcome = applyAssertionsAndSaves(step, event, variables);
            if (E.isLeft(outcome)) throw outcome.left;
            return end({
              _tag: 'Passed',
              durationMs: elapsed(),
              attempts: event.attempts,
              checks: outcome.right.checks,
              saved: outcome.right.saved,
              ...retried(),
            });
          }
        }
      }),
    );

    const withRetry$ = retryStep(once$, policy.right, scheduler, resumedRun - 1);

    // `concat(from(started), withRetry$.pipe(catchError(failure), takeUntil(interrupt$)), <Interrupted
    // unless ended>)`, written out as one subscriber: those operators kept four subscribers, a merge
    // state and their closures for as long as the step runs, which for a poll is mostly waiting.
    return new Observable<RunEvent>((subscriber) => {
      for (const event of started) subscriber.next(event);
      // Subscribed before the step, as `takeUntil` would: an interrupt already given (it replays)
      // ends the step before it starts.
      let body: Subscription | undefined;
      const interrupted = env.interrupt$.subscribe(() => {
        body?.unsubscribe();
        if (!ended) subscriber.next(end({ _tag: 'Interrupted', durationMs: elapsed(), reason: 'interrupted' }));
        subscriber.complete();
      });
      subscriber.add(interrupted);
      if (subscriber.closed) return undefined;
      body = withRetry$.subscribe({
        next: (event) => subscriber.next(event),
        // Never an error: every failure is a result.
        error: (error: unknown) => {
          subscriber.next(end(failureResult(error, elapsed(), retried())));
          subscriber.complete();
        },
        // A plugin that completes without its `Done` did not finish: the step ends `Interrupted`, as
        // when the interrupt comes first.
        complete: () => {
          if (!ended) subscriber.next(end({ _tag: 'Interrupted', durationMs: elapsed(), reason: 'interrupted' }));
          subscriber.complete();
        },
      });
      return body;
    });
  });
}

/** `once$` retried on the policy's schedule, `runsBefore` runs of it having been made elsewhere (a resumed step). */
function retryStep(
  once$: Observable<RunEvent>,
  policy: ResolvedRetryPolicy,
  scheduler: SchedulerLike,
  runsBefore: number,
): Observable<RunEvent> {
  const left = policy.maximumAttempts - runsBefore;
  if (left <= 1) return once$;
  return once$.pipe(
    retry({
      count: left - 1,
      delay: (error: unknown, retryCount: number) =>
        isRetryable(error, policy) ? timer(retryDelay(policy, runsBefore + retryCount), scheduler) : throwError(() => error),
    }),
  );
}

/** Maps what a step threw to its result: failures of the system under test vs. of the step. */
function failureResult(error: unknown, durationMs: number, retried: { retry?: RetryRecord }): StepResult {
  if (error instanceof StepConfigError) return { _tag: 'Errored', durationMs, cause: error.error };
  if (error instanceof StepFailedError)
    return { _tag: 'Failed', durationMs, attempts: error.attempts, checks: error.checks, cause: error.failure, ...retried };
  const message = error instanceof Error ? error.message : String(error);
  return { _tag: 'Errored', durationMs, cause: { _tag: 'Internal', message } };
}
