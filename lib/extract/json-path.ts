import * as E from 'fp-ts/lib/Either.js';
import jsonpath from 'jsonpath';
import type { Json } from '../json.js';
import { parseJqPath, type JqStep } from './jq-path.js';

/**
 * What a path found in a document. `Found` carries the value (a key whose value is `null` is
 * `Found(null)`); `Missing` means the path matched nothing, with an optional `reason` when there is
 * more to say than "no match" (e.g. `| length` of a boolean).
 */
export type Lookup = { readonly _tag: 'Found'; readonly value: Json } | { readonly _tag: 'Missing'; readonly reason?: string };

/** A compiled path. Parse once with `compileJsonPath`, then `query` any number of documents. */
export interface JsonPathQuery {
  /** The path as written. */
  readonly source: string;
  /** The JSONPath it runs as (jq-style paths are translated), plus ` | length` when present. */
  readonly jsonPath: string;
  /** Looks the path up in `doc`. Never throws. */
  query(doc: Json): Lookup;
}

/** The accepted forms, quoted in every rejection. */
export const ACCEPTED_PATH_FORMS =
  'accepted: jq-style paths starting with "." (., .status, .a.b, .items[0].id, .[0].id, .items[-1], ' +
  '.headers["X-Custom"], .["key.with.dots"]) or JSONPath starting with "$" ($.a.b, $..x, $.a[*].id, ' +
  "$['key'], $.a[0:2]), either optionally followed by \"| length\"";

/**
 * Compiles a path expression once; the result can query many documents.
 *
 * Two notations are accepted:
 * - **jq-style** (what Rocketship suites and the polling spec use): `.` is the whole document,
 *   `.status`, `.deployment.status`, `.items[0].id`, `.[0].id`, `.items[-1]` (last element),
 *   `.headers["X-Custom"]`, `.["key.with.dots"]`. These are translated to JSONPath.
 * - **JSONPath** (starting with `$`), evaluated by the `jsonpath` package: `$.a.b`, `$..x`
 *   (every `x` at any depth), `$.a[*].id`, `$['a b']`, `$.a[0,2]`, `$.a[0:2]`.
 *
 * Either may end with `| length`: the length of an array, the number of characters of a string
 * (Unicode code points, as jq counts), or the number of keys of an object; `null` has length 0
 * (as in jq). The length of a number or boolean is `Missing` with a reason.
 *
 * Results:
 * - nothing matched: `Missing` (a `null` value is a match: `Found(null)`);
 * - exactly one node matched: `Found(value)`;
 * - several nodes matched (`$..x`, `$.items[*].id`): `Found([v1, v2, ...])`, in document order.
 *   Beware: `$.items[*].id` over a one-element array is therefore the single id, not a list.
 *
 * Only own data of the document is reachable: `.length` of an array or `.toString` of an object
 * match nothing (plain `jsonpath` would return the array length or a function).
 *
 * Rejected, with a message listing the accepted forms: anything not starting with `.` or `$`
 * (`status`; the message suggests `.status`), malformed paths (`.a..`, `$.[`), pipes other than
 * `| length` (`.a | keys`), and JSONPath filter and script expressions (`$..[?(@.x > 1)]`,
 * `$.a[(@.length-1)]`). `jsonpath` evaluates those with `static-eval` over a JavaScript AST, a
 * second expression language whose sandbox has needed security fixes before, re-parsed on every
 * query; a test runner evaluating paths against responses from servers it does not control has
 * no need for it. Descendant unions (`$..['a','b']`) are rejected too: `jsonpath` 1.3 walks its
 * own bookkeeping objects for them and returns wrong nodes. Slices with step 0 are rejected.
 *
 * compileJsonPath('.items[0].id')   // Right(query); query({ items: [{ id: 7 }] }) -> Found(7)
 * compileJsonPath('.tags | length') // query({ tags: ['a', 'b'] }) -> Found(2)
 * compileJsonPath('status')         // Left('invalid path "status": ... did you mean ".status"? accepted: ...')
 */
export function compileJsonPath(expr: string): E.Either<string, JsonPathQuery> {
  const fail = (detail: string): E.Either<string, JsonPathQuery> =>
    E.left(`invalid path ${JSON.stringify(expr)}: ${detail}; ${ACCEPTED_PATH_FORMS}`);

  const split = splitLength(expr);
  if (E.isLeft(split)) return fail(split.left);
  const { path, length } = split.right;
  if (path === '') return fail('the path is empty');

  let compiled: E.Either<string, { components: readonly Component[]; jsonPath: string }>;
  if (path.startsWith('$')) compiled = fromJsonPath(path);
  else if (path.startsWith('.')) compiled = E.map((steps: readonly JqStep[]) => fromJqSteps(steps))(parseJqPath(path));
  else return fail(`a path starts with "." or "$"${suggestion(path)}`);
  if (E.isLeft(compiled)) return fail(compiled.left);

  const steps = resolveHandlers(compiled.right.components);
  if (E.isLeft(steps)) return fail(steps.left);
  const run = steps.right;
  const jsonPath = compiled.right.jsonPath + (length ? ' | length' : '');
  return E.right({
    source: expr,
    jsonPath,
    query: (doc) => {
      const found = safeRun(run, doc);
      return length ? lengthOf(found) : found;
    },
  });
}

// ---------------------------------------------------------------------------------------------
// `jsonpath` internals used here: its parser (components) and its handlers (one step each).
// Running the handlers ourselves lets us parse once, query many times, query non-object
// documents (`jp.query` asserts the document is an object) and filter inherited properties.

interface Expression {
  readonly type: string;
  readonly value: unknown;
}
interface Component {
  readonly expression: Expression;
  readonly scope?: 'child' | 'descendant';
  readonly operation?: 'member' | 'subscript';
}
interface Partial {
  readonly path: ReadonlyArray<string | number>;
  readonly value: unknown;
}
type Handler = (component: Component, partial: Partial) => Partial[] | undefined;
interface Handlers {
  resolve(component: Component): Handler;
}
interface Step {
  readonly component: Component;
  readonly handler: Handler;
}

const jp = jsonpath as unknown as { parse(path: string): Component[]; handlers: Handlers };

function fromJsonPath(path: string): E.Either<string, { components: readonly Component[]; jsonPath: string }> {
  let parsed: Component[];
  try {
    parsed = jp.parse(path);
  } catch (e) {
    return E.left(`not a valid JSONPath (${firstLine(e)})`);
  }
  const [root, ...rest] = parsed;
  if (root === undefined || root.expression.type !== 'root') return E.left('a JSONPath starts with "$"');
  const components: Component[] = [];
  for (const c of rest) {
    const checked = checkComponent(c);
    if (E.isLeft(checked)) return checked;
    components.push(checked.right);
  }
  return E.right({ components, jsonPath: path });
}

/** Accepts the component kinds we can evaluate safely; decodes escapes in quoted keys. */
function checkComponent(c: Component): E.Either<string, Component> {
  const t = c.expression.type;
  switch (t) {
    case 'identifier':
    case 'numeric_literal':
    case 'wildcard':
      return E.right(c);
    case 'string_literal':
      return E.right({ ...c, expression: { type: t, value: unescapeQuoted(String(c.expression.value)) } });
    case 'slice': {
      const step = String(c.expression.value).split(':')[2];
      return step !== undefined && step !== '' && Number(step) === 0
        ? E.left(`the slice [${String(c.expression.value)}] has step 0`)
        : E.right(c);
    }
    case 'union': {
      if (c.scope === 'descendant') return E.left('descendant unions like $..[a,b] are not supported; write $..a and $..b separately');
      const members = c.expression.value as Component[];
      const out: Component[] = [];
      for (const m of members) {
        const checked = checkComponent(m);
        if (E.isLeft(checked)) return checked;
        out.push(checked.right);
      }
      return E.right({ ...c, expression: { type: t, value: out } });
    }
    case 'filter_expression':
    case 'script_expression':
      return E.left(`JSONPath ${t === 'filter_expression' ? 'filter' : 'script'} expressions like ${String(c.expression.value)} are not supported`);
    default:
      return E.left(`unsupported JSONPath element ${JSON.stringify(c.expression.value)}`);
  }
}

function fromJqSteps(steps: readonly JqStep[]): { components: readonly Component[]; jsonPath: string } {
  const components: Component[] = [];
  let jsonPath = '$';
  for (const step of steps) {
    if (step._tag === 'Key') {
      components.push({ operation: 'subscript', scope: 'child', expression: { type: 'string_literal', value: step.key } });
      jsonPath += /^[A-Za-z_][A-Za-z0-9_]*$/.test(step.key) ? `.${step.key}` : `[${JSON.stringify(step.key)}]`;
    } else if (step.index >= 0) {
      components.push({ operation: 'subscript', scope: 'child', expression: { type: 'numeric_literal', value: step.index } });
      jsonPath += `[${step.index}]`;
    } else {
      // jq's negative index: -1 is the last element. As a JSONPath slice it matches at most one node.
      const slice = `${step.index}:${step.index === -1 ? '' : step.index + 1}`;
      components.push({ operation: 'subscript', scope: 'child', expression: { type: 'slice', value: slice } });
      jsonPath += `[${slice}]`;
    }
  }
  return { components, jsonPath };
}

function resolveHandlers(components: readonly Component[]): E.Either<string, readonly Step[]> {
  try {
    return E.right(components.map((component) => ({ component, handler: jp.handlers.resolve(component) })));
  } catch (e) {
    return E.left(`unsupported JSONPath (${firstLine(e)})`);
  }
}

function safeRun(steps: readonly Step[], doc: Json): Lookup {
  try {
    return run(steps, doc);
  } catch (e) {
    // e.g. a stack overflow walking an absurdly deep document with `$..`
    return { _tag: 'Missing', reason: `the path could not be evaluated: ${firstLine(e)}` };
  }
}

function run(steps: readonly Step[], doc: Json): Lookup {
  let partials: Partial[] = [{ path: ['$'], value: doc }];
  for (const { component, handler } of steps) {
    const next: Partial[] = [];
    for (const p of partials) {
      const results = handler(component, p);
      if (results !== undefined) for (const r of results) if (r !== undefined) next.push(r);
    }
    partials = next;
    if (partials.length === 0) break;
  }
  const values: Json[] = [];
  for (const p of partials) {
    const own = ownValueAt(doc, p.path);
    if (own !== NOT_OWN) values.push(own);
  }
  if (values.length === 0) return { _tag: 'Missing' };
  if (values.length === 1) return { _tag: 'Found', value: values[0] as Json };
  return { _tag: 'Found', value: values };
}

const NOT_OWN = Symbol('not own');

/**
 * Re-walks a matched path through own data only. `jsonpath` uses `key in value`, which also finds
 * inherited members (`length` of arrays, `toString` of objects); those are not part of a JSON document.
 */
function ownValueAt(doc: Json, path: ReadonlyArray<string | number>): Json | typeof NOT_OWN {
  let cur: Json = doc;
  for (let i = 1; i < path.length; i += 1) {
    const key = path[i] as string | number;
    if (Array.isArray(cur)) {
      const index = typeof key === 'number' ? key : /^(0|[1-9][0-9]*)$/.test(key) ? Number(key) : -1;
      if (!Number.isInteger(index) || index < 0 || index >= cur.length) return NOT_OWN;
      cur = cur[index] as Json;
    } else if (cur !== null && typeof cur === 'object') {
      const k = String(key);
      if (!Object.prototype.hasOwnProperty.call(cur, k)) return NOT_OWN;
      cur = (cur as { readonly [k: string]: Json })[k] as Json;
    } else {
      return NOT_OWN;
    }
  }
  return cur;
}

function lengthOf(found: Lookup): Lookup {
  if (found._tag === 'Missing') return found;
  const v = found.value;
  if (v === null) return { _tag: 'Found', value: 0 };
  if (typeof v === 'string') return { _tag: 'Found', value: [...v].length };
  if (Array.isArray(v)) return { _tag: 'Found', value: v.length };
  if (typeof v === 'object') return { _tag: 'Found', value: Object.keys(v).length };
  return { _tag: 'Missing', reason: `| length needs an array, string or object, but the value is ${typeof v} ${JSON.stringify(v)}` };
}

/** Splits `PATH | length` (the only pipe accepted); `|` inside quoted keys does not count. */
function splitLength(expr: string): E.Either<string, { path: string; length: boolean }> {
  const pipes: number[] = [];
  let quote: string | undefined;
  for (let i = 0; i < expr.length; i += 1) {
    const c = expr[i];
    if (quote !== undefined) {
      if (c === '\\') i += 1;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '|') pipes.push(i);
  }
  const whole = expr.trim();
  if (pipes.length === 0) {
    // jq's bare `length` is the length of the whole document (Rocketship suites use it)
    return E.right(whole === 'length' ? { path: '.', length: true } : { path: whole, length: false });
  }
  if (pipes.length > 1) return E.left('only one pipe, "| length", may follow a path');
  const at = pipes[0] as number;
  const after = expr.slice(at + 1).trim();
  if (after !== 'length') return E.left(`only "| length" may follow a path, found "| ${after}"`);
  return E.right({ path: expr.slice(0, at).trim(), length: true });
}

/** Decodes the escapes `jsonpath`'s lexer leaves in quoted keys (`\"`, `\'`, `\\`, `\uXXXX`, ...). */
function unescapeQuoted(raw: string): string {
  const simple: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', '/': '/', '\\': '\\', '"': '"', "'": "'" };
  return raw.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (all, e: string) =>
    e.length === 5 ? String.fromCharCode(parseInt(e.slice(1), 16)) : (simple[e] ?? all),
  );
}

function suggestion(path: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(path) ? `; did you mean ".${path}"?` : '';
}

function firstLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.split('\n')[0] ?? message;
}
