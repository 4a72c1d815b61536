import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../json.js';
import { parseTemplate, type TemplateReference } from '../template/parse-template.js';
import { resolveReference } from '../template/resolve-reference.js';
import { cut } from '../template/template-error.js';
import { isTemplate } from '../template/template.js';
import { capErrors } from './cap-errors.js';
import type { Step } from './codecs/step.js';
import type { LoadedSuite } from './decode-suite.js';
import { didYouMean } from './did-you-mean.js';
import type { DslError } from './dsl-error.js';
import type { DslWarning } from './dsl-warning.js';
import { formatKeyPath, type KeyPath } from './key-path.js';
import type { TextSpan } from './locate-text.js';
import { sortAndDedupe } from './report-errors.js';
import { scriptSaves, type MaySave } from './script-saves.js';
import type { SqlConfig } from './codecs/sql-config.js';

/** Options of {@link checkTemplates}: what the run will give the templates. */
export interface TemplateCheckOptions {
  /** The vars the run reads: the file's `vars` with `--var-file` and `--var` merged over them. Default: the file's `vars`. */
  readonly vars?: Readonly<Record<string, Json>> | undefined;
  /** The environment `{{ .env.X }}` reads (the process's, and `--env-file`). Default: `.env.X` is not checked. */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /** The names given with `--secret`. Default: `.secrets.X` is not checked. */
  readonly secrets?: readonly string[] | undefined;
  /**
   * What an unset `{{ .env.X }}`, or a `{{ .secrets.X }}` not given, is: a `'warning'` (for
   * `validate`: the run's environment may have it) or an `'error'` (for `run`, which has its
   * environment). Default `'warning'`.
   */
  readonly unset?: 'warning' | 'error' | undefined;
  /**
   * The tests to check (those that will run), by name and position in the file's `tests`.
   * Default: all. Suite init and cleanup are always checked.
   */
  readonly only?: ((testName: string, testIndex: number) => boolean) | undefined;
}

/** What {@link checkTemplates} found, each in source order. */
export interface TemplateCheck {
  readonly errors: readonly DslError[];
  readonly warnings: readonly DslWarning[];
}

/**
 * Checks every template of a decoded suite before anything runs, as Hurl checks a file: each
 * problem a step would meet when rendering is reported at once, with the file, line and column
 * of the template and a caret under it.
 *
 * Where: every place the runner renders: a step's `assertions` and `save` (strings and keys,
 * deeply), its `retry` numbers and durations; `http`: `method`, `url`, header names and values,
 * `body` (a string, or a map or list, keys included), `form` values, `timeout`, `openapi.spec`, the `polling`
 * numbers and durations and its `conditions` and `fail_conditions`; `log`: `message`; `delay`:
 * `duration`; `script`: the inline `script` text and `timeout`. The `config` of a plugin that
 * is not built in is left to its plugin. Escaped openers (`\{{`) are text, not templates.
 *
 * What:
 * - syntax: `{{ .vars.api_url }/health` never closes; `{{ a b }}` is not a reference;
 * - `{{ .vars.x.y }}`: the path must lead somewhere in `vars` (the file's, `--var-file` and
 *   `--var` merged), with "did you mean" for a near miss;
 * - `{{ name }}`, `{{ a.b }}` (the root name counts): a step before this one, in its scope, may
 *   save `name`, or it is a var. In scope: the suite init's steps for everything; a test's init
 *   and the test's earlier steps; for a cleanup step, all of its test's steps and the cleanup
 *   steps before it in its own list (`on_failure` and `always` each start from the test's
 *   variables). A name saved only by a later step, or in another test, is an error that says
 *   so. What a step may save: its `save` list (`as`), and its plugin's own saves: none for `http`,
 *   `delay` and `log`; `exit_code`, `stdout`, `stderr` for a shell `script`; each literal name of a
 *   JavaScript `save("name", ...)` call (see `scriptSaves`). A `save()` whose name is not a
 *   literal, or a script read from a `file`, may save any name: after such a step no bare name is
 *   an error (only the run can tell). A plugin not built in may save any name too.
 * - `{{ .env.X }}` not set in `env`, `{{ .secrets.X }}` not among `secrets`: a warning or an
 *   error (see `unset`), once per name, at its first use, listing the lines of the others.
 *
 * What it cannot see stays with the runtime renderer: a value's shape inside a saved variable,
 * a script file's own templates, a name a script computes.
 *
 * checkTemplates(loaded, { vars, env: process.env, secrets: [], unset: 'error' })
 * // { errors: [{ file: 'jobs.yaml', line: 14, col: 40, path: 'tests[0].steps[1].config.url',
 * //              message: 'undefined variable "job_idd"; did you mean "job_id"?', ... }], warnings: [] }
 */
export function checkTemplates(loaded: LoadedSuite, options: TemplateCheckOptions = {}): TemplateCheck {
  const suite = loaded.suite;
  const vars = options.vars ?? suite.vars ?? {};
  const varNames = Object.keys(vars).sort();
  const errors: DslError[] = [];
  // Unset env vars and secrets not given: one problem per name, at its first use.
  const unset = new Map<string, { first: Located & { readonly path: KeyPath }; lines: number[]; text: UnsetText }>();

  // Every save of the file, in file order, to say where a name out of scope is saved.
  const savedAnywhere = new Map<string, SaveSite[]>();
  for (const sequence of stepSequences(loaded, () => true)) {
    sequence.steps.forEach((step, i) => {
      for (const name of maySave(step).names) {
        const sites = savedAnywhere.get(name);
        if (sites === undefined) savedAnywhere.set(name, [siteOf(sequence, i, step)]);
        else sites.push(siteOf(sequence, i, step));
      }
    });
  }

  const located = (site: TemplateSite, span: TextSpan): Located => {
    const at = loaded.locateText(site.path, { ...span, key: site.key });
    if (at !== undefined) return at;
    return { ...(loaded.locate(site.path) ?? { line: 1, col: 1 }), length: 1, source: undefined };
  };
  const report = (site: TemplateSite, span: TextSpan, message: string, more: { expected?: string; found?: string } = {}): void => {
    const at = located(site, span);
    errors.push({
      file: loaded.file,
      line: at.line,
      col: at.col,
      path: formatKeyPath(site.path),
      message,
      ...(more.expected === undefined ? {} : { expected: more.expected }),
      ...(more.found === undefined ? {} : { found: more.found }),
      ...(at.source === undefined ? {} : { source: at.source }),
      length: at.length,
    });
  };
  const reportUnset = (site: TemplateSite, span: TextSpan, key: string, text: UnsetText): void => {
    const at = located(site, span);
    const known = unset.get(key);
    if (known === undefined) unset.set(key, { first: { ...at, path: site.path }, lines: [at.line], text });
    else if (!known.lines.includes(at.line)) known.lines.push(at.line);
  };

  const checkReference = (ref: TemplateReference, site: TemplateSite, span: TextSpan, scope: Scope): void => {
    const found = JSON.stringify(cut(ref.name));
    switch (ref.scope) {
      case 'auto': {
        if (scope.any !== undefined || hasKeyPrefix(scope.saved, ref.path)) return; // saved before: its value is the run's to know
        if (site.lenient === true && !hasKeyPrefix(vars, ref.path)) return; // left as written
        if (hasKeyPrefix(vars, ref.path)) {
          const problem = varsProblem(ref, vars);
          if (problem !== undefined) report(site, span, problem.message, { expected: problem.expected, found });
          return;
        }
        const root = ref.path[0] as string;
        const elsewhere = savedUnder(savedAnywhere, ref.path);
        // A later step of the same sequence is the likeliest mix-up; else the first step that saves it.
        const shown = elsewhere.find((s) => sameSequence(s.sequence, scope.sequence)) ?? elsewhere[0];
        if (shown !== undefined) {
          report(site, span, `undefined variable ${found}: ${outOfScope(shown, scope, loaded)}`);
          return;
        }
        const candidates = [...scope.saved.keys(), ...varNames];
        const guess = didYouMean(root, candidates);
        report(
          site,
          span,
          guess === undefined
            ? `undefined variable ${found}: no step before this one saves it, and no var has that name`
            : `undefined variable ${found}; did you mean ${JSON.stringify(cut([guess, ...ref.path.slice(1)].join('.')))}?`,
          { expected: `a name saved before this step, or a var: ${listed(candidates)}`, found },
        );
        return;
      }
      case 'vars': {
        const problem = varsProblem(ref, vars);
        if (problem !== undefined) report(site, span, problem.message, { expected: problem.expected, found });
        return;
      }
      case 'env': {
        const env = options.env;
        const name = ref.path.join('.');
        if (env === undefined || (Object.prototype.hasOwnProperty.call(env, name) && env[name] !== undefined)) return;
        const guess = didYouMean(
          name,
          Object.keys(env).filter((k) => env[k] !== undefined),
        );
        reportUnset(site, span, `env ${name}`, {
          error: `undefined variable ${found}: the environment variable ${cut(name)} is not set (set it, or give it in an --env-file)`,
          warning: `the environment variable ${cut(name)} is not set: {{ ${cut(ref.name)} }} fails unless it is set when the suite runs`,
          hint: guess === undefined ? '' : `; did you mean ".env.${guess}"?`,
        });
        return;
      }
      case 'secrets': {
        const secrets = options.secrets;
        const name = ref.path.join('.');
        if (secrets === undefined || secrets.includes(name)) return;
        const guess = didYouMean(name, secrets);
        reportUnset(site, span, `secret ${name}`, {
          error: `undefined variable ${found}: no --secret ${cut(name)}=VALUE was given`,
          warning: `no --secret ${cut(name)}=VALUE was given: {{ ${cut(ref.name)} }} fails unless the run gives it`,
          hint: guess === undefined ? '' : `; did you mean ".secrets.${guess}"?`,
          ...(secrets.length === 0 ? {} : { expected: `a secret given with --secret: ${listed(secrets.map((s) => `.secrets.${s}`))}` }),
        });
        return;
      }
    }
  };

  const checkSite = (site: TemplateSite, scope: Scope): void => {
    const parsed = parseTemplate(site.text);
    if (E.isLeft(parsed)) {
      const problem = parsed.left.problem;
      if (problem._tag !== 'Syntax') return;
      const open = Math.max(0, site.text.lastIndexOf('{{', problem.offset));
      const close = site.text.indexOf('}}', open + 2);
      // At the `{{`: under it when it never closes, under the whole `{{ }}` when it is empty; else under the character.
      const to = problem.offset !== open ? problem.offset + 1 : close < 0 || problem.message.startsWith('unclosed') ? open + 2 : close + 2;
      const span = { open, from: problem.offset, to };
      report(site, span, `invalid template: ${problem.message}`);
      return;
    }
    for (const part of parsed.right) {
      if (part._tag !== 'Reference') continue;
      const close = site.text.indexOf('}}', part.offset + 2);
      checkReference(part, site, { open: part.offset, from: part.offset, to: close < 0 ? part.offset + 2 : close + 2 }, scope);
    }
  };

  for (const sequence of stepSequences(loaded, options.only ?? (() => true))) {
    const scope: Scope = { saved: new Map(sequence.seed()), any: sequence.seedAny(), sequence };
    sequence.steps.forEach((step, i) => {
      const at = { ...scope, index: i };
      for (const site of stepTemplates(step, sequence.pathOf(i))) checkSite(site, at);
      const saves = maySave(step);
      for (const name of saves.names) if (!scope.saved.has(name)) scope.saved.set(name, siteOf(sequence, i, step));
      // A name a script computes (`save(key, v)`) cannot be known before the run: from here on,
      // any name may have been saved, and no bare `{{ name }}` is an error.
      if (saves.any) scope.any ??= step.name;
    });
    sequence.done(scope);
  }

  const warnings: DslWarning[] = [];
  for (const { first, lines, text } of unset.values()) {
    const also = lines.length > 1 ? ` (used on lines ${listedNumbers(lines)})` : '';
    const at = { file: loaded.file, line: first.line, col: first.col, path: formatKeyPath(first.path) };
    if (options.unset === 'error') {
      errors.push({
        ...at,
        message: `${text.error}${also}${text.hint}`,
        ...(text.expected === undefined ? {} : { expected: text.expected }),
        ...(first.source === undefined ? {} : { source: first.source }),
        length: first.length,
      });
    } else {
      warnings.push({
        ...at,
        message: `${text.warning}${also}${text.hint}`,
        lines,
        ...(first.source === undefined ? {} : { source: first.source, length: first.length }),
      });
    }
  }
  return {
    errors: capErrors(sortAndDedupe(errors)),
    warnings: warnings.sort((a, b) => a.line - b.line || a.col - b.col),
  };
}

/** A string the runner renders, and where it is. */
export interface TemplateSite {
  /** The key path of the string in the suite file. */
  readonly path: KeyPath;
  /** The string is the map key at the end of `path` (a header name), not a value. */
  readonly key: boolean;
  readonly text: string;
  /**
   * An undefined bare name (`{{ placeholder }}`) is left as written rather than an error: a `sql`
   * step's assertions, which Rocketship renders that way (see `escapeUnknownNames`).
   */
  readonly lenient?: boolean;
}

/**
 * The strings of a step that the runner renders as templates (those holding `{{`), with their
 * key paths, `at` being the step's own path (see {@link checkTemplates} for the list).
 *
 * stepTemplates(step, ['tests', 0, 'steps', 1])
 * // [{ path: ['tests', 0, 'steps', 1, 'config', 'url'], key: false, text: '{{ .vars.base }}/jobs/{{ job_id }}' }]
 */
export function stepTemplates(step: Step, at: KeyPath): TemplateSite[] {
  const out: TemplateSite[] = [];
  const text = (value: unknown, path: KeyPath, key = false): void => {
    if (typeof value === 'string' && value.includes('{{')) out.push({ path, key, text: value });
  };
  const templatable = (value: unknown, path: KeyPath): void => {
    if (isTemplate(value)) text(value.source, path);
  };
  // Lists and maps of a suite nest at most 100 levels (the decoder's limit).
  const deep = (value: unknown, path: KeyPath): void => {
    if (typeof value === 'string') text(value, path);
    else if (Array.isArray(value)) value.forEach((item, i) => deep(item, [...path, i]));
    else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        text(key, [...path, key], true);
        deep(item, [...path, key]);
      }
    }
  };
  const assertionsFrom = out.length;
  step.assertions?.forEach((check, i) => deep(check, [...at, 'assertions', i]));
  if (step.plugin === 'sql')
    out.splice(assertionsFrom, out.length - assertionsFrom, ...out.slice(assertionsFrom).map((site) => ({ ...site, lenient: true })));
  step.save?.forEach((save, i) => deep(save, [...at, 'save', i]));
  if (step.retry !== undefined) {
    for (const key of ['initial_interval', 'maximum_interval', 'maximum_attempts', 'backoff_coefficient'] as const)
      templatable(step.retry[key], [...at, 'retry', key]);
  }
  const config = [...at, 'config'];
  switch (step.plugin) {
    case 'http': {
      const c = step.config;
      text(c.method, [...config, 'method']);
      text(c.url, [...config, 'url']);
      for (const [name, value] of Object.entries(c.headers ?? {})) {
        text(name, [...config, 'headers', name], true);
        text(value, [...config, 'headers', name]);
      }
      if (c.body !== undefined) deep(c.body, [...config, 'body']);
      for (const [name, value] of Object.entries(c.form ?? {})) {
        if (typeof value === 'string') text(value, [...config, 'form', name]);
        else value.forEach((v, i) => text(v, [...config, 'form', name, i]));
      }
      templatable(c.timeout, [...config, 'timeout']);
      if (c.openapi?.spec !== undefined) text(c.openapi.spec, [...config, 'openapi', 'spec']);
      const polling = c.polling;
      if (polling !== undefined) {
        for (const key of ['interval', 'timeout', 'max_attempts', 'backoff_coefficient', 'max_interval', 'jitter'] as const)
          templatable(polling[key], [...config, 'polling', key]);
        polling.conditions.forEach((check, i) => deep(check, [...config, 'polling', 'conditions', i]));
        polling.fail_conditions?.forEach((check, i) => deep(check, [...config, 'polling', 'fail_conditions', i]));
      }
      break;
    }
    case 'log':
      text(step.config.message, [...config, 'message']);
      break;
    case 'delay':
      templatable(step.config.duration, [...config, 'duration']);
      break;
    case 'script':
      if ('script' in step.config) text(step.config.script, [...config, 'script']);
      templatable(step.config.timeout, [...config, 'timeout']);
      break;
    case 'sql': {
      // Read defensively: a program may register a `sql` plugin of its own with another config.
      const c = step.config as Partial<Record<string, unknown>>;
      text(c['dsn'], [...config, 'dsn']);
      if (Array.isArray(c['commands'])) c['commands'].forEach((command, i) => text(command, [...config, 'commands', i]));
      templatable(c['timeout'], [...config, 'timeout']);
      const polling = c['polling'] as SqlConfig['polling'];
      if (polling !== undefined && polling !== null && typeof polling === 'object' && Array.isArray(polling.conditions)) {
        for (const key of ['interval', 'timeout', 'max_attempts', 'backoff_coefficient', 'max_interval', 'jitter'] as const)
          templatable(polling[key], [...config, 'polling', key]);
        polling.conditions.forEach((check, i) => deep(check, [...config, 'polling', 'conditions', i]));
        polling.fail_conditions?.forEach((check, i) => deep(check, [...config, 'polling', 'fail_conditions', i]));
      }
      break;
    }
    default:
      // A plugin registered by a program: its config is its own business.
      break;
  }
  return out;
}

/**
 * What a step may save: its `save` list's names and its plugin's own (see {@link checkTemplates}).
 * A plugin that is not built in may save any name.
 */
export function maySave(step: Step): MaySave {
  const listed = (step.save ?? []).map((s) => s.as);
  switch (step.plugin) {
    case 'http':
    case 'delay':
    case 'log':
    case 'sql':
      return { names: listed, any: false };
    case 'script': {
      const own = scriptSaves(step.config);
      return { names: [...own.names, ...listed], any: own.any };
    }
    default:
      return { names: listed, any: true };
  }
}

/** A step of a suite, with what the steps before it in its scope may have saved (see {@link stepsInScope}). */
export interface StepInScope {
  readonly step: Step;
  /** Its key path: `['init', 0]`, `['tests', 1, 'steps', 2]`, `['tests', 1, 'cleanup', 'always', 0]`, ... */
  readonly path: KeyPath;
  /** The list it runs in: the suite init, a test (its init and steps), a test's cleanup, the suite cleanup. */
  readonly kind: SequenceKind;
  /** The test's position in the file's `tests`, for a test's steps and cleanup. */
  readonly testIndex: number | undefined;
  /** The name of the first step before this one, in its scope, that may save `name`; `undefined` when none does. */
  savedBy(name: string): string | undefined;
  /** The first step before this one, in its scope, that may save any name (a script's computed `save`), if any. */
  readonly anySavedBy: string | undefined;
}

/**
 * Every step of a suite in the order a run starts them (the suite init, each test chosen by
 * `only` with its init, steps and cleanup, the suite cleanup), each with what a step before it in
 * its scope may have saved, by the rules {@link checkTemplates} checks templates by. For tools
 * that show what a step will send before anything runs (`rocketship plan`).
 *
 * stepsInScope(loaded)[2].savedBy('job_id')   // 'Submit job'
 */
export function stepsInScope(loaded: LoadedSuite, only: (testName: string, testIndex: number) => boolean = () => true): StepInScope[] {
  const out: StepInScope[] = [];
  for (const sequence of stepSequences(loaded, only)) {
    const scope: Scope = { saved: new Map(sequence.seed()), any: sequence.seedAny(), sequence };
    // Where in this sequence each name is first saved (-1: before it, by the seed).
    const savedAt = new Map<string, number>([...scope.saved.keys()].map((name) => [name, -1]));
    sequence.steps.forEach((step, i) => {
      out.push({
        step,
        path: sequence.pathOf(i),
        kind: sequence.kind,
        testIndex: sequence.testIndex,
        savedBy: (name) => {
          const at = savedAt.get(name);
          return at !== undefined && at < i ? scope.saved.get(name)?.step : undefined;
        },
        anySavedBy: scope.any,
      });
      const saves = maySave(step);
      for (const name of saves.names) {
        if (scope.saved.has(name)) continue;
        scope.saved.set(name, siteOf(sequence, i, step));
        savedAt.set(name, i);
      }
      if (saves.any) scope.any ??= step.name;
    });
    sequence.done(scope);
  }
  return out;
}

/** The words for an unset env var or a secret not given, as an error (run) and as a warning (validate). */
interface UnsetText {
  readonly error: string;
  readonly warning: string;
  /** `; did you mean ...?`, or ''. */
  readonly hint: string;
  readonly expected?: string;
}

/** A string's position for a message: the source line is missing when the string could not be found in it. */
interface Located {
  readonly line: number;
  readonly col: number;
  readonly length: number;
  readonly source: string | undefined;
}

export type SequenceKind = 'suite_init' | 'suite_cleanup' | 'test' | 'test_cleanup';

/** Steps run one after another, each seeing what the ones before it saved, on top of a seed. */
interface Sequence {
  readonly kind: SequenceKind;
  /** The key path of the step list (`['tests', 0, 'steps']`); a test's init and steps are one sequence, with the init's path. */
  readonly path: KeyPath;
  readonly steps: readonly Step[];
  /** Where each step is, when a sequence is made of two lists (a test's init, then its steps). */
  readonly pathOf: (index: number) => KeyPath;
  /** The test, for a test's sequences. */
  readonly test: string | undefined;
  /** The test's position in the file's `tests`, for a test's sequences. */
  readonly testIndex: number | undefined;
  /** What is saved before the first step. */
  readonly seed: () => Iterable<[string, SaveSite]>;
  /** The step before the first one that may save any name, if any. */
  readonly seedAny: () => string | undefined;
  /** Told the scope after the last step (the suite init's feeds every test, a test's feeds its cleanup). */
  readonly done: (scope: Scope) => void;
}

/** What a step sees: names saved before it, the first step saving each. */
interface Scope {
  readonly saved: Map<string, SaveSite>;
  /** The first step before it that may have saved any name (a script's computed `save`), if any. */
  any: string | undefined;
  readonly sequence: Sequence;
  readonly index?: number;
}

/** A step that saves a name. */
interface SaveSite {
  readonly step: string;
  readonly path: KeyPath;
  readonly sequence: Sequence;
  readonly index: number;
}

/**
 * The step sequences of a suite in the order a run starts them: the suite init; each test
 * (`only` chooses which), its init and steps as one sequence then each cleanup list seeded with
 * what the test saved; the suite cleanup lists, seeded with what the init saved.
 */
function stepSequences(loaded: LoadedSuite, only: (testName: string, testIndex: number) => boolean): Sequence[] {
  const suite = loaded.suite;
  let initScope: Scope | undefined;
  const fromInit = (): Iterable<[string, SaveSite]> => initScope?.saved ?? [];
  const initAny = (): string | undefined => initScope?.any;
  const list = (
    kind: SequenceKind,
    path: KeyPath,
    steps: readonly Step[] | undefined,
    test: { readonly name: string; readonly index: number } | undefined,
    seed: () => Iterable<[string, SaveSite]>,
    seedAny: () => string | undefined,
    done: (scope: Scope) => void = () => undefined,
  ): Sequence => ({
    kind,
    path,
    steps: steps ?? [],
    pathOf: (i) => [...path, i],
    test: test?.name,
    testIndex: test?.index,
    seed,
    seedAny,
    done,
  });

  const out: Sequence[] = [
    list(
      'suite_init',
      ['init'],
      suite.init,
      undefined,
      () => [],
      () => undefined,
      (scope) => (initScope = scope),
    ),
  ];
  suite.tests.forEach((test, t) => {
    if (!only(test.name, t)) return;
    let testScope: Scope | undefined;
    const init = test.init ?? [];
    const steps = [...init, ...test.steps];
    out.push({
      kind: 'test',
      path: ['tests', t],
      steps,
      pathOf: (i) => (i < init.length ? ['tests', t, 'init', i] : ['tests', t, 'steps', i - init.length]),
      test: test.name,
      testIndex: t,
      seed: fromInit,
      seedAny: initAny,
      done: (scope) => (testScope = scope),
    });
    for (const key of ['on_failure', 'always'] as const)
      out.push(
        list(
          'test_cleanup',
          ['tests', t, 'cleanup', key],
          test.cleanup?.[key],
          { name: test.name, index: t },
          () => testScope?.saved ?? [],
          () => testScope?.any,
        ),
      );
  });
  for (const key of ['on_failure', 'always'] as const)
    out.push(list('suite_cleanup', ['cleanup', key], suite.cleanup?.[key], undefined, fromInit, initAny));
  return out;
}

function siteOf(sequence: Sequence, index: number, step: Step): SaveSite {
  return { step: step.name, path: sequence.pathOf(index), sequence, index };
}

/** Why a name saved at `site` is out of `scope`'s reach, in words. */
function outOfScope(site: SaveSite, scope: Scope, loaded: LoadedSuite): string {
  const line = loaded.locate(site.path)?.line;
  const where = `step ${JSON.stringify(site.step)}${line === undefined ? '' : ` (line ${line})`}`;
  const here = scope.sequence;
  if (sameSequence(site.sequence, here)) {
    return site.index === scope.index
      ? `this step saves it itself, and its templates see only what was saved before it ran`
      : `${where} saves it, but runs after this step`;
  }
  const owner = site.sequence.test === undefined ? '' : ` of test ${JSON.stringify(site.sequence.test)}`;
  return `${where}${owner} saves it, but ${SEES[here.kind]}`;
}

/** Whether two sequences are the same steps (from two readings of the suite). */
function sameSequence(a: Sequence, b: Sequence): boolean {
  return a.kind === b.kind && JSON.stringify(a.path) === JSON.stringify(b.path);
}

const SEES: Readonly<Record<SequenceKind, string>> = {
  suite_init: 'a suite init step sees only what the init steps before it save',
  suite_cleanup: 'a suite cleanup step sees only what the suite init and the cleanup steps before it save',
  test: "a test's step sees only what the suite init and the test's own earlier steps save",
  test_cleanup: "a test's cleanup step sees only what the suite init, its own test and the cleanup steps before it save",
};

/**
 * The problem of a reference into `vars` (`{{ .vars.a.b }}`, or `{{ a.b }}` whose root is a var),
 * as the runtime renderer would find it, with "did you mean" among the names where it stopped.
 */
function varsProblem(ref: TemplateReference, vars: Readonly<Record<string, Json>>): { message: string; expected: string } | undefined {
  const resolved = resolveReference(ref, { saved: {}, vars, env: {} });
  if (E.isRight(resolved)) return undefined;
  const problem = resolved.left.problem;
  if (problem._tag !== 'UndefinedVariable') return { message: resolved.left.message, expected: 'a var' };
  const available = problem.available.filter((name) => !name.includes(' .. '));
  const guess = problem.detail === undefined ? didYouMean(ref.name, available) : undefined;
  const name = JSON.stringify(cut(ref.name));
  const message =
    problem.detail !== undefined
      ? `undefined variable ${name}: ${cut(problem.detail)}`
      : guess !== undefined
        ? `undefined variable ${name}; did you mean ${JSON.stringify(guess)}?`
        : `undefined variable ${name}`;
  const where = ref.scope === 'vars' ? "a var (the file's vars, --var-file and --var)" : 'a var';
  return { message, expected: `${where}: ${listed(problem.available)}` };
}

/** Whether a dotted prefix of `path` (the whole name included) is a key of `map`, as the renderer looks names up. */
function hasKeyPrefix(map: ReadonlyMap<string, unknown> | Readonly<Record<string, unknown>>, path: readonly string[]): boolean {
  const has = (key: string): boolean => (map instanceof Map ? map.has(key) : Object.prototype.hasOwnProperty.call(map, key));
  if (path.length <= 16) {
    for (let k = 1; k <= path.length; k += 1) if (has(path.slice(0, k).join('.'))) return true;
    return false;
  }
  // A long name: match the keys against it rather than join every prefix (see resolve-reference.ts).
  const full = path.join('.');
  const keys = map instanceof Map ? [...map.keys()] : Object.keys(map);
  return keys.some((key) => key !== '' && full.startsWith(key) && (key.length === full.length || full[key.length] === '.'));
}

/** The steps that save the longest dotted prefix of `path` that any step saves (`job` for `{{ job.id }}`). */
function savedUnder(saved: ReadonlyMap<string, readonly SaveSite[]>, path: readonly string[]): readonly SaveSite[] {
  for (let k = Math.min(path.length, 16); k >= 1; k -= 1) {
    const sites = saved.get(path.slice(0, k).join('.'));
    if (sites !== undefined) return sites;
  }
  return [];
}

/** At most 20 names, for `expected`. */
function listed(names: readonly string[]): string {
  if (names.length === 0) return '(none)';
  const shown = names.slice(0, 20).map((n) => cut(n));
  return names.length > 20 ? `${shown.join(', ')}, ... and ${names.length - 20} more` : shown.join(', ');
}

// "3 and 13", "3, 13 and 18"
function listedNumbers(numbers: readonly number[]): string {
  const all = numbers.map(String);
  const last = all.pop();
  return all.length === 0 ? (last ?? '') : `${all.join(', ')} and ${last}`;
}
