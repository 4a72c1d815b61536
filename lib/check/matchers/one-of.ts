import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../../json.js';
import { excerpt } from '../describe-json.js';
import { jsonEquals } from '../json-equals.js';
import { presentValueMatcher, verdict, type CompileMatcher } from '../matcher.js';

/** `one_of`: the value equals (strictly, deeply) one of the listed values. */
export const compileOneOf: CompileMatcher = (operand) => {
  if (!Array.isArray(operand)) return E.left(`one_of must be a list of values, got ${excerpt(operand)}`);
  const options = operand as readonly Json[];
  return E.right(
    presentValueMatcher('one_of', operand, (value) =>
      verdict(
        options.some((o) => jsonEquals(value, o)),
        value,
      ),
    ),
  );
};
