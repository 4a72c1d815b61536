import type { Json } from './json.js';

/** Options of {@link writeJson}. */
export interface WriteJsonConfig {
  /** Spaces per level, as `JSON.stringify`'s third argument. Default 0 (one line). */
  readonly indent?: number;
  /**
   * The most levels of lists and maps written (`[]` is one level, `[[]]` two, a string none).
   * What is nested deeper is written as the string `"… (N more levels of nesting, not shown)"`,
   * or, with `tooDeep: 'stop'`, not written at all. Default: no limit.
   */
  readonly maxDepth?: number;
  /**
   * What to do with a list or map past `maxDepth`: `'elide'` (default) writes the string above in
   * its place and goes on; `'stop'` stops there, the result marked `tooDeep` (for a caller that
   * must refuse such a value rather than show part of it).
   */
  readonly tooDeep?: 'elide' | 'stop';
  /**
   * Write a JavaScript literal rather than JSON text: the same text, except that a `"__proto__"`
   * key is written `["__proto__"]`, so that the literal, like `JSON.parse`, makes an own property
   * of that name instead of setting the object's prototype. Default `false`.
   */
  readonly javascript?: boolean;
  /**
   * Stop once the text is longer than this many characters: the result is then a prefix of the
   * whole text (at least `maxChars` long) and `complete` is false. Default: no limit.
   */
  readonly maxChars?: number;
}

/** What {@link writeJson} wrote. */
export interface JsonText {
  readonly text: string;
  /** The whole value was written (not cut at `maxChars` nor stopped by `tooDeep: 'stop'`; parts may still be elided by `maxDepth`). */
  readonly complete: boolean;
  /** Some list or map was nested past `maxDepth` (elided, or where the writing stopped). */
  readonly tooDeep: boolean;
}

/**
 * A JSON value as text, the same text `JSON.stringify(value, null, indent)` gives, but written
 * iteratively: a response body nested 100,000 levels deep (which makes `JSON.stringify` throw
 * `RangeError: Maximum call stack size exceeded`) is written like any other. `maxChars` makes it
 * cheap to show the start of a 10 MB body (the work is proportional to what is written), and
 * `maxDepth` keeps a report readable (and readable back by `JSON.parse`, whose depth is limited
 * too) by eliding what is nested deeper.
 *
 * writeJson({ a: [1, 'x'] }).text                     // '{"a":[1,"x"]}'
 * writeJson({ a: [1, 'x'] }, { indent: 2 }).text       // the same as JSON.stringify(v, null, 2)
 * writeJson([[[1]]], { maxDepth: 2 }).text             // '[["… (1 more level of nesting, not shown)"]]'
 * writeJson('x'.repeat(1e6), { maxChars: 10 })         // { text: '"xxxxxxxxxx', complete: false, tooDeep: false }
 * writeJson([[[1]]], { maxDepth: 2, tooDeep: 'stop' })  // { text: '[[', complete: false, tooDeep: true }
 */
export function writeJson(value: Json, config: WriteJsonConfig = {}): JsonText {
  const indent = config.indent ?? 0;
  if (config.maxDepth === undefined && config.maxChars === undefined && config.javascript !== true) {
    const text = nativeText(value, indent);
    if (text !== undefined) return { text, complete: true, tooDeep: false };
  }
  const maxDepth = config.maxDepth ?? Infinity;
  const maxChars = config.maxChars ?? Infinity;
  const stop = config.tooDeep === 'stop';
  const keyText = (key: string): string => (config.javascript === true && key === '__proto__' ? '["__proto__"]' : JSON.stringify(key));
  const parts: string[] = [];
  let length = 0;
  let tooDeep = false;
  const emit = (text: string): boolean => {
    parts.push(text);
    length += text.length;
    return length <= maxChars;
  };
  const newline = (depth: number): string => (indent === 0 ? '' : `\n${' '.repeat(indent * depth)}`);
  const colon = indent === 0 ? ':' : ': ';

  /** A container being written: its entries and the next one to write. */
  interface Frame {
    readonly close: string;
    readonly items: readonly Json[];
    readonly keys: readonly string[] | undefined;
    i: number;
  }
  const stack: Frame[] = [];
  /** Writes a value at `depth`; returns false once past `maxChars`. Opens containers on the stack. */
  const write = (v: Json, depth: number): boolean => {
    if (v === null || typeof v !== 'object') return emit(scalar(v, maxChars - length));
    if (depth >= maxDepth) {
      tooDeep = true;
      return stop ? false : emit(JSON.stringify(`… (${elidedDepth(v)} of nesting, not shown)`));
    }
    if (Array.isArray(v)) {
      if (v.length === 0) return emit('[]');
      stack.push({ close: ']', items: v as readonly Json[], keys: undefined, i: 0 });
      return emit('[');
    }
    const record = v as { readonly [k: string]: Json };
    // As JSON.stringify: a key whose value is undefined is left out (events have optional fields).
    const keys = Object.keys(v).filter((k) => record[k] !== undefined);
    if (keys.length === 0) return emit('{}');
    stack.push({ close: '}', items: keys.map((k) => record[k] as Json), keys, i: 0 });
    return emit('{');
  };

  const done = (): JsonText => {
    const text = parts.join('');
    return { text, complete: !(tooDeep && stop) && text.length <= maxChars, tooDeep };
  };
  if (!write(value, 0)) return done();
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    const depth = stack.length;
    if (frame.i >= frame.items.length) {
      stack.pop();
      if (!emit(`${newline(depth - 1)}${frame.close}`)) return done();
      continue;
    }
    const i = frame.i;
    frame.i += 1;
    const key = frame.keys === undefined ? '' : `${keyText(frame.keys[i] as string)}${colon}`;
    if (!emit(`${i > 0 ? ',' : ''}${newline(depth)}${key}`)) return done();
    if (!write(frame.items[i] as Json, depth)) return done();
  }
  return { text: parts.join(''), complete: true, tooDeep };
}

/**
 * `JSON.stringify`'s text, or undefined when the value nests deeper than its recursion goes
 * (`RangeError`, thrown after a bounded amount of work): the whole value written with no limit
 * is the common case (queue payloads, every event batch a worker sends), and the native writer
 * does it several times faster; the iterative one takes over only for the deep value.
 */
function nativeText(value: Json, indent: number): string | undefined {
  try {
    return JSON.stringify(value, null, indent) ?? 'null';
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

/** A scalar as JSON; a string longer than `room` is written cut (the caller stops there). */
function scalar(v: null | boolean | number | string, room: number): string {
  if (typeof v === 'string' && v.length > room) return JSON.stringify(v.slice(0, Math.max(0, room))).slice(0, -1);
  const text = JSON.stringify(v);
  // JSON.stringify gives undefined for nothing we can hold; NaN and Infinity become null as it does.
  return text ?? 'null';
}

/** How deep the value goes below this level, counted without recursion (at most 1,000,000 levels). */
function elidedDepth(v: Json): string {
  let deepest = 0;
  const stack: Array<[Json, number]> = [[v, 1]];
  let visited = 0;
  while (stack.length > 0 && visited < 1_000_000) {
    const [node, depth] = stack.pop() as [Json, number];
    visited += 1;
    if (node === null || typeof node !== 'object') continue;
    deepest = Math.max(deepest, depth);
    for (const child of Array.isArray(node) ? (node as readonly Json[]) : Object.values(node as { readonly [k: string]: Json }))
      stack.push([child, depth + 1]);
  }
  return `${deepest} more level${deepest === 1 ? '' : 's'}`;
}
