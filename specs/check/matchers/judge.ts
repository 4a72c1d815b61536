import * as E from 'fp-ts/lib/Either.js';
import type { Lookup } from '../../../lib/extract/json-path.js';
import type { Json } from '../../../lib/json.js';
import type { CompileMatcher, Verdict } from '../../../lib/check/matcher.js';

/** Compiles a matcher (or throws, in specs) and judges a found value, a missing one, or header text. */
export function judge(compile: CompileMatcher, operand: Json, value: Json | undefined, textual = false): Verdict {
  const m = compile(operand);
  if (E.isLeft(m)) throw new Error(`expected operand ${JSON.stringify(operand)} to compile: ${m.left}`);
  const lookup: Lookup = value === undefined ? { _tag: 'Missing' } : { _tag: 'Found', value };
  return m.right.judge({ lookup, textual, missingReason: 'nothing there' });
}

export function rejects(compile: CompileMatcher, operand: Json): string {
  const m = compile(operand);
  if (E.isRight(m)) throw new Error(`expected operand ${JSON.stringify(operand)} to be rejected`);
  return m.left;
}
