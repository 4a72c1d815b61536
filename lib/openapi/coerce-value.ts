import type { Json } from '../json.js';
import type { SchemaObject } from './contract.js';

/**
 * Text from the wire (a path, query or header parameter, a form field) read as the value the
 * schema describes: `"123"` is `123` where the schema says `integer` or `number`, `"true"` is
 * `true` where it says `boolean`, `"null"` is `null` where it allows `null`; text that is not
 * such a value stays text, so the schema's check reports it (`must be integer`). Types are read
 * from `type` (a string, or 3.1's list) and from the members of `allOf`/`anyOf`/`oneOf`.
 *
 * coerceText('123', { type: 'integer' })            // 123
 * coerceText('12x', { type: 'integer' })            // '12x'
 * coerceText('true', { type: ['boolean', 'null'] }) // true
 * coerceText('123', { type: 'string' })             // '123'
 */
export function coerceText(text: string, schema: SchemaObject | undefined): Json {
  const types = typesOf(schema);
  if (types.has('string') && !types.has('integer') && !types.has('number')) return text;
  if ((types.has('integer') || types.has('number')) && /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim())) {
    const n = Number(text);
    if (Number.isFinite(n)) return n;
  }
  if (types.has('boolean') && (text === 'true' || text === 'false')) return text === 'true';
  if (types.has('null') && (text === 'null' || text === '')) return null;
  return text;
}

/**
 * Several values of one name (a repeated query key, a form field given twice) or one value, read
 * as the schema describes: a list where it says `array` (each item coerced by `items`), else the
 * first value coerced.
 */
export function coerceValues(values: readonly string[], schema: SchemaObject | undefined): Json {
  if (typesOf(schema).has('array')) return values.map((v) => coerceText(v, itemsOf(schema)));
  return coerceText(values[0] ?? '', schema);
}

/** The `items` schema of an array schema (or of the `allOf`/`anyOf`/`oneOf` member that has one). */
export function itemsOf(schema: SchemaObject | undefined): SchemaObject | undefined {
  if (schema === undefined) return undefined;
  const items = schema['items'];
  if (isMap(items)) return items;
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    const members = schema[key];
    if (!Array.isArray(members)) continue;
    for (const m of members) if (isMap(m) && isMap(m['items'])) return m['items'];
  }
  return undefined;
}

/** The schema of property `name` of an object schema (also within `allOf`/`anyOf`/`oneOf`). */
export function propertyOf(schema: SchemaObject | undefined, name: string): SchemaObject | undefined {
  if (schema === undefined) return undefined;
  const props = schema['properties'];
  if (isMap(props) && isMap(props[name])) return props[name];
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    const members = schema[key];
    if (!Array.isArray(members)) continue;
    for (const m of members) {
      const found = isMap(m) ? propertyOf(m, name) : undefined;
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** The types a schema allows (`nullable: true` adds `null`); empty when it says none. */
export function typesOf(schema: SchemaObject | undefined, depth = 0): Set<string> {
  const out = new Set<string>();
  if (schema === undefined || depth > 8) return out;
  const type = schema['type'];
  if (typeof type === 'string') out.add(type);
  if (Array.isArray(type)) for (const t of type) if (typeof t === 'string') out.add(t);
  if (schema['nullable'] === true) out.add('null');
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    const members = schema[key];
    if (!Array.isArray(members)) continue;
    for (const m of members) if (isMap(m)) for (const t of typesOf(m, depth + 1)) out.add(t);
  }
  return out;
}

function isMap(v: Json | undefined): v is { readonly [k: string]: Json } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
