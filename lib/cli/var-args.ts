import * as E from 'fp-ts/lib/Either.js';
import { parse as parseYaml, parseDocument, LineCounter } from 'yaml';
import type { Json } from '../json.js';
import { mergeVars } from '../run/merge-vars.js';

/**
 * Turns `--var` assignments into a vars map: dotted keys nest (`api.url=x` -> `{ api: { url: 'x' } }`)
 * and values are read as YAML scalars (`200` is a number, `true` a boolean, anything else a string;
 * quote to keep a string: `code='200'`). Later assignments win.
 *
 * parseVarAssignments(['api.url=http://x', 'n=5'])  // right({ api: { url: 'http://x' }, n: 5 })
 */
export function parseVarAssignments(assignments: readonly string[]): E.Either<string, Record<string, Json>> {
  let vars: Record<string, Json> = {};
  for (const assignment of assignments) {
    const at = assignment.indexOf('=');
    const key = assignment.slice(0, at).trim();
    const text = assignment.slice(at + 1);
    const path = key.split('.');
    if (key === '' || path.some((p) => p === '')) return E.left(`--var ${assignment}: the name must be a key or dotted keys, e.g. api.url`);
    let value: Json = text;
    try {
      const parsed: unknown = parseYaml(text);
      if (parsed === null || ['number', 'boolean', 'string'].includes(typeof parsed)) value = parsed === null && text.trim() === '' ? '' : (parsed as Json);
    } catch {
      // Not a YAML scalar (e.g. "a: b: c"): the text is the value, as written.
    }
    let nested: Json = value;
    for (const part of [...path].reverse()) nested = { [part]: nested };
    vars = mergeVars(vars, nested as Record<string, Json>);
  }
  return E.right(vars);
}

/**
 * Reads the text of a `--var-file`: a YAML map. Errors name the flag, file, line and column.
 */
export function parseVarFile(text: string, file: string): E.Either<string, Record<string, Json>> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const first = doc.errors[0];
  if (first !== undefined) {
    const pos = lineCounter.linePos(first.pos[0]);
    return E.left(`--var-file ${file}:${pos.line}:${pos.col}: ${first.message.split('\n')[0]}`);
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  if (value === null || value === undefined) return E.right({});
  if (typeof value !== 'object' || Array.isArray(value)) {
    return E.left(`--var-file ${file}:1:1: expected a map of vars (key: value), found ${Array.isArray(value) ? 'a list' : typeof value}`);
  }
  return E.right(value as Record<string, Json>);
}
