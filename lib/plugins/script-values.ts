import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../json.js';
import { writeJson } from '../json-text.js';

/**
 * The most levels of lists and maps a value crossing into or out of a script may nest: a value
 * written into script text, a saved value or var given to a script (`state`, `vars`, an
 * environment variable), a value a script saves. Deeper values fail the step, naming the
 * variable, instead of exhausting the stack (a server can send a body nested 100,000 levels deep).
 */
export const MAX_SCRIPT_VALUE_DEPTH = 1000;

/**
 * How a value reads as text inside a script or an environment variable: a string as it is,
 * anything else as compact JSON text. Left: the value is too deep, in a message that starts with
 * `what` (e.g. `the value of "obj"`).
 *
 * valueText({ a: [1] }, 'the value of "obj"')   // Right('{"a":[1]}')
 * valueText('it\'s', 'the value of "s"')         // Right("it's")
 */
export function valueText(value: Json, what: string): E.Either<string, string> {
  if (typeof value === 'string') return E.right(value);
  return E.mapLeft(() => tooDeep(what))(scriptJson(value));
}

/**
 * The JSON text of `{ "state": saved, "vars": vars }`, what a JavaScript script is given. Left:
 * a message naming the first variable nested too deeply to give to a script.
 *
 * scriptInput({ id: 'j-1' }, { n: 2 })   // Right('{"state":{"id":"j-1"},"vars":{"n":2}}')
 */
export function scriptInput(saved: Readonly<Record<string, Json>>, vars: Readonly<Record<string, Json>>): E.Either<string, string> {
  const parts: string[] = [];
  for (const [label, values, describe] of [
    ['state', saved, (k: string) => `the saved variable "${k}" (state${member(k)})`],
    ['vars', vars, (k: string) => `the var "${k}" (vars${member(k)})`],
  ] as const) {
    const entries: string[] = [];
    for (const [k, v] of Object.entries(values)) {
      const text = scriptJson(v);
      if (E.isLeft(text)) return E.left(tooDeep(describe(k)));
      entries.push(`${JSON.stringify(k)}:${text.right}`);
    }
    parts.push(`${JSON.stringify(label)}:{${entries.join(',')}}`);
  }
  return E.right(`{${parts.join(',')}}`);
}

/**
 * A value as compact JSON text (a JavaScript literal with `javascript`), or Left when it nests
 * more than {@link MAX_SCRIPT_VALUE_DEPTH} levels: written iteratively, refused as soon as the
 * walk passes the limit.
 *
 * scriptJson({ a: [1] })   // Right('{"a":[1]}')
 */
export function scriptJson(value: Json, javascript = false): E.Either<void, string> {
  const { text, tooDeep } = writeJson(value, { maxDepth: MAX_SCRIPT_VALUE_DEPTH, tooDeep: 'stop', javascript });
  return tooDeep ? E.left(undefined) : E.right(text);
}

function tooDeep(what: string): string {
  return `${what} nests lists and maps more than ${MAX_SCRIPT_VALUE_DEPTH} levels deep, too deep to give to a script`;
}

function member(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}
