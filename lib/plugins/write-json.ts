import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../json.js';

/** Options of {@link writeJson}. */
export interface WriteJsonConfig {
  /**
   * The most levels of lists and maps written; a deeper value is refused with {@link TooDeepError}
   * instead of being written. `[]` is one level, `[[]]` two, a string none. Default: no limit.
   */
  readonly maxDepth?: number;
  /**
   * Write a JavaScript literal instead of JSON text: the same text, except that a key
   * `"__proto__"` is written `["__proto__"]`, so that the literal, like `JSON.parse`, makes an
   * own property of that name rather than setting the object's prototype. Default `false`.
   */
  readonly javascript?: boolean;
}

/** A value nests lists and maps more than `limit` levels deep. */
export class TooDeepError extends Error {
  override readonly name = 'TooDeepError';
  constructor(readonly limit: number) {
    super(`the value nests lists and maps more than ${limit} levels deep`);
  }
}

/**
 * Writes a JSON value as compact JSON text, exactly as `JSON.stringify` does, but without
 * recursion: a value from a server nested 100,000 levels deep neither overflows the stack nor
 * stops the run; with `maxDepth` it is refused as soon as the walk passes the limit.
 *
 * writeJson({ a: [1, 'x'] })                       // Right('{"a":[1,"x"]}')
 * writeJson([[[]]], { maxDepth: 2 })               // Left(TooDeepError: ... more than 2 levels deep)
 * writeJson({ __proto__: 1 }, { javascript: true }) // Right('{["__proto__"]:1}')  (key made with defineProperty)
 */
export function writeJson(value: Json, config: WriteJsonConfig = {}): E.Either<TooDeepError, string> {
  const maxDepth = config.maxDepth ?? Infinity;
  const parts: string[] = [];
  // Each open list or map: its entries and how far the walk got.
  const stack: Frame[] = [];
  let next: Json | undefined = value;
  for (;;) {
    if (next !== undefined) {
      const v: Json = next;
      next = undefined;
      if (v === null || typeof v !== 'object') {
        parts.push(JSON.stringify(v));
      } else {
        if (stack.length >= maxDepth) return E.left(new TooDeepError(maxDepth));
        if (Array.isArray(v)) {
          parts.push('[');
          stack.push({ _tag: 'List', items: v as readonly Json[], at: 0 });
        } else {
          parts.push('{');
          stack.push({ _tag: 'Map', map: v as { readonly [k: string]: Json }, keys: Object.keys(v), at: 0, written: 0 });
        }
      }
    }
    const top = stack[stack.length - 1];
    if (top === undefined) break;
    if (top._tag === 'List') {
      if (top.at === top.items.length) {
        parts.push(']');
        stack.pop();
        continue;
      }
      if (top.at > 0) parts.push(',');
      // JSON.stringify writes a hole or an undefined item as null; Json has neither, but be exact.
      next = top.items[top.at] ?? null;
      top.at += 1;
    } else {
      if (top.at === top.keys.length) {
        parts.push('}');
        stack.pop();
        continue;
      }
      const key = top.keys[top.at] as string;
      top.at += 1;
      const item = top.map[key];
      // JSON.stringify leaves out a key whose value is undefined (a value built in code).
      if (item === undefined) continue;
      if (top.written > 0) parts.push(',');
      top.written += 1;
      parts.push(config.javascript === true && key === '__proto__' ? '["__proto__"]:' : `${JSON.stringify(key)}:`);
      next = item;
    }
  }
  return E.right(parts.join(''));
}

type Frame =
  | { readonly _tag: 'List'; readonly items: readonly Json[]; at: number }
  | { readonly _tag: 'Map'; readonly map: { readonly [k: string]: Json }; readonly keys: readonly string[]; at: number; written: number };
