import type { Body } from '../check/check-subject.js';
import type { Json } from '../json.js';
import type { Operation, ResponseSpec } from './contract.js';
import { coerceText } from './coerce-value.js';
import { formatProblem } from './format-problem.js';
import { findMediaType, isJsonType, mediaTypeOf } from './media-type.js';

/** What response validation reads of a response. */
export interface ContractResponse {
  readonly status: number;
  /** Every value of a header, matched case-insensitively; empty when absent. */
  headerValues(name: string): readonly string[];
  readonly body: Body;
}

/**
 * Every way a response breaks its operation's contract, one line each (empty when it keeps it):
 * its status against the declared responses (the exact code first, then its range `2XX`, then
 * `default`), its Content-Type against the declared media types, its body against their schema
 * (JSON bodies), and the declared required headers (present, and valid by their schema).
 *
 * validateResponse(op, { status: 200, headerValues: ..., body: { _tag: 'Json', value: { items: [{ id: 1 }] }, text } })
 * // ['response body /items/0/id: must be string (schema at paths./jobs.get.responses.200.content.application/json.schema.properties.items.items.properties.id.type)']
 */
export function validateResponse(operation: Operation, response: ContractResponse): string[] {
  const key = [String(response.status), `${String(response.status)[0]}XX`, 'DEFAULT'].find((k) => operation.responses[k] !== undefined);
  if (key === undefined) {
    const declared = Object.keys(operation.responses).map((k) => k.toLowerCase());
    return [
      `response status ${response.status}: not declared for ${operation.method} ${operation.path} (declared: ${declared.join(', ')})`,
    ];
  }
  const spec = operation.responses[key] as ResponseSpec;
  const at = `${operation.at}.responses.${key === 'DEFAULT' ? 'default' : key}`;
  return [...headerViolations(spec, response, at), ...bodyViolations(spec, response)];
}

function headerViolations(spec: ResponseSpec, response: ContractResponse, at: string): string[] {
  const out: string[] = [];
  for (const h of spec.headers) {
    const value = response.headerValues(h.name)[0];
    if (value === undefined) {
      if (h.required) out.push(`response header ${h.name}: required by the document (${at}.headers) but not sent`);
      continue;
    }
    if (h.schema !== undefined)
      out.push(...h.schema.validate(coerceText(value, h.schema.schema)).map((p) => formatProblem(`response header ${h.name}`, p)));
  }
  return out;
}

function bodyViolations(spec: ResponseSpec, response: ContractResponse): string[] {
  if (spec.content.length === 0) return [];
  const declared = spec.content.map((m) => m.type).join(', ');
  const type = mediaTypeOf(response.headerValues('content-type')[0]);
  const empty = response.body.text === '';
  if (type === undefined)
    return empty
      ? [`response body: none, but the document declares ${declared}`]
      : [`response Content-Type: none sent; the document declares ${declared}`];
  const media = findMediaType(spec.content, type);
  if (media === undefined) return [`response Content-Type ${type}: not declared (declared: ${declared})`];
  if (media.schema === undefined) return [];
  let value: Json;
  if (isJsonType(type) || isJsonType(media.type)) {
    if (response.body._tag !== 'Json') {
      // A `*/*` response of another type is not read.
      if (media.type === '*/*' && !isJsonType(type)) return [];
      return [`response body: not JSON (${response.body.reason}) though sent as ${type}`];
    }
    value = response.body.value;
  } else if (type.startsWith('text/')) {
    value = response.body.text;
  } else {
    return [];
  }
  return media.schema.validate(value).map((p) => formatProblem('response body', p));
}
