import * as t from 'io-ts';
import { describeValue } from '../describe-value.js';
import { withJsonSchema } from './with-json-schema.js';

/** Options of {@link boundedNumber}. */
export interface BoundedNumberOptions {
  /** The key, as named in messages (`'max_attempts'`). */
  readonly label: string;
  /** Only whole numbers. Default false. */
  readonly integer?: boolean;
  /** Smallest value accepted (inclusive). */
  readonly min?: number;
  /** Largest value accepted (inclusive). */
  readonly max?: number;
  /** Replaces the default message for a value below `min`; it should say what to do instead. */
  readonly belowMin?: (value: number) => string;
}

/**
 * A number within bounds, with messages that name the key and the bound.
 *
 * const MaxAttempts = boundedNumber({ label: 'max_attempts', integer: true, min: 1 });
 * MaxAttempts.decode(5)     // Right(5)
 * MaxAttempts.decode(2.5)   // Left: max_attempts must be a whole number, found 2.5
 * MaxAttempts.decode('5')   // Left: expected a whole number >= 1, found "5"
 */
export function boundedNumber(options: BoundedNumberOptions): t.Type<number, number, unknown> {
  const { label, integer = false, min, max } = options;
  const kind = integer ? 'a whole number' : 'a number';
  const bounds =
    min !== undefined && max !== undefined
      ? ` from ${min} to ${max}`
      : min !== undefined
        ? ` >= ${min}`
        : max !== undefined
          ? ` <= ${max}`
          : '';
  const fits = (n: number): boolean =>
    Number.isFinite(n) && (!integer || Number.isInteger(n)) && (min === undefined || n >= min) && (max === undefined || n <= max);
  const codec = new t.Type<number, number, unknown>(
    `${kind}${bounds}`,
    (u): u is number => typeof u === 'number' && fits(u),
    (u, c) => {
      if (typeof u !== 'number') return t.failure(u, c);
      if (!Number.isFinite(u)) return t.failure(u, c, `${label} must be ${kind}${bounds}, found ${describeValue(u)}`);
      if (integer && !Number.isInteger(u)) return t.failure(u, c, `${label} must be a whole number, found ${u}`);
      if (min !== undefined && u < min) return t.failure(u, c, options.belowMin?.(u) ?? `${label} must be at least ${min}, found ${u}`);
      if (max !== undefined && u > max) return t.failure(u, c, `${label} must be at most ${max}, found ${u}`);
      return t.success(u);
    },
    (a) => a,
  );
  return withJsonSchema(codec, {
    schema: () => ({
      type: integer ? 'integer' : 'number',
      ...(min === undefined ? {} : { minimum: min }),
      ...(max === undefined ? {} : { maximum: max }),
    }),
  });
}
