import * as t from 'io-ts';
import { NEVER, type Observable, type SchedulerLike } from 'rxjs';
import { builtinPluginCodecs, decodeSuiteText, type LoadedSuite, type Step, type Test } from '../../lib/dsl/index.js';
import { builtinPlugins } from '../../lib/plugins/builtin.js';
import { definePlugin, type Plugin, type PluginContext, type PluginEvent } from '../../lib/step/plugin.js';
import { withPlugin } from '../../lib/plugins/registry.js';
import type { Phase, StepRef } from '../../lib/event/run-event.js';
import type { StepEnv } from '../../lib/run/run-step.js';
import type { Json } from '../../lib/json.js';
import { fakeHttp } from './fake-http.js';

// Helpers for specs that call runStep, runSequence and runTest directly. A step of kind `probe`
// (any config) runs whatever plugin the spec gives; the built-in kinds run as usual.

/** The file every suite decoded here is said to come from. */
export const FILE = '/specs/inline/rocketship.yaml';

/** Decodes a suite written inline, where steps may also use `plugin: probe`; throws on errors. */
export function probeSuite(text: string): LoadedSuite {
  const decoded = decodeSuiteText(text, FILE, { plugins: { ...builtinPluginCodecs, probe: t.unknown } });
  if (decoded._tag === 'Left') throw new Error(decoded.left.map((e) => `${e.line}:${e.col} ${e.path}: ${e.message}`).join('\n'));
  return decoded.right;
}

/** The first test of a suite holding only `test` (YAML of one test map, indented by 2). */
export function probeTest(test: string): Test {
  return probeSuite(`name: S\ntests:\n${test}`).suite.tests[0] as Test;
}

/** Steps from YAML flow maps, one per argument: `probeSteps('{ name: a, plugin: probe, config: {} }')`. */
export function probeSteps(...steps: string[]): Step[] {
  return probeTest(`  - name: t\n    steps:\n${steps.map((s) => `      - ${s}\n`).join('')}`).steps;
}

/** Where a step sits, for events: test `t` (index 0) of suite `S`. */
export function stepRef(step: string, index = 0, phase: Phase = 'steps'): StepRef {
  return { suite: 'S', file: FILE, test: 't', testIndex: 0, phase, index, step, line: undefined };
}

/** What the `probe` plugin does: its `run`, given whatever config the step has. */
export type ProbeRun = Plugin<unknown>['run'];

/** What the `probe` plugin does for the step of each name: a cold Observable the spec makes. */
export type ProbeScript = Record<string, (context: PluginContext) => Observable<PluginEvent>>;

/** A `probe` run that looks the step up by name in `script`. */
export const probeByStep =
  (script: ProbeScript): ProbeRun =>
  (_config, context) =>
    script[context.ref.step]!(context);

/** What a plugin emits last when it passed without a response: nothing saved, one attempt. */
export const DONE: Extract<PluginEvent, { _tag: 'Done' }> = { _tag: 'Done', saved: {}, subject: undefined, checks: [], attempts: 1 };

/**
 * A StepEnv for `scheduler`: built-in plugins plus `probe`, an HTTP client that never answers,
 * no vars, env or secrets, and no interruption; `config` overrides any of it.
 */
export function stepEnv(scheduler: SchedulerLike, probe: ProbeRun, config: Partial<StepEnv> = {}): StepEnv {
  return {
    plugins: withPlugin(builtinPlugins(), definePlugin({ name: 'probe', config: t.unknown, run: probe })),
    http: fakeHttp(() => NEVER),
    scheduler,
    suiteDir: '/specs/inline',
    vars: {},
    env: {},
    secrets: {},
    interrupt$: NEVER,
    ...config,
  };
}

/** `DONE` with `saved`. */
export const doneSaving = (saved: Record<string, Json> = {}): PluginEvent => ({ ...DONE, saved });
