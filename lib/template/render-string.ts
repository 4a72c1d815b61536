import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../json.js';
import { parseTemplate, type TemplatePart } from './parse-template.js';
import { resolveReference } from './resolve-reference.js';
import type { TemplateContext } from './template-context.js';
import type { TemplateError } from './template-error.js';

/**
 * Renders every `{{ reference }}` of a string to text.
 *
 * Values are written as JSON text, except strings, which are inserted as they are: numbers
 * exactly as JSON writes them (`19.99`, `6000`, never rounded), `true`/`false`, `null`, and
 * objects and arrays as compact JSON (so `{"profile": {{ animal_profile }}}` builds a JSON body).
 * Escapes: `\{{` and `\\{{` become a literal `{{` (see `escapes.ts`); other backslashes and
 * braces are kept as written.
 *
 * renderString('{{ .vars.base_url }}/jobs/{{ job_id }}', ctx)  // Right('http://127.0.0.1:8080/jobs/j-1')
 * renderString('price={{ price }}', { ...ctx, saved: { price: 19.99 } })  // Right('price=19.99')
 * renderString('Escaped: \\{{ user_id }}', ctx)  // Right('Escaped: {{ user_id }}')
 * renderString('{{ job_id }}', emptyCtx)  // Left(TemplateError: undefined variable "job_id"; available: ...)
 */
export function renderString(source: string, ctx: TemplateContext): E.Either<TemplateError, string> {
  const parsed = parseTemplate(source);
  return E.isLeft(parsed) ? parsed : renderParts(parsed.right, ctx);
}

/** Renders already parsed parts to text. */
export function renderParts(parts: readonly TemplatePart[], ctx: TemplateContext): E.Either<TemplateError, string> {
  let out = '';
  for (const part of parts) {
    if (part._tag === 'Text') {
      out += part.text;
      continue;
    }
    const value = resolveReference(part, ctx);
    if (E.isLeft(value)) return value;
    out += jsonText(value.right);
  }
  return E.right(out);
}

/** How a value reads inside a larger string: strings raw, everything else as JSON text. */
export function jsonText(value: Json): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
