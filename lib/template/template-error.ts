/**
 * Why a template could not be rendered.
 * - `Syntax`: the text between `{{` and `}}` is not a reference, or a `{{` is never closed.
 *   `offset` is the 0-based index in the source string.
 * - `UndefinedVariable`: the reference names nothing. `available` lists what could have been
 *   named at the point where the lookup failed (names only, never values).
 * - `DuplicateKey`: two keys of one map render to the same text.
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
  | { readonly _tag: 'DuplicateKey'; readonly key: string; readonly sources: readonly [string, string] };

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
  const where = path.length === 0 ? '' : ` (at ${formatPath(path)})`;
  switch (problem._tag) {
    case 'Syntax':
      return `invalid template at offset ${problem.offset} of ${JSON.stringify(problem.source)}: ${problem.message}${where}`;
    case 'UndefinedVariable': {
      const detail = problem.detail === undefined ? '' : `: ${problem.detail}`;
      // with a detail ("X is not set"), an empty list says nothing more
      const available = problem.detail !== undefined && problem.available.length === 0 ? '' : `; available: ${formatAvailable(problem.available)}`;
      return `undefined variable ${JSON.stringify(problem.variable)}${detail}${available}${where}`;
    }
    case 'DuplicateKey':
      return `keys ${JSON.stringify(problem.sources[0])} and ${JSON.stringify(problem.sources[1])} both render to ${JSON.stringify(problem.key)}${where}`;
  }
}

function formatAvailable(names: readonly string[]): string {
  if (names.length === 0) return '(none)';
  const shown = names.slice(0, MAX_LISTED).join(', ');
  return names.length > MAX_LISTED ? `${shown}, ... and ${names.length - MAX_LISTED} more` : shown;
}

/** `headers["X-User"]`, `body.metadata[0]`. */
export function formatPath(path: ValuePath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}
