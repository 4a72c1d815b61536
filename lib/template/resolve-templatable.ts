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
  return pipe(
    renderValue(source, variables),
    E.mapLeft((e) => `${field}: ${e.message}`),
    E.chain((rendered: Json) =>
      pipe(
        codec.decode(rendered),
        E.mapLeft((errors) => {
          const why = errors.find((e) => e.message !== undefined)?.message ?? `it is not ${codec.name}`;
          return `${field}: ${JSON.stringify(source)} rendered to ${JSON.stringify(rendered)}: ${why}`;
        }),
      ),
    ),
  );
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
