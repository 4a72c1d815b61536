import type * as t from 'io-ts';
import type { Document, LineCounter } from 'yaml';
import { describeValue } from './describe-value.js';
import type { DslError } from './dsl-error.js';
import { formatKeyPath } from './key-path.js';
import { UnknownKey } from './codecs/strict-type.js';
import { Rule } from './codecs/with-check.js';
import { SECRET_VALUE } from './codecs/secret-value.js';
import { findNode, lineCol, spanOf } from './yaml-nodes.js';

/** The parsed file an error report refers to. */
export interface ErrorSource {
  readonly file: string;
  readonly text: string;
  readonly doc: Document;
  readonly lineCounter: LineCounter;
}

/**
 * Turns io-ts validation errors into {@link DslError}s that point into the YAML source.
 *
 * For each error, the context (one entry per codec on the way down) becomes a key path
 * (`tests[0].steps[1].config.polling.interval`): union and intersection member indices are
 * dropped, list indices become numbers. The path is looked up in the document for a line and
 * column: an unknown key points at the key, a missing key at the map that lacks it, anything
 * else at the offending value.
 *
 * When a plain io-ts `t.union` fails, every member reports its own errors; only the member that
 * got furthest (its errors sit deepest in the file) is kept, so a union gives one useful
 * message instead of one per member. The result is deduplicated and sorted in source order.
 */
export function reportErrors(errors: t.Errors, source: ErrorSource): DslError[] {
  const lines = source.text.split(/\r?\n/);
  const located = keepBestUnionMembers(errors.map(analyse)).map((a) => toDslError(a, source, lines));
  return sortAndDedupe(located);
}

/** Orders errors by position (stable) and drops repeats of the same message at the same node. */
export function sortAndDedupe(errors: readonly DslError[]): DslError[] {
  const seen = new Set<string>();
  const unique = errors.filter((e) => {
    const key = `${e.line}:${e.col}:${e.path}:${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.line - b.e.line || a.e.col - b.e.col || a.i - b.i)
    .map(({ e }) => e);
}

interface Analysed {
  readonly error: t.ValidationError;
  readonly path: Array<string | number>;
  /** One entry per union passed through: where it is, and which member this error came from. */
  readonly unions: Array<{ readonly at: string; readonly member: string }>;
}

function analyse(error: t.ValidationError): Analysed {
  const path: Array<string | number> = [];
  const unions: Array<{ at: string; member: string }> = [];
  const context = error.context;
  for (let i = 1; i < context.length; i++) {
    const entry = context[i] as t.ContextEntry;
    const parent = context[i - 1] as t.ContextEntry;
    const parentTag = (parent.type as { _tag?: string })._tag;
    if (parentTag === 'UnionType') {
      unions.push({ at: `${i}:${formatKeyPath(path)}`, member: entry.key });
      continue;
    }
    if (parentTag === 'IntersectionType') continue;
    path.push(Array.isArray(parent.actual) && /^\d+$/.test(entry.key) ? Number(entry.key) : entry.key);
  }
  return { error, path, unions };
}

function keepBestUnionMembers(all: Analysed[]): Analysed[] {
  // For every union point, score each member by how deep its errors reach (deeper: it matched
  // more of the input), then by how few errors it has; ties go to the first member.
  const scores = new Map<string, Map<string, { depth: number; count: number }>>();
  for (const a of all) {
    for (const u of a.unions) {
      const members = scores.get(u.at) ?? new Map<string, { depth: number; count: number }>();
      const score = members.get(u.member) ?? { depth: 0, count: 0 };
      members.set(u.member, { depth: Math.max(score.depth, a.path.length), count: score.count + 1 });
      scores.set(u.at, members);
    }
  }
  const best = new Map<string, string>();
  for (const [at, members] of scores) {
    const ranked = [...members.entries()].sort(([ma, a], [mb, b]) => b.depth - a.depth || a.count - b.count || Number(ma) - Number(mb));
    const winner = ranked[0];
    if (winner !== undefined) best.set(at, winner[0]);
  }
  return all.filter((a) => a.unions.every((u) => best.get(u.at) === u.member));
}

function toDslError(a: Analysed, source: ErrorSource, lines: readonly string[]): DslError {
  const { error, path } = a;
  const last = error.context[error.context.length - 1];
  const onKey = last?.type === UnknownKey;
  const hit = findNode(source.doc, path);
  const span = spanOf(hit, onKey);
  const { line, col } = span === undefined ? { line: 1, col: 1 } : lineCol(source.lineCounter, span.offset);
  const rule = last?.type === Rule;
  const secret = error.value === SECRET_VALUE;
  const found = rule || secret ? undefined : onKey ? `key ${JSON.stringify(String(path[path.length - 1]))}` : describeValue(error.value);
  const expected = onKey || rule || last === undefined ? undefined : friendlyName(last.type.name);
  const message = error.message ?? `expected ${expected ?? 'something else'}, found ${found ?? 'something else'}`;
  const shown = lines[line - 1];
  const width = span === undefined || shown === undefined ? 1 : Math.max(1, Math.min(span.length, shown.length - (col - 1)));
  // A secret's text is not quoted back: `***` stands in its place on the line, under the caret.
  const sourceLine = secret && shown !== undefined ? `${shown.slice(0, col - 1)}***${shown.slice(col - 1 + width)}` : shown;
  const length = secret ? 3 : width;
  return {
    file: source.file,
    line,
    col,
    path: formatKeyPath(path),
    message,
    ...(expected === undefined ? {} : { expected }),
    ...(found === undefined ? {} : { found }),
    ...(sourceLine === undefined ? {} : { source: sourceLine }),
    length,
  };
}

const FRIENDLY: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  unknown: 'a value',
};

function friendlyName(name: string): string {
  return FRIENDLY[name] ?? name;
}
