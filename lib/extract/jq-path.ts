import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import type { Json } from '../json.js';

/** One step of a jq-style path: an object key or an array index (negative counts from the end). */
export type JqStep = { readonly _tag: 'Key'; readonly key: string } | { readonly _tag: 'Index'; readonly index: number };

/**
 * Parses the jq-style paths Rocketship suites use into steps. Only plain navigation is accepted,
 * not jq programs: `.` (the whole document), `.name`, `.a.b`, `.items[0]`, `.[0].id`, `.items[-1]`,
 * `.headers["X-Custom"]`, `.["key.with.dots"]` (a JSON string, escapes allowed). A `.` before a
 * bracket is optional after the first step (`.a[0]` and `.a.[0]` are the same). Names follow jq:
 * letters, digits and `_`, not starting with a digit; any other key needs the bracket form.
 *
 * The `| length` suffix is not part of this grammar; `compileJsonPath` handles it. Evaluate the
 * steps with {@link queryJqSteps}.
 *
 * parseJqPath('.items[0].id')   // Right([Key items, Index 0, Key id])
 * parseJqPath('.a..b')          // Left('at column 3: expected a name or "[" after "."')
 */
export function parseJqPath(source: string): E.Either<string, readonly JqStep[]> {
  const s = source;
  if (!s.startsWith('.')) return E.left('a jq-style path starts with "."');
  if (s === '.') return E.right([]);
  const steps: JqStep[] = [];
  let pos = 0;
  while (pos < s.length) {
    const c = s[pos];
    if (c === '.') {
      pos += 1;
      const next = s[pos];
      if (next === '[') continue;
      if (next !== undefined && IDENT_START.test(next)) {
        const m = IDENT.exec(s.slice(pos));
        const name = m?.[0] ?? next;
        steps.push({ _tag: 'Key', key: name });
        pos += name.length;
        continue;
      }
      return E.left(`at column ${pos + 1}: expected a name or "[" after "."${hint(next)}`);
    }
    if (c === '[') {
      const parsed = parseBracket(s, pos);
      if (E.isLeft(parsed)) return parsed;
      steps.push(parsed.right.step);
      pos = parsed.right.end;
      continue;
    }
    return E.left(`at column ${pos + 1}: unexpected ${JSON.stringify(c)}; expected "." or "["`);
  }
  return E.right(steps);
}

/**
 * Follows jq-style steps from `doc`, one node at a time (a jq path never branches), without
 * recursion: `None` as soon as a step finds nothing.
 * - `Key`: an object's own key (inherited members such as `toString` are not data); on an array, a
 *   key written as a whole number (`.["0"]`) is that index, as JSONPath reads it;
 * - `Index`: an array element; a negative index counts from the end (`-1` is the last element).
 * Anything else (a scalar, `null`, an index past the end) has no child.
 *
 * queryJqSteps([{ _tag: 'Key', key: 'items' }, { _tag: 'Index', index: -1 }], { items: [1, 2] })   // Some(2)
 * queryJqSteps([{ _tag: 'Key', key: 'length' }], [1, 2])                                           // None
 */
export function queryJqSteps(steps: readonly JqStep[], doc: Json): O.Option<Json> {
  let node = doc;
  for (const step of steps) {
    const next = step._tag === 'Key' ? childByKey(node, step.key) : childByIndex(node, step.index);
    if (next === undefined) return O.none;
    node = next;
  }
  return O.some(node);
}

/** An object's own `key`, or the element of an array at a key written as a whole number. */
function childByKey(node: Json, key: string): Json | undefined {
  if (Array.isArray(node)) return ARRAY_INDEX.test(key) ? childByIndex(node, Number(key)) : undefined;
  if (node !== null && typeof node === 'object' && Object.prototype.hasOwnProperty.call(node, key))
    return (node as { readonly [k: string]: Json })[key];
  return undefined;
}

/** An array's element at `index`, counted from the end when negative. */
function childByIndex(node: Json, index: number): Json | undefined {
  if (!Array.isArray(node)) return undefined;
  const items = node as readonly Json[];
  const at = index < 0 ? items.length + index : index;
  return at >= 0 && at < items.length ? items[at] : undefined;
}

/** A key that names an array index: `0`, `12`; not `01`, `-1` or `1.0`. */
const ARRAY_INDEX = /^(0|[1-9][0-9]*)$/;
const IDENT_START = /[A-Za-z_]/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;
const INDEX = /^-?(0|[1-9][0-9]*)/;

/** Parses `[ 0 ]` or `[ "key" ]` starting at the `[`; returns the step and the offset after `]`. */
function parseBracket(s: string, open: number): E.Either<string, { step: JqStep; end: number }> {
  let pos = skipSpaces(s, open + 1);
  let step: JqStep;
  const c = s[pos];
  if (c === '"') {
    const close = closingQuote(s, pos);
    if (close < 0) return E.left(`at column ${pos + 1}: unterminated string`);
    const literal = s.slice(pos, close + 1);
    const key = parseJsonString(literal);
    if (key === undefined) return E.left(`at column ${pos + 1}: invalid string ${literal}`);
    step = { _tag: 'Key', key };
    pos = close + 1;
  } else {
    const m = INDEX.exec(s.slice(pos));
    if (m === null) {
      return E.left(`at column ${pos + 1}: expected an array index or a "quoted key" inside [ ]${hint(c)}`);
    }
    const index = Number(m[0]);
    if (!Number.isSafeInteger(index)) return E.left(`at column ${pos + 1}: index ${m[0]} is too large`);
    step = { _tag: 'Index', index };
    pos += m[0].length;
  }
  pos = skipSpaces(s, pos);
  if (s[pos] !== ']') return E.left(`at column ${pos + 1}: expected "]"${hint(s[pos])}`);
  return E.right({ step, end: pos + 1 });
}

function skipSpaces(s: string, pos: number): number {
  while (s[pos] === ' ' || s[pos] === '\t') pos += 1;
  return pos;
}

/** Index of the `"` closing the JSON string that opens at `open`, or -1. */
function closingQuote(s: string, open: number): number {
  for (let i = open + 1; i < s.length; i += 1) {
    if (s[i] === '\\') i += 1;
    else if (s[i] === '"') return i;
  }
  return -1;
}

function parseJsonString(literal: string): string | undefined {
  try {
    const v: unknown = JSON.parse(literal);
    return typeof v === 'string' ? v : undefined;
  } catch {
    // not a valid JSON string literal: the caller reports it with its column
    return undefined;
  }
}

function hint(found: string | undefined): string {
  if (found === undefined) return ', found the end of the path';
  if (found === ']') return ', found "]" (jq\'s iterator .[] is not supported; use a JSONPath like $.items[*])';
  return `, found ${JSON.stringify(found)}`;
}
