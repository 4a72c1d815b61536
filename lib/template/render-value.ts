import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../json.js';
import { parseTemplate } from './parse-template.js';
import { jsonText, MAX_RENDER_DEPTH, renderParts } from './render-string.js';
import { resolveReference } from './resolve-reference.js';
import type { TemplateContext } from './template-context.js';
import { TemplateError } from './template-error.js';

/**
 * Renders the templates of a value, deeply: strings, list items, map values and map keys.
 *
 * A string that is exactly one template (nothing around the braces, not even spaces) becomes
 * the referenced value with its JSON type, so typed comparisons work: with `vars: { code: 200 }`,
 * `"{{ .vars.code }}"` renders to the number `200`, not the string `"200"`. Any other string
 * renders to a string (see `renderString`). Map keys always render to strings; two keys that
 * render to the same text are an error. Numbers, booleans and null are returned unchanged.
 *
 * Errors carry `path`, the location of the bad string inside `value`.
 *
 * renderValue({ expected: '{{ .vars.code }}', note: 'code {{ .vars.code }}' }, ctx)
 * // Right({ expected: 200, note: 'code 200' })
 * renderValue({ '{{ .vars.auth.header_name }}': '{{ .vars.auth.token }}' }, ctx)
 * // Right({ 'X-API-Key': 'test-api-key-123' })
 */
export function renderValue(value: Json, ctx: TemplateContext): E.Either<TemplateError, Json> {
  // A value with no "{{" anywhere (most checks, saves and bodies of a suite) renders to itself:
  // it is returned as is, not copied. Decoded suites are never mutated, so the answer for an
  // object is remembered (checks and bodies are rendered again on every attempt and run).
  if (!holdsOpenerCached(value)) return E.right(value);
  return renderAt(value, ctx, 0);
}

/** Objects and arrays rendered before, and whether they hold "{{" somewhere (keys included). */
const openerIn = new WeakMap<object, boolean>();

function holdsOpenerCached(value: Json): boolean {
  if (value === null || typeof value !== 'object') return holdsOpener(value, 0);
  let known = openerIn.get(value);
  if (known === undefined) openerIn.set(value, (known = holdsOpener(value, 0)));
  return known;
}

/**
 * Whether `value` holds "{{" in a string or a key at any depth. Past `MAX_RENDER_DEPTH` it
 * answers `true`, so that `renderAt` reports the value as too deep.
 */
function holdsOpener(value: Json, depth: number): boolean {
  if (typeof value === 'string') return value.includes('{{');
  if (value === null || typeof value !== 'object') return false;
  // Only roots are remembered: an object shared by a YAML alias may sit deeper elsewhere.
  let found = depth >= MAX_RENDER_DEPTH;
  if (!found && Array.isArray(value)) {
    for (let i = 0; i < value.length && !found; i += 1) found = holdsOpener(value[i] as Json, depth + 1);
  } else if (!found) {
    for (const key in value) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
      if (key.includes('{{') || holdsOpener((value as { readonly [k: string]: Json })[key] as Json, depth + 1)) {
        found = true;
        break;
      }
    }
  }
  return found;
}

function renderAt(value: Json, ctx: TemplateContext, depth: number): E.Either<TemplateError, Json> {
  if (typeof value === 'string') return renderOne(value, ctx);
  if (value === null || typeof value !== 'object') return E.right(value);
  if (depth >= MAX_RENDER_DEPTH) return E.left(new TemplateError({ _tag: 'TooDeep', limit: MAX_RENDER_DEPTH }));
  if (Array.isArray(value)) {
    const out: Json[] = [];
    for (let i = 0; i < value.length; i += 1) {
      const item = renderAt(value[i] as Json, ctx, depth + 1);
      if (E.isLeft(item)) return E.left(item.left.within(i));
      out.push(item.right);
    }
    return E.right(out);
  }
  const entries: Array<[string, Json]> = [];
  const sourceOfKey = new Map<string, string>();
  for (const [key, item] of Object.entries(value as { readonly [k: string]: Json })) {
    const renderedKey = renderOne(key, ctx);
    if (E.isLeft(renderedKey)) return E.left(renderedKey.left.within(key));
    const k = jsonText(renderedKey.right, key);
    if (E.isLeft(k)) return E.left(k.left.within(key));
    const earlier = sourceOfKey.get(k.right);
    if (earlier !== undefined) return E.left(new TemplateError({ _tag: 'DuplicateKey', key: k.right, sources: [earlier, key] }));
    sourceOfKey.set(k.right, key);
    const rendered = renderAt(item, ctx, depth + 1);
    if (E.isLeft(rendered)) return E.left(rendered.left.within(key));
    entries.push([k.right, rendered.right]);
  }
  // fromEntries defines own properties, so a key rendering to "__proto__" stays a plain key
  return E.right(Object.fromEntries(entries));
}

function renderOne(source: string, ctx: TemplateContext): E.Either<TemplateError, Json> {
  // Without "{{" there is nothing to render or unescape: the text is its own rendering.
  if (!source.includes('{{')) return E.right(source);
  const parsed = parseTemplate(source);
  if (E.isLeft(parsed)) return parsed;
  const parts = parsed.right;
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only !== undefined && only._tag === 'Reference') return resolveReference(only, ctx);
  return renderParts(parts, ctx);
}
