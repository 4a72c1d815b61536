import * as E from 'fp-ts/lib/Either.js';
import { excerpt } from '../describe-json.js';
import { verdict, type CompileMatcher } from '../matcher.js';

/**
 * `exists: true` holds when the value is present (a `null` value is present); `exists: false`
 * holds when it is not. The reported `actual` is whether it is present.
 */
export const compileExists: CompileMatcher = (operand) => {
  if (typeof operand !== 'boolean') return E.left(`exists must be true or false, got ${excerpt(operand)}`);
  return E.right({
    name: 'exists',
    expected: operand,
    judge: (reading) => {
      const present = reading.lookup._tag === 'Found';
      const reason = reading.lookup._tag === 'Found' ? `it is present: ${excerpt(reading.lookup.value)}` : reading.missingReason;
      return verdict(present === operand, present, reason);
    },
  });
};
