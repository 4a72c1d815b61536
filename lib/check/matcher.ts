import * as E from 'fp-ts/lib/Either.js';
import type { Lookup } from '../extract/json-path.js';
import type { Json } from '../json.js';
import type { MatcherName } from './check.js';

/** What a check read: the lookup, and whether the value is text by nature (header values). */
export interface Reading {
  readonly lookup: Lookup;
  /** True for header values: they are always strings, so ordering matchers read them as numbers. */
  readonly textual: boolean;
  /** Why the value is missing, in words, when `lookup` is `Missing`. */
  readonly missingReason: string;
}

/** One matcher's judgement: whether it holds, the actual value to report, and why it failed. */
export interface Verdict {
  readonly pass: boolean;
  readonly actual: Json | undefined;
  readonly reason?: string;
}

/** A matcher compiled from its operand: judges readings, never throws. */
export interface Matcher {
  readonly name: MatcherName;
  readonly expected: Json;
  judge(reading: Reading): Verdict;
}

/** Compiles a matcher from its operand; `Left` explains an unusable operand. */
export type CompileMatcher = (operand: Json) => E.Either<string, Matcher>;

/**
 * Builds a matcher that needs a present value: a missing one fails with the reading's reason.
 * `exists` is the only matcher that judges absence itself.
 */
export function presentValueMatcher(name: MatcherName, expected: Json, judge: (value: Json, reading: Reading) => Verdict): Matcher {
  return {
    name,
    expected,
    judge: (reading) =>
      reading.lookup._tag === 'Found'
        ? judge(reading.lookup.value, reading)
        : { pass: false, actual: undefined, reason: reading.missingReason },
  };
}

export function verdict(pass: boolean, actual: Json | undefined, reason?: string): Verdict {
  return pass || reason === undefined ? { pass, actual } : { pass, actual, reason };
}
