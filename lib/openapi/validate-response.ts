import type { Body } from '../check/check-subject.js';
import type { Json } from '../json.js';
import type { BodyCoverage, Operation, ResponseSpec, SchemaCheck, Validation } from './contract.js';
import { coerceText, itemsOf, typesOf } from './coerce-value.js';
import { formatProblem } from './format-problem.js';
import { findMediaType, isJsonType, mediaTypeOf } from './media-type.js';
import { readBody } from './read-body.js';

/** What response validation reads of a response. */
export interface ContractResponse {
  readonly status: number;
  /** Every value of a header, matched case-insensitively; empty when absent. */
  headerValues(name: string): readonly string[];
  readonly body: Body;
}

/**
 * Every way a response breaks its operation's contract, one line each (none when it keeps it),
 * and how its body was checked: its status against the declared responses (the exact code
 * first, then its range `2XX`, then `default`), its Content-Type against the declared media
 * types, its body against their schema (read as `readBody` reads it: JSON, forms, text; a binary
 * type by its Content-Type only), and the declared headers: a required one must be sent, and any
 * one sent must be valid by its schema (Swagger 2.0 has no required response headers: its
 * declared ones are checked when sent).
 *
 * validateResponse(op, { status: 200, headerValues: ..., body: { _tag: 'Json', value: { items: [{ id: 1 }] }, text } })
 * // { violations: ['response body /items/0/id: must be string (schema at paths./jobs.get.responses.200.content.application/json.schema.properties.items.items.properties.id.type)'],
 * //   body: { _tag: 'Schema', mediaType: 'application/json' } }
 */
export function validateResponse(operation: Operation, response: ContractResponse): Validation {
  const key = [String(response.status), `${String(response.status)[0]}XX`, 'DEFAULT'].find((k) => operation.responses[k] !== undefined);
  if (key === undefined) {
    const declared = Object.keys(operation.responses).map((k) => k.toLowerCase());
    return {
      violations: [
        `response status ${response.status}: not declared for ${operation.method} ${operation.path} (declared: ${declared.join(', ')})`,
      ],
      body: { _tag: 'None' },
    };
  }
  const spec = operation.responses[key] as ResponseSpec;
  const at = `${operation.at}.responses.${key === 'DEFAULT' ? 'default' : key}`;
  const body = checkBody(spec, response);
  return { violations: [...headerViolations(spec, response, at), ...body.violations], body: body.body };
}

function headerViolations(spec: ResponseSpec, response: ContractResponse, at: string): string[] {
  const out: string[] = [];
  for (const h of spec.headers) {
    const value = response.headerValues(h.name)[0];
    if (value === undefined) {
      if (h.required) out.push(`response header ${h.name}: required by the document (${at}.headers) but not sent`);
      continue;
    }
    if (h.schema === undefined) continue;
    const schema = h.schema.schema;
    // A list is one header value, its items separated (`a,b`); each item is coerced as its `items` say.
    const read: Json = typesOf(schema).has('array')
      ? value === ''
        ? []
        : value.split(h.delimiter).map((item) => coerceText(item.trim(), itemsOf(schema)))
      : coerceText(value, schema);
    out.push(...h.schema.validate(read).map((p) => formatProblem(`response header ${h.name}`, p)));
  }
  return out;
}

function checkBody(spec: ResponseSpec, response: ContractResponse): Validation {
  const none: BodyCoverage = { _tag: 'None' };
  if (spec.content.length === 0) return { violations: [], body: none };
  const declared = spec.content.map((m) => m.type).join(', ');
  const contentType = response.headerValues('content-type')[0];
  const type = mediaTypeOf(contentType);
  const empty = response.body.text === '';
  if (type === undefined)
    return {
      violations: [
        empty
          ? `response body: none, but the document declares ${declared}`
          : `response Content-Type: none sent; the document declares ${declared}`,
      ],
      body: none,
    };
  const byType: BodyCoverage = { _tag: 'ContentType', mediaType: type };
  const bySchema: BodyCoverage = { _tag: 'Schema', mediaType: type };
  const media = findMediaType(spec.content, type);
  if (media === undefined) return { violations: [`response Content-Type ${type}: not declared (declared: ${declared})`], body: byType };
  if (media.schema === undefined) return { violations: [], body: byType };
  const validate = (value: Json): Validation => ({
    violations: (media.schema as SchemaCheck).validate(value).map((p) => formatProblem('response body', p)),
    body: bySchema,
  });
  if (media.type === '*/*') {
    // Any type (Swagger 2.0 without `produces`): the body is checked when it is JSON.
    return response.body._tag === 'Json' ? validate(response.body.value) : { violations: [], body: byType };
  }
  if (isJsonType(type)) {
    // Parsed once, as it arrived.
    if (response.body._tag !== 'Json') {
      return { violations: [`response body: not JSON (${response.body.reason}) though sent as ${type}`], body: bySchema };
    }
    return validate(response.body.value);
  }
  const read = readBody(response.body.text, contentType ?? type, media.schema.schema);
  switch (read._tag) {
    case 'Opaque':
      return { violations: [], body: byType };
    case 'Unreadable':
      return { violations: [`response body: ${read.reason} though sent as ${type}`], body: bySchema };
    case 'Value':
      return validate(read.value);
  }
}
