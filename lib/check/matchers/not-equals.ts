import * as E from 'fp-ts/lib/Either.js';
import { excerpt } from '../describe-json.js';
import { jsonEquals } from '../json-equals.js';
import { presentValueMatcher, verdict, type CompileMatcher } from '../matcher.js';

/** `not_equals`: the value is present and differs from the operand (strict, deep). */
export const compileNotEquals: CompileMatcher = (operand) =>
  E.right(
    presentValueMatcher('not_equals', operand, (value) => verdict(!jsonEquals(value, operand), value, `the value is ${excerpt(value)}`)),
  );
