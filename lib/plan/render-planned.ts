import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../json.js';
import { REDACTED } from '../secrets/credentials.js';
import { parseTemplate, type TemplateReference } from '../template/parse-template.js';
import { jsonText, MAX_RENDER_DEPTH } from '../template/render-string.js';
import { resolveReference } from '../template/resolve-reference.js';
import type { TemplateContext } from '../template/template-context.js';

/**
 * What a step's templates can be rendered with before the run: the values known now, and who
 * saves the names that are only known once the run gets there.
 */
export interface PlanContext {
  /** The file's vars with `--var-file` and `--var` merged over them. */
  readonly vars: Readonly<Record<string, Json>>;
  /** The environment (`--env-file`, the process's). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `--secret` values: rendered as `***`, never shown. */
  readonly secrets: Readonly<Record<string, string>>;
  /** The first step before this one, in its scope, that may save `name` (see `stepsInScope`). */
  savedBy(name: string): string | undefined;
  /** The first step before this one that may save any name (a script's computed `save`). */
  readonly anySavedBy: string | undefined;
}

/** A reference as a plan shows it: its value, or a placeholder saying why it is not known before the run. */
export type PlannedReference =
  | { readonly _tag: 'Known'; readonly value: Json }
  /** `<saved by "Submit job">`, `<.env.TOKEN is not set>`, `***` (a secret). */
  | { readonly _tag: 'Placeholder'; readonly text: string; readonly savedBy?: string };

/**
 * Looks a reference up as a plan does: a name a step before this one saves is the placeholder
 * `<saved by "STEP">` (saved values win over vars at run time, as `resolveReference` looks them
 * up), `{{ .secrets.X }}` is `***`, an unset `{{ .env.X }}` is `<.env.X is not set>`; anything
 * else is its value, from the vars or the environment.
 *
 * planReference({ scope: 'auto', path: ['job_id'], name: 'job_id' }, ctx)   // Placeholder '<saved by "Submit job">'
 * planReference({ scope: 'vars', path: ['base'], name: '.vars.base' }, ctx) // Known 'http://127.0.0.1:8080'
 */
export function planReference(ref: TemplateReference, ctx: PlanContext): PlannedReference {
  if (ref.scope === 'auto') {
    // The longest dotted prefix that a step saves, as the renderer looks saved names up.
    for (let k = Math.min(ref.path.length, 16); k >= 1; k -= 1) {
      const by = ctx.savedBy(ref.path.slice(0, k).join('.'));
      if (by !== undefined) return { _tag: 'Placeholder', text: `<saved by ${JSON.stringify(by)}>`, savedBy: by };
    }
  }
  if (ref.scope === 'secrets') {
    const given = Object.prototype.hasOwnProperty.call(ctx.secrets, ref.path.join('.'));
    return { _tag: 'Placeholder', text: given ? REDACTED : `<no --secret ${ref.path.join('.')}>` };
  }
  const context: TemplateContext = { saved: {}, vars: ctx.vars, env: ctx.env };
  const value = resolveReference(ref, context);
  if (E.isRight(value)) return { _tag: 'Known', value: value.right };
  if (ref.scope === 'env') return { _tag: 'Placeholder', text: `<${ref.name} is not set>` };
  if (ref.scope === 'auto' && ctx.anySavedBy !== undefined)
    return { _tag: 'Placeholder', text: `<saved by ${JSON.stringify(ctx.anySavedBy)}?>`, savedBy: ctx.anySavedBy };
  return { _tag: 'Placeholder', text: `<undefined: ${ref.name}>` };
}

/** A string rendered for a plan, and the steps whose saves it depends on. */
export interface PlannedText {
  readonly text: string;
  /** The steps that save a value this text holds, in order of first use; empty when it is what the run will send. */
  readonly savedBy: readonly string[];
}

/**
 * Renders a string's templates for a plan (see {@link planReference}): values written as the
 * runner writes them (strings as they are, anything else as JSON), placeholders where a value
 * is only known once the run gets there. A string that is not a valid template is kept as written
 * (the checks before the plan report it).
 *
 * renderPlanned('{{ .vars.base }}/jobs/{{ job_id }}', ctx)
 * // { text: 'http://127.0.0.1:8080/jobs/<saved by "Submit job">', savedBy: ['Submit job'] }
 */
export function renderPlanned(source: string, ctx: PlanContext): PlannedText {
  if (!source.includes('{{')) return { text: source, savedBy: [] };
  const parsed = parseTemplate(source);
  if (E.isLeft(parsed)) return { text: source, savedBy: [] };
  let text = '';
  const savedBy: string[] = [];
  for (const part of parsed.right) {
    if (part._tag === 'Text') {
      text += part.text;
      continue;
    }
    const planned = planReference(part, ctx);
    if (planned._tag === 'Placeholder') {
      text += planned.text;
      if (planned.savedBy !== undefined && !savedBy.includes(planned.savedBy)) savedBy.push(planned.savedBy);
      continue;
    }
    const written = jsonText(planned.value, part.name);
    text += E.isRight(written) ? written.right : `<${part.name}: too deep to show>`;
  }
  return { text, savedBy };
}

/** A value (a body, a form) rendered for a plan, and the steps whose saves it depends on. */
export interface PlannedValue {
  readonly value: Json;
  readonly savedBy: readonly string[];
}

/**
 * Renders the templates of a value deeply for a plan, as `renderValue` renders it at run time:
 * a string that is exactly one template keeps the value's JSON type (`"{{ .vars.n }}"` -> `5`),
 * a placeholder stays a string; map keys are rendered too. Lists and maps deeper than the
 * renderer's limit are cut (`"<too deep>"`).
 *
 * renderPlannedValue({ id: '{{ job_id }}', n: '{{ .vars.n }}' }, ctx)
 * // { value: { id: '<saved by "Submit job">', n: 5 }, savedBy: ['Submit job'] }
 */
export function renderPlannedValue(value: Json, ctx: PlanContext): PlannedValue {
  const savedBy: string[] = [];
  const note = (by: readonly string[]): void => {
    for (const step of by) if (!savedBy.includes(step)) savedBy.push(step);
  };
  const one = (source: string): Json => {
    const parsed = source.includes('{{') ? parseTemplate(source) : undefined;
    const only = parsed !== undefined && E.isRight(parsed) && parsed.right.length === 1 ? parsed.right[0] : undefined;
    if (only !== undefined && only._tag === 'Reference') {
      const planned = planReference(only, ctx);
      if (planned._tag === 'Known') return planned.value;
      if (planned.savedBy !== undefined) note([planned.savedBy]);
      return planned.text;
    }
    const rendered = renderPlanned(source, ctx);
    note(rendered.savedBy);
    return rendered.text;
  };
  // Suite files nest at most 100 levels (the decoder's limit); the bound keeps code-built values safe too.
  const walk = (v: Json, depth: number): Json => {
    if (typeof v === 'string') return one(v);
    if (v === null || typeof v !== 'object') return v;
    if (depth >= MAX_RENDER_DEPTH) return '<too deep>';
    if (Array.isArray(v)) return v.map((item) => walk(item, depth + 1));
    const entries = Object.entries(v as { readonly [k: string]: Json }).map(([key, item]): [string, Json] => {
      const k = one(key);
      return [typeof k === 'string' ? k : JSON.stringify(k), walk(item, depth + 1)];
    });
    return Object.fromEntries(entries);
  };
  return { value: walk(value, 0), savedBy };
}
