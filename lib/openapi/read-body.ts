import * as E from 'fp-ts/lib/Either.js';
import type { Json } from '../json.js';
import type { SchemaObject } from './contract.js';
import { coerceValues, propertyOf, typesOf } from './coerce-value.js';
import { isJsonType, mediaTypeOf } from './media-type.js';
import { readMultipart } from './read-multipart.js';

/**
 * A body as its schema is checked against: a value (`Value`), a body that does not read as its
 * media type says (`Unreadable`, with the reason), or a body of a type that is checked by its
 * Content-Type only (`Opaque`: binary data, images, PDFs, any type but those below).
 */
export type BodyReading =
  { readonly _tag: 'Value'; readonly value: Json } | { readonly _tag: 'Unreadable'; readonly reason: string } | { readonly _tag: 'Opaque' };

/**
 * Reads a body's text by its Content-Type, for its schema:
 * - JSON (`application/json`, `*+json`): parsed;
 * - `application/x-www-form-urlencoded`: an object of its fields, each coerced to its property's
 *   type (a field given twice is a list where the schema says `array`);
 * - `multipart/form-data`: an object of its parts by name, text parts coerced as form fields are,
 *   a part sent as JSON (or whose property is an object) parsed, a file part's content as text
 *   (so `type: string, format: binary` holds);
 * - `text/*`: the text itself;
 * - anything else (`application/octet-stream`, `image/png`, ...): `Opaque`.
 *
 * readBody('bar=123', 'application/x-www-form-urlencoded', { properties: { bar: { type: 'integer' } } })
 * // { _tag: 'Value', value: { bar: 123 } }
 * readBody('\x89PNG...', 'image/png', { type: 'string', format: 'binary' })   // { _tag: 'Opaque' }
 */
export function readBody(text: string, contentType: string, schema: SchemaObject): BodyReading {
  const type = mediaTypeOf(contentType) ?? '';
  if (type === 'application/x-www-form-urlencoded') {
    const fields = new Map<string, string[]>();
    for (const [k, v] of new URLSearchParams(text)) fields.set(k, [...(fields.get(k) ?? []), v]);
    const out: Record<string, Json> = {};
    for (const [k, values] of fields) out[k] = coerceValues(values, propertyOf(schema, k));
    return { _tag: 'Value', value: out };
  }
  if (type === 'multipart/form-data') return multipartValue(text, contentType, schema);
  if (isJsonType(type)) {
    try {
      return { _tag: 'Value', value: JSON.parse(text) as Json };
    } catch (e) {
      return { _tag: 'Unreadable', reason: `not JSON (${e instanceof Error ? e.message : String(e)})` };
    }
  }
  if (type.startsWith('text/')) return { _tag: 'Value', value: text };
  return { _tag: 'Opaque' };
}

/** A multipart body as the object its schema describes (see {@link readBody}). */
function multipartValue(text: string, contentType: string, schema: SchemaObject): BodyReading {
  const parts = readMultipart(text, contentType);
  if (E.isLeft(parts)) return { _tag: 'Unreadable', reason: `not multipart/form-data (${parts.left})` };
  const byName = new Map<string, Json[]>();
  const texts = new Map<string, boolean>();
  for (const part of parts.right) {
    const property = propertyOf(schema, part.name);
    const types = typesOf(property);
    let value: Json = part.content;
    const asJson =
      (part.contentType !== undefined && isJsonType(part.contentType) && part.contentType !== '*/*') ||
      (part.contentType === undefined && part.filename === undefined && types.has('object') && !types.has('string'));
    if (asJson) {
      try {
        value = JSON.parse(part.content) as Json;
      } catch (e) {
        return { _tag: 'Unreadable', reason: `part ${part.name} is not JSON (${e instanceof Error ? e.message : String(e)})` };
      }
    }
    byName.set(part.name, [...(byName.get(part.name) ?? []), value]);
    texts.set(part.name, (texts.get(part.name) ?? true) && !asJson);
  }
  const out: Record<string, Json> = {};
  for (const [name, values] of byName) {
    const property = propertyOf(schema, name);
    // Text parts are read as form fields are (`copies` -> 2 where the schema says integer); parsed ones as they are.
    if (texts.get(name) === true) out[name] = coerceValues(values as string[], property);
    else out[name] = typesOf(property).has('array') ? values : (values[0] as Json);
  }
  return { _tag: 'Value', value: out };
}
