import * as t from 'io-ts';

/**
 * Codecs that re-check numeric fields once a template rendered them (`max_attempts:
 * "{{ .vars.n }}"`). Their names appear in errors: `... rendered to 0, which is not an integer >= 1`.
 */
export const PositiveIntegerCodec = t.refinement(t.number, (n) => Number.isInteger(n) && n >= 1, 'an integer >= 1');

/** A backoff coefficient: a finite number >= 1. */
export const CoefficientCodec = t.refinement(t.number, (n) => Number.isFinite(n) && n >= 1, 'a number >= 1');

/** A fraction from 0 to 1 (jitter). */
export const FractionCodec = t.refinement(t.number, (n) => n >= 0 && n <= 1, 'a number from 0 to 1');
