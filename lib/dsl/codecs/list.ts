import * as t from 'io-ts';
import { withJsonSchema } from './with-json-schema.js';

/** Options of {@link list}. */
export interface ListOptions {
  /** Fewest items accepted. Default 0. */
  readonly min?: number;
}

/**
 * A YAML list whose items are all decoded by `item`. Every item is checked, so the errors of
 * all items are reported at once. `noun` names one item in messages (`'step'`).
 *
 * const Steps = list(Step, 'step', { min: 1 });
 * Steps.decode([])   // Left: needs at least one step, found an empty list
 */
export function list<C extends t.Mixed>(item: C, noun: string, options: ListOptions = {}): t.Type<Array<t.TypeOf<C>>, unknown, unknown> {
  const min = options.min ?? 0;
  const codec = new t.Type<Array<t.TypeOf<C>>, unknown, unknown>(
    `a list of ${noun}s`,
    (u): u is Array<t.TypeOf<C>> => Array.isArray(u) && u.length >= min && u.every((x) => item.is(x)),
    (u, c) => {
      if (!Array.isArray(u)) return t.failure(u, c);
      if (u.length < min) {
        const count = min === 1 ? `one ${noun}` : `${min} ${noun}s`;
        return t.failure(u, c, `needs at least ${count}, found ${u.length === 0 ? 'an empty list' : `${u.length}`}`);
      }
      const errors: t.Errors = [];
      const out: Array<t.TypeOf<C>> = [];
      u.forEach((value, i) => {
        const result = item.validate(value, t.appendContext(c, String(i), item, value));
        if (result._tag === 'Left') {
          // One by one: spreading 100,000 errors as arguments overflows the stack.
          for (const e of result.left) errors.push(e);
        } else out.push(result.right);
      });
      return errors.length > 0 ? t.failures(errors) : t.success(out);
    },
    (a) => a.map((x) => item.encode(x)),
  );
  return withJsonSchema(codec, { schema: (walk) => ({ type: 'array', items: walk(item), ...(min === 0 ? {} : { minItems: min }) }) });
}
