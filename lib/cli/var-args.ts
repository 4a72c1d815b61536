import * as E from 'fp-ts/lib/Either.js';
import { type Document, isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { describeValue } from '../dsl/describe-value.js';
import { checkDocumentLimits } from '../dsl/document-limits.js';
import { duplicateKeys } from '../dsl/duplicate-keys.js';
import { MAX_SUITE_FILE_BYTES } from '../dsl/load-suite.js';
import { formatUnclosedQuote, unclosedQuote } from '../dsl/unclosed-quote.js';
import { findNode, spanOf } from '../dsl/yaml-nodes.js';
import type { Json } from '../json.js';
import { mergeVars } from '../run/merge-vars.js';

/**
 * Turns `--var` assignments into a vars map: dotted keys nest (`api.url=x` -> `{ api: { url: 'x' } }`).
 * Later assignments win. Errors name the flag and the assignment: a missing `=`, an empty name or
 * name part (`a..b`), a `__proto__` name.
 *
 * A value keeps its text, byte for byte (see {@link varValue}): it is a number, a boolean or
 * `null` only when it is that JSON literal written canonically (`200`, `-3`, `2.5`, `true`,
 * `false`, `null`); `1.10`, `01234`, `0x1F`, `1e3`, `~`, `'200'` and `a #b` stay the strings
 * given. (`--var-file` is YAML, for typed values of every kind.)
 *
 * parseVarAssignments(['api.url=http://x', 'n=5', 'v=1.10'])  // right({ api: { url: 'http://x' }, n: 5, v: '1.10' })
 */
export function parseVarAssignments(assignments: readonly string[]): E.Either<string, Record<string, Json>> {
  let vars: Record<string, Json> = {};
  for (const assignment of assignments) {
    const at = assignment.indexOf('=');
    if (at < 0) return E.left(`--var ${cut(assignment)}: expected NAME=VALUE, e.g. api.url=http://localhost:8080`);
    const key = assignment.slice(0, at).trim();
    const text = assignment.slice(at + 1);
    const path = key.split('.');
    if (key === '' || path.some((p) => p === ''))
      return E.left(`--var ${cut(assignment)}: the name must be a key or dotted keys, e.g. api.url`);
    // Merging would set an object's prototype instead of a var: refuse rather than drop it.
    if (path.includes('__proto__')) return E.left(`--var ${cut(assignment)}: "__proto__" cannot be a var name`);
    let nested: Json = varValue(text);
    for (const part of [...path].reverse()) nested = { [part]: nested };
    vars = mergeVars(vars, nested as Record<string, Json>);
  }
  return E.right(vars);
}

/** A JSON number as JSON writes it: no leading zeros, no `+`, no hexadecimal, no lone `.`. */
const JSON_NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

/**
 * The value of one `--var` VALUE: the JSON literal it is when it is written canonically, that is
 * when the typed value's own text is exactly the text given (`200`, `-3`, `2.5`, `true`, `false`,
 * `null`); otherwise the text itself, unchanged. So no text is ever rewritten: `1.10` is not
 * `1.1`, `01234` not `1234`, `0x1F` not `31`, `1e3` not `1000`, `-0` not `0`, a number too
 * precise for a double (`9007199254740993`) is not rounded, `~` is not `null`, `a #b` keeps its
 * `#b`, and quotes are kept (`'200'` is the five characters).
 *
 * varValue('200')    // 200
 * varValue('1.10')   // '1.10'
 * varValue('true')   // true
 * varValue('True')   // 'True'
 */
export function varValue(text: string): Json {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  if (JSON_NUMBER.test(text)) {
    const n = Number(text);
    if (Number.isFinite(n) && String(n) === text) return n;
  }
  return text;
}

/**
 * Reads the text of a `--var-file`: a YAML map (empty: no vars). Never throws. Errors name the
 * flag, the file, and the line and column of the problem:
 *
 * - a YAML syntax error, a second document, a duplicate key;
 * - a top level that is not a map (located at the value, after any comments);
 * - aliases that name no anchor, name the value they sit in, or expand past the decoder's limits
 *   (a "billion laughs" file), and nesting deeper than the decoder allows (see `document-limits.ts`);
 * - a key named `__proto__`, which merging would turn into a prototype;
 * - text larger than a suite file may be (`MAX_SUITE_FILE_BYTES`).
 *
 * parseVarFile('api:\n  url: http://x\n', 'vars.yaml')   // right({ api: { url: 'http://x' } })
 * parseVarFile('a: [1\n', 'vars.yaml')   // left('--var-file vars.yaml:2:1: YAML syntax error: ...')
 */
export function parseVarFile(text: string, file: string): E.Either<string, Record<string, Json>> {
  const fail = (line: number, col: number, message: string): E.Either<string, never> =>
    E.left(`--var-file ${file}:${line}:${col}: ${message}`);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_SUITE_FILE_BYTES)
    return fail(1, 1, `the file is ${bytes} bytes; a var file may be at most ${MAX_SUITE_FILE_BYTES} bytes, as a suite file`);

  const lineCounter = new LineCounter();
  const at = (offset: number): { line: number; col: number } => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: Math.max(1, line), col: Math.max(1, col) };
  };
  let doc: Document;
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0; // the parser's errors need no stack traces (see decode-suite.ts)
  try {
    // Duplicate keys are found by `duplicateKeys`, in linear time.
    doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, logLevel: 'error' });
  } catch (e) {
    return fail(1, 1, `could not parse the file as YAML: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  const syntax = doc.errors[0];
  if (syntax !== undefined) {
    // The package reports an unclosed quote at the end of the file; say where the quote opens.
    const quote = /^Missing closing ["']quote/.test(syntax.message) ? unclosedQuote(text, syntax.pos[0]) : undefined;
    if (quote !== undefined) {
      const { line, col } = at(quote.offset);
      return fail(line, col, `YAML syntax error: ${formatUnclosedQuote(quote)}`);
    }
    const { line, col } = at(syntax.pos[0]);
    const message =
      syntax.code === 'MULTIPLE_DOCS' ? 'a var file holds one YAML document, but a second one starts here' : firstLine(syntax.message);
    return fail(line, col, `YAML syntax error: ${message}`);
  }
  const duplicate = duplicateKeys(doc)[0];
  if (duplicate !== undefined) {
    const { line, col } = at(duplicate.offset);
    return fail(line, col, `duplicate key "${duplicate.name}"; it is already set at line ${at(duplicate.firstOffset).line}`);
  }
  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) return E.right({});
  if (!isMap(contents)) {
    const { line, col } = at(contents.range?.[0] ?? 0);
    const found = isScalar(contents) ? describeValue(contents.value) : 'a list';
    return fail(line, col, `expected a map of vars (key: value), found ${found}`);
  }
  const limit = checkDocumentLimits(doc, (offset) => at(offset).line);
  if (limit !== undefined) {
    const { line, col } = at(limit.offset);
    return fail(line, col, limit.message);
  }
  let value: Record<string, Json>;
  try {
    // Aliases are bounded by checkDocumentLimits above.
    value = doc.toJS({ maxAliasCount: -1 }) as Record<string, Json>;
  } catch (e) {
    return fail(1, 1, `could not read the YAML document: ${e instanceof Error ? e.message : String(e)}`);
  }
  const proto = protoKeyPath(value);
  if (proto !== undefined) {
    const span = spanOf(findNode(doc, proto), true);
    const { line, col } = at(span?.offset ?? 0);
    return fail(line, col, '"__proto__" cannot be a var name');
  }
  return E.right(value);
}

/** The path to the first key named `__proto__`, if any (values are at most 100 levels deep). */
function protoKeyPath(value: Json, path: Array<string | number> = []): Array<string | number> | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = protoKeyPath(item as Json, [...path, i]);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    if (key === '__proto__') return [...path, key];
    const found = protoKeyPath(item, [...path, key]);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The first line of a `yaml` error message, without its repeated " at line L, column C:". */
function firstLine(message: string): string {
  return message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? message;
}

/** At most 80 characters of an argument, for messages. */
function cut(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
