import type { CheckSubject } from '../../lib/check/check-subject.js';
import type { Json } from '../../lib/json.js';

/** A CheckSubject for specs: a status, headers (name -> values) and a body given as text. */
export function subject(status: number, body: string | Json = '', headers: Record<string, string | string[]> = {}): CheckSubject {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  let parsed: CheckSubject['body'];
  try {
    parsed = { _tag: 'Json', value: JSON.parse(text) as Json, text };
  } catch (e) {
    parsed = { _tag: 'NotJson', text, reason: text === '' ? 'empty body' : (e as Error).message };
  }
  return {
    status,
    body: parsed,
    headerValues: (name) => {
      const found = Object.entries(headers).filter(([k]) => k.toLowerCase() === name.toLowerCase());
      return found.flatMap(([, v]) => (Array.isArray(v) ? v : [v]));
    },
  };
}
