import type { Json } from '../json.js';
import { writeJson } from '../json-text.js';
import type { ValueType } from './check.js';

/** The JSON type name of a value: `string`, `number`, `boolean`, `null`, `array` or `object`. */
export function jsonTypeOf(v: Json): ValueType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v as 'string' | 'number' | 'boolean' | 'object';
}

/**
 * A short JSON rendering for messages: `"running"`, `200`, `{"a":1,...}` (at most `max` chars).
 * Only the start is written, so a 10 MB body or one nested 100,000 levels deep costs no more
 * than a small one.
 */
export function excerpt(v: Json, max = 80): string {
  const { text, complete } = writeJson(v, { maxChars: max });
  return complete ? text : `${text.slice(0, max - 3)}...`;
}

/** `string "200"`, `number 200`, `null`: a value with its type, for type-mismatch messages. */
export function typed(v: Json): string {
  return v === null ? 'null' : `${jsonTypeOf(v)} ${excerpt(v)}`;
}
