import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../json.js';
import { parseTemplate, type TemplatePart, type TemplateReference } from './parse-template.js';
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
export function renderString(source: string, ctx: TemplateContext, writer?: ValueWriter): E.Either<TemplateError, string> {
  // Without "{{" there is nothing to render or unescape: the text is its own rendering.
  if (!source.includes('{{')) return E.right(source);
  const parsed = parseTemplate(source);
  return E.isLeft(parsed) ? parsed : renderParts(parsed.right, ctx, writer);
}

/**
 * Chooses how each value is written into the rendered text, for text in a language of its own
 * (a shell or JavaScript script), where a value pasted as it is would be read as code. The writer
 * sees the template's own text piece by piece, in order (escapes already applied), so it can
 * follow the language's quoting, and writes each value as a literal of that language at the
 * point where it sits. Without a writer, values are written as `jsonText` gives them.
 *
 * A writer is used for one rendering: it keeps the state of the text seen so far.
 *
 * // a writer that writes every value as a JSON string, e.g. for a JSON document
 * const json: ValueWriter = { text: () => undefined, value: (v) => E.right(JSON.stringify(v)), end: () => undefined };
 * renderString('{"name": {{ name }}}', ctx, json)   // Right('{"name": "Ellie"}')
 */
export interface ValueWriter {
  /** Sees a piece of the template's own text. Returns why rendering must stop, if it must. */
  text(text: string): string | undefined;
  /** The text to write for `value`, the value of `reference`, here; or why it cannot be written here. */
  value(value: Json, reference: TemplateReference): E.Either<string, string>;
  /** Sees the end of the text. Returns why rendering must stop, if it must. */
  end(): string | undefined;
}

/** Renders already parsed parts to text, writing values with `writer` when one is given. */
export function renderParts(parts: readonly TemplatePart[], ctx: TemplateContext, writer?: ValueWriter): E.Either<TemplateError, string> {
  let out = '';
  for (const part of parts) {
    if (part._tag === 'Text') {
      const stop = writer?.text(part.text);
      if (stop !== undefined) return E.left(new TemplateError({ _tag: 'Unwritable', message: stop }));
      out += part.text;
      continue;
    }
    const value = resolveReference(part, ctx);
    if (E.isLeft(value)) return value;
    if (writer !== undefined) {
      const written = writer.value(value.right, part);
      if (E.isLeft(written)) return E.left(new TemplateError({ _tag: 'Unwritable', message: written.left, variable: part.name }));
      out += written.right;
      continue;
    }
    const text = jsonText(value.right, part.name);
    if (E.isLeft(text)) return text;
    out += text.right;
  }
  const stop = writer?.end();
  if (stop !== undefined) return E.left(new TemplateError({ _tag: 'Unwritable', message: stop }));
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
