import type * as t from 'io-ts';
import { decodeSuiteText } from '../../../lib/dsl/decode-suite.js';
import type { DslError } from '../../../lib/dsl/dsl-error.js';
import type { Step } from '../../../lib/dsl/codecs/step.js';

/** Decodes a value with a codec and returns the decoded value, or throws with the errors. */
export function decodeOk<A>(codec: t.Decoder<unknown, A>, value: unknown): A {
  const result = codec.decode(value);
  if (result._tag === 'Left')
    throw new Error(`expected ${codec.name} to accept ${JSON.stringify(value)}: ${result.left.map((e) => e.message ?? '?').join('; ')}`);
  return result.right;
}

/** The messages of a failed decode (the default message of io-ts when a codec gives none). */
export function decodeMessages(codec: t.Decoder<unknown, unknown> & { readonly name: string }, value: unknown): string[] {
  const result = codec.decode(value);
  if (result._tag === 'Right') throw new Error(`expected ${codec.name} to reject ${JSON.stringify(value)}`);
  return result.left.map((e) => e.message ?? `(no message; expected ${e.context[e.context.length - 1]?.type.name})`);
}

/** A one-step suite around the YAML of a step (indented as a list item under `steps:`). */
export function suiteWithStep(stepYaml: string): string {
  const body = stepYaml
    .trim()
    .split('\n')
    .map((l, i) => (i === 0 ? `      - ${l}` : `        ${l}`))
    .join('\n');
  return `name: s\ntests:\n  - name: t\n    steps:\n${body}\n`;
}

/** Decodes a one-step suite and returns its step, or throws with the formatted errors. */
export function decodeStep(stepYaml: string): Step {
  const result = decodeSuiteText(suiteWithStep(stepYaml), 'step.yaml');
  if (result._tag === 'Left') throw new Error(result.left.map((e) => `${e.line}:${e.col} ${e.path}: ${e.message}`).join('\n'));
  const step = result.right.suite.tests[0]?.steps[0];
  if (step === undefined) throw new Error('no step');
  return step;
}

/** The errors of a one-step suite that must not decode. */
export function stepErrors(stepYaml: string): DslError[] {
  const result = decodeSuiteText(suiteWithStep(stepYaml), 'step.yaml');
  if (result._tag === 'Right') throw new Error('expected the step to be rejected');
  return result.left;
}
