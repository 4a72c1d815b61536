import * as E from 'fp-ts/lib/Either.js';
import { jsonTypeOf } from '../describe-json.js';
import { presentValueMatcher, verdict, type CompileMatcher } from '../matcher.js';

/**
 * `matches`: the string value matches the regular expression somewhere (JavaScript syntax;
 * anchor with `^...$` for a whole match). A leading Go/RE2-style flag group `(?i)`, `(?s)`,
 * `(?m)` (or a combination such as `(?is)`) is turned into the JavaScript flags, so patterns
 * written for Rocketship keep working. The pattern is compiled once; an invalid one is `Left`.
 * Only strings match: numbers and booleans fail with a reason (compare them with `expected`,
 * `one_of` or the ordering matchers).
 */
export const compileMatches: CompileMatcher = (operand) => {
  if (typeof operand !== 'string') return E.left(`matches must be a regular expression string, got ${JSON.stringify(operand)}`);
  const flagged = /^\(\?([ims]+)\)/.exec(operand);
  const flags = flagged === null ? '' : [...new Set(flagged[1])].join('');
  const pattern = flagged === null ? operand : operand.slice(flagged[0].length);
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, flags);
  } catch (e) {
    return E.left(`matches: invalid regular expression ${JSON.stringify(operand)}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return E.right(
    presentValueMatcher('matches', operand, (value) =>
      typeof value === 'string'
        ? verdict(regex.test(value), value)
        : verdict(false, value, `matches needs a string, got ${jsonTypeOf(value)}`),
    ),
  );
};
