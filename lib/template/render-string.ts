import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../json.js';
import { parseTemplate, type TemplatePart } from './parse-template.js';
import { resolveReference } from './resolve-reference.js';
import type { TemplateContext } from './template-context.js';
import { TemplateError } from './template-error.js';

/**
 * The most levels of lists and maps `renderValue` walks into. Suite files nest far less (the
 * decoder refuses more than 100 levels); the limit keeps a value built in code from exhausting
 * the stack.
 */
export const MAX_RENDER_DEPTH = 256;

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
  // Without "{{" there is nothing to render or unescape: the text is its own rendering.
  if (!source.includes('{{')) return E.right(source);
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
    const text = jsonText(value.right, part.name);
    if (E.isLeft(text)) return text;
    out += text.right;
  }
  return E.right(out);
}

/**
 * How a value reads inside a larger string: strings raw, everything else as JSON text. A value
 * nested too deeply for `JSON.stringify` (a response body of thousands of nested lists, say) is
 * a `TooDeep` error naming `variable`, not a thrown `RangeError`.
 */
export function jsonText(value: Json, variable: string): E.Either<TemplateError, string> {
  if (typeof value === 'string') return E.right(value);
  try {
    return E.right(JSON.stringify(value));
  } catch (e) {
    if (e instanceof RangeError) return E.left(new TemplateError({ _tag: 'TooDeep', limit: MAX_RENDER_DEPTH, variable }));
    throw e;
  }
}
