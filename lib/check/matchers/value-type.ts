import * as E from 'fp-ts/lib/Either.js';
import type { ValueType } from '../check.js';
import { excerpt, jsonTypeOf } from '../describe-json.js';
import { presentValueMatcher, verdict, type CompileMatcher } from '../matcher.js';

const TYPES: readonly ValueType[] = ['string', 'number', 'boolean', 'null', 'array', 'object'];

/**
 * `value_type`: the JSON type of the value (`string`, `number`, `boolean`, `null`, `array`,
 * `object`). The reported `actual` is the type name. Header values are always `string`.
 */
export const compileValueType: CompileMatcher = (operand) => {
  if (typeof operand !== 'string' || !(TYPES as readonly string[]).includes(operand)) {
    return E.left(`value_type must be one of ${TYPES.join(', ')}, got ${excerpt(operand)}`);
  }
  return E.right(
    presentValueMatcher('value_type', operand, (value) => {
      const type = jsonTypeOf(value);
      return verdict(type === operand, type, `the value is ${excerpt(value)}`);
    }),
  );
};
