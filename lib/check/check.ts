import { MATCHER_KEYS, type Matchers, type ValueType } from '../dsl/codecs/matchers.js';

/**
 * One condition or assertion, shared by polling `conditions`, `fail_conditions` and step
 * `assertions`: the decoded shape of the suite file (see `lib/dsl/codecs/check.ts` and
 * `matchers.ts`, which document each matcher). `compileCheck` takes it after templates are
 * rendered. The check module reads these types and never decodes: the dsl is the one source.
 */
export type { Check } from '../dsl/codecs/check.js';
export type { Matchers, ValueType };

/** The matcher keys, in the order their results are reported (the dsl's own list). */
export const MATCHER_NAMES = MATCHER_KEYS satisfies ReadonlyArray<keyof Matchers>;

export type MatcherName = (typeof MATCHER_NAMES)[number];
