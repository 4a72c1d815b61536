import type { Observable, SchedulerLike } from 'rxjs';
import type * as t from 'io-ts';
import type { Json } from '../json.js';
import type { HttpClient } from '../http/http-client.js';
import type { CheckSubject } from '../check/check-subject.js';
import type { TemplateContext } from '../template/template-context.js';
import type { OpenApiConfig } from '../dsl/codecs/openapi-config.js';
import type { AttemptRecord, CheckRecord } from './attempt-record.js';
import type { StepRef } from './step-ref.js';
import type { RunResources } from './run-resources.js';
import type { PollResume } from '../operators/poll.js';

/**
 * What a plugin is given to run one step: the variables visible to it, and every effect it may
 * use (HTTP, time). Plugins never read the clock or the network any other way, so marble specs
 * can drive them in virtual time.
 */
export interface PluginContext {
  /** Saved variables, file vars, environment and secrets, for template rendering. */
  readonly variables: TemplateContext;
  readonly http: HttpClient;
  readonly scheduler: SchedulerLike;
  /** Directory of the suite file: script `file:` paths are relative to it. */
  readonly suiteDir: string;
  /** Where the step sits (suite, test, phase, index, line). */
  readonly ref: StepRef;
  /** Maximum response body size in bytes for HTTP steps. */
  readonly maxBodyBytes?: number | undefined;
  /**
   * The wall clock, in epoch ms: only for what servers say in dates (`Retry-After: <HTTP date>`).
   * Waits and timings use `scheduler`, whose clock may be virtual.
   */
  readonly wallClock: () => number;
  /** The suite's `openapi` (defaults of every `http` step's contract validation), when it has one. */
  readonly openapi?: OpenApiConfig | undefined;
  /**
   * What the run keeps open across steps and closes when it ends (the sql plugin's connection
   * pools). Absent in a context made by hand: a plugin then opens what it needs for the step only.
   */
  readonly resources?: RunResources | undefined;
  /**
   * Set when this step was started by another process that stopped (a queue worker killed
   * mid-poll): a polling plugin continues that poll (`poll`'s `resume`: attempt numbers, the
   * schedule and the deadline carry on). Plugins that do not poll run the step again.
   */
  readonly resumePoll?: PollResume | undefined;
}

/**
 * Where a step that another process started continues (see `runTest`'s `resume`): it does not
 * announce itself again (no second `StepStarted`), its duration counts from `startedAt`, and a
 * polling plugin is given `poll` (see {@link PluginContext.resumePoll}).
 */
export interface StepResume {
  /** When the step started, on the scheduler's clock. */
  readonly startedAt: number;
  /** The poll in progress, when the step was polling. */
  readonly poll?: PollResume | undefined;
  /**
   * The step's `retry` policy so far: the run in progress (1 for the first; it is the one that
   * continues, later runs follow on the policy's schedule up to `maximum_attempts` in all) and the
   * requests of all runs. Read by the runner, not by plugins.
   */
  readonly retry?: { readonly runs: number; readonly requests: number } | undefined;
}

/** What a running plugin reports. The last event of a successful run is always `Done`. */
export type PluginEvent =
  | { readonly _tag: 'Attempt'; readonly attempt: AttemptRecord }
  | { readonly _tag: 'Log'; readonly message: string }
  | {
      readonly _tag: 'Done';
      /** Variables the plugin saved by itself (script `save()`, shell `exit_code`). */
      readonly saved: Readonly<Record<string, Json>>;
      /** The response that `assertions` and `save` are taken from, when the plugin has one. */
      readonly subject: CheckSubject | undefined;
      /** Checks the plugin evaluated itself (a poll's conditions on the winning attempt). */
      readonly checks: readonly CheckRecord[];
      readonly attempts: number;
    };

/**
 * A step kind, in one definition: its name (the `plugin:` value), the codec of its `config`
 * (the decoder uses it, so a config is checked, with file:line:col, before anything runs) and
 * how it runs: decoded config in, a cold Observable of events out. Unsubscribing cancels the
 * work in flight. The Observable errors with `StepFailedError` (see `step-error.ts`) when the
 * system under test misbehaved and `StepConfigError` when the step cannot run as written.
 *
 * const greet = definePlugin({
 *   name: 'greet',
 *   config: strictType('a greet config (who)', { who: t.string }, {}),
 *   run: (config) => of({ _tag: 'Log', message: `hello ${config.who}` }, { _tag: 'Done', saved: {}, subject: undefined, checks: [], attempts: 1 }),
 * });
 */
export interface Plugin<C> {
  readonly name: string;
  /** Decodes the step's `config`; unknown keys should be errors (see `strictType`). */
  readonly config: t.Type<C, unknown, unknown>;
  readonly run: (config: C, context: PluginContext) => Observable<PluginEvent>;
}

/** A {@link Plugin}, with its config type inferred from its codec. */
export function definePlugin<C>(plugin: Plugin<C>): Plugin<C> {
  return plugin;
}
