/**
 * Why a template could not be rendered.
 * - `Syntax`: the text between `{{` and `}}` is not a reference, or a `{{` is never closed.
 *   `offset` is the 0-based index in the source string.
 * - `UndefinedVariable`: the reference names nothing. `available` lists what could have been
 *   named at the point where the lookup failed (names only, never values).
 * - `DuplicateKey`: two keys of one map render to the same text.
 * - `TooDeep`: the value to render nests lists and maps more than `limit` levels deep, or the
 *   value of `variable`, inserted into a string, is too deeply nested to write as JSON text.
 *
 * Messages quote at most {@link MAX_QUOTED} characters of a source or a name (a 100 KB template
 * gives a short message, cut around the offending offset).
 */
export type TemplateProblem =
  | { readonly _tag: 'Syntax'; readonly source: string; readonly offset: number; readonly message: string }
  | {
      readonly _tag: 'UndefinedVariable';
      readonly variable: string;
      readonly available: readonly string[];
      /** Extra explanation, e.g. `the environment variable USER is not set`. */
      readonly detail?: string;
    }
  | { readonly _tag: 'DuplicateKey'; readonly key: string; readonly sources: readonly [string, string] }
  | {
      readonly _tag: 'TooDeep';
      /** The most levels of lists and maps rendered. */
      readonly limit: number;
      /** The reference whose value could not be written as text, when that was the problem. */
      readonly variable?: string;
    }
  | {
      readonly _tag: 'Unwritable';
      /** Why, in full (the writer names the variable, the place and the way out). */
      readonly message: string;
      /** The reference whose value was refused, when a value was. */
      readonly variable?: string;
    };

/** A location inside a rendered value: map keys and list indexes from its root. */
export type ValuePath = ReadonlyArray<string | number>;

/**
 * A template that cannot be rendered. `problem` holds the data; `path` says where in a rendered
 * value (`renderValue`) the bad string sits, empty for `renderString`.
 *
 * new TemplateError({ _tag: 'UndefinedVariable', variable: 'job_id', available: ['order_id'] }).message
 * // 'undefined variable "job_id"; available: order_id'
 */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  constructor(
    readonly problem: TemplateProblem,
    readonly path: ValuePath = [],
  ) {
    super(formatProblem(problem, path));
  }

  /** The same error, located under `segment` of an enclosing value. */
  within(segment: string | number): TemplateError {
    return new TemplateError(this.problem, [segment, ...this.path]);
  }
}

/** How many names `available` shows before summarising the rest. */
const MAX_LISTED = 25;

function formatProblem(problem: TemplateProblem, path: ValuePath): string {
  const where = path.length === 0 ? '' : ` (at ${cut(formatPath(path))})`;
  switch (problem._tag) {
    case 'Syntax':
      return `invalid template at offset ${problem.offset} of ${quote(problem.source, problem.offset)}: ${problem.message}${where}`;
    case 'UndefinedVariable': {
      const detail = problem.detail === undefined ? '' : `: ${cut(problem.detail)}`;
      // with a detail ("X is not set"), an empty list says nothing more
      const available =
        problem.detail !== undefined && problem.available.length === 0 ? '' : `; available: ${formatAvailable(problem.available)}`;
      return `undefined variable ${quote(problem.variable)}${detail}${available}${where}`;
    }
    case 'DuplicateKey':
      return `keys ${quote(problem.sources[0])} and ${quote(problem.sources[1])} both render to ${quote(problem.key)}${where}`;
    case 'TooDeep':
      return problem.variable === undefined
        ? `the value nests lists and maps more than ${problem.limit} levels deep${where}`
        : `the value of ${quote(problem.variable)} is nested too deeply to write as text${where}`;
    case 'Unwritable':
      return `${problem.message}${where}`;
  }
}

/** The most characters of a source, name or key that a message quotes. */
export const MAX_QUOTED = 120;

/**
 * `text` as a JSON string, cut to about {@link MAX_QUOTED} characters around `at` (the start by
 * default), with `…` where text was left out.
 *
 * quote('{{ job_id }}')                  // '"{{ job_id }}"'
 * quote('x'.repeat(1000) + '{{', 1000)   // '"…xxxx…xxxx{{"' (60 characters either side of offset 1000)
 */
export function quote(text: string, at = 0): string {
  return JSON.stringify(cut(text, at));
}

/** `text` cut to about {@link MAX_QUOTED} characters around `at`, with `…` where text was left out. */
export function cut(text: string, at = 0): string {
  if (text.length <= MAX_QUOTED) return text;
  const half = MAX_QUOTED / 2;
  const start = Math.max(0, Math.min(at - half, text.length - MAX_QUOTED));
  const end = Math.min(text.length, start + MAX_QUOTED);
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
}

function formatAvailable(names: readonly string[]): string {
  if (names.length === 0) return '(none)';
  const shown = names
    .slice(0, MAX_LISTED)
    .map((name) => cut(name))
    .join(', ');
  return names.length > MAX_LISTED ? `${shown}, ... and ${names.length - MAX_LISTED} more` : shown;
}

/** `headers["X-User"]`, `body.metadata[0]`. */
export function formatPath(path: ValuePath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(seg)) out += out === '' ? cut(seg) : `.${cut(seg)}`;
    else out += `[${quote(seg)}]`;
  }
  return out;
}
