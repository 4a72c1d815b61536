import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type * as t from 'io-ts';
import type { Json } from '../json.js';
import { isTemplate, type Templatable } from './template.js';
import { renderValue } from './render-value.js';
import type { TemplateContext } from './template-context.js';

/**
 * The value of a templatable field once the step runs: a plain value as decoded, or a template
 * rendered with the step's variables and then checked by the field's own codec (so
 * `max_attempts: "{{ .vars.n }}"` with `n: 0` fails the step as `n` would have failed decoding).
 *
 * resolveTemplatable(5, PositiveInteger, ctx, 'max_attempts')                       // Right(5)
 * resolveTemplatable({ _tag: 'Template', source: '{{ .vars.t }}s' }, Duration, ctx) // Right(2000) with t: 2
 */
export function resolveTemplatable<A>(
  value: Templatable<A>,
  codec: t.Decoder<unknown, A>,
  variables: TemplateContext,
  field: string,
): E.Either<string, A> {
  if (!isTemplate(value)) return E.right(value);
  const source = value.source;
  // Plain checks rather than `pipe(..., E.chain(...))`: fp-ts 2.16's `chain` collects its
  // arguments into arrays on every call, and a templated field is resolved on every run of a step.
  const rendered = renderValue(source, variables);
  if (E.isLeft(rendered)) return E.left(`${field}: ${rendered.left.message}`);
  const decoded = codec.decode(rendered.right);
  if (E.isRight(decoded)) return decoded;
  const why = decoded.left.find((e) => e.message !== undefined)?.message ?? `it is not ${codec.name}`;
  return E.left(`${field}: ${JSON.stringify(source)} rendered to ${JSON.stringify(rendered.right)}: ${why}`);
}

/** Renders every string in a decoded JSON-like value (a check, a save, a body). */
export function renderJson<A>(value: A, variables: TemplateContext, field: string): E.Either<string, A> {
  return pipe(
    renderValue(value as unknown as Json, variables),
    E.bimap(
      (e) => `${field}: ${e.message}`,
      (rendered) => rendered as unknown as A,
    ),
  );
}
