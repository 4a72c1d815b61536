import type { Observable, SchedulerLike } from 'rxjs';
import type { Json } from '../json.js';
import type { HttpClient } from '../http/http-client.js';
import type { CheckSubject } from '../check/check-subject.js';
import type { TemplateContext } from '../template/template-context.js';
import type { AttemptRecord, CheckRecord } from './attempt-record.js';
import type { StepRef } from './step-ref.js';

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
  readonly maxBodyBytes?: number;
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
 * A step kind: decoded config in, a cold Observable of events out. Unsubscribing cancels the
 * work in flight. The Observable errors with {@link StepFailedError} (see `step-error.ts`) when the system under test
 * misbehaved and {@link StepConfigError} when the step cannot run as written.
 */
export type Plugin<C = unknown> = (config: C, context: PluginContext) => Observable<PluginEvent>;
