import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import jsonpath from 'jsonpath';
import type { Json } from '../json.js';
import { parseJqPath, queryJqSteps, type JqStep } from './jq-path.js';

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
  '$[\'key\'], $.a[0:2]), either optionally followed by "| length"';

/**
 * Compiles a path expression once; the result can query many documents.
 *
 * Two notations are accepted:
 * - **jq-style** (what Rocketship suites and the polling spec use): `.` is the whole document,
 *   `.status`, `.deployment.status`, `.items[0].id`, `.[0].id`, `.items[-1]` (last element),
 *   `.headers["X-Custom"]`, `.["key.with.dots"]`. Parsed by `parseJqPath` and evaluated by
 *   `queryJqSteps`; `jsonPath` shows the JSONPath they are equivalent to.
 * - **JSONPath** (starting with `$`), parsed by the `jsonpath` package and evaluated here: `$.a.b`,
 *   `$..x` (every `x` at any depth), `$.a[*].id`, `$['a b']`, `$.a[0,2]`, `$.a[0:2]`.
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
  // Checks and saves compile their paths on every attempt of every step (after rendering them),
  // and a suite has few distinct paths: the result (a query, or the rejection) is remembered.
  // A path rendered from server data may be long: only short ones are remembered, so that the
  // cache holds at most MAX_CACHED_PATHS * MAX_CACHED_PATH_LENGTH characters.
  if (expr.length > MAX_CACHED_PATH_LENGTH) return compileUncached(expr);
  const known = compiledPaths.get(expr);
  if (known !== undefined) return known;
  const compiled = compileUncached(expr);
  // Bounded: past MAX_CACHED_PATHS (templated paths can make any number), the oldest goes.
  if (compiledPaths.size >= MAX_CACHED_PATHS) compiledPaths.delete(compiledPaths.keys().next().value as string);
  compiledPaths.set(expr, compiled);
  return compiled;
}

/** How many compiled paths {@link compileJsonPath} remembers. */
export const MAX_CACHED_PATHS = 1000;

/** The longest path {@link compileJsonPath} remembers, in characters. */
const MAX_CACHED_PATH_LENGTH = 1024;

/** Path -> its compilation, in the order first compiled (a query is immutable, so it is shared). */
const compiledPaths = new Map<string, E.Either<string, JsonPathQuery>>();

function compileUncached(expr: string): E.Either<string, JsonPathQuery> {
  const fail = (detail: string): E.Either<string, JsonPathQuery> =>
    E.left(`invalid path ${JSON.stringify(expr)}: ${detail}; ${ACCEPTED_PATH_FORMS}`);

  const split = splitLength(expr);
  if (E.isLeft(split)) return fail(split.left);
  const { path, length } = split.right;
  if (path === '') return fail('the path is empty');

  let compiled: E.Either<string, { evaluate: (doc: Json) => Lookup; jsonPath: string }>;
  if (path.startsWith('$')) {
    compiled = E.map(({ components, jsonPath }: { components: readonly Component[]; jsonPath: string }) => ({
      evaluate: (doc: Json) => evaluate(components, doc),
      jsonPath,
    }))(fromJsonPath(path));
  } else if (path.startsWith('.')) {
    compiled = E.map((steps: readonly JqStep[]) => ({ evaluate: (doc: Json) => lookupJq(steps, doc), jsonPath: jqAsJsonPath(steps) }))(
      parseJqPath(path),
    );
  } else {
    return fail(`a path starts with "." or "$"${suggestion(path)}`);
  }
  if (E.isLeft(compiled)) return fail(compiled.left);

  const { evaluate: find } = compiled.right;
  const jsonPath = compiled.right.jsonPath + (length ? ' | length' : '');
  return E.right({
    source: expr,
    jsonPath,
    query: (doc) => {
      const found = find(doc);
      return length ? lengthOf(found) : found;
    },
  });
}

/** A jq-style path's result as a {@link Lookup}. */
function lookupJq(steps: readonly JqStep[], doc: Json): Lookup {
  const found = queryJqSteps(steps, doc);
  return O.isSome(found) ? { _tag: 'Found', value: found.value } : { _tag: 'Missing' };
}

/** The JSONPath a jq-style path is equivalent to: `.items[0]` -> `$.items[0]`, `.a[-1]` -> `$.a[-1:]`. */
function jqAsJsonPath(steps: readonly JqStep[]): string {
  let jsonPath = '$';
  for (const step of steps) {
    if (step._tag === 'Key') jsonPath += /^[A-Za-z_][A-Za-z0-9_]*$/.test(step.key) ? `.${step.key}` : `[${JSON.stringify(step.key)}]`;
    else if (step.index >= 0) jsonPath += `[${step.index}]`;
    // jq's negative index: -1 is the last element. As a JSONPath slice it matches at most one node.
    else jsonPath += `[${step.index}:${step.index === -1 ? '' : step.index + 1}]`;
  }
  return jsonPath;
}

// ---------------------------------------------------------------------------------------------
// JSONPath: `jsonpath` parses; we evaluate. Its parser gives components (one step each); its
// handlers would evaluate them, but recursively (`$..x` on a body nested 100,000 levels deep
// overflows the stack, and a path that throws reads as "missing", which makes `exists: false`
// pass), building a path array per node (quadratic on deep documents) and finding inherited
// members (`length` of an array). `evaluate` below walks own data only, iteratively, keeping
// values, not paths. A component is accepted when jsonpath 1.3 has a handler for its kind
// (RESOLVABLE), so exactly what `jsonpath` supports is accepted.

interface Expression {
  readonly type: string;
  readonly value: unknown;
}
interface Component {
  readonly expression: Expression;
  readonly scope?: 'child' | 'descendant';
  readonly operation?: 'member' | 'subscript';
}

function fromJsonPath(path: string): E.Either<string, { components: readonly Component[]; jsonPath: string }> {
  let parsed: Component[];
  try {
    parsed = jsonpath.parse(path) as unknown as Component[];
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
  for (const c of components) {
    const kind = `${String(c.operation)}-${String(c.scope)}-${c.expression.type}`;
    if (!RESOLVABLE.has(kind)) return E.left(`unsupported JSONPath (couldn't resolve key: ${kind})`);
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
      return E.left(
        `JSONPath ${t === 'filter_expression' ? 'filter' : 'script'} expressions like ${String(c.expression.value)} are not supported`,
      );
    default:
      return E.left(`unsupported JSONPath element ${JSON.stringify(c.expression.value)}`);
  }
}

/**
 * The component kinds (`operation-scope-type`) jsonpath 1.3 has a handler for, without the filter
 * and script expressions `checkComponent` rejects first. `$..[0:2]` (`subscript-descendant-slice`)
 * is the one kind its parser makes that none handles.
 */
const RESOLVABLE: ReadonlySet<string> = new Set([
  'member-child-identifier',
  'member-descendant-identifier',
  'member-child-numeric_literal',
  'member-descendant-numeric_literal',
  'member-child-wildcard',
  'member-descendant-wildcard',
  'subscript-child-numeric_literal',
  'subscript-descendant-numeric_literal',
  'subscript-child-string_literal',
  'subscript-descendant-string_literal',
  'subscript-child-wildcard',
  'subscript-descendant-wildcard',
  'subscript-child-slice',
  'subscript-child-union',
  'subscript-descendant-union',
]);

/** Runs the components over the document: each maps the nodes found so far to the next ones. */
function evaluate(components: readonly Component[], doc: Json): Lookup {
  let nodes: Json[] = [doc];
  for (const component of components) {
    nodes = component.scope === 'descendant' ? descendants(component, nodes) : children(component, nodes);
    if (nodes.length === 0) return { _tag: 'Missing' };
  }
  if (nodes.length === 1) return { _tag: 'Found', value: nodes[0] as Json };
  return { _tag: 'Found', value: nodes };
}

type Key = string | number;

/** The own entries of a node: indices of an array, own keys of an object; none for a scalar. */
function entriesOf(node: Json): ReadonlyArray<readonly [Key, Json]> {
  if (Array.isArray(node)) return node.map((v: Json, i) => [i, v] as const);
  if (node !== null && typeof node === 'object') return Object.entries(node as { readonly [k: string]: Json });
  return [];
}

/** The child named `key` (own data only: an array's `length` is not a child), or NOT_FOUND. */
function childAt(node: Json, key: Key): Json | typeof NOT_FOUND {
  if (Array.isArray(node)) {
    const index = typeof key === 'number' ? key : /^(0|[1-9][0-9]*)$/.test(key) ? Number(key) : -1;
    return Number.isInteger(index) && index >= 0 && index < node.length ? (node[index] as Json) : NOT_FOUND;
  }
  if (node !== null && typeof node === 'object') {
    const k = String(key);
    return Object.prototype.hasOwnProperty.call(node, k) ? ((node as { readonly [k: string]: Json })[k] as Json) : NOT_FOUND;
  }
  return NOT_FOUND;
}

const NOT_FOUND = Symbol('not found');

/** One child step (`.a`, `['a']`, `[0]`, `.0`, `[*]`, `[1:3]`, `['a','b']`) from every node. */
function children(component: Component, nodes: readonly Json[]): Json[] {
  const out: Json[] = [];
  const { type, value } = component.expression;
  for (const node of nodes) {
    switch (type) {
      case 'identifier':
      case 'string_literal': {
        const found = childAt(node, String(value));
        if (found !== NOT_FOUND) out.push(found);
        break;
      }
      case 'numeric_literal': {
        // `[0]` indexes arrays only; `.0` is also an object's key "0" (as in jsonpath).
        if (component.operation === 'subscript' && !Array.isArray(node)) break;
        const found = childAt(node, component.operation === 'subscript' ? (value as number) : String(value));
        if (found !== NOT_FOUND) out.push(found);
        break;
      }
      case 'wildcard':
        for (const [, v] of entriesOf(node)) out.push(v);
        break;
      case 'slice':
        if (Array.isArray(node)) out.push(...sliceOf(node as readonly Json[], String(value)));
        break;
      case 'union': {
        // Each member once, in the order written ($.a['x','x'] is one x).
        const seen = new Set<string>();
        for (const member of value as readonly Component[]) {
          for (const found of children({ operation: 'subscript', scope: 'child', expression: member.expression }, [node])) {
            const id = `${member.expression.type}:${String(member.expression.value)}`;
            if (
              member.expression.type === 'identifier' ||
              member.expression.type === 'string_literal' ||
              member.expression.type === 'numeric_literal'
            ) {
              if (seen.has(id)) continue;
              seen.add(id);
            }
            out.push(found);
          }
        }
        break;
      }
    }
  }
  return out;
}

/**
 * One descendant step (`..a`, `..[0]`, `..*`) from every node: every node below (the node itself
 * included) in document order, depth first, and of each the children that match, as jsonpath
 * orders them. Iterative: any depth.
 */
function descendants(component: Component, nodes: readonly Json[]): Json[] {
  const { type, value } = component.expression;
  const matches: (key: Key) => boolean =
    type === 'wildcard'
      ? () => true
      : type === 'numeric_literal' && component.operation === 'subscript'
        ? (key) => key === value
        : (key) => String(key) === String(value);
  const out: Json[] = [];
  for (const root of nodes) {
    const stack: Json[] = [root];
    while (stack.length > 0) {
      const node = stack.pop() as Json;
      const entries = entriesOf(node);
      for (const [key, child] of entries) if (matches(key)) out.push(child);
      for (let i = entries.length - 1; i >= 0; i -= 1) {
        const child = (entries[i] as readonly [Key, Json])[1];
        if (child !== null && typeof child === 'object') stack.push(child);
      }
    }
  }
  return out;
}

/** `start:end:step` over an array, Python's rules (negative counts from the end), as jsonpath does. */
function sliceOf(items: readonly Json[], spec: string): Json[] {
  const [rawStart, rawEnd, rawStep] = spec.split(':').map((p) => (/^-?[0-9]+$/.test(p.trim()) ? parseInt(p, 10) : undefined));
  const len = items.length;
  const step = rawStep ?? 1;
  const norm = (n: number | undefined, fallback: number): number => (n === undefined ? fallback : n < 0 ? len + n : n);
  let start = norm(rawStart, step > 0 ? 0 : len - 1);
  let end = norm(rawEnd, step > 0 ? len : -1);
  start = step > 0 ? Math.max(0, start) : Math.min(len - 1, start);
  end = step > 0 ? Math.min(end, len) : Math.max(-1, end);
  const out: Json[] = [];
  for (let i = start; step > 0 ? i < end : i > end; i += step) out.push(items[i] as Json);
  return out;
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
