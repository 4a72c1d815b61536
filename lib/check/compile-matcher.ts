import type { MatcherName } from './check.js';
import type { CompileMatcher } from './matcher.js';
import { compileOrdering } from './matchers/compare.js';
import { compileContains } from './matchers/contains.js';
import { compileExists } from './matchers/exists.js';
import { compileExpected } from './matchers/expected.js';
import { compileLength } from './matchers/length.js';
import { compileMatches } from './matchers/matches.js';
import { compileNotEquals } from './matchers/not-equals.js';
import { compileOneOf } from './matchers/one-of.js';
import { compileSchema } from './matchers/schema.js';
import { compileValueType } from './matchers/value-type.js';

/** How each matcher key is compiled from its operand. */
export const COMPILE_MATCHER: Readonly<Record<MatcherName, CompileMatcher>> = {
  expected: compileExpected,
  exists: compileExists,
  not_equals: compileNotEquals,
  contains: compileContains,
  matches: compileMatches,
  one_of: compileOneOf,
  greater_than: compileOrdering('greater_than'),
  greater_than_or_equal: compileOrdering('greater_than_or_equal'),
  less_than: compileOrdering('less_than'),
  less_than_or_equal: compileOrdering('less_than_or_equal'),
  value_type: compileValueType,
  length: compileLength,
  schema: compileSchema,
};
