import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../../json.js';
import type { MatcherName } from '../check.js';
import { excerpt, typed } from '../describe-json.js';
import { presentValueMatcher, verdict, type CompileMatcher } from '../matcher.js';

type Ordering = Extract<MatcherName, 'greater_than' | 'greater_than_or_equal' | 'less_than' | 'less_than_or_equal'>;

const TESTS: Record<Ordering, (a: number, b: number) => boolean> = {
  greater_than: (a, b) => a > b,
  greater_than_or_equal: (a, b) => a >= b,
  less_than: (a, b) => a < b,
  less_than_or_equal: (a, b) => a <= b,
};

/**
 * `greater_than`, `greater_than_or_equal`, `less_than`, `less_than_or_equal`: numeric
 * comparisons. The operand must be a number (`Left` otherwise). The value must be a number too,
 * strictly: a JSON string `"5"` fails with a reason. The one exception is a header, whose values
 * are always text: a header value written as a decimal number (`X-RateLimit-Remaining: 42`) is
 * compared as that number.
 */
export function compileOrdering(name: Ordering): CompileMatcher {
  const test = TESTS[name];
  return (operand) => {
    if (typeof operand !== 'number') return E.left(`${name} must be a number, got ${excerpt(operand)}`);
    return E.right(
      presentValueMatcher(name, operand, (value, reading) => {
        const n = asNumber(value, reading.textual);
        if (n === undefined) {
          return verdict(false, value, `${name} needs a number, got ${typed(value)}`);
        }
        return verdict(test(n, operand), value);
      }),
    );
  };
}

const DECIMAL = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

function asNumber(value: Json, textual: boolean): number | undefined {
  if (typeof value === 'number') return value;
  if (textual && typeof value === 'string' && DECIMAL.test(value.trim())) return Number(value.trim());
  return undefined;
}
