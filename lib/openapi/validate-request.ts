import type { Json } from '../json.js';
import type { BodyCoverage, Operation, Parameter, SchemaObject, Validation } from './contract.js';
import { coerceText, coerceValues, propertyOf, typesOf, itemsOf } from './coerce-value.js';
import { formatProblem } from './format-problem.js';
import { findMediaType, mediaTypeOf } from './media-type.js';
import { readBody } from './read-body.js';

/** What request validation reads of a request: what is sent, after templates are rendered. */
export interface ContractRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | undefined;
}

/**
 * Every way a request breaks its operation's contract, one line each (none when it keeps it),
 * and how its body was checked: its path, query, header and cookie parameters (read by their
 * `style`/`explode`, coerced from text to their schema's types), and its body by media type
 * (see `readBody`): JSON parsed; a url-encoded form's fields coerced to the schema's types
 * (`bar=123` passes `type: integer`); a multipart form's parts read as fields (files as text); a
 * binary body (`application/octet-stream`, `image/png`, ...) by its Content-Type only; a
 * required body that is missing.
 *
 * validateRequest(op, { id: 'x' }, { method: 'POST', url: 'http://h/post', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'bar=123' })
 * // { violations: ["request body: must have required property 'foo' (schema at paths./post.post.requestBody.content.application/x-www-form-urlencoded.schema.required)"],
 * //   body: { _tag: 'Schema', mediaType: 'application/x-www-form-urlencoded' } }
 */
export function validateRequest(operation: Operation, pathParams: Readonly<Record<string, string>>, request: ContractRequest): Validation {
  const out: string[] = [];
  const url = new URL(request.url);
  const header = (name: string): string | undefined => {
    const lower = name.toLowerCase();
    for (const [k, v] of Object.entries(request.headers)) if (k.toLowerCase() === lower) return v;
    return undefined;
  };
  for (const p of operation.parameters) {
    const value = parameterValue(p, pathParams, url.searchParams, header);
    const part = `request ${p.in} parameter ${p.name}`;
    if (value === undefined) {
      if (p.required || p.in === 'path') out.push(`${part}: required by the document but not sent`);
      continue;
    }
    if (p.schema !== undefined) out.push(...p.schema.validate(value).map((problem) => formatProblem(part, problem)));
  }
  const body = checkBody(operation, request.body, header('content-type'));
  return { violations: [...out, ...body.violations], body: body.body };
}

function checkBody(operation: Operation, body: string | undefined, contentType: string | undefined): Validation {
  const spec = operation.requestBody;
  const none: BodyCoverage = { _tag: 'None' };
  if (spec === undefined) return { violations: [], body: none };
  if (body === undefined || body === '') {
    return {
      violations: spec.required ? [`request body: required by the document (${operation.at}.requestBody) but none is sent`] : [],
      body: none,
    };
  }
  if (spec.content.length === 0) return { violations: [], body: none };
  const accepted = spec.content.map((m) => m.type).join(', ');
  const type = mediaTypeOf(contentType);
  if (type === undefined)
    return { violations: [`request body: sent without a Content-Type; the operation accepts ${accepted}`], body: none };
  const byType: BodyCoverage = { _tag: 'ContentType', mediaType: type };
  const media = findMediaType(spec.content, type);
  if (media === undefined)
    return { violations: [`request Content-Type ${type}: not a type the operation accepts (${accepted})`], body: byType };
  if (media.schema === undefined) return { violations: [], body: byType };
  const read = readBody(body, contentType ?? type, media.schema.schema);
  switch (read._tag) {
    case 'Opaque':
      return { violations: [], body: byType };
    case 'Unreadable':
      return { violations: [`request body: ${read.reason} though sent as ${type}`], body: { _tag: 'Schema', mediaType: type } };
    case 'Value':
      return {
        violations: media.schema.validate(read.value).map((p) => formatProblem('request body', p)),
        body: { _tag: 'Schema', mediaType: type },
      };
  }
}

/** A parameter's value as sent, read by its style and coerced to its schema; `undefined` when absent. */
function parameterValue(
  p: Parameter,
  pathParams: Readonly<Record<string, string>>,
  query: URLSearchParams,
  header: (name: string) => string | undefined,
): Json | undefined {
  const schema = p.schema?.schema;
  const types = typesOf(schema);
  switch (p.in) {
    case 'path': {
      const raw = pathParams[p.name];
      if (raw === undefined) return undefined;
      let text = safeDecode(raw);
      if (p.style === 'label') text = text.replace(/^\./, '');
      if (p.style === 'matrix') text = text.replace(new RegExp(`^;${p.name}=`), '');
      const sep = p.style === 'label' && p.explode ? '.' : p.style === 'matrix' && p.explode ? `;${p.name}=` : ',';
      return delimited(text, sep, schema, types, p.explode);
    }
    case 'header': {
      const raw = header(p.name);
      return raw === undefined ? undefined : delimited(raw, ',', schema, types, p.explode);
    }
    case 'cookie': {
      const cookie = header('cookie');
      if (cookie === undefined) return undefined;
      for (const pair of cookie.split(';')) {
        const [k, ...v] = pair.trim().split('=');
        if (k === p.name) return delimited(safeDecode(v.join('=')), ',', schema, types, false);
      }
      return undefined;
    }
    case 'query': {
      if (p.style === 'deepObject') {
        const out: Record<string, Json> = {};
        for (const [k, v] of query) {
          const m = /^([^[]+)\[([^\]]*)\]$/.exec(k);
          if (m?.[1] === p.name) out[m[2] as string] = coerceText(v, propertyOf(schema, m[2] as string));
        }
        return Object.keys(out).length > 0 ? out : undefined;
      }
      if (types.has('object') && p.style === 'form' && p.explode) {
        // Each property is a key of its own.
        const out: Record<string, Json> = {};
        for (const [k, v] of query) if (propertyOf(schema, k) !== undefined) out[k] = coerceText(v, propertyOf(schema, k));
        return Object.keys(out).length > 0 ? out : undefined;
      }
      const values = query.getAll(p.name);
      if (values.length === 0) return undefined;
      if (types.has('array') && p.explode && p.style === 'form') return coerceValues(values, schema);
      const sep = p.style === 'spaceDelimited' ? ' ' : p.style === 'pipeDelimited' ? '|' : ',';
      return delimited(values[0] as string, sep, schema, types, false);
    }
  }
}

/** A text holding a list (`a,b`) or an object (`k,v,k,v`, or `k=v,k=v` exploded) as its schema says; else the text coerced. */
function delimited(text: string, sep: string, schema: SchemaObject | undefined, types: Set<string>, explode: boolean): Json {
  if (types.has('array')) return text === '' ? [] : text.split(sep).map((v) => coerceText(v, itemsOf(schema)));
  if (types.has('object')) {
    const out: Record<string, Json> = {};
    if (explode) {
      for (const pair of text.split(sep)) {
        const [k, ...v] = pair.split('=');
        if (k !== undefined && k !== '') out[k] = coerceText(v.join('='), propertyOf(schema, k));
      }
    } else {
      const parts = text.split(sep);
      for (let i = 0; i + 1 < parts.length; i += 2)
        out[parts[i] as string] = coerceText(parts[i + 1] as string, propertyOf(schema, parts[i] as string));
    }
    return out;
  }
  return coerceText(text, schema);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
