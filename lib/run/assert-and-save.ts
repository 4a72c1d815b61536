import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../json.js';
import type { Step, Save } from '../dsl/index.js';
import { compileChecks } from '../check/compile-checks.js';
import { compileJsonPath } from '../extract/json-path.js';
import type { CheckSubject } from '../check/check-subject.js';
import type { TemplateContext } from '../template/template-context.js';
import { type PluginEvent } from '../step/plugin.js';
import { StepConfigError, StepFailedError } from '../step/step-error.js';
import type { CheckRecord } from '../step/attempt-record.js';
import type { SaveFailed } from '../step/step-failure.js';
import { renderJson } from '../template/resolve-templatable.js';
import { escapeUnknownNames } from '../template/escape-unknown-names.js';

type Done = Extract<PluginEvent, { _tag: 'Done' }>;

/**
 * Runs a step's `assertions` once on the plugin's final response and takes its `save`s from
 * that response only. A `header:` save takes the header's first value when the response has
 * several (as Go's `Header.Get`, which Rocketship uses). Returns every check record and the saved variables (the plugin's own
 * saves first, then the step's `save` list), or the error that fails the step.
 */
export function applyAssertionsAndSaves(
  step: Step,
  done: Done,
  variables: TemplateContext,
): E.Either<StepFailedError | StepConfigError, { checks: readonly CheckRecord[]; saved: Readonly<Record<string, Json>> }> {
  // A sql step's assertions leave undefined bare names as written, as Rocketship renders them.
  const assertions =
    step.plugin === 'sql'
      ? (step.assertions ?? []).map((c) => escapeUnknownNames(c as unknown as Json, variables) as unknown as typeof c)
      : (step.assertions ?? []);
  const saves = step.save ?? [];
  const subject = done.subject;
  if (subject === undefined && (assertions.length > 0 || saves.length > 0)) {
    const what = assertions.length > 0 ? 'assertions' : 'save';
    return E.left(new StepConfigError(`${what} need a response, and the ${step.plugin} plugin gives none`));
  }
  const checks: CheckRecord[] = [...done.checks];
  if (subject !== undefined) {
    const compiled = compileChecks(assertions, variables, 'assertions');
    if (E.isLeft(compiled)) return E.left(new StepConfigError(compiled.left));
    for (const check of compiled.right) checks.push(...check.evaluate(subject));
  }
  const failed = checks.filter((c) => c._tag === 'Failed');
  if (failed.length > 0) {
    return E.left(new StepFailedError({ _tag: 'Assertions', failed }, { checks, attempts: done.attempts }));
  }
  const saved: Record<string, Json> = { ...done.saved };
  if (subject !== undefined) {
    for (const [i, save] of saves.entries()) {
      const value = takeSave(save, subject, variables, i);
      if (E.isLeft(value)) return E.left(value.left);
      if (value.right !== undefined) saved[save.as] = value.right;
    }
  }
  return E.right({ checks, saved });
}

function takeSave(
  save: Save,
  subject: CheckSubject,
  variables: TemplateContext,
  i: number,
): E.Either<StepFailedError | StepConfigError, Json | undefined> {
  const required = save.required ?? true;
  const rendered = renderJson(save, variables, `save[${i}]`);
  if (E.isLeft(rendered)) return E.left(new StepConfigError(rendered.left));
  const s = rendered.right;
  // `sql_result` is a jq path into a sql step's result, which is its subject's JSON body.
  const path =
    'json_path' in s ? { key: 'json_path', path: s.json_path } : 'sql_result' in s ? { key: 'sql_result', path: s.sql_result } : undefined;
  if (path !== undefined) {
    const query = compileJsonPath(path.path);
    if (E.isLeft(query)) return E.left(new StepConfigError(`save[${i}].${path.key}: ${query.left}`));
    if (subject.body._tag !== 'Json') {
      return required ? E.left(saveFailed(s.as, { _tag: 'NotJson', reason: subject.body.reason })) : E.right(undefined);
    }
    const found = query.right.query(subject.body.value);
    if (found._tag === 'Found') return E.right(found.value);
    return required ? E.left(saveFailed(s.as, { _tag: 'NoMatch', jsonPath: path.path })) : E.right(undefined);
  }
  if (!('header' in s)) return E.right(undefined);
  // The first value of a header received several times, as Go's Header.Get (Rocketship) reads it.
  const first = subject.headerValues(s.header)[0];
  if (first !== undefined) return E.right(first);
  return required ? E.left(saveFailed(s.as, { _tag: 'NoHeader', header: s.header })) : E.right(undefined);
}

function saveFailed(as: string, why: SaveFailed['why']): StepFailedError {
  return new StepFailedError({ _tag: 'SaveFailed', as, why }, { attempts: 1 });
}
