import * as t from 'io-ts';
import { didYouMean } from '../did-you-mean.js';
import { describeValue } from '../describe-value.js';
import { withJsonSchema } from './with-json-schema.js';

/**
 * One of a fixed set of strings, such as a script `language` or a check's `value_type`.
 * Anything else fails with the label, the value, the supported values and, for a near miss,
 * a suggestion.
 *
 * const Language = keyword('language', ['javascript', 'shell'] as const);
 * Language.decode('shel')   // Left: language "shel" is not supported; supported: javascript, shell; did you mean "shell"?
 */
export function keyword<K extends string>(label: string, values: readonly K[]): t.Type<K, K, unknown> {
  const is = (u: unknown): u is K => typeof u === 'string' && (values as readonly string[]).includes(u);
  const codec = new t.Type<K, K, unknown>(
    `one of ${values.join(', ')}`,
    is,
    (u, c) => (is(u) ? t.success(u) : t.failure(u, c, unsupportedMessage(label, u, values))),
    (a) => a,
  );
  return withJsonSchema(codec, { schema: () => ({ enum: [...values] }) });
}

/** `label "x" is not supported; supported: a, b` plus a "did you mean" for a near miss. */
export function unsupportedMessage(label: string, value: unknown, supported: readonly string[]): string {
  const list = supported.join(', ');
  if (typeof value !== 'string') return `${label} must be one of ${list}, found ${describeValue(value)}`;
  const near = didYouMean(value, supported);
  const hint = near === undefined ? '' : `; did you mean "${near}"?`;
  return `${label} "${value}" is not supported; supported: ${list}${hint}`;
}
