import * as E from 'fp-ts/lib/Either.js';
import { compileJsonPath, type Lookup } from '../extract/json-path.js';
import type { Json } from '../json.js';
import { MATCHER_NAMES, type Check, type MatcherName } from './check.js';
import type { CheckResult } from './check-result.js';
import type { CheckSubject } from './check-subject.js';
import { COMPILE_MATCHER } from './compile-matcher.js';
import { typed } from './describe-json.js';
import type { Matcher, Reading } from './matcher.js';

/** A check ready to judge any number of subjects (responses). */
export interface CompiledCheck {
  /** What the check reads: `status_code`, `header Content-Type`, `json_path .status`. */
  readonly label: string;
  /** One result per matcher present in the check, in `MATCHER_NAMES` order. Never throws. */
  evaluate(subject: CheckSubject): CheckResult[];
}

/**
 * Compiles a check (templates already rendered) once: its path, regular expressions and
 * schemas are parsed here, and every problem with the check itself is a `Left` (several are
 * joined with `; `), so a bad check fails a step at once instead of never holding.
 *
 * Reading the subject:
 * - `status_code`: the status, a number.
 * - `header`: the header's value, looked up case-insensitively; when the response has the header
 *   several times, its first value (as Go's `Header.Get`, which Rocketship uses; a failure says
 *   how many there were); an absent header is missing.
 * - `json_path`: the value at the path in the JSON body (`compileJsonPath`). A body that is not
 *   JSON fails every matcher of the check, `exists: false` included, with the reason (for a poll
 *   that means "not yet"); a path that matches nothing is missing.
 *
 * A missing value fails every matcher but `exists` (`exists: false` holds), with a reason.
 *
 * Rejected at compile time: no matcher at all; an unknown `type`; a bad path, regex or schema;
 * an operand of the wrong type (`greater_than: "5"`, `length: -1`, `one_of: 3`, `exists: "yes"`);
 * and, because they could never hold, an `expected`/`not_equals`/`one_of` that is not a number
 * for `status_code` or not a string for `header` (header values are always text).
 *
 * compileCheck({ type: 'json_path', path: '.status', expected: 'completed' })
 *   -> evaluate(response) -> [{ _tag: 'Passed', label: 'json_path .status', matcher: 'expected',
 *                              expected: 'completed', actual: 'completed' }]
 */
export function compileCheck(check: Check): E.Either<string, CompiledCheck> {
  const target = compileTarget(check);
  if (E.isLeft(target)) return target;
  const { label, read, valueKind } = target.right;

  const operands = MATCHER_NAMES.filter((name) => (check as Partial<Record<MatcherName, Json>>)[name] !== undefined);
  if (operands.length === 0) return E.left(`${label}: a check needs at least one of ${MATCHER_NAMES.join(', ')}`);

  const errors: string[] = [];
  const matchers: Matcher[] = [];
  for (const name of operands) {
    const operand = (check as Partial<Record<MatcherName, Json>>)[name] as Json;
    const kindError = valueKind === undefined ? undefined : wrongKind(name, operand, valueKind);
    if (kindError !== undefined) {
      errors.push(`${label}: ${kindError}`);
      continue;
    }
    const compiled = COMPILE_MATCHER[name](operand);
    if (E.isLeft(compiled)) errors.push(`${label}: ${compiled.left}`);
    else matchers.push(compiled.right);
  }
  if (errors.length > 0) return E.left(errors.join('; '));
  // Held by the compiled check for as long as its step runs: `slice` keeps it at its length (the
  // `push`es above grew it to 17 slots).
  const held = matchers.slice();

  return E.right({
    label,
    evaluate: (subject) => {
      const reading = safely(
        (): Read => read(subject),
        (e) => ({ _tag: 'Unreadable', reason: `could not read the response: ${e}` }) as const,
      );
      return held.map((m) => {
        const base = { label, matcher: m.name, expected: m.expected };
        if (reading._tag === 'Unreadable') return { _tag: 'Failed', ...base, actual: undefined, reason: reading.reason };
        const v = safely(
          () => m.judge(reading.reading),
          (e) => ({ pass: false, actual: undefined, reason: `could not evaluate: ${e}` }),
        );
        const result: CheckResult = { _tag: v.pass ? 'Passed' : 'Failed', ...base, actual: v.actual };
        const reason =
          v.pass || reading.note === undefined ? v.reason : v.reason === undefined ? reading.note : `${v.reason}; ${reading.note}`;
        return reason === undefined ? result : { ...result, reason };
      });
    },
  });
}

type Read =
  /** `note`: what a failure should add about how the value was read. */
  | { readonly _tag: 'Readable'; readonly reading: Reading; readonly note?: string }
  | { readonly _tag: 'Unreadable'; readonly reason: string };

interface Target {
  readonly label: string;
  readonly read: (subject: CheckSubject) => Read;
  /** The only type the value can have, when the check type fixes it. */
  readonly valueKind: 'number' | 'string' | undefined;
}

function compileTarget(check: Check): E.Either<string, Target> {
  switch (check.type) {
    case 'status_code':
      return E.right({
        label: 'status_code',
        valueKind: 'number',
        read: (s) => ({ _tag: 'Readable', reading: { lookup: { _tag: 'Found', value: s.status }, textual: false, missingReason: '' } }),
      });
    case 'header': {
      const name = check.name;
      if (typeof name !== 'string' || name.trim() === '') return E.left('header: a header check needs a non-empty name');
      return E.right({
        label: `header ${name}`,
        valueKind: 'string',
        read: (s) => {
          const values = s.headerValues(name);
          const lookup: Lookup = values.length === 0 ? { _tag: 'Missing' } : { _tag: 'Found', value: values[0] as string };
          const reading: Reading = { lookup, textual: true, missingReason: `the response has no ${name} header` };
          return values.length > 1
            ? {
                _tag: 'Readable',
                reading,
                note: `the response has ${values.length} ${name} headers; a header check reads the first, as Rocketship does`,
              }
            : { _tag: 'Readable', reading };
        },
      });
    }
    case 'json_path': {
      const path = check.path;
      if (typeof path !== 'string') return E.left('json_path: a json_path check needs a path');
      const query = compileJsonPath(path);
      if (E.isLeft(query)) return E.left(`json_path: ${query.left}`);
      const label = `json_path ${path}`;
      return E.right({
        label,
        valueKind: undefined,
        read: (s) => {
          if (s.body._tag === 'NotJson') return { _tag: 'Unreadable', reason: s.body.reason };
          const lookup = query.right.query(s.body.value);
          const missingReason =
            lookup._tag === 'Missing' && lookup.reason !== undefined ? lookup.reason : `${path} matched nothing in the body`;
          return { _tag: 'Readable', reading: { lookup, textual: false, missingReason } };
        },
      });
    }
    case 'query_count':
      return E.right(sqlTarget('query_count', 'number', (r) => found(member(member(r, 'stats'), 'total_queries'))));
    case 'success_count':
      return E.right(sqlTarget('success_count', 'number', (r) => found(member(member(r, 'stats'), 'success_count'))));
    case 'row_count': {
      const q = check.query_index;
      return E.right(
        sqlTarget(`row_count (query ${q})`, 'number', (r) => {
          const query = statement(r, q);
          if (typeof query === 'string') return { _tag: 'Missing', reason: query };
          const rows = member(query, 'rows');
          return found(Array.isArray(rows) ? rows.length : undefined);
        }),
      );
    }
    case 'column_value': {
      const { query_index: q, row_index: row, column } = check;
      return E.right(
        sqlTarget(`column_value (query ${q}, row ${row}, column ${column})`, undefined, (r) => {
          const query = statement(r, q);
          if (typeof query === 'string') return { _tag: 'Missing', reason: query };
          const rows = member(query, 'rows');
          const n = Array.isArray(rows) ? rows.length : 0;
          const one = Array.isArray(rows) ? (rows[row] as Json | undefined) : undefined;
          if (one === undefined)
            return { _tag: 'Missing', reason: `row_index ${row} is out of range: query ${q} returned ${n} row${n === 1 ? '' : 's'}` };
          const value = member(one, column);
          if (value === undefined) {
            const columns = one !== null && typeof one === 'object' && !Array.isArray(one) ? Object.keys(one) : [];
            return { _tag: 'Missing', reason: `query ${q} has no column "${column}" (its columns: ${columns.join(', ') || 'none'})` };
          }
          return { _tag: 'Found', value };
        }),
      );
    }
    default:
      return E.left(
        `unknown check type ${JSON.stringify((check as { type?: unknown }).type)}; expected status_code, header, json_path, row_count, query_count, success_count or column_value`,
      );
  }
}

/**
 * A check of a `sql` step's result, which is its subject's JSON body:
 * `{ queries: [{ query, rows_affected, rows, error?, duration }], stats: { total_queries, success_count, ... } }`.
 */
function sqlTarget(label: string, valueKind: 'number' | undefined, look: (result: Json) => Lookup): Target {
  return {
    label,
    valueKind,
    read: (s) => {
      if (s.body._tag === 'NotJson') return { _tag: 'Unreadable', reason: s.body.reason };
      const lookup = look(s.body.value);
      const missingReason = lookup._tag === 'Missing' && lookup.reason !== undefined ? lookup.reason : `${label}: not a sql step's result`;
      return { _tag: 'Readable', reading: { lookup, textual: false, missingReason } };
    },
  };
}

/** The statement at `index` of a sql result, or why there is none. */
function statement(result: Json, index: number): Json | string {
  const queries = member(result, 'queries');
  if (!Array.isArray(queries)) return "not a sql step's result";
  const query = queries[index] as Json | undefined;
  if (query === undefined)
    return `query_index ${index} is out of range: the step ran ${queries.length} statement${queries.length === 1 ? '' : 's'}`;
  return query;
}

function member(value: Json | undefined, key: string): Json | undefined {
  if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return Object.prototype.hasOwnProperty.call(value, key) ? (value as Readonly<Record<string, Json>>)[key] : undefined;
}

function found(value: Json | undefined): Lookup {
  return value === undefined ? { _tag: 'Missing', reason: "not a sql step's result" } : { _tag: 'Found', value };
}

/** Operands that can never equal a value of the check's fixed type. */
function wrongKind(name: MatcherName, operand: Json, kind: 'number' | 'string'): string | undefined {
  const fits = (v: Json): boolean => typeof v === kind;
  const hint = kind === 'string' ? ' (header values are text: quote it)' : '';
  if ((name === 'expected' || name === 'not_equals') && !fits(operand)) return `${name} must be a ${kind}, got ${typed(operand)}${hint}`;
  if (name === 'one_of' && Array.isArray(operand)) {
    const bad = (operand as readonly Json[]).find((v) => !fits(v));
    if (bad !== undefined) return `one_of values must be ${kind}s, got ${typed(bad)}${hint}`;
  }
  return undefined;
}

function safely<A>(f: () => A, onError: (message: string) => A): A {
  try {
    return f();
  } catch (e) {
    // A matcher that recurses (a JSON Schema with recursive $refs) on a body nested thousands of
    // levels deep runs out of stack: say so, instead of V8's words.
    if (e instanceof RangeError && /call stack/i.test(e.message))
      return onError('the value is nested too deeply to check (the stack ran out)');
    return onError(e instanceof Error ? e.message : String(e));
  }
}
